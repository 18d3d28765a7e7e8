"""`python -m gradwidget.demo` without a server: what it says, what it copies, the command it runs.

tests/browser/test_wheel.py builds the wheel, installs it in a fresh environment and runs the demo from it.
"""

import os
import subprocess
import sys

import pytest

from gradwidget import demo

EXAMPLE_NAMES = sorted(path.name for path in demo.EXAMPLES.glob("*.ipynb"))


def run_demo(*args, block=()):
    """The demo in a Python of its own, with the modules in `block` made impossible to import."""
    code = (
        "import runpy, sys\n"
        f"for name in {list(block)!r}:\n"
        "    sys.modules[name] = None\n"
        "runpy.run_module('gradwidget.demo', run_name='__main__')\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "JUPYTER_TOKEN"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, env=env
    )


@pytest.mark.parametrize(
    ("block", "args", "named"),
    [
        (["jupyter_server"], [], "Jupyter Server"),
        (["jupyterlab"], [], "JupyterLab"),
        (["voila"], ["--voila"], "Voila"),
    ],
)
def test_without_the_demo_extra_it_says_what_to_install(block, args, named):
    """Not a ModuleNotFoundError for jupyter_server from the import of gradwidget.server: what to install."""
    result = run_demo(*args, block=block)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert f"The demo needs {named}" in result.stderr
    assert 'pip install "gradwidget[demo]"' in result.stderr


def test_help_shows_every_default():
    result = run_demo("--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # argparse wraps to the terminal's width
    assert f"(default: {demo.DEFAULT_PORT})" in text
    assert f"(default: ./{demo.DEFAULT_DIR})" in text
    for option in ("--voila", "--port", "--dir", "--verbose"):
        assert option in text


def test_the_examples_are_copied_and_a_learners_edits_kept(tmp_path):
    folder = tmp_path / "mine"
    assert demo.copy_examples(folder) == []
    assert sorted(path.name for path in folder.glob("*.ipynb")) == EXAMPLE_NAMES
    assert (folder / demo.STORY).read_bytes() == (demo.EXAMPLES / demo.STORY).read_bytes()

    edited = folder / demo.STORY
    edited.write_text('{"cells": [], "my": "edit"}')
    (folder / demo.DASHBOARD).unlink()
    assert demo.copy_examples(folder) == [demo.STORY]  # kept, and reported as differing
    assert edited.read_text() == '{"cells": [], "my": "edit"}'
    assert (folder / demo.DASHBOARD).read_bytes() == (demo.EXAMPLES / demo.DASHBOARD).read_bytes()


def test_a_folder_that_cannot_be_written_falls_back_to_a_temporary_one(tmp_path, capsys):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    root, changed = demo.working_copy(blocker / "examples")  # a folder inside a file: never writable
    try:
        assert root.is_dir() and not root.is_relative_to(tmp_path) and changed == []
        assert sorted(path.name for path in root.glob("*.ipynb")) == EXAMPLE_NAMES
        said = capsys.readouterr().out
        assert f"cannot write to {blocker / 'examples'}" in said and str(root) in said and "--dir" in said
    finally:
        for path in root.iterdir():
            path.unlink()
        root.rmdir()


def test_the_servers_listen_on_loopback_only_on_the_port_given_and_no_token_is_on_the_command_line():
    """A command line is visible to every user of the machine (ps): JupyterLab's token goes in the
    environment. Neither server may move to another port, or the address printed would be wrong."""
    lab = demo.command(False, 8123, "/somewhere")
    assert "--ServerApp.ip=127.0.0.1" in lab and "--port=8123" in lab and "--ServerApp.port_retries=0" in lab
    assert "--ServerApp.root_dir=/somewhere" in lab
    assert not [arg for arg in lab if "token" in arg.lower() or "password" in arg.lower()]
    voila = demo.command(True, 8124, "/somewhere")
    assert "--Voila.ip=127.0.0.1" in voila and "--port=8124" in voila and "--Voila.port_retries=0" in voila
    assert f"/somewhere/{demo.DASHBOARD}" in voila
    assert "--Application.log_level=WARN" in demo.command(False, 8123, verbose=False)
    assert "--Application.log_level=WARN" not in demo.command(False, 8123, verbose=True)
