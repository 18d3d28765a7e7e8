"""Second derivatives in the widget: show(gx) of a recorded backward, GradWidget(order=2), graphs of the
dezero package and of a learner's own step-32 classes, each stepped to the numbers torch (or dezero) gives."""

import importlib
import math

import numpy as np
import pytest
import torch  # the test extra installs it, as dezero: imported, never skipped
from traitlets import TraitError

import gradwidget as gw
from gradwidget import GradWidget, show
from gradwidget.functions import BLOCKS
from gradwidget.step32 import Variable as Variable32
from gradwidget.wire import layout_from_json, read_row
from tests.learners import step32_core as learner
from tests.test_table import assert_row_matches, table_rows

TORCH_BLOCKS = {
    "square": lambda t: t**2,
    "exp": torch.exp,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "log": torch.log,
    "neg": torch.neg,
}


def torch_derivatives(f, x):
    """f(x), f'(x) and f''(x) by torch's autograd, in float64."""
    t = torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
    y = f(t)
    (g,) = torch.autograd.grad(y, t, create_graph=True)
    (g2,) = torch.autograd.grad(g, t)
    return y.item(), g.item(), g2.item()


def torch_stack(blocks):
    def f(t):
        for name in blocks:
            t = TORCH_BLOCKS[name](t)
        return t

    return f


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


# --- show(gx) -----------------------------------------------------------------------------------------------


def newton_gx(x0=2.0):
    x = Variable32(np.array(x0), name="x")
    y = x**4 - 2 * x**2
    y.backward(create_graph=True)
    return x, x.grad


def test_show_gx_steps_the_recorded_backward_to_the_second_derivative():
    x, gx = newton_gx(2.0)
    w = show(gx)
    assert w.order == 2 and w.graph["order"] == 2
    # the constants the backward made (4, 2, the seed 1) get no slider; the forward's own 2 (of 2 * x**2)
    # keeps the one show(y) gives it
    assert w.names == ["x", "x0"]
    constants = [n for n in w.graph["nodes"] if n.get("role") == "constant"]
    assert sorted(n["label"] for n in constants) == ["1", "2", "4"]
    recorded = [n for n in w.graph["nodes"] if n["kind"] == "function"]
    # every Function of gx's graph was made by the first backward, and carries its own rule for the card
    # the Add too that sums the two shares of x's grad
    assert {n["recorded_by"] for n in recorded} == {"Pow", "Mul", "Sub"}
    assert all(n["rule"] for n in recorded)
    assert w.code.splitlines()[-1].startswith("gx = ")  # the output is named as the book names it
    w.step = 1
    assert w.card.startswith("Second order: this backward differentiates dy/dx again.")
    assert "recorded by" in w.card.splitlines()[0]
    w.run_all()
    _, first, second = torch_derivatives(lambda t: t**4 - 2 * t**2, 2.0)
    assert close(w.output.data, first) and close(x.grad, second)  # 24 and 44
    w.set_value("x", 1.0)
    w.run_all()
    assert close(w.output.data, 0.0) and close(x.grad, 8.0)


def test_show_gx_draws_the_forward_nodes_the_backward_uses():
    x = Variable32(np.array(0.5), name="x")
    y = gw.exp(gw.sin(x))
    y.backward(create_graph=True)
    w = show(x.grad)
    functions = [n for n in w.graph["nodes"] if n["kind"] == "function"]
    forward = [n["label"] for n in functions if "recorded_by" not in n]
    assert sorted(forward) == ["Exp", "Sin"]  # Exp's backward reads its output y = exp(sin(x))
    w.step = next(i for i, s in enumerate(w.graph["steps"], 1) if s["function"] == functions[0]["id"])
    w.run_all()
    _, _, second = torch_derivatives(lambda t: torch.exp(torch.sin(t)), 0.5)
    assert close(x.grad, second)


def test_show_of_an_array_grad_says_how_to_get_a_variable():
    x = gw.Variable(np.array(0.5))
    y = gw.square(x)
    y.backward()
    with pytest.raises(TypeError, match=r"an array, not a Variable.*create_graph=True"):
        show(x.grad)


def test_show_cannot_change_its_order():
    x, gx = newton_gx()
    w = show(gx)
    with pytest.raises(TraitError, match=r"show\(gx\)"):
        w.order = 1
    assert w.order == 2 and "show(gx)" in w.error


def shares_to(w, label, numbers):
    """The sum of the grads the page's steps send to the variable labelled `label` (its grad at the end)."""
    (node,) = [n["id"] for n in w.graph["nodes"] if n.get("label") == label]
    targets = [x for step in w.graph["steps"] for x in step["inputs"]]  # one per gx, in row order
    return sum(float(gx) for target, gx in zip(targets, numbers["gxs"]) if target == node)


# --- GradWidget(order=2) ------------------------------------------------------------------------------------

STACKS = [["square", "exp", "square"], ["sin", "tanh", "square"], ["tanh", "cos", "exp", "neg"]]


@pytest.mark.parametrize("blocks", STACKS, ids="-".join)
@pytest.mark.parametrize("x", [-1.25, 0.5, 1.5])
def test_order_2_steps_the_backward_of_dy_dx_to_torchs_second_derivative(blocks, x):
    w = GradWidget(blocks=blocks, x=x, order=2)
    _, first, second = torch_derivatives(torch_stack(blocks), x)
    assert close(w.output.data, first)  # the graph's output is gx = dy/dx
    assert w.output.name == "gx" and w.input.name == "x"
    w.run_all()
    assert close(w.input.grad, second)
    numbers = read_row(w.graph, w.numbers)
    nodes = [n for n in w.graph["nodes"] if n["kind"] == "variable"]
    assert close(numbers["values"][[n["id"] for n in nodes].index(w.graph["output"])], first)
    # what the page adds up on x, share by share, is d2y/dx2
    assert close(shares_to(w, "x", numbers), second)
    checks = w.checks
    assert checks and not any(c["flagged"] for c in checks)


def test_order_2_names_the_grads_and_says_on_each_card_which_backward_recorded_it():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5, order=2)
    labels = {n["label"] for n in w.graph["nodes"] if n["kind"] == "variable"}
    assert {"x", "gy", "gb", "ga", "gx"} <= labels
    assert w.graph["inputs"] == [n["id"] for n in w.graph["nodes"] if n.get("label") == "x"]
    lines = []
    for step in range(1, w.n_steps + 1):
        w.step = step
        lines.append(w.card.splitlines()[0])
    assert all(line.startswith("Second order") for line in lines)
    assert any("recorded by Square's backward" in line for line in lines)
    assert any("from the forward pass" in line for line in lines)  # Exp: its backward reads y
    w.lang = "ko"
    assert w.card.startswith("2계 미분")


def test_order_is_a_trait_that_rebuilds_and_is_validated():
    w = GradWidget(blocks=["square", "exp"], x=0.5)
    assert w.order == 1 and w.n_steps == 2
    w.order = 2
    w.run_all()
    assert close(w.input.grad, torch_derivatives(torch_stack(["square", "exp"]), 0.5)[2])
    for bad in (0, 3, -1):
        with pytest.raises(TraitError, match=r"order must be 1 .* or 2"):
            w.order = bad
        assert w.order == 2 and "order must be 1" in w.error
    with pytest.raises(TraitError):
        w.order = "2"
    with pytest.raises(TraitError, match="order must be 1"):
        GradWidget(order=5)
    w.order = 1
    w.run_all()
    assert close(w.input.grad, torch_derivatives(torch_stack(["square", "exp"]), 0.5)[1])


def test_order_2_follows_the_slider_and_the_blocks():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5, order=2)
    w.step = 3
    w.x = 1.0
    assert w.step == 3
    w.run_all()
    assert close(w.input.grad, torch_derivatives(torch_stack(["square", "exp", "square"]), 1.0)[2])
    w.blocks = ["sin", "sin"]
    w.run_all()
    assert close(w.input.grad, torch_derivatives(torch_stack(["sin", "sin"]), 1.0)[2])
    w.blocks = []  # y = x: dy/dx = 1 has nothing more to step through
    assert w.n_steps == 0


def test_order_2_tables_hold_every_slider_position_as_a_fresh_run():
    blocks = ["square", "exp", "square"]
    w = GradWidget(blocks=blocks, x=0.5, order=2)
    assert w.graph["order"] == 2
    table = w.tables[0]
    assert table["note"] is None  # the whole grid, computed ahead, as at order 1
    layout = layout_from_json(w.graph["layout"])
    rows = table_rows(w)
    xs = np.asarray(table["xs"])
    live = GradWidget(blocks=blocks, x=0.5, order=2)
    for p in range(0, len(xs), 20):
        live.x = float(xs[p])
        assert_row_matches(rows[p], live.numbers["row"], layout, f"x = {xs[p]}")
        live.run_all()
        assert close(shares_to(w, "x", read_row(w.graph, {"row": rows[p]})), live.input.grad)


def test_order_2_plots_f_prime_and_f_second():
    blocks = ["sin", "exp"]
    w = GradWidget(blocks=blocks, x=0.5, order=2)
    curves = w.curves
    assert curves["order"] == 2
    for i in range(0, len(curves["x"]), 40):
        _, first, second = torch_derivatives(torch_stack(blocks), curves["x"][i])
        assert math.isclose(curves["y"][i], first, rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(curves["dy"][i], second, rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(curves["dy_numerical"][i], second, rel_tol=1e-6, abs_tol=1e-6)
    assert GradWidget(blocks=blocks).curves["order"] == 1


class DataExp(gw.Function):
    """A learner's Exp whose backward is the step-7 one, on .data: right at order 1, wrong if recorded."""

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        x = self.input.data
        return np.exp(x) * gy


class VariableExp(gw.Function):
    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        return gw.exp(self.input) * gy


@pytest.fixture
def learners_blocks():
    gw.register_block("dataexp", DataExp, rule="exp(x)")
    gw.register_block("variableexp", VariableExp, rule="exp(x)")
    yield
    del BLOCKS["dataexp"], BLOCKS["variableexp"]


def test_order_2_on_a_learners_backward_on_data_says_how_to_write_it(learners_blocks):
    with pytest.raises(
        TraitError, match=r"DataExp does not follow x.*x, = self.inputs.*return gy \* exp\(x\)"
    ):
        GradWidget(blocks=["square", "dataexp"], order=2)
    w = GradWidget(blocks=["square", "dataexp"], x=0.5)
    with pytest.raises(TraitError, match="DataExp"):
        w.order = 2
    assert w.order == 1 and w.n_steps == 2  # the last good graph stays
    w.run_all()
    assert close(w.input.grad, torch_derivatives(lambda t: torch.exp(t**2), 0.5)[1])
    w = GradWidget(blocks=["square", "variableexp"], x=0.5, order=2)
    w.run_all()
    assert close(w.input.grad, torch_derivatives(lambda t: torch.exp(t**2), 0.5)[2])


def test_order_2_on_a_backward_that_raises_on_variables_says_so(learners_blocks):
    class Fussy(gw.Function):
        def forward(self, x):
            return np.exp(x)

        def backward(self, gy):
            return np.exp(self.input.data) * np.asarray(gy, dtype=float)  # float() of a Variable: TypeError

    gw.register_block("fussy", Fussy)
    try:
        with pytest.raises(TraitError, match=r"order=2 needs a backward.*Fussy.backward raised"):
            GradWidget(blocks=["fussy"], order=2)
    finally:
        del BLOCKS["fussy"]


# --- the dezero package -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dezero():
    # dezero 0.0.13 still says np.int, np.float ..., removed from numpy 1.24 on: the aliases it needs
    for name, alias in (("int", int), ("float", float), ("bool", bool)):
        if name not in vars(np):  # not hasattr: numpy warns when asked for a removed alias
            setattr(np, name, alias)
    return importlib.import_module("dezero")  # in the test extra: never skipped


def dezero_graphs(dezero):
    F = dezero.functions

    def sin_mul(x):
        return F.sin(x) * x + x**2

    def tanh_exp(x):
        return F.tanh(F.exp(x) - x) / (x + 3)

    return {"sin_mul": sin_mul, "tanh_exp": tanh_exp}


@pytest.mark.parametrize("name", ["sin_mul", "tanh_exp"])
def test_show_steps_a_dezero_graph_to_dezeros_own_grads(dezero, name):
    build = dezero_graphs(dezero)[name]
    x = dezero.Variable(np.array(0.7), name="x")
    y = build(x)
    w = show(y)
    assert w.error == "" and w.names[0] == "x"
    w.run_all()
    assert isinstance(x.grad, dezero.Variable)  # dezero's own kind of grad, as its backward leaves it
    got = float(x.grad.data)
    x2 = dezero.Variable(np.array(0.7))
    build(x2).backward()
    assert got == float(x2.grad.data)
    assert not any(c["flagged"] for c in w.checks)
    rules = {n["label"]: n["rule"] for n in w.graph["nodes"] if n["kind"] == "function"}
    assert rules.get("Sin", "cos(x)") == "cos(x)" and all(rules.values())  # the book's rules, by name


def test_show_gx_of_a_dezero_graph_steps_dezeros_backward_to_the_second_derivative(dezero):
    x = dezero.Variable(np.array(2.0), name="x")
    y = x**4 - 2 * x**2
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    w = show(gx)
    w.run_all()
    assert float(x.grad.data) == 44.0
    x2 = dezero.Variable(np.array(1.5))
    y2 = x2**4 - 2 * x2**2
    y2.backward(create_graph=True)
    g2 = x2.grad
    x2.cleargrad()
    g2.backward()
    w.set_value("x", 1.5)
    w.run_all()
    assert float(x.grad.data) == float(x2.grad.data)
    assert close(x.grad.data, torch_derivatives(lambda t: t**4 - 2 * t**2, 1.5)[2])


# --- a learner's own step-32 classes ------------------------------------------------------------------------


def test_show_steps_a_learners_step32_backward_with_variables():
    x = learner.Variable(np.array(0.5), name="x")
    w_ = learner.Variable(np.array(1.5), name="w")
    y = learner.sin(x) * w_ + x * x
    w = show(y)
    learner.backward_calls.clear()
    w.run_all()
    assert len(learner.backward_calls) == w.n_steps  # theirs ran, once per step
    assert isinstance(x.grad, learner.Variable) and isinstance(w_.grad, learner.Variable)
    assert close(x.grad.data, math.cos(0.5) * 1.5 + 1.0) and close(w_.grad.data, math.sin(0.5))
    # their backward ran with recording off, as their own Variable.backward runs it by default
    assert x.grad.creator is None


def test_show_gx_of_a_learners_step32_graph_gives_the_second_derivative():
    x = learner.Variable(np.array(0.5), name="x")
    y = learner.sin(x) * x
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    w = show(gx)
    w.run_all()
    assert close(x.grad.data, torch_derivatives(lambda t: torch.sin(t) * t, 0.5)[2])


def test_create_graph_through_a_learners_backward_on_data_gives_a_clear_message():
    x = learner.Variable(np.array(0.5), name="x")
    y = learner.ArrayExp()(x)
    y.backward(create_graph=True)  # their backward returned an array: nothing was recorded
    with pytest.raises(TypeError, match=r"an array, not a Variable.*step 32"):
        show(x.grad)


def test_step_36s_double_backprop_is_first_order_with_the_recorded_nodes_marked():
    x = Variable32(np.array(2.0), name="x")
    y = x**2
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    z = gx**3 + y  # the book's step 36: z uses a grad, but is not one
    w = show(z)
    assert w.order == 1 and w.code.splitlines()[-1].split(" = ")[0] == "z"  # the learner's name, not gx
    marked = [n for n in w.graph["nodes"] if "recorded_by" in n]
    # Pow's backward, c * x ** (c - 1) * gy: a Pow and two Muls
    assert sorted(n["label"] for n in marked) == ["Mul", "Mul", "Pow"]
    assert {n["recorded_by"] for n in marked} == {"Pow"}
    w.run_all()
    assert float(x.grad) == 100.0  # the book prints variable(100.)
    for k in range(1, w.n_steps + 1):
        w.step = k
        f = w._records[k - 1].function
        first = w.card.splitlines()[0]
        assert ("was recorded by Pow's backward" in first) == (id(f) in w._graph.recorded)
        assert not first.startswith("Second order")
