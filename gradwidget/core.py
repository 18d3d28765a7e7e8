"""Variable, Function and the backward loop, in the words of "Deep Learning from Scratch 3" (DeZero).

Backward is one loop over Functions ordered by generation (never recursion), written once as the
step-by-step iterator `backward_steps`; `Variable.backward` simply runs that iterator to the end, so the
widget that steps through it and the plain call can never disagree.

Each block writes its backward once, with Variables, as the book's dezero/core.py does (step 32):
`x, = self.inputs; return 2 * x * gy`. It computes on what it is given. Given Variables
(`y.backward(create_graph=True)`), it records the backward as a graph that can be differentiated again.
Given arrays (a plain `y.backward()`, or the book's step 6 by hand: `x.grad = A.backward(a.grad)`), it
computes on the arrays themselves: every Function it calls gives back an array and no Variable is made.
"""

import ast
import contextlib
import functools
import heapq
import itertools
import numbers
import weakref
from dataclasses import dataclass

import numpy as np

from gradwidget.messages import Message


class Config:
    enable_backprop = True
    on_arrays = False  # True while a backward computes on arrays: Functions then give arrays back


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
    """A Function's backward raised or returned something the loop cannot use; the message names it.

    The message is a gradwidget.messages.Message (its English is the error's text), so that a widget can
    show it in the learner's language."""

    def __init__(self, message, function=None):
        super().__init__(str(message))
        self.message = message
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
    if isinstance(data, (float, np.number)):  # Python floats and numpy scalars: every op's result
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

    Its grads are ndarrays, as in the book's steps 1-31, unless `backward(create_graph=True)` makes them
    Variables (step 32). From step 32 the book's grads are always Variables: that is `Step32Variable`.
    Its operators (+ - * / ** and unary -) are attached in functions.py, as the book's `setup_variable`
    does, so that they build the same blocks the learner can call by name.
    """

    # A graph holds one Variable per op: slots make each one smaller and quicker to build than a __dict__
    # would. __weakref__ lets a Function hold its outputs weakly. (A subclass of Variable gets a __dict__.)
    __slots__ = ("data", "name", "grad", "creator", "__weakref__")
    __array_priority__ = 200  # so that `ndarray + Variable` asks Variable.__radd__ instead of numpy

    def __init__(self, data, name=None):
        if isinstance(data, (float, np.number)):  # every op's result: as_array's first case, without a call
            self.data = np.array(data)
        else:
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

    def backward(self, retain_grad=True, create_graph=False):
        """Fill `.grad` of every Variable this one depends on, by the chain rule.

        Gradients accumulate on the leaves (the Variables no Function made): a Variable used twice
        (x + x) receives the sum of both contributions, and so does a second call to `backward()`
        without `cleargrad()` first. As in the book's step 14: x = Variable(3.0); y = x + x;
        y.backward() gives x.grad == 2; then y = (x + x) + x; y.backward() gives x.grad == 5 (2 + 3),
        until `x.cleargrad()`. A Variable made by a Function holds the grad of the last backward only.

        create_graph=True records the backward itself: the grads are Variables with graphs of their
        own, so that `gx = x.grad; x.cleargrad(); gx.backward()` gives the second derivative (step 33).

        Every grad is kept so the widget can show it; retain_grad=False drops the grads of
        intermediate Variables once they are used, as DeZero's default does from step 18 on.
        """
        # A plain backward computes on arrays from start to end (see _on_what_it_is_given): the mode is
        # set once for the whole pass here, not by each block's backward.
        on_arrays, Config.on_arrays = Config.on_arrays, not create_graph
        try:
            for f in backward_steps(self, create_graph, records=False):
                if not retain_grad:
                    for output in f.outputs:
                        output().grad = None
        finally:
            Config.on_arrays = on_arrays

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

    def reshape(self, *shape):
        """x.reshape(2, 3) or x.reshape((2, 3)), as numpy's."""
        from gradwidget.functions import reshape

        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return reshape(self, tuple(shape))

    def transpose(self, *axes):
        """x.transpose() reverses the axes; x.transpose(1, 0, 2) or x.transpose((1, 0, 2)) orders them."""
        from gradwidget.functions import transpose

        if len(axes) == 0:
            axes = None
        elif len(axes) == 1 and (isinstance(axes[0], (tuple, list)) or axes[0] is None):
            axes = axes[0]
        return transpose(self, axes)

    @property
    def T(self):
        from gradwidget.functions import transpose

        return transpose(self)

    def sum(self, axis=None, keepdims=False):
        from gradwidget import functions

        return functions.sum(self, axis, keepdims)


class Step32Variable(Variable):
    """The book's Variable from step 32 on (dezero/core.py): every grad a backward leaves is a Variable,
    after a plain `loss.backward()` too (step 42 writes `W.data -= lr * W.grad.data`).

    `from gradwidget.step32 import Variable` gives it by the book's name. What a Function computes from
    one is a Step32Variable too, and its backward keeps only the leaves' grads by default, as DeZero's.
    """

    __slots__ = ()

    def backward(self, retain_grad=False, create_graph=False):
        super().backward(retain_grad, create_graph)
        if not create_graph:  # the pass computed on arrays; the book's grads are Variables
            for v in _reached(self):
                if v.grad is not None and not isinstance(v.grad, Variable):
                    v.grad = Step32Variable(v.grad)


class Parameter(Step32Variable):
    """A Variable a Layer learns (the book's step 44); its data may be None until the layer first runs."""

    __slots__ = ()

    def __init__(self, data, name=None):
        if data is None:
            super().__init__(0.0, name)
            self.data = None
        else:
            super().__init__(data, name)


def _reached(output):
    """The output and every Variable its graph reaches, each once (an iterative walk over creators)."""
    reached, seen, stack = [output], set(), [output.creator] if output.creator is not None else []
    while stack:
        f = stack.pop()
        if f in seen:
            continue
        seen.add(f)
        for x in f.inputs:
            reached.append(x)
            if x.creator is not None:
                stack.append(x.creator)
    return reached


def as_variable(obj, where="Function"):
    """A Variable as it is; a number or an array in a new Variable. `where` (a name, or the Function
    that was called) says where a wrong value came in."""
    if Config.on_arrays:  # inside a backward on arrays nothing is a Variable (see Function.backward)
        return obj.data if isinstance(obj, Variable) else obj
    if isinstance(obj, Variable):
        return obj
    try:
        return Variable(obj)
    except TypeError:
        where = where if isinstance(where, str) else f"{type(where).__name__}()"
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
    constants = ()  # the names of a block's constant attributes, as Pow's ("c",): part of what it is

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "backward" in cls.__dict__:
            cls.backward = _on_what_it_is_given(cls.__dict__["backward"])

    def __call__(self, *inputs):
        if Config.on_arrays:  # inside a backward on arrays: compute on them, record nothing
            return self.forward(*[x.data if isinstance(x, Variable) else x for x in inputs])
        inputs = tuple([as_variable(x, self) for x in inputs])
        try:
            ys = self.forward(*[x.data for x in inputs])
        except ValueError as error:  # numpy's words for shapes that do not fit: say which Function
            shapes = " and ".join(str(x.shape) for x in inputs)
            raise ValueError(
                f"{type(self).__name__}() cannot take inputs of shapes {shapes}: {error}"
            ) from None
        if not isinstance(ys, tuple):
            ys = (ys,)
        made = Variable
        for x in inputs:  # what a Function computes from a step-32 Variable is one too
            if isinstance(x, Step32Variable):
                made = Step32Variable
        try:
            outputs = [made(y) for y in ys]
        except TypeError:  # forward returned something that is not a number: say which forward
            for y in ys:
                as_array(y, f"{type(self).__name__}.forward's result", fix="Return one, e.g. `return x ** 2`")
            raise

        if Config.enable_backprop:
            self.generation = max([x.generation for x in inputs])
            for output in outputs:
                output.set_creator(self)
            self.inputs = inputs
            self.outputs = (weakref.ref(outputs[0]),) if len(outputs) == 1 else _output_refs(self, outputs)
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


def _on_what_it_is_given(backward):
    """A Function subclass's backward, computing on what it is given: on Variables it records (as any
    Variable maths does); on arrays, Config.on_arrays makes every Function it calls compute on arrays."""

    @functools.wraps(backward)
    def on_what_it_is_given(self, *gys):
        if Config.on_arrays or (gys and isinstance(gys[0], Variable)):
            return backward(self, gys[0]) if len(gys) == 1 else backward(self, *gys)
        Config.on_arrays = True
        try:
            return backward(self, *gys)
        finally:
            Config.on_arrays = False

    on_what_it_is_given.unwrapped = backward  # what a pass already on arrays calls (see _Unwrapped)
    return on_what_it_is_given


class _Unwrapped(dict):
    """Each class's own backward, past the wrapper that sets the arrays mode, for a pass that has set it
    already (a plain y.backward()), where the wrapper would only find it set: a Python call per block, 1-2%
    of the pass. Looked up once per class and pass, so that one assigned to its class by hand still counts;
    None for a backward without a wrapper (such a one, or another engine's Function)."""

    def __missing__(self, kind):
        self[kind] = getattr(getattr(kind, "backward", None), "unwrapped", None)
        return self[kind]


def numpy_on_arrays(block, numpy_operator, reflected=False):
    """Variable's operator for a block of two inputs: x * y is Mul()(x, y), 2 * x (reflected) Mul()(2, x).
    Inside a backward on arrays it is `numpy_operator` on the arrays, the block's own forward: the same
    numbers, without a block made and called for each (bench/engine.py, the backward of Square's 2 * x)."""

    def operator(x, other):
        if Config.on_arrays:
            x = x.data
            if isinstance(other, (int, float)) and x.ndim == 0 and x.dtype.kind == "f":
                # A 0-d float array and a number (Square's 2 * x) in numpy's scalar maths: the number and
                # type a ufunc gives on 0-d arrays, for a sixth of a ufunc's dispatch.
                x = x[()]
            elif isinstance(other, Variable):
                other = other.data
            return numpy_operator(other, x) if reflected else numpy_operator(x, other)
        return block()(other, x) if reflected else block()(x, other)

    return operator


class _OutputRef(weakref.ref):
    """An output of a Function with several, held weakly but with its shape and dtype kept. One dropped
    before backward (a, b = Split()(x); y = square(a); del b) comes back as a Variable of zeros made by
    the same Function: its grad is zero, and the graph can still be drawn and replayed."""

    __slots__ = ("shape", "dtype", "function", "dropped")

    def __new__(cls, output, function):
        return super().__new__(cls, output)

    def __init__(self, output, function):
        super().__init__(output)
        self.shape, self.dtype = output.data.shape, output.data.dtype
        self.function = weakref.ref(function)  # the Function holds this: no cycle while the output lives
        self.dropped = None

    def __call__(self):
        output = super().__call__()
        if output is None:
            if self.dropped is None:
                self.dropped = Variable(np.zeros(self.shape, self.dtype))
                self.dropped.set_creator(self.function())
            output = self.dropped
        return output


def _output_refs(f, outputs):
    return tuple([_OutputRef(output, f) for output in outputs])


@dataclass(slots=True, eq=False)  # a slotted class is built in half the time of a NamedTuple
class BackwardStep:
    """What one Function did during backward: upstream grads in, downstream grads out."""

    function: Function
    gys: list
    gxs: list
    inputs: tuple


def checked_grads(f, gys, inputs, create_graph=False, unwrapped=None):
    """Call f.backward(*gys) and turn what it returns into one grad per input, or say why not: ndarrays,
    or Variables with create_graph=True.

    `inputs` are the Variables the grads go to (f.inputs for the engine's own Functions); `unwrapped`, an
    _Unwrapped, when the arrays mode is set for the whole pass.
    """
    if create_graph:
        gys = [as_variable(gy, "backward") for gy in gys]
    try:
        backward = None if unwrapped is None else unwrapped[type(f)]
        # One grad is passed as itself: CPython runs a call with plain arguments in the same frame loop,
        # one with *gys through a slower general path.
        if backward is None:
            gxs = f.backward(gys[0]) if len(gys) == 1 else f.backward(*gys)
        else:
            gxs = backward(f, gys[0]) if len(gys) == 1 else backward(f, *gys)
    except Exception as error:
        said = {"name": type(f).__name__, "kind": type(error).__name__, "error": str(error)}
        if create_graph:
            message = Message("backward_raised_create_graph", **said, needs_variables=_needs_variables(f))
        else:
            message = Message("backward_raised", **said)
        raise BackwardError(message, function=f) from error
    except KeyboardInterrupt as interrupt:
        interrupt.function = f  # still an interrupt for y.backward(); the widget shows it on f's node
        raise
    if not isinstance(gxs, tuple):
        gxs = (gxs,)
    if len(gxs) != len(inputs):
        message = Message("backward_count", name=type(f).__name__, returned=len(gxs), inputs=len(inputs))
        raise BackwardError(message, function=f)
    checked = []
    for x, gx in zip(inputs, gxs):
        if create_graph:
            if not isinstance(gx, Variable):
                gx = _grad_array(f, gx)  # None or not a number: that message first
                hint = _needs_variables(f)
                message = Message("backward_not_variable", name=type(f).__name__, needs_variables=hint)
                raise BackwardError(message, function=f)
        elif not isinstance(gx, np.ndarray):
            if isinstance(gx, np.number):  # maths on 0-d arrays gives numpy scalars: the common case first
                gx = np.array(gx)
            else:  # a number, None, or a Variable of another engine (the dezero package, a step-32 one)
                if all(hasattr(gx, name) for name in ("data", "grad", "creator")):
                    gx = gx.data
                gx = np.array(gx) if isinstance(gx, np.number) else _grad_array(f, gx)
        if gx.shape != x.data.shape:
            shapes = {"shape": gx.shape, "input_shape": x.data.shape}
            raise BackwardError(Message("backward_shape", name=type(f).__name__, **shapes), function=f)
        checked.append(gx)
    return checked


def _needs_variables(f):
    return Message("backward_needs_variables", example=_example(f))


def _example(f):
    """A backward's return line for f: gy times its own rule when it declares one, else a neutral form."""
    rule = getattr(f, "rule", None)
    if not isinstance(rule, str):
        return Message("example_return")
    try:
        top = ast.parse(rule, mode="eval").body
    except SyntaxError:
        return Message("example_return")
    if isinstance(top, ast.BinOp) and isinstance(top.op, (ast.Add, ast.Sub)):
        rule = f"({rule})"
    return f"gy * {rule}"


def _grad_array(f, gx):
    name = type(f).__name__
    if gx is None:
        raise BackwardError(Message("backward_none", name=name, example=_example(f)), function=f)
    try:
        return as_array(gx, f"{name}.backward's result")
    except TypeError:
        message = Message("backward_not_number", name=name, got=_describe(gx), example=_example(f))
        raise BackwardError(message, function=f) from None


def _called_again(f):
    """The error for a Function instance called again on its own result, as in A = Square(); A(A(x))."""
    return BackwardError(Message("called_again", name=type(f).__name__), function=f)


def _upstream(f, create_graph):
    """The grads that reached a Function with several outputs: zero for an output that got none, or was
    dropped before backward (a, b = Split()(x); y = square(a); del b)."""
    gys = []
    for ref in f.outputs:
        gy = ref().grad
        if gy is None:
            gy = np.zeros(ref.shape, ref.dtype)
            gy = Variable(gy) if create_graph else gy
        gys.append(gy)
    return gys


def _added(grad, gx, create_graph):
    """A leaf's grad so far plus a new share, in the form this backward works in."""
    if create_graph:
        return grad + gx  # Variables: the sum is recorded too
    if isinstance(grad, Variable):  # left by an earlier create_graph=True or step-32 backward
        grad = grad.data
    return np.asarray(grad + gx)


# What a backward with create_graph=True recorded: each Function (and each constant, such as the 2 of
# Square's `2 * x * gy`) it made -> the Function whose backward made it, or None for the seed dy/dy = 1.
# Weak keys: it holds nothing alive. The widget reads it to say which order a node belongs to.
recorded_by = weakref.WeakKeyDictionary()


def _note_recorded(f, grads, known):
    """Walk back from f's inputs' grads to what existed before f's backward ran (`known`: the Functions and
    leaves of the graph and of earlier steps), noting every new Function and constant as f's."""
    stack = list(grads)
    while stack:
        v = stack.pop()
        made = v.creator if v.creator is not None else v
        if made in known:
            continue
        known.add(made)
        recorded_by[made] = f
        if v.creator is not None:
            stack.extend(v.creator.inputs)


def backward_steps(output, create_graph=False, records=True):
    """Run backward from `output` one Function at a time, yielding a BackwardStep after each.

    The grads are written as each step is yielded, so stopping half-way leaves exactly the first
    steps done; running it to the end is `output.backward()`. With create_graph=True every grad is a
    Variable and the backward's own computation is recorded (and noted in `recorded_by`).

    records=False yields each step's Function alone: `output.backward()` reads nothing else, and
    making a record per step it would throw away costs a tenth of a plain backward.
    """
    if output.grad is None:
        ones = np.ones_like(output.data)
        output.grad = Variable(ones) if create_graph else ones
    elif isinstance(output.grad, Variable) != create_graph:  # left by a backward of the other kind
        output.grad = Variable(output.grad) if create_graph else output.grad.data
    # Variable.backward sets the arrays mode for its whole pass: the blocks' backward is called unwrapped.
    unwrapped = _Unwrapped() if Config.on_arrays and not create_graph else None
    known = None
    if create_graph:
        known = {v.creator if v.creator is not None else v for v in _reached(output)}
        if output.grad.creator is None and output.grad not in known:
            recorded_by[output.grad] = None
        known.add(output.grad.creator or output.grad)

    funcs = []  # a heap of (-generation, order, f): the highest generation comes out first
    waiting = set()  # the Functions in the heap, so that none goes in twice
    order = itertools.count()  # ties between equal generations go in the order the Functions were found

    push, pop = heapq.heappush, heapq.heappop  # once per backward, not once per step

    if output.creator is not None:
        waiting.add(output.creator)
        push(funcs, (-output.creator.generation, next(order), output.creator))
    while funcs:
        f = pop(funcs)[2]
        # Every Function that uses f's outputs has a higher generation (step 4 makes sure), so all of them
        # are done and f cannot come back: forgetting it keeps `waiting` as small as the heap.
        waiting.remove(f)
        # 1. upstream grads
        gys = [f.outputs[0]().grad] if len(f.outputs) == 1 else _upstream(f, create_graph)
        gxs = checked_grads(f, gys, f.inputs, create_graph, unwrapped)  # 2. local derivative times upstream

        for x, gx in zip(f.inputs, gxs):  # 3. accumulate: a Variable used twice gets both
            creator = x.creator
            if creator is None:  # a leaf: its grad adds up, over several backward calls too
                x.grad = gx if x.grad is None else _added(x.grad, gx, create_graph)
                continue
            if creator.generation >= f.generation:
                raise _called_again(creator)
            if creator in waiting:
                x.grad = x.grad + gx if create_graph else np.asarray(x.grad + gx)
            else:  # 4. its first share: what an earlier backward left there is not part of this one
                if len(creator.outputs) > 1:
                    for other in creator.outputs:
                        other().grad = None
                x.grad = gx
                waiting.add(creator)  # and walk on towards the inputs
                push(funcs, (-creator.generation, next(order), creator))
        if known is not None:  # what f's backward recorded, its grads' sums included
            _note_recorded(f, [x.grad for x in f.inputs], known)
        yield BackwardStep(f, gys, gxs, f.inputs) if records else f
