"""The widget in a real JupyterLab, Jupyter Notebook 7 and Voila, with a real kernel, driven by Chromium.

Each test opens an example, waits for the widget, moves x and checks the kernel's values on the graph,
steps through every node (button and keyboard) checking the highlight and the grads against numpy's chain
rule, adds and removes a block from the palette, and saves a screenshot mid-way through backprop to
tests/browser/screenshots/<front end>-step2.png.
"""

import math
import re

import numpy as np
import pytest
from gw_page import (
    WAIT_MS,
    Widget,
    chain,
    close,
    copy_notebook,
    kernel_eval,
    open_and_run_all,
    open_voila,
    parse_shown,
    run_cell,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STORY = "01_backprop_story.ipynb"
X = 0.7


def exercise(page, widget, front_end, screenshots, kernel):
    """The learner's session, checked at every step. `kernel` is True where the test can ask the kernel."""

    # 1. Move the slider: the kernel recomputes every value and the graph shows them.
    x = widget.set_x(X)
    assert abs(x - X) < 0.01, f"the slider took {x} for {X}"
    values, grads = chain(x)
    widget.expect_values(values)
    shown_x = widget.root.locator(".gw-x-value").text_content()
    assert close(parse_shown(shown_x), x, 1e-3), shown_x
    # the screen reader hears the new x and y once x stops moving
    expect(widget.live).to_have_text(re.compile(rf"^x = {re.escape(f'{x:.4g}')}, y = \S+$"), timeout=WAIT_MS)
    said = re.match(r"x = (\S+), y = (\S+)", widget.live.text_content())
    assert close(parse_shown(said[1]), x, 1e-3) and close(parse_shown(said[2]), values["v3"], 1e-3), said[0]
    if kernel:
        k_x, k_y = kernel_eval(page, "[w.x, float(w.output.data)]")
        assert k_x == pytest.approx(x, rel=1e-12)
        assert k_y == pytest.approx(float(values["v3"]), rel=1e-12)

    # 2. Step through every node with the Step button, backward order: f2 (Square), f1 (Exp), f0 (Square).
    widget.expect_step(0, grads)
    names = ["Square", "Exp", "Square"]  # the Functions' labels, f0 f1 f2
    for k in (1, 2, 3):
        widget.step_button.click()
        widget.expect_step(k, grads)
        expect(widget.live).to_contain_text(f"Step {k} of 3: {names[3 - k]} backward", timeout=WAIT_MS)
        if k == 2:
            widget.screenshot(screenshots / f"{front_end}-step2.png")
            page.screenshot(path=screenshots / f"{front_end}-step2-page.png")
            if kernel:
                step, x_grad, a_grad = kernel_eval(page, "[w.step, w.input.grad, float(w.variables[1].grad)]")
                assert step == 2
                assert x_grad is None, "after 2 of 3 steps the engine's x.grad is still None"
                assert a_grad == pytest.approx(float(grads["v1"]), rel=1e-12)
    expect(widget.run_all_button).to_be_disabled()
    if kernel:
        step, x_grad = kernel_eval(page, "[w.step, float(w.input.grad)]")
        assert step == 3
        assert x_grad == pytest.approx(float(grads["v0"]), rel=1e-12), "kernel's w.input.grad is dy/dx"

    widget.back_button.click()
    widget.expect_step(2, grads)
    widget.reset_button.click()
    widget.expect_step(0, grads)
    if kernel:
        assert kernel_eval(page, "[w.step, w.output.grad]") == [0, None]

    # Keyboard: ArrowRight on the focused widget root steps (the notebook must not swallow it), and so on.
    widget.root.focus()
    page.keyboard.press("ArrowRight")
    widget.expect_step(1, grads)
    page.keyboard.press("ArrowRight")
    widget.expect_step(2, grads)
    page.keyboard.press("ArrowLeft")
    widget.expect_step(1, grads)
    page.keyboard.press("End")
    widget.expect_step(3, grads)
    page.keyboard.press("Home")
    widget.expect_step(0, grads)
    if kernel:
        assert kernel_eval(page, "w.step") == 0

    # 3. Add a block from the palette: the graph grows by a Function and a Variable, computed by the kernel.
    widget.root.get_by_role("button", name="Add sin", exact=True).click()
    expect(widget.function_nodes).to_have_count(4, timeout=WAIT_MS)
    expect(widget.variable_nodes).to_have_count(5)
    expect(widget.node("f3")).to_have_attribute("data-block", "sin")
    widget.expect_counter(0, 4)
    y = float(values["v3"])
    widget.expect_values({**values, "v4": np.sin(y)})
    if kernel:
        blocks, n_steps, out = kernel_eval(page, "[w.blocks, w.n_steps, float(w.output.data)]")
        assert (blocks, n_steps) == (["square", "exp", "square", "sin"], 4)
        assert out == pytest.approx(math.sin(y), rel=1e-12)
    # one step now processes sin, and its grad reaches the old output y: cos(y)
    widget.step_button.click()
    widget.expect_counter(1, 4)
    expect(widget.root.locator('[aria-current="step"]')).to_have_attribute("data-node-id", "f3")
    widget.wait_number("v3", "data-grad-value", math.cos(y), rel=1e-9)

    widget.root.get_by_role("button", name="Remove block 4 (sin)", exact=True).click()
    expect(widget.function_nodes).to_have_count(3, timeout=WAIT_MS)
    expect(widget.variable_nodes).to_have_count(4)
    expect(widget.node("f3")).to_have_count(0)
    expect(widget.node("v4")).to_have_count(0)
    expect(widget.root.get_by_role("button", name="Remove block 4 (sin)", exact=True)).to_have_count(0)
    widget.expect_step(1, grads)  # the step is kept; on the 3-block chain it is Square again
    widget.expect_values(values)
    if kernel:
        assert kernel_eval(page, "[w.blocks, w.n_steps, w.step]") == [["square", "exp", "square"], 3, 1]


def test_jupyterlab(page, lab_server, screenshots):
    path = copy_notebook(lab_server, STORY, "lab-story.ipynb")
    open_and_run_all(page, lab_server, path, app="lab")
    widget = Widget(page).wait_visible()
    widget.expect_counter(0, 3)  # after Run All the story's widget waits at its first step, as its text says
    exercise(page, widget, "lab", screenshots, kernel=True)


def test_notebook7(page, notebook_server, screenshots):
    path = copy_notebook(notebook_server, STORY, "nb7-story.ipynb")
    open_and_run_all(page, notebook_server, path, app="notebook")
    widget = Widget(page).wait_visible()
    widget.expect_counter(0, 3)
    exercise(page, widget, "notebook7", screenshots, kernel=True)


def test_voila(page, voila_server, screenshots):
    open_voila(page, voila_server)
    widget = Widget(page).wait_visible()
    widget.expect_counter(0, 3)
    widget.expect_values(chain(0.5)[0])
    slider = widget.slider
    assert float(slider.get_attribute("min")) == -1.5 and float(slider.get_attribute("max")) == 1.5
    exercise(page, widget, "voila", screenshots, kernel=False)


def test_jupyterlab_bad_blocks_from_python(page, lab_server, screenshots):
    """A bad `blocks` set in a cell: TraitError in the cell, the message in the widget, the old graph kept."""
    path = copy_notebook(lab_server, STORY, "lab-error.ipynb")
    open_and_run_all(page, lab_server, path, app="lab")
    widget = Widget(page).wait_visible()
    widget.step_button.click()
    widget.expect_counter(1, 3)
    expect(widget.alert).to_be_hidden()

    cell = run_cell(page, 'w.blocks = ["sqare"]')
    output = cell.locator(".jp-OutputArea-output")
    expect(output).to_contain_text("TraitError", timeout=WAIT_MS)
    expect(output).to_contain_text("Unknown block 'sqare'")

    expect(widget.alert).to_be_visible(timeout=WAIT_MS)
    expect(widget.alert).to_contain_text("Unknown block")
    expect(widget.alert).to_contain_text("square")  # the "did you mean" hint
    widget.screenshot(screenshots / "lab-error.png")
    # the old graph stays, at the old step, and the kernel kept running with the old state
    expect(widget.function_nodes).to_have_count(3)
    for node_id, block in [("f0", "square"), ("f1", "exp"), ("f2", "square")]:
        expect(widget.node(node_id)).to_have_attribute("data-block", block)
    values, grads = chain(0.5)
    widget.expect_values(values)
    widget.expect_step(1, grads)
    assert kernel_eval(page, "[w.blocks, w.n_steps, w.step]") == [["square", "exp", "square"], 3, 1]

    # the next good change clears the message
    widget.step_button.click()
    widget.expect_step(2, grads)
    expect(widget.alert).to_be_hidden(timeout=WAIT_MS)
