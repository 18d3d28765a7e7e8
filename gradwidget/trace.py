"""Walk a graph from its output into plain data for the page, step its backward, replay it for new inputs.

A graph may be built with gradwidget's engine or with the learner's own classes written as the book has
them: Variables with `data`, `grad` and `creator`; Functions with `input`/`inputs`, `output`/`outputs`
(objects or weak references), `forward` and `backward`. Nothing here knows about widgets or traitlets.
The drawing's shape sent to the page is `Graph.structure`; its numbers travel as rows (wire.py).
"""

import itertools
import math
import weakref

import numpy as np

from gradwidget.core import BackwardError, BackwardStep, Function, Variable, backward_steps, checked_grads
from gradwidget.messages import Message


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


class ForwardError(RuntimeError):
    """A Function's forward failed while the graph was replayed for new inputs; names that Function.
    Its message is a gradwidget.messages.Message (str() is the English), said on the node in the widget's
    language."""

    def __init__(self, message, function=None):
        super().__init__(str(message))
        self.message, self.function = message, function


def inputs_of(f):
    return list(f.inputs) if hasattr(f, "inputs") else [f.input]


def outputs_of(f):
    """The Function's outputs as objects: the engine holds them by weak reference, the book's step 7 not."""
    outputs = f.outputs if hasattr(f, "outputs") else [f.output]
    return [out() if isinstance(out, weakref.ReferenceType) else out for out in outputs]


def is_variable_like(obj):
    return all(hasattr(obj, name) for name in ("data", "grad", "creator"))


def check_variable_like(obj, where="show()"):
    if not is_variable_like(obj):
        raise TypeError(
            f"{where} expects a Variable (an object with .data, .grad and .creator, like the book's), "
            f"but got {type(obj).__name__}. Pass the output of your computation, e.g. show(y) "
            "after y = square(exp(square(x)))."
        )


def functions_of(output):
    """Every Function `output` depends on, in an order where each comes after all it depends on.

    An iterative depth-first walk over creators (never recursion, so deep chains are fine) that also
    notices a cycle, which a graph built by calling Functions can only get by hand-editing `creator`.
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
                raise ValueError(
                    f"The graph has a cycle: {type(x.creator).__name__} depends on its own output. "
                    "Build the graph by calling Functions on Variables, without setting creator by hand."
                )
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
        self.ids = {id(v): f"v{i}" for i, v in enumerate(self.variables)}
        self.ids.update({id(f): f"f{i}" for i, f in enumerate(self.functions)})

    def replay_forward(self):
        """Run each Function's forward again on its inputs' current data and store the results in place.

        The objects stay the same (the widget's `output` is still the learner's `y`); only the numbers
        change, as if the cell had been run again with new leaf values. A forward that fails leaves its
        outputs and everything after them NaN and raises ForwardError naming it.
        """
        for i, f in enumerate(self.functions):
            try:
                ys = self._checked_forward(f)
            except (Exception, KeyboardInterrupt) as error:  # a kernel interrupt inside a learner's forward
                for later in self.functions[i:]:
                    for out in outputs_of(later):
                        out.data = np.full_like(np.asarray(out.data, dtype=float), np.nan)
                message = error.message if isinstance(error, ForwardError) else _raised(f, "forward", error)
                raise ForwardError(message, function=f) from error
            for out, y in zip(outputs_of(f), ys):
                out.data = y

    @staticmethod
    def _checked_forward(f):
        """f.forward on its inputs' data: arrays of numbers, one per output, its inputs left as they were."""
        inputs = inputs_of(f)
        trusted = type(f).__module__ == "gradwidget.functions"  # the library's own blocks copy nothing
        before = None if trusted else [np.array(x.data, copy=True) for x in inputs]
        ys = f.forward(*[x.data for x in inputs])
        ys = ys if isinstance(ys, tuple) else (ys,)
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
        if before is not None:
            for x, old in zip(inputs, before):
                if not np.array_equal(np.asarray(x.data), old, equal_nan=True):
                    x.data = old  # put the learner's input back as it was
                    raise ForwardError(Message("forward_in_place", name=name))
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
        if self.output.grad is None:
            self.output.grad = np.ones_like(np.asarray(self.output.data))
        for f in reversed(self.functions):
            inputs = inputs_of(f)
            gys = [out.grad for out in outputs_of(f)]
            gxs = checked_grads(f, gys, inputs)
            for x, gx in zip(inputs, gxs):
                x.grad = gx if x.grad is None else np.asarray(x.grad + gx)
            yield BackwardStep(f, gys, gxs, inputs)

    def evaluate_along(self, leaf, values, with_grad=False):
        """The output (and d output / d leaf) with `leaf` set to each of `values` at once, the other leaves
        held: one vectorised forward (and backward) pass over an array. The graph's own numbers and grads
        are put back afterwards, so the live widget never sees the array."""
        saved = [v.data for v in self.variables]
        try:
            leaf.data = np.asarray(values, dtype=float)
            self.replay_forward()
            output = np.broadcast_to(np.asarray(self.output.data, dtype=float), leaf.data.shape).copy()
            grad = None
            if with_grad:
                self.clear_grads()
                self.output.grad = np.ones_like(np.asarray(self.output.data, dtype=float))
                for _ in self.backward_steps():
                    pass
                grad = np.broadcast_to(np.asarray(leaf.grad, dtype=float), leaf.data.shape).copy()
            return output, grad
        finally:
            for v, data in zip(self.variables, saved):
                v.data = data
            self.clear_grads()

    def record_backward(self):
        """Run the whole backward once, remember what each step did, then clear every grad.

        A Function whose backward fails ends the record: its message and the grads it received are kept
        (the page shows them on its node) and the steps before it stay usable.
        """
        self.clear_grads()
        record = BackwardRecord()
        stepper = self.backward_steps()
        while True:
            try:
                record.steps.append(next(stepper))
            except StopIteration:
                break
            except (BackwardError, KeyboardInterrupt) as error:
                f = getattr(error, "function", None)
                if f is None:  # an interrupt between two Functions: the learner meant to stop
                    raise
                interrupted = isinstance(error, KeyboardInterrupt)
                message = _raised(f, "backward", error) if interrupted else error.message
                record.failure = (f, message, [out.grad for out in outputs_of(f)])
                break
        record.leaf_grads = {id(leaf): leaf.grad for leaf in self.leaves}
        self.clear_grads()
        return record

    def labels(self):
        """Each Variable's label: its own .name if it has one; else leaves are x0, x1, ..., the output y,
        and the others a, b, c, ... Never a name already taken, so the code view shadows nothing."""
        taken = {str(v.name) for v in self.variables if getattr(v, "name", None)}

        def fresh(candidates):
            name = next(c for c in candidates if c not in taken)
            taken.add(name)
            return name

        labels = {}
        leaves = [v for v in self.variables if v.creator is None]
        made = [out for f in self.functions for out in outputs_of(f) if out is not None]  # in code order
        for number, v in enumerate(leaves + made):
            if getattr(v, "name", None):
                labels[id(v)] = str(v.name)
            elif v.creator is None:
                labels[id(v)] = fresh(f"x{n}" for n in itertools.count(number))
            elif v is self.output:
                labels[id(v)] = fresh(
                    itertools.chain(["y", "z", "out"], (f"y{n}" for n in itertools.count(1)))
                )
            else:
                labels[id(v)] = fresh(_intermediate_names())
        return labels

    def structure(self, labels, order, block_names=None, describe_function=None, layout=None):
        """The drawing's shape, which changes only when the graph does: sent to the page once, not for
        every new x. What changes with x (values, grads, checks, and which Function fails there) travels
        in rows laid out by `layout` (see wire.py).

        nodes: {"id", "kind": "variable", "label", "role"} or
               {"id", "kind": "function", "label", "block", "rule"};
        edges: [source id, target id] in the direction data flows forward;
        steps: {"function", "inputs", "outputs"} in backward order (`order`: the Functions as the longest
        backward run known went through them), plus whatever describe_function(f) adds (the derivative
        card's rules); inputs: the leaves with a slider; layout: layout.to_json().
        """
        nodes = []
        for v in self.variables:
            role = "output" if v is self.output else "input" if v.creator is None else "intermediate"
            nodes.append({"id": self.ids[id(v)], "kind": "variable", "label": labels[id(v)], "role": role})
        edges = []
        for i, f in enumerate(self.functions):
            nodes.append(
                {
                    "id": self.ids[id(f)],
                    "kind": "function",
                    "label": type(f).__name__,
                    "block": block_names[i] if block_names else type(f).__name__.lower(),
                    "rule": getattr(f, "rule", None),
                }
            )
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
        sliders = [self.ids[id(v)] for v in self.leaves if np.asarray(v.data).size == 1]
        return {
            "nodes": nodes,
            "edges": edges,
            "output": self.ids[id(self.output)],
            "inputs": sliders,  # the leaves with a slider, in the order of the widget's names/values
            "steps": steps,
            "layout": layout.to_json() if layout is not None else None,
        }


class BackwardRecord:
    """One whole backward pass: its steps (BackwardStep, in order), the (function, message, gys) of a
    backward that failed, and each leaf's grad at the end."""

    def __init__(self):
        self.steps = []
        self.failure = None
        self.leaf_grads = {}


def _raised(f, method, error):
    name = type(f).__name__
    if isinstance(error, KeyboardInterrupt):
        return Message("interrupted", name=name, method=method)
    key = "forward_raised" if method == "forward" else "backward_raised"
    return Message(key, name=name, kind=type(error).__name__, error=str(error))


def _intermediate_names():
    """The book calls the values between x and y a, b, c, ...; after w come v24, v25, ..."""
    yield from "abcdefghijklmnopqrstuvw"
    yield from (f"v{n}" for n in itertools.count(24))
