"""Real servers and a real Chromium for the browser tests.

Each front end (JupyterLab, Jupyter Notebook 7, Voila) is one server process on 127.0.0.1 with its own
config, runtime, settings and workspace directories under a temp dir, serving a copy of examples/. Servers
start once per session, all at once on first use (they boot in parallel), and stop at the end: SIGTERM to
the process group so the server shuts its kernels down, then SIGKILL for the group and for any kernel left
(kernels run in their own session, so the group kill alone would miss them).
The process handling is launch.py's ServerProcess, shared with the benches and the other tests.

Nothing here skips: a missing Chromium, Playwright or server is a failure that says how to install it.
"""

import os
import pathlib
import shutil

import pytest
from launch import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXAMPLES,
    REPO,
    ServerExited,
    ServerProcess,
    jupyter_command,
    voila_command,
)

BUNDLE = REPO / "gradwidget" / "static" / "widget.js"
SCREENSHOTS = pathlib.Path(__file__).resolve().parent / "screenshots"
SERVER_START_TIMEOUT = 60  # seconds; about 2-4 s is usual, three at once on 2 cores take longer
FRONT_ENDS = ("lab", "notebook", "voila")
INSTALL_HINT = 'apt-get install -y chromium && pip install -e ".[test]"'
VOILA_NOTEBOOK = "02_classroom_dashboard.ipynb"


# --- servers -----------------------------------------------------------------------------------------------


def _command(name, root):
    """The command line of front end `name` serving root, as a function of the port (ServerProcess's form)."""
    if name == "voila":
        return lambda port: voila_command(port, root / VOILA_NOTEBOOK, nodelay=False)
    return lambda port: jupyter_command(name, port, root)


class Server(ServerProcess):
    """One front end's server for the tests: launch.py's ServerProcess serving `root` (its working directory
    too), whose errors fail the test (with how to install what is missing) instead of raising."""

    def __init__(self, name, root, home):
        super().__init__(name, home, _command(name, root), cwd=root)
        self.root = root
        self._ready = False

    def start(self):
        try:
            super().start()
        except RuntimeError as error:
            pytest.fail(f"{error}. Install: {INSTALL_HINT}")

    def wait_ready(self):
        # the session fixtures ask again for every test: wait only the first time
        if self._ready:
            return self
        try:
            super().wait_ready(timeout=SERVER_START_TIMEOUT)
        except ServerExited as error:
            pytest.fail(f"{error}\nInstall: {INSTALL_HINT}")
        except RuntimeError as error:  # did not listen in time: the log says why, not the install
            pytest.fail(str(error))
        self._ready = True
        return self

    def remember_processes(self):
        """Note every process under the server now (kernels), so stop() can end any left, by id."""
        self.processes()


class Servers:
    """Starts every front end the collected tests need at the first request, so they boot in parallel."""

    def __init__(self, base, needed):
        self.base = base
        self.needed = [name for name in FRONT_ENDS if name in needed]
        self.root = base / "notebooks"
        self.servers = {}

    def _start_all(self):
        self.root.mkdir(parents=True, exist_ok=True)
        for notebook in EXAMPLES.glob("*.ipynb"):
            shutil.copy(notebook, self.root / notebook.name)
        for name in self.needed:
            server = Server(name, self.root, self.base / name)
            self.servers[name] = server
            server.start()

    def get(self, name):
        if not self.servers:
            _check_bundle()
            self._start_all()
        if name not in self.servers:  # asked for outside the collected set (should not happen)
            server = Server(name, self.root, self.base / name)
            self.servers[name] = server
            server.start()
        return self.servers[name].wait_ready()

    def stop(self):
        for server in self.servers.values():
            server.stop()


def _check_bundle():
    if not BUNDLE.exists():
        pytest.fail(
            f"the front end is not built ({BUNDLE} is missing): run `npm install && npm run build` "
            '(or pip install -e ".[test]") first.'
        )


def pytest_collection_finish(session):
    """Note which servers the selected tests (after -k / -m) need, to start just those, together."""
    session.config._gradwidget_front_ends = {
        name
        for item in session.items
        for name in FRONT_ENDS
        if f"{name}_server" in getattr(item, "fixturenames", ())
    }


@pytest.fixture(scope="session")
def servers(request, tmp_path_factory):
    pool = Servers(tmp_path_factory.mktemp("jupyter"), getattr(request.config, "_gradwidget_front_ends", ()))
    yield pool
    pool.stop()


@pytest.fixture(scope="session")
def lab_server(servers):
    return servers.get("lab")


@pytest.fixture(scope="session")
def notebook_server(servers):
    return servers.get("notebook")


@pytest.fixture(scope="session")
def voila_server(servers):
    return servers.get("voila")


# --- the browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright for Python is not installed: {INSTALL_HINT}")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not at {CHROMIUM}: {INSTALL_HINT} (or set GRADWIDGET_CHROMIUM)")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - any launch failure is the same message
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}")
        yield browser
        browser.close()


@pytest.fixture
def page(browser, servers):
    """A fresh browser context per test; console errors are printed (shown by pytest if the test fails)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    context.set_default_timeout(20_000)
    page = context.new_page()
    messages = []

    def on_console(message):
        if message.type == "error":
            messages.append(f"console.error: {message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e.stack or e}"))
    page.on("requestfailed", lambda r: messages.append(f"request failed: {r.url} ({r.failure})"))
    yield page
    for server in servers.servers.values():  # kernels started by this test, for the final cleanup
        server.remember_processes()
    context.close()
    if messages:
        print("\n".join(["Browser console errors:", *messages]))
    # The front ends log errors of their own (Voila's font CDN offline, Notebook 7's settings); an error from
    # the widget's code (anywidget loads it from a blob: URL) or naming it fails the test.
    ours = [m for m in messages if any(word in m for word in ("blob:", "gradwidget", "anywidget"))]
    if ours:
        pytest.fail("the widget raised in the page:\n" + "\n".join(ours))


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
