"""One notebook, many widgets: open an example once per test module and find each cell's widget.

The issue tests (any graph, explain every step, security, saved state) drive notebooks with several widgets.
Each module opens its notebook once (one kernel, one run of every cell) in a page of its own, and each test
takes the widget of one cell: cells are marked `data-gw-cell="<index>"` after the run, so a widget is found
by the index of the cell that made it, whatever else the notebook shows.

Errors the widget raises in the page fail the test that was running when they came, as conftest's `page`
fixture does for a page of its own.
"""

import contextlib
import json
import re

import pytest
from gw_page import RUN_ALL_MS, WAIT_MS, Widget, copy_notebook, open_and_run_all, set_range, wait_for_number
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


def example_fixtures(example, name):
    """The two fixtures of a module that drives one example in JupyterLab: `nb`, the example copied to
    `name` (a kernel session of its own), opened and run once for the module, and `page`, its page for each
    test, failing the test the widget raised in. Use as `nb, page = example_fixtures(EXAMPLE, "lab-x.ipynb")`.
    """

    @pytest.fixture(scope="module")
    def nb(browser, lab_server):
        path = copy_notebook(lab_server, example, name)
        notebook = open_notebook(browser, lab_server, path)
        yield notebook
        lab_server.remember_processes()  # this module's kernel, for the session's final cleanup
        notebook.close()

    @pytest.fixture
    def page(nb):
        with no_widget_errors(nb):
            yield nb.page

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
    "example_fixtures",
    "latin_words",
    "mark_cells",
    "no_widget_errors",
    "open_notebook",
    "set_range",
    "visible_texts",
    "wait_number",
]
