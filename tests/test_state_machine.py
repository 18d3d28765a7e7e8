"""Random sequences of everything a learner or the page can do; after each, the widget must agree with a fresh
engine run and with what it told the page. Examples: GRADWIDGET_STATE_EXAMPLES (CI runs at least 2,000)."""

import math
import os

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from traitlets import TraitError

from gradwidget import GradWidget, Variable, backward_steps
from gradwidget.functions import BLOCKS

NAMES = sorted(BLOCKS)
EXAMPLES = int(os.environ.get("GRADWIDGET_STATE_EXAMPLES", "2000"))

finite_x = st.floats(-2, 2, allow_nan=False)
any_x = st.one_of(
    finite_x,
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 2.0000001, -5.0, 0.0, -0.0, 1e-300]),
)
junk = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-(10**12), 10**12),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


@np.errstate(all="ignore")  # exp(exp(2)) overflows here as in the widget; both show inf, neither warns
def fresh_run(blocks, x, steps):
    """What the engine says, from scratch: every value, and every grad after `steps` backward steps."""
    variables = [Variable(np.array(x))]
    for name in blocks:
        variables.append(BLOCKS[name]()(variables[-1]))
    stepper = backward_steps(variables[-1])
    for _ in range(steps):
        next(stepper)
    return [v.data for v in variables], [v.grad for v in variables]


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))


def page_values(w):
    """The variables' values as the page receives them: a row of float64 bytes, read by the graph's layout."""
    sent = w.get_state("numbers")["numbers"]
    assert isinstance(sent["row"], memoryview)
    values = w.graph["layout"]["columns"]["values"]
    row = np.frombuffer(sent["row"], dtype="<f8")
    return list(row[values["offset"] : values["offset"] + values["count"]])


class WidgetMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
        self.sent = []
        self.w.send_state = lambda key=None: self.sent.append(key)  # no browser: record what would go back

    # --- from Python ------------------------------------------------------------------------------------

    @rule(name=st.sampled_from(NAMES), where=st.integers(0, 12))
    def add_block(self, name, where):
        self.w.add_block(name, min(where, len(self.w.blocks)))

    @precondition(lambda self: self.w.blocks)
    @rule(where=st.integers(0, 12))
    def remove_block(self, where):
        self.w.remove_block(where % len(self.w.blocks))

    @precondition(lambda self: len(self.w.blocks) > 1)
    @rule(old=st.integers(0, 12), new=st.integers(0, 12))
    def move_block(self, old, new):
        n = len(self.w.blocks)
        self.w.move_block(old % n, new % n)

    @rule(x=any_x)
    def set_x(self, x):
        before = self.snapshot()
        valid = math.isfinite(x) and self.w.x_min <= x <= self.w.x_max
        try:
            self.w.x = x
        except TraitError as error:
            assert not valid, error
            assert self.snapshot() == before and self.w.error
        else:
            assert valid and self.w.x == x

    @rule(step=st.integers(-3, 15))
    def set_step(self, step):
        before = self.snapshot()
        try:
            self.w.step = step
        except TraitError:
            assert not 0 <= step <= self.w.n_steps
            assert self.snapshot() == before
        else:
            assert self.w.step == step

    @rule()
    def step_forward(self):
        self.w.step_forward()

    @rule()
    def step_back(self):
        self.w.step_back()

    @rule()
    def run_all(self):
        self.w.run_all()
        assert self.w.step == self.w.n_steps

    @rule()
    def reset(self):
        self.w.reset()
        assert all(v.grad is None for v in self.w.variables)

    # --- as messages from the page ---------------------------------------------------------------------

    @rule(key=st.sampled_from(["x", "step", "blocks", "speed", "x_min", "eps", "lang"]), value=junk)
    def page_sends_junk(self, key, value):
        before = self.snapshot()
        self.w.set_state({key: value})  # never raises: the comm would swallow it and the learner never see it
        if self.snapshot() != before:  # some junk is valid (a number for x, a list of names)
            assert self.w.error == "" or key in ("blocks",), (key, value)

    @rule(x=any_x)
    def page_moves_slider(self, x):
        self.w.set_state({"x": x})

    @rule(step=st.integers(-3, 15))
    def page_steps(self, step):
        self.w.set_state({"step": step})

    @rule(blocks=st.lists(st.sampled_from(NAMES + ["sqare", "<b>x</b>"]), max_size=8))
    def page_sets_blocks(self, blocks):
        before = self.snapshot()
        self.w.set_state({"blocks": blocks})
        if all(name in BLOCKS for name in blocks):
            assert list(self.w.blocks) == blocks
        else:
            assert self.snapshot() == before and "Unknown block" in self.w.error
            assert ["blocks"] in self.sent  # the page is told the good value

    # --- invariants --------------------------------------------------------------------------------------

    def snapshot(self):
        return (self.w.x, tuple(self.w.blocks), self.w.step, self.w.n_steps, repr(self.w.graph))

    @invariant()
    def values_and_grads_match_a_fresh_engine_run(self):
        w = self.w
        values, grads = fresh_run(w.blocks, w.x, w.step)
        assert len(w.variables) == len(values)
        for variable, value, grad in zip(w.variables, values, grads):
            assert same(variable.data, value)
            assert same(variable.grad, grad)

    @invariant()
    def the_page_sees_what_the_kernel_has(self):
        w = self.w
        assert 0 <= w.step <= w.n_steps == len(w.blocks) == len(w.graph["steps"])
        shown = page_values(w)
        assert len(shown) == len(w.variables)
        assert all(same(s, float(v.data)) for s, v in zip(shown, w.variables))
        assert [n["block"] for n in w.graph["nodes"] if n["kind"] == "function"] == list(w.blocks)
        assert w.code.count("(") == len(w.blocks)


WidgetMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestWidgetMachine = WidgetMachine.TestCase
