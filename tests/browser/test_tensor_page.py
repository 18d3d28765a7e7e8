"""Tensors in a real JupyterLab (issue 13 part 2): a matmul/broadcast graph stepped node by node, the numbers
the page shows checked against torch; step 42's loss graph with its 100-sample arrays summed up on their
nodes and opened by keyboard; an optimizer step in the kernel, then w42.update(loss), shown in the same
widget.

The notebook is written here (cells 0-1): `w` = show(sum(matmul(x, W) + b)) with x (2, 3), W (3, 2), b (2,)
broadcast over the rows; `w42` = show(loss) of step 42. Screenshots at 1280x900, light and dark:
tests/browser/screenshots/tensor-*.png.
"""

import json

import numpy as np
import pytest
import torch
from gw_cells import cell_widget, notebook_fixtures
from gw_page import kernel_eval, run_cell
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
W = [[0.5, -1.0], [0.25, 2.0], [-0.5, 1.5]]
B = [0.1, -0.2]
CELLS = [
    f"""import numpy as np
import gradwidget as gw
from gradwidget import Variable, show
x = Variable(np.array({X}), name="x")
W = Variable(np.array({W}), name="W")
b = Variable(np.array({B}), name="b")
w = show(gw.sum(gw.matmul(x, W) + b))
w""",
    """import gradwidget.functions as F
from gradwidget.step32 import Variable as V
np.random.seed(0)
xs = np.random.rand(100, 1)
ys = 5 + 2 * xs + np.random.rand(100, 1)
x42, y42 = V(xs, name="x"), V(ys, name="y")
W42, b42 = V(np.zeros((1, 1)), name="W"), V(np.zeros(1), name="b")
def loss42():
    return F.mean_squared_error(y42, F.matmul(x42, W42) + b42)
w42 = show(loss42())
w42""",
]
MATMUL, STEP42 = 0, 1
VIEWPORT = {"width": 1280, "height": 900}


nb, page = notebook_fixtures("lab-tensor.ipynb", CELLS, viewport=VIEWPORT)


def torch_grads_by_step():
    """What each Variable's grad is after each backward step, from torch's autograd of the same graph."""
    x, w, b = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (X, W, B))
    a = x @ w
    c = a + b
    for t in (a, c):
        t.retain_grad()
    c.sum().backward()
    ones = np.ones((2, 2))
    return {
        1: {"c": ones},
        2: {"c": ones, "a": a.grad.numpy(), "b": b.grad.numpy()},
        3: {"c": ones, "a": a.grad.numpy(), "b": b.grad.numpy(), "x": x.grad.numpy(), "W": w.grad.numpy()},
    }


def node_by_label(w, label):
    return w.root.locator("g.node.variable").filter(has=w.page.locator(f"text.label:text-is('{label}')"))


def shown_cells(node, which):
    """The numbers a small array's node shows, row by row ("value" or "grad" rows), as floats."""
    rows = node.locator(f"text.{which}.tensor-row").evaluate_all(
        "els => els.map(e => [...e.querySelectorAll('tspan')].map(t => t.textContent))"
    )
    return [[float(c.replace("\u2212", "-")) for c in row] for row in rows if row and row != ["\u2014"]]


def test_matmul_broadcast_graph_steps_to_torchs_numbers(page, screenshots):
    w = cell_widget(page, MATMUL)
    expected = torch_grads_by_step()
    x_node = node_by_label(w, "x")
    expect(x_node.locator("text.shape")).to_have_text("2\u00d73")
    assert shown_cells(x_node, "value") == X
    assert shown_cells(node_by_label(w, "W"), "value") == W
    step = w.root.get_by_role("button", name="Step", exact=True)
    for k in (1, 2, 3):
        step.click()
        w.expect_counter(k, 3)
        for label, grad in expected[k].items():
            node = node_by_label(w, label)
            shown = np.array(json.loads(node.get_attribute("data-grad-value")), dtype=float)
            np.testing.assert_allclose(
                shown.reshape(np.shape(grad)), grad, rtol=1e-12, err_msg=f"{label} at {k}"
            )
            cells = np.array(shown_cells(node, "grad"))
            np.testing.assert_allclose(cells.reshape(np.shape(grad)), grad, rtol=1e-3, err_msg=label)
        # the card is Python's w.card, line for line (the screen reader's lines)
        card = w.root.locator(".gw-card .gw-sr-only").all_text_contents()
        python = kernel_eval(page, "w.card").split("\n")
        assert card == [line for line in python if not line.startswith("shapes:")]
    card = w.root.locator(".gw-card")
    expect(card.locator(".gw-card-shapes").first).to_have_text(
        "shapes: gy (2, 2), W (3, 2) \u2192 gx0 (2, 3)"
    )
    expect(card.locator("math mtable.gw-matrix").first).to_be_visible()
    assert kernel_eval(page, "[c['flagged'] for c in w.checks]") == [False, False, False]
    for dark in (False, True):
        theme = "JupyterLab Dark" if dark else "JupyterLab Light"
        page.evaluate("(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
        page.wait_for_function("(dark) => document.body.dataset.jpThemeLight === String(!dark)", arg=dark)
        w.root.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        page.screenshot(path=screenshots / f"tensor-matmul-1280x900-{'dark' if dark else 'light'}.png")
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
    )


def test_step42_arrays_open_by_keyboard_and_update_after_an_optimizer_step(page, screenshots):
    w = cell_widget(page, STEP42)
    x_node = node_by_label(w, "x")
    expect(x_node.locator("text.shape")).to_have_text("100\u00d71")
    button = x_node.get_by_role("button", name="Show all 100 values of x (100\u00d71)")
    button.focus()
    page.keyboard.press("Enter")
    panel = w.root.locator("section.gw-tensor")
    expect(panel).to_be_visible()
    expect(panel).to_be_focused()
    expect(panel.locator("tbody tr")).to_have_count(100)
    xs = kernel_eval(page, "x42.data.ravel().tolist()")
    first = panel.locator("tbody tr").nth(0).locator("td").first.text_content()
    last = panel.locator("tbody tr").nth(99).locator("td").first.text_content()
    assert float(first) == pytest.approx(xs[0], rel=1e-5) and float(last) == pytest.approx(xs[99], rel=1e-5)
    w.root.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=screenshots / "tensor-step42-expanded-1280x900-light.png")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(button).to_be_focused()

    # the book's loop in the kernel, then the same widget shows the new numbers
    run_cell(
        page,
        """for i in range(100):
    loss = loss42()
    W42.cleargrad(); b42.cleargrad(); loss.backward()
    W42.data -= 0.1 * W42.grad.data
    b42.data -= 0.1 * b42.grad.data
w42.update(loss42());""",
    )
    w_node = node_by_label(w, "W")
    expect(w_node).to_have_attribute("data-value", "[[2.118]]")  # the book's W = [[2.11807369]]
    expect(w_node.locator("text.value.tensor-row tspan").first).to_have_text("2.12")  # 3 digits in a matrix
    loss = kernel_eval(page, "float(loss42().data)")
    z = w.root.locator("g.node.variable.role-output")
    expect(z).to_have_attribute("data-value", f"{loss:.4g}")
    assert kernel_eval(page, "w42.values") == pytest.approx([2.11807369, 5.46608905], rel=1e-8)
    w.root.get_by_role("button", name="Run all").click()
    w.expect_counter(3, 3)
    grad_w = kernel_eval(page, "float(np.ravel(getattr(W42.grad, 'data', W42.grad))[0])")
    shown = json.loads(w_node.get_attribute("data-grad-value"))
    assert np.ravel(shown)[0] == pytest.approx(grad_w, rel=1e-12)
    w.root.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(200)
    page.screenshot(path=screenshots / "tensor-step42-updated-1280x900-light.png")
