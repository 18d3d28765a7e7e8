"""GradWidget without a browser: traits, stepping through the engine, validation, what the page receives."""

import math

import numpy as np
import pytest
from traitlets import TraitError

from gradwidget import GradWidget, Variable, exp, square
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
