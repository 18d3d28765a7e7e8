"""`jupyter nbconvert --to gradwidget lesson.ipynb`: a notebook as one HTML page whose gradwidgets work
offline.

The page is nbconvert's lab page (cells, outputs, JupyterLab's light theme) without anything it would
fetch: no require.js, MathJax, mermaid, html-manager or anywidget from a CDN. Each gradwidget's view is
mounted for the page's own script (export.py), which renders it from the notebook's saved widget state;
other widgets show their text. The state is there when the notebook was run with `--execute` (nbclient
stores it) or saved from JupyterLab with widget state saved (Settings > Save Widget State Automatically).

Registered in pyproject.toml under the `nbconvert.exporters` entry points.
"""

import html

from nbconvert.exporters import HTMLExporter
from traitlets import default

from gradwidget.export import (
    ANYWIDGET_IDS,
    PAGE_FORMAT,
    body_scripts,
    head_parts,
    language,
    mount,
    saved_entries,
    with_csp,
)
from gradwidget.export import STATIC as _STATIC

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TEMPLATES = _STATIC.parent / "templates"
# what a gradwidget's text/plain says (its repr), to recognise one saved without its state
_REPRS = tuple(f"<{name} object" for name in sorted(ANYWIDGET_IDS))

_NO_STATE = html.escape(
    "This gradwidget was saved without its state, so there is nothing to show here. Export the notebook "
    "with `jupyter nbconvert --to gradwidget --execute lesson.ipynb`, or save it from JupyterLab with widget "
    "state (Settings \u203a Save Widget State Automatically) after running it."
)


class GradwidgetExporter(HTMLExporter):
    """HTML with gradwidgets that step, play and show their numbers with no kernel and no network."""

    export_from_notebook = "HTML with gradwidgets, offline"

    @default("template_name")
    def _template_name_default(self):
        return "gradwidget"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        return [str(TEMPLATES), *super()._default_extra_template_basedirs()]

    def _preprocess(self, nb, resources):
        # after the preprocessors: --execute stores the widget state it ran into the notebook there
        nb, resources = super()._preprocess(nb, resources)
        saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        entries = saved_entries(saved)
        lang = language(entries.values())

        def view(data):
            """One widget-view output with saved state: a gradwidget's mount, or another widget's text."""
            model_id = str((data.get(WIDGET_VIEW) or {}).get("model_id", ""))
            if model_id in entries:
                return mount(model_id, lang)
            return f"<pre>{html.escape(str(data.get('text/plain', '')))}</pre>"

        # nbconvert shows a view whose state was not saved as its text: for a gradwidget, say instead why it
        # is not there and how to export it with its state
        missing = f'<p class="gradwidget-page-error" role="alert">{_NO_STATE}</p>'
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                view_id = (data.get(WIDGET_VIEW) or {}).get("model_id")
                if view_id not in saved and str(data.get("text/plain", "")).startswith(_REPRS):
                    output["data"] = {"text/html": missing}

        resources["gradwidget"] = {
            "format": PAGE_FORMAT,
            "head": head_parts(with_script=bool(entries)),
            "scripts": body_scripts(entries.values()) if entries else "",
            "view": view,
        }
        return nb, resources

    def from_notebook_node(self, nb, resources=None, **kw):
        output, resources = super().from_notebook_node(nb, resources, **kw)
        return with_csp(output), resources
