"""The engine: the seed's numbers, every block's derivative, the backward loop, clear errors for bad input."""

import contextlib
import gc
import itertools
import warnings
import weakref

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gradwidget as gw
from gradwidget import (
    Add,
    BackwardError,
    Config,
    Cos,
    Div,
    Exp,
    Function,
    Log,
    Mul,
    Neg,
    Pow,
    Sin,
    Square,
    Sub,
    Tanh,
    Variable,
    backward_steps,
    gradient_check,
    no_grad,
    numerical_diff,
)

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # meeting inf is said with errstate

# Hypothesis may take its time per example on a busy 2-core machine; the whole file stays well under a minute.
props = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


# --- the seed notebook's numbers --------------------------------------------------------------------------


def test_square_of_10_is_100():
    assert Square()(Variable(np.array(10))).data == 100


def test_numerical_diff_of_square_at_2():
    assert numerical_diff(Square(), Variable(np.array(2))) == pytest.approx(4.000000000004, abs=1e-12)


def seed_chain():
    A, B, C = Square(), Exp(), Square()
    return A, B, C, (lambda x: C(B(A(x))))


def test_numerical_diff_of_the_chain_at_half():
    *_, f = seed_chain()
    assert numerical_diff(f, Variable(np.array(0.5))) == pytest.approx(3.2974426293330694, abs=1e-12)


def test_manual_backward_chain_as_in_the_seed():
    A, B, C = Square(), Exp(), Square()
    x = Variable(np.array(0.5))
    a = A(x)
    b = B(a)
    y = C(b)

    y.grad = np.array(1.0)
    b.grad = C.backward(y.grad)
    a.grad = B.backward(b.grad)
    x.grad = A.backward(a.grad)
    assert x.grad == pytest.approx(3.297442541400256, abs=1e-12)


def test_creators_link_the_chain_as_in_the_seed():
    A, B, C, f = seed_chain()
    x = Variable(np.array(0.5))
    y = f(x)
    assert y.creator is C and C.input.creator is B and B.input.creator is A and A.input is x
    assert A.output.creator is A and x.creator is None
    assert [A.generation, B.generation, C.generation] == [0, 1, 2]
    assert [x.generation, A.output.generation, y.generation] == [0, 1, 3]


def test_automatic_backward_gives_the_seeds_number():
    *_, f = seed_chain()
    x = Variable(np.array(0.5))
    y = f(x)
    y.backward()
    assert x.grad == pytest.approx(3.297442541400256, abs=1e-12)
    assert isinstance(x.grad, np.ndarray) and isinstance(y.grad, np.ndarray)


# --- every block's derivative, on random inputs in its domain ---------------------------------------------

anywhere = st.floats(-3, 3)
positive = st.floats(0.1, 10)
away_from_zero = st.builds(lambda sign, m: sign * m, st.sampled_from([-1.0, 1.0]), st.floats(0.5, 3))
shapes = st.sampled_from([(), (3,), (2, 3)])


def arrays(elements, shape):
    return st.lists(elements, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))).map(
        lambda xs: np.array(xs, dtype=float).reshape(shape)
    )


UNARY = [(Square, anywhere), (Exp, anywhere), (Sin, anywhere), (Cos, anywhere), (Tanh, anywhere),
         (Log, positive), (Neg, anywhere)]  # fmt: skip
BINARY = [(Add, anywhere), (Sub, anywhere), (Mul, anywhere), (Div, away_from_zero)]


@pytest.mark.parametrize("block, domain", UNARY, ids=lambda v: getattr(v, "__name__", ""))
@props
@given(data=st.data(), shape=shapes)
def test_unary_block_passes_gradient_check(block, domain, data, shape):
    x = data.draw(arrays(domain, shape))
    check = gradient_check(lambda x: block()(x), x)
    assert check.ok, check


@pytest.mark.parametrize("block, x1_domain", BINARY, ids=lambda v: getattr(v, "__name__", ""))
@props
@given(
    data=st.data(), shapes=st.sampled_from([((), ()), ((3,), (3,)), ((2, 3), ()), ((), (3,)), ((2, 3), (3,))])
)
def test_binary_block_passes_gradient_check_with_broadcasting(block, x1_domain, data, shapes):
    x0 = data.draw(arrays(anywhere, shapes[0]))
    x1 = data.draw(arrays(x1_domain, shapes[1]))
    check = gradient_check(lambda x0, x1: block()(x0, x1), x0, x1)
    assert check.ok, check
    assert [g.shape for g in check.backprop] == [shapes[0], shapes[1]]


def pow_domain(c):
    """Where x ** c and its grad are finite (c = 0 too: the book's 0 * x ** -1 is nan at x = 0)."""
    if not float(c).is_integer():
        return positive
    return anywhere if c > 0 else away_from_zero


@props
@given(c=st.sampled_from([-3, -2, -1, 0, 1, 2, 3, 4, 2.0, -1.5, 0.5, 2.5, np.int64(3), np.float64(1.5)]),
       data=st.data())  # fmt: skip
def test_pow_by_a_constant_passes_gradient_check(c, data):
    x = data.draw(arrays(pow_domain(c), data.draw(shapes)))
    check = gradient_check(lambda x: Pow(c)(x), x)
    assert check.ok, check


def test_gradient_check_reports_a_wrong_derivative():
    class WrongSquare(Function):
        def forward(self, x):
            return x**2

        def backward(self, gy):
            return self.input.data * gy  # forgot the 2

    check = gradient_check(lambda x: WrongSquare()(x), np.array(1.5))
    assert not check and check.max_error == pytest.approx(0.5, rel=1e-6)


# --- random compositions agree with numerical_diff --------------------------------------------------------

UNARY_OPS = {
    "square": gw.square,
    "exp": gw.exp,
    "sin": gw.sin,
    "cos": gw.cos,
    "tanh": gw.tanh,
    "neg": lambda a: -a,
    "log(1 + a²)": lambda a: gw.log(1 + a**2),
    "(1.5 + tanh a) ** 2.5": lambda a: (1.5 + gw.tanh(a)) ** 2.5,
    "a ** 3": lambda a: a**3,
}
BINARY_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "a / (2 + sin b)": lambda a, b: a / (2 + gw.sin(b)),
}

expressions = st.recursive(
    st.just("x") | st.floats(-2, 2).map(lambda c: round(c, 2)),
    lambda sub: (
        st.tuples(st.sampled_from(list(UNARY_OPS)), sub)
        | st.tuples(st.sampled_from(list(BINARY_OPS)), sub, sub)
    ),
    max_leaves=6,
)


def uses_x(expr):
    return expr == "x" or (isinstance(expr, tuple) and any(uses_x(e) for e in expr[1:]))


def evaluate(expr, x):
    if isinstance(expr, str):
        return x
    if isinstance(expr, float):
        return expr
    if len(expr) == 2:
        value = UNARY_OPS[expr[0]](evaluate(expr[1], x))
    else:
        value = BINARY_OPS[expr[0]](evaluate(expr[1], x), evaluate(expr[2], x))
    # keep every node moderate, so that no grad is inf * 0 where the function itself is flat
    assume(np.all(np.abs(getattr(value, "data", value)) < 1e3))
    return value


@props
@given(expr=expressions.filter(uses_x), x0=st.floats(-1, 1))
@np.errstate(over="ignore", invalid="ignore")  # a node past 1e3 is assumed away, maybe after overflowing
def test_random_compositions_agree_with_numerical_diff(expr, x0):
    # the central difference's own error grows with the curvature: only judge where it is small
    near = [float(numerical_diff(lambda v: evaluate(expr, v), Variable(x0), eps)) for eps in (1e-4, 2e-4)]
    assume(np.isfinite(near).all() and abs(near[0] - near[1]) < 1e-7 * max(1.0, abs(near[0])))

    x = Variable(np.array(x0))
    y = evaluate(expr, x)
    y.backward()
    assert float(x.grad) == pytest.approx(near[0], rel=1e-5, abs=1e-6)


# --- the backward loop: depth, diamonds, accumulation -----------------------------------------------------


def test_a_chain_of_100000_blocks_needs_no_recursion():
    x = Variable(np.array(0.7))
    y = x
    for _ in range(100_000):
        y = -y
    y.backward()
    assert y.data == 0.7 and x.grad == 1.0


def test_a_chain_of_100000_squares_and_adds_has_the_exact_gradient():
    """The bench workload at depth 100,000, against the same chain rule written as a plain float loop."""
    x = Variable(np.array(0.3))
    y, square_inputs = x, []
    for i in range(100_000):
        if i % 2 == 0:
            square_inputs.append(float(y.data))
            y = gw.square(y)
        else:
            y = y + 0.25
    y.backward()

    expected = 1.0
    for v in reversed(square_inputs):
        expected = 2 * v * expected
    assert float(x.grad) == expected  # the same products in the same order: bit for bit


def test_diamond_accumulates_both_branches():
    """The book's step 16: a feeds two squares, so a.grad must collect both before it goes on to x."""
    x = Variable(np.array(2.0))
    a = gw.square(x)
    y = gw.add(gw.square(a), gw.square(a))
    steps = list(backward_steps(y))
    assert y.data == 32.0 and x.grad == 64.0 and a.grad == 16.0
    assert steps[-1].function is a.creator  # once, and only after both branches gave their share
    assert [type(s.function) for s in steps].count(Square) == 3


def test_accumulation_as_in_the_books_step_14():
    x = Variable(np.array(3.0))
    y = gw.add(x, x)
    y.backward()
    assert x.grad == 2.0

    y = gw.add(gw.add(x, x), x)
    y.backward()
    assert x.grad == 5.0  # 2 + 3: no cleargrad in between, so the grads add up

    x.cleargrad()
    assert x.grad is None
    y = gw.add(gw.add(x, x), x)
    y.backward()
    assert x.grad == 3.0


def test_x_plus_x_via_operators():
    x = Variable(3.0)
    y = x + x
    y.backward()
    assert x.grad == 2.0


def test_retain_grad_false_drops_the_intermediate_grads():
    x = Variable(np.array(2.0))
    a = gw.square(x)
    b = gw.exp(a)
    y = gw.square(b)
    y.backward(retain_grad=False)
    assert a.grad is None and b.grad is None and y.grad is None  # as DeZero's step 18 does
    assert x.grad == pytest.approx(2 * np.exp(4.0) * np.exp(4.0) * 2 * 2.0, rel=1e-15)


def test_retain_grad_true_keeps_every_grad():
    x = Variable(np.array(2.0))
    a = gw.square(x)
    y = gw.exp(a)
    y.backward()
    assert y.grad == 1.0 and a.grad == pytest.approx(np.exp(4.0)) and x.grad is not None


# --- backward_steps is backward, one step at a time -------------------------------------------------------

GRAPH_OPS = {
    "+": (2, gw.add),
    "-": (2, gw.sub),
    "*": (2, gw.mul),
    "square": (1, gw.square),
    "sin": (1, gw.sin),
    "cos": (1, gw.cos),
    "tanh": (1, gw.tanh),
    "neg": (1, gw.neg),
}


@st.composite
def graphs(draw):
    """A random graph as a recipe: leaf values, then up to 8 ops on any earlier nodes (so nodes are shared).

    8 ops on values in [-1, 1] cannot overflow, even 7 squares after an add.
    """
    leaves = draw(st.lists(st.floats(-1, 1), min_size=1, max_size=3))
    ops = []
    for i in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from(list(GRAPH_OPS)))
        arity = GRAPH_OPS[name][0]
        ops.append((name, [draw(st.integers(0, len(leaves) + i - 1)) for _ in range(arity)]))
    return leaves, ops


def build(recipe):
    """Every Variable of the graph, leaves first; the last one is the output."""
    leaves, ops = recipe
    nodes = [Variable(np.array(v)) for v in leaves]
    for name, args in ops:
        nodes.append(GRAPH_OPS[name][1](*[nodes[i] for i in args]))
    return nodes


@contextlib.contextmanager
def recording_backward_calls():
    """Every block's backward appends its Function to a list first, to see the order backward() uses."""
    calls = []
    originals = {cls: cls.__dict__["backward"] for cls in (Add, Sub, Mul, Square, Sin, Cos, Tanh, Neg)}

    def recording(original):
        def backward(self, *gys):
            calls.append(self)
            return original(self, *gys)

        return backward

    try:
        for cls, original in originals.items():
            cls.backward = recording(original)
        yield calls
    finally:
        for cls, original in originals.items():
            cls.backward = original


def grads_of(nodes):
    return [None if v.grad is None else v.grad.copy() for v in nodes]


def clear(nodes):
    for v in nodes:
        v.cleargrad()


def assert_same_grads(got, want):
    for g, w in zip(got, want):
        assert (g is None) == (w is None)
        if w is not None:
            assert np.array_equal(g, w)


@props
@given(recipe=graphs())
def test_backward_steps_is_backward_one_step_at_a_time(recipe):
    nodes = build(recipe)
    y = nodes[-1]
    with recording_backward_calls() as order_of_backward:
        y.backward()
    grads_after_backward = grads_of(nodes)

    clear(nodes)
    steps = list(backward_steps(y))
    assert [s.function for s in steps] == order_of_backward
    assert_same_grads(grads_of(nodes), grads_after_backward)

    # each Function runs once, after every Function that uses its outputs
    done = set()
    for step in steps:
        f = step.function
        assert f not in done
        users = [g for g in (s.function for s in steps) if any(x.creator is f for x in g.inputs)]
        assert all(g in done for g in users)
        done.add(f)
        assert step.inputs == f.inputs
        assert all(gy is out().grad for gy, out in zip(step.gys, f.outputs))


@props
@given(recipe=graphs(), data=st.data())
def test_stopping_after_k_steps_leaves_exactly_their_grads(recipe, data):
    nodes = build(recipe)
    y = nodes[-1]
    all_steps = list(backward_steps(y))
    k = data.draw(st.integers(0, len(all_steps)))

    # what the first k steps add up to, by hand, from their records (the iterator is lazy: no step, no grad)
    expected = {id(y): np.ones_like(y.data)} if k > 0 else {}
    for step in all_steps[:k]:
        for x, gx in zip(step.inputs, step.gxs):
            expected[id(x)] = gx if id(x) not in expected else expected[id(x)] + gx

    clear(nodes)
    for _ in itertools.islice(backward_steps(y), k):
        pass
    assert_same_grads(grads_of(nodes), [expected.get(id(v)) for v in nodes])


def test_backward_steps_of_a_leaf_only_sets_its_grad():
    x = Variable(np.array([1.0, 2.0]))
    assert list(backward_steps(x)) == []
    assert np.array_equal(x.grad, [1.0, 1.0])


# --- no_grad and freeing by reference counting ------------------------------------------------------------


def test_no_grad_records_no_creator_and_restores_the_config():
    x = Variable(np.array(2.0))
    with no_grad():
        y = gw.square(x) + 1
        assert Config.enable_backprop is False
    assert y.creator is None and y.data == 5.0
    assert Config.enable_backprop is True
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("a cell that fails inside no_grad")
    assert Config.enable_backprop is True
    assert gw.square(x).creator is not None


@pytest.fixture
def gc_disabled():
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def test_a_graph_is_freed_by_reference_counting_alone(gc_disabled):
    x = Variable(np.array(0.5))
    y = gw.square(gw.exp(gw.square(x)))
    y.backward()
    dead_y, dead_creator = weakref.ref(y), weakref.ref(y.creator)
    del y
    assert dead_y() is None and dead_creator() is None  # no cycle: gc.collect() was never needed
    assert x.grad is not None


def test_a_deep_graph_is_freed_too(gc_disabled):
    x = Variable(np.array(0.5))
    y = x
    for i in range(10_000):
        y = gw.sin(y)
        if i == 5_000:
            middle = weakref.ref(y)
    y.backward()
    del y
    assert middle() is None


# --- operators --------------------------------------------------------------------------------------------

OTHERS = [3, 2.5, np.float64(1.5), np.int64(2), np.array(4.0), np.array([1.0, 2.0])]


@pytest.mark.parametrize("other", OTHERS, ids=lambda o: type(o).__name__ + str(np.shape(o)))
@pytest.mark.parametrize(
    "op",
    [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b],
    ids=["+", "-", "*", "/"],
)
def test_operators_take_a_variable_on_either_side(op, other):
    for swap in (False, True):
        x = Variable(np.array(3.0))
        y = op(other, x) if swap else op(x, other)
        assert isinstance(y, Variable), type(y)
        expected = op(np.asarray(other), 3.0) if swap else op(3.0, np.asarray(other))
        assert np.array_equal(y.data, expected)
        y.backward()
        assert x.grad.shape == ()
        h = 1e-6
        numerical = (np.sum(op(other, 3.0 + h) if swap else op(3.0 + h, other)) - np.sum(expected)) / h
        assert float(x.grad) == pytest.approx(numerical, rel=1e-4)


def test_operators_between_variables():
    a, b = Variable(np.array(3.0)), Variable(np.array(2.0))
    y = -(a * b - a / b + a**2) + b
    y.backward()
    assert y.data == -(6.0 - 1.5 + 9.0) + 2.0
    assert a.grad == -(2.0 - 0.5 + 6.0)
    assert b.grad == -(3.0 + 3.0 / 4.0) + 1.0


def test_ndarray_plus_variable_is_a_variable():
    x = Variable(np.array(1.0))
    y = np.array([1.0, 2.0]) + x
    assert isinstance(y, Variable) and np.array_equal(y.data, [2.0, 3.0])


def test_a_number_to_the_power_of_a_variable_says_what_to_write():
    x = Variable(np.array(2.0))
    with pytest.raises(TypeError, match=r"constant power.*int \*\* Variable.*exp\(x \* log\(base\)\)"):
        2**x
    with pytest.raises(TypeError, match="Pow needs a constant number as the exponent, but got Variable"):
        x**x


# --- bad input gets a clear error -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, type_name",
    [
        ("abc", "str"),
        (None, "NoneType"),
        (["a", "b"], "list"),
        (object(), "object"),
        (np.array(["a"]), "ndarray"),
    ],
)
def test_a_function_given_a_non_number_names_itself_the_type_and_the_fix(bad, type_name):
    with pytest.raises(TypeError) as error:
        Square()(bad)
    message = str(error.value)
    assert message.startswith("Square() needs a number or a numeric numpy array")
    assert f"got {type_name}" in message
    assert "Square()(Variable(np.array(0.5)))" in message


def test_a_binary_function_names_itself_too():
    with pytest.raises(TypeError, match=r"^Add\(\) needs .* got NoneType"):
        gw.add(Variable(1.0), None)


@pytest.mark.parametrize(
    "value", [np.array(0.5), 0.5, np.float64(0.5), np.float32(0.5), 3, np.int64(3), [0.5, 1.5]]
)
def test_a_function_wraps_ndarrays_and_numbers(value):
    y = Square()(value)  # the seed's A(np.array(0.5)) mistake: here it just works
    assert isinstance(y, Variable) and isinstance(y.data, np.ndarray)
    assert np.array_equal(y.data, np.asarray(value) ** 2)
    y.backward()
    assert isinstance(y.creator.input, Variable)


@pytest.mark.parametrize(
    "bad, type_name", [("abc", "str"), (None, "NoneType"), ({"x": 1}, "dict"), (2**70, "int")]
)
def test_variable_of_a_non_number_is_a_clear_type_error(bad, type_name):
    with pytest.raises(
        TypeError, match=rf"^Variable\(\) needs a number .* got {type_name} .*Variable\(np.array"
    ):
        Variable(bad)


@pytest.mark.parametrize("value", [np.array(0.5), 0.5, 2, np.float64(0.5), np.int32(1), True])
def test_variable_stores_numbers_as_ndarrays(value):
    v = Variable(value, name="v")
    assert isinstance(v.data, np.ndarray) and v.data == value
    assert repr(v) == f"variable({np.asarray(value)}, name='v')"


def test_forward_returning_nothing_names_the_function():
    class Forgetful(Function):
        def forward(self, x):
            x**2  # noqa: B018 - the missing return is the point

    with pytest.raises(TypeError, match=r"^Forgetful.forward's result needs a number .* got NoneType"):
        Forgetful()(Variable(1.0))


@contextlib.contextmanager
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_overflow_and_nan_are_values_with_numpys_own_warning():
    """The engine lets numpy say what it says (as the book's does): inf and nan are values, and numpy's
    RuntimeWarning comes once, where the maths happens. The widget computes quietly (test below)."""
    with pytest.warns(RuntimeWarning, match="overflow encountered in exp"):
        big = gw.exp(Variable(np.array(1000.0)))
    assert big.data == np.inf
    big.backward()  # gy * exp(x) = 1 * inf: a value, no new warning
    assert big.creator.input.grad == np.inf

    with np.errstate(all="ignore"):  # numpy's own switch quiets the engine too
        x = Variable(np.array(-1.0))
        y = gw.log(x)
        y.backward()
        assert np.isnan(y.data) and x.grad == -1.0
        zero = Variable(np.array(0.0))
        y = gw.log(zero)
        y.backward()
        assert y.data == -np.inf and zero.grad == np.inf
        assert (Variable(1.0) / 0.0).data == np.inf
        assert np.isnan((Variable(0.0) / 0.0).data)
        assert np.isnan((Variable(-8.0) ** 0.5).data)
        assert (Variable(0.0) ** -1).data == np.inf


def test_the_widget_never_warns_about_inf_and_nan():
    from gradwidget import GradWidget

    with warnings_are_errors():
        w = GradWidget(blocks=["exp", "exp", "exp"], x=2.0)  # exp(exp(exp(2))) = inf, and so is its grad
        w.run_all()
        assert "∞" in w.card
        w = GradWidget(blocks=["log"], x=0.0)
        w.run_all()
        assert "∞" in w.card and w.output.data == -np.inf
        w.x = -1.0
        assert np.isnan(w.output.data) and w.card


def learner_block(backward):
    """A learner's own Function subclass, written in the book's single-input style."""

    class MyBlock(Function):
        def forward(self, x):
            return x * 3

    MyBlock.backward = backward
    return MyBlock()


def bad_backward(self, gy):
    raise ValueError("oops")


@pytest.mark.parametrize(
    "backward, message",
    [
        (bad_backward, r"^MyBlock.backward raised ValueError: oops"),
        (lambda self, gy: None, r"^MyBlock.backward returned None; it must return gx"),
        (lambda self, gy: (gy, gy), r"^MyBlock.backward returned 2 grad\(s\) for 1 input\(s\)"),
        (
            lambda self, gy: np.ones(3) * gy,
            r"^MyBlock.backward returned a grad of shape \(3,\) for an input of shape \(\)",
        ),
        (lambda self, gy: "abc", r"^MyBlock.backward's result needs a number"),
    ],
    ids=["raises", "None", "two grads", "wrong shape", "a string"],
)
def test_a_learners_broken_backward_is_named(backward, message):
    f = learner_block(backward)
    y = f(Variable(np.array(2.0)))
    with pytest.raises(BackwardError, match=message) as error:
        y.backward()
    assert error.value.function is f


def test_a_missing_backward_is_named():
    class NoBackward(Function):
        def forward(self, x):
            return x

    with pytest.raises(
        BackwardError, match=r"NoBackward.backward raised NotImplementedError: NoBackward must"
    ):
        NoBackward()(Variable(1.0)).backward()


def test_a_function_called_again_on_its_own_result_is_named_not_looped():
    A = Square()
    x = Variable(np.array(2.0))
    y = A(A(x))  # A now remembers only its second call, whose input A made itself
    with pytest.raises(
        BackwardError, match=r"^This Square was called again .* e.g. Square\(\)\(Square\(\)\(x\)\)"
    ) as error:
        y.backward()
    assert error.value.function is A


def test_a_graph_looped_by_hand_is_named_not_looped():
    x = Variable(np.array(2.0))
    y = gw.sin(x)
    x.set_creator(y.creator)  # x is now made by the very Function that takes it
    with pytest.raises(BackwardError, match="^This Sin was called again"):
        y.backward()


def test_a_learners_block_in_the_books_styles_works():
    class MyMul(Function):  # multi-input style: self.inputs, a tuple of grads
        def forward(self, x0, x1):
            return x0 * x1

        def backward(self, gy):
            x0, x1 = self.inputs
            return gy * x1.data, gy * x0.data

    class MyCube(Function):  # single-input style, and an attribute of its own
        def __init__(self):
            self.calls = 0

        def forward(self, x):
            self.calls += 1
            return x**3

        def backward(self, gy):
            return 3 * self.input.data**2 * gy  # a numpy scalar: wrapped into an ndarray

    a, b = Variable(np.array(2.0)), Variable(np.array(5.0))
    cube = MyCube()
    y = cube(MyMul()(a, b))
    y.backward()
    assert cube.calls == 1 and cube.output is y
    assert a.grad == 3 * 100.0 * 5.0 and b.grad == 3 * 100.0 * 2.0
    assert isinstance(a.grad, np.ndarray)


# --- the seed prints arrays; from step 32 grads are Variables -------------------------------------------


def test_the_seed_prints_plain_arrays_after_backward_and_by_hand():
    A, B, C = Square(), Exp(), Square()
    x = Variable(np.array(0.5))
    y = C(B(A(x)))
    y.backward()
    assert str(x.grad) == "3.297442541400256" and isinstance(x.grad, np.ndarray)
    a, b = A.output, B.output
    y.grad = np.array(1.0)
    b.grad = C.backward(y.grad)  # the seed's step 6: each backward by hand, on arrays
    a.grad = B.backward(b.grad)
    x.grad = A.backward(a.grad)
    assert str(x.grad) == "3.297442541400256" and not isinstance(x.grad, Variable)


@contextlib.contextmanager
def counting_variables():
    made = []
    init = Variable.__init__

    def counted(self, *args, **kwargs):
        made.append(self)
        init(self, *args, **kwargs)

    Variable.__init__ = counted
    try:
        yield made
    finally:
        Variable.__init__ = init


def test_a_plain_backward_computes_on_arrays_and_makes_no_variable():
    x = Variable(np.array(0.7))
    y = gw.tanh(gw.sin(x) * gw.exp(x) / (1 + x**2)) - gw.log(gw.cos(x) + 2)
    with counting_variables() as made:
        y.backward()
    assert made == [] and gw.Config.on_arrays is False
    assert isinstance(x.grad, np.ndarray) and x.grad.shape == ()


def test_create_graph_records_the_backward_and_a_second_backward_gives_f2():
    """The book's step 33 on y = x**4 - 2x**2 at 2: f' = 4x**3 - 4x = 24, f'' = 12x**2 - 4 = 44."""
    for make in (Variable, gw.Step32Variable):
        x = make(np.array(2.0))
        y = x**4 - 2 * x**2
        y.backward(create_graph=True)
        gx = x.grad
        assert isinstance(gx, Variable) and gx.creator is not None and float(gx.data) == 24.0
        x.cleargrad()
        gx.backward()
        assert float(x.grad.data if isinstance(x.grad, Variable) else x.grad) == 44.0


@pytest.mark.parametrize(
    "f, derivatives",
    [
        (gw.exp, lambda x: [np.exp(x)] * 4),
        (gw.sin, lambda x: [np.cos(x), -np.sin(x), -np.cos(x), np.sin(x)]),
        (
            gw.tanh,
            lambda x: [
                1 - np.tanh(x) ** 2,
                -2 * np.tanh(x) * (1 - np.tanh(x) ** 2),
                (1 - np.tanh(x) ** 2) * (6 * np.tanh(x) ** 2 - 2),
                None,
            ],
        ),
        (
            gw.sigmoid,
            lambda x: [(s := 1 / (1 + np.exp(-x))) * (1 - s), s * (1 - s) * (1 - 2 * s), None, None],
        ),
        (
            lambda x: gw.log(x) * x**3,
            lambda x: [3 * x**2 * np.log(x) + x**2, 6 * x * np.log(x) + 5 * x, 6 * np.log(x) + 11, 6 / x],
        ),
    ],
    ids=["exp", "sin", "tanh", "sigmoid", "x3 log x"],
)
def test_higher_derivatives_through_outputs_that_keep_their_grads(f, derivatives):
    """Exp, Tanh and Sigmoid differentiate through their own output y: the grads the first backward left
    on the forward's Variables (retain_grad=True, the seed's default) must not leak into the next."""
    x0 = 0.8
    x = Variable(np.array(x0))
    y = f(x)
    y.backward(create_graph=True)
    for expected in derivatives(x0):
        gx = x.grad
        if expected is not None:
            assert float(gx.data) == pytest.approx(expected, rel=1e-12)
        x.cleargrad()
        gx.backward(create_graph=True)


@props
@given(expr=expressions.filter(uses_x), x0=st.floats(-1, 1))
@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def test_second_derivatives_agree_with_numerical_diff_of_the_first(expr, x0):
    def first(v):
        v = Variable(np.array(float(v.data)))
        evaluate(expr, v).backward()
        return Variable(np.array(float(v.grad)))

    near = [float(numerical_diff(first, Variable(x0), eps)) for eps in (1e-4, 2e-4)]
    assume(np.isfinite(near).all() and abs(near[0] - near[1]) < 1e-6 * max(1.0, abs(near[0])))
    x = Variable(np.array(x0))
    evaluate(expr, x).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    gx.backward()
    assume(x.grad is not None)  # f' does not depend on x (f is linear)
    assert float(x.grad) == pytest.approx(near[0], rel=1e-4, abs=1e-5)


def test_step32_variables_keep_variable_grads_and_so_do_their_results():
    from gradwidget.step32 import Variable as Variable32

    W = Variable32(np.zeros((1, 1)))
    x = np.ones((3, 1))
    loss = gw.sum((gw.matmul(x, W) - 1.0) ** 2)
    assert type(loss) is Variable32 and type(loss.creator.inputs[0]) is Variable32
    loss.backward()
    assert isinstance(W.grad, Variable32) and W.grad.creator is None
    assert W.grad.data.tolist() == [[-6.0]]
    W.data -= 0.1 * W.grad.data  # the book's step 42
    assert loss.grad is None  # intermediate grads are dropped, as DeZero's default does
    assert type(Variable(2.0) * 3) is Variable  # the seed's Variables stay as they were


def test_a_second_backward_on_the_same_graph_adds_once_onto_the_leaves():
    x = Variable(np.array(3.0))
    a = gw.square(x)
    y = gw.exp(a)
    y.backward()
    first_x, first_a = float(x.grad), float(a.grad)
    y.backward()  # no cleargrad: the leaf adds up; a holds this backward's grad, not the sum of both
    assert float(x.grad) == 2 * first_x and float(a.grad) == first_a


# --- tensors -------------------------------------------------------------------------------------------

matrices = st.tuples(st.integers(1, 3), st.integers(1, 3))


@props
@given(data=st.data(), shape=matrices)
def test_tensor_functions_pass_gradient_check(data, shape):
    a = data.draw(arrays(anywhere, shape))
    n, m = shape
    for f in [
        lambda x: gw.reshape(x, (m, n)),
        lambda x: x.reshape(n * m),
        lambda x: x.T,
        lambda x: gw.transpose(x, (1, 0)),
        lambda x: gw.sum(x, axis=0),
        lambda x: gw.sum(x, axis=1, keepdims=True),
        lambda x: x.sum(),
        lambda x: gw.broadcast_to(x, (2, n, m)),
        lambda x: gw.sum_to(x, (1, m)),
        lambda x: gw.sigmoid(x),
        lambda x: gw.matmul(x, np.ones((m, 2)) * 0.5),
        lambda x: gw.linear(x, np.full((m, 2), 0.3), np.array([1.0, -1.0])),
        lambda x: gw.mean_squared_error(x, np.zeros(shape)),
    ]:
        check = gradient_check(f, a)
        assert check.ok, check


def test_matmul_and_linear_grads_reach_every_input():
    x, W, b = Variable(np.ones((2, 3))), Variable(np.full((3, 4), 2.0)), Variable(np.zeros(4))
    gw.sum(gw.linear(x, W, b)).backward()
    assert (
        x.grad.tolist() == [[8.0] * 3] * 2
        and W.grad.tolist() == [[2.0] * 4] * 3
        and b.grad.tolist() == [2.0] * 4
    )


@pytest.mark.parametrize(
    "op", [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b]
)
def test_broadcasting_sums_each_grad_back_to_its_input(op):
    x0, x1 = Variable(np.ones((2, 3))), Variable(np.full((3,), 2.0))
    gw.sum(op(x0, x1)).backward()
    assert x0.grad.shape == (2, 3) and x1.grad.shape == (3,)


def test_shapes_that_do_not_broadcast_name_both_and_the_function():
    with pytest.raises(ValueError, match=r"^Add\(\) cannot take inputs of shapes \(3,\) and \(4,\)"):
        Variable(np.ones(3)) + Variable(np.ones(4))
    with pytest.raises(ValueError, match=r"^MatMul\(\) cannot take inputs of shapes \(2, 3\) and \(4, 5\)"):
        gw.matmul(np.ones((2, 3)), np.ones((4, 5)))


def test_sum_to_a_shape_it_cannot_reach_says_so():
    with pytest.raises(ValueError, match=r"sum_to cannot sum shape \(2, 3\) down to \(4,\).*e\.g\. \(3,\)"):
        gw.sum_to(Variable(np.ones((2, 3))), (4,))
    with pytest.raises(ValueError, match=r"cannot sum shape \(2,\) down to \(1, 2\)"):
        gw.sum_to(Variable(np.ones(2)), (1, 2))
    assert gw.sum_to(Variable(np.ones((2, 3))), (1, 3)).data.tolist() == [[2.0, 2.0, 2.0]]


# --- a learner's blocks and a dropped output ---------------------------------------------------------


class Split(Function):
    def forward(self, x):
        return x[:2], x[2:]

    def backward(self, gy0, gy1):
        return np.concatenate([gy0, gy1])


def test_a_dropped_output_of_a_multi_output_function_gets_a_zero_grad():
    x = Variable(np.arange(4.0))
    a, b = Split()(x)
    y = gw.sum(gw.square(a))
    del b  # the case: y.backward() raised AttributeError
    y.backward()
    assert x.grad.tolist() == [0.0, 2.0, 0.0, 0.0]

    x.cleargrad()
    a, b = Split()(x)  # b kept but unused: its share is zero too
    gw.sum(a * 3).backward()
    assert x.grad.tolist() == [3.0, 3.0, 0.0, 0.0] and b.grad is None

    x.cleargrad()
    a, b = Split()(x)
    y = gw.sum(gw.square(a))
    del b
    w = gw.show(y)  # and show() draws and steps it
    w.run_all()
    assert w.n_steps == 3 and x.grad.tolist() == [0.0, 2.0, 0.0, 0.0]


class NumpyExp(Function):
    rule = "exp(x)"

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        return np.exp(self.input.data) * np.asarray(gy.data)  # the book's step-7 style: on .data


def test_create_graph_on_a_block_written_on_arrays_says_how_to_write_it():
    x = Variable(np.array(1.0))
    NumpyExp()(x).backward()  # a plain backward is fine
    assert float(x.grad) == pytest.approx(np.e)
    with pytest.raises(BackwardError, match=r"NumpyExp.backward returned an array, not a Variable, though "
                       r"create_graph=True.*x, = self.inputs.*`return gy \* exp\(x\)`"):  # fmt: skip
        NumpyExp()(Variable(np.array(1.0))).backward(create_graph=True)


def test_a_backward_returning_none_is_shown_its_own_rule_or_a_neutral_form():
    class Cube(Function):
        rule = "3 * x**2"

        def forward(self, x):
            return x**3

        def backward(self, gy):
            return None

    class Plain(Cube):
        rule = None

    with pytest.raises(
        BackwardError, match=r"returned None; it must return gx, e.g. `return gy \* 3 \* x\*\*2`"
    ):
        Cube()(Variable(2.0)).backward()
    with pytest.raises(BackwardError, match=r"e.g. `return gy \* <local derivative>`"):
        Plain()(Variable(2.0)).backward()
    tanh_like = type("T", (Cube,), {"rule": "1 - y**2"})
    with pytest.raises(BackwardError, match=r"`return gy \* \(1 - y\*\*2\)`"):
        tanh_like()(Variable(2.0)).backward()


def test_layers_collect_their_parameters():
    import gradwidget.layers as L

    np.random.seed(0)
    layer = L.Linear(3)
    assert layer.W.data is None and repr(layer.W) == "variable(None, name='W')"
    y = layer(np.ones((2, 4)))
    assert y.shape == (2, 3) and layer.W.shape == (4, 3)
    gw.sum(y).backward()
    assert {p.name for p in layer.params()} == {"W", "b"}
    assert all(isinstance(p.grad, Variable) for p in layer.params())
    layer.cleargrads()
    assert all(p.grad is None for p in layer.params())


def test_a_plain_backward_takes_no_step_records_and_walks_the_same_functions():
    x = Variable(np.array(0.4))
    y = gw.exp(gw.square(x) + x) * x
    records = [step.function for step in gw.backward_steps(y)]
    for v in (x, y):
        v.cleargrad()
    assert list(gw.backward_steps(y, records=False)) == records


def test_operators_inside_a_backward_on_arrays_are_the_blocks_own_forward_to_the_last_bit():
    rng = np.random.default_rng(13)
    x = Variable(rng.uniform(-3, 3, size=()))
    c = float(rng.uniform(-3, 3))
    with gw.using_config("on_arrays", True):
        got = [2 * x, x * c, c - x, x - c, c / x, x / c, c + x, x + x]
    assert all(type(g) is not Variable for g in got)
    want = [gw.Mul()(2, x), gw.Mul()(x, c), gw.Sub()(c, x), gw.Sub()(x, c), gw.Div()(c, x), gw.Div()(x, c)]
    want += [gw.Add()(c, x), gw.Add()(x, x)]
    assert [float(g).hex() for g in got] == [float(w.data).hex() for w in want]
    assert (2 * x).creator.inputs[1] is x  # recorded outside it: Mul(2, x), in the order written


ARRAYS = [np.array(0.7), np.array(0.7, dtype=np.float32), np.array(3), np.array([0.5, 2.0])]
OPERANDS = [2, 2.5, True, np.float64(1.5), np.float32(1.5), 1 + 2j, [1.0, 2.0], (3.0,)]


@pytest.mark.parametrize("data", ARRAYS)
@pytest.mark.parametrize("other", OPERANDS)
def test_operators_inside_a_backward_on_arrays_give_the_forwards_type_and_value_for_any_operand(data, other):
    """Numpy's scalar maths stands in for a ufunc on a 0-d float array and a number: anything else (a list,
    which a numpy scalar would repeat or refuse, a complex, other dtypes) still gets the ufunc's answer."""
    x = Variable(data)
    with gw.using_config("on_arrays", True):
        got = [x * other, other * x, x + other, other + x, x - other, other - x, x / other, other / x]
    want = [data * other, other * data, data + other, other + data, data - other, other - data]
    want += [data / other, other / data]
    assert [type(g) for g in got] == [type(w) for w in want]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w, strict=True)
