"""Tensors in the widget (issue 13 part 2): shapes on nodes, array rules on cards, the gradient check on
arrays (sampled when large), the step 42-43 loss graphs and w.update() after an optimizer step, huge arrays
on the wire. Numbers are checked against numpy and torch."""

import numpy as np
import pytest
import torch

import gradwidget as gw
import gradwidget.functions as F
from gradwidget import Function, Variable, show, step32
from gradwidget.explain import CHECK_SAMPLES, checked_elements, format_operand
from gradwidget.table import MAX_TABLE_BYTES
from gradwidget.wire import PREVIEW, layout_from_json, read_row

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
W = np.array([[0.5, -1.0], [0.25, 2.0], [-0.5, 1.5]])
B = np.array([0.1, -0.2])


def matmul_graph():
    x, w, b = Variable(X, name="x"), Variable(W, name="W"), Variable(B, name="b")
    return show(gw.sum(gw.matmul(x, w) + b)), (x, w, b)


def torch_grads():
    x, w, b = (torch.tensor(a, requires_grad=True) for a in (X, W, B))
    (x @ w + b).sum().backward()
    return x.grad.numpy(), w.grad.numpy(), b.grad.numpy()


def node(w, label):
    return next(n for n in w.graph["nodes"] if n.get("label") == label)


def test_each_variable_node_carries_its_shape():
    w, _ = matmul_graph()
    assert (
        node(w, "x")["shape"] == [2, 3] and node(w, "W")["shape"] == [3, 2] and node(w, "b")["shape"] == [2]
    )
    assert node(w, "y")["shape"] == []  # a scalar: drawn as before


def test_the_rows_numbers_are_torchs_at_every_step():
    """What the page reads from the row (gxs of each step, summed per input) is torch's autograd."""
    w, (x, weight, b) = matmul_graph()
    row = read_row(w.graph, w.numbers)
    gx, gw_, gb = torch_grads()
    matmul = w.graph["steps"][2]  # Sum, Add, MatMul
    at = w.graph["layout"]["steps"][2]["gxs"]
    np.testing.assert_allclose(row["gxs"][at], gx, rtol=1e-12)
    np.testing.assert_allclose(row["gxs"][at + 1], gw_, rtol=1e-12)
    add_at = w.graph["layout"]["steps"][1]["gxs"]
    np.testing.assert_allclose(row["gxs"][add_at + 1], gb, rtol=1e-12)  # sum_to undid the broadcast of b
    assert matmul["card"]["array_rules"] == ["gy·{x1}ᵀ", "{x0}ᵀ·gy"]
    w.run_all()
    np.testing.assert_allclose(weight.grad, gw_) and np.testing.assert_allclose(b.grad, gb)


def test_matmul_card_writes_gy_Wt_with_todays_arrays():
    w, _ = matmul_graph()
    w.step = 3
    gx, gw_, _ = torch_grads()
    lines = w.card.split("\n")
    gy = np.ones((2, 2))
    assert lines[0] == (
        f"MatMul: gx0 = gy·Wᵀ = {format_operand(gy)}·{format_operand(W)}ᵀ = "
        f"{format_operand(gy @ W.T)} → x.grad"
    )
    assert format_operand(gy @ W.T) == format_operand(gx) == "[[−0.5, 2.25, 1], [−0.5, 2.25, 1]]"
    assert lines[1] == "shapes: gy (2, 2), W (3, 2) → gx0 (2, 3)"
    assert (
        lines[2].startswith("MatMul: gx1 = xᵀ·gy = [[1, 2, 3], [4, 5, 6]]ᵀ·")
        and "[[5, 5], [7, 7], [9, 9]]" in lines[2]
    )
    w.lang = "ko"
    assert w.card.split("\n")[1].startswith("모양: gy (2, 2)")


def test_a_broadcast_input_gets_sum_to_on_its_card():
    w, _ = matmul_graph()
    w.step = 2  # Add: b (2,) was broadcast over a's rows
    lines = w.card.split("\n")
    assert lines[2] == "Add: gx1 = sum_to(1·gy, (2,)) = sum_to(1 × [[1, 1], [1, 1]], (2,)) = [2, 2] → b.grad"
    assert lines[3].endswith("[[1, 1], [1, 1]] × [[1, 1], [1, 1]], sum_to (2,) = [2, 2]")
    assert w.graph["steps"][1]["card"]["sum_to"] == [None, [2]]


def test_sum_reshape_transpose_and_broadcast_cards():
    x = Variable(np.arange(6.0).reshape(2, 3), name="x")
    y = gw.sum(gw.broadcast_to(gw.transpose(gw.reshape(x, (3, 2))), (2, 2, 3)), axis=0)
    w = show(gw.sum(y))
    w.run_all()
    text = [line for line in w.card.split("\n") if not line.startswith("shapes")]
    w.step = 1
    assert w.card.startswith(
        "Sum: gx = broadcast_to(gy, y.shape) = broadcast_to(1, (2, 3))"
    )  # y: the learner's
    names = [s["card"]["array_rules"][0] for s in w.graph["steps"]]
    assert names == [
        "broadcast_to(gy, {shape})",
        "broadcast_to(gy, {shape})",
        "sum_to(gy, {shape})",
        "transpose(gy)",
        "reshape(gy, {shape})",
    ]
    assert text[0].startswith(
        "Reshape: gx = reshape(gy, x.shape) = reshape([[2, 2], [2, 2], [2, 2]], (2, 3))"
    )


def test_a_large_array_is_written_as_its_shape_on_the_card():
    assert format_operand(np.zeros((100, 1))) == "‹100×1›"
    assert format_operand(np.zeros((4, 4))) == "[[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]"
    assert format_operand(np.array(3.25)) == "3.25"


def test_the_check_samples_a_large_input_and_says_which_elements():
    x = Variable(np.linspace(-1, 1, 200).reshape(20, 10), name="x")
    w = show(gw.sum(gw.tanh(x)))
    check = w.checks[1]["inputs"][0]  # Tanh's
    assert check["checked"] == checked_elements((20, 10)) and len(check["checked"]) == CHECK_SAMPLES
    assert check["checked"][0] == (0, 0) and check["checked"][-1] == (19, 9)
    numerical = np.asarray(check["numerical"], dtype=float)
    picked = np.array([numerical[index] for index in check["checked"]])
    np.testing.assert_allclose(
        picked, 1 - np.tanh(x.data[tuple(np.array(check["checked"]).T)]) ** 2, rtol=1e-7
    )
    assert np.isnan(numerical).sum() == 200 - CHECK_SAMPLES  # the others were not worked out
    assert w.graph["steps"][1]["checked"] == [[list(index) for index in check["checked"]]]
    small = show(gw.sum(gw.tanh(Variable(np.ones((4, 4))))))
    assert small.checks[1]["inputs"][0]["checked"] is None  # 16 elements: every one


class WrongAtOneElement(Function):
    """tanh whose backward is wrong at one element of a large array: the sampled check must see it."""

    def forward(self, x):
        return np.tanh(x)

    def backward(self, gy):
        (x,) = self.inputs
        gx = gy * (1 - np.tanh(x.data) ** 2)
        gx = np.array(gx, copy=True)
        gx[0, 0] *= 2
        return gx


def test_a_sampled_check_flags_a_wrong_element():
    x = Variable(np.linspace(-1, 1, 200).reshape(20, 10))
    w = show(gw.sum(WrongAtOneElement()(x)))
    assert w.checks[1]["flagged"] and not w.checks[0]["flagged"]


def test_a_one_element_leaf_keeps_its_shape_when_its_slider_moves():
    """Step 42's W is (1, 1) and b (1,): they get sliders, and moving them must not make them 0-d."""
    w, _, (weight, b) = step42_widget()
    assert w.names == ["W", "b"]
    w.set_value("W", 1.5)
    assert weight.data.shape == (1, 1) and weight.data[0, 0] == 1.5 and b.data.shape == (1,)
    assert node(w, "W")["shape"] == [1, 1]
    assert np.shape(w.output.data) == ()


def step42_widget():
    np.random.seed(0)
    x = np.random.rand(100, 1)
    y = 5 + 2 * x + np.random.rand(100, 1)
    x, y = step32.Variable(x, name="x"), step32.Variable(y, name="y")
    weight, b = step32.Variable(np.zeros((1, 1)), name="W"), step32.Variable(np.zeros(1), name="b")

    def loss():
        return F.mean_squared_error(y, F.matmul(x, weight) + b)

    return show(loss()), loss, (weight, b)


def test_step42_update_shows_the_new_numbers_in_the_same_widget():
    """The book's loop, then w.update(loss): the same widget, the same step, the book's W and b."""
    w, loss, (weight, b) = step42_widget()
    w.run_all()
    steps = w.step
    for _ in range(100):
        current = loss()
        weight.cleargrad()
        b.cleargrad()
        current.backward()
        weight.data -= 0.1 * weight.grad.data
        b.data -= 0.1 * b.grad.data
    same = w.update(loss())
    assert same is w and w.step == steps
    np.testing.assert_allclose(w.values, [2.11807369, 5.46608905], rtol=1e-8)
    np.testing.assert_allclose(read_row(w.graph, w.numbers)["values"][-1], loss().data)
    weight.data -= 0.5  # in place, no new forward: update() runs this graph's forward again
    w.update()
    np.testing.assert_allclose(w.output.data, loss().data)
    assert w.values[0] == pytest.approx(2.11807369 - 0.5) and w.ranges[0][0] <= w.values[0] <= w.ranges[0][1]


def test_step43_two_layer_net_against_torch_and_within_the_table_budget():
    np.random.seed(0)
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
    W1, b1 = step32.Variable(0.01 * np.random.randn(1, 10)), step32.Variable(np.zeros(10))
    W2, b2 = step32.Variable(0.01 * np.random.randn(10, 1)), step32.Variable(np.zeros(1))
    loss = F.mean_squared_error(y, F.linear(F.sigmoid(F.linear(x, W1, b1)), W2, b2))
    w = show(loss)
    assert w.n_steps == 4 and w.names == ["b2"]  # b2 (1,) is the only one-element leaf, by the learner's name
    for table in w.tables:  # too many numbers per position: the slider waits for the kernel, and says so
        assert table["note"] == "live" or table["rows"].nbytes <= MAX_TABLE_BYTES
    w.run_all()
    params = [torch.tensor(p.data, requires_grad=True) for p in (W1, b1, W2, b2)]
    tw1, tb1, tw2, tb2 = params
    h = torch.sigmoid(torch.tensor(x) @ tw1 + tb1)
    ((torch.tensor(y) - (h @ tw2 + tb2)) ** 2).sum().div(100).backward()
    for p, t in zip((W1, b1, W2, b2), params):
        np.testing.assert_allclose(
            np.asarray(p.grad.data if hasattr(p.grad, "data") else p.grad), t.grad.numpy()
        )
    assert not any(c["flagged"] for c in w.checks)
    linear = w.graph["steps"][3]["card"]["array_rules"]
    assert linear == ["gy·{x1}ᵀ", "{x0}ᵀ·gy", "sum_to(gy, {shape})"]


def test_a_huge_array_travels_as_its_first_elements():
    """Bad input: a graph of a 300×100 array still shows; each huge entry of the row is cut to PREVIEW
    elements (the layout says which, and their own shape), and the node keeps the whole shape."""
    data = np.arange(30_000.0).reshape(300, 100)
    w = show(gw.sum(gw.square(Variable(data, name="x"))))
    layout = w.graph["layout"]
    assert layout["cut"]["values"]["0"] == [300, 100]
    values = read_row(w.graph, w.numbers)["values"]
    np.testing.assert_array_equal(values[0], data.ravel()[:PREVIEW])
    assert node(w, "x")["shape"] == [300, 100]
    assert layout_from_json(layout).to_json() == layout  # Python reads back what it sent
    # two values, three steps' gxs, locals and numerical gxs of 30,000 each, every one cut to PREVIEW
    assert w.numbers["row"].size <= 9 * PREVIEW + 100 < 9 * data.size


def test_step27_taylor_sin_slides_x_and_holds_its_coefficients():
    """Step 27 with threshold 1e-150: a leaf per coefficient (40-odd). Only the named x gets a slider, the
    graph's `inputs` say so, and the tables stay within their budget."""
    import math

    x = Variable(np.array(np.pi / 4), name="x")
    y = 0
    for i in range(100000):
        t = (-1) ** i / math.factorial(2 * i + 1) * x ** (2 * i + 1)
        y = y + t
        if abs(t.data) < 1e-150:
            break
    w = show(y)
    assert len(w.graph["nodes"]) > 300 and w.names == ["x"] and len(w.graph["inputs"]) == 1
    w.run_all()
    assert float(x.grad) == pytest.approx(np.cos(np.pi / 4), rel=1e-12)
    assert all(t["rows"] is None or t["rows"].nbytes <= MAX_TABLE_BYTES for t in w.tables)
