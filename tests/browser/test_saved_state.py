"""Issue 7 §7 in a real JupyterLab: a notebook saved with widget state shows the same widget when reopened.

A JupyterLab of its own (the session's is shared, and this one's settings differ): the widget manager's
"Save Widget State Automatically" is on ({"saveState": true} for @jupyter-widgets/jupyterlab-manager:plugin in
its JUPYTERLAB_SETTINGS_DIR). The story notebook is run, its widget set to other blocks, x and step, the
notebook saved and its kernel shut down; reopened without running anything, the widget shows the saved
blocks, x and step; running the cell again brings back a live widget. Screenshots:
tests/browser/screenshots/saved-*.png.
"""

import json
import math
import shutil
import urllib.request

import numpy as np
import pytest
from conftest import EXAMPLES, Server
from gw_cells import NotebookPage, no_widget_errors, open_notebook
from gw_page import WAIT_MS, Widget, chain, kernel_eval, wait_for_panel
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STORY = "01_backprop_story.ipynb"
PATH = "saved-story.ipynb"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@pytest.fixture(scope="module")
def saving_lab(tmp_path_factory):
    base = tmp_path_factory.mktemp("saved-state")
    root = base / "notebooks"
    root.mkdir()
    shutil.copy(EXAMPLES / STORY, root / PATH)
    server = Server("lab", root, base / "lab")
    plugin = base / "lab" / "settings" / "@jupyter-widgets" / "jupyterlab-manager"
    plugin.mkdir(parents=True)
    (plugin / "plugin.jupyterlab-settings").write_text(json.dumps({"saveState": True}))
    server.start()
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def kernels(server):
    with urllib.request.urlopen(f"{server.url}/api/kernels", timeout=10) as reply:
        return json.load(reply)


def saved_model(server):
    """The GradWidget's state as the saved notebook holds it."""
    notebook = json.loads((server.root / PATH).read_text())
    state = notebook["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    ours = [m["state"] for m in state.values() if "blocks" in m.get("state", {})]
    assert len(ours) == 1, f"the saved notebook holds {len(ours)} GradWidget states; metadata: {list(state)}"
    return ours[0]


def expect_chain_with_sin(widget, x, step):
    """square, exp, square, sin at x, `step` steps in: the values and the grads the steps reached."""
    values, grads = chain(x)
    y = float(values["v3"])
    values = {**values, "v4": np.sin(y)}
    widget.expect_values(values)
    widget.expect_counter(step, 4)
    sent = {"v4": 1.0, "v3": math.cos(y)}
    sent["v2"] = sent["v3"] * 2 * float(values["v2"])
    for node_id, grad in list(sent.items())[: step + 1]:
        widget.wait_number(node_id, "data-grad-value", grad, rel=1e-9)
    for node_id in ("v0", "v1", "v2", "v3")[: 4 - step]:
        expect(widget.node(node_id)).to_have_attribute("data-grad", "")


def test_widget_state_survives_save_and_reopen(browser, saving_lab, screenshots):
    server = saving_lab
    first = open_notebook(browser, server, PATH)
    try:
        with no_widget_errors(first):
            page = first.page
            w = Widget(page).wait_visible()
            w.expect_counter(0, 3)  # the story leaves its widget at the first step
            w.root.get_by_role("button", name="Add sin", exact=True).click()
            expect(w.function_nodes).to_have_count(4, timeout=WAIT_MS)
            x = w.set_x(0.7)
            w.step_button.click()
            w.step_button.click()
            expect_chain_with_sin(w, x, 2)
            blocks, k_x, step = kernel_eval(page, "[w.blocks, w.x, w.step]")
            assert (blocks, step) == (["square", "exp", "square", "sin"], 2)
            assert k_x == pytest.approx(x, rel=1e-12)

            saved = page.evaluate(
                """async () => {
                    const panel = window.__gwPanel;
                    await panel.context.save();
                    return panel.context.model.dirty;
                }"""
            )
            assert saved is False
            state = saved_model(server)
            assert state["blocks"] == ["square", "exp", "square", "sin"]
            assert state["x"] == pytest.approx(x, rel=1e-12)
            assert state["step"] == 2
            page.evaluate("async () => { await window.__gwPanel.sessionContext.shutdown(); }")
            assert kernels(server) == [], "the kernel is shut down"
    finally:
        first.close()

    # reopen in a fresh page, without running any cell
    second = NotebookPage(browser)
    try:
        with no_widget_errors(second):
            page = second.page
            page.goto(f"{server.url}/lab/workspaces/reopened/tree/{PATH}")
            wait_for_panel(page, PATH)
            w = Widget(page).wait_visible()
            items = w.root.locator("li.gw-stack-item")
            expect(items).to_have_count(4)
            assert [items.nth(i).get_attribute("data-block") for i in range(4)] == [
                "square",
                "exp",
                "square",
                "sin",
            ]
            expect(w.node("f3")).to_have_attribute("data-block", "sin")
            assert float(w.slider.input_value()) == pytest.approx(x, abs=1e-9)
            expect_chain_with_sin(w, x, 2)
            w.root.screenshot(path=screenshots / "saved-reopened.png")
            # nothing ran: the new kernel has no `w`
            page.evaluate("async () => { await window.__gwPanel.sessionContext.ready; }")
            assert kernel_eval(page, "'w' in globals()") is False

            # run the cells again: a live widget, answering the kernel
            result = page.evaluate(
                """async () => {
                    const app = window.jupyterapp;
                    app.shell.activateById(window.__gwPanel.id);
                    return await app.commands.execute("notebook:run-all-cells");
                }"""
            )
            assert result is not False
            w = Widget(page)
            w.expect_counter(0, 3)
            expect(page.locator(".gradwidget")).to_have_count(1)
            expect(w.root.locator("li.gw-stack-item")).to_have_count(3)
            w.step_button.click()
            w.expect_counter(1, 3)
            assert kernel_eval(page, "[w.step, w.blocks]") == [1, ["square", "exp", "square"]]
            w.root.screenshot(path=screenshots / "saved-live-again.png")
    finally:
        server.remember_processes()
        second.close()
