"""The block library: one Function subclass per operation, each with its lowercase wrapper, as in the book.

Each backward is the book's, written with Variables (dezero/core.py and dezero/functions.py from step 32
on), so that `create_graph=True` can record it; core.py explains how the same code computes a plain
backward on arrays.

Every elementwise block declares its local derivative once, in `rule`, next to the `backward` that
implements it: an expression in x (the input), y (the output), x0/x1 (two inputs) and the block's
constants, one per input. explain.py evaluates it (the tests check it against `backward`), writes it out
for the derivative card, and the page draws it as MathML. A block's constants (Pow's c, Sum's axis) are
named in `constants`.

A block on arrays (matmul, sum, broadcast_to, ...) declares its backward for the card in `array_rule`
instead, one per input, as the book writes it: gy·{x1}ᵀ, where gy is the upstream grad, {x0}, {x1} the
inputs, {shape} the input's shape and {n} len(x0); the card fills them with today's numbers.

`__slots__` says what a block keeps beyond the graph's links, which Function already has slots for: its
constants, or nothing. A graph holds one block per op, and without it each would carry an unused
__dict__ (96 bytes instead of 56). A learner's own Function subclass does not need it.
"""

import numbers
import operator

import numpy as np

from gradwidget.core import Function, Variable, as_variable, numpy_on_arrays

# --- elementwise blocks -----------------------------------------------------------------------------------


class Square(Function):
    __slots__ = ()
    rule = "2 * x"

    def forward(self, x):
        return x**2

    def backward(self, gy):
        (x,) = self.inputs
        return 2 * x * gy


class Exp(Function):
    __slots__ = ()
    rule = "exp(x)"

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        y = self.outputs[0]()  # exp(x) itself, held by weak reference
        return gy * y


class Sin(Function):
    __slots__ = ()
    rule = "cos(x)"

    def forward(self, x):
        return np.sin(x)

    def backward(self, gy):
        (x,) = self.inputs
        return gy * cos(x)


class Cos(Function):
    __slots__ = ()
    rule = "-sin(x)"

    def forward(self, x):
        return np.cos(x)

    def backward(self, gy):
        (x,) = self.inputs
        return gy * -sin(x)


class Tanh(Function):
    __slots__ = ()
    rule = "1 - y**2"

    def forward(self, x):
        return np.tanh(x)

    def backward(self, gy):
        y = self.outputs[0]()
        return gy * (1 - y * y)


class Log(Function):
    __slots__ = ()
    rule = "1 / x"

    def forward(self, x):
        return np.log(x)

    def backward(self, gy):
        (x,) = self.inputs
        return gy / x


class Sigmoid(Function):
    __slots__ = ()
    rule = "y * (1 - y)"

    def forward(self, x):
        return np.tanh(x * 0.5) * 0.5 + 0.5  # 1 / (1 + exp(-x)), without exp's overflow

    def backward(self, gy):
        y = self.outputs[0]()
        return gy * y * (1 - y)


class Neg(Function):
    __slots__ = ()
    rule = "-1"

    def forward(self, x):
        return -x

    def backward(self, gy):
        return -gy


class Add(Function):
    __slots__ = ()
    rule = ("1", "1")

    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        x0, x1 = self.inputs
        gx0, gx1 = gy, gy
        if x0.shape != x1.shape:  # one input was broadcast to the other's shape: sum its grad back (step 40)
            gx0, gx1 = sum_to(gx0, x0.shape), sum_to(gx1, x1.shape)
        return gx0, gx1


class Sub(Function):
    __slots__ = ()
    rule = ("1", "-1")

    def forward(self, x0, x1):
        return x0 - x1

    def backward(self, gy):
        x0, x1 = self.inputs
        gx0, gx1 = gy, -gy
        if x0.shape != x1.shape:
            gx0, gx1 = sum_to(gx0, x0.shape), sum_to(gx1, x1.shape)
        return gx0, gx1


class Mul(Function):
    __slots__ = ()
    rule = ("x1", "x0")

    def forward(self, x0, x1):
        return x0 * x1

    def backward(self, gy):
        x0, x1 = self.inputs
        gx0, gx1 = gy * x1, gy * x0
        if x0.shape != x1.shape:
            gx0, gx1 = sum_to(gx0, x0.shape), sum_to(gx1, x1.shape)
        return gx0, gx1


class Div(Function):
    __slots__ = ()
    rule = ("1 / x1", "-x0 / x1**2")

    def forward(self, x0, x1):
        return x0 / x1

    def backward(self, gy):
        x0, x1 = self.inputs
        gx0 = gy / x1
        gx1 = gy * (-x0 / x1**2)
        if x0.shape != x1.shape:
            gx0, gx1 = sum_to(gx0, x0.shape), sum_to(gx1, x1.shape)
        return gx0, gx1


class Pow(Function):
    """x ** c for a constant c (the exponent is not a Variable, so it gets no grad)."""

    constants = ("c",)
    __slots__ = constants
    rule = "c * x ** (c - 1)"

    def __init__(self, c):
        if not isinstance(c, (numbers.Real, np.integer, np.floating)) or isinstance(c, bool):
            raise TypeError(
                f"Pow needs a constant number as the exponent, but got {type(c).__name__}. "
                "Write x ** 3 or pow(x, 0.5); a Variable exponent is not supported."
            )
        self.c = c

    def forward(self, x):
        return x**self.c

    def backward(self, gy):
        (x,) = self.inputs
        c = self.c
        return c * x ** (c - 1) * gy


def square(x):
    return Square()(x)


def exp(x):
    return Exp()(x)


def sin(x):
    return Sin()(x)


def cos(x):
    return Cos()(x)


def tanh(x):
    return Tanh()(x)


def log(x):
    return Log()(x)


def sigmoid(x):
    return Sigmoid()(x)


def neg(x):
    return Neg()(x)


def add(x0, x1):
    return Add()(x0, x1)


def sub(x0, x1):
    return Sub()(x0, x1)


def mul(x0, x1):
    return Mul()(x0, x1)


def div(x0, x1):
    return Div()(x0, x1)


def pow(x, c):  # noqa: A001 - the book's name, used as gradwidget.pow
    return Pow(c)(x)


# --- tensors: shapes, sums and products (steps 37-43) -----------------------------------------------------


class Reshape(Function):
    constants = ("shape",)
    __slots__ = constants
    array_rule = "reshape(gy, {shape})"

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        return x.reshape(self.shape)

    def backward(self, gy):
        (x,) = self.inputs
        return reshape(gy, x.shape)


def reshape(x, shape):
    if x.shape == shape:
        return as_variable(x)
    return Reshape(shape)(x)


class Transpose(Function):
    constants = ("axes",)
    __slots__ = constants
    array_rule = "transpose(gy)"

    def __init__(self, axes=None):
        self.axes = axes

    def forward(self, x):
        return x.transpose(self.axes)

    def backward(self, gy):
        if self.axes is None:
            return transpose(gy)
        inverse = tuple(np.argsort([axis % len(self.axes) for axis in self.axes]))
        return transpose(gy, inverse)


def transpose(x, axes=None):
    return Transpose(axes)(x)


class Sum(Function):
    constants = ("axis", "keepdims")
    __slots__ = constants
    array_rule = "broadcast_to(gy, {shape})"

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        return x.sum(axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy):
        (x,) = self.inputs
        if x.ndim and self.axis is not None and not self.keepdims:  # put back the axes the sum took away
            axes = self.axis if isinstance(self.axis, tuple) else (self.axis,)
            shape = list(gy.shape)
            for axis in sorted(axis % x.ndim for axis in axes):
                shape.insert(axis, 1)
            gy = reshape(gy, tuple(shape))
        return broadcast_to(gy, x.shape)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - the book's name, used as gradwidget.sum
    return Sum(axis, keepdims)(x)


class BroadcastTo(Function):
    constants = ("shape",)
    __slots__ = constants
    array_rule = "sum_to(gy, {shape})"

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        return np.broadcast_to(x, self.shape)

    def backward(self, gy):
        (x,) = self.inputs
        return sum_to(gy, x.shape)


def broadcast_to(x, shape):
    if x.shape == shape:
        return as_variable(x)
    return BroadcastTo(shape)(x)


class SumTo(Function):
    """Sum x's elements down to `shape`: what undoes a broadcast to x's shape (step 40)."""

    constants = ("shape",)
    __slots__ = constants
    array_rule = "broadcast_to(gy, {shape})"

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        shape = tuple(self.shape)
        if not _broadcasts(shape, x.shape):
            raise ValueError(
                f"sum_to cannot sum shape {x.shape} down to {shape}: summing only removes leading axes "
                f"and shrinks axes to 1, so the shape must broadcast back to {x.shape}, e.g. "
                f"{x.shape[1:] if x.ndim else ()} or {(1,) * x.ndim}."
            )
        lead = x.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1)
        y = x.sum(axis=axes, keepdims=True)
        return y.reshape(shape) if lead else y

    def backward(self, gy):
        (x,) = self.inputs
        return broadcast_to(gy, x.shape)


def _broadcasts(shape, to):
    return len(shape) <= len(to) and all(n in (1, m) for n, m in zip(reversed(shape), reversed(to)))


def sum_to(x, shape):
    if x.shape == shape:
        return as_variable(x)
    return SumTo(shape)(x)


class MatMul(Function):
    __slots__ = ()
    array_rule = ("gy·{x1}ᵀ", "{x0}ᵀ·gy")

    def forward(self, x, W):
        return x.dot(W)

    def backward(self, gy):
        x, W = self.inputs
        gx = matmul(gy, W.T)
        gW = matmul(x.T, gy)
        return gx, gW


def matmul(x, W):
    return MatMul()(x, W)


class Linear(Function):
    """x W + b in one block (step 43); b may be left out."""

    __slots__ = ()
    array_rule = ("gy·{x1}ᵀ", "{x0}ᵀ·gy", "sum_to(gy, {shape})")

    def forward(self, x, W, b=None):
        y = x.dot(W)
        if b is not None:
            y = y + b
        return y

    def backward(self, gy):
        x, W = self.inputs[:2]
        gx = matmul(gy, W.T)
        gW = matmul(x.T, gy)
        if len(self.inputs) == 2:
            return gx, gW
        gb = sum_to(gy, self.inputs[2].shape)
        return gx, gW, gb


def linear(x, W, b=None):
    return Linear()(x, W) if b is None else Linear()(x, W, b)


class MeanSquaredError(Function):
    __slots__ = ()
    array_rule = ("gy·2({x0} − {x1}) / {n}", "−gy·2({x0} − {x1}) / {n}")

    def forward(self, x0, x1):
        diff = x0 - x1
        return (diff**2).sum() / len(diff)

    def backward(self, gy):
        x0, x1 = self.inputs
        diff = x0 - x1
        gx0 = gy * diff * (2.0 / len(diff))
        gx1 = -gx0
        return gx0, gx1


def mean_squared_error(x0, x1):
    return MeanSquaredError()(x0, x1)


# --- operators ----------------------------------------------------------------------------------------


def _rpow(self, base):
    raise TypeError(
        "Only a Variable raised to a constant power is supported (x ** 3), not a number raised to a "
        f"Variable ({type(base).__name__} ** Variable). Write exp(x * log(base)) instead."
    )


def setup_variable():
    """Give Variable its operators, as the book's `setup_variable` does: x * y builds a Mul block, and
    so does 2 * x (Mul(2, x), its inputs in the order they were written).

    Inside a backward on arrays (see core.py) each is numpy's own operator on the arrays instead: what
    the block's forward would compute, without making and calling the block for it.
    """
    Variable.__add__ = numpy_on_arrays(Add, operator.add)
    Variable.__radd__ = numpy_on_arrays(Add, operator.add, reflected=True)
    Variable.__sub__ = numpy_on_arrays(Sub, operator.sub)
    Variable.__rsub__ = numpy_on_arrays(Sub, operator.sub, reflected=True)
    Variable.__mul__ = numpy_on_arrays(Mul, operator.mul)
    Variable.__rmul__ = numpy_on_arrays(Mul, operator.mul, reflected=True)
    Variable.__truediv__ = numpy_on_arrays(Div, operator.truediv)
    Variable.__rtruediv__ = numpy_on_arrays(Div, operator.truediv, reflected=True)
    Variable.__neg__ = neg
    Variable.__pow__ = pow
    Variable.__rpow__ = _rpow


setup_variable()

# The single-input blocks a learner can stack in the widget, by the names the widget's `blocks` uses.
BLOCKS = {
    "square": Square,
    "exp": Exp,
    "sin": Sin,
    "cos": Cos,
    "tanh": Tanh,
    "log": Log,
    "neg": Neg,
}

# The blocks that act on each element alone: the widget checks many steps of one of them in one numpy call.
ELEMENTWISE = (Square, Exp, Sin, Cos, Tanh, Log, Sigmoid, Neg, Add, Sub, Mul, Div, Pow)
