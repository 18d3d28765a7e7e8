"""Second derivatives in a real JupyterLab: GradWidget(order=2) and show(gx), stepped node by node, the
numbers the page shows checked against torch's, and a dezero-package graph stepped to dezero's own grads.

The test writes its own notebook (one kernel for the module). Cells: 0 `second`, square/exp/square at
x = 0.5 at order 2; 1 `newton`, show(gx) of the book's step-33 y = x**4 - 2*x**2 at x = 2; 2 `dz`, show(y)
of a dezero graph. Screenshots: tests/browser/screenshots/second-order-*.png.
"""

import pytest
import torch  # the test extra installs it: imported, never skipped
from gw_cells import cell_widget, notebook_fixtures
from gw_page import WAIT_MS, close, kernel_eval, parse_shown
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CELLS = [
    """import numpy as np
import gradwidget as gw
second = gw.GradWidget(blocks=["square", "exp", "square"], x=0.5, order=2)
second""",
    """from gradwidget.step32 import Variable
x = Variable(np.array(2.0), name="x")
y = x**4 - 2 * x**2
y.backward(create_graph=True)
gx = x.grad
x.cleargrad()
newton = gw.show(gx)
newton""",
    """for name in ("int", "float", "bool"):  # dezero 0.0.13 still says np.int (removed in numpy 1.24)
    if name not in vars(np):
        setattr(np, name, {"int": int, "float": float, "bool": bool}[name])
import dezero
import dezero.functions as F
t = dezero.Variable(np.array(0.7), name="t")
dz = gw.show(F.sin(t) * t + F.exp(t))
dz""",
]


nb, page = notebook_fixtures("lab-second-order.ipynb", CELLS)


def torch_stack(x):
    """f(x), f'(x), f''(x) of y = square(exp(square(x))), by torch."""
    t = torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
    y = torch.exp(t**2) ** 2
    (g,) = torch.autograd.grad(y, t, create_graph=True)
    (g2,) = torch.autograd.grad(g, t)
    return y.item(), g.item(), g2.item()


def node_id(page, widget, label):
    return kernel_eval(page, f"[n['id'] for n in {widget}.graph['nodes'] if n.get('label') == {label!r}][0]")


def shown_grad(w, node):
    """The grad a variable node shows: full precision in data-grad-value, 4 digits in its text."""
    full = w.node(node).get_attribute("data-grad-value")
    text = w.node(node).get_attribute("data-grad")
    return float(full), parse_shown(text)


def test_order_2_steps_the_backward_of_dy_dx_to_torchs_second_derivative(page, screenshots):
    w = cell_widget(page, 0)
    n = kernel_eval(page, "second.n_steps")
    assert n == 7
    w.expect_counter(0, n)
    x_id, gx_id = node_id(page, "second", "x"), kernel_eval(page, "second.graph['output']")
    _, first, second = torch_stack(0.5)
    w.wait_number(gx_id, "data-value", first, rel=1e-3)  # the output is gx = dy/dx (4 digits)
    # the first backward's Functions are framed apart and name the block whose backward recorded them
    recorded = w.root.locator("g.function.recorded")
    assert recorded.count() == kernel_eval(
        page, "sum(1 for n in second.graph['nodes'] if 'recorded_by' in n)"
    )
    expect(w.root.locator('g.function[data-recorded-by="Square"]').first).to_be_attached()
    expect(w.root.locator("g.variable.role-constant").first).to_be_attached()
    plot = w.root.locator("svg.gw-plot")
    expect(plot).to_have_attribute("data-order", "2")
    expect(plot.locator(".gw-plot-legend-f")).to_have_text("f\u2032(x)")
    expect(plot.locator(".gw-plot-legend-df")).to_have_text("f\u2033(x)")
    expect(w.root.locator(".gw-plot-section > summary")).to_have_text("f\u2032(x) and f\u2033(x)")

    card = w.root.locator(".gw-card")
    for k in range(1, n + 1):
        w.step_button.click()
        w.expect_counter(k, n)
        expect(card).to_have_attribute("data-step", str(k))
        order_line = card.locator(".gw-card-order")
        expect(order_line).to_have_text(
            kernel_eval(page, "second.card.splitlines()[0]", f"second.step = {k}")
        )
        if k == 3:
            page.screenshot(path=str(screenshots / "second-order-step3.png"), full_page=False)
    got, text = shown_grad(w, x_id)
    assert close(got, second, 1e-12) and close(text, second, 1e-3), (got, text, second)
    assert close(kernel_eval(page, "float(second.input.grad)"), second, 1e-15)
    w.root.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "second-order-done.png"), full_page=False)

    # the slider moves x; every number follows (from the table at once, then the kernel)
    taken = w.set_x(1.0)
    assert taken == 1.0
    _, first, second = torch_stack(1.0)
    w.wait_number(gx_id, "data-value", first, rel=1e-3)
    w.wait_number(x_id, "data-grad-value", second, rel=1e-12)
    expect(w.counter).to_have_text(f"Step {n} / {n}", timeout=WAIT_MS)
    assert close(kernel_eval(page, "float(second.input.grad)"), second, 1e-15)


def test_show_gx_of_the_books_step_33_steps_to_44(page, screenshots):
    w = cell_widget(page, 1)
    n = kernel_eval(page, "newton.n_steps")
    assert kernel_eval(page, "newton.names") == ["x", "x0"]  # no slider for the backward's own constants
    w.run_all_button.click()
    w.expect_counter(n, n)
    x_id = node_id(page, "newton", "x")
    t = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(t**4 - 2 * t**2, t, create_graph=True)
    (g2,) = torch.autograd.grad(g, t)
    w.wait_number(x_id, "data-grad-value", g2.item(), rel=1e-12)  # 44
    assert g2.item() == 44.0
    w.root.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "second-order-show-gx.png"), full_page=False)


def test_a_dezero_graph_steps_to_dezeros_own_grads(page, screenshots):
    w = cell_widget(page, 2)
    n = kernel_eval(page, "dz.n_steps")
    w.run_all_button.click()
    w.expect_counter(n, n)
    expected = kernel_eval(
        page,
        "float(t2.grad.data)",
        "t2 = dezero.Variable(np.array(0.7)); (F.sin(t2) * t2 + F.exp(t2)).backward()",
    )
    t_id = node_id(page, "dz", "t")
    w.wait_number(t_id, "data-grad-value", expected, rel=1e-15)
    assert kernel_eval(page, "float(t.grad.data)") == expected
    expect(w.root.locator('g.function[data-block="sin"]')).to_have_count(1)
    w.root.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "second-order-dezero.png"), full_page=False)
