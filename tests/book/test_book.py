"""The book's programs for steps 27-44, each written as the book has it with only its import lines changed
(and its graphviz plot made a show()), run as a learner runs them: what they print is the book's, and
the same computation in torch gives the same numbers."""

import math
import os
import pathlib
import re
import runpy
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")  # the test extra installs it; without it the book's numbers still count
torch.set_default_dtype(torch.float64)

HERE = pathlib.Path(__file__).parent
NUMBER = re.compile(r"-?\d+\.?\d*(?:e[-+]?\d+)?")


def run(step):
    """The program's printed lines, run in a fresh interpreter as `python stepNN.py`."""
    result = subprocess.run(
        [sys.executable, str(HERE / f"step{step}.py")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"},  # plt.show() draws nowhere
        cwd=HERE,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def numbers(line):
    return [float(n) for n in NUMBER.findall(line)]


def leaf(value):
    return torch.tensor(value, requires_grad=True)


def test_step27_taylor_sin():
    lines = run(27)
    # the book's output (its simple core prints x.grad as an array)
    assert lines == [
        "--- original sin ---",
        "0.7071067811865475",
        "0.7071067811865476",
        "--- approximate sin ---",
        "0.7071064695751781",
        "0.7071032148228457",
    ]
    x = leaf(math.pi / 4)
    y = 0
    for i in range(100000):
        t = (-1) ** i / math.factorial(2 * i + 1) * x ** (2 * i + 1)
        y = y + t
        if abs(t.item()) < 0.0001:
            break
    y.backward()
    assert float(lines[4]) == pytest.approx(y.item(), rel=1e-15)
    assert float(lines[5]) == pytest.approx(x.grad.item(), rel=1e-15)


def test_step28_rosenbrock_by_gradient_descent():
    lines = run(28)
    assert len(lines) == 1000
    assert lines[:3] == [
        "variable(0.0) variable(2.0)",
        "variable(0.002) variable(1.6)",
        "variable(0.0052759968) variable(1.2800008)",
    ]
    assert lines[-1] == "variable(0.6834917840420289) variable(0.46565059996514135)"
    x0, x1 = leaf(0.0), leaf(2.0)
    for _ in range(999):
        y = 100 * (x1 - x0**2) ** 2 + (x0 - 1) ** 2
        x0.grad = x1.grad = None
        y.backward()
        with torch.no_grad():
            x0 -= 0.001 * x0.grad
            x1 -= 0.001 * x1.grad
    assert numbers(lines[-1]) == pytest.approx([x0.item(), x1.item()], rel=1e-13)


NEWTON = [2.0, 1.4545454545454546, 1.1510467893775467, 1.0253259289766978, 1.0009084519430513,
          1.0000012353089454, 1.000000000002289, 1.0, 1.0, 1.0]  # fmt: skip


def torch_newton():
    x, steps = leaf(2.0), []
    for _ in range(10):
        steps.append(x.item())
        y = x**4 - 2 * x**2
        (gx,) = torch.autograd.grad(y, x, create_graph=True)
        (gx2,) = torch.autograd.grad(gx, x)
        with torch.no_grad():
            x -= gx / gx2
    return steps


@pytest.mark.parametrize("step", [29, 33])  # 29: f'' by hand; 33: f'' by a second backward
def test_newtons_method(step):
    lines = run(step)
    assert lines == [f"{i} variable({x!r})" for i, x in enumerate(NEWTON)]
    assert pytest.approx(torch_newton(), rel=1e-15) == NEWTON


def test_step34_higher_derivatives_of_sin():
    lines = run(34)
    assert lines == [
        "variable(-0.8414709848078965)", "variable(-0.5403023058681398)", "variable(0.8414709848078965)",
    ]  # fmt: skip
    x, expected = leaf(1.0), []
    g = torch.sin(x)
    for _ in range(4):
        (g,) = torch.autograd.grad(g, x, create_graph=True)
        expected.append(g.item())
    assert [numbers(line)[0] for line in lines] == pytest.approx(expected[1:], rel=1e-15)


def test_step35_second_derivative_of_tanh_has_its_own_graph():
    namespace = runpy.run_path(str(HERE / "step35.py"))
    gx = namespace["gx"]
    t = leaf(1.0)
    (first,) = torch.autograd.grad(torch.tanh(t), t, create_graph=True)
    (second,) = torch.autograd.grad(first, t)
    assert float(gx.data) == pytest.approx(second.item(), rel=1e-15)  # -0.6397000084492246
    assert gx.creator is not None  # a Variable with a graph of its own, shown by show(gx)
    assert namespace["graph"].output is gx and namespace["graph"].n_steps == len(namespace["graph"].functions)


def test_step36_double_backprop():
    assert run(36) == ["variable(100.0)"]
    x = leaf(2.0)
    y = x**2
    (gx,) = torch.autograd.grad(y, x, create_graph=True)
    z = gx**3 + y
    z.backward()
    assert x.grad.item() == 100.0


ONES_2x3 = ["variable([[1 1 1]", "          [1 1 1]])"]


def test_step37_a_sum_of_a_tensor():
    assert run(37) == ["variable(1)", *ONES_2x3 * 3]


def test_step38_reshape_and_transpose():
    assert run(38) == ONES_2x3 * 2


def test_step39_sum_with_axis_and_keepdims():
    assert run(39) == [
        "variable(21)", "variable([1 1 1 1 1 1])", "variable(21)", *ONES_2x3, "variable([5 7 9])", *ONES_2x3,
        "(1, 1, 1, 1)",
    ]  # fmt: skip
    x = leaf(np.array([[1.0, 2, 3], [4, 5, 6]]))
    x.sum(dim=0).backward(torch.ones(3))
    assert x.grad.tolist() == [[1, 1, 1], [1, 1, 1]]


def test_step40_broadcast_and_its_sum_to():
    assert run(40) == ["variable([11 12 13])", "variable([3])"]
    x0, x1 = leaf(np.array([1.0, 2, 3])), leaf(np.array([10.0]))
    (x0 + x1).backward(torch.ones(3))
    assert x1.grad.tolist() == [3.0]


def test_step41_matmul():
    assert run(41) == ["(2, 3)", "(3, 4)"]


def test_matmul_grads_against_torch():
    import gradwidget.functions as F
    from gradwidget.step32 import Variable

    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    x, w = Variable(a), Variable(b)
    F.sum(F.matmul(x, w) ** 2).backward()
    tx, tw = leaf(a), leaf(b)
    ((tx @ tw) ** 2).sum().backward()
    assert np.allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14) and np.allclose(w.grad.data, tw.grad.numpy())


def regression_data():
    np.random.seed(0)
    x = np.random.rand(100, 1)
    return x, 5 + 2 * x + np.random.rand(100, 1)


def test_step42_linear_regression():
    lines = run(42)
    assert len(lines) == 100
    assert lines[0] == "variable([[0.64433458]]) variable([1.29473389]) variable(42.296340129442335)"
    assert lines[-1].startswith("variable([[2.11807369]]) variable([5.46608905]) variable(0.0790860651241")
    x, y = (torch.tensor(a) for a in regression_data())
    W, b = leaf(np.zeros((1, 1))), leaf(np.zeros(1))
    for _ in range(100):
        loss = ((y - (x @ W + b)) ** 2).sum() / len(y)
        W.grad = b.grad = None
        loss.backward()
        with torch.no_grad():
            W -= 0.1 * W.grad
            b -= 0.1 * b.grad
    printed_W, printed_b, printed_loss = numbers(lines[-1])
    assert [printed_W, printed_b] == pytest.approx([W.item(), b.item()], rel=1e-8)  # printed to 8 decimals
    assert printed_loss == pytest.approx(loss.item(), rel=1e-12)


# The book's step 43 and 44 losses, every 1000 iterations (the last digits follow numpy's summation order).
BOOK_43 = [0.8473695850105871, 0.2514286285183607, 0.24759485466749878, 0.23786120447054832,
           0.21222231333102953, 0.16742181117834223, 0.0968193261999272, 0.07849528290602335,
           0.07749729552991157, 0.07722132399559317]  # fmt: skip
BOOK_44 = [0.8165178479901415, 0.2499028014603371, 0.24609874026436834, 0.23721586110833612,
           0.20793217994822147, 0.12311919860580518, 0.07888168390348675, 0.07656075297857305,
           0.07643364647799142, 0.0761937449484299]  # fmt: skip


def torch_two_layer_net(W1, W2, float32_biases):
    """The book's two-layer net trained in torch; step 44's biases stay float32 as numpy keeps them (its W
    are float64: a float32 array times np.sqrt's float64 is float64 in numpy 2)."""
    np.random.seed(0)
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
    x, y = torch.tensor(x), torch.tensor(y)
    params = [leaf(W1), leaf(np.zeros(10)), leaf(W2), leaf(np.zeros(1))]
    losses = []
    for i in range(10000):
        W1_, b1, W2_, b2 = params
        h = x @ W1_ + b1
        y_pred = (torch.tanh(h * 0.5) * 0.5 + 0.5) @ W2_ + b2  # the book's sigmoid, rounding as it does
        loss = ((y - y_pred) ** 2).sum() / len(y)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for index, p in enumerate(params):
                p -= 0.2 * p.grad
                if float32_biases and index % 2:
                    p.copy_(p.to(torch.float32))
        if i % 1000 == 0:
            losses.append(loss.item())
    return losses


def test_step43_a_two_layer_net():
    losses = [numbers(line)[0] for line in run(43)]
    assert losses == pytest.approx(BOOK_43, rel=1e-12)
    np.random.seed(0)
    np.random.rand(200)  # x and the noise, drawn first
    W1, W2 = 0.01 * np.random.randn(1, 10), 0.01 * np.random.randn(10, 1)
    assert losses == pytest.approx(torch_two_layer_net(W1, W2, float32_biases=False), rel=1e-9)


def test_step44_the_same_net_from_layers():
    losses = [numbers(line)[0] for line in run(44)]
    assert losses == pytest.approx(BOOK_44, rel=1e-12)
    np.random.seed(0)
    np.random.rand(200)
    W1 = np.random.randn(1, 10).astype(np.float32) * np.sqrt(1 / 1)  # as L.Linear makes them
    W2 = np.random.randn(10, 1).astype(np.float32) * np.sqrt(1 / 10)
    expected = torch_two_layer_net(W1, W2, float32_biases=True)
    assert losses == pytest.approx(expected, rel=1e-9)
