"""Variable, Function and the backward loop, in the words of "Deep Learning from Scratch 3" (DeZero).

Backward is one loop over Functions ordered by generation (never recursion), written once as the
step-by-step iterator `backward_steps`; `Variable.backward` simply runs that iterator to the end, so the
widget that steps through it and the plain call can never disagree.
"""

import contextlib
import heapq
import itertools
import numbers
import weakref
from dataclasses import dataclass

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


def as_array(data, where, fix="Pass a number or an array, e.g. Variable(np.array(0.5)) or Variable(0.5)"):
    """Numbers and numeric arrays become ndarrays; anything else is a TypeError that says how to fix it.

    `where` names the caller (e.g. "Variable()" or "Square()") so the message points at the right line.
    """
    # Every op of a graph comes through here (its result is a numpy scalar): the common cases go first.
    if isinstance(data, (float, np.number)):  # Python floats and numpy scalars
        return np.array(data)
    if isinstance(data, np.ndarray):
        array = data
    elif isinstance(data, (int, np.generic, numbers.Number)):  # 2**70 makes an object array: refused below
        array = np.array(data)
    elif isinstance(data, (list, tuple)):
        try:
            array = np.asarray(data)
        except ValueError:  # ragged nesting
            array = np.asarray(data, dtype=object)
    else:
        array = None
    if array is None or array.dtype.kind not in "biufc":
        raise TypeError(f"{where} needs a number or a numeric numpy array, but got {_describe(data)}. {fix}.")
    return array


class Variable:
    """A box around an ndarray that remembers the Function that made it (its `creator`).

    Its operators (+ - * / ** and unary -) are attached in functions.py, as the book's
    `setup_variable` does, so that they build the same blocks the learner can call by name.
    """

    # A graph holds one Variable per op: slots make each one smaller and quicker to build than a __dict__
    # would. __weakref__ lets a Function hold its outputs weakly. (A subclass of Variable gets a __dict__.)
    __slots__ = ("data", "name", "grad", "creator", "__weakref__")
    __array_priority__ = 200  # so that `ndarray + Variable` asks Variable.__radd__ instead of numpy

    def __init__(self, data, name=None):
        self.data = as_array(data, "Variable()")
        self.name = name
        self.grad = None
        self.creator = None

    def set_creator(self, func):
        self.creator = func

    @property
    def generation(self):
        """One more than its creator's, 0 for a Variable no Function made.

        The book's set_creator stores func.generation + 1; worked out from the creator instead, it
        costs no memory per Variable and stays right even if `creator` is set by hand.
        """
        return 0 if self.creator is None else self.creator.generation + 1

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
    try:
        return Variable(obj)
    except TypeError:
        raise TypeError(
            f"{where} needs a number or a numeric numpy array, but got {_describe(obj)}. "
            f"Pass a number or an array, e.g. {where}(Variable(np.array(0.5)))."
        ) from None


class Function:
    """A block of the graph: subclasses write `forward` on ndarrays and `backward` on their grads.

    Both of the book's styles work: single input (`forward(self, x)`, `backward(self, gy)`,
    `self.input`, `self.output`) and several (`forward(self, x0, x1)`, `backward` returning a tuple,
    `self.inputs`, `self.outputs`, both tuples). Outputs are held by weak reference so that a graph is
    freed as soon as its last Variable is, by reference counting alone.
    """

    # Slots for the graph's links, as in Variable. A subclass without __slots__ of its own (a learner's
    # block) gets a __dict__ as usual, for attributes of its own.
    __slots__ = ("inputs", "outputs", "generation", "__weakref__")

    def __call__(self, *inputs):
        for x in inputs:
            if not isinstance(x, Variable):  # ndarrays and numbers are wrapped; anything else is an error
                where = f"{type(self).__name__}()"
                inputs = tuple([as_variable(x, where) for x in inputs])
                break
        # The book's first style, forward(x), then the general one, forward(x0, x1, ...). Most blocks take
        # one input and give one output: skipping the lists makes them about a tenth quicker.
        if len(inputs) == 1:
            ys = self.forward(inputs[0].data)
            generation = inputs[0].generation
        else:
            ys = self.forward(*[x.data for x in inputs])
            generation = max([x.generation for x in inputs])
        try:
            outputs = [Variable(y) for y in ys] if isinstance(ys, tuple) else [Variable(ys)]
        except TypeError:  # forward returned something that is not a number: say which forward
            for y in ys if isinstance(ys, tuple) else (ys,):
                as_array(y, f"{type(self).__name__}.forward's result", fix="Return one, e.g. `return x ** 2`")
            raise

        if Config.enable_backprop:
            self.generation = generation
            for output in outputs:
                output.set_creator(self)
            self.inputs = inputs
            self.outputs = tuple([weakref.ref(output) for output in outputs])
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


@dataclass(slots=True, eq=False)  # a slotted class is built in half the time of a NamedTuple
class BackwardStep:
    """What one Function did during backward: upstream grads in, downstream grads out."""

    function: Function
    gys: list
    gxs: list
    inputs: tuple


def checked_grads(f, gys, inputs):
    """Call f.backward(*gys) and turn what it returns into a list of arrays, one per input, or say why not.

    `inputs` are the Variables the grads go to (f.inputs for the engine's own Functions).
    """
    try:
        gxs = f.backward(*gys)
    except Exception as error:
        name = type(f).__name__
        raise BackwardError(f"{name}.backward raised {type(error).__name__}: {error}", function=f) from error
    except KeyboardInterrupt as interrupt:
        interrupt.function = f  # still an interrupt for y.backward(); the widget shows it on f's node
        raise
    if not isinstance(gxs, tuple):
        gxs = (gxs,)
    if len(gxs) != len(inputs):
        raise BackwardError(
            f"{type(f).__name__}.backward returned {len(gxs)} grad(s) for {len(inputs)} input(s); "
            "return one gx per input, as a tuple when there are several.",
            function=f,
        )
    checked = []
    for x, gx in zip(inputs, gxs):
        if not isinstance(gx, np.ndarray):  # maths on 0-d arrays gives numpy scalars; or a number, or None
            gx = np.array(gx) if isinstance(gx, np.number) else _grad_array(f, gx)
        if gx.shape != x.data.shape:
            raise BackwardError(
                f"{type(f).__name__}.backward returned a grad of shape {gx.shape} for an input of shape "
                f"{x.data.shape}; gx must have the shape of its input.",
                function=f,
            )
        checked.append(gx)
    return checked


def _grad_array(f, gx):
    name = type(f).__name__
    if gx is None:
        raise BackwardError(
            f"{name}.backward returned None; it must return gx, e.g. `return 2 * x * gy`.", function=f
        )
    try:
        return as_array(gx, f"{name}.backward's result", fix="Return one, e.g. `return 2 * x * gy`")
    except TypeError as error:
        raise BackwardError(str(error), function=f) from None


def _called_again(f):
    """The error for a Function instance called again on its own result, as in A = Square(); A(A(x))."""
    name = type(f).__name__
    return BackwardError(
        f"This {name} was called again after it made one of its own inputs, so the graph loops back on "
        "itself: a Function remembers only its last call. Call a new one each time, "
        f"e.g. {name}()({name}()(x)).",
        function=f,
    )


def backward_steps(output):
    """Run backward from `output` one Function at a time, yielding a BackwardStep after each.

    The grads are written as each step is yielded, so stopping half-way leaves exactly the first
    steps done; running it to the end is `output.backward()`.
    """
    if output.grad is None:
        output.grad = np.ones_like(output.data)

    funcs = []  # a heap of (-generation, order, f): the highest generation comes out first
    waiting = set()  # the Functions in the heap, so that none goes in twice
    order = itertools.count()  # ties between equal generations go in the order the Functions were found

    def add_func(f):
        if f not in waiting:
            waiting.add(f)
            heapq.heappush(funcs, (-f.generation, next(order), f))

    if output.creator is not None:
        add_func(output.creator)
    while funcs:
        f = heapq.heappop(funcs)[2]
        # Every Function that uses f's outputs has a higher generation (step 4 makes sure), so all of them
        # are done and f cannot come back: forgetting it keeps `waiting` as small as the heap.
        waiting.remove(f)
        gys = [output().grad for output in f.outputs]  # 1. upstream grads
        gxs = checked_grads(f, gys, f.inputs)  # 2. local derivative times upstream, per input

        for x, gx in zip(f.inputs, gxs):  # 3. accumulate: a Variable used twice gets both
            x.grad = gx if x.grad is None else np.asarray(x.grad + gx)
            if x.creator is not None:  # 4. and walk on towards the inputs
                if x.creator.generation >= f.generation:
                    raise _called_again(x.creator)
                add_func(x.creator)
        yield BackwardStep(f, gys, gxs, f.inputs)
