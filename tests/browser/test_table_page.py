"""A slider's move paints from its table at once, in the same task as the input event, with the kernel's
answers held back (a kernel far away, or gone); at every grid position the page shows what a fresh engine run
there gives; when the answers arrive, the kernel's Variables are at the last x and agree with the page.

On the stand-in page (standin.py): the shipped bundle, a real Python widget, no Jupyter.
"""

import math

import numpy as np
import pytest
from gw_page import parse_shown
from playwright.sync_api import expect
from standin import StandIn

import gradwidget as gw
from gradwidget import GradWidget, Variable, show
from gradwidget.functions import BLOCKS
from tests.stacks import Root

pytestmark = pytest.mark.browser

# Move the slider to each x and read, in the same task (no await: no answer from Python can come in between),
# everything the page shows that depends on x: each variable's value and grad, the plot's point and slope, the
# card's text lines, the gradient check's rows, the eps curve's points, and any error on a node.
SWEEP_JS = """
({xs, slider}) => {
  const root = document.querySelector(".gradwidget");
  const input = root.querySelectorAll('input[type="range"]')[slider];
  return xs.map((x) => {
    input.value = String(x);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    const nodes = {};
    for (const g of root.querySelectorAll('g[data-kind="variable"]'))
      nodes[g.dataset.nodeId] = [g.dataset.value, g.dataset.gradValue];
    const errors = {};
    for (const g of root.querySelectorAll('g[data-kind="function"][data-error]'))
      errors[g.dataset.nodeId] = g.dataset.error;
    const marker = root.querySelector(".gw-plot-marker");
    return {
      x: input.value,
      readout: root.querySelectorAll(".gw-x-value")[slider].textContent,
      nodes,
      errors,
      y: marker?.getAttribute("data-y"),
      slope: root.querySelector(".gw-plot-marker-d")?.getAttribute("data-slope"),
      card: [...root.querySelectorAll(".gw-card .gw-sr-only")].map((p) => p.textContent),
      checks: [...root.querySelectorAll(".gw-check-table tbody tr")].map((tr) =>
        [...tr.querySelectorAll("td.num")].map((td) => td.textContent).concat(tr.dataset.flagged)),
      eps: [...root.querySelectorAll(".gw-eps-dots circle")].map((c) => Number(c.getAttribute("data-error"))),
    };
  });
}
"""


def ulps(a, b):
    a, b = float(a), float(b)
    if a == b or (math.isnan(a) and math.isnan(b)):
        return 0.0
    return abs(a - b) / np.spacing(max(abs(a), abs(b)))


def open_sections(root):
    """The check and eps sections start closed; open them, so that what they show is read too."""
    for cls in ("gw-check-section", "gw-eps-section"):
        section = root.locator(f"details.{cls}")
        section.locator("summary").click()
        expect(section).to_have_attribute("open", "")


def check_position(shown, live, where):
    """What the page showed at one position against a live widget at the same x (the engine's own objects)."""
    ids = [n["id"] for n in live.graph["nodes"] if n["kind"] == "variable"]
    for node_id, v in zip(ids, live.variables):
        text, grad = shown["nodes"][node_id]
        assert math.isclose(parse_shown(text), float(v.data), rel_tol=5e-4, abs_tol=1e-12), (where, node_id)
        assert ulps(grad, float(v.grad)) <= 4, (where, node_id, grad, float(v.grad))
    assert ulps(shown["y"], float(live.output.data)) <= 4, (where, shown["y"])
    assert ulps(shown["slope"], float(live.input.grad)) <= 4, (where, shown["slope"])
    assert shown["card"] == live.card.splitlines(), where
    assert len(shown["checks"]) == len(live.checks)
    for row, check in zip(shown["checks"], [c["inputs"][0] for c in live.checks]):
        backprop, numerical, _error, flagged = row
        assert math.isclose(parse_shown(backprop), check["backprop"], rel_tol=5e-4), where
        assert math.isclose(parse_shown(numerical), check["numerical"], rel_tol=5e-4), where
        assert flagged == ("true" if check["flagged"] else "false"), where
    want = live.eps_curve["errors"]
    assert len(shown["eps"]) == len(want), where
    for got, expected, eps in zip(shown["eps"], want, live.eps_curve["eps"]):
        # one ulp of f at x +- eps moves numerical_diff by about ulp(f) / eps
        room = 8 * np.spacing(abs(float(live.output.data))) / eps + 1e-9 * abs(expected)
        assert abs(got - expected) <= room or (got == 0 and expected == 0), (where, eps, got, expected)


@pytest.mark.parametrize("blocks", [["square", "exp", "square"], ["sin", "exp", "tanh", "square", "cos"] * 2])
def test_every_grid_position_paints_at_once_from_the_table_and_the_kernel_follows(page, blocks, screenshots):
    w = GradWidget(blocks=blocks, x=0.5)
    w.run_all()  # every grad shown
    standin = StandIn(page, w)
    root = standin.mount()
    open_sections(root)
    xs = [float(x) for x in w.tables[0]["xs"]]
    assert len(xs) >= 201 and w.tables[0]["note"] is None
    standin.hold()  # the kernel's answers wait in the page: whatever the page shows comes from its table
    shown = page.evaluate(SWEEP_JS, {"xs": xs, "slider": 0})
    live = GradWidget(blocks=blocks, x=0.5)
    live.run_all()
    for x, at in zip(xs, shown):
        assert float(at["x"]) == x and parse_shown(at["readout"]) == pytest.approx(x, abs=5e-4)
        live.x = x
        check_position(at, live, f"x = {x}")
    assert w.x == 0.5 or w.x == xs[0], "the kernel has had one move so far (the rest wait for its answer)"
    standin.flush()
    standin.settle()
    standin.flush()  # each answer lets the newest waiting move go: until the kernel has the last
    standin.settle()
    page.wait_for_function("() => window.gwHeld.length === 0 && window.gwPending === 0")
    assert w.x == xs[-1] and w.step == w.n_steps
    last = shown[-1]
    assert ulps(last["y"], float(w.output.data)) <= 4 and ulps(last["slope"], float(w.input.grad)) <= 4
    # at rest the page shows the kernel's own numbers, the same ones
    assert float(root.locator(".gw-plot-marker").get_attribute("data-x")) == xs[-1]
    x_grad = root.locator('g[data-node-id="v0"]').get_attribute("data-grad-value")
    assert ulps(x_grad, float(w.input.grad)) == 0
    standin.screenshot(screenshots / f"standin-table-{len(blocks)}-blocks.png")


def test_a_learners_failures_show_on_their_node_at_the_positions_where_they_happen(page, monkeypatch):
    for clock in ("_clock", "_wall_clock"):  # a busy machine must not coarsen the grid
        monkeypatch.setattr(f"gradwidget.table.{clock}", lambda: 0.0)
    BLOCKS["root"] = Root
    try:
        w = GradWidget(blocks=["root", "square"], x=1.0)
        live = GradWidget(blocks=["root", "square"], x=1.0)
    finally:
        BLOCKS.pop("root")
    assert w.tables[0]["note"] is None
    standin = StandIn(page, w)
    standin.mount()
    xs = [float(x) for x in w.tables[0]["xs"]]
    standin.hold()
    shown = page.evaluate(SWEEP_JS, {"xs": xs, "slider": 0})
    kinds = set()
    for x, at in zip(xs, shown):
        live.x = x
        errors = live.numbers["errors"]
        failed = errors.get("forward") or errors.get("backward")
        if failed:
            kinds.add("forward" if "forward" in errors else "backward")
            assert at["errors"] == {failed["function"]: failed["message"]["en"]}, x
        else:
            assert at["errors"] == {}, x
        values = [float(v.data) for v in live.variables]
        for node_id, value in zip(("v0", "v1", "v2"), values):
            text = at["nodes"][node_id][0]
            close = math.isclose(parse_shown(text), value, rel_tol=5e-4)
            assert (text == "NaN" and math.isnan(value)) or close
    assert kinds == {"forward", "backward"}


def test_a_slider_too_slow_to_compute_ahead_says_so_and_waits_for_the_kernel(page, monkeypatch, screenshots):
    class Slow(Root):
        def forward(self, x):
            return np.sqrt(np.abs(x))

    monkeypatch.setattr("gradwidget.table.TIME_BUDGET", 0.0)  # nothing fits: every move is a round trip
    BLOCKS["slow"] = Slow
    try:
        w = GradWidget(blocks=["slow"], x=1.0)
    finally:
        BLOCKS.pop("slow")
    assert w.tables[0]["note"] == "live"
    standin = StandIn(page, w)
    root = standin.mount()
    expect(root.locator(".gw-slider-note")).to_have_text(
        "x waits for Python at each move: this graph is too much to compute at every position ahead."
    )
    standin.hold()
    (at,) = page.evaluate(SWEEP_JS, {"xs": [0.36], "slider": 0})
    assert parse_shown(at["nodes"]["v0"][0]) == 1.0, "nothing to paint from: the old numbers stay"
    standin.flush()
    expect(root.locator('g[data-node-id="v0"]')).to_have_attribute("data-value", "0.36")
    expect(root.locator('g[data-node-id="v1"]')).to_have_attribute("data-value", "0.6")
    root.locator("select.gw-lang").select_option("ko")
    expect(root.locator(".gw-slider-note")).to_contain_text("Python의 계산을 기다립니다")
    standin.screenshot(screenshots / "standin-table-note-ko.png")


def test_show_y_paints_each_slider_from_its_table_once_the_others_are_let_go(page):
    x = Variable(np.array(0.5), name="x")
    y = Variable(np.array(1.5), name="y")
    w = show(gw.sin(x * y) + gw.exp(x))
    standin = StandIn(page, w)
    root = standin.mount()
    y_xs = [float(v) for v in w.tables[1]["xs"]]
    standin.hold()
    moves = [y_xs[20], y_xs[40]]
    shown = page.evaluate(SWEEP_JS, {"xs": moves, "slider": 1})
    out = w.graph["output"]
    for value, at in zip(moves, shown):  # y's table holds x at 0.5: painted at once
        expected = math.sin(0.5 * value) + math.exp(0.5)
        assert math.isclose(parse_shown(at["nodes"][out][0]), expected, rel_tol=5e-4)
    standin.flush()
    standin.settle()
    standin.flush()
    page.wait_for_function("() => window.gwHeld.length === 0 && window.gwPending === 0")
    assert w.values == [0.5, moves[-1]]
    # x's table still holds y at 1.5: until y is let go, a move of x waits for the kernel
    standin.hold()
    x_xs = [float(v) for v in w.tables[0]["xs"]]
    (before,) = page.evaluate(SWEEP_JS, {"xs": [x_xs[150]], "slider": 0})
    assert math.isclose(parse_shown(before["nodes"]["v0"][0]), 0.5), "not painted from a stale table"
    standin.flush()
    standin.settle()
    # y let go: the page tells Python, which works x's table out again for y where it is now
    root.locator('input[type="range"]').nth(1).dispatch_event("change")
    standin.settle()
    standin.flush()
    page.wait_for_function("() => window.gwHeld.length === 0 && window.gwPending === 0")
    assert w.tables[0]["held"] == [None, moves[-1]]
    standin.hold()
    x_new = float(w.tables[0]["xs"][30])
    (after,) = page.evaluate(SWEEP_JS, {"xs": [x_new], "slider": 0})
    expected = math.sin(x_new * moves[-1]) + math.exp(x_new)
    assert math.isclose(parse_shown(after["nodes"][out][0]), expected, rel_tol=5e-4), "painted at once"


def test_an_x_set_in_python_between_grid_points_is_computed_and_shown_exactly(page):
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    standin = StandIn(page, w)
    root = standin.mount()
    page.evaluate(SWEEP_JS, {"xs": [0.7], "slider": 0})  # a move on the page, painted from the table
    standin.settle()
    w.x = 0.123  # between the grid's 0.12 and 0.14
    standin.push()
    x_node = root.locator('g[data-node-id="v0"]')
    expect(x_node).to_have_attribute("data-value", "0.123")
    expect(root.locator(".gw-x-value")).to_have_text("0.123")
    y = float(w.output.data)
    assert float(root.locator(".gw-plot-marker").get_attribute("data-y")) == y  # the kernel's own number
