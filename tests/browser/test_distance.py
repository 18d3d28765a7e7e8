"""Issue 11's "done when" in a real JupyterLab 150 ms of round trip away from its kernel (a delay proxy on
127.0.0.1, as a hub, Binder or Colab would be): every move of the x slider paints the right Python numbers
at once, in the same task as the input event, long before any answer from the kernel could arrive; once the
answers are in, the kernel's Variables are at the last x and the page shows their numbers.

Screenshot: tests/browser/screenshots/distance-150ms.png.
"""

import contextlib
import math

import pytest
from delay_proxy import DelayProxy, Through
from gw_page import WAIT_MS, Widget, chain, copy_notebook, kernel_eval, open_and_run_all, parse_shown
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RTT_MS = 150

# Move the slider to each x and read every variable's shown value and grad in the same task (no await, so no
# message from the kernel can be handled in between): what the page shows there comes from Python's table.
SWEEP_JS = """
(xs) => {
  const root = document.querySelector(".gradwidget");
  const input = root.querySelector('input[type="range"]');
  return xs.map((x) => {
    input.value = String(x);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    const nodes = {};
    for (const g of root.querySelectorAll('g[data-kind="variable"]'))
      nodes[g.dataset.nodeId] = [g.dataset.value, g.dataset.gradValue];
    return {x: Number(input.value), nodes};
  });
}
"""


def sweep_against_numpy(page, xs):
    """About 60 moves over the table's grid `xs`, each painted in its input event's own task (SWEEP_JS);
    every node's value and grad checked against numpy's chain rule at that x, not the widget's. The sweep."""
    sweep = xs[:: max(1, len(xs) // 60)] + [xs[-1]]
    shown = page.evaluate(SWEEP_JS, sweep)
    for x, at in zip(sweep, shown):
        assert at["x"] == x
        values, grads = chain(x)
        for node_id, expected in values.items():
            value, grad = at["nodes"][node_id]
            assert math.isclose(parse_shown(value), float(expected), rel_tol=1e-3, abs_tol=1e-12), (
                x,
                node_id,
                value,
            )
            assert math.isclose(float(grad), float(grads[node_id]), rel_tol=1e-12), (x, node_id, grad)
    return sweep


@contextlib.contextmanager
def opened_far_away(page, lab_server, path):
    """`path` opened in JupyterLab through a delay proxy RTT_MS of round trip away and every cell run: the
    widget, drawn and live. On leaving, the page must have reached JupyterLab through the proxy."""
    with DelayProxy(lab_server.port, rtt_ms=RTT_MS) as proxy:
        open_and_run_all(page, Through(lab_server, proxy), path, app="lab")
        widget = Widget(page).wait_visible()
        expect(widget.root).to_have_attribute("data-kernel", "live", timeout=WAIT_MS)
        yield widget
        assert proxy.connections > 0, "the page reached JupyterLab through the proxy"


def sweep_then_rest(page, widget, kernel_x):
    """Every grad shown, then the sweep (sweep_against_numpy over w's table), then the kernel left to follow
    the hand (coalesced: each answer lets the newest waiting move go) until it is at rest at the last x, read
    in the kernel as `kernel_x`, with every step still taken. Returns that last x."""
    assert kernel_eval(page, "w.step", code="w.run_all()") == 3  # every grad shown: each move paints them
    widget.expect_counter(3, 3)
    xs = kernel_eval(page, "[float(v) for v in w.tables[0]['xs']]")
    assert len(xs) >= 201
    last = sweep_against_numpy(page, xs)[-1]
    for _ in range(100):
        if kernel_eval(page, kernel_x) == last:
            break
    assert kernel_eval(page, f"[{kernel_x}, w.step]") == [last, 3]
    return last


def test_a_kernel_150_ms_away_every_slider_move_paints_pythons_numbers_at_once(page, lab_server, screenshots):
    path = copy_notebook(lab_server, "01_backprop_story.ipynb", "lab-distance.ipynb")
    with opened_far_away(page, lab_server, path) as widget:
        last = sweep_then_rest(page, widget, "w.x")
        # at rest the kernel agrees with the page
        values, grads = chain(last)
        assert math.isclose(kernel_eval(page, "float(w.input.grad)"), float(grads["v0"]), rel_tol=1e-12)
        widget.expect_values(values)
        widget.expect_step(3, grads)
        widget.screenshot(screenshots / "distance-150ms.png")
