"""One notebook, many widgets: open a notebook once per test module and find each cell's widget.

Most JupyterLab tests (any graph, explain every step, the front, Korean, second order, security, tensors,
saved state) drive a notebook with several widgets: an example, or cells the module writes. Each module
opens its notebook once (one kernel, one run of every cell) in a page of its own,
`nb, page = notebook_fixtures(...)`, and each test takes the widget of one cell: cells are marked
`data-gw-cell="<index>"` after the run, so a widget is found by the index of the cell that made it, whatever
else the notebook shows.

Errors the widget raises in the page fail the test that was running when they came, as conftest's `page`
fixture does for a page of its own.
"""

import contextlib
import json
import re

import pytest
from gw_page import RUN_ALL_MS, WAIT_MS, Widget, copy_notebook, open_and_run_all, set_range, wait_for_number
from notebooks import write_notebook
from playwright.sync_api import Error as PlaywrightError

# Tall enough that a whole widget (graph, card, plots, code, palette) fits in JupyterLab's notebook area,
# so a screenshot shows it as a learner scrolled to it sees it.
VIEWPORT = {"width": 1280, "height": 1900}


class NotebookPage:
    """A browser context and page with one notebook open, and the errors the page reported. `scale` is the
    device pixel ratio (1.5: a 1920x1080 screen at 150%, 1280x720 CSS pixels)."""

    def __init__(self, browser, viewport=VIEWPORT, scale=1):
        self.context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        self.context.set_default_timeout(WAIT_MS)
        self.page = self.context.new_page()
        self.messages = []
        self.dialogs = []
        self.requests = []  # every URL the page asked for
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.messages.append(f"pageerror: {e.stack or e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _console(self, message):
        if message.type == "error":
            self.messages.append(f"console.error: {message.text} ({message.location.get('url', '')})")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        with contextlib.suppress(PlaywrightError):
            dialog.dismiss()

    def ours(self, since=0):
        """Errors from the widget's code (anywidget loads it from a blob: URL) or naming it."""
        return [m for m in self.messages[since:] if any(w in m for w in ("blob:", "gradwidget", "anywidget"))]

    def close(self):
        with contextlib.suppress(PlaywrightError):
            self.context.close()


def open_notebook(browser, server, path, app="lab", viewport=VIEWPORT, scale=1):
    """Open `path` and run every cell; mark each cell with its index."""
    nb = NotebookPage(browser, viewport, scale)
    try:
        open_and_run_all(nb.page, server, path, app=app)
        mark_cells(nb.page)
    except BaseException:
        nb.close()
        raise
    return nb


@contextlib.contextmanager
def no_widget_errors(nb):
    """Fail the test if the widget raised in the page while it ran."""
    start = len(nb.messages)
    yield
    ours = nb.ours(start)
    if ours:
        pytest.fail("the widget raised in the page:\n" + "\n".join(ours))


def module_notebook(name, cells=None, *, example=None, viewport=VIEWPORT, scale=1, prepare=None):
    """A module-scoped fixture: the notebook `name` in the session's JupyterLab (a kernel session of its
    own), written from `cells` (code cells, notebooks.write_notebook) or copied from the example `example`,
    opened in a page of its own at `viewport` and `scale` and run once for the module; `prepare(nb)`, if
    given, then readies it for the module's tests. Use as `nb = module_notebook("lab-x.ipynb", CELLS)`: the
    fixture takes the name it is assigned to (pytest names a module's fixtures by attribute).
    """
    if (cells is None) == (example is None):
        raise TypeError(
            f"module_notebook({name!r}): give either the notebook's cells or example=, exactly one"
        )

    @pytest.fixture(scope="module")
    def nb(browser, lab_server):
        if example is None:
            write_notebook(lab_server.root / name, cells)
        else:
            copy_notebook(lab_server, example, name)
        notebook = open_notebook(browser, lab_server, name, viewport=viewport, scale=scale)
        try:
            if prepare is not None:
                prepare(notebook)
            yield notebook
        finally:
            lab_server.remember_processes()  # this module's kernel, for the session's final cleanup
            notebook.close()

    return nb


def notebook_fixtures(name, cells=None, *, example=None, viewport=VIEWPORT, after_each=None):
    """The two fixtures of a module that drives one notebook in JupyterLab: `nb`, the module_notebook of
    `name` (from `cells` or `example`, at `viewport`), and `page`, its page for each test, failing the test
    the widget raised in, then calling `after_each(nb)` if given (a module's own check after every test).
    Use as `nb, page = notebook_fixtures("lab-x.ipynb", CELLS)` or `(..., example=EXAMPLE)`.
    """
    nb = module_notebook(name, cells, example=example, viewport=viewport)

    @pytest.fixture
    def page(nb):
        with no_widget_errors(nb):
            yield nb.page
        if after_each is not None:
            after_each(nb)

    return nb, page


def mark_cells(page):
    page.evaluate(
        """() => window.__gwPanel.content.widgets.forEach(
            (cell, i) => cell.node.setAttribute("data-gw-cell", String(i)))"""
    )


def cell(page, index):
    return page.locator(f'[data-gw-cell="{index}"]')


def cell_widget(page, index):
    """The widget in cell `index` (0-based, markdown cells count), drawn and scrolled into view."""
    return Widget(page, cell(page, index).locator(".gradwidget")).wait_visible()


def wait_number(root, selector, attribute, expected, rel=1e-9, absolute=1e-12):
    """Wait until `selector` (inside `root`) has `attribute` within rel of `expected`, read as a number."""
    try:
        wait_for_number(root, selector, attribute, expected, rel, absolute)
    except PlaywrightError:
        found = root.locator(selector)
        actual = found.first.get_attribute(attribute, timeout=1000) if found.count() else "(no element)"
        raise AssertionError(
            f"{selector} {attribute} = {actual!r}, expected about {float(expected)!r} (rel {rel})"
        ) from None


def visible_texts(root):
    """Every text the widget shows right now (text nodes of rendered, non-hidden elements), and every
    accessible name or tooltip it sets (aria-label, title, placeholder), each with where it was found."""
    return root.evaluate(
        """(root) => {
            const found = [];
            const shown = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
                && !el.closest(".gw-sr-only");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                const text = n.textContent.trim();
                if (text && el && el.tagName !== "title" && shown(el)) found.push([text, el.tagName]);
            }
            for (const el of root.querySelectorAll("[aria-label], [title], [placeholder]")) {
                for (const name of ["aria-label", "title", "placeholder"]) {
                    const v = el.getAttribute(name);
                    if (v) found.push([v, `${el.tagName}[${name}]`]);
                }
            }
            for (const t of root.querySelectorAll("title")) found.push([t.textContent, "svg title"]);
            for (const el of root.querySelectorAll(".gw-sr-only, [aria-live]")) {
                if (el.textContent.trim()) found.push([el.textContent.trim(), "screen reader text"]);
            }
            return found;
        }"""
    )


def latin_words(text):
    return re.findall(r"[A-Za-z_][A-Za-z_']+", text)


def dump(value):
    return json.dumps(value, ensure_ascii=False, indent=1)


__all__ = [
    "RUN_ALL_MS",
    "NotebookPage",
    "cell",
    "cell_widget",
    "dump",
    "latin_words",
    "mark_cells",
    "module_notebook",
    "no_widget_errors",
    "notebook_fixtures",
    "open_notebook",
    "set_range",
    "visible_texts",
    "wait_number",
]
