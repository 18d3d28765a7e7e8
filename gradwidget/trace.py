"""Walk a graph from its output into plain data the page can draw, and replay it for new input values.

Pure functions of engine objects: nothing here knows about widgets or traitlets, so it is tested on its own.
The data format is the contract with js/: see `graph_data`.
"""

import math

import numpy as np

from gradwidget.core import backward_steps


def to_json_number(value):
    """A finite float as itself; inf, -inf and nan as strings, since JSON has no words for them."""
    value = float(value)
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "nan"
    return "inf" if value > 0 else "-inf"


def to_json_value(data):
    """A scalar as a JSON number; an array as nested lists of them."""
    array = np.asarray(data)
    if array.size == 1:
        return to_json_number(array.reshape(()))
    return [to_json_value(item) for item in array]


def functions_of(output):
    """Every Function that `output` depends on, inputs first (ascending generation), found by a loop."""
    found = []
    seen = set()
    pending = [output.creator] if output.creator is not None else []
    while pending:
        f = pending.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        found.append(f)
        pending.extend(x.creator for x in f.inputs if x.creator is not None)
    found.reverse()  # discovered from the output back; the stable sort keeps that order within a generation
    found.sort(key=lambda f: f.generation)
    return found


def variables_of(functions, output):
    """Every Variable of the graph once, in the order data flows: each Function's inputs, then outputs."""
    variables = []
    seen = set()
    for v in (
        [x for f in functions for x in f.inputs] + [out() for f in functions for out in f.outputs] + [output]
    ):
        if v is not None and id(v) not in seen:
            seen.add(id(v))
            variables.append(v)
    return variables


def leaves_of(variables):
    """The Variables no Function made: the inputs a learner can move."""
    return [v for v in variables if v.creator is None]


def replay_forward(functions):
    """Run each Function's forward again on its inputs' current data and store the result in place.

    The graph's objects stay the same (the widget's `output` is still the learner's `y`); only the
    numbers change, as if the learner had run the cell again with new leaf values.
    """
    for f in functions:
        ys = f.forward(*[x.data for x in f.inputs])
        if not isinstance(ys, tuple):
            ys = (ys,)
        for out, y in zip(f.outputs, ys):
            out().data = np.asarray(y)


def clear_grads(variables):
    for v in variables:
        v.cleargrad()


def record_backward(output, variables, var_ids, fn_ids):
    """Run the whole backward once and return its steps as plain data; leaves every grad cleared."""
    clear_grads(variables)
    steps = [
        {
            "function": fn_ids[id(step.function)],
            "gys": [to_json_value(gy) for gy in step.gys],
            "gxs": [to_json_value(gx) for gx in step.gxs],
            "inputs": [var_ids[id(x)] for x in step.inputs],
            "outputs": [var_ids[id(out())] for out in step.function.outputs],
            "error": None,
        }
        for step in backward_steps(output)
    ]
    clear_grads(variables)
    return steps


def graph_data(output, functions, variables, labels, roles, blocks=None):
    """The page's whole picture of the graph: nodes, edges, and every backward step in order.

    nodes: {"id", "kind": "variable", "label", "role", "value"} or
           {"id", "kind": "function", "label", "block", "rule"};
    edges: [source id, target id] in the direction data flows forward;
    steps: {"function", "gys", "gxs", "inputs", "outputs", "error"}, in backward order.
    """
    var_ids = {id(v): f"v{i}" for i, v in enumerate(variables)}
    fn_ids = {id(f): f"f{i}" for i, f in enumerate(functions)}
    nodes = [
        {
            "id": var_ids[id(v)],
            "kind": "variable",
            "label": labels[id(v)],
            "role": roles[id(v)],
            "value": to_json_value(v.data),
        }
        for v in variables
    ]
    edges = []
    for i, f in enumerate(functions):
        nodes.append(
            {
                "id": fn_ids[id(f)],
                "kind": "function",
                "label": type(f).__name__,
                "block": blocks[i] if blocks else type(f).__name__.lower(),
                "rule": getattr(f, "rule", None),
            }
        )
        edges += [[var_ids[id(x)], fn_ids[id(f)]] for x in f.inputs]
        edges += [[fn_ids[id(f)], var_ids[id(out())]] for out in f.outputs]
    steps = record_backward(output, variables, var_ids, fn_ids)
    return {"nodes": nodes, "edges": edges, "output": var_ids[id(output)], "steps": steps}
