"""Any graph: show(y) on DAGs and the learner's own classes, custom blocks, the code view, the magics."""

import math
import re

import numpy as np
import pytest
from IPython.core.error import UsageError
from IPython.display import display
from traitlets import TraitError

import gradwidget as gw
from gradwidget import Function, GradWidget, GraphWidget, Variable, register_block, show
from gradwidget.code import parse_stack, stack_code
from gradwidget.functions import BLOCKS
from gradwidget.wire import layout_from_json, read_row


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
    assert w.n_steps == 3 and w.names == ["x"]  # the name the learner's code gave it
    calls = BookExp.calls
    w.step = 2
    assert BookExp.calls == calls + 1  # the learner's own backward ran, once, on step 2
    assert x.grad is None and float(B.input.grad) == pytest.approx(2 * math.exp(0.25) * math.exp(0.25))
    w.run_all()
    assert float(x.grad) == pytest.approx(3.297442541400256, abs=1e-12)
    w.set_value("x", 1.0)
    assert float(y.data) == pytest.approx(math.exp(2.0))
    assert w.code == "a = BookSquare()(x)\nb = BookExp()(a)\ny = BookSquare()(b)"


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
    w.set_value("x", 0.2)  # still usable
    assert w.step == 0 and float(y.data) == pytest.approx(math.exp(0.08))


def test_show_rejects_what_is_not_a_graph():
    with pytest.raises(TypeError, match=r"show\(\) expects a Variable .* but got list"):
        show([1, 2])
    with pytest.raises(TypeError, match="must hold numbers"):
        show(BookIdentity()(BookVariable(np.array("abc"))))
    x = Variable(np.array(1.0))
    a = gw.square(x)
    x.creator = a.creator  # a cycle, by hand: the engine's own message for it, as y.backward() gives
    with pytest.raises(ValueError, match="This Square was called again .* loops back on itself"):
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
        w.set_value("x", 0.6)
        node = next(n for n in w.graph["nodes"] if n["label"] == block.__name__)
        failed = w.numbers["errors"]["forward"]
        assert failed["function"] == node["id"]
        assert failed["message"]["en"].startswith(message) and w.error.startswith(message)
        assert w.n_steps == 0
        assert float(a.data) == pytest.approx(0.36)  # the input is as it was, not 1.36
    finally:
        setattr(block, switch, False)
    w.set_value("x", 0.7)
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


# --- issue 12: a learner's code --------------------------------------------------------------------------


class InterruptibleExp(BookExp):
    """Ctrl-C landing in a learner's slow code, in whichever of its calls `where` names."""

    where = None  # "backward", "check" (forward off its input: numerical_diff), "curves" (on a grid)

    def forward(self, x):
        if InterruptibleExp.where == "check" and np.ndim(x) == 0 and x != self.input.data:
            raise KeyboardInterrupt
        if InterruptibleExp.where == "curves" and np.ndim(x) > 0:
            raise KeyboardInterrupt
        return np.exp(x)

    def backward(self, gy):
        if InterruptibleExp.where == "backward":
            raise KeyboardInterrupt
        return np.exp(self.input.data) * gy


@pytest.fixture
def interruptible():
    x = BookVariable(np.array(0.5))
    y = BookSquare()(InterruptibleExp()(BookSquare()(x)))
    yield show(y), x, y
    InterruptibleExp.where = None


def the_page_agrees_with_the_kernel(w, x):
    """The page's numbers are those of the leaf's value in the kernel, and the grads those of the step."""
    values = list(read_row(w.graph, w.numbers)["values"])
    assert values[0] == float(x.data) == w.values[0]
    assert values[-1] == pytest.approx(math.exp(float(x.data) ** 2) ** 2, rel=1e-12)
    reference = GradWidget(x=float(x.data))
    reference.step = w.step
    assert [None if v.grad is None else float(v.grad) for v in w.variables] == [
        None if v.grad is None else float(v.grad) for v in reference.variables
    ]


def test_an_interrupt_while_stepping_leaves_the_widget_at_the_last_step_done_saying_where(interruptible):
    w, x, y = interruptible
    InterruptibleExp.where = "backward"  # it ran when the steps were recorded; now it is slow
    w.step = 3
    assert w.step == 1 and w.n_steps == 3
    assert "InterruptibleExp.backward was interrupted at step 2; the widget stays at step 1" in w.error
    the_page_agrees_with_the_kernel(w, x)
    w.step_back()  # what raised StopIteration before
    assert w.step == 0 and all(v.grad is None for v in w.variables)
    w.set_state({"step": 2})  # from the page too: no exception; the step it stays at is synced back
    assert w.step == 1 and "interrupted at step 2" in w.error
    InterruptibleExp.where = None
    w.run_all()
    assert w.error == "" and float(x.grad) == pytest.approx(3.297442541400256, abs=1e-12)


def test_an_interrupt_in_the_gradient_check_shows_on_that_check_and_the_rest_moves_on(interruptible):
    w, x, y = interruptible
    InterruptibleExp.where = "check"
    w.set_value("x", 0.7)
    the_page_agrees_with_the_kernel(w, x)  # the kernel and the page both have x = 0.7
    assert "InterruptibleExp.forward was interrupted during the gradient check" in w.error
    checked = {c["function"]: c for c in w.checks}
    interrupted = [c for c in checked.values() if c["error"]]
    assert len(interrupted) == 1 and not interrupted[0]["flagged"] and len(checked) == 3
    InterruptibleExp.where = None
    w.set_value("x", 0.6)
    assert w.error == "" and not any(c["error"] for c in w.checks)


def test_an_interrupt_in_the_curves_leaves_them_out_and_says_so(interruptible):
    w, x, y = interruptible
    InterruptibleExp.where = "curves"
    w.ranges = [[-1.0, 1.0]]
    the_page_agrees_with_the_kernel(w, x)
    assert w.curves == {} and "InterruptibleExp.forward was interrupted while the f(x) plot" in w.error
    assert w.eps_curve == {}  # the error-against-eps plot, at today's x, says so too
    said = w.numbers["errors"]["eps_curve"]["message"]["en"]
    assert said.startswith("InterruptibleExp.forward was interrupted while the error-against-eps plot was")
    assert w.tables[0]["note"] == "live"  # no slider position keeps an interrupted plot as its answer
    InterruptibleExp.where = None
    w.set_value("x", 0.6)  # the next update draws them
    assert list(w.curves["x"][[0, -1]]) == [-1.0, 1.0] and w.error == "" and w.eps_curve["at"] == 0.6


def test_an_interrupt_while_working_a_slider_ahead_leaves_that_slider_to_the_kernel(monkeypatch):
    monkeypatch.setattr(
        "gradwidget.table._clock", lambda: 0.0
    )  # no time budget: every position is worked out
    x = BookVariable(np.array(0.5))
    y = BookSquare()(InterruptibleExp()(BookSquare()(x)))
    w = show(y)
    try:
        assert (
            w.tables[0]["rows"] is not None
        )  # quick code: positions worked out (all, or coarser on a busy machine)
        InterruptibleExp.where = "check"
        w.ranges = [[-1.0, 1.0]]  # the new range's positions are worked out, and their checks are interrupted
        table = w.tables[0]
        assert table["note"] == "live" and table["rows"] is None and table["errors"] == {}
        the_page_agrees_with_the_kernel(w, x)  # today's x is computed as ever, its own check said interrupted
        assert "interrupted during the gradient check" in w.error
        InterruptibleExp.where = "backward"
        w.ranges = [[-1.5, 1.5]]
        assert w.tables[0]["note"] == "live" and w.tables[0]["errors"] == {}
        InterruptibleExp.where = None
        w.ranges = [
            [-1.0, 1.0]
        ]  # Ctrl-C meant "stop working ahead": a range, eps or graph changed works again
        assert w.tables[0]["note"] is None and w.tables[0]["rows"] is not None and w.error == ""
    finally:
        InterruptibleExp.where = None


def test_an_interrupt_in_the_widgets_own_work_rolls_the_change_back(monkeypatch):
    w = GradWidget(x=0.5)
    w.step = 2
    before = (w.x, w.step, w.graph, repr(w.numbers), grads(w), [float(v.data) for v in w.variables])

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("gradwidget.table.step_numbers", interrupted)
    with pytest.raises(KeyboardInterrupt):  # from Python the cell stops, as Ctrl-C means
        w.x = 0.7
    after = (w.x, w.step, w.graph, repr(w.numbers), grads(w), [float(v.data) for v in w.variables])
    assert after == before and "Interrupted while updating for x = 0.7" in w.error
    sent = []
    w.send_state = lambda key=None: sent.append(key)
    w.set_state({"x": 0.7, "blocks": ["exp"]})  # from the page: nothing raised, the page is put back
    assert (w.x, w.step, list(w.blocks)) == (0.5, 2, ["square", "exp", "square"])
    assert sorted(sent[-1]) == ["blocks", "x"] and "Interrupted while updating" in w.error
    monkeypatch.undo()
    w.x = 0.7
    assert w.error == "" and float(w.output.data) == pytest.approx(math.exp(0.49) ** 2)


def grads(w):
    return [None if v.grad is None else float(v.grad) for v in w.variables]


class Sigmoid(Function):
    """As the first book writes it: forward keeps its output on self for backward."""

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, gy):
        return gy * self.out * (1 - self.out)


class ShapeKeepingAdd(Function):
    """The book's step-40 Add: forward keeps its inputs' shapes, backward sums a broadcast grad back."""

    def forward(self, x0, x1):
        self.x0_shape, self.x1_shape = x0.shape, x1.shape
        return x0 + x1

    def backward(self, gy):
        gx0, gx1 = gy, gy
        if self.x0_shape != self.x1_shape:
            gx0 = np.sum(gx0).reshape(self.x0_shape) if self.x0_shape == () else gx0
            gx1 = np.sum(gx1).reshape(self.x1_shape) if self.x1_shape == () else gx1
        return gx0, gx1


def test_the_widgets_own_evaluations_leave_what_a_learners_function_keeps_on_self():
    BLOCKS["sigmoid"] = Sigmoid
    try:
        w = GradWidget(blocks=["square", "sigmoid", "exp"], x=0.5)  # checks and curves ran
        w.x = 0.3
        w.run_all()
        assert w.error == "" and w.n_steps == 3
        x = Variable(np.array(0.3))
        y = gw.exp(Sigmoid()(gw.square(x)))
        y.backward()
        assert float(w.input.grad) == float(x.grad)
        sigmoid = w.functions[1]
        assert np.shape(sigmoid.out) == () and float(sigmoid.out) == float(w.variables[2].data)
    finally:
        BLOCKS.pop("sigmoid")
    x = Variable(np.array(0.5), name="x")
    c = Variable(np.array(2.0), name="c")
    w = show(gw.square(ShapeKeepingAdd()(x, c)))  # the curves ran x over a grid of 201 points
    w.run_all()
    assert w.error == "" and float(x.grad) == pytest.approx(2 * 2.5) and float(c.grad) == pytest.approx(5.0)
    assert w.functions[0].x0_shape == ()


def test_a_learners_variable_may_hold_a_python_float():
    x = BookVariable(0.5)
    y = BookSquare()(BookSquare()(x))
    w = show(y)
    assert w.names == ["x"] and w.values == [0.5] and w.error == ""
    w.run_all()
    assert float(x.grad) == pytest.approx(4 * 0.5**3)
    assert not any(check["flagged"] for check in w.checks)


class Step11Variable(BookVariable):
    pass


class Step11Function:
    """The book's step 11: a list of inputs in, a list of outputs out, forward(xs) on a list too."""

    def __call__(self, inputs):
        xs = [x.data for x in inputs]
        ys = self.forward(xs)
        outputs = [Step11Variable(np.asarray(y)) for y in ys]
        for output in outputs:
            output.set_creator(self)
        self.inputs, self.outputs = inputs, outputs
        return outputs


class Step11Add(Step11Function):
    def forward(self, xs):
        x0, x1 = xs
        return (x0 + x1,)

    def backward(self, gy):
        return gy, gy


class Step11Square(Step11Function):
    def forward(self, xs):
        (x,) = xs
        return [x**2]

    def backward(self, gy):
        return 2 * self.inputs[0].data * gy


def test_step_11s_forward_on_a_list_replays_checks_and_plots():
    a, b = Step11Variable(np.array(2.0)), Step11Variable(np.array(3.0))
    (s,) = Step11Add()([a, b])
    (y,) = Step11Square()([s])
    w = show(y)
    w.set_value("a", 1.0)  # what failed: the first slider move
    assert w.error == "" and float(y.data) == 16.0 and w.curves
    w.run_all()
    assert float(a.grad) == float(b.grad) == 8.0
    assert not any(check["flagged"] or check["error"] for check in w.checks)


def test_one_function_used_twice_gets_the_engines_own_message():
    x = Variable(np.array(0.5))
    A = gw.Square()
    y = A(gw.Exp()(A(x)))
    with pytest.raises(ValueError, match="This Square was called again after it made one of its own inputs"):
        show(y)
    with pytest.raises(gw.BackwardError, match="This Square was called again"):
        y.backward()


class InPlaceBlock(Function):
    def forward(self, x):
        x += 1  # the slip: changes its input's data
        return x

    def backward(self, gy):
        return gy


def test_a_registered_block_that_changes_its_input_is_caught_when_the_widget_is_built():
    BLOCKS["inplace"] = InPlaceBlock
    try:
        with pytest.raises(TraitError, match="InPlaceBlock.forward changed its input in place"):
            GradWidget(blocks=["inplace"], x=0.5)
        w = GradWidget(blocks=["square"], x=0.5)
        with pytest.raises(TraitError, match="changed its input in place"):
            w.blocks = ["square", "inplace"]
        assert w.blocks == ["square"] and float(w.input.data) == 0.5 and float(w.output.data) == 0.25
    finally:
        BLOCKS.pop("inplace")


def test_register_block_refuses_names_that_are_not_block_names_or_shadow_the_librarys():
    with pytest.raises(ValueError, match="not a keyword"):
        register_block("lambda", Cube)
    with pytest.raises(ValueError, match="x is the stack's input"):
        register_block("x", Cube)
    with pytest.raises(ValueError, match="'square' is one of gradwidget's own blocks.*replace=True"):
        register_block("square", Cube)
    assert BLOCKS["square"] is gw.Square
    try:
        register_block("cube", Cube)
        register_block("cube", Cube)  # re-running the learner's cell is fine
        register_block("square", Cube, replace=True)
        assert BLOCKS["square"] is Cube
    finally:
        BLOCKS["square"] = gw.Square
        BLOCKS.pop("cube", None)


def test_load_ext_keeps_showing_a_variable_class_defined_again_and_a_creatorless_one_plainly(ipython):
    shown = []
    import gradwidget.magics

    gradwidget.magics.display = lambda obj, **kwargs: shown.append(obj)
    try:
        cell = (
            "import numpy as np\n"
            "class Variable:\n"
            "    def __init__(self, data):\n"
            "        self.data, self.grad, self.creator = data, None, None\n"
            "class Square:\n"
            "    def __call__(self, input):\n"
            "        self.input = input\n"
            "        self.output = Variable(input.data ** 2)\n"
            "        self.output.creator = self\n"
            "        return self.output\n"
            "    def forward(self, x):\n"
            "        return x ** 2\n"
            "    def backward(self, gy):\n"
            "        return 2 * self.input.data * gy\n"
            "x = Variable(np.array(0.5))\n"
            "a = Square()(x)\n"
            "a"
        )
        for run in range(3):  # the book defines Variable again at every step
            result = ipython.run_cell(cell)
            assert result.error_in_exec is None and len(shown) == run + 1
            assert isinstance(shown[-1], GraphWidget) and shown[-1].code == "a = Square()(x)"
        result = ipython.run_cell(
            "class Variable:\n"
            "    def __init__(self, data):\n"
            "        self.data = data\n"
            "    def __repr__(self):\n"
            "        return f'variable({self.data})'\n"
            "Variable(1.0)"
        )
        assert result.error_in_exec is None and result.error_before_exec is None
        assert shown[-1] == {"text/plain": "variable(1.0)"}  # the book's steps 1-6: the plain value
    finally:
        gradwidget.magics.display = display


def test_the_gradwidget_magic_speaks_in_its_own_options(ipython):
    result = ipython.run_cell("%gradwidget square --x 5")
    assert result.error_in_exec is None and result.result.x == 5 and result.result.x_max == 6
    bad = ipython.run_cell("%gradwidget square --x 5 --x-max 3")
    assert "--x-max 5.0" in str(bad.error_in_exec) and "w.x_max" not in str(bad.error_in_exec)
    bad = ipython.run_cell("%gradwidget square 'exp")
    assert isinstance(bad.error_in_exec, UsageError) and "No closing quotation" in str(bad.error_in_exec)


def test_a_check_that_cannot_be_made_says_why_and_flags_nothing():
    w = GradWidget(blocks=["log", "square", "exp"], x=-1.0)
    assert [c["flagged"] for c in w.checks] == [False] * 3
    assert {c["error"] for c in w.checks} == {"Not checkable at this x: Log(−1) gives NaN."}
    assert not np.asarray(read_row(w.graph, w.numbers)["flagged"]).any()
    w.x = 1.0
    assert not any(c["error"] or c["flagged"] for c in w.checks)
    table = w.tables[0]  # every slider position worked out at once, as before: nothing flagged at any
    assert table["note"] is None and table["errors"] == {}
    layout = layout_from_json(w.graph["layout"])
    rows = np.asarray(table["rows"]).reshape(len(table["xs"]), table["width"])
    assert min(table["xs"]) < 0  # log(x) is NaN there, and so is numerical_diff
    assert not np.asarray([layout.read(row, "flagged") for row in rows]).any()
    w = GradWidget(blocks=["exp"] * 4, x=1.9)  # an overflow: inf
    assert all(re.search(r"Exp\(801(\.\d+)?\) gives ∞", c["error"]) and not c["flagged"] for c in w.checks)
    x = BookVariable(np.array(0.5))
    w = show(BookSquare()(WrongNumbers()(x)))  # a wrong backward is still flagged
    assert [c["flagged"] for c in w.checks] == [False, True]


class WrongNumbers(BookExp):
    def backward(self, gy):
        return 2 * np.exp(self.input.data) * gy


def test_labels_are_linear_in_the_graph(monkeypatch):
    import gradwidget.trace as trace

    made = []
    names = trace._intermediate_names

    def counted():
        for name in names():
            made.append(name)
            yield name

    monkeypatch.setattr(trace, "_intermediate_names", counted)
    x = Variable(np.array(0.3))
    y = x
    for i in range(3000):
        y = gw.square(y) if i % 2 == 0 else y + 0.25
    labels = trace.Graph(y).labels()
    assert len(set(labels.values())) == len(labels)  # all different
    assert len(made) < 2 * len(labels)  # each name tried once, not once per Variable that came before


def test_the_learners_own_names_label_the_graph():
    x = Variable(np.array(0.5))
    w_ = Variable(np.array(1.5))
    a = x * w_
    b = gw.sin(x)
    out = a + b
    w = show(out)
    assert w.names == ["x", "w_"]
    assert w.code.splitlines() == ["a = x * w_", "b = sin(x)", "out = a + b"]
    helper = show_inside_a_function()
    assert helper.names == ["t"] and helper.code == "y = square(t)"


def show_inside_a_function():
    t = Variable(np.array(2.0))
    return show(gw.square(t))


def test_two_leaves_of_the_same_name_get_two_slider_names():
    x = Variable(np.array(0.5), name="x")
    other = Variable(np.array(1.5), name="x")
    w = show(x * other)
    assert w.names == ["x", "x_2"] and w.code == "y = x * x_2"
    w.set_value("x_2", 2.0)
    assert float(other.data) == 2.0 and float(x.data) == 0.5


def test_two_widgets_of_one_graph_follow_each_other():
    x = Variable(np.array(0.5))
    a = gw.square(x)
    y = gw.exp(a)
    first, second, part = show(y), show(y), show(a)
    first.set_value("x", 1.5)
    for w in (second, part):
        assert w.values == [1.5] and read_row(w.graph, w.numbers)["values"][0] == 1.5
    assert read_row(second.graph, second.numbers)["values"][-1] == pytest.approx(math.exp(2.25))
    part.ranges = [[-1.0, 1.0]]  # narrowed past x: x follows, and so do the others
    assert first.values == second.values == part.values == [1.0]
    second.run_all()
    first.step = 1  # each widget's stepping stays its own
    assert float(y.grad) == 1.0 and a.grad is not None and x.grad is None
    second.step_back()
    assert second.step == 1 and first.step == 1


def test_show_ranges_follow_the_same_rule_as_the_stacks():
    x = Variable(np.array(0.5), name="x")
    given = r"x = 0.5 is outside the range \[1.0, 2.0\] you gave.*ranges=\[\[0.5, 2.0\]\]"
    with pytest.raises(TraitError, match=given):
        show(gw.square(x), ranges=[[1.0, 2.0]])
    w = show(gw.square(x), ranges=[[0.0, 2.0]])
    w.ranges = [[1.0, 2.0]]  # narrowed past x: x moves along, and the graph with it
    assert w.values == [1.0] and float(x.data) == 1.0 and read_row(w.graph, w.numbers)["values"][-1] == 1.0
    with pytest.raises(TraitError, match=r"widen it first, e.g. w.ranges = \[\[1.0, 3.0\]\]"):
        w.values = [3.0]
    assert show(gw.square(Variable(np.array(7.0), name="t"))).ranges == [[-2.0, 8.0]]
