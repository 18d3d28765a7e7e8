"""Issue 11 §5 in a real JupyterLab: a kernel that goes away while its widget is on screen.

Shut down, restarted, or behind a network that stops carrying bytes: the widget says so in one line, keeps
stepping from the numbers it has (the right ones: numpy's chain rule), disables what only Python can do, and
never writes to a dead comm (no "Cannot send" error in the page). After a restart or shutdown its Python
object is gone, and the line says to run the cell again, which brings back a live widget. After the network
comes back, the page sends what the learner did meanwhile and Python's state follows it.
Screenshots: tests/browser/screenshots/kernel-*.png.
"""

import pytest
from delay_proxy import DelayProxy, Through
from gw_page import WAIT_MS, Widget, chain, copy_notebook, kernel_eval, open_and_run_all
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STORY = "01_backprop_story.ipynb"
LOSS_MS = 15_000  # a heartbeat (2 s) and an unanswered ping (4 s), with room for a busy machine


def watch_console(page):
    """Console errors that speak of sending: a write to a dead comm logs "Could not send widget sync
    message"."""
    errors = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "send" in m.text.lower() else None,
    )
    return errors


def open_story(page, server, name):
    path = copy_notebook(server, STORY, name)
    open_and_run_all(page, server, path, app="lab")
    widget = Widget(page).wait_visible()
    expect(widget.root).to_have_attribute("data-kernel", "live", timeout=WAIT_MS)
    expect(widget.root.locator(".gw-kernel-note")).to_be_hidden()
    return widget


def expect_stepping_without_kernel(page, widget, grads):
    """Step back, forward, reset and run all from the page's own numbers; the stack and code refuse edits."""
    widget.expect_step(0, grads)  # the story leaves its widget at the first step, for the learner to press
    widget.run_all_button.click()
    widget.expect_step(3, grads)
    widget.back_button.click()
    widget.expect_step(2, grads)
    widget.reset_button.click()
    widget.expect_step(0, grads)
    widget.step_button.click()
    widget.expect_step(1, grads)
    widget.run_all_button.click()
    widget.expect_step(3, grads)
    expect(widget.root.get_by_role("button", name="Add sin", exact=True)).to_be_disabled()
    expect(widget.root.get_by_role("textbox", name="Code")).to_be_disabled()
    # x slides from its table, with the numbers the kernel would have sent (numpy's chain rule here)
    expect(widget.slider).to_be_enabled()
    assert widget.set_x(0.9) == 0.9
    values, grads = chain(0.9)
    widget.expect_values(values)
    widget.expect_step(3, grads)


@pytest.mark.parametrize("how", ["shutdown", "restart"])
def test_a_widget_whose_kernel_goes_keeps_stepping_and_says_so(page, lab_server, screenshots, how):
    errors = watch_console(page)
    widget = open_story(page, lab_server, f"lab-kernel-{how}.ipynb")
    _, grads = chain(0.5)
    if how == "shutdown":
        page.evaluate("async () => { await window.__gwPanel.sessionContext.shutdown(); }")
    else:
        page.evaluate("async () => { await window.__gwPanel.sessionContext.session.kernel.restart(); }")
    # shutdown: the next ping finds the comm closed; restart: the widget manager marks the comm dead at once
    expect(widget.root).to_have_attribute("data-kernel", "gone", timeout=LOSS_MS)
    note = widget.root.locator(".gw-kernel-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("run its cell again")
    expect_stepping_without_kernel(page, widget, grads)
    widget.screenshot(screenshots / f"kernel-{how}.png")
    assert errors == [], f"the page wrote to a dead comm: {errors}"
    if how == "restart":
        # run the cell again: a new, live widget in its place
        page.evaluate(
            """async () => {
                const panel = window.__gwPanel;
                await panel.sessionContext.ready;
                await window.jupyterapp.commands.execute("notebook:run-all-cells");
            }"""
        )
        live = Widget(page).wait_visible()
        expect(live.root).to_have_attribute("data-kernel", "live", timeout=WAIT_MS)
        expect(page.locator(".gradwidget")).to_have_count(1)
        live.run_all_button.click()  # the new widget is at its first step too
        live.expect_counter(3, 3)
        live.back_button.click()
        live.expect_counter(2, 3)
        assert kernel_eval(page, "w.step") == 2


def test_a_dropped_network_and_its_return_resync_the_page_with_python(page, lab_server, screenshots):
    errors = watch_console(page)
    with DelayProxy(lab_server.port, rtt_ms=0) as proxy:
        widget = open_story(page, Through(lab_server, proxy), "lab-kernel-network.ipynb")
        _, grads = chain(0.5)
        widget.run_all_button.click()  # the story leaves its widget at the first step
        widget.expect_step(3, grads)
        proxy.hold()
        expect(widget.root).to_have_attribute("data-kernel", "lost", timeout=LOSS_MS)
        expect(widget.root.locator(".gw-kernel-note")).to_contain_text("not answering")
        widget.back_button.click()
        widget.back_button.click()
        widget.expect_step(1, grads)
        expect(widget.root.get_by_role("button", name="Add sin", exact=True)).to_be_disabled()
        widget.screenshot(screenshots / "kernel-network-lost.png")
        proxy.release()
        expect(widget.root).to_have_attribute("data-kernel", "live", timeout=LOSS_MS)
        expect(widget.root.locator(".gw-kernel-note")).to_be_hidden()
        # what the learner did while the network was down reached Python, and the page agrees with it
        assert kernel_eval(page, "[w.step, w.input.grad]") == [1, None]
        widget.expect_step(1, grads)
        expect(widget.root.get_by_role("button", name="Add sin", exact=True)).to_be_enabled()
    assert errors == [], f"the page wrote to a dead comm: {errors}"
