"""Launch the demo: the example notebooks in JupyterLab (or the classroom dashboard in Voila) on 127.0.0.1.

    python -m gradwidget.demo              # JupyterLab on 01_backprop_story.ipynb
    python -m gradwidget.demo --voila      # the classroom dashboard, in Voila
    python -m gradwidget.demo --help       # every option, with its default

The examples come with the package (gradwidget/examples/ in a wheel, examples/ in a clone). The servers work
on a copy of them in a folder of your own (./gradwidget-examples unless --dir says otherwise): your edits stay
there, never in the installed package, and a notebook you changed is kept as it is the next time.

JupyterLab keeps its token, and the address printed once the server answers carries it: without one, anyone
who can reach 127.0.0.1 on a shared machine could run code as you. The token travels to the server in its
environment, which only you can read, rather than on its command line, which every user can. Voila needs
none: it runs the dashboard's own code only and refuses code sent from the page.
"""

import argparse
import contextlib
import importlib.util
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# Voila 0.5 never shuts down the kernel of a closed tab (its shutdown request is refused for a missing
# _xsrf argument) and culls nothing by default, so a class would leave dozens of kernels running. Cull a
# kernel once it has had no browser connected and no activity for this long; connected ones are kept.
CULL_IDLE_SECONDS = 30
CULL_INTERVAL_SECONDS = 10

_PACKAGE = pathlib.Path(__file__).resolve().parent
# A wheel carries the notebooks inside the package (pyproject.toml maps examples/ there); a clone, and an
# editable install of it, keeps them beside the package.
EXAMPLES = next(
    (folder for folder in (_PACKAGE / "examples", _PACKAGE.parent / "examples") if folder.is_dir()),
    _PACKAGE / "examples",
)
STORY = "01_backprop_story.ipynb"
DASHBOARD = "02_classroom_dashboard.ipynb"
DEFAULT_DIR = "gradwidget-examples"
DEFAULT_PORT = 8888
READY_TIMEOUT = 120  # seconds; JupyterLab answers in 3-10 s here, far longer means something is wrong
STOP_TIMEOUT = 10  # seconds the server has to shut its kernels down before it is killed

INSTALL_HINT = 'pip install "gradwidget[demo]"  (in a clone of gradwidget: pip install -e ".[demo]")'


def missing_servers(voila):
    """What the demo needs and cannot import, by the names a learner knows."""
    needed = {"jupyter_server": "Jupyter Server"}
    needed |= {"voila": "Voila"} if voila else {"jupyterlab": "JupyterLab"}
    return [name for module, name in needed.items() if importlib.util.find_spec(module) is None]


def free_port(preferred):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_examples(folder):
    """Copy the examples into `folder`, keeping any notebook already there (the learner's, maybe edited).

    Returns the names of the notebooks kept that differ from this version's.
    """
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for source in sorted(EXAMPLES.glob("*.ipynb")):
        target = folder / source.name
        if not target.exists():
            shutil.copyfile(source, target)
        elif target.read_bytes() != source.read_bytes():
            changed.append(source.name)
    return changed


def working_copy(folder):
    """The folder the server works in: `folder` with the examples in it, or, if it cannot be written, a new
    temporary one (said so, since edits there go when the machine cleans its temporary files)."""
    try:
        changed = copy_examples(folder)
    except OSError as error:
        fallback = pathlib.Path(tempfile.mkdtemp(prefix="gradwidget-examples-"))
        print(f"gradwidget demo: cannot write to {folder} ({error.strerror}); using {fallback} instead.")
        print("  Choose a folder of your own with --dir to keep your edits.")
        return fallback, copy_examples(fallback)
    return folder, changed


def command(voila, port, root=EXAMPLES, verbose=True):
    """The server command line, serving `root` on 127.0.0.1:`port` only (and failing rather than moving to
    another port, so the address printed is the server's). JupyterLab's token comes from the environment.
    Not `verbose`: warnings and errors only, so the address stays the last line of the start."""
    # imported here: it needs jupyter_server, which main() checks for first, to say what to install
    from gradwidget.server import CONNECTION_CLASS

    if voila:
        argv = [
            sys.executable, "-m", "voila", str(pathlib.Path(root) / DASHBOARD),
            "--no-browser", f"--port={port}", "--Voila.port_retries=0", "--Voila.ip=127.0.0.1",
            f"--Voila.kernel_websocket_connection_class={CONNECTION_CLASS}",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
            "--MappingKernelManager.cull_connected=False",
        ]  # fmt: skip
    else:
        argv = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
            "--ServerApp.allow_root=True",
            f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}",
        ]  # fmt: skip
    if not verbose:
        argv.append("--Application.log_level=WARN")  # the server's and its extensions' (LabApp's) logs
    return argv


def lab_answers(port, token, timeout=2):
    """Does JupyterLab answer its status request? Only once it has loaded its extensions and serves."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True  # an answer all the same
    except OSError:
        return False


def voila_listens(port, timeout=2):
    """Does Voila accept connections? It listens only as it starts serving; and any request would either
    start a kernel (its dashboard) or log a warning (every other path it has is a file or a kernel's)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until_ready(server, ready):
    """Wait until `ready()` (True), or the server has exited, or READY_TIMEOUT has passed (False)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and server.poll() is None:
        if ready():
            return True
        time.sleep(0.2)
    return False


def stop(server):
    """Shut the server down as Ctrl+C in its own terminal would (its kernels with it), then make sure."""
    if server.poll() is None:
        server.terminate()
    try:
        server.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # a `kill` of the demo stops its server too, through main's cleanup


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m gradwidget.demo",
        description="Open gradwidget's example notebooks in JupyterLab (or the classroom dashboard in Voila) "
        "on 127.0.0.1, from a copy of them you can edit.",
        epilog="Example: python -m gradwidget.demo --voila --port 8866",
    )
    parser.add_argument("--voila", action="store_true", help="serve the classroom dashboard with Voila")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="the port to serve on, or a free one if it is taken (default: %(default)s)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show the server's whole log, not only its warnings and errors"
    )
    parser.add_argument(
        "--dir",
        type=pathlib.Path,
        default=pathlib.Path(DEFAULT_DIR),
        help="the folder that gets a copy of the examples and keeps your edits (default: ./%(default)s)",
    )
    args = parser.parse_args(argv)

    missing = missing_servers(args.voila)
    if missing:
        raise SystemExit(
            f"The demo needs {' and '.join(missing)}, which gradwidget's `demo` extra installs:\n"
            f"    {INSTALL_HINT}"
        )
    if not any(EXAMPLES.glob("*.ipynb")):
        raise SystemExit(
            f"gradwidget's example notebooks are not in {EXAMPLES}: reinstall it: {INSTALL_HINT}"
        )

    root, changed = working_copy(args.dir.expanduser())
    root = root.resolve()
    print(f"gradwidget demo: the examples are in {root}")
    if changed:
        print(f"  kept your own {', '.join(changed)}: delete a notebook there to get this version's again")

    port = free_port(args.port)
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    if args.voila:
        token, url = "", f"{base}/"
    else:
        token = secrets.token_hex(24)
        env["JUPYTER_TOKEN"] = token
        url = f"{base}/lab/tree/{STORY}?token={token}"

    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # no terminal input for the server: Ctrl+C stops it at once rather than asking "Shutdown (y/[n])?"
    argv = command(args.voila, port, root, verbose=args.verbose)
    server = subprocess.Popen(argv, cwd=root, env=env, stdin=subprocess.DEVNULL)
    try:
        ready = (lambda: voila_listens(port)) if args.voila else (lambda: lab_answers(port, token))
        if wait_until_ready(server, ready):
            print(f"\ngradwidget demo: open {url}\n  (Ctrl+C stops the server)\n", flush=True)
        elif server.poll() is None:
            print(f"\ngradwidget demo: the server has not answered after {READY_TIMEOUT} s; try {url}\n")
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl+C while the kernels shut down
            stop(server)
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
