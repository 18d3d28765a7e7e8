"""Issue 11 §4: registering `--to gradwidget` leaves nbconvert's standard `--to html` as it was. Its page
still holds every widget's saved state (the gradwidget's code, its graph and its table of slider positions)
and a view of it where the cell's output was, for the widget manager an online page loads from its CDN.
(This machine cannot reach a CDN, so the online page itself is not opened here; `--to gradwidget` makes one
that needs none, tests/browser/test_offline.py.)
"""

import json
import pathlib
import re
import subprocess
import sys

from nbconvert.exporters import get_exporter
from nbformat import write
from nbformat.v4 import new_code_cell, new_notebook

import gradwidget as gw
from gradwidget.nbexport import GradwidgetExporter

STATE = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S)
VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)


def test_html_is_still_nbconverts_own_and_gradwidget_is_ours():
    assert get_exporter("html").__name__ == "HTMLExporter"
    assert get_exporter("gradwidget") is GradwidgetExporter


def test_to_html_keeps_the_widgets_state_and_its_view(tmp_path):
    source = tmp_path / "lesson.ipynb"
    cell = (
        "import gradwidget as gw\nw = gw.GradWidget(blocks=['square', 'exp', 'square'], x=0.5)\nw.step = 2\nw"
    )
    notebook = new_notebook(
        cells=[new_code_cell(cell)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    write(notebook, source)
    done = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", "--execute", str(source)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    page = source.with_suffix(".html").read_text(encoding="utf-8")
    [state] = [json.loads(s) for s in STATE.findall(page)]
    models = state["state"]
    gradwidgets = {
        k: m for k, m in models.items() if m["model_name"] == "AnyModel" and "tables" in m["state"]
    }
    assert len(gradwidgets) == 1
    [(model_id, model)] = gradwidgets.items()
    saved = model["state"]
    shipped = (pathlib.Path(gw.__file__).parent / "static" / "widget.js").read_text(encoding="utf-8")
    assert saved["_esm"] == shipped  # the widget's whole code travels in the state, nothing to fetch for it
    assert saved["step"] == 2 and saved["blocks"] == ["square", "exp", "square"]
    views = [json.loads(v) for v in VIEW.findall(page)]
    assert [v["model_id"] for v in views] == [model_id]
