"""Issue 14 §12: gradwidget installed like any package, from its wheel, with no clone in sight.

The wheel is built from a clean copy of this tree (the files git tracks or would, so no old bundle in
gradwidget/static/: build.md's stale-bundle pitfall), its bundle built first by `npm run build` from that
copy's js/. It goes into a fresh virtual environment (no system site-packages), first bare, then with its
`demo` extra, as `pip install "gradwidget[demo]"` would. The demo runs from that environment in a folder of
its own, with a home and Jupyter directories of its own: it says what to install while the extra is missing,
then serves a copy of the examples, prints an address whose token it checks, and Chromium opens the story
there, runs it and steps its widget. Ctrl+C stops the server and its kernels. About two minutes, mostly pip.
Screenshot: tests/browser/screenshots/wheel-demo.png.
"""

import contextlib
import os
import pathlib
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile

import httpx
import pytest
from gw_cells import NotebookPage, no_widget_errors
from gw_page import RUN_ALL_MS, Widget, chain
from launch import REPO, children, descendants, is_kernel
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ADDRESS = re.compile(r"open (http://127\.0\.0\.1:(\d+)/lab/tree/01_backprop_story\.ipynb\?token=(\w+))")
EXAMPLES = sorted(path.name for path in (REPO / "examples").glob("*.ipynb"))
PIP_TIMEOUT = 600  # seconds; a fresh JupyterLab environment is ~100 packages
ADDRESS_TIMEOUT = 120  # seconds from starting the demo to its address; 5-15 s is usual here
STOP_TIMEOUT = 30  # seconds for the demo, its server and its kernels to end after Ctrl+C


def run(argv, **kwargs):
    """A command that must succeed; its output is in the failure when it does not."""
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, argv))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def clean_copy(target):
    """The tree as a fresh clone would have it, with this checkout's changes: the files git tracks or would
    track, nothing it ignores (no gradwidget/static/, no node_modules; those are linked from here)."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in this checkout is listed too
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / "node_modules").symlink_to((REPO / "node_modules").resolve(), target_is_directory=True)
    return target


def outside_env(home, venv):
    """The environment of a learner who has only the fresh venv: no PYTHONPATH, no Jupyter settings or
    token from this machine, a home of their own. pip keeps its configuration (the package index)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "IPYTHON", "CONDA"))
    }
    env.update(
        HOME=str(home), PATH=f"{venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin", PYTHONUNBUFFERED="1"
    )
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)  # JupyterLab's news toast would cover the page
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the wheel: what the demo said before the extra, the venv, its env and the wheel."""
    base = tmp_path_factory.mktemp("wheel")
    source = clean_copy(base / "source")
    run(["npm", "run", "build"], cwd=source)
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", base / "dist", source],
        timeout=PIP_TIMEOUT,
    )
    [wheel] = (base / "dist").glob("gradwidget-*.whl")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    env = outside_env(base / "home", venv)
    pip = [python, "-m", "pip", "install", "--no-compile", "--disable-pip-version-check"]
    run([*pip, wheel], env=env, timeout=PIP_TIMEOUT)
    learner = base / "learner"
    learner.mkdir()
    bare = subprocess.run(
        [python, "-m", "gradwidget.demo"], cwd=learner, env=env, capture_output=True, text=True, timeout=60
    )
    run([*pip, f"{wheel}[demo]"], env=env, timeout=PIP_TIMEOUT)
    return {"bare": bare, "python": python, "env": env, "wheel": wheel, "source": source, "learner": learner}


class Demo:
    """`python -m gradwidget.demo` running in the learner's folder: what it and its server print, in order,
    as one terminal shows them, and its processes."""

    def __init__(self, installed):
        self.proc = subprocess.Popen(
            [installed["python"], "-m", "gradwidget.demo"],
            cwd=installed["learner"],
            env=installed["env"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its own process group, as a terminal gives it: Ctrl+C reaches the group
        )
        self.lines, self._queue, self.seen = [], queue.Queue(), set()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for_address(self):
        deadline = time.monotonic() + ADDRESS_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            found = ADDRESS.search(line)
            if found:
                return found
        pytest.fail("the demo printed no address:\n" + "".join(self.lines))

    def printed(self):
        """Everything printed so far."""
        with contextlib.suppress(queue.Empty):
            while (line := self._queue.get_nowait()) is not None:
                self.lines.append(line)
        return "".join(self.lines)

    def server_pids(self):
        pids = descendants(self.proc.pid) if self.proc.poll() is None else []
        self.seen.update(pids)
        return pids

    def stop(self):
        """Kill whatever is left, by id (kernels run in sessions of their own)."""
        self.server_pids()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        for pid in self.seen:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def demo(installed):
    running = Demo(installed)
    try:
        address = running.wait_for_address()
        yield running, address
    finally:
        running.stop()


def test_without_the_demo_extra_the_demo_says_what_to_install(installed):
    bare = installed["bare"]
    assert bare.returncode == 1, bare
    assert "Traceback" not in bare.stderr, bare.stderr
    assert "The demo needs Jupyter Server and JupyterLab" in bare.stderr
    assert 'pip install "gradwidget[demo]"' in bare.stderr


def test_the_wheel_ships_the_examples_and_the_bundle_of_these_sources(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        shipped = sorted(name.rsplit("/", 1)[1] for name in names if name.startswith("gradwidget/examples/"))
        assert shipped == EXAMPLES  # the notebooks, not their generator
        bundle = wheel.read("gradwidget/static/widget.js")
    assert bundle == (installed["source"] / "gradwidget" / "static" / "widget.js").read_bytes()
    assert not [name for name in names if name.startswith(("js/", "tests/", "examples/"))]
    found = run(
        [installed["python"], "-c", "import gradwidget; print(gradwidget.__file__)"],
        cwd=installed["learner"],
        env=installed["env"],
    ).stdout.strip()
    assert pathlib.Path(found).is_relative_to(installed["python"].parent.parent), found  # the venv's own


def test_the_demo_serves_a_copy_of_the_examples_behind_its_token(installed, demo):
    running, address = demo
    url, port, token = address.groups()
    base = f"http://127.0.0.1:{port}"
    copy = installed["learner"] / "gradwidget-examples"
    assert f"the examples are in {copy}" in running.printed()
    assert sorted(path.name for path in copy.glob("*.ipynb")) == EXAMPLES

    assert httpx.get(url, timeout=30).status_code == 200
    contents = httpx.get(f"{base}/api/contents/01_backprop_story.ipynb", params={"token": token}, timeout=30)
    assert contents.status_code == 200 and contents.json()["path"] == "01_backprop_story.ipynb"
    assert (copy / "01_backprop_story.ipynb").exists()
    # without the token, or with another, nothing
    assert httpx.get(f"{base}/api/contents", timeout=30).status_code == 403
    assert httpx.get(f"{base}/api/contents", params={"token": "0" * 48}, timeout=30).status_code == 403
    assert httpx.get(f"{base}/api/kernels", timeout=30).status_code == 403
    page = httpx.get(f"{base}/lab/tree/01_backprop_story.ipynb", timeout=30)
    assert page.status_code == 302 and "/login" in page.headers["location"]
    # every user can read a command line; the token is not on the server's
    [server] = children(running.proc.pid)
    cmdline = pathlib.Path(f"/proc/{server}/cmdline").read_bytes().decode()
    assert "jupyter" in cmdline and token not in cmdline
    # the address was printed once the server answered, and no start-up log buries it: only warnings and
    # errors are logged (this test's own refused requests among them)
    printed = running.printed()
    assert "(Ctrl+C stops the server)" in printed
    assert not re.findall(r"^\[I ", printed, re.MULTILINE), printed


def test_the_story_runs_from_the_printed_address(browser, installed, demo, screenshots):
    """Chromium opens the printed address, runs every cell from JupyterLab's Run menu, and finds the widget
    at its first step, drawn from the wheel's bundle, answering the venv's kernel."""
    running, address = demo
    nb = NotebookPage(browser, viewport={"width": 1280, "height": 1400})  # the whole widget in view
    try:
        with no_widget_errors(nb):
            page = nb.page
            page.goto(address.group(1))
            expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=RUN_ALL_MS)
            # the kernel has started (before that, Run All asks which kernel to start)
            kernel_status = page.get_by_role("button", name=re.compile(r"^Python 3 \(ipykernel\) \| Idle$"))
            expect(kernel_status).to_be_visible(timeout=RUN_ALL_MS)
            page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
            page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
            widget = Widget(page).wait_visible()
            widget.expect_counter(0, 3)
            values, grads = chain(0.5)
            widget.expect_values(values)
            widget.step_button.click()
            widget.expect_step(1, grads)
            widget.root.screenshot(path=screenshots / "wheel-demo.png")
        [kernel] = [pid for pid in running.server_pids() if is_kernel(pid)]
        argv = pathlib.Path(f"/proc/{kernel}/cmdline").read_bytes().decode().split("\0")
        assert argv[0] == str(installed["python"]), f"the kernel runs {argv[0]}, not the venv's Python"
    finally:
        nb.close()


def test_ctrl_c_stops_the_server_and_its_kernels(demo):
    """Last in this module: it ends the demo. Ctrl+C reaches the demo's process group, as in a terminal."""
    running, _ = demo
    before = running.server_pids()
    assert before, "the demo's server is not running"
    os.killpg(running.proc.pid, signal.SIGINT)
    assert running.proc.wait(timeout=STOP_TIMEOUT) == 0
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(pathlib.Path(f"/proc/{pid}").exists() for pid in before) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in before if pathlib.Path(f"/proc/{pid}").exists()]
    assert not left, f"still running after Ctrl+C: {left}"
