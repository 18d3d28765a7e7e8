"""Variable, Function and the backward loop, in the words of "Deep Learning from Scratch 3" (DeZero).

Backward is one loop over Functions ordered by generation (never recursion), written once as the
step-by-step iterator `backward_steps`; `Variable.backward` simply runs that iterator to the end, so the
widget that steps through it and the plain call can never disagree.
"""

import contextlib
import heapq
import numbers
import weakref
from typing import NamedTuple

import numpy as np


class Config:
    enable_backprop = True


@contextlib.contextmanager
def using_config(name, value):
    old_value = getattr(Config, name)
    setattr(Config, name, value)
    try:
        yield
    finally:
        setattr(Config, name, old_value)


def no_grad():
    """Inside `with no_grad():` Functions record no graph: values only, no creators, nothing to free."""
    return using_config("enable_backprop", False)


class BackwardError(RuntimeError):
    """A Function's backward raised or returned something the loop cannot use; the message names it."""

    def __init__(self, message, function=None):
        super().__init__(message)
        self.function = function


def _describe(obj):
    text = repr(obj)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(obj).__name__} {text}"


def as_array(data, where, fix="e.g. Variable(np.array(0.5)) or Variable(0.5)"):
    """Numbers and numeric arrays become ndarrays; anything else is a TypeError that says how to fix it.

    `where` names the caller (e.g. "Variable()" or "Square()") so the message points at the right line.
    """
    if isinstance(data, np.ndarray):
        array = data
    elif isinstance(data, (np.generic, numbers.Number)):
        array = np.array(data)
    elif isinstance(data, (list, tuple)):
        try:
            array = np.asarray(data)
        except ValueError:  # ragged nesting
            array = np.asarray(data, dtype=object)
    else:
        array = None
    if array is None or array.dtype.kind not in "biufc":
        raise TypeError(
            f"{where} needs a number or a numeric numpy array, but got {_describe(data)}. "
            f"Pass a number or an array, {fix}."
        )
    return array


class Variable:
    """A box around an ndarray that remembers the Function that made it (its `creator`).

    Its operators (+ - * / ** and unary -) are attached in functions.py, as the book's
    `setup_variable` does, so that they build the same blocks the learner can call by name.
    """

    __array_priority__ = 200  # so that `ndarray + Variable` asks Variable.__radd__ instead of numpy

    def __init__(self, data, name=None):
        self.data = as_array(data, "Variable()")
        self.name = name
        self.grad = None
        self.creator = None
        self.generation = 0

    def set_creator(self, func):
        self.creator = func
        self.generation = func.generation + 1

    def cleargrad(self):
        self.grad = None

    def backward(self, retain_grad=True):
        """Fill `.grad` of every Variable this one depends on, by the chain rule.

        Gradients accumulate: a Variable used twice (x + x) receives the sum of both contributions, and
        so does a second call to `backward()` without `cleargrad()` first. As in the book's step 14:
        x = Variable(3.0); y = x + x; y.backward() gives x.grad == 2; then y = (x + x) + x;
        y.backward() gives x.grad == 5 (2 + 3), until `x.cleargrad()`. Calling backward twice on the
        same y also adds onto the grads already stored along the graph, so clear them (or build the
        graph again) before a fresh pass.

        Every grad is kept so the widget can show it; retain_grad=False drops the grads of
        intermediate Variables once they are used, as DeZero's default does from step 18 on.
        """
        for step in backward_steps(self):
            if not retain_grad:
                for output in step.function.outputs:
                    output().grad = None

    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        body = str(self.data).replace("\n", "\n" + " " * 9)
        name = "" if self.name is None else f", name={self.name!r}"
        return f"variable({body}{name})"


def as_variable(obj, where):
    if isinstance(obj, Variable):
        return obj
    return Variable(as_array(obj, where, fix=f"e.g. {where}(Variable(np.array(0.5)))"))


class Function:
    """A block of the graph: subclasses write `forward` on ndarrays and `backward` on their grads.

    Both of the book's styles work: single input (`forward(self, x)`, `backward(self, gy)`,
    `self.input`, `self.output`) and several (`forward(self, x0, x1)`, `backward` returning a tuple,
    `self.inputs`, `self.outputs`). Outputs are held by weak reference so that a graph is freed as
    soon as its last Variable is, by reference counting alone.
    """

    def __call__(self, *inputs):
        name = type(self).__name__
        inputs = [as_variable(x, f"{name}()") for x in inputs]
        ys = self.forward(*[x.data for x in inputs])
        if not isinstance(ys, tuple):
            ys = (ys,)
        outputs = [Variable(as_array(y, f"{name}.forward's result")) for y in ys]

        if Config.enable_backprop:
            self.generation = max([x.generation for x in inputs])
            for output in outputs:
                output.set_creator(self)
            self.inputs = inputs
            self.outputs = [weakref.ref(output) for output in outputs]
        return outputs if len(outputs) > 1 else outputs[0]

    @property
    def input(self):
        return self.inputs[0]

    @property
    def output(self):
        return self.outputs[0]()

    def forward(self, *xs):
        raise NotImplementedError(f"{type(self).__name__} must define forward(self, x) on ndarrays")

    def backward(self, *gys):
        raise NotImplementedError(f"{type(self).__name__} must define backward(self, gy) returning gx")


class BackwardStep(NamedTuple):
    """What one Function did during backward: upstream grads in, downstream grads out."""

    function: Function
    gys: list
    gxs: tuple
    inputs: list


def checked_grads(f, gys, inputs):
    """Call f.backward(*gys) and turn what it returns into a tuple of arrays, one per input, or say why not.

    `inputs` are the Variables the grads go to (f.inputs for the engine's own Functions).
    """
    name = type(f).__name__
    try:
        gxs = f.backward(*gys)
    except Exception as error:
        raise BackwardError(f"{name}.backward raised {type(error).__name__}: {error}", function=f) from error
    if not isinstance(gxs, tuple):
        gxs = (gxs,)
    if len(gxs) != len(inputs):
        raise BackwardError(
            f"{name}.backward returned {len(gxs)} grad(s) for {len(inputs)} input(s); "
            "return one gx per input, as a tuple when there are several.",
            function=f,
        )
    checked = []
    for x, gx in zip(inputs, gxs):
        if gx is None:
            raise BackwardError(
                f"{name}.backward returned None; it must return gx, e.g. `return 2 * x * gy`.",
                function=f,
            )
        if not isinstance(gx, np.ndarray):
            try:
                gx = as_array(gx, f"{name}.backward's result")
            except TypeError as error:
                raise BackwardError(str(error), function=f) from None
        if gx.shape != x.data.shape:
            raise BackwardError(
                f"{name}.backward returned a grad of shape {gx.shape} for an input of shape "
                f"{x.data.shape}; gx must have the shape of its input.",
                function=f,
            )
        checked.append(gx)
    return tuple(checked)


def backward_steps(output):
    """Run backward from `output` one Function at a time, yielding a BackwardStep after each.

    The grads are written as each step is yielded, so stopping half-way leaves exactly the first
    steps done; running it to the end is `output.backward()`.
    """
    if output.grad is None:
        output.grad = np.ones_like(output.data)

    funcs = []  # a heap: the highest generation comes out first
    seen = set()
    order = 0  # breaks ties between equal generations in the order the Functions were found

    def add_func(f):
        nonlocal order
        if f not in seen:
            seen.add(f)
            heapq.heappush(funcs, (-f.generation, order, f))
            order += 1

    if output.creator is not None:
        add_func(output.creator)
    while funcs:
        f = heapq.heappop(funcs)[2]
        gys = [output().grad for output in f.outputs]  # 1. upstream grads
        gxs = checked_grads(f, gys, f.inputs)  # 2. local derivative times upstream, per input

        for x, gx in zip(f.inputs, gxs):  # 3. accumulate: a Variable used twice gets both
            x.grad = gx if x.grad is None else np.asarray(x.grad + gx)
            if x.creator is not None:
                add_func(x.creator)  # 4. and walk on towards the inputs
        yield BackwardStep(f, gys, gxs, f.inputs)
