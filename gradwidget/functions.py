"""The block library: one Function subclass per operation, each with its lowercase wrapper, as in the book.

Every block declares its local derivative once, in `rule`, next to the `backward` that implements it: an
expression in x (the input), y (the output), x0/x1 (two inputs) and the block's constants, one per input.
explain.py evaluates it (the tests check it against `backward`), writes it out for the derivative card, and
the page draws it as MathML.

`__slots__ = ()` says a block keeps nothing beyond the graph's links, which Function already has slots for: a
graph holds one block per op, and without it each would carry an unused __dict__ (96 bytes instead of 56).
A learner's own Function subclass does not need it.
"""

import numbers
import warnings

import numpy as np

from gradwidget.core import Function, Variable

# exp(1000) is inf and log(-1) is nan: the value says so on its node, so numpy's RuntimeWarning about it
# would only be noise. Exp, Log, Div and Pow meet the edge of their domain at ordinary inputs, so they
# compute inside `quietly()`: no warning at all, even where warnings are errors. The other blocks only
# overflow beyond 1e154 or on an inf that came from upstream; entering errstate costs about 1 µs, more than
# the maths of a whole op, so for them this filter keeps it quiet in ordinary use (for the engine's own
# modules alone: a learner's code still warns as usual).
warnings.filterwarnings(
    "ignore",
    message=r"(overflow|invalid value|divide by zero|underflow) encountered",
    category=RuntimeWarning,
    module=r"gradwidget(\.|$)",
)


def quietly():
    return np.errstate(over="ignore", divide="ignore", invalid="ignore")


def sum_to(gx, shape):
    """Sum a broadcast grad back down to its input's shape (x0 + x1 with x1 a scalar, say)."""
    if gx.shape == shape:
        return gx
    lead = gx.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape) if n == 1)
    return np.asarray(gx.sum(axis=axes, keepdims=True).reshape(shape))


class Square(Function):
    __slots__ = ()
    rule = "2 * x"

    def forward(self, x):
        return x**2

    def backward(self, gy):
        x = self.input.data
        # The book's 2 * x * gy, bit for bit (doubling is exact). On 0-d arrays x * gy is a numpy scalar,
        # and 2 * that scalar costs a third of what 2 * an array does.
        return 2 * (x * gy)


class Exp(Function):
    __slots__ = ()
    rule = "exp(x)"

    def forward(self, x):
        with quietly():  # exp(710) and beyond: inf
            return np.exp(x)

    def backward(self, gy):
        x = self.input.data
        with quietly():
            return np.exp(x) * gy


class Sin(Function):
    __slots__ = ()
    rule = "cos(x)"

    def forward(self, x):
        return np.sin(x)

    def backward(self, gy):
        x = self.input.data
        return np.cos(x) * gy


class Cos(Function):
    __slots__ = ()
    rule = "-sin(x)"

    def forward(self, x):
        return np.cos(x)

    def backward(self, gy):
        x = self.input.data
        return -np.sin(x) * gy


class Tanh(Function):
    __slots__ = ()
    rule = "1 - y**2"

    def forward(self, x):
        return np.tanh(x)

    def backward(self, gy):
        y = self.output.data
        return (1 - y * y) * gy


class Log(Function):
    __slots__ = ()
    rule = "1 / x"

    def forward(self, x):
        with quietly():  # log(0) is -inf, log(-1) is nan
            return np.log(x)

    def backward(self, gy):
        x = self.input.data
        with quietly():
            return gy / x


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
        gx0, gx1 = gy, gy
        x0, x1 = self.inputs
        if x0.shape != x1.shape:  # one input was broadcast to the other's shape: sum its grad back down
            gx0, gx1 = sum_to(gx0, x0.shape), sum_to(gx1, x1.shape)
        return gx0, gx1


class Sub(Function):
    __slots__ = ()
    rule = ("1", "-1")

    def forward(self, x0, x1):
        return x0 - x1

    def backward(self, gy):
        gx0, gx1 = gy, -gy
        x0, x1 = self.inputs
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
        gx0, gx1 = gy * x1.data, gy * x0.data
        if x0.shape != x1.shape:
            gx0, gx1 = sum_to(gx0, x0.shape), sum_to(gx1, x1.shape)
        return gx0, gx1


class Div(Function):
    __slots__ = ()
    rule = ("1 / x1", "-x0 / x1**2")

    def forward(self, x0, x1):
        with quietly():  # 1 / 0 is inf, 0 / 0 is nan
            return x0 / x1

    def backward(self, gy):
        x0, x1 = self.inputs
        with quietly():
            gx0 = gy / x1.data
            gx1 = gy * (-x0.data / x1.data**2)
        if x0.shape != x1.shape:
            gx0, gx1 = sum_to(gx0, x0.shape), sum_to(gx1, x1.shape)
        return gx0, gx1


class Pow(Function):
    """x ** c for a constant c (the exponent is not a Variable, so it gets no grad)."""

    __slots__ = ("c",)
    rule = "c * x ** (c - 1)"

    def __init__(self, c):
        if not isinstance(c, (numbers.Real, np.integer, np.floating)) or isinstance(c, bool):
            raise TypeError(
                f"Pow needs a constant number as the exponent, but got {type(c).__name__}. "
                "Write x ** 3 or pow(x, 0.5); a Variable exponent is not supported."
            )
        self.c = c

    def forward(self, x):
        with quietly():  # 0 ** -1 is inf, (-8) ** 0.5 is nan
            return x**self.c

    def backward(self, gy):
        x = self.input.data
        c = self.c
        with quietly():
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


def _rpow(self, base):
    raise TypeError(
        "Only a Variable raised to a constant power is supported (x ** 3), not a number raised to a "
        f"Variable ({type(base).__name__} ** Variable). Write exp(x * log(base)) instead."
    )


def setup_variable():
    """Give Variable its operators, as the book's `setup_variable` does: x * y builds a Mul block."""
    Variable.__add__ = add
    Variable.__radd__ = lambda self, other: add(other, self)
    Variable.__sub__ = sub
    Variable.__rsub__ = lambda self, other: sub(other, self)
    Variable.__mul__ = mul
    Variable.__rmul__ = lambda self, other: mul(other, self)
    Variable.__truediv__ = div
    Variable.__rtruediv__ = lambda self, other: div(other, self)
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
