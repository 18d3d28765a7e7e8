"""A drag faster than the kernel: 100 slider moves within a second end showing the last x's values.

In a real Voila and a real JupyterLab (the session's server fixtures), the page moves the x slider 100 times
in about a second, x rising each time, while a MutationObserver records every (x, y) the graph shows and
every number the slider's own readout shows. Then:

- the graph ends showing the last x and y = f(last x) (and in JupyterLab, the kernel's w.x is the last x);
- every (x, y) it showed is one of the x's sent, with y = f(that x): nothing half-updated or made up;
- the x's it showed rise in send order: never an older x's values after a newer one's;
- the slider ends at the last x, and its readout never went back to an older x during the burst.

Not timed: the burst's own duration is printed, and waits are bounded by WAIT_MS.
"""

import pytest
from gw_page import WAIT_MS, Widget, copy_notebook, kernel_eval, open_and_run_all, open_voila, parse_shown
from widget_client import stack_output

pytestmark = pytest.mark.browser

MOVES = 100
INTERVAL_MS = 9.5  # 100 moves in 0.95 s

BURST_JS = """
async ({moves, intervalMs, output}) => {
  const root = document.querySelector(".gradwidget");
  const slider = root.querySelector('input[type="range"][aria-label="x"]');
  const readout = root.querySelector(".gw-x-value");
  const step = Number(slider.dataset.gridStep);
  // rising x's on the slider's grid (a round step: 0.01 or 0.02 here), each reading differently at 4 digits
  const xs = Array.from({length: moves}, (_, k) => Number((step * (k + 1)).toPrecision(12)));
  const node = (id) => root.querySelector(`g[data-node-id="${id}"]`);
  const shown = () => [node("v0")?.getAttribute("data-value") ?? null,
                       node(output)?.getAttribute("data-value") ?? null];
  const graph = [shown()];
  const readouts = [readout.textContent];
  const observer = new MutationObserver(() => {
    const now = shown();
    const last = graph[graph.length - 1];
    if (now[0] !== last[0] || now[1] !== last[1]) graph.push(now);
    if (readout.textContent !== readouts[readouts.length - 1]) readouts.push(readout.textContent);
  });
  observer.observe(root, {subtree: true, attributes: true, childList: true, characterData: true});
  window.__burst = {graph, readouts, observer};
  const taken = [];
  const t0 = performance.now();
  for (let k = 0; k < moves; k++) {
    const wait = t0 + k * intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    slider.value = String(xs[k]);
    slider.dispatchEvent(new Event("input", {bubbles: true}));
    slider.dispatchEvent(new Event("change", {bubbles: true}));
    taken.push(Number(slider.value));
  }
  return {xs, taken, seconds: (performance.now() - t0) / 1000};
}
"""

SETTLED_JS = """
({x, y, output}) => {
  const root = document.querySelector(".gradwidget");
  const parse = (t) => Number((t || "").trim().replaceAll("\\u2212", "-"));
  const near = (v, want, rel) => Math.abs(v - want) <= rel * Math.abs(want) + 1e-12;
  const vx = parse(root.querySelector('g[data-node-id="v0"]')?.getAttribute("data-value"));
  const vy = parse(root.querySelector(`g[data-node-id="${output}"]`)?.getAttribute("data-value"));
  return near(vx, x, 6e-4) && near(vy, y, 1e-3);
}
"""


def burst(page, widget, blocks):
    """Run the burst; wait for the graph to show the last x; return (xs, graph sequence, readouts)."""
    output = f"v{len(blocks)}"
    sent = page.evaluate(BURST_JS, {"moves": MOVES, "intervalMs": INTERVAL_MS, "output": output})
    xs = sent["xs"]
    print(f"{MOVES} moves sent in {sent['seconds']:.2f} s")
    assert sent["taken"] == xs, "the slider did not take the x's sent (off its grid?)"
    last = xs[-1]
    try:
        page.wait_for_function(
            SETTLED_JS, arg={"x": last, "y": stack_output(blocks, last), "output": output}, timeout=WAIT_MS
        )
    finally:
        page.evaluate("() => window.__burst.observer.disconnect()")
    graph, readouts = page.evaluate("() => [window.__burst.graph, window.__burst.readouts]")
    return xs, graph, readouts


def check_sequence(xs, graph, readouts, blocks):
    def index_of(text):
        value = parse_shown(text)
        matches = [i for i, x in enumerate(xs) if abs(value - x) <= 6e-4 * abs(x) + 1e-12]
        return matches[0] if len(matches) == 1 else None

    shown = []  # (index of the x shown, its y text), after the burst began
    for x_text, y_text in graph[1:]:
        i = index_of(x_text)
        assert i is not None, f"the graph showed x = {x_text!r}, which is none of the x's sent: {graph}"
        expected = stack_output(blocks, xs[i])
        y = parse_shown(y_text)
        assert abs(y - expected) <= 1e-3 * abs(expected), (
            f"the graph showed x = {x_text} with y = {y_text}; y = f(x) is {expected:.6g}"
        )
        shown.append(i)
    assert shown, "the graph never changed"
    went_back = [(a, b) for a, b in zip(shown, shown[1:]) if b < a]
    assert not went_back, (
        f"the graph showed an older x after a newer one (move #{went_back[0][1]} after #{went_back[0][0]}); "
        f"x's shown in order: {shown}"
    )
    assert shown[-1] == len(xs) - 1, f"the graph ends on move #{shown[-1]}, not the last (#{len(xs) - 1})"
    values = [parse_shown(text) for text in readouts[1:]]
    back = [(a, b) for a, b in zip(values, values[1:]) if b < a]
    assert not back, f"the slider's readout went back from {back[0][0]} to {back[0][1]}: {readouts}"
    print(f"the graph showed {len(shown)} of the {len(xs)} x's, in order, ending on the last")


def test_burst_voila(page, voila_server):
    open_voila(page, voila_server)
    widget = Widget(page).wait_visible()
    blocks = ["square", "exp", "square"]  # examples/02_classroom_dashboard.ipynb
    xs, graph, readouts = burst(page, widget, blocks)
    check_sequence(xs, graph, readouts, blocks)
    assert float(widget.slider.input_value()) == pytest.approx(xs[-1], rel=1e-12)


def test_burst_lab(page, lab_server):
    path = copy_notebook(lab_server, "01_backprop_story.ipynb", "burst_story.ipynb")
    open_and_run_all(page, lab_server, path, "lab")
    widget = Widget(page).wait_visible()
    blocks = kernel_eval(page, "list(w.blocks)")
    xs, graph, readouts = burst(page, widget, blocks)
    check_sequence(xs, graph, readouts, blocks)
    assert float(widget.slider.input_value()) == pytest.approx(xs[-1], rel=1e-12)
    k_x, k_y = kernel_eval(page, "[w.x, float(w.output.data)]")
    assert k_x == pytest.approx(xs[-1], rel=1e-12)
    assert k_y == pytest.approx(stack_output(blocks, xs[-1]), rel=1e-12)
