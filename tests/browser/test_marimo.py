"""Issue 11 §6: marimo renders gradwidgets natively, tried as a new user would.

`marimo edit --headless` opens the notebook with its cells stale: the user presses the run button, and the
GradWidget and the show(y) widget appear (inside marimo's shadow root). `marimo run` runs the app at once.
In both, Step walks backprop with numpy's chain-rule numbers, and moving x asks marimo's kernel for new ones.
Two defects marimo showed are checked here: the first view of a chain fits marimo's narrow column (its last
node was cut off until Fit; the page now wraps a chain into rows), and the graph zooms with Ctrl+wheel inside
marimo's shadow root. Screenshots: tests/browser/screenshots/marimo-*.png.
"""

import sys

import pytest
from conftest import INSTALL_HINT
from gw_page import RUN_ALL_MS, WAIT_MS, Widget, chain, set_range
from launch import ServerProcess
from playwright.sync_api import expect

import gradwidget as gw

pytestmark = pytest.mark.browser

NOTEBOOK = """import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo

    import gradwidget as gw

    return gw, mo


@app.cell
def _(gw, mo):
    w = mo.ui.anywidget(gw.GradWidget(blocks=["square", "exp", "square"], x=0.5))
    w
    return (w,)


@app.cell
def _(gw, mo):
    x = gw.Variable(0.5, name="x")
    g = mo.ui.anywidget(gw.show(x * gw.Variable(1.5, name="w") + gw.sin(x)))
    g
    return (g,)


if __name__ == "__main__":
    app.run()
"""


def marimo_command(mode, path):
    def command(port):
        argv = [sys.executable, "-m", "marimo", mode, str(path), "--headless", "--port", str(port)]
        return [*argv, "--no-token"] if mode == "edit" else argv

    return command


@pytest.fixture(scope="module", params=["edit", "run"])
def marimo_server(request, tmp_path_factory):
    base = tmp_path_factory.mktemp(f"marimo-{request.param}")
    path = base / "lesson.py"
    path.write_text(NOTEBOOK)
    command = marimo_command(request.param, path)
    server = ServerProcess(f"marimo {request.param}", base / "home", command, cwd=base)
    server.mode = request.param
    try:
        server.start()
        try:
            server.wait_ready()
        except RuntimeError as error:
            pytest.fail(f"{error}\nInstall: {INSTALL_HINT}")
        yield server
    finally:
        server.stop()


def open_marimo(page, server):
    page.goto(f"{server.url}/")
    roots = page.locator(".gradwidget")
    if server.mode == "edit":
        # a new user's first click: marimo edit opens with every cell stale, and this runs them (its look,
        # not its `disabled`, says when the kernel is there to run them: yellow for stale cells). A second
        # tab joins the session the first one ran, cells and widgets already there.
        run = page.get_by_test_id("run-button").last.and_(page.locator(".yellow"))
        expect(run.or_(roots.first)).to_be_visible(timeout=RUN_ALL_MS)
        if run.is_visible():
            run.click()
    expect(roots).to_have_count(2, timeout=RUN_ALL_MS)
    return Widget(page, roots.nth(0)).wait_visible(), Widget(page, roots.nth(1)).wait_visible()


def test_marimo_renders_steps_and_moves_x(page, marimo_server, screenshots):
    stack, leaves = open_marimo(page, marimo_server)
    expect(stack.root).to_have_attribute("data-kernel", "live", timeout=WAIT_MS)
    values, grads = chain(0.5)
    stack.expect_values(values)
    stack.expect_step(0, grads)
    # the first view fits the whole chain into marimo's column: x and y, both ends, are in view
    view = stack.root.locator(".gw-viewport").bounding_box()
    for end in ("v0", "v3"):
        box = stack.node(end).bounding_box()
        left, right = box["x"], box["x"] + box["width"]
        assert view["x"] - 1 <= left and right <= view["x"] + view["width"] + 1, (end, box, view)
    stack.step_button.click()
    stack.expect_step(1, grads)
    stack.step_button.click()
    stack.expect_step(2, grads)
    stack.screenshot(screenshots / f"marimo-{marimo_server.mode}-step2.png")
    # x from the slider: marimo's kernel computes the new numbers
    x = stack.set_x(0.7)
    values, grads = chain(x)
    stack.expect_values(values)
    stack.expect_step(2, grads)

    # show(y): a slider per leaf, stepping
    leaves.step_button.click()
    leaves.expect_counter(1, 3)
    w = set_range(leaves.root.get_by_role("slider", name="w", exact=True), 2.0)
    x = gw.Variable(0.5, name="x")
    fresh = gw.show(x * gw.Variable(w, name="w") + gw.sin(x))
    output = f"v{fresh.variables.index(fresh.output)}"
    leaves.wait_number(output, "data-value", float(fresh.output.data), rel=1e-3)
    fresh.close()


def test_ctrl_wheel_zooms_the_graph_inside_marimos_shadow_root(page, marimo_server):
    stack, _ = open_marimo(page, marimo_server)
    graph = stack.root.locator(".gw-graph")
    viewport = stack.root.locator(".gw-viewport")
    viewport.scroll_into_view_if_needed()
    before = float(graph.get_attribute("data-zoom"))
    box = viewport.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    expect(graph).not_to_have_attribute("data-zoom", f"{before:.3f}", timeout=WAIT_MS)
    assert float(graph.get_attribute("data-zoom")) > before
