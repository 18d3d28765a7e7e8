"""The keys move a focused slider along its grid, the same in every front end, and the kernel follows: an
arrow one grid step, Page Up / Page Down a tenth of the range, Home and End the ends. Before, JupyterLab's
notebook shortcuts swallowed the arrows (nothing moved), and in Voila → moved 0.001 (500 presses for 0.5).

In a real JupyterLab (the kernel asked where w.x is) and a real Voila (the kernel's own messages read off the
page's websocket, since a dashboard runs no code from the page).
"""

import json

import numpy as np
import pytest
from gw_page import WAIT_MS, Widget, copy_notebook, kernel_eval, open_and_run_all, open_voila, parse_shown
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
from playwright.sync_api import expect
from widget_client import numbers_xy, with_buffers

pytestmark = pytest.mark.browser


def presses(widget, steps):
    """Press each key on the focused slider; after each, the slider, its readout and the graph's x show the
    expected x (painted from the table at once)."""
    widget.slider.focus()
    for key, expected in steps:
        widget.page.keyboard.press(key)
        expect(widget.slider).to_have_value(str(expected), timeout=WAIT_MS)
        shown = widget.root.locator(".gw-x-value").text_content()
        assert parse_shown(shown) == pytest.approx(expected, abs=5e-4), (key, shown)
        widget.wait_number("v0", "data-value", expected, rel=1e-3)
    expect(widget.slider).to_be_focused()  # the keys stayed the slider's: nothing else took them


def kernel_until(page, expression, expected):
    """Ask the kernel until `expression` is `expected` (a coalesced move may still be on its way), bounded."""
    for _ in range(WAIT_MS // 100):
        if kernel_eval(page, expression) == expected:
            return True
        page.wait_for_timeout(100)
    return False


def test_keys_move_x_along_the_grid_in_jupyterlab_and_the_kernel_follows(page, lab_server, screenshots):
    path = copy_notebook(lab_server, "01_backprop_story.ipynb", "keys-story.ipynb")
    open_and_run_all(page, lab_server, path, "lab")
    widget = Widget(page).wait_visible()
    x_min, x_max, x, step, steps = kernel_eval(page, "[w.x_min, w.x_max, w.x, w.tables[0]['step'], w.step]")
    assert (x_min, x_max, x, step) == (-2.0, 2.0, 0.5, 0.02)
    presses(
        widget,
        [
            ("ArrowRight", 0.52),
            ("ArrowRight", 0.54),
            ("ArrowLeft", 0.52),
            ("ArrowUp", 0.54),
            ("ArrowDown", 0.52),
            ("PageUp", 0.92),
            ("PageDown", 0.52),
            ("End", 2),
            ("Home", -2),
        ],
    )
    # the page painted each press from the table; the kernel follows, its last value coalesced
    assert kernel_until(page, "[w.x, w.step]", [-2.0, steps]), "the kernel followed; the keys stepped nothing"
    widget.slider.focus()
    for _ in range(25):  # from -2 to -1.5, one grid step each (the browser's own step was 0.001)
        page.keyboard.press("ArrowRight")
    expect(widget.slider).to_have_value("-1.5")
    widget.wait_number("v0", "data-value", -1.5, rel=1e-3)
    assert kernel_until(page, "[w.x, float(w.output.data)]", [-1.5, float(np.exp(2.25) ** 2)])
    widget.root.screenshot(path=screenshots / "lab-slider-keys.png")


class KernelAnswers:
    """The x of every set of numbers the kernel sends the widget, read off the page's kernel websocket (Voila
    runs no code for the page, so the kernel cannot be asked)."""

    def __init__(self, page):
        self.xs = []
        self.graph = None
        page.on("websocket", self._socket)

    def _socket(self, ws):
        if "/channels" in ws.url:
            ws.on("framereceived", self._frame)

    def _frame(self, payload):
        if isinstance(payload, str):
            return
        try:  # [header, parent header, metadata, content, buffers...], as widget_client reads them
            _, parts = deserialize_msg_from_ws_v1(payload)
            header, content = json.loads(parts[0]), json.loads(parts[3])
        except Exception:  # noqa: BLE001 - a frame that is not a kernel message
            return
        if header.get("msg_type") not in ("comm_msg", "comm_open"):
            return
        data = content.get("data", {})
        if data.get("method") == "update_states":  # Voila's first message: every widget's whole state
            for model in data.get("states", {}).values():
                self.graph = model.get("state", {}).get("graph") or self.graph
            return
        state = data.get("state", {})
        if "numbers" not in state:
            return
        with_buffers(state, data.get("buffer_paths", []), parts[4:])
        self.graph = state.get("graph") or self.graph
        if self.graph:
            self.xs.append(numbers_xy(state["numbers"], self.graph)[0])

    def wait_for(self, page, x):
        page.wait_for_function("() => true")  # let the page's event loop deliver frames
        for _ in range(WAIT_MS // 100):
            if self.xs and self.xs[-1] == x:
                return
            page.wait_for_timeout(100)
        last = self.xs[-1] if self.xs else None
        raise AssertionError(f"the kernel's last numbers are for x = {last}, not {x}")


def test_keys_move_x_along_the_grid_in_voila_and_the_kernel_follows(page, voila_server, screenshots):
    answers = KernelAnswers(page)
    open_voila(page, voila_server)
    widget = Widget(page).wait_visible()
    assert float(widget.slider.get_attribute("data-grid-step")) == 0.01  # [-1.5, 1.5]: 301 positions
    presses(
        widget,
        [("ArrowRight", 0.51), ("ArrowRight", 0.52), ("ArrowLeft", 0.51), ("PageUp", 0.81), ("End", 1.5)],
    )
    answers.wait_for(page, 1.5)
    widget.slider.focus()
    page.keyboard.press("Home")
    for _ in range(50):  # from -1.5 to -1, one grid step each (before: 0.001 a press, 500 presses)
        page.keyboard.press("ArrowRight")
    expect(widget.slider).to_have_value("-1")
    answers.wait_for(page, -1.0)
    assert {0.51, 0.81, 1.5} <= set(answers.xs), "the kernel answered the keys' moves"
    widget.root.screenshot(path=screenshots / "voila-slider-keys.png")
