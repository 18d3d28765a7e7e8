"""The wire, declared once: the row layout Python makes, sends and reads back, and its two encodings."""

import math

import numpy as np
import pytest

import gradwidget as gw
from gradwidget import GradWidget, Variable, show
from gradwidget.wire import COLUMNS, Layout, LayoutMismatch, as_json_list, layout_from_json, read_row


def test_a_stacks_layout_says_where_every_number_of_a_row_is():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    layout = w.graph["layout"]
    columns = layout["columns"]
    assert list(columns) == list(COLUMNS)  # in row order
    counts = {name: column["count"] for name, column in columns.items()}
    per_input = dict.fromkeys(["gxs", "locals", "numerical", "errors", "flagged"], 3)
    assert counts == {"values": 4, "gys": 3, **per_input, "eps_errors": 12}
    offset = 0
    for name in COLUMNS:  # packed one after another, every entry a scalar
        assert columns[name] == {"offset": offset, "count": counts[name], "shape": []}
        offset += counts[name]
    assert layout["width"] == offset == len(w.numbers["row"])
    assert layout["eps_curve"] == {"leaf": "v0", "eps": [10.0**-k for k in range(1, 13)], "book_eps": 1e-4}
    row = read_row(w.graph, w.numbers)
    assert [float(v) for v in row["values"]] == [0.5, 0.25, math.exp(0.25), math.exp(0.25) ** 2]
    assert layout_from_json(layout) == w._layout  # what the page is told is all there is to the layout


def test_steps_start_where_the_layout_says_with_two_input_blocks_and_a_variable_used_twice():
    x = Variable(np.array(3.0), name="x")
    w = show(gw.mul(x, x) + gw.sin(x))  # Mul takes x twice; Add has two inputs
    steps, starts = w.graph["steps"], w.graph["layout"]["steps"]
    assert [len(s["inputs"]) for s in steps] == [2, 2, 1]  # Add, Mul, Sin in backward order
    assert starts == [{"gys": 0, "gxs": 0}, {"gys": 1, "gxs": 2}, {"gys": 2, "gxs": 4}]
    gxs = [float(g) for g in read_row(w.graph, w.numbers)["gxs"]]
    mul = steps.index(next(s for s in steps if s["inputs"] == ["v0", "v0"]))
    assert gxs[starts[mul]["gxs"] : starts[mul]["gxs"] + 2] == [3.0, 3.0]


def test_an_array_leaf_gets_entries_of_its_own_shape_in_one_float64_row():
    x = Variable(np.array([1.0, 2.0]), name="x")
    c = Variable(np.array(0.5), name="c")
    w = show(gw.sin(x * c) + gw.exp(c))
    values = w.graph["layout"]["columns"]["values"]
    assert [shape for _, shape in values["entries"]] == [[2], [], [2], [2], [], [2]]  # x, c, x·c, sin, exp, y
    starts = [start for start, _ in values["entries"]]
    assert starts == [0, 2, 3, 5, 7, 8] and values["offset"] == 0
    row = read_row(w.graph, w.numbers)
    assert row["values"][0].tolist() == [1.0, 2.0] and float(row["values"][1]) == 0.5
    assert np.allclose(row["values"][-1], np.sin([0.5, 1.0]) + math.exp(0.5))
    assert w.checks and not any(check["flagged"] for check in w.checks)
    sent = w.get_state("numbers")["numbers"]
    assert isinstance(sent["row"], memoryview)  # arrays travel as float64 too: their shapes are declared
    assert np.frombuffer(sent["row"], "<f8")[:2].tolist() == [1.0, 2.0]
    assert w.tables[0]["leaf"] == "v1"  # c has the only slider; x is held


def test_non_finite_numbers_travel_as_themselves_in_bytes_and_as_words_in_json():
    w = GradWidget(blocks=["exp", "exp", "exp", "log"], x=8.0, x_max=10.0)  # exp(exp(exp(8))) = inf
    row = np.frombuffer(w.get_state("numbers")["numbers"]["row"], "<f8")
    assert np.isinf(row).any()
    words = as_json_list(np.array([1.5, np.inf, -np.inf, np.nan]))
    assert words == [1.5, "inf", "-inf", "nan"]
    assert as_json_list(np.array([1.0, 2.0])) == [1.0, 2.0]


def test_a_number_of_the_wrong_shape_is_refused_or_left_out():
    layout = Layout({"values": [(), (2,)]}, [])
    assert layout.width == 3
    assert layout.pack({"values": [np.array(1.0), np.array([2.0, 3.0])]}).tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(LayoutMismatch, match=r"shape \(3,\) where \(2,\)"):
        layout.pack({"values": [np.array(1.0), np.array([2.0, 3.0, 4.0])]})
    loose = layout.pack({"values": [np.array(1.0), np.array([2.0, 3.0, 4.0])]}, strict=False)
    assert loose[0] == 1.0 and np.isnan(loose[1:]).all()
    table = layout.pack({"values": [np.array([1.0, 2.0]), np.ones((2, 2))]}, positions=2)
    assert table.tolist() == [[1.0, 1.0, 1.0], [2.0, 1.0, 1.0]]
    with pytest.raises(ValueError, match="one entry per output / input"):
        Layout({"gys": [()], "gxs": [()]}, [(1, 2)])
