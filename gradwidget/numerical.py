"""Numerical differentiation: the book's central difference, and the gradient check built on it."""

from dataclasses import dataclass

import numpy as np

from gradwidget.core import Variable, as_variable


def numerical_diff(f, x, eps=1e-4):
    """(f(x + eps) - f(x - eps)) / 2eps, exactly as the book writes it."""
    x0 = Variable(x.data - eps)
    x1 = Variable(x.data + eps)
    y0 = f(x0)
    y1 = f(x1)
    return (y1.data - y0.data) / (2 * eps)


@dataclass(frozen=True)
class GradientCheck:
    """Backprop's grads beside numerical_diff's, per input, and the worst disagreement."""

    backprop: list
    numerical: list
    errors: list  # per input: max |backprop - numerical| / max(1, |numerical|)
    max_error: float
    ok: bool

    def __bool__(self):
        return self.ok


def central_difference(g, arrays, i, eps, indices=None):
    """d g / d arrays[i], element by element, by the book's central difference, the other arrays held.

    g takes the arrays and returns one number. Shared by gradient_check (g runs a whole function on
    Variables) and the widget's per-node check (g runs one Function's forward, weighted by its gy).
    With `indices` (index tuples), only those elements are worked out and the others are NaN: each costs
    two calls of g, so a large array's check samples a few.
    """
    base = np.asarray(arrays[i], dtype=float)
    grad = np.zeros_like(base) if indices is None else np.full_like(base, np.nan)
    for index in np.ndindex(base.shape) if indices is None else indices:
        values = []
        for sign in (+1, -1):
            moved = base.copy()
            moved[index] += sign * eps
            values.append(g(*[moved if j == i else a for j, a in enumerate(arrays)]))
        grad[index] = (values[0] - values[1]) / (2 * eps)
    return grad


def gradient_check(f, *inputs, eps=1e-4, tol=1e-5):
    """Compare backprop against numerical_diff for every input of f; report the worst error.

    f takes Variables and returns one Variable (summed if it is not a scalar). The error is relative
    where the grad is large and absolute where it is small, so that tol means the same at any scale.
    """
    xs = [as_variable(x, "gradient_check()") for x in inputs]
    xs = [Variable(x.data.astype(float)) for x in xs]
    y = f(*xs)
    y.grad = np.ones_like(y.data, dtype=float)
    y.backward()
    backprop = [np.zeros_like(x.data) if x.grad is None else x.grad for x in xs]

    def summed(*arrays):
        return np.sum(f(*[Variable(a) for a in arrays]).data)

    numerical = [central_difference(summed, [x.data for x in xs], i, eps) for i in range(len(xs))]
    errors = [
        float(np.max(np.abs(b - n) / np.maximum(1.0, np.abs(n)), initial=0.0))
        for b, n in zip(backprop, numerical)
    ]
    max_error = max(errors, default=0.0)
    return GradientCheck(backprop, numerical, errors, max_error, bool(max_error <= tol))
