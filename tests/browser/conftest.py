"""Real servers and a real Chromium for the browser tests.

Each front end (JupyterLab, Jupyter Notebook 7, Voila) is one server process on 127.0.0.1 with its own
config, runtime, settings and workspace directories under a temp dir, serving a copy of examples/. Servers
start once per session, all at once on first use (they boot in parallel), and stop at the end: SIGTERM to
the process group so the server shuts its kernels down, then SIGKILL for the group and for any kernel left
(kernels run in their own session, so the group kill alone would miss them).

Nothing here skips: a missing Chromium, Playwright or server is a failure that says how to install it.
"""

import contextlib
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

CHROMIUM = os.environ.get("GRADWIDGET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
BUNDLE = REPO / "gradwidget" / "static" / "widget.js"
SCREENSHOTS = pathlib.Path(__file__).resolve().parent / "screenshots"
SERVER_START_TIMEOUT = 60  # seconds; about 2-4 s is usual, three at once on 2 cores take longer
FRONT_ENDS = ("lab", "notebook", "voila")
INSTALL_HINT = 'apt-get install -y chromium && pip install -e ".[test]"'


# --- servers -----------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid):
    """Direct children of pid, from /proc (Linux); an empty list elsewhere."""
    found = []
    for entry in pathlib.Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            # the command name (field 2) may contain spaces and parentheses: split after its closing paren
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append(int(entry.name))
    return found


def _descendants(pid):
    pending, found = [pid], []
    while pending:
        kids = _children(pending.pop())
        found.extend(kids)
        pending.extend(kids)
    return found


class Server:
    """One Jupyter server process, its directories and its log."""

    def __init__(self, name, root, home):
        self.name = name
        self.root = root
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "server.log"
        self.proc = None
        self._log = None
        self._ready = False
        self._pids = set()  # every process seen under the server (kernels), killed at the end by id

    def env(self):
        env = dict(os.environ)
        for var, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
            ("IPYTHONDIR", "ipython"),
        ]:
            path = self.home / sub
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        # JupyterLab's (and Notebook 7's) news toast would cover the page
        notification = self.home / "settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True, exist_ok=True)
        (notification / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )
        env.pop("JUPYTER_TOKEN", None)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def command(self):
        common = ["--no-browser", f"--port={self.port}"]
        jupyter_server = [
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={self.root}",
            "--expose-app-in-browser",
        ]
        if self.name == "lab":
            return [sys.executable, "-m", "jupyter", "lab", *common, *jupyter_server]
        if self.name == "notebook":
            return [sys.executable, "-m", "jupyter", "notebook", *common, *jupyter_server]
        return [
            sys.executable, "-m", "voila", str(self.root / "02_classroom_dashboard.ipynb"), *common,
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
        ]  # fmt: skip

    def start(self):
        cmd = self.command()
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        try:
            self.proc = subprocess.Popen(
                cmd,
                cwd=self.root,
                env=self.env(),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            pytest.fail(f"could not start {self.name} ({' '.join(cmd)}): {error}. Install: {INSTALL_HINT}")

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self):
        if self._ready:
            return self
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"the {self.name} server exited with code {self.proc.returncode} before listening.\n"
                    f"Log ({self.log_path}):\n{self.log_tail()}\nInstall: {INSTALL_HINT}"
                )
            with socket.socket() as sock:
                sock.settimeout(0.5)
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    self._ready = True
                    return self
            time.sleep(0.1)
        pytest.fail(
            f"the {self.name} server did not listen on {self.url} within {SERVER_START_TIMEOUT} s.\n"
            f"Log:\n{self.log_tail()}"
        )

    def remember_processes(self):
        if self.proc is not None and self.proc.poll() is None:
            self._pids.update(_descendants(self.proc.pid))

    def stop(self):
        if self.proc is None:
            return
        self.remember_processes()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        for pid in self._pids:  # kernels live in their own session: end any left, by id
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()


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
