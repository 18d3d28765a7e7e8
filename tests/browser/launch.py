"""Start real Jupyter servers outside pytest: JupyterLab or Voila, with or without TCP_NODELAY, with culling.

The one server launcher: conftest.py's session servers and test_saved_state.py's JupyterLab build on
ServerProcess, and bench/latency.py, bench/classroom_load.py and test_classroom.py use it directly. Each
server: 127.0.0.1, a free port, no token, its own config/runtime/settings/workspace directories, a process
group of its own; stopped by SIGTERM to the group (the server shuts its kernels down), then SIGKILL for the
group and, by id, for every process ever seen under it (kernels run in a session of their own).

Errors are plain RuntimeErrors (ServerExited when the process died before listening), so a script can use
this as well as a test; conftest.py turns them into pytest failures with the install hint.
"""

import contextlib
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
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
NODELAY_CLASS = "gradwidget.server.NoDelayWebsocketConnection"
START_TIMEOUT = 90  # seconds; 2-4 s is usual, several servers booting at once on 2 cores take longer


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid):
    """Direct children of pid, from /proc (Linux)."""
    found = []
    for entry in pathlib.Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            # the command name (field 2) may hold spaces and parentheses: split after its closing paren
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def descendants(pid):
    pending, found = [pid], []
    while pending:
        kids = children(pending.pop())
        found.extend(kids)
        pending.extend(kids)
    return found


def rss_bytes(pid):
    """Resident memory of one process (VmRSS), 0 if it is gone."""
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def pss_bytes(pid):
    """Proportional set size: resident memory with each shared page split among the processes sharing it.
    30 kernels share numpy's and Python's pages; their RSS counts those 30 times, their PSS once."""
    try:
        for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    """User + system CPU time a process has used so far, 0 if it is gone."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def is_kernel(pid):
    try:
        cmdline = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(b"ipykernel" in part for part in cmdline)


# --- command lines ----------------------------------------------------------------------------------------


def jupyter_command(app, port, root, nodelay=False):
    """JupyterLab (app="lab") or Notebook 7 (app="notebook") on root, window.jupyterapp exposed (to run
    cells from the page), optionally TCP_NODELAY."""
    command = [
        sys.executable, "-m", "jupyter", app, "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
        "--ServerApp.password=", "--ServerApp.allow_root=True", f"--ServerApp.root_dir={root}",
        "--expose-app-in-browser",
    ]  # fmt: skip
    if nodelay:
        command.append(f"--ServerApp.kernel_websocket_connection_class={NODELAY_CLASS}")
    return command


def lab_command(port, root, nodelay):
    return jupyter_command("lab", port, root, nodelay)


def voila_command(port, notebook, nodelay):
    """Voila on one notebook, optionally TCP_NODELAY; no culling (see classroom_command for that)."""
    command = [
        sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
    ]  # fmt: skip
    if nodelay:
        command.append(f"--Voila.kernel_websocket_connection_class={NODELAY_CLASS}")
    return command


def classroom_command(port, nodelay=True):
    """What `python -m gradwidget.demo --voila` runs (the dashboard, culling on, the port asked for or
    failure) on `port`, serving examples/ itself and logging everything; nodelay=False drops the connection
    class, to measure what it buys."""
    from gradwidget.demo import command

    argv = command(True, port, verbose=True)
    if not nodelay:
        argv = [arg for arg in argv if "kernel_websocket_connection_class" not in arg]
    return argv


# --- a server process -------------------------------------------------------------------------------------


class ServerExited(RuntimeError):
    """The server process ended before it listened (a broken install, most often, rather than a slow boot)."""


class ServerProcess:
    """One server process with its own directories under `home` and its log in home/server.log.

    `command` is a function of the port. `url` is the base address once started.
    """

    def __init__(self, name, home, command, cwd=None):
        self.name = name
        self.home = pathlib.Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv = command(self.port)
        self.cwd = cwd or self.home
        self.log_path = self.home / "server.log"
        self.proc = None
        self._log = None
        self._seen = set()

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

    def start(self):
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        try:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env(),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            raise RuntimeError(f"could not start {self.name} ({' '.join(self.argv)}): {error}") from error
        return self

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerExited(
                    f"the {self.name} server exited with code {self.proc.returncode} before listening.\n"
                    f"Log ({self.log_path}):\n{self.log_tail()}"
                )
            with socket.socket() as sock:
                sock.settimeout(0.5)
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"the {self.name} server did not listen on {self.url} within {timeout} s.\n"
                           f"Log:\n{self.log_tail()}")  # fmt: skip

    def processes(self):
        """The server's process ids now: itself first, then everything under it (kernels)."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        found = descendants(self.proc.pid)
        self._seen.update(found)
        return [self.proc.pid, *found]

    def kernel_pids(self):
        return [pid for pid in self.processes()[1:] if is_kernel(pid)]

    def memory(self, measure=rss_bytes):
        """(server, [each kernel]) in bytes: RSS, or pass measure=pss_bytes."""
        pids = self.processes()
        if not pids:
            return 0, []
        return measure(pids[0]), [measure(pid) for pid in pids[1:] if is_kernel(pid)]

    def cpu(self):
        """(server CPU seconds, {kernel pid: CPU seconds}) used so far."""
        pids = self.processes()
        if not pids:
            return 0.0, {}
        return cpu_seconds(pids[0]), {pid: cpu_seconds(pid) for pid in pids[1:] if is_kernel(pid)}

    def stop(self):
        if self.proc is None:
            return
        self.processes()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        for pid in self._seen:  # kernels live in their own session: end any left, by id
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def launch_chromium(playwright):
    """Debian's Chromium, with the flags known to work on these machines."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(
            f"Chromium is not at {CHROMIUM}: apt-get install -y chromium (or set GRADWIDGET_CHROMIUM)"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def machine_summary():
    """Cores, load average and Python: the context every benchmark figure needs on a shared machine."""
    one, five, fifteen = os.getloadavg()
    return (
        f"{os.cpu_count()} cores, load average {one:.2f} {five:.2f} {fifteen:.2f}, "
        f"Python {sys.version.split()[0]}"
    )
