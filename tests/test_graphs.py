"""Any graph: show(y) on DAGs and the learner's own classes, custom blocks, the code view, the magics."""

import math
import re

import numpy as np
import pytest
from traitlets import TraitError

import gradwidget as gw
from gradwidget import Function, GradWidget, GraphWidget, Variable, register_block, show
from gradwidget.code import parse_stack, stack_code
from gradwidget.functions import BLOCKS
from gradwidget.wire import read_row


class BookVariable:
    """The learner's own Variable, as steps 1-7 of the book write it (no gradwidget base class)."""

    def __init__(self, data):
        self.data = data
        self.grad = None
        self.creator = None

    def set_creator(self, func):
        self.creator = func


class BookFunction:
    def __call__(self, input):  # noqa: A002 - the book's own name
        x = input.data
        y = self.forward(x)
        output = BookVariable(y)
        output.set_creator(self)
        self.input = input
        self.output = output
        return output


class BookSquare(BookFunction):
    def forward(self, x):
        return x**2

    def backward(self, gy):
        return 2 * self.input.data * gy


class BookIdentity(BookFunction):
    def forward(self, x):
        return x

    def backward(self, gy):
        return gy


class BookExp(BookFunction):
    calls = 0

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        BookExp.calls += 1
        return np.exp(self.input.data) * gy


class BrokenExp(BookExp):
    def backward(self, gy):
        raise ValueError("forgot the chain rule")


class NoneExp(BookExp):
    def backward(self, gy):
        return None


class WrongShapeExp(BookExp):
    def backward(self, gy):
        return np.ones(3)


def test_diamond_graph_accumulates_both_branches_and_shows_each_contribution():
    x = Variable(np.array(2.0), name="x")
    a = gw.square(x)
    y = gw.add(gw.square(a), gw.exp(a))  # a feeds two branches
    w = show(y)
    assert w.output is y and w.inputs == [x]
    steps = w.graph["steps"]
    a_id = next(n["id"] for n in w.graph["nodes"] if n["kind"] == "variable" and n["label"] == "a")
    # a row's "gxs" hold one gx per input of each step; the layout says where each step's begin
    gxs = read_row(w.graph, w.numbers)["gxs"]
    starts = [at["gxs"] for at in w.graph["layout"]["steps"]]
    into_a = [float(gxs[start]) for s, start in zip(steps, starts) if s["inputs"] == [a_id]]
    assert into_a == pytest.approx([2 * 4.0, math.exp(4.0)])  # each branch's contribution, in order
    w.run_all()
    assert float(a.grad) == pytest.approx(2 * 4.0 + math.exp(4.0))
    assert float(x.grad) == pytest.approx((2 * 4.0 + math.exp(4.0)) * 2 * 2.0)
    reference = Variable(np.array(2.0))
    r = gw.square(reference)
    (gw.square(r) + gw.exp(r)).backward()
    assert float(x.grad) == float(reference.grad)


def test_two_leaves_get_two_sliders_that_replay_the_graph():
    x0 = Variable(np.array(0.5))
    x1 = Variable(np.array(1.5))
    z = x0 * x1 + gw.sin(x0)
    w = show(z)
    assert w.names == ["x0", "x1"] and w.values == [0.5, 1.5]
    w.run_all()
    assert float(x0.grad) == pytest.approx(1.5 + math.cos(0.5))
    w.set_value("x1", -1.0)
    assert w.output is z and float(z.data) == pytest.approx(-0.5 + math.sin(0.5))
    assert w.step == w.n_steps
    assert float(x0.grad) == pytest.approx(-1.0 + math.cos(0.5))
    assert float(x1.grad) == pytest.approx(0.5)
    with pytest.raises(TraitError, match="x0 = 9.0 is outside"):
        w.values = [9.0, 0.0]
    with pytest.raises(KeyError, match="the sliders are x0, x1"):
        w.set_value("x", 1.0)


def test_named_leaves_name_their_sliders():
    w = show(gw.square(Variable(np.array(1.0), name="t")))
    assert w.names == ["t"]


def test_the_learners_own_classes_step_through_their_own_backward():
    A, B, C = BookSquare(), BookExp(), BookSquare()
    x = BookVariable(np.array(0.5))
    y = C(B(A(x)))
    w = show(y)
    assert w.n_steps == 3 and w.names == ["x0"]
    calls = BookExp.calls
    w.step = 2
    assert BookExp.calls == calls + 1  # the learner's own backward ran, once, on step 2
    assert x.grad is None and float(B.input.grad) == pytest.approx(2 * math.exp(0.25) * math.exp(0.25))
    w.run_all()
    assert float(x.grad) == pytest.approx(3.297442541400256, abs=1e-12)
    w.set_value("x0", 1.0)
    assert float(y.data) == pytest.approx(math.exp(2.0))
    assert w.code == "a = BookSquare()(x0)\nb = BookExp()(a)\ny = BookSquare()(b)"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (BrokenExp, "BrokenExp.backward raised ValueError: forgot the chain rule"),
        (NoneExp, "NoneExp.backward returned None"),
        (WrongShapeExp, r"WrongShapeExp.backward returned a grad of shape \(3,\)"),
    ],
)
def test_a_broken_backward_shows_on_its_node_and_the_widget_stays_usable(broken, message):
    x = BookVariable(np.array(0.5))
    B = broken()
    y = BookSquare()(B(BookSquare()(x)))
    w = show(y)
    failed = w.numbers["errors"]["backward"]  # the record ends at the failing node
    assert re.search(message, failed["message"]["en"])
    assert failed["function"] == next(n["id"] for n in w.graph["nodes"] if n["label"] == broken.__name__)
    assert failed["step"] == 1 and w.graph["steps"][1]["function"] == failed["function"]
    assert w.n_steps == 1  # the step before it works; the broken one cannot be stepped past
    assert re.search(message, w.error)
    w.run_all()
    assert float(B.output.grad) == pytest.approx(2 * math.exp(0.25))
    w.reset()
    w.set_value("x0", 0.2)  # still usable
    assert w.step == 0 and float(y.data) == pytest.approx(math.exp(0.08))


def test_show_rejects_what_is_not_a_graph():
    with pytest.raises(TypeError, match=r"show\(\) expects a Variable .* but got list"):
        show([1, 2])
    with pytest.raises(TypeError, match="must hold numbers"):
        show(BookIdentity()(BookVariable(np.array("abc"))))
    x = Variable(np.array(1.0))
    a = gw.square(x)
    x.creator = a.creator  # a cycle, by hand
    with pytest.raises(ValueError, match="cycle"):
        show(a)


class Cube(Function):
    def forward(self, x):
        return x**3

    def backward(self, gy):
        return 3 * self.input.data**2 * gy


def test_a_registered_block_joins_the_palette_and_stacks():
    before = GradWidget()
    try:
        register_block("cube", Cube, rule="3 * x**2")
        assert "cube" in GradWidget().palette and "cube" in before.palette
        w = GradWidget(blocks=["cube", "exp"], x=0.5)
        w.run_all()
        assert float(w.input.grad) == pytest.approx(3 * 0.25 * math.exp(0.125))
        assert next(n for n in w.graph["nodes"] if n["label"] == "Cube")["rule"] == "3 * x**2"
    finally:
        BLOCKS.pop("cube", None)
    with pytest.raises(TypeError, match="needs a Function subclass"):
        register_block("cube", lambda x: x)
    with pytest.raises(ValueError, match="Python identifier"):
        register_block("my block", Cube)


class FailsBelowZero(Function):
    def forward(self, x):
        if x < 0:
            raise ValueError("needs x >= 0")
        return np.sqrt(x)

    def backward(self, gy):
        return gy / (2 * np.sqrt(self.input.data))


def test_a_failing_forward_shows_on_its_node_and_keeps_the_widget():
    BLOCKS["root"] = FailsBelowZero
    try:
        w = GradWidget(blocks=["root", "square"], x=1.0)
        w.x = -1.0
        node = next(n for n in w.graph["nodes"] if n["label"] == "FailsBelowZero")
        failed = w.numbers["errors"]["forward"]
        assert failed["function"] == node["id"] and "needs x >= 0" in failed["message"]["en"]
        assert "needs x >= 0" in w.error
        assert w.n_steps == 0
        values = read_row(w.graph, w.numbers)["values"]  # one per variable node
        assert values[0] == -1.0 and np.isnan(values[1:]).all()  # what the failed block made is unknown
        w.x = 0.25
        assert w.error == "" and w.n_steps == 2
        with pytest.raises(TraitError, match="needs x >= 0"):
            GradWidget(blocks=["root"], x=-1.0)
    finally:
        BLOCKS.pop("root")


def test_code_and_blocks_agree_both_ways():
    w = GradWidget(blocks=["square", "exp", "square"])
    assert w.code == "y = square(exp(square(x)))"
    w.add_block("sin")
    assert w.code == "y = sin(square(exp(square(x))))"
    w.code = "y = exp(cos(x))"
    assert w.blocks == ["cos", "exp"]
    assert GradWidget.from_code("tanh(x)").blocks == ["tanh"]
    assert parse_stack(stack_code(["log", "neg", "sin"]), BLOCKS) == ["log", "neg", "sin"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("y = relu(x)", "Unknown block 'relu'"),
        ("y = sqare(x)", "Did you mean 'square'"),
        ("y = square(x) + 1", "is not one"),
        ("__import__('os').system('echo hacked')", "is not one"),
        ("y = square(x, 2)", "exactly one argument"),
        ("y = square(", "not a Python expression"),
        ("", "Write the stack"),
        ("import os", "Write y = "),
    ],
)
def test_stack_expressions_are_parsed_safely_with_clear_errors(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_stack(text, BLOCKS)
    w = GradWidget()
    with pytest.raises(TraitError):
        w.code = text
    assert w.blocks == ["square", "exp", "square"] and w.code == "y = square(exp(square(x)))"


def test_graph_code_uses_operators_and_wrappers():
    x = Variable(np.array(1.0), name="x")
    y = -(gw.exp(x) * x) / x - x**3
    w = show(y)
    assert w.code.splitlines() == [
        "a = exp(x)",
        "b = a * x",
        "c = -b",
        "d = c / x",
        "e = x ** 3",
        "y = d - e",
    ]
    assert isinstance(w, GraphWidget)


@pytest.fixture
def ipython():
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()  # one shell per test process, started on first use
    shell.run_cell("%load_ext gradwidget")
    yield shell
    shell.run_cell("%unload_ext gradwidget")


def test_load_ext_shows_a_cells_variable_as_a_graph(ipython, monkeypatch):
    shown = []
    monkeypatch.setattr("gradwidget.magics.display", shown.append)
    ipython.run_cell("import gradwidget as g\nx = g.Variable(0.5)\ny = g.square(g.exp(x))\ny")
    assert len(shown) == 1 and isinstance(shown[0], GraphWidget)
    assert shown[0].output is ipython.user_ns["y"]
    ipython.run_cell(
        "class Variable:\n"
        "    def __init__(self, data):\n"
        "        self.data, self.grad, self.creator = data, None, None\n"
        "Variable(1.0)"
    )
    assert len(shown) == 2  # the learner's own Variable, defined in the notebook


def test_the_gradwidget_line_magic_builds_a_stack(ipython):
    result = ipython.run_cell("%gradwidget square exp square --x 0.3 --x-max 3")
    w = result.result
    assert isinstance(w, GradWidget) and w.blocks == ["square", "exp", "square"] and w.x == 0.3
    assert w.x_max == 3
    bad = ipython.run_cell("%gradwidget sqare")
    assert "Did you mean 'square'" in str(bad.error_in_exec)
    bad = ipython.run_cell("%gradwidget square --x abc")
    assert "invalid float value" in str(bad.error_in_exec)


class Interrupted(BookExp):
    """What a kernel interrupt looks like from inside a learner's slow backward."""

    def backward(self, gy):
        raise KeyboardInterrupt


class SlowForward(BookExp):
    interrupt = False

    def forward(self, x):
        if SlowForward.interrupt:
            raise KeyboardInterrupt
        return np.exp(x)


class TextForward(BookExp):
    text = False

    def forward(self, x):
        return "e^x" if TextForward.text else np.exp(x)


class InPlaceForward(BookExp):
    mutate = False

    def forward(self, x):
        if InPlaceForward.mutate:
            x += 1  # the learner's slip: changes the input Variable's data
        return np.exp(x)


def test_an_interrupted_backward_shows_on_its_node_and_other_widgets_are_unaffected():
    other = GradWidget()
    x = BookVariable(np.array(0.5))
    y = BookSquare()(Interrupted()(BookSquare()(x)))
    w = show(y)
    assert w.numbers["errors"]["backward"]["message"]["en"] == "Interrupted.backward was interrupted"
    assert w.n_steps == 1
    w.run_all()
    other.run_all()
    assert float(other.input.grad) == pytest.approx(3.297442541400256)


@pytest.mark.parametrize(
    ("block", "switch", "message"),
    [
        (SlowForward, "interrupt", "SlowForward.forward was interrupted"),
        (TextForward, "text", "TextForward.forward returned str 'e^x'; it must return numbers"),
        (InPlaceForward, "mutate", "InPlaceForward.forward changed its input in place"),
    ],
)
def test_a_misbehaving_forward_shows_on_its_node_and_keeps_the_widget(block, switch, message):
    x = BookVariable(np.array(0.5))
    f = block()
    a = BookSquare()(x)
    y = BookSquare()(f(a))
    w = show(y)
    setattr(block, switch, True)
    try:
        w.set_value("x0", 0.6)
        node = next(n for n in w.graph["nodes"] if n["label"] == block.__name__)
        failed = w.numbers["errors"]["forward"]
        assert failed["function"] == node["id"]
        assert failed["message"]["en"].startswith(message) and w.error.startswith(message)
        assert w.n_steps == 0
        assert float(a.data) == pytest.approx(0.36)  # the input is as it was, not 1.36
    finally:
        setattr(block, switch, False)
    w.set_value("x0", 0.7)
    assert w.error == "" and w.n_steps == 3 and float(y.data) == pytest.approx(np.exp(0.49) ** 2)


def test_labels_never_shadow_a_named_variable_and_inputs_follow_the_sliders():
    x = Variable(np.array(0.5), name="x")
    y = Variable(np.array(1.5), name="y")
    a = Variable(np.array(2.0), name="a")
    w = show(x * y + gw.sin(x) * a)
    assert w.code.splitlines() == ["b = x * y", "c = sin(x)", "d = c * a", "z = b + d"]
    labels = {n["id"]: n["label"] for n in w.graph["nodes"]}
    assert [labels[i] for i in w.graph["inputs"]] == w.names == ["x", "y", "a"]


def test_code_typed_differently_comes_back_in_the_usual_form():
    w = GradWidget()
    w.code = "y=square( exp(square(x)))"
    assert w.code == "y = square(exp(square(x)))"


class InterruptedSquare(Function):
    """The engine's own kind of block, interrupted inside its backward."""

    def forward(self, x):
        return x**2

    def backward(self, gy):
        raise KeyboardInterrupt


def test_an_interrupted_engine_backward_shows_on_its_node_and_stays_an_interrupt_for_backward():
    x = Variable(np.array(0.5))
    y = gw.exp(InterruptedSquare()(x))
    w = show(y)
    assert w.numbers["errors"]["backward"]["message"]["en"] == "InterruptedSquare.backward was interrupted"
    assert w.n_steps == 1
    w.run_all()
    assert float(y.grad) == 1.0
    w.reset()
    with pytest.raises(KeyboardInterrupt):
        y.backward()
