"""Walk a graph from its output into plain data for the page, step its backward, replay it for new inputs.

A graph may be built with gradwidget's engine or with the learner's own classes written as the book has
them: Variables with `data`, `grad` and `creator`; Functions with `input`/`inputs`, `output`/`outputs`
(objects or weak references), `forward` and `backward`. Nothing here knows about widgets or traitlets.
The drawing's shape sent to the page is `Graph.structure`; its numbers travel as rows (wire.py).
"""

import contextlib
import inspect
import itertools
import math
import sys
import types
import weakref

import numpy as np

from gradwidget.core import (
    BackwardError,
    BackwardStep,
    Function,
    Variable,
    _called_again,
    backward_steps,
    checked_grads,
    recorded_by,
)
from gradwidget.functions import ELEMENTWISE
from gradwidget.messages import DEFAULT, Message, in_language


def to_json_number(value):
    """A finite float as itself; inf, -inf and nan as strings, since JSON has no words for them."""
    value = float(value)
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "nan"
    return "inf" if value > 0 else "-inf"


def to_json_value(data):
    """A scalar as a JSON number; an array as nested lists of them; None (no grad yet) as None."""
    if data is None:
        return None
    if type(data) is np.ndarray and data.ndim == 0 and data.dtype.kind == "f":  # the usual case, quickly
        return to_json_number(data)
    array = np.asarray(data)
    if array.size == 1:
        return to_json_number(array.reshape(()).real)
    array = array.real.astype(float)
    if np.isfinite(array).all():
        return array.tolist()  # the common case, in one C call
    return [to_json_value(item) for item in array]


INTERRUPTED = "was interrupted"  # how a message says in English that a kernel interrupt (Ctrl-C) stopped it


def says_interrupted(message):
    """Whether a message (a Message, its words or a str) says a kernel interrupt stopped a learner's code."""
    return INTERRUPTED in in_language(message, DEFAULT)


class ForwardError(RuntimeError):
    """A Function's forward failed while the graph was replayed for new inputs; names that Function.
    Its message is a gradwidget.messages.Message (str() is the English), said on the node in the widget's
    language."""

    def __init__(self, message, function=None):
        super().__init__(str(message))
        self.message, self.function = message, function


def is_library_block(f):
    """The library's own blocks keep nothing on `self` and never change their inputs: nothing to copy."""
    return type(f).__module__ == "gradwidget.functions"


def rule_of(f):
    """A Function's declared local derivative (its `rule`), or None. The dezero package's Functions are the
    book's, as the library's blocks are: theirs is the library's rule of the same name."""
    rule = getattr(f, "rule", None)
    if rule is None and type(f).__module__.split(".")[0] == "dezero":
        rule = next((block.rule for block in ELEMENTWISE if block.__name__ == type(f).__name__), None)
    return rule


def inputs_of(f):
    if is_library_block(f):  # the common case first: a big graph asks for every Function's, several times
        return list(f.inputs)
    return list(f.inputs) if hasattr(f, "inputs") else [f.input]


def outputs_of(f):
    """The Function's outputs as objects: the engine holds them by weak reference, the book's step 7 not."""
    if is_library_block(f):
        return [out() for out in f.outputs]
    outputs = f.outputs if hasattr(f, "outputs") else [f.output]
    return [out() if isinstance(out, weakref.ReferenceType) else out for out in outputs]


def is_variable_like(obj):
    return all(hasattr(obj, name) for name in ("data", "grad", "creator"))


def check_variable_like(obj, where="show()"):
    if isinstance(obj, (np.ndarray, np.generic)) and where == "show()":  # show(x.grad) of arrays
        raise TypeError(
            f"show() got {type(obj).__name__} {obj!r:.40}, an array, not a Variable: a grad is an array when "
            "backward computes on arrays "
            "(np.exp(x.data)), and then it has no graph to show or differentiate again. Write each backward "
            "with Variables as the book's step 32 does (x, = self.inputs; return gy * exp(x)), call "
            "y.backward(create_graph=True), then show(x.grad)."
        )
    if not is_variable_like(obj):
        raise TypeError(
            f"{where} expects a Variable (an object with .data, .grad and .creator, like the book's), "
            f"but got {type(obj).__name__}. Pass the output of your computation, e.g. show(y) "
            "after y = square(exp(square(x)))."
        )


def call_forward(f, xs):
    """f.forward on the arrays xs, in whichever of the book's styles it is written: forward(x) or
    forward(x0, x1) (steps 1-10, and 12 on), or step 11's forward(xs), a list in and a tuple or list out.
    Returns a tuple, one array per output."""
    if not is_library_block(f) and _takes_a_list(type(f), len(xs)):
        ys = f.forward(list(xs))
        return tuple(ys) if isinstance(ys, (list, tuple)) else (ys,)
    ys = f.forward(*xs)
    return ys if isinstance(ys, tuple) else (ys,)


_list_style = weakref.WeakKeyDictionary()  # Function class -> {number of inputs: takes a list}


def _takes_a_list(kind, n_inputs):
    """Step 11's style: forward takes one parameter besides self, and either more than one input comes in
    or the parameter is the book's `xs`."""
    known = _list_style.setdefault(kind, {})
    if n_inputs not in known:
        try:
            parameters = list(inspect.signature(kind.forward).parameters.values())[1:]
        except (TypeError, ValueError):  # a builtin or an object that is not a function
            parameters = []
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        single = len(parameters) == 1 and parameters[0].kind in positional
        known[n_inputs] = single and (n_inputs != 1 or parameters[0].name == "xs")
    return known[n_inputs]


def input_copies(f, inputs):
    """A copy of each input's data before a learner's forward runs, for check_inputs_unchanged (None for
    the library's own blocks)."""
    return None if is_library_block(f) else [np.array(x.data, copy=True) for x in inputs]


def check_inputs_unchanged(f, inputs, copies):
    """After f.forward: a ForwardError if it changed an input in place, whose data is put back first."""
    if copies is None:
        return
    for x, old in zip(inputs, copies):
        data = np.asarray(x.data)
        if data.dtype == old.dtype and data.shape == old.shape and data.tobytes() == old.tobytes():
            continue  # the same bytes: unchanged, told in 0.5 us where array_equal takes 20 (a table replays)
        if not np.array_equal(data, old, equal_nan=True):
            x.data = old  # put the learner's input back as it was
            raise ForwardError(Message("forward_in_place", name=type(f).__name__), function=f)


class GraphState:
    """What running a graph changes, saved to be put back: each Variable's data and grad, and what each of
    the learner's Functions keeps on `self` (a Sigmoid's self.out, the book's step-40 Add's x0_shape).

    Saved by reference, which is cheap: the engine and the widget give a Variable new arrays rather than
    write into the old ones. (A learner's forward that changes a list it keeps on self in place, say
    self.history.append(x), is not undone.)
    """

    def __init__(self, functions=(), variables=()):
        self.variables = [(v, v.data, v.grad) for v in variables]
        self.functions = [(f, dict(f.__dict__)) for f in stateful(functions)]

    def restore(self):
        for v, data, grad in self.variables:
            v.data, v.grad = data, grad
        for f, attributes in self.functions:
            f.__dict__.clear()
            f.__dict__.update(attributes)


def stateful(functions):
    """The Functions that may keep something on `self`: the learner's (the library's keep nothing)."""
    return [
        f for f in functions if not is_library_block(f) and isinstance(getattr(f, "__dict__", None), dict)
    ]


@contextlib.contextmanager
def untouched(functions=(), variables=()):
    """Every evaluation the widget makes beyond the learner's own pass (gradient checks, the f(x) curves,
    tables of slider positions) runs inside this: afterwards each Variable's data and grad and everything
    the learner's Functions keep on `self` are as they were before, however the block ended."""
    saved = GraphState(functions, variables)
    try:
        yield
    finally:
        saved.restore()


def as_data(grad):
    """A grad as numbers: the engine may hold a grad as a Variable (create_graph, from the book's step 33);
    the widget shows its data. None (no grad yet) and arrays stay as they are."""
    if grad is None or type(grad) is np.ndarray:
        return grad
    return grad.data if is_variable_like(grad) else grad


def functions_of(output):
    """Every Function `output` depends on, in an order where each comes after all it depends on.

    An iterative depth-first walk over creators (never recursion, so deep chains are fine) that also
    notices a cycle: one Function instance called twice in a chain (A = Square(); A(Exp()(A(x)))), since a
    Function remembers only its last call, or a `creator` set by hand. It raises the engine's own message
    for it, the one `y.backward()` gives.
    """
    check_variable_like(output)
    order = []
    state = {}  # id(function) -> "open" while its inputs are being visited, "done" after
    creator = output.creator
    stack = [(creator, False)] if creator is not None else []
    while stack:
        f, inputs_done = stack.pop()
        if inputs_done:
            state[id(f)] = "done"
            order.append(f)
            continue
        if state.get(id(f)) == "done":
            continue
        state[id(f)] = "open"
        stack.append((f, True))
        for x in reversed(inputs_of(f)):
            check_variable_like(x, f"{type(f).__name__}'s input")
            if x.creator is None:
                continue
            if state.get(id(x.creator)) == "open":
                raise ValueError(str(_called_again(x.creator)))
            if state.get(id(x.creator)) != "done":
                stack.append((x.creator, False))
    return order


class Graph:
    """A traced graph: its Functions in forward order, its Variables, its leaves and its output."""

    def __init__(self, output):
        self.output = output
        self.functions = functions_of(output)
        self.variables = []
        seen = set()
        for v in [x for f in self.functions for x in inputs_of(f)] + [
            out for f in self.functions for out in outputs_of(f)
        ] + [output]:  # fmt: skip
            if v is not None and id(v) not in seen:
                seen.add(id(v))
                self.variables.append(v)
        self.leaves = [v for v in self.variables if v.creator is None]
        for leaf in self.leaves:
            if np.asarray(leaf.data).dtype.kind not in "biuf":
                name = getattr(leaf, "name", None) or "a leaf"
                raise TypeError(
                    f"Every leaf of the graph must hold numbers; {name} holds "
                    f"{type(leaf.data).__name__} {leaf.data!r:.40}. Build it from Variable(np.array(0.5))."
                )
        self.is_engine_graph = isinstance(output, Variable) and all(
            isinstance(f, Function) for f in self.functions
        )
        # A graph made by backward(create_graph=True), such as gx = x.grad: each Function and constant that
        # backward recorded -> the Function whose backward recorded it (None: the seed dy/dy = 1)
        self.recorded = {
            id(obj): recorded_by[obj]
            for obj in (*self.functions, *self.leaves)
            if isinstance(obj, (Function, Variable)) and obj in recorded_by
        }
        # 2: the output is a grad a recorded backward made (gx = x.grad), so stepping it differentiates again;
        # a graph that only uses one (step 36's z = gx**3 + y) is first order, its recorded nodes marked
        creator = getattr(output, "creator", None)
        self.order = 2 if creator is not None and id(creator) in self.recorded else 1
        # a constant of a recorded backward (the 2 of 2 * x * gy, the seed 1) gets no slider: moving it would
        # no longer give the derivative
        self.sliders = [v for v in self.leaves if id(v) not in self.recorded and np.asarray(v.data).size == 1]
        self.library = [is_library_block(f) for f in self.functions]  # asked at every replay
        self.stateful = stateful(self.functions)  # what GraphState saves of them: a graph saves it often
        self.ids = {id(v): f"v{i}" for i, v in enumerate(self.variables)}
        self.ids.update({id(f): f"f{i}" for i, f in enumerate(self.functions)})

    def replay_forward(self):
        """Run each Function's forward again on its inputs' current data and store the results in place.

        The objects stay the same (the widget's `output` is still the learner's `y`); only the numbers
        change, as if the cell had been run again with new leaf values. A forward that fails leaves its
        outputs and everything after them NaN and raises ForwardError naming it.
        """
        for i, (f, library) in enumerate(zip(self.functions, self.library)):
            try:
                if library:  # one output, numbers in and out, inputs untouched: nothing to check
                    f.outputs[0]().data = np.asarray(f.forward(*[x.data for x in f.inputs]))
                    continue
                ys = self._checked_forward(f)
            except (Exception, KeyboardInterrupt) as error:  # a kernel interrupt inside a learner's forward
                for later in self.functions[i:]:
                    for out in outputs_of(later):
                        out.data = np.full_like(np.asarray(out.data, dtype=float), np.nan)
                known = isinstance(error, ForwardError)
                message = error.message if known else failure_message(f, "forward", error)
                raise ForwardError(message, function=f) from error
            for out, y in zip(outputs_of(f), ys):
                out.data = y

    @staticmethod
    def _checked_forward(f):
        """f.forward on its inputs' data: arrays of numbers, one per output, its inputs left as they were."""
        inputs = inputs_of(f)
        copies = input_copies(f, inputs)
        ys = call_forward(f, [x.data for x in inputs])
        name = type(f).__name__
        if len(ys) != len(outputs_of(f)):
            raise ForwardError(
                Message("forward_count", name=name, returned=len(ys), outputs=len(outputs_of(f)))
            )
        arrays = [np.asarray(y) for y in ys]
        for y, array in zip(ys, arrays):
            if array.dtype.kind not in "biufc":
                raise ForwardError(
                    Message("forward_not_number", name=name, got=f"{type(y).__name__} {y!r:.40}")
                )
        check_inputs_unchanged(f, inputs, copies)
        return arrays

    def clear_grads(self):
        for v in self.variables:
            v.grad = None

    def backward_steps(self):
        """The backward pass one Function at a time: the engine's own loop for its own graphs, and for a
        learner's classes the same walk (outputs before inputs) calling the learner's own backward."""
        if self.is_engine_graph:
            return backward_steps(self.output)
        return self._foreign_backward_steps()

    def _foreign_backward_steps(self):
        as_grad, recording_off = _grad_form(self.output)
        if self.output.grad is None:
            self.output.grad = as_grad(np.ones_like(np.asarray(self.output.data)))
        for f in reversed(self.functions):
            inputs = inputs_of(f)
            gys = [as_data(out.grad) for out in outputs_of(f)]
            with recording_off():
                gxs = checked_grads(f, [as_grad(gy) for gy in gys], [_with_array_data(x) for x in inputs])
            for x, gx in zip(inputs, gxs):
                x.grad = as_grad(gx if x.grad is None else np.asarray(as_data(x.grad) + gx))
            yield BackwardStep(f, gys, gxs, inputs)

    def untouched(self):
        """`with graph.untouched():` around the widget's own extra evaluations of it (see `untouched`)."""
        return untouched(self.stateful, self.variables)

    def evaluate_along(self, leaf, values, with_grad=False):
        """The output (and d output / d leaf) with `leaf` set to each of `values` at once, the other leaves
        held: one vectorised forward (and backward) pass over an array. Run `untouched`, so the live widget
        and the learner's Functions never see the array."""
        with self.untouched():
            leaf.data = np.asarray(values, dtype=float)
            self.replay_forward()
            output = np.broadcast_to(np.asarray(self.output.data, dtype=float), leaf.data.shape).copy()
            grad = None
            if with_grad:
                self.clear_grads()
                self.output.grad = np.ones_like(np.asarray(self.output.data, dtype=float))
                for _ in self.backward_steps():
                    pass
                grad = np.broadcast_to(np.asarray(as_data(leaf.grad), dtype=float), leaf.data.shape).copy()
            return output, grad

    def record_backward(self, keep=0):
        """Run the whole backward once, remember what each step did, then clear every grad.

        A Function whose backward fails ends the record: its message and the grads it received are kept
        (the page shows them on its node) and the steps before it stay usable. With `keep` = k > 0, the
        record also holds every Variable's grad as it was after k steps (`kept`, if the pass got that
        far), so that the widget's Variables can be at step k again without running those k steps twice:
        the engine gives a Variable new arrays and never writes into those it gave before.
        """
        self.clear_grads()
        record = BackwardRecord()
        steps = record.steps
        try:
            for step in self.backward_steps():
                steps.append(step)
                if len(steps) == keep:
                    record.kept = (keep, [(v, v.grad) for v in self.variables])
        except (BackwardError, KeyboardInterrupt) as error:
            f = getattr(error, "function", None)
            if f is None:  # an interrupt between two Functions: the learner meant to stop
                raise
            interrupted = isinstance(error, KeyboardInterrupt)
            message = failure_message(f, "backward", error) if interrupted else error.message
            record.failure = (f, message, [as_data(out.grad) for out in outputs_of(f)])
        grads = itertools.chain.from_iterable(itertools.chain(step.gys, step.gxs) for step in steps)
        if not set(map(type, grads)) <= _PLAIN_GRADS:  # some grad is a Variable (create_graph)
            record.steps = [_with_plain_grads(step) for step in steps]
        record.leaf_grads = {id(leaf): as_data(leaf.grad) for leaf in self.leaves}
        self.clear_grads()
        return record

    def labels(self, namespaces=()):
        """Each Variable's label, all different, so that the code view reads as Python and every slider
        has a name of its own: its own .name if it has one; else the name it has in the first of
        `namespaces` (mappings: the learner's variables, nearest first) that holds it, so that after
        a = A(x) the code reads a = A()(x); else leaves are x0, x1, ..., the output y, and the others
        a, b, c, .... A name two Variables share gets a suffix on the second: x, x_2.

        Linear in the size of the graph and of the namespace: a 100,000-op graph is labelled at once.
        """
        ordered = self.leaves + [out for f in self.functions for out in outputs_of(f) if out is not None]
        given = _names_in(namespaces, {id(v) for v in ordered}) if namespaces else {}
        wanted = []  # the name each Variable asks for, or None
        for v in ordered:
            name = getattr(v, "name", None)
            wanted.append(str(name) if name is not None and str(name) else given.get(id(v)))
        taken = {name for name in wanted if name is not None}
        labels, used = {}, set()
        suffixes = {}  # name -> the next suffix to try for another Variable that asks for it
        for v, name in zip(ordered, wanted):
            if name is not None and name in used:  # asked for already: the second x is x_2
                suffix = suffixes.get(name, 2)
                while f"{name}_{suffix}" in taken:
                    suffix += 1
                suffixes[name] = suffix + 1
                name = f"{name}_{suffix}"
                taken.add(name)
            if name is not None:
                labels[id(v)] = name
                used.add(name)
        leaf_names = (f"x{n}" for n in itertools.count())
        first = ["gx"] if self.order == 2 else []  # the grad a recorded backward made: gx = x.grad
        output_names = itertools.chain(first, ["y", "z", "out"], (f"y{n}" for n in itertools.count(1)))
        middle_names = _intermediate_names()
        for v in ordered:
            if id(v) in labels:
                continue
            if id(v) in self.recorded:  # a constant a backward made: its value is its name (2, 1)
                labels[id(v)] = _constant_label(v.data)
                continue
            names = leaf_names if v.creator is None else output_names if v is self.output else middle_names
            name = next(names)
            while name in taken:
                name = next(names)
            taken.add(name)
            labels[id(v)] = name
        return labels

    def structure(self, labels, order, block_names=None, describe_function=None, layout=None, sliders=None):
        """The drawing's shape, which changes only when the graph does: sent to the page once, not for
        every new x. What changes with x (values, grads, checks, and which Function fails there) travels
        in rows laid out by `layout` (see wire.py).

        nodes: {"id", "kind": "variable", "label", "role", "shape"} or
               {"id", "kind": "function", "label", "block", "rule"};
        edges: [source id, target id] in the direction data flows forward;
        steps: {"function", "inputs", "outputs"} in backward order (`order`: the Functions as the longest
        backward run known went through them), plus whatever describe_function(f) adds (the derivative
        card's rules); inputs: the leaves with a slider; layout: layout.to_json().
        """
        nodes = []
        for v in self.variables:
            role = "output" if v is self.output else "input" if v.creator is None else "intermediate"
            role = "constant" if id(v) in self.recorded else role
            shape = list(np.shape(v.data))  # [] for a scalar; a small array is written out, a large summed up
            node = {"id": self.ids[id(v)], "kind": "variable", "label": labels[id(v)], "role": role}
            nodes.append({**node, "shape": shape})
        edges = []
        for i, f in enumerate(self.functions):
            node = {
                "id": self.ids[id(f)],
                "kind": "function",
                "label": type(f).__name__,
                "block": block_names[i] if block_names else type(f).__name__.lower(),
                "rule": rule_of(f),
            }
            if id(f) in self.recorded:  # made by the first backward: whose backward made it
                node["recorded_by"] = type(self.recorded[id(f)]).__name__
            nodes.append(node)
            edges += [[self.ids[id(x)], self.ids[id(f)]] for x in inputs_of(f)]
            edges += [[self.ids[id(f)], self.ids[id(out)]] for out in outputs_of(f)]
        steps = [
            {
                "function": self.ids[id(f)],
                "inputs": [self.ids[id(x)] for x in inputs_of(f)],
                "outputs": [self.ids[id(out)] for out in outputs_of(f)],
                **(describe_function(f) if describe_function else {}),
            }
            for f in order
        ]
        if sliders is None:  # every leaf with a slider; a widget may slide fewer (widget.slider_leaves)
            sliders = self.sliders
        sliders = [self.ids[id(v)] for v in sliders]
        return {
            "nodes": nodes,
            "edges": edges,
            "output": self.ids[id(self.output)],
            "order": self.order,
            "inputs": sliders,  # the leaves with a slider, in the order of the widget's names/values
            "steps": steps,
            "layout": layout.to_json() if layout is not None else None,
        }


def _grad_form(output):
    """How a learner's (or the dezero package's) engine holds grads, for stepping its own backward as its
    own Variable.backward would: from step 32 (a backward with create_graph) grads are Variables of its
    class, and backward runs with recording off (its module's no_grad(), the book's); before, arrays."""
    kind = type(output)
    if not _takes_create_graph(getattr(kind, "backward", None)):
        return (lambda grad: grad), contextlib.nullcontext
    no_grad = getattr(sys.modules.get(kind.__module__), "no_grad", None)
    recording_off = no_grad if callable(no_grad) else contextlib.nullcontext

    def as_grad(grad):
        return grad if grad is None or is_variable_like(grad) else kind(np.asarray(grad))

    return as_grad, recording_off


_create_graph = weakref.WeakKeyDictionary()  # a Variable class's backward -> whether it takes create_graph


def _takes_create_graph(backward):
    """Asked once per backward function, not at every replay: a table's positions replay it hundreds of
    times, and inspect.signature was a tenth of each (a learner who redefines backward makes a new one)."""
    try:
        return _create_graph[backward]
    except (KeyError, TypeError):  # not seen yet, or not weakly referable
        pass
    try:
        takes = "create_graph" in inspect.signature(backward).parameters
    except (TypeError, ValueError):  # None (no backward), a builtin or an object that is not a function
        takes = False
    with contextlib.suppress(TypeError):
        _create_graph[backward] = takes
    return takes


class BackwardRecord:
    """One whole backward pass: its steps (BackwardStep, in order), the (function, message, gys) of a
    backward that failed, each leaf's grad at the end, and (k, [(Variable, grad)]) after k steps if asked
    (see Graph.record_backward)."""

    def __init__(self):
        self.steps = []
        self.failure = None
        self.leaf_grads = {}
        self.kept = None


def _with_array_data(x):
    """x, or a stand-in holding its data as an array: a learner's Variable may hold a Python float (the
    book allows it until step 9), whose grad's shape is then checked against ()."""
    return x if type(x.data) is np.ndarray else types.SimpleNamespace(data=np.asarray(x.data))


_PLAIN_GRADS = {np.ndarray, type(None)}


def _with_plain_grads(step):
    """The step with its grads as arrays (see as_data); the same step when they are already."""
    if {type(g) for g in step.gys} | {type(g) for g in step.gxs} <= _PLAIN_GRADS:
        return step
    gys, gxs = [as_data(g) for g in step.gys], [as_data(g) for g in step.gxs]
    return BackwardStep(step.function, gys, gxs, step.inputs)


def failure_message(f, method, error):
    """The Message for "Square.forward raised ValueError: ...", or "Square.backward was interrupted"."""
    name = type(f).__name__
    if isinstance(error, KeyboardInterrupt):
        return Message("interrupted", name=name, method=method)
    key = "forward_raised" if method == "forward" else "backward_raised"
    return Message(key, name=name, kind=type(error).__name__, error=str(error))


def _names_in(namespaces, wanted):
    """id -> the first public name in `namespaces` (mappings, searched in order) that refers to that
    object, for the ids in `wanted`. Names starting with _ (IPython's _, _1, ...) are left out."""
    names = {}
    for namespace in namespaces:
        for name, value in namespace.items():
            key = id(value)
            if key in wanted and key not in names and isinstance(name, str) and not name.startswith("_"):
                names[key] = name
    return names


def _constant_label(data):
    """2, 0.5, 1: a constant's value as it would be written in code; an array's shape."""
    array = np.asarray(data)
    if array.size != 1:
        return f"const{list(array.shape)}"
    value = array.reshape(()).item()
    return repr(value) if isinstance(value, int) else f"{float(value):g}"


def _intermediate_names():
    """The book calls the values between x and y a, b, c, ...; after w come v24, v25, ..."""
    yield from "abcdefghijklmnopqrstuvw"
    yield from (f"v{n}" for n in itertools.count(24))
