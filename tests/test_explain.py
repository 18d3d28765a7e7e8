"""Explaining each step: rule templates against backward, the gradient check, the plots, both languages."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from traitlets import TraitError

import gradwidget as gw
from gradwidget import Exp, GradWidget, Variable, numerical_diff, show
from gradwidget import table as table_module
from gradwidget.explain import (
    CheckPlan,
    check_function,
    evaluate,
    format_number,
    parse_rule,
    rule_names,
    rules_of,
    step_numbers,
    to_text,
)
from gradwidget.trace import Graph
from gradwidget.wire import read_row
from tests.learners import seed_core

UNARY_DOMAINS = {
    gw.Square: st.floats(-3, 3),
    gw.Exp: st.floats(-3, 3),
    gw.Sin: st.floats(-3, 3),
    gw.Cos: st.floats(-3, 3),
    gw.Tanh: st.floats(-3, 3),
    gw.Log: st.floats(0.05, 5),
    gw.Neg: st.floats(-3, 3),
}


@pytest.mark.parametrize("block", list(UNARY_DOMAINS), ids=lambda b: b.__name__)
def test_each_unary_rule_times_gy_is_its_backward(block):
    @settings(max_examples=40, deadline=None)
    @given(x=UNARY_DOMAINS[block], gy=st.floats(-2, 2))
    def check(x, gy):
        f = block()
        y = f(Variable(np.array(x)))  # noqa: F841 - kept alive: Tanh's rule and backward read y
        (tree,) = rules_of(f)
        local = evaluate(tree, rule_names(f), f)
        assert local * gy == pytest.approx(float(f.backward(np.array(gy))), rel=1e-12, abs=1e-12)

    check()


@pytest.mark.parametrize(
    ("make", "domain"),
    [
        (gw.Add, st.floats(-3, 3)),
        (gw.Sub, st.floats(-3, 3)),
        (gw.Mul, st.floats(-3, 3)),
        (gw.Div, st.floats(0.2, 3)),
        (lambda: gw.Pow(3), st.floats(-3, 3)),
        (lambda: gw.Pow(0.5), st.floats(0.1, 3)),
    ],
    ids=["Add", "Sub", "Mul", "Div", "Pow3", "Pow0.5"],
)
def test_each_multi_input_or_constant_rule_times_gy_is_its_backward(make, domain):
    @settings(max_examples=40, deadline=None)
    @given(x0=domain, x1=domain, gy=st.floats(-2, 2))
    def check(x0, x1, gy):
        f = make()
        arity = 1 if isinstance(f, gw.Pow) else 2
        inputs = [Variable(np.array(v)) for v in (x0, x1)[:arity]]
        y = f(*inputs)  # noqa: F841 - kept alive while backward runs
        gxs = f.backward(np.array(gy))
        gxs = gxs if isinstance(gxs, tuple) else (gxs,)
        for tree, gx in zip(rules_of(f), gxs):
            local = evaluate(tree, rule_names(f), f)
            assert local * gy == pytest.approx(float(gx), rel=1e-12, abs=1e-12)

    check()


def test_rules_read_as_a_learner_writes_them():
    assert to_text(parse_rule("2 * x")) == "2·x"
    assert to_text(parse_rule("1 - y**2")) == "1 − y^2"
    assert to_text(parse_rule("c * x ** (c - 1)")) == "c·x^(c − 1)"
    assert to_text(parse_rule("-x0 / x1**2")) == "−x0 / x1^2"
    with pytest.raises(ValueError, match="is not allowed"):
        parse_rule("__import__('os')")
    with pytest.raises(ValueError, match="not an expression"):
        parse_rule("2 *")
    # four significant digits, as the page writes every number (js/state.js formatNumber)
    assert format_number(3.297442541400256) == "3.297"
    assert format_number(-1.2e-8) == "−1.2e−8"
    assert format_number(123456) == "1.235e5" and format_number(0.0001) == "0.0001"
    assert format_number(float("inf")) == "∞" and format_number(float("nan")) == "NaN"


def test_the_card_shows_the_rule_with_todays_numbers():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    assert "press Step" in w.card
    w.step = 3
    assert w.card.splitlines() == [
        "Square: gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297 → x.grad",
        "upstream × local derivative = downstream: 3.297 × 1 = 3.297",
    ]
    w.step = 2
    assert w.card.splitlines()[0] == "Exp: gx = exp(x)·gy = exp(0.25) × 2.568 = 3.297 → a.grad"
    # the same for the page, which draws it as MathML: the rule once, the numbers with every update
    card = w.graph["steps"][1]["card"]
    assert card == {"rules": [{"call": "exp", "args": [{"name": "x"}]}], "inputs": ["a"], "constants": {}}
    row = read_row(w.graph, w.numbers)
    assert row["gys"][1] == pytest.approx(2 * math.exp(0.25))  # one gy per step here
    assert row["locals"][1] == pytest.approx(math.exp(0.25))  # one input per step here


def test_a_function_without_a_rule_still_shows_its_numbers():
    class Cube(gw.Function):
        def forward(self, x):
            return x**3

        def backward(self, gy):
            return 3 * self.input.data**2 * gy

    x = Variable(np.array(2.0), name="x")
    w = show(Cube()(x))
    w.step = 1
    # says how to add one, rather than that the class "declares" none
    assert w.card.splitlines() == [
        "No rule to show for Cube: give the class its local derivative as a rule "
        '(for a cube, rule = "3 * x**2") or pass rule= to register_block. These numbers are backprop\'s.',
        "gy = 1, gx = 12 → x.grad",
    ]
    w.lang = "ko"
    assert "register_block" in w.card.splitlines()[0] and "규칙" in w.card.splitlines()[0]
    assert w.graph["steps"][0]["card"]["rules"] is None


class WrongExp(Exp):
    """A learner's slip: forgot to multiply by exp(x)."""

    def backward(self, gy):
        return gy


def test_a_wrong_backward_is_flagged_on_its_node_and_only_there():
    x = Variable(np.array(0.5), name="x")
    y = gw.square(WrongExp()(gw.square(x)))
    w = show(y)
    flagged = {c["function"]: c["flagged"] for c in w.checks}
    exp_id = next(n["id"] for n in w.graph["nodes"] if n["label"] == "WrongExp")
    assert flagged == {fid: fid == exp_id for fid in flagged}
    wrong = next(c for c in w.checks if c["function"] == exp_id)["inputs"][0]
    assert wrong["backprop"] == pytest.approx(2 * math.exp(0.25))  # gy passed straight through
    assert wrong["numerical"] == pytest.approx(2 * math.exp(0.25) * math.exp(0.25), rel=1e-6)
    assert wrong["error"] > 0.2


def test_the_right_backward_passes_the_check_at_every_node():
    w = GradWidget(blocks=["square", "exp", "sin", "tanh", "log"], x=0.7)
    assert len(w.checks) == 5 and not any(c["flagged"] for c in w.checks)
    assert max(i["error"] for c in w.checks for i in c["inputs"]) < 1e-6
    w.eps = 1e-2
    assert max(i["error"] for c in w.checks for i in c["inputs"]) > 1e-6  # truncation error shows
    with pytest.raises(TraitError, match="between 1e-12 and 0.1"):
        w.eps = 0.0


def test_checks_worked_out_together_match_each_step_checked_alone():
    """step_numbers does the library's scalar steps one numpy call per kind of block: the same numbers as
    check_function and the rule, step by step, including blocks of one kind with different constants."""
    x0, x1 = Variable(np.array(0.7)), Variable(np.array(-1.3))
    a = gw.sin(x0 * x1) + gw.exp(x0) / x1
    y = gw.tanh(a**2) + (a**3 - gw.log(gw.square(x1))) * gw.cos(-x0)
    graph = Graph(y)
    with np.errstate(all="ignore"):
        record = graph.record_backward()
        together, check_errors = step_numbers(record.steps, eps=1e-4, tolerance=1e-4)
    assert check_errors == {}
    index = 0
    for step in record.steps:
        alone = check_function(step.function, step.gys, step.gxs)
        trees = rules_of(step.function)
        for i, result in enumerate(alone):
            assert together["numerical"][index] == pytest.approx(float(result["numerical"]), rel=1e-12)
            assert together["errors"][index] == pytest.approx(result["error"], rel=1e-6, abs=1e-15)
            assert together["flagged"][index] == float(result["flagged"])
            local = evaluate(trees[i], rule_names(step.function), step.function)
            assert together["locals"][index] == pytest.approx(float(local), rel=1e-15)
            index += 1
    assert index == len(together["numerical"]) == sum(len(step.gxs) for step in record.steps)


def same_bits(a, b):
    """Every number the same float64, 0.0 and -0.0 told apart, NaN equal to NaN; None where None."""
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    same = (a == b) & (np.signbit(a) == np.signbit(b))
    return a.shape == b.shape and bool(np.all(same | (np.isnan(a) & np.isnan(b))))


def scalar_graph(x0_value, x1_value):
    """Every elementwise library block, Pow with three constants, an input used twice, on two leaves."""
    x0, x1 = Variable(np.array(x0_value)), Variable(np.array(x1_value))
    with np.errstate(all="ignore"):
        a = gw.sin(x0 * x1) + gw.exp(x0) / x1 - gw.sigmoid(x0 * x0)
        b = gw.tanh(a**2) + (a**3 - gw.log(gw.square(x1))) * gw.cos(-x0) + gw.log(x0) ** 0.5
        return Graph(b - a)


@pytest.mark.parametrize(
    "x0, x1",
    [(0.7, -1.3), (-0.7, 2.0), (0.0, 1.0), (-0.0, -0.5), (800.0, 1.0), (1e-300, 3.0), (2.0, 0.0)],
)
def test_a_check_plan_gives_step_numbers_own_numbers_bit_for_bit(x0, x1):
    """The plan a graph keeps for its batches (made once, not at every x) gives the very numbers of
    step_numbers' own path: NaN (log of a negative), inf (exp of 800), -0.0 and a division by zero too."""
    graph = scalar_graph(x0, x1)
    with np.errstate(all="ignore"):
        record = graph.record_backward()
        own, own_errors = step_numbers(record.steps, eps=1e-4, tolerance=1e-4)
        plan = CheckPlan(record.steps)
        assert plan.batches is not None and plan.fits(record.steps)
        planned, planned_errors = step_numbers(record.steps, eps=1e-4, tolerance=1e-4, plan=plan)
    assert all(isinstance(planned[name], np.ndarray) for name in planned)  # not the same path twice
    assert planned.keys() == own.keys()
    for name in own:
        assert len(planned[name]) == len(own[name])
        assert all(same_bits(a, b) for a, b in zip(planned[name], own[name])), name
    assert planned_errors == own_errors


@np.errstate(all="ignore")
def test_a_check_plan_steps_aside_when_its_numbers_are_not_what_it_was_made_for():
    graph = scalar_graph(0.7, -1.3)
    with np.errstate(all="ignore"):
        record = graph.record_backward()
    plan = CheckPlan(record.steps)
    step = record.steps[3]
    for odd in (np.float64(0.5), np.array([0.5]), np.array(0.5 + 1j)):  # not a 0-d array of reals
        kept, step.gxs[0] = step.gxs[0], odd
        assert plan.numbers(record.steps, 1e-4, 1e-4) is None
        step.gxs[0] = kept
    assert plan.numbers(record.steps, 1e-4, 1e-4) is not None
    power = next(s.function for s in record.steps if isinstance(s.function, gw.Pow))
    power.c += 1  # a constant is part of its batch: that batch no longer holds
    assert plan.numbers(record.steps, 1e-4, 1e-4) is None
    assert not plan.fits(record.steps[1:]) and CheckPlan(record.steps[1:]).fits(record.steps[1:])
    learners = Graph(seed_core.Exp()(seed_core.Variable(np.array(0.5))))  # the book's: step by step
    assert CheckPlan(learners.record_backward().steps).batches is None


def test_a_stack_sorts_its_checks_into_batches_once_and_shows_what_it_showed_before(monkeypatch):
    """Moving x does not sort the steps into batches again; and every row is, bit for bit, the one the
    step-by-step path gives (the plan turned off)."""
    made = []
    monkeypatch.setattr(table_module, "CheckPlan", lambda steps: made.append(1) or CheckPlan(steps))
    blocks = ["sin", "exp", "tanh", "square", "cos", "log", "neg"] * 3
    w, plain = GradWidget(blocks=blocks, x=0.5), GradWidget(blocks=blocks, x=0.5)
    monkeypatch.setattr(plain, "_publish", no_plan(plain._publish))
    for x in (0.7, -1.3, 0.0, 1.999, -0.004, 2.0, -2.0):  # log's NaN below 0 included
        w.x = plain.x = x
        assert same_bits(w.numbers["row"], plain.numbers["row"])
        assert w.numbers["errors"] == plain.numbers["errors"] and repr(w.checks) == repr(plain.checks)
    assert table_module._check_plans[w._graph].batches is not None  # w's numbers came from its plan
    assert len(made) == 1 + 1  # the stack's first update, and the plain widget's (asked, then unused)


def no_plan(publish):
    def without(*args, **kwargs):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(CheckPlan, "numbers", lambda self, *a: None)
            return publish(*args, **kwargs)

    return without


def test_the_plots_match_a_forward_and_numerical_diff_at_each_point():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5, x_min=-1, x_max=1)
    curves = w.curves
    xs = np.array(curves["x"])
    assert len(xs) == 201 and xs[0] == -1 and xs[-1] == 1
    assert np.allclose(curves["y"], np.exp(xs**2) ** 2, rtol=1e-14)

    def f(v):
        return gw.square(gw.exp(gw.square(v)))

    for i in (0, 50, 137, 200):
        expected = numerical_diff(f, Variable(np.array(xs[i])))
        assert curves["dy"][i] == pytest.approx(float(expected), rel=1e-6)
        assert curves["dy_numerical"][i] == pytest.approx(float(expected), rel=1e-6)
    w.x = 0.25
    assert w.curves is curves  # the curves do not depend on x: not computed or sent again
    assert w.eps_curve["at"] == 0.25  # the eps curve follows the slider
    w.eps = 1e-3
    assert w.curves is not curves  # the numerical slope does depend on eps


def test_the_eps_curve_shows_truncation_then_rounding_error():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    errors = dict(zip(w.eps_curve["eps"], w.eps_curve["errors"]))
    assert errors[1e-2] == pytest.approx(8.8e-4, rel=0.05)
    assert errors[1e-4] == pytest.approx(8.8e-8, rel=0.05)
    assert errors[1e-6] < 1e-9
    assert 1e-8 < errors[1e-10] < 1e-5
    eps = sorted(errors, reverse=True)
    best = min(eps, key=errors.get)
    assert 1e-8 <= best <= 1e-5
    falling = [errors[e] for e in eps if e >= 1e-5]
    assert falling == sorted(falling, reverse=True)  # truncation: smaller eps, smaller error
    assert errors[1e-12] > errors[best] * 100  # rounding: the digits numerical_diff loses
    assert w.eps_curve["book_eps"] == 1e-4


def test_korean_and_english():
    w = GradWidget(lang="ko")
    assert "단계 버튼" in w.card and "역전파" in w.card
    w.step = 1
    assert "상류 × 국소 미분 = 하류" in w.card
    w.lang = "en"
    assert "upstream × local derivative = downstream" in w.card
    with pytest.raises(TraitError, match=r"one of 'en' \(English\), 'ko' \(한국어\); got 'jp'"):
        w.lang = "jp"


def test_predict_then_reveal_from_python():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    w.predict = True
    assert w.guess(1.0) is False and w.step == 1  # wrong, and the answer is revealed
    assert w.guess(2 * math.exp(0.25) * math.exp(0.25)) is True and w.step == 2
    w.run_all()
    with pytest.raises(ValueError, match="Every step is done"):
        w.guess(1.0)


def test_a_failing_backward_still_plots_f_and_its_numerical_slope():
    class NoneExp(Exp):
        def backward(self, gy):
            return None

    x = Variable(np.array(0.5), name="x")
    w = show(gw.square(NoneExp()(gw.square(x))))
    assert "dy" not in w.curves and w.eps_curve == {}
    xs = np.asarray(w.curves["x"])
    assert np.allclose(w.curves["y"], np.exp(xs**2) ** 2)
    assert np.allclose(w.curves["dy_numerical"], 4 * xs * np.exp(2 * xs**2), rtol=1e-6)
