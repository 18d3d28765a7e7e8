"""A big graph's first frame draws what its first view shows and nothing more; the margin around the view
(so that a pan seldom meets undrawn parts) comes when the page is idle, each node with Python's numbers.
Every widget's first frame shows its controls and the graph; what lies under the graph (the card, plots,
checks, the code, the stack) follows in the next frame, and moves nothing above it.

On the stand-in page (standin.py): the shipped bundle, a real Python widget, no Jupyter.
"""

import pytest
from notebooks import stack
from playwright.sync_api import expect
from standin import StandIn

from gradwidget import GradWidget

pytestmark = pytest.mark.browser

# Mount, then read the drawing in the task after the first frame's paint (a message posted from that frame's
# requestAnimationFrame), before the browser is idle: each drawn node's box and the view, in user units.
FIRST_FRAME_JS = """
(initial) => new Promise((resolve) => {
  window.gwMount(initial);
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const root = document.querySelector(".gradwidget");
      const boxes = [...root.querySelectorAll("g[data-node-id] > rect.box")].map((r) =>
        ["x", "y", "width", "height"].map((a) => Number(r.getAttribute(a))));
      const view = root.querySelector(".gw-graph").getAttribute("data-view").split(" ").map(Number);
      resolve({boxes, view, count: Number(root.querySelector("svg.gw-svg").getAttribute("data-node-count"))});
    };
    channel.port2.postMessage(null);
  });
})
"""

NODES = 2 * 300 + 1


def test_the_first_frame_draws_only_the_view_and_the_margin_follows(page, screenshots):
    w = GradWidget(blocks=stack(300), x=0.5, x_min=-2.0, x_max=2.0)
    standin = StandIn(page, w)
    page.goto("http://gw.standin/")
    page.wait_for_function("() => window.gwReady === true")
    first = page.evaluate(FIRST_FRAME_JS, standin.initial_state())
    assert first["count"] == NODES
    x, y, width, height = first["view"]
    # a node's box (not its rule's band under it) may reach a little past the view's edge; the margin reaches
    # a quarter of a view further
    slack = 0.1 * min(width, height)
    outside = [
        b
        for b in first["boxes"]
        if b[0] > x + width + slack
        or b[0] + b[2] < x - slack
        or b[1] > y + height + slack
        or b[1] + b[3] < y - slack
    ]
    assert first["boxes"], "the first frame draws the nodes in view"
    assert outside == [], f"{len(outside)} of {len(first['boxes'])} nodes drawn outside the first view"
    # the first view ends between two rows of the chain, not through one: every node drawn is whole above its
    # bottom edge (and the rows are wider than the view, so some reach past its right edge)
    cut = [b for b in first["boxes"] if b[1] + b[3] > y + height]
    assert cut == [], f"{len(cut)} nodes cut by the first view's bottom edge"
    assert any(b[0] + b[2] > x + width for b in first["boxes"])

    root = page.locator(".gradwidget")
    nodes = root.locator("g[data-node-id]")
    # once idle, the margin: more nodes, still far fewer than the graph's
    page.wait_for_function(
        "(n) => document.querySelectorAll('g[data-node-id]').length > n", arg=len(first["boxes"])
    )
    assert nodes.count() < NODES / 2
    expect(root.locator('g[data-node-id="v0"]')).to_have_attribute("data-value", "0.5")
    # every node drawn, in view or in the margin, shows Python's numbers
    values = nodes.evaluate_all(
        "(gs) => gs.filter((g) => g.dataset.kind === 'variable').map((g) => g.dataset.value)"
    )
    assert values and all(v not in ("", None) for v in values)
    root.locator(".gw-graph").screenshot(path=screenshots / "first-frame-margin.png")


def test_a_graph_drawn_whole_shows_its_view_first_and_every_node_when_idle_in_order(page):
    # 100 blocks, 201 nodes: more than the first view shows, few enough to be drawn whole (DRAW_ALL_MAX_NODES)
    w = GradWidget(blocks=stack(100), x=0.5, x_min=-2.0, x_max=2.0)
    standin = StandIn(page, w)
    page.goto("http://gw.standin/")
    page.wait_for_function("() => window.gwReady === true")
    first = page.evaluate(FIRST_FRAME_JS, standin.initial_state())
    order = [n["id"] for n in w.graph["nodes"]]
    assert first["count"] == len(order) == 201
    assert 0 < len(first["boxes"]) < len(order), "the first frame draws the first view's nodes"
    page.wait_for_function("(n) => document.querySelectorAll('g[data-node-id]').length === n", arg=len(order))
    nodes = page.locator(".gradwidget g[data-node-id]")
    # in the page in the graph's order, as a screen reader reads them, though the view's were drawn first
    assert nodes.evaluate_all("(gs) => gs.map((g) => g.dataset.nodeId)") == order
    values = nodes.evaluate_all(
        "(gs) => gs.filter((g) => g.dataset.kind === 'variable').map((g) => g.dataset.value)"
    )
    assert len(values) == 101 and all(v not in ("", None) for v in values)


# Mount, and in the task after the first frame's paint say what that frame holds: the controls, the graph and
# the parts under it, with where the controls and the graph are on the page. (This frame callback, asked for
# before the widget's own, posts its message after the same paint, and first.)
FIRST_PARTS_JS = """
(initial) => new Promise((resolve) => {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(window.gwParts());
    channel.port2.postMessage(null);
  });
  window.gwMount(initial);
})
"""
PARTS_JS = """
() => { window.gwParts = () => {
  const root = document.querySelector(".gradwidget");
  const top = (selector) => root.querySelector(selector)?.getBoundingClientRect().top ?? null;
  const buttons = [...root.querySelectorAll("button")];
  const step = buttons.find((b) => b.getAttribute("aria-label") === "Step" && !b.disabled);
  return {
    nodes: root.querySelectorAll("g[data-node-id]").length,
    step: Boolean(step),
    slider: root.querySelector("input[type=range]") !== null,
    card: root.querySelector(".gw-explain") !== null,
    stack: root.querySelector(".gw-stack") !== null,
    code: root.querySelector(".gw-code") !== null,
    predict: root.querySelector(".gw-predict") !== null,
    controlsTop: top(".gw-controls"),
    graphTop: top(".gw-graph"),
  };
}; }
"""


# The gaps between the rows of nodes in view (user units), and the y of every horizontal run of a drawn edge.
ROW_GAPS_JS = """
() => {
  const root = document.querySelector(".gradwidget");
  const [vx, vy, vw, vh] = root.querySelector(".gw-graph").getAttribute("data-view").split(" ").map(Number);
  const boxes = [...root.querySelectorAll("g[data-node-id] > rect.box")]
    .map((r) => ["x", "y", "width", "height"].map((a) => Number(r.getAttribute(a))))
    .filter(([x, y, w, h]) => x < vx + vw && x + w > vx && y < vy + vh && y + h > vy);
  const rows = [];
  for (const [, y, , h] of boxes.sort((a, b) => a[1] - b[1])) {
    const row = rows[rows.length - 1];
    if (row && y < row.bottom) row.bottom = Math.max(row.bottom, y + h);
    else rows.push({top: y, bottom: y + h});
  }
  const gaps = rows.slice(1).map((row, i) => [rows[i].bottom, row.top]);
  const runs = [];
  for (const path of root.querySelectorAll("path.edge")) {
    const pairs = path.getAttribute("d").matchAll(/(-?[\\d.]+),(-?[\\d.]+)/g);
    const points = [...pairs].map((m) => [+m[1], +m[2]]);
    points.slice(1).forEach(([x, y], i) => {
      if (Math.abs(y - points[i][1]) < 0.01 && x !== points[i][0]) runs.push(y);
    });
  }
  return [gaps, runs];
}
"""


@pytest.mark.parametrize("blocks", [3, 300])
def test_the_first_frame_shows_controls_and_graph_and_the_rest_follows_below(page, screenshots, blocks):
    w = GradWidget(blocks=stack(blocks), x=0.5, x_min=-2.0, x_max=2.0)
    standin = StandIn(page, w)
    page.goto("http://gw.standin/")
    page.wait_for_function("() => window.gwReady === true")
    page.evaluate(PARTS_JS)
    first = page.evaluate(FIRST_PARTS_JS, standin.initial_state())
    assert first["nodes"] > 0 and first["slider"] and first["step"], first
    assert not (first["card"] or first["stack"] or first["code"]), f"built before the first paint: {first}"
    root = page.locator(".gradwidget")
    expect(root.locator(".gw-explain .gw-card-section")).to_be_visible()
    expect(root.locator(".gw-stack > li").first).to_be_visible()
    expect(root.locator(".gw-code").first).to_be_attached()
    later = page.evaluate("() => window.gwParts()")
    # under the graph: the controls and the graph stay where the learner saw them
    assert (later["controlsTop"], later["graphTop"]) == (first["controlsTop"], first["graphTop"])
    root.get_by_role("button", name="Step", exact=True).click()
    expect(root.locator(".gw-card-title")).to_contain_text("1")
    if blocks == 300:
        # the view followed the step to the chain's end, between its rows' ends: the way from each row in view
        # to the next runs across it, and is drawn though neither of its nodes is
        page.wait_for_timeout(300)  # the margin, drawn when idle
        gaps, runs = page.evaluate(ROW_GAPS_JS)
        assert len(gaps) >= 2, gaps
        for top, bottom in gaps:
            assert any(top < y < bottom for y in runs), f"no edge through the gap {top}-{bottom}: {runs}"
    standin.screenshot(screenshots / f"first-frame-then-the-rest-{blocks}.png")


@pytest.mark.parametrize("mode", ["presenter", "predict"])
def test_presenter_and_predict_draw_everything_in_the_first_frame(page, mode):
    # presenter mode hides the values from the first frame on; Predict first's box sits above the graph
    w = GradWidget(blocks=stack(3), x=0.5, x_min=-2.0, x_max=2.0, **{mode: True})
    standin = StandIn(page, w)
    page.goto("http://gw.standin/")
    page.wait_for_function("() => window.gwReady === true")
    page.evaluate(PARTS_JS)
    first = page.evaluate(FIRST_PARTS_JS, standin.initial_state())
    assert first["card"] and first["stack"] and first["code"] and first["predict"], first
