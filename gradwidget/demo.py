"""Launch the demo: the example notebooks in JupyterLab (or the dashboard in Voila) on 127.0.0.1.

python -m gradwidget.demo              # JupyterLab on examples/01_backprop_story.ipynb
python -m gradwidget.demo --voila      # the classroom dashboard, in Voila
"""

import argparse
import pathlib
import socket
import subprocess
import sys

from gradwidget.server import CONNECTION_CLASS

# Voila 0.5 never shuts down the kernel of a closed tab (its shutdown request is refused for a missing
# _xsrf argument) and culls nothing by default, so a class would leave dozens of kernels running. Cull a
# kernel once it has had no browser connected and no activity for this long; connected ones are kept.
CULL_IDLE_SECONDS = 30
CULL_INTERVAL_SECONDS = 10

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def free_port(preferred):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(voila, port):
    """The server command line, without a token: it listens on 127.0.0.1 only, for this machine's user."""
    if voila:
        return [
            sys.executable, "-m", "voila", str(EXAMPLES / "02_classroom_dashboard.ipynb"),
            "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            f"--Voila.kernel_websocket_connection_class={CONNECTION_CLASS}",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
            "--MappingKernelManager.cull_connected=False",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--port={port}", "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={EXAMPLES}", "--ServerApp.allow_root=True",
        f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}",
    ]  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description="Open gradwidget's examples on 127.0.0.1.")
    parser.add_argument("--voila", action="store_true", help="serve the classroom dashboard with Voila")
    parser.add_argument("--port", type=int, default=8888)
    args = parser.parse_args(argv)
    if not EXAMPLES.is_dir():
        raise SystemExit(
            f"The examples folder is not at {EXAMPLES}: run the demo from a clone of gradwidget."
        )
    port = free_port(args.port)
    if args.voila:
        url = f"http://127.0.0.1:{port}/"
    else:
        url = f"http://127.0.0.1:{port}/lab/tree/01_backprop_story.ipynb"
    print(f"gradwidget demo: open {url}  (Ctrl+C stops it)", flush=True)
    try:
        return subprocess.call(command(args.voila, port))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
