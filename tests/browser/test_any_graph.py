"""Issue 4 in a real JupyterLab: show(y) for any graph, the learner's own classes, custom blocks, code and
magics.

examples/03_any_graph.ipynb is opened once and run (one kernel); each test drives the widget of one cell and
checks what the page shows against numpy and against the kernel's own objects. Cells (0-based, markdown
included): 3 `diamond`, 5 `two_leaves`, 7 `mine`, 9 `broken`, 11 `stack` (custom block "cube"), 13
`from_code`, 15 `%load_ext gradwidget`, 16 `%gradwidget square exp square --x 0.3`, 17 a cell ending in a
Variable. Screenshots go to tests/browser/screenshots/any-graph-*.png.
"""

import math

import numpy as np
import pytest
from gw_cells import cell, cell_widget, notebook_fixtures, set_range, wait_number
from gw_page import WAIT_MS, _has, chain, close, kernel_eval, parse_shown
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EXAMPLE = "03_any_graph.ipynb"
DIAMOND, TWO_LEAVES, MINE, BROKEN, STACK, FROM_CODE, LOAD_EXT, MAGIC, LAST = 3, 5, 7, 9, 11, 13, 15, 16, 17


nb, page = notebook_fixtures("lab-any-graph.ipynb", example=EXAMPLE)


def numbers(text):
    return [parse_shown(t) for t in text.split(",")] if text else []


def boxes_overlap(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and (a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    )


def test_diamond_contributions_arrive_and_sum(page, screenshots):
    """a = x² feeds square and exp: its grad is 2a (step 2) + exp(a) (step 3), each shown as it arrives."""
    w = cell_widget(page, DIAMOND)
    x = 0.5
    a = np.square(x)
    sends = {2: 2 * a, 3: np.exp(a)}  # step -> the gx that step sends to a
    values = {"v0": x, "v1": a, "v2": np.square(a), "v3": np.exp(a), "v4": np.square(a) + np.exp(a)}
    w.expect_values(values)
    w.expect_counter(0, 4)

    # drawn without overlaps: no two node boxes intersect
    rects = w.root.locator("g[data-node-id] > rect.box").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {id: e.parentElement.dataset.nodeId, x: r.x, y: r.y, width: r.width, height: r.height}; })"
    )
    assert len(rects) == 9
    for i, r in enumerate(rects):
        for s in rects[i + 1 :]:
            assert not boxes_overlap(r, s), f"{r['id']} and {s['id']} overlap: {r} {s}"

    # the read-only code view: the Python that builds the graph, as the kernel has it
    code = w.root.locator("pre.gw-code")
    expect(code).to_have_text("a = square(x)\nb = square(a)\nc = exp(a)\ny = b + c")
    assert code.text_content() == kernel_eval(page, "diamond.code")

    node_a = w.node("v1")
    rows = node_a.locator("text.contribution")
    expect(rows).to_have_count(2)
    expect(node_a).to_have_attribute("data-contributions", "0")
    expect(rows.nth(0)).to_have_text("\u2026 \u2190 Square \u00b7 step 2")
    expect(rows.nth(1)).to_have_text("\u2026 \u2190 Exp \u00b7 step 3")

    for k in (1, 2, 3, 4):
        w.step_button.click()
        w.expect_counter(k, 4)
        arrived = [sends[s] for s in (2, 3) if s <= k]
        expect(node_a).to_have_attribute("data-contributions", str(len(arrived)), timeout=WAIT_MS)
        shown = numbers(node_a.get_attribute("data-contribution-values"))
        assert len(shown) == len(arrived), (k, shown)
        for got, want in zip(shown, arrived):
            assert close(got, float(want), 1e-3), (k, shown, arrived)
        if arrived:
            total = sum(arrived)
            w.wait_number("v1", "data-grad-value", total, rel=1e-12)
            assert close(parse_shown(node_a.get_attribute("data-grad")), float(total), 1e-3)
            expect(node_a.locator("text.grad")).to_have_text(f"grad: {float(total):.4g}")
        else:
            expect(node_a).to_have_attribute("data-grad", "")
        if k == 2:
            expect(rows.nth(0)).to_have_text(f"+{float(sends[2]):.4g} \u2190 Square \u00b7 step 2")
            expect(rows.nth(0)).to_have_class(_has("arrived"))
            expect(rows.nth(1)).to_have_text("\u2026 \u2190 Exp \u00b7 step 3")
            expect(rows.nth(1)).not_to_have_class(_has("arrived"))
        if k == 3:
            expect(rows.nth(1)).to_have_text(f"+{float(sends[3]):.4g} \u2190 Exp \u00b7 step 3")
            expect(rows.nth(1)).to_have_class(_has("latest"))
            w.root.screenshot(path=screenshots / "any-graph-diamond-step3.png")
            a_grad, x_grad = kernel_eval(page, "[float(diamond.variables[1].grad), diamond.inputs[0].grad]")
            assert a_grad == pytest.approx(float(sends[2] + sends[3]), rel=1e-12)
            assert x_grad is None, "x's grad comes at step 4"
    gx = 2 * x * (sends[2] + sends[3])
    w.wait_number("v0", "data-grad-value", gx, rel=1e-12)
    assert kernel_eval(page, "float(diamond.inputs[0].grad)") == pytest.approx(float(gx), rel=1e-12)


def test_two_leaves_two_sliders(page, screenshots):
    """z = x·w + sin(x): a slider named x and one named w; moving w re-runs the kernel's graph."""
    w = cell_widget(page, TWO_LEAVES)
    expect(w.root.locator("label.gw-x-label")).to_have_text(["x", "w"])
    slider_x = w.root.get_by_role("slider", name="x", exact=True)
    slider_w = w.root.get_by_role("slider", name="w", exact=True)
    expect(w.root.locator("output.gw-x-value")).to_have_text(["0.5", "1.5"])
    expect(slider_x).to_have_value("0.5")
    # w's range is [-2, 2.5] in steps of 0.0045: the thumb sits on the step nearest 1.5
    assert abs(float(slider_w.input_value()) - 1.5) <= 0.0045 / 2
    # in columns: both ranges start and end at the same place, though w is a wider letter than x
    box_x, box_w = slider_x.bounding_box(), slider_w.bounding_box()
    assert box_x["x"] == pytest.approx(box_w["x"], abs=0.5) and box_x["width"] == pytest.approx(
        box_w["width"], abs=0.5
    )

    def expect_graph(x, wv):
        values = {"v0": x, "v1": wv, "v2": x * wv, "v3": np.sin(x), "v4": x * wv + np.sin(x)}
        w.expect_values(values)
        names, shown, z, x_data, w_data = kernel_eval(
            page, "[two_leaves.names, two_leaves.values, float(z.data), float(x_.data), float(w.data)]",
            code="x_ = two_leaves.inputs[0]",
        )  # fmt: skip
        assert names == ["x", "w"]
        assert shown == pytest.approx([x, wv], rel=1e-12)
        assert z == pytest.approx(x * wv + math.sin(x), rel=1e-12), "the kernel's own z follows the sliders"
        assert (x_data, w_data) == pytest.approx((x, wv), rel=1e-12)

    wv = set_range(slider_w, -0.8)
    assert abs(wv + 0.8) < 0.01
    expect_graph(0.5, wv)
    x = set_range(slider_x, 1.2)
    assert abs(x - 1.2) < 0.01
    expect_graph(x, wv)

    w.run_all_button.click()
    w.expect_counter(3, 3)
    w.wait_number("v0", "data-grad-value", wv + math.cos(x), rel=1e-12)  # dz/dx = w + cos x
    w.wait_number("v1", "data-grad-value", x, rel=1e-12)  # dz/dw = x
    gx, gw_ = kernel_eval(page, "[float(g.grad) for g in two_leaves.inputs]")
    assert (gx, gw_) == pytest.approx((wv + math.cos(x), x), rel=1e-12)
    w.root.screenshot(path=screenshots / "any-graph-two-leaves.png")


def test_a_long_number_is_squeezed_into_its_box(page, screenshots):
    """A value too wide for its node (−1.235e+100) is squeezed into its box; a short one again is drawn as it
    is. (The page measures a text only when it may not fit: this checks that bound on the real drawing.)"""
    w = cell_widget(page, TWO_LEAVES)
    kernel_eval(
        page,
        "None",
        code="old_ranges, old_values = two_leaves.ranges, two_leaves.values\n"
        "two_leaves.ranges = [old_ranges[0], [-2e100, 2e100]]\n"
        "two_leaves.values = [0.5, -1.2345e100]",
    )

    def texts():
        return w.root.locator("g[data-kind='variable']").evaluate_all(
            """els => els.map(g => {
                 const t = g.querySelector('text.value');
                 return {id: g.dataset.nodeId, width: t.getBBox().width,
                         room: g.querySelector('rect.box').getBBox().width - 20,
                         squeezed: t.hasAttribute('textLength')};
               })"""
        )

    try:
        w.wait_number("v1", "data-value", -1.2345e100, rel=1e-3)
        shown = texts()
        assert all(t["width"] <= t["room"] + 0.5 for t in shown), shown
        assert {t["id"] for t in shown if t["squeezed"]} >= {"v1", "v2"}, shown  # w and x·w
        assert not any(t["squeezed"] for t in shown if t["id"] == "v0"), shown
        w.root.screenshot(path=screenshots / "any-graph-long-number.png")
    finally:
        kernel_eval(page, "None", code="two_leaves.values = old_values; two_leaves.ranges = old_ranges")
    w.wait_number("v1", "data-value", kernel_eval(page, "old_values[1]"), rel=1e-3)
    shown = texts()
    assert not any(t["squeezed"] for t in shown), shown
    assert all(t["width"] <= t["room"] + 0.5 for t in shown), shown


def test_learners_own_classes_and_a_broken_backward(page, screenshots):
    """Stepping runs the learner's own backward; a backward returning None shows on its node, and the widget
    (and every other widget) stays usable."""
    broken = cell_widget(page, BROKEN)
    message = "BrokenExp.backward returned None; it must return gx, e.g. `return gy * <local derivative>`."
    f1 = broken.node("f1")
    expect(f1).to_have_class(_has("failed"))
    expect(f1).to_have_attribute("data-error", message)
    expect(f1.locator("text.error-text tspan").first).to_be_visible()
    lines = " ".join(f1.locator("text.error-text tspan").all_text_contents())  # wrapped under the node
    assert lines.startswith("\u26a0 BrokenExp.backward returned None; it must return gx"), lines
    for other in ("f0", "f2"):
        expect(broken.node(other)).not_to_have_class(_has("failed"))
        expect(broken.node(other)).not_to_have_attribute("data-error", message)
    expect(broken.alert).to_be_visible()
    expect(broken.alert).to_have_text(message)
    broken.expect_counter(0, 1)  # the failed step cannot be stepped onto
    broken.step_button.click()
    broken.expect_counter(1, 1)
    expect(broken.step_button).to_be_disabled()
    b = np.exp(np.square(0.5))
    broken.wait_number("v2", "data-grad-value", 2 * b, rel=1e-12)  # MySquare.backward, the step before
    expect(broken.node("v1")).to_have_attribute("data-grad", "")
    expect(broken.node("v0")).to_have_attribute("data-grad", "")
    title = broken.root.locator(".gw-card-title")
    expect(title).to_contain_text("MySquare backward")
    seen = {"counter": broken.counter.text_content(), "card": title.text_content()}  # checked at the end
    broken.root.screenshot(path=screenshots / "any-graph-broken.png")
    assert kernel_eval(page, "[broken.step, broken.n_steps, broken.error]") == [1, 1, message]
    broken.back_button.click()
    broken.expect_counter(0, 1)
    assert kernel_eval(page, "broken.step") == 0

    # the learner's own classes: count the calls of their MyExp.backward while the page steps
    mine = cell_widget(page, MINE)
    kernel_eval(
        page,
        "None",
        code=(
            "_calls = []\n_original = MyExp.backward\n"
            "def _counted(self, gy):\n    _calls.append(float(gy))\n    return _original(self, gy)\n"
            "MyExp.backward = _counted"
        ),
    )
    try:
        values, grads = chain(0.5)
        mine.expect_values(values)
        mine.expect_step(0, grads)
        for k in (1, 2, 3):
            mine.step_button.click()
            mine.expect_step(k, grads)
        calls, gx, types = kernel_eval(
            page, "[_calls, float(mine.inputs[0].grad), [type(f).__name__ for f in mine.functions]]"
        )
    finally:
        kernel_eval(page, "None", code="MyExp.backward = _original")
    assert types == ["MySquare", "MyExp", "MySquare"]
    assert calls == pytest.approx([float(grads["v2"])], rel=1e-12), (
        "the page's step 2 ran the learner's backward"
    )
    assert gx == pytest.approx(float(grads["v0"]), rel=1e-12)
    expect(mine.root.locator("g.failed")).to_have_count(0)
    expect(mine.alert).to_be_hidden()
    # the broken widget's card and counter count the same steps
    n = seen["counter"].split("/")[1].strip()
    assert seen["card"].startswith(f"Step 1 of {n}:"), (
        f"counter {seen['counter']!r} but card {seen['card']!r}"
    )


def test_custom_block_in_the_palette(page, screenshots):
    """register_block("cube", Cube): the palette offers "Add cube"; adding it grows the graph by a Cube."""
    w = cell_widget(page, STACK)
    x = 0.5
    expect(w.node("f0")).to_have_attribute("data-block", "cube")
    expect(w.node("f0").locator("text.label")).to_have_text("Cube")
    w.expect_values({"v0": x, "v1": x**3, "v2": np.exp(x**3)})
    add = w.root.get_by_role("button", name="Add cube", exact=True)
    expect(add).to_be_visible()
    add.click()
    expect(w.function_nodes).to_have_count(3, timeout=WAIT_MS)
    expect(w.node("f2")).to_have_attribute("data-block", "cube")
    expect(w.node("f2").locator("text.label")).to_have_text("Cube")
    b = np.exp(x**3)
    w.expect_values({"v0": x, "v1": x**3, "v2": b, "v3": b**3})
    expect(w.root.locator("li.gw-stack-item")).to_have_count(3)
    expect(w.root.locator("li.gw-stack-item").nth(2)).to_have_attribute("data-block", "cube")
    w.expect_counter(0, 3)
    blocks, out, kinds = kernel_eval(
        page, "[stack.blocks, float(stack.output.data), [type(f).__name__ for f in stack.functions]]"
    )
    assert blocks == ["cube", "exp", "cube"]
    assert out == pytest.approx(float(b**3), rel=1e-12)
    assert kinds == ["Cube", "Exp", "Cube"]
    # one step runs the learner's Cube.backward: 3·b²·1 reaches b
    w.step_button.click()
    w.expect_counter(1, 3)
    expect(w.root.locator('[aria-current="step"]')).to_have_attribute("data-node-id", "f2")
    w.wait_number("v2", "data-grad-value", 3 * b**2, rel=1e-12)
    w.root.screenshot(path=screenshots / "any-graph-custom-block.png")


def test_code_view_rebuilds_the_stack(page, screenshots):
    """The code box shows y = exp(sin(x)); typing y = square(cos(x)) + Enter rebuilds the stack; a bad code
    says why and keeps the old graph."""
    w = cell_widget(page, FROM_CODE)
    box = w.root.get_by_role("textbox", name="Code")
    expect(box).to_have_value("y = exp(sin(x))")
    expect(w.root.locator("li.gw-stack-item")).to_have_count(2)
    x = 0.5

    box.fill("y = square(cos(x))")
    box.press("Enter")
    expect(w.node("f0")).to_have_attribute("data-block", "cos", timeout=WAIT_MS)
    expect(w.node("f1")).to_have_attribute("data-block", "square")
    expect(w.function_nodes).to_have_count(2)
    items = w.root.locator("li.gw-stack-item")
    expect(items).to_have_count(2)
    assert [items.nth(i).get_attribute("data-block") for i in range(2)] == ["cos", "square"]
    w.expect_values({"v0": x, "v1": np.cos(x), "v2": np.cos(x) ** 2})
    expect(box).to_have_value("y = square(cos(x))")
    expect(box).to_have_attribute("aria-invalid", "false")
    blocks, code, out = kernel_eval(page, "[from_code.blocks, from_code.code, float(from_code.output.data)]")
    assert blocks == ["cos", "square"]
    assert code == "y = square(cos(x))"
    assert out == pytest.approx(math.cos(x) ** 2, rel=1e-12)

    box.fill("y = sqare(cos(x))")
    box.press("Enter")
    expect(w.alert).to_be_visible(timeout=WAIT_MS)
    expect(w.alert).to_contain_text("Unknown block 'sqare'")
    expect(w.alert).to_contain_text("Did you mean 'square'?")
    problem = w.root.locator(".gw-code-problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("Unknown block 'sqare'")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value("y = sqare(cos(x))")  # kept, to fix
    w.root.screenshot(path=screenshots / "any-graph-code-refused.png")
    # the old graph stays, in the page and in the kernel
    expect(w.function_nodes).to_have_count(2)
    expect(w.node("f0")).to_have_attribute("data-block", "cos")
    expect(w.node("f1")).to_have_attribute("data-block", "square")
    w.expect_values({"v0": x, "v1": np.cos(x), "v2": np.cos(x) ** 2})
    blocks, code, error = kernel_eval(page, "[from_code.blocks, from_code.code, from_code.error]")
    assert (blocks, code) == (["cos", "square"], "y = square(cos(x))")
    assert "Unknown block 'sqare'" in error


def test_magics(page, screenshots):
    """%gradwidget builds a stack at x = 0.3; with %load_ext, a cell ending in a Variable shows its graph."""
    expect(cell(page, LOAD_EXT).locator(".jp-OutputArea-output")).to_have_count(0)
    magic = cell_widget(page, MAGIC)
    expect(magic.slider).to_have_value("0.3")
    magic.expect_values(chain(0.3)[0])
    items = magic.root.locator("li.gw-stack-item")
    expect(items).to_have_count(3)
    assert [items.nth(i).get_attribute("data-block") for i in range(3)] == ["square", "exp", "square"]
    magic.run_all_button.click()
    magic.wait_number("v0", "data-grad-value", chain(0.3)[1]["v0"], rel=1e-12)

    last = cell_widget(page, LAST)
    outputs = cell(page, LAST).locator(".jp-OutputArea-output")
    expect(outputs).to_have_count(1)  # the graph instead of the Variable's text, not beside it
    expect(last.root.locator("label.gw-x-label")).to_have_text(["t"])
    slider_t = last.root.get_by_role("slider", name="t", exact=True)
    expect(slider_t).to_have_value("1")
    expect(last.node("f0").locator("text.label")).to_have_text("Tanh")
    expect(last.node("f1").locator("text.label")).to_have_text("Mul")
    last.expect_values({"v0": 1.0, "v1": np.tanh(1.0), "v2": np.tanh(1.0) * 1.0})
    t = set_range(slider_t, 0.4)
    assert abs(t - 0.4) < 0.01
    y = np.tanh(t) * t
    wait_number(last.root, 'g[data-node-id="v0"]', "data-value", t, rel=1e-3)
    last.expect_values({"v0": t, "v1": np.tanh(t), "v2": y})
    assert kernel_eval(page, "float(t.data)") == pytest.approx(t, rel=1e-12), "the kernel's own t moved"
    # t is used twice (tanh(t) and · t): both contributions and their sum
    last.run_all_button.click()
    last.expect_counter(2, 2)
    grad = np.tanh(t) + t * (1 - np.tanh(t) ** 2)
    last.wait_number("v0", "data-grad-value", grad, rel=1e-12)
    expect(last.node("v0")).to_have_attribute("data-contributions", "2")
    magic.root.screenshot(path=screenshots / "any-graph-magic.png")
    last.root.screenshot(path=screenshots / "any-graph-last-value.png")
