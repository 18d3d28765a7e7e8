"""Lessons without a kernel: one self-contained HTML page that shows gradwidgets from their saved state.

    w.save_html("lesson.html")                    # one widget (GradWidget, or show(y)'s GraphWidget)
    gradwidget.save_html("lesson.html", w1, w2, title="Backprop, step by step")
    jupyter nbconvert --to gradwidget lesson.ipynb  # a whole notebook with saved widget state (nbexport.py)

The page inlines everything it needs and fetches nothing: the widget's bundle (gradwidget/static/widget.js
and widget.css), the page's own script (static/page.js: a page-side model per widget, so the same render()
runs), and each widget's synced state with its binary buffers, as a notebook's widget state stores them.
Python computed every number on the page; with no kernel the page steps, plays and shows the card, checks and
plots from them, and says that edits need the notebook run.

Everything inlined is made safe for its element: the state is JSON with <, > and & escaped, so a name or an
error holding "</script>" stays text; a Content-Security-Policy lets only the page's own scripts run (by
hash) and the bundle they import from a blob: URL, so even markup that slipped through could neither run nor
fetch anything.
"""

import base64
import hashlib
import html
import json
import pathlib
import re

from ipywidgets.widgets.widget import _remove_buffers

PAGE_FORMAT = 1  # js/page-model.js PAGE_FORMAT: the shape of the saved state below
STATIC = pathlib.Path(__file__).parent / "static"
ANYWIDGET_IDS = {"gradwidget.widget.GradWidget", "gradwidget.widget.GraphWidget"}
# Synced traits of every widget that the page has no use for: the bundle (inlined once for the page) and
# ipywidgets' own layout, which refers to another model
_NOT_SAVED = {"layout", "tabbable", "tooltip", "_dom_classes", "_view_count"}

# The two sentences the page shows before its script runs, in the widgets' language (js/i18n.js has the rest)
_WORDS = {
    "en": {
        "loading": "Loading the widget\u2026",
        "noscript": "This lesson's widgets need JavaScript: turn it on to step through backprop here.",
    },
    "ko": {
        "loading": "위젯을 불러오는 중…",
        "noscript": "이 학습 자료의 위젯은 JavaScript가 필요합니다: "
        "켜면 여기서 역전파를 단계별로 볼 수 있습니다.",
    },
}

PAGE_CSS = """
body { margin: 0; padding: 24px; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.gradwidget-page { max-width: 1100px; margin: 0 auto; }
.gradwidget-mount { margin: 16px 0; }
.gradwidget-page-error {
  padding: 8px 12px; border-left: 4px solid #d32f2f; background: #fdecea; color: #222;
}
"""


class ExportError(ValueError):
    """What cannot be exported, and how to fix it."""


def _bundle(name):
    path = STATIC / name
    if not path.exists():
        raise ExportError(
            f"gradwidget's front end is not built ({path} is missing): run `npm run build` "
            '(or pip install -e ".") first.'
        )
    return path.read_text(encoding="utf-8")


def script_json(value):
    """JSON for a <script> element's text: nothing in it can end the element or start a comment."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as error:  # a NaN or infinity outside the binary columns: no browser could read it
        raise ExportError(f"The widget state holds a number JSON cannot carry ({error}).") from error
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script_module(source):
    """The bundle as the text of a non-running <script> element. `</script` and `<!--` can only appear in its
    string and regular-expression literals, where \\x3C is the same character."""
    return re.sub(r"<(?=/script|!--)", r"\\x3C", source, flags=re.IGNORECASE)


def style_text(css):
    """A stylesheet as a <style> element's text: `</style` can only appear in its strings, where \\/ is /."""
    return re.sub(r"</(?=style)", r"<\\/", css, flags=re.IGNORECASE)


def _is_gradwidget(state):
    return isinstance(state, dict) and state.get("_anywidget_id") in ANYWIDGET_IDS


def _defaults(anywidget_id):
    """Every synced trait's default, for a state saved without them (JupyterLab's "save widget state")."""
    from gradwidget.widget import GradWidget, GraphWidget

    cls = GradWidget if anywidget_id.endswith(".GradWidget") else GraphWidget
    return {
        name: trait.default()
        for name, trait in cls.class_traits(sync=True).items()
        if not name.startswith("_") and name not in _NOT_SAVED
    }


def _page_state(state):
    """What the page needs of a synced state: our traits, with defaults filled in."""
    kept = {k: v for k, v in state.items() if not k.startswith("_") and k not in _NOT_SAVED}
    return {**_defaults(state["_anywidget_id"]), **kept}


def widget_entry(widget):
    """A live widget's entry in the page: its synced state now, buffers base64 as a notebook stores them."""
    from gradwidget.widget import _BackpropWidget

    if not isinstance(widget, _BackpropWidget):
        raise ExportError(
            f"save_html takes gradwidget widgets (GradWidget, or show(y)'s), not {type(widget).__name__}."
        )
    if widget.comm is None:
        raise ExportError("This widget was closed: make it again (or export it before w.close()).")
    full = widget.get_state()
    state, paths, buffers = _remove_buffers(_page_state(full))
    return {
        "id": widget.model_id,
        "state": json.loads(json.dumps(state)),  # plain JSON values, as a notebook would hold them
        "buffers": [
            {"path": path, "data": base64.b64encode(bytes(buffer)).decode("ascii")}
            for path, buffer in zip(paths, buffers)
        ],
    }


def saved_entries(notebook_state):
    """gradwidget entries from a notebook's saved widget state (its metadata.widgets[...].state)."""
    entries = {}
    for model_id, model in (notebook_state or {}).items():
        state = model.get("state") if isinstance(model, dict) else None
        if not _is_gradwidget(state):
            continue
        buffers = [
            {"path": b.get("path"), "data": b.get("data")}
            for b in model.get("buffers") or []
            if isinstance(b, dict) and b.get("encoding", "base64") == "base64"
        ]
        entries[model_id] = {"id": model_id, "state": _page_state(state), "buffers": buffers}
    return entries


def language(entries):
    """The page's language: the first widget's."""
    for entry in entries:
        lang = entry["state"].get("lang")
        if lang in _WORDS:
            return lang
    return "en"


def mount(model_id, lang="en"):
    """Where one widget goes in the page, with what it says before the page's script runs."""
    words = _WORDS.get(lang, _WORDS["en"])
    return (
        f'<div class="gradwidget-mount" data-model-id="{html.escape(model_id, quote=True)}">'
        f'<p class="gradwidget-loading">{html.escape(words["loading"])}</p>'
        f"<noscript><p>{html.escape(words['noscript'])}</p></noscript></div>"
    )


def head_parts(with_script=True):
    """The styles and the page's script, for the page's <head>: the script runs first and waits for the
    page, so that even a page cut short says what is missing."""
    styles = f"<style>{PAGE_CSS}</style>\n<style>{style_text(_bundle('widget.css'))}</style>"
    return f"{styles}\n<script>{script_module(_bundle('page.js'))}</script>" if with_script else styles


def body_scripts(entries):
    """The saved state and the widget's bundle, as the last things in the page's body."""
    state = {"format": PAGE_FORMAT, "widgets": list(entries)}
    return (
        f'<script type="application/json" id="gradwidget-state">{script_json(state)}</script>\n'
        f'<script type="text/plain" id="gradwidget-module">{script_module(_bundle("widget.js"))}</script>'
    )


_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script", re.IGNORECASE | re.DOTALL)
_RUNS = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.IGNORECASE)
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}


def with_csp(page):
    """Insert a Content-Security-Policy that lets only the page's own inline scripts run (each by its hash)
    and the bundle they import from a blob: URL, and that fetches nothing from anywhere."""
    hashes = []
    for match in _SCRIPT.finditer(page):
        if "src=" in match["attrs"].lower():
            continue
        kind = _RUNS.search(match["attrs"])
        if (kind["type"].lower() if kind else "") not in _EXECUTABLE:
            continue
        digest = base64.b64encode(hashlib.sha256(match["body"].encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    policy = (
        f"default-src 'none'; script-src {' '.join(dict.fromkeys(hashes))} blob:; style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'"
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = re.search(r"<head[^>]*>", page, re.IGNORECASE)
    if head is None:
        raise ExportError("the page has no <head> to hold its security policy")
    return page[: head.end()] + meta + page[head.end() :]


def page_html(entries, title=None):
    """The whole page for these widget entries (widget_entry or saved_entries), in their order."""
    entries = list(entries)
    lang = language(entries)
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    mounts = "\n".join(mount(entry["id"], lang) for entry in entries)
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title or 'gradwidget')}</title>\n{head_parts()}\n</head>\n"
        f'<body>\n<main class="gradwidget-page">\n{heading}\n{mounts}\n</main>\n{body_scripts(entries)}\n'
        "</body>\n</html>\n"
    )
    return with_csp(page)


def save_html(path, *widgets, title=None):
    """Write one self-contained HTML page holding these widgets, as they are now; return its path.

    The page needs no kernel and fetches nothing: open it from disk or put it on a course site. Step, Play,
    the card, the checks and the plots work from the numbers Python computed; editing the blocks or code
    needs the notebook run again.
    """
    if not widgets:
        raise ExportError("save_html needs at least one widget: gradwidget.save_html('lesson.html', w).")
    if title is not None and not isinstance(title, str):
        raise ExportError(f"title must be text, not {type(title).__name__}.")
    path = pathlib.Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ExportError(f"save_html writes an HTML page: give a path ending in .html, not {str(path)!r}.")
    seen, entries = set(), []
    for widget in widgets:
        entry = widget_entry(widget)
        if entry["id"] not in seen:  # a widget given twice is shown once
            seen.add(entry["id"])
            entries.append(entry)
    path.write_text(page_html(entries, title), encoding="utf-8")
    return path
