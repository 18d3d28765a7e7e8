"""GradWidget without a browser: traits, stepping through the engine, validation, what the page receives."""

import json
import math
import re

import numpy as np
import pytest
from traitlets import TraitError

from gradwidget import GradWidget, Variable, exp, log, show, square
from gradwidget.code import parse_stack, stack_code
from gradwidget.functions import BLOCKS
from gradwidget.wire import read_row

X = 0.5


def chain_grads(x):
    """By hand, for y = square(exp(square(x))): the grads of y, b, a, x in the order backward reaches them."""
    a = x**2
    b = math.exp(a)
    gy = 1.0
    gb = 2 * b * gy
    ga = math.exp(a) * gb
    gx = 2 * x * ga
    return [gy, gb, ga, gx]


def grads(w):
    return [None if v.grad is None else float(v.grad) for v in w.variables]


def test_defaults_build_the_seed_chain():
    w = GradWidget()
    assert w.blocks == ["square", "exp", "square"]
    assert [v.name for v in w.variables] == ["x", "a", "b", "y"]
    assert [type(f).__name__ for f in w.functions] == ["Square", "Exp", "Square"]
    assert w.n_steps == 3 and w.step == 0
    assert w.input is w.variables[0] and w.output is w.variables[-1]
    assert float(w.output.data) == pytest.approx(math.exp(0.25) ** 2, rel=1e-15)
    assert grads(w) == [None, None, None, None]


def test_step_k_leaves_exactly_the_first_k_grads():
    w = GradWidget(blocks=["square", "exp", "square"], x=X)
    gy, gb, ga, gx = chain_grads(X)
    expected = {
        1: [None, None, gb, gy],
        2: [None, ga, gb, gy],
        3: [gx, ga, gb, gy],
    }
    for k in (1, 2, 3, 1, 0, 2):
        w.step = k
        if k == 0:
            assert grads(w) == [None] * 4
        else:
            for got, want in zip(grads(w), expected[k]):
                assert (got is None) == (want is None)
                if want is not None:
                    assert got == pytest.approx(want, rel=1e-14)


def test_run_all_gives_the_books_number_and_matches_backward():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    w.run_all()
    assert float(w.input.grad) == pytest.approx(3.297442541400256, abs=1e-12)
    x = Variable(np.array(0.5))
    y = square(exp(square(x)))
    y.backward()
    assert float(w.input.grad) == float(x.grad)
    w.reset()
    assert w.step == 0 and w.input.grad is None


def test_step_forward_and_back_stay_in_range():
    w = GradWidget()
    w.step_back()
    assert w.step == 0
    for _ in range(5):
        w.step_forward()
    assert w.step == 3
    w.step_back()
    assert w.step == 2


def test_moving_x_recomputes_values_and_keeps_the_step():
    w = GradWidget(x=0.5)
    w.step = 2
    x_var, y_var = w.input, w.output
    w.x = 0.8
    assert w.step == 2
    assert w.input is x_var and w.output is y_var  # the same engine objects, new numbers
    assert float(w.output.data) == pytest.approx(math.exp(0.64) ** 2, rel=1e-15)
    gy, gb, ga, _ = chain_grads(0.8)
    assert grads(w) == [None, pytest.approx(ga, rel=1e-14), pytest.approx(gb, rel=1e-14), gy]
    labels = [n["label"] for n in w.graph["nodes"] if n["kind"] == "variable"]
    values = dict(zip(labels, read_row(w.graph, w.numbers)["values"]))  # what the page shows on each node
    assert values["y"] == pytest.approx(math.exp(0.64) ** 2, rel=1e-15)


def test_graph_payload_describes_nodes_edges_and_steps_in_backward_order():
    w = GradWidget(blocks=["square", "exp", "square"], x=X)
    graph = w.graph
    kinds = {n["id"]: n["kind"] for n in graph["nodes"]}
    assert sorted(kinds.values()) == ["function"] * 3 + ["variable"] * 4
    assert sorted(graph["edges"]) == sorted(
        [["v0", "f0"], ["f0", "v1"], ["v1", "f1"], ["f1", "v2"], ["v2", "f2"], ["f2", "v3"]]
    )
    assert graph["output"] == "v3"
    assert [s["function"] for s in graph["steps"]] == ["f2", "f1", "f0"]
    assert [s["inputs"] for s in graph["steps"]] == [["v2"], ["v1"], ["v0"]]
    gy, gb, ga, gx = chain_grads(X)
    row = read_row(w.graph, w.numbers)
    assert list(row["gys"]) == pytest.approx([gy, gb, ga], rel=1e-14)  # one per step: one output each
    assert list(row["gxs"]) == pytest.approx([gb, ga, gx], rel=1e-14)  # one input each
    assert w.graph["layout"]["steps"] == [{"gys": 0, "gxs": 0}, {"gys": 1, "gxs": 1}, {"gys": 2, "gxs": 2}]
    shape_before = w.graph
    w.x = 0.7
    assert w.graph is shape_before  # a new x sends new numbers, not the shape again
    rules = {n["label"]: n["rule"] for n in graph["nodes"] if n["kind"] == "function"}
    assert rules["Square"] == "2 * x"


def test_overflow_shows_as_inf_on_its_node_not_an_error():
    w = GradWidget(blocks=["exp", "exp", "exp"], x=8.0, x_max=10)
    assert read_row(w.graph, w.numbers)["values"][-1] == np.inf
    assert w.error == ""
    w.run_all()
    assert np.isinf(w.input.grad)


def test_block_editing_from_python():
    w = GradWidget(blocks=["square"])
    w.add_block("exp")
    w.add_block("sin", index=0)
    assert w.blocks == ["sin", "square", "exp"]
    w.move_block(0, 2)
    assert w.blocks == ["square", "exp", "sin"]
    w.remove_block(1)
    assert w.blocks == ["square", "sin"]
    assert w.n_steps == 2
    assert [type(f).__name__ for f in w.functions] == ["Square", "Sin"]


def test_removing_blocks_clamps_the_step():
    w = GradWidget(blocks=["square", "exp", "square"])
    w.run_all()
    w.blocks = ["square"]
    assert w.n_steps == 1 and w.step == 1
    assert float(w.input.grad) == pytest.approx(2 * 0.5)


def test_an_empty_stack_is_just_x():
    w = GradWidget(blocks=[])
    assert w.n_steps == 0 and w.output is w.input
    w.run_all()
    assert w.step == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"x": float("nan")}, "x must be a finite number"),
        ({"x": float("inf")}, "x must be a finite number"),
        ({"x": 99.0}, "outside the slider's range"),
        ({"blocks": ["sqare"]}, "Did you mean 'square'"),
        ({"blocks": ["square", "relu"]}, "Unknown block 'relu' at position 2"),
        ({"blocks": ["square"] * 1001}, "more than the 1000"),
        ({"step": 4}, "step must be between 0 and n_steps = 3"),
        ({"step": -1}, "step must be between 0 and n_steps = 3"),
        ({"x_min": 3.0}, "x_min < x_max"),
        ({"speed": 0.0}, "steps per second"),
    ],
)
def test_bad_values_from_python_raise_and_keep_the_last_good_state(change, message):
    w = GradWidget(x=0.5)
    w.step = 2
    before = (w.x, list(w.blocks), w.step, w.x_min, w.x_max, w.graph, grads(w))
    ((name, value),) = change.items()
    with pytest.raises(TraitError, match=message.replace("(", r"\(")):
        setattr(w, name, value)
    assert (w.x, list(w.blocks), w.step, w.x_min, w.x_max, w.graph, grads(w)) == before
    assert message.split("'")[0] in w.error  # the page shows it too


@pytest.mark.parametrize(
    "state",
    [
        {"x": "abc"},
        {"x": None},
        {"step": 99},
        {"blocks": ["<img src=x onerror=alert(1)>"]},
        {"blocks": [1, 2]},
        {"speed": "fast"},
    ],
)
def test_bad_values_from_the_page_show_an_error_and_send_the_good_state_back(state):
    w = GradWidget(x=0.5)
    w.step = 1
    sent = []
    w.send_state = lambda key=None: sent.append(key)
    before = (w.x, list(w.blocks), w.step)
    w.set_state(state)  # what the comm does with a message from the page; must not raise
    assert (w.x, list(w.blocks), w.step) == before
    assert w.error
    assert list(state) in sent  # the page's model is put back to the good value


@pytest.mark.parametrize(
    "state, said",
    [
        ({"step": True}, "step takes numbers, and the page sent true"),  # traitlets' Int: step 1
        ({"step": False}, "page sent false"),
        ({"x": True}, "x takes numbers"),
        ({"eps": False, "presenter": True}, "eps takes numbers"),  # all or nothing: presenter stays off
    ],
)
def test_a_true_or_false_from_the_page_is_no_number(state, said):
    w = GradWidget(x=0.5)
    w.step = 2
    sent = recording(w)
    before = (w.step, w.x, w.eps, w.presenter, repr(w.numbers), grads(w))
    w.set_state(state)
    assert (w.step, w.x, w.eps, w.presenter, repr(w.numbers), grads(w)) == before
    assert said in w.error and "nothing changed" in w.error and "e.g. w." in w.error
    assert "참/거짓은 수가 아닙니다" in w.error_words["ko"]
    assert sorted(state) in [sorted(keys) for keys in sent]  # the page is given the true values back
    w.set_state({"step": 1})  # a number is fine, and says the refusal is old news
    assert w.step == 1 and w.error == ""


def test_a_show_widget_refuses_a_true_or_false_among_its_values_and_ranges():
    w = show(square(Variable(np.array(0.5))))
    for state in ({"values": [True]}, {"ranges": [[False, 2.0]]}):
        w.set_state(state)
        assert (w.values, w.ranges) == ([0.5], [[-2.0, 2.0]])
        assert "takes numbers" in w.error and json.dumps(next(iter(state.values()))) in w.error


def test_a_move_at_a_step_runs_the_backward_once_and_leaves_the_grads_of_that_step(monkeypatch):
    """After Run all (or at any step), a new x runs the backward once, for the record: the Variables keep
    the grads it had at the widget's step, instead of running those steps a second time. They are, bit for
    bit, a fresh widget's at that x and step, and stepping on from there still works."""
    import gradwidget.core as core

    calls = []
    checked = core.checked_grads
    monkeypatch.setattr(
        core, "checked_grads", lambda *args, **kwargs: calls.append(1) or checked(*args, **kwargs)
    )
    blocks = ["square", "exp", "sin", "tanh", "square"]
    w = GradWidget(blocks=blocks, x=0.5)

    def same_as_fresh(x, step):
        fresh = GradWidget(blocks=blocks, x=x)
        fresh.step = step
        return [None if v.grad is None else np.asarray(v.grad).tobytes() for v in fresh.variables] == [
            None if v.grad is None else np.asarray(v.grad).tobytes() for v in w.variables
        ]

    for step in (5, 2):
        w.step = step
        for x in (0.7, -1.3, 1.1):
            del calls[:]
            w.set_state({"x": x})
            assert len(calls) == w.n_steps  # the record's pass, and no replay of `step` steps after it
            assert same_as_fresh(x, step) and w.card.startswith("Square" if step == 5 else "Tanh")
    w.step_forward()
    assert w.step == 3 and same_as_fresh(1.1, 3)
    w.step_back()
    w.step_back()
    assert w.step == 1 and same_as_fresh(1.1, 1)


def test_a_good_change_clears_the_error():
    w = GradWidget()
    with pytest.raises(TraitError):
        w.step = 10
    assert w.error
    w.step = 1
    assert w.error == ""


def test_constructor_can_widen_the_range_for_x():
    w = GradWidget(x=5.0, x_max=10.0)
    assert w.x == 5.0 and float(w.input.data) == 5.0


# --- issue 12: what the page sends, merged or not, and the rules for ranges ---------------------------------


def agrees_with_a_fresh_widget(w):
    """Everything the widget shows is what a widget built afresh from its blocks, x and step shows."""
    fresh = GradWidget(blocks=list(w.blocks), x=w.x, x_min=w.x_min, x_max=w.x_max)
    fresh.step = w.step
    assert w.n_steps == fresh.n_steps and w.code == fresh.code and w.graph == fresh.graph
    assert read_row(w.graph, w.numbers)["values"] == read_row(fresh.graph, fresh.numbers)["values"]
    assert grads(w) == grads(fresh)
    assert [float(v.data) for v in w.variables] == [float(v.data) for v in fresh.variables]


def recording(w):
    sent = []
    w.send_state = lambda key=None: sent.append(key)
    return sent


@pytest.mark.parametrize(
    "message",
    [
        {"x": 0.7, "blocks": ["square"]},
        {"blocks": ["square"], "x": 0.7},
        {"step": 3, "blocks": ["square", "exp"]},  # the step the page saw, on a stack now one block shorter
        {"blocks": ["sin", "cos", "tanh", "exp"], "step": 2, "x": -0.3},
        {"code": "y = exp(sin(x))", "x": 1.2},
        {"x": 1.2, "code": "y = exp(sin(x))", "step": 1},
        {"x": 2.5, "x_max": 3.0},  # a wider range and an x inside it only
        {"x_min": 1.0, "x_max": 5.0, "x": 4.0},
        {"x_max": -1.0, "x_min": -5.0, "x": -3.0},  # moved left: valid together, not one by one
    ],
)
def test_a_page_message_carrying_several_traits_is_applied_as_a_whole_in_any_order(message):
    w = GradWidget(x=0.5)
    w.run_all()
    sent = recording(w)
    w.set_state(message)
    assert w.error == ""
    for name, value in message.items():
        if name == "code":
            assert w.blocks == parse_stack(value, BLOCKS)
        elif name == "step":
            assert w.step == min(value, w.n_steps)
        else:
            assert getattr(w, name) == value
    agrees_with_a_fresh_widget(w)
    w.x = (w.x_min + w.x_max) / 3  # and later moves still follow the new stack
    agrees_with_a_fresh_widget(w)
    assert all(key is None or "numbers" not in key for key in sent)  # nothing had to be put right


@pytest.mark.parametrize(
    "message",
    [
        {"x": 0.7, "blocks": ["sqare"]},
        {"blocks": ["square"], "x": 9.0},
        {"blocks": ["square"], "step": 99},
        {"code": "y = relu(x)", "x": 0.7},
        {"x_min": 1.0, "x": 0.6},  # a range and a new x outside it, both from the page
        {"x": 0.7, "speed": "fast"},
        {"blocks": ["square"], "eps": 5.0},
    ],
)
def test_a_message_with_one_bad_trait_changes_nothing_and_the_page_is_sent_every_one_back(message):
    w = GradWidget(x=0.5)
    w.step = 2
    before = (w.x, list(w.blocks), w.step, w.x_min, w.code, w.eps, w.graph, grads(w))
    sent = recording(w)
    w.set_state(message)
    assert (w.x, list(w.blocks), w.step, w.x_min, w.code, w.eps, w.graph, grads(w)) == before
    assert w.error
    assert sorted(sent[-1]) == sorted(message)  # the page's model is put back, every trait it sent
    agrees_with_a_fresh_widget(w)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("n_steps", 100),
        ("graph", {"nodes": [], "edges": [], "steps": []}),
        ("numbers", {"row": [1.0], "errors": {}}),
        ("error", ""),
        ("error_words", {"en": "a page's own words"}),
        ("palette", ["relu"]),
        ("tolerance", 1.0),
        ("curves", {}),
        ("tables", []),
        ("_esm", "export default {}"),
    ],
)
def test_the_page_cannot_write_a_trait_only_python_sets(name, value):
    w = GradWidget(x=0.5)
    before = w.get_state()
    sent = recording(w)
    w.set_state({name: value})
    assert ([name] in sent) and name in w.error and "cannot be set from the page" in w.error
    after = w.get_state()
    for state in (before, after):
        state.pop("error"), state.pop("error_words")
    assert after == before
    w.set_state({"step": 50})  # what corrupted the widget: n_steps 100, then a step past the real end
    assert w.step == 0 and w.n_steps == 3
    w.step = 3
    w.step_forward()
    assert w.step == 3


def test_a_message_mixing_good_writes_and_python_owned_ones_applies_the_good_ones():
    w = GradWidget(x=0.5)
    sent = recording(w)
    w.set_state({"x": 0.7, "n_steps": 100})
    assert w.x == 0.7 and w.n_steps == 3 and ["n_steps"] in sent and "n_steps" in w.error
    agrees_with_a_fresh_widget(w)


def test_a_show_widget_refuses_page_writes_to_its_names_and_code():
    x = Variable(np.array(0.5), name="x")
    from gradwidget import show

    w = show(square(x))
    sent = recording(w)
    w.set_state({"names": ["evil"], "code": "import os", "values": [0.25]})
    assert w.names == ["x"] and w.code == "y = square(x)" and w.values == [0.25]
    assert float(x.data) == 0.25 and sorted(sent[-1]) == ["code", "names"]


def test_a_range_narrowed_past_x_takes_x_along_from_python_and_from_the_page():
    w = GradWidget(x=0.5)
    w.x_min = 1.0
    assert w.x == 1.0 and float(w.input.data) == 1.0
    w.x = w.x  # what raised before: x had been left outside its range
    agrees_with_a_fresh_widget(w)
    w.set_state({"x_max": 1.5})
    assert w.x == 1.0
    w.set_state({"x_min": 1.2})
    assert w.x == 1.2 and w.error == ""
    agrees_with_a_fresh_widget(w)


def test_a_range_not_given_widens_to_hold_the_x_given_and_one_given_must_hold_it():
    w = GradWidget(blocks=["square"], x=3.0)
    assert w.x == 3.0 and w.x_min == -2.0 and w.x_max == 4.0
    assert GradWidget(x=-7.0).x_min == -8.0
    assert (GradWidget(x=3.0, x_min=0.0).x_min, GradWidget(x=3.0, x_min=0.0).x_max) == (0.0, 4.0)
    with pytest.raises(TraitError, match=r"outside the slider's range \[-2.0, 2.0\] you gave.*x_max=3.0"):
        GradWidget(x=3.0, x_max=2.0)
    w = GradWidget(x=0.5)
    with pytest.raises(TraitError, match="widen it first: w.x_max = 3.0"):
        w.x = 3.0  # an x set later is not clamped: the slider could not show the number asked for


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("x+" * 400 + "x", "is not one"),
        ("x+" * 5000 + "x", "is not one|too long"),
        ("-" * 100_000 + "x", "too long or too deeply nested"),
        ("(" * 300 + "x" + ")" * 300, "nests more than 200"),
        ("square(" * 1001 + "x" + ")" * 1001, "more than the 1000"),
    ],
    ids=["400 sums", "5000 sums", "100,000 minus signs", "300 brackets", "1001 blocks"],
)
def test_long_or_deep_code_is_a_trait_error_from_python_and_from_the_page(code, message):
    w = GradWidget()
    with pytest.raises(TraitError, match=message):
        w.code = code
    sent = recording(w)
    w.set_state({"code": code})
    assert re.search(message, w.error) and w.code == "y = square(exp(square(x)))" and ["code"] in sent
    assert len(w.error) < 400  # the message quotes a little of the code, not all of it


def test_every_stack_the_widget_accepts_round_trips_through_its_own_code_view():
    blocks = ["square", "sin", "cos", "tanh"] * 250  # 1,000 blocks, the most a widget shows
    w = GradWidget(blocks=blocks, x=0.1)
    assert parse_stack(w.code, BLOCKS) == blocks
    w.code = w.code.replace("(", "( ")  # typed differently, read back
    assert w.blocks == blocks and w.error == ""
    assert GradWidget.from_code(w.code, x=0.1).blocks == blocks
    w.set_state({"code": stack_code(blocks[:-1])})
    assert w.blocks == blocks[:-1]


@pytest.mark.parametrize("name", ["x", "eps", "speed", "x_min"])
def test_a_number_too_big_for_a_float_is_a_trait_error(name):
    w = GradWidget(x=0.5)
    with pytest.raises(TraitError, match="a number a float can hold"):
        setattr(w, name, 10**400)
    assert name in w.error
    sent = recording(w)
    w.set_state({name: 10**400})
    assert "a number a float can hold" in w.error and [name] in sent and w.x == 0.5


def positive(value):
    return math.copysign(1.0, float(value)) == 1.0


def test_negative_zero_is_zero_so_the_page_and_the_engine_agree():
    # traitlets sees no change from -0.0 to 0.0 (they are ==): an x kept at -0.0 stayed there when the page
    # set 0.0, and log's grad was -inf where the page showed x = 0 and a fresh engine run gives inf
    w = GradWidget(blocks=["log"], x=0.5)
    w.x = -0.0
    assert positive(w.x) and positive(w.input.data)
    w.set_state({"x": 0.0})
    w.run_all()
    assert float(w.input.grad) == math.inf
    w.set_state({"x": -0.0})  # no change to traitlets either way, so not seen by a @validate
    assert positive(w.x) and positive(w.input.data)
    assert positive(GradWidget(blocks=["log"], x=-0.0).input.data)
    w.x_min, w.x = -1.0, -1.0
    w.x_min = -0.0  # narrowed past x: x moves along to the new end, which is 0.0
    assert w.x == 0.0 and positive(w.x) and positive(w.input.data)

    x = Variable(np.array(-0.0))
    with np.errstate(divide="ignore"):  # the learner's own log(0), before any widget
        y = log(x)
    shown = show(y)
    assert positive(shown.values[0]) and positive(x.data) and isinstance(x.data, np.ndarray)
    shown.set_state({"values": [-0.0]})  # 0.0 already: no change
    assert positive(shown.values[0]) and positive(x.data)
    shown.values = [1.0]
    shown.set_state({"values": [-0.0]})
    assert positive(shown.values[0]) and positive(x.data)
    shown.run_all()
    assert float(x.grad) == math.inf


def test_traitlets_own_type_errors_reach_the_page_with_an_example():
    w = GradWidget()
    with pytest.raises(TraitError, match="expected a float"):
        w.x = "abc"
    assert "expected a float" in w.error and "For example: w.x = 0.5" in w.error
    w.x = 0.25
    assert w.error == ""
    with pytest.raises(TraitError, match="For example: w.blocks"):
        w.blocks = 5
    assert "For example" in w.error


def test_any_good_change_clears_the_last_refusal_from_python_and_from_the_page():
    """A new language is no fix: it says the refusal again (tests/test_messages.py)."""
    w = GradWidget()
    for good in ({"speed": 3.0}, {"eps": 1e-3}, {"playing": True}, {"presenter": True}):
        with pytest.raises(TraitError):
            w.x = 99.0
        assert w.error
        ((name, value),) = good.items()
        setattr(w, name, value)
        assert w.error == "", name
        w.set_state({"x": 99.0})
        assert w.error
        w.set_state({name: w.traits()[name].default_value})
        assert w.error == "", name
