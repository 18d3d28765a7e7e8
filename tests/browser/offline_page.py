"""Open an exported gradwidget page as a reader would: from file://, in a folder of its own, with no network.

Every request that is not file:, data: or blob: is aborted and counted (`NetworkBlocked.blocked`); a page that
works offline asks for none. The page's own script marks <html data-gradwidget="ready"> once every widget is
drawn ("failed" once it has said why one cannot be).
"""

import math
import shutil

import numpy as np
from playwright.sync_api import expect

LOCAL = ("file:", "data:", "blob:")
READY_MS = 20_000


class NetworkBlocked:
    """Aborts every request to the network on a page and remembers each one."""

    def __init__(self, page):
        self.blocked = []
        page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


def open_offline(page, html_path, folder, wait=True):
    """Copy the page into `folder` alone, open it from file:// with the network blocked; wait for its script
    (a page with no gradwidget state has none)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / html_path.name
    shutil.copy(html_path, target)
    network = NetworkBlocked(page)
    page.goto(target.as_uri())
    if wait:
        page.wait_for_function("() => document.documentElement.dataset.gradwidget", timeout=READY_MS)
    return network


def page_status(page):
    return page.evaluate("() => document.documentElement.dataset.gradwidget")


def fresh_engine(blocks, x):
    """The grads a fresh gradwidget engine computes for a stack at x, by node id (v0 = x, ..., vN = y)."""
    from gradwidget import GradWidget

    w = GradWidget(blocks=blocks, x=x)
    w.run_all()
    values = {f"v{i}": float(v.data) for i, v in enumerate(w.variables)}
    grads = {f"v{i}": float(v.grad) for i, v in enumerate(w.variables)}
    w.close()
    return values, grads


def expect_edits_disabled(widget, *, stack=True):
    """What needs Python is disabled, with the line that says why; stepping stays enabled."""
    root = widget.root
    expect(root).to_have_attribute("data-kernel", "offline")
    note = root.locator(".gw-kernel-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("run it")
    expect(root.locator("select.gw-eps")).to_be_disabled()
    if stack:
        expect(root.get_by_role("button", name="Add sin", exact=True)).to_be_disabled()
        expect(root.get_by_role("textbox", name="Code")).to_be_disabled()
        expect(root.get_by_role("button", name="Remove block 1 (square)", exact=True)).to_be_disabled()


def expect_close(actual, expected, rel=1e-9):
    assert math.isclose(float(actual), float(expected), rel_tol=rel, abs_tol=1e-12), (actual, expected)


def as_float(value):
    return float(np.asarray(value).reshape(()))
