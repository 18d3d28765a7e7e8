"""What makes each step teach: derivative rules with today's numbers, gradient checks, the f(x) curves.

A block declares its local derivative once, as a small expression in `rule` (for Square, "2 * x": dy/dx).
The same text is parsed here into a tree that is evaluated with numbers (and tested against the block's
own backward), written as plain text for `w.card`, and sent to the page, which draws it as MathML.
Names in a rule: x (the input), y (the output), x0, x1 (inputs of a two-input block), and any other name
is an attribute of the Function (Pow's c). Nothing is ever passed to eval.
"""

import ast
import functools
import itertools
import math
import operator
import re
from dataclasses import dataclass

import numpy as np

from gradwidget.functions import ELEMENTWISE
from gradwidget.messages import Message, say
from gradwidget.numerical import central_difference
from gradwidget.trace import (
    call_forward,
    inputs_of,
    outputs_of,
    rule_of,
    to_json_value,
    untouched,
)

_FUNCTIONS = {"exp": np.exp, "sin": np.sin, "cos": np.cos, "tanh": np.tanh, "log": np.log, "sqrt": np.sqrt}
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OPERATIONS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
}  # fmt: skip


@functools.cache  # one parse per rule text; the trees are shared, so nothing may change them
def parse_rule(text):
    """A rule expression as a JSON-ready tree: {"num": 2}, {"name": "x"}, {"op": "*", "args": [...]},
    {"call": "exp", "args": [...]}, {"op": "neg", "args": [...]}; a ValueError says what is not allowed."""

    def tree(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return {"num": node.value}
        if isinstance(node, ast.Name):
            return {"name": node.id}
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return {"op": _BINARY[type(node.op)], "args": [tree(node.left), tree(node.right)]}
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return {"op": "neg", "args": [tree(node.operand)]}
        is_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if is_call and node.func.id in _FUNCTIONS and len(node.args) == 1 and not node.keywords:
            return {"call": node.func.id, "args": [tree(node.args[0])]}
        raise ValueError(
            f"A rule may use numbers, names (x, y, x0, x1, c), + - * / ** and {', '.join(_FUNCTIONS)}; "
            f"`{ast.unparse(node)}` is not allowed. Example: rule='2 * x' for Square."
        )

    try:
        expression = ast.parse(str(text).strip(), mode="eval").body
    except SyntaxError as error:
        raise ValueError(f"The rule {text!r} is not an expression ({error.msg}); e.g. '2 * x'.") from None
    return tree(expression)


def rules_of(f):
    """The parsed local derivative per input, or None for a Function that declares no rule."""
    rule = rule_of(f)
    if rule is None:
        return None
    return _parsed_rules(rule if isinstance(rule, str) else tuple(rule), len(inputs_of(f)))


@functools.lru_cache(maxsize=1024)  # per kind of block: a 10,000-block graph asks 10,000 times
def _parsed_rules(rule, n_inputs):
    texts = (rule,) if isinstance(rule, str) else rule
    if len(texts) != n_inputs:
        return None  # declared for another arity: show the numbers without the rule
    return [parse_rule(text) for text in texts]


def rule_names(f):
    """The numbers a rule's names stand for at this Function: its inputs, its output, its constants."""
    inputs = inputs_of(f)
    names = {f"x{i}": x.data for i, x in enumerate(inputs)}
    names["x"] = inputs[0].data
    output = outputs_of(f)[0]
    if output is not None:
        names["y"] = output.data
    return names


def evaluate(tree, names, f=None):
    if "num" in tree:
        return tree["num"]
    if "name" in tree:
        if tree["name"] in names:
            return names[tree["name"]]
        return getattr(f, tree["name"])  # a constant of the block, like Pow's c
    args = [evaluate(arg, names, f) for arg in tree["args"]]
    if "call" in tree:
        return _FUNCTIONS[tree["call"]](*args)
    op = tree["op"]
    if op == "neg":
        return -args[0]
    return _OPERATIONS[op](*args)


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}
_SYMBOLS = {"+": " + ", "-": " − ", "*": "·", "/": " / ", "**": "^"}


def to_text(tree, names=None, f=None, parent=0):
    """A rule as a learner reads it: 2·x, exp(x), 1 − y^2; with `names`, today's numbers in their place."""
    if "num" in tree:
        return format_number(tree["num"])
    if "name" in tree:
        if names is None:
            return tree["name"]
        value = names[tree["name"]] if tree["name"] in names else getattr(f, tree["name"])
        return format_operand(value)
    if "call" in tree:
        return f"{tree['call']}({to_text(tree['args'][0], names, f)})"
    op = tree["op"]
    precedence = _PRECEDENCE[op]
    if op == "neg":
        text = "−" + to_text(tree["args"][0], names, f, precedence)
    else:
        symbol = " × " if names is not None and op == "*" else _SYMBOLS[op]
        left = to_text(tree["args"][0], names, f, precedence + (op == "**"))
        right = to_text(tree["args"][1], names, f, precedence + (op != "**"))
        text = f"{left}{symbol}{right}"
    return f"({text})" if precedence < parent else text


def format_number(value, digits=4):
    """0.5, 3.297, 1.2e−8, −2, ∞, NaN: short enough to read on a projector, and the way the page writes every
    number (js/state.js formatNumber), so the card's numbers are the nodes' numbers."""
    value = np.asarray(value)
    if value.size != 1:
        return format_operand(value)
    value = float(value.reshape(()).real)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def order_note(name, recorded_by, second_order, lang="en"):
    """The card's first line for a recorded backward's Function (recorded_by: whose backward recorded it),
    or at second order for one of the forward's (None); "" for neither."""
    parts = [say(lang, "card_second_order")] if second_order else []
    if recorded_by is not None:
        parts.append(say(lang, "card_order_recorded", name=name, by=recorded_by))
    elif second_order:
        parts.append(say(lang, "card_order_forward", name=name))
    return " ".join(parts)


def card_text(f, gys, gxs, labels, lang="en"):
    """The derivative card of one backward step, as text: per input, the rule with today's numbers,
    then upstream × local derivative = downstream. Square at x = 0.5 with gy = 3.297:

        Square: gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297 → x.grad
        upstream × local derivative = downstream: 3.297 × 1 = 3.297

    A block on arrays writes its array rule and the shapes (MatMul's gx0 = gy·x1ᵀ = ... → x0.grad, then
    shapes: gy (2, 1), x1 (3, 1) → gx0 (2, 3)); an elementwise input that was broadcast gets sum_to.
    """
    if array_rules_of(f) is not None:
        return "\n".join(_array_card_lines(f, gys, gxs, labels, lang))
    trees = rules_of(f)
    names = rule_names(f)
    gy = format_operand(gys[0]) if gys else "?"
    inputs = inputs_of(f)
    summed = summed_to(f)
    chain = f"{say(lang, 'card_upstream')} × {say(lang, 'card_local')} = {say(lang, 'card_downstream')}"
    lines = []
    for i, (x, gx) in enumerate(zip(inputs, gxs)):
        gx_name = "gx" if len(inputs) == 1 else f"gx{i}"
        target = f"→ {labels[id(x)]}.grad"
        if trees is None:
            lines.append(say(lang, "card_no_rule", name=type(f).__name__))
            lines.append(f"gy = {gy}, {gx_name} = {format_operand(gx)} {target}")
            continue
        tree = trees[i]
        symbolic = f"{to_text(tree, parent=_PRECEDENCE['*'])}·gy"
        filled = f"{to_text(tree, names, f, parent=_PRECEDENCE['*'])} × {gy}"
        local = format_operand(_as_sent(evaluate(tree, names, f), x, f))
        downstream = f"{gy} × {local}"
        if summed[i] is not None:  # broadcast in the forward: its grad is summed back (step 40)
            shape = str(summed[i])
            symbolic, filled = f"sum_to({symbolic}, {shape})", f"sum_to({filled}, {shape})"
            downstream += f", sum_to {shape}"
        lines.append(f"{type(f).__name__}: {gx_name} = {symbolic} = {filled} = {format_operand(gx)} {target}")
        lines.append(f"{chain}: {downstream} = {format_operand(gx)}")
    return "\n".join(lines)


def _as_sent(local, x, f):
    """A local derivative in the shape the page gets it (table.layout_for): that of the block's broadcast
    numbers, so that Add's 1 on arrays reads as the page's array of ones."""
    try:
        outputs = [np.shape(out.data) for out in outputs_of(f) if out is not None]
        shape = np.broadcast_shapes(np.shape(x.data), *outputs)
        return np.broadcast_to(local, shape)
    except ValueError:
        return local


# --- array rules (steps 37-43) ------------------------------------------------------------------------------

ARRAY_SHOWN = 16  # an array of at most this many elements is written out on the card; a larger one, its shape
_ARRAY_TOKENS = re.compile(r"gy|\{x(\d)\}|\{shape\}|\{n\}")


def array_rules_of(f):
    """A block's array rule per input (functions.py's `array_rule`), or None for a block without one."""
    rule = getattr(f, "array_rule", None)
    if rule is None:
        return None
    texts = (rule,) if isinstance(rule, str) else tuple(rule)
    inputs = inputs_of(f)
    return list(texts[: len(inputs)]) if len(texts) >= len(inputs) else None


def summed_to(f):
    """Per input of an elementwise block, the shape its grad is summed back to (sum_to) when the forward
    broadcast it to a larger one, else None."""
    outputs = [np.shape(out.data) for out in outputs_of(f) if out is not None]
    return [np.shape(x.data) if outputs and np.shape(x.data) != outputs[0] else None for x in inputs_of(f)]


def format_operand(value):
    """A number on the card: a scalar as format_number writes it; an array written out in full when small
    ([[1, 2], [3, 4]]), else as its shape (‹100×1›), as js/mathml.js formatCardNumber writes them."""
    array = np.asarray(value)
    if array.ndim == 0:
        return format_number(array)
    if array.size > ARRAY_SHOWN:
        return "‹" + "×".join(map(str, array.shape)) + "›"

    def nested(a):
        return format_number(a) if a.ndim == 0 else "[" + ", ".join(nested(item) for item in a) + "]"

    return nested(array)


def fill_array_rule(template, i, labels, values=None, gy=None):
    """An array rule with each name in place: with `values` (each input's number), today's numbers.
    `labels` are the inputs' labels; {shape} is input i's shape, {n} the first input's length."""
    shapes = [np.shape(v) for v in values] if values is not None else None

    def put(match):
        token = match.group(0)
        if token == "gy":
            return "gy" if values is None else format_operand(gy)
        if match.group(1) is not None:
            k = int(match.group(1))
            return labels[k] if values is None else format_operand(values[k])
        if token == "{shape}":
            return str(tuple(shapes[i])) if shapes else f"{labels[i]}.shape"
        return str(shapes[0][0]) if shapes else f"len({labels[0]})"

    return _ARRAY_TOKENS.sub(put, template)


def _array_card_lines(f, gys, gxs, labels, lang):
    inputs = inputs_of(f)
    names = [labels[id(x)] for x in inputs]
    values = [x.data for x in inputs]
    gy = gys[0] if gys else None
    lines = []
    for i, (template, gx) in enumerate(zip(array_rules_of(f), gxs)):
        gx_name = "gx" if len(inputs) == 1 else f"gx{i}"
        symbolic = fill_array_rule(template, i, names, None, None)
        filled = fill_array_rule(template, i, names, values, gy)
        lines.append(
            f"{type(f).__name__}: {gx_name} = {symbolic} = {filled} = {format_operand(gx)} → {names[i]}.grad"
        )
        used = sorted({int(k) for k in re.findall(r"\{x(\d)\}", template)})
        shapes = [f"gy {tuple(np.shape(gy))}", *(f"{names[k]} {tuple(np.shape(values[k]))}" for k in used)]
        lines.append(f"{say(lang, 'card_shapes')}: {', '.join(shapes)} → {gx_name} {tuple(np.shape(gx))}")
    return lines


def card_rules(f, labels):
    """The part of a step's card that stays when x moves: the rule trees, the inputs' labels and the
    block's constants (Pow's c). The numbers come with every update, from `step_numbers`."""
    trees = rules_of(f)
    card = {
        "rules": trees,
        "inputs": [labels[id(x)] for x in inputs_of(f)],
        "constants": _constants(trees, f),
    }
    arrays = array_rules_of(f)
    if arrays is not None:
        card["array_rules"] = arrays
    elif any(shape is not None for shape in summed_to(f)):
        card["sum_to"] = [None if shape is None else list(shape) for shape in summed_to(f)]
    return card


def _constants(trees, f):
    if not trees:
        return {}
    rule = rule_of(f)
    return {
        name: to_json_value(getattr(f, name))
        for name in _constant_names(rule if isinstance(rule, str) else tuple(rule))
    }


@functools.lru_cache(maxsize=1024)  # per rule, not per Function: a 10,000-block graph has a few kinds
def _constant_names(rule):
    """The names in a rule that are the block's constants (Pow's c), not its inputs or output."""
    found = []

    def walk(tree):
        name = tree.get("name")
        if name is not None and name not in ("x", "y") and not name.startswith("x") and name not in found:
            found.append(name)
        for arg in tree.get("args", []):
            walk(arg)

    for text in (rule,) if isinstance(rule, str) else rule:
        walk(parse_rule(text))
    return tuple(found)


# --- checking backprop against numerical differentiation ------------------------------------------------


CHECK_ALL = 16  # an input of at most this many elements is checked element by element, all of them
CHECK_SAMPLES = 6  # a larger one at this many, spread over it (each costs two forwards of its Function)


def checked_elements(shape):
    """The elements the gradient check works out for an input of this shape: None for all of them, else a
    few index tuples spread evenly from the first to the last. They depend on the shape alone, so the page
    is told them once (with the graph's shape) and a table's positions all check the same ones."""
    size = math.prod(shape)
    if size <= CHECK_ALL:
        return None
    flat = np.unique(np.linspace(0, size - 1, CHECK_SAMPLES).round().astype(int))
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in flat]


def check_function(f, gys, gxs, eps=1e-4, tolerance=1e-4):
    """One Function's backward against the central difference of its own forward, input by input.

    Local, so a wrong backward is flagged on its own node and nowhere else: each node is checked with
    the upstream grad it really received. A large input is checked at a few elements (checked_elements;
    the numerical gx is NaN at the others). Returns backprop's gx, the numerical one, the relative error
    over the elements checked, and which those were (None: all).
    """
    inputs = [np.asarray(x.data, dtype=float) for x in inputs_of(f)]

    def weighted(*xs):  # the forward's outputs, each weighted by the upstream grad it received
        ys = call_forward(f, xs)
        return sum(float(np.sum(np.multiply(y, gy))) for y, gy in zip(ys, gys))

    results = []
    for i, gx in enumerate(gxs):
        checked = checked_elements(inputs[i].shape)
        with untouched([f]):  # what a learner's forward keeps on self (self.out) stays as backward needs it
            numerical = central_difference(weighted, inputs, i, eps, checked)
        backprop = np.asarray(gx, dtype=float)
        b, n = np.broadcast_to(backprop, numerical.shape), numerical
        if checked is not None:
            b, n = np.array([b[k] for k in checked]), np.array([n[k] for k in checked])
        error = float(
            relative_error(
                np.max(np.abs(b - n), initial=0),
                np.max(np.abs(b), initial=0),
                np.max(np.abs(n), initial=0),
            )
        )
        results.append(
            {
                "backprop": backprop,
                "numerical": numerical,
                "error": error,
                "flagged": not error <= tolerance,
                "checked": checked,
            }
        )
    return results


def check_positions(f, gys, gxs, eps=1e-4, tolerance=1e-4):
    """check_function at every position of a table at once, for a Function taken to be elementwise: each
    input, gy and gx holds one number per position, and every position's input moves by eps together.

    The arithmetic is check_function's, operation for operation, so that where f.forward is elementwise
    each position's numbers are bit for bit the ones check_function gives there (table.py compares the two
    at several positions and keeps these only if they agree). Returns, per input, the numerical gx, the
    relative errors and the flags, each with one element per position.
    """
    inputs = [np.asarray(x.data, dtype=float) for x in inputs_of(f)]

    def weighted(*xs):  # check_function's weighted sum per position: 0 + y0 * gy0 + y1 * gy1 + ...
        ys = call_forward(f, xs)
        return sum(np.multiply(y, gy) for y, gy in zip(ys, gys))

    results = []
    for i, gx in enumerate(gxs):
        moved = [[x + sign * eps if j == i else x for j, x in enumerate(inputs)] for sign in (+1, -1)]
        with untouched([f]):
            plus, minus = [weighted(*xs) for xs in moved]
        numerical = np.asarray((plus - minus) / (2 * eps), dtype=float)
        backprop = np.asarray(gx, dtype=float)
        error = relative_error(np.abs(backprop - numerical), np.abs(backprop), np.abs(numerical))
        results.append(
            {"numerical": numerical, "error": error, "flagged": (~(error <= tolerance)).astype(float)}
        )
    return results


def relative_error(difference, backprop_size, numerical_size):
    """|backprop - numerical| relative to the larger of the two (absolute near 0); NaN stays NaN."""
    return difference / np.maximum(np.maximum(backprop_size, numerical_size), 1e-12)


def step_numbers(steps, eps=1e-4, tolerance=1e-4, shape=(), plan=None):
    """What each backward step's card and gradient check show, with one entry per input of each step, in
    step order (as the "gxs" of a row): "locals" (the rule's value; None where a block declares none),
    "numerical" (numerical_diff's gx), "errors" (their relative disagreement) and "flagged" (1.0 where it is
    above `tolerance`); and {step index: why that step's check could not run}. wire.Layout packs them.

    Steps of the library's elementwise blocks whose every number has shape `shape` are worked out
    together, one numpy call per kind of block: () for today's numbers, which makes a 1,000-block stack fast
    enough to follow the slider, and (G,) for a table's G slider positions at once. Any other step is
    checked on its own; with `shape` (G,), by check_positions, as if it were elementwise (table.py verifies
    that), and a step whose numbers are not one per position is a ValueError.

    plan: a CheckPlan that fits these steps, which has sorted them into those batches once for the graph:
    today's numbers then come as float64 arrays, one entry per input, with no step visited one by one.
    """
    if plan is not None and shape == ():
        found = plan.numbers(steps, eps, tolerance)
        if found is not None:
            return found
    starts = [0, *itertools.accumulate(len(step.gxs) for step in steps)]
    columns = {name: [None] * starts[-1] for name in ("locals", "numerical", "errors", "flagged")}
    check_errors = {}

    def put(index, name, values):
        columns[name][starts[index] : starts[index + 1]] = values

    batches = {}
    for index, step in enumerate(steps):
        key = _batch_key(step, shape)
        if key is not None:
            batches.setdefault(key, []).append(index)
            continue
        f = step.function
        if shape != ():
            if not _per_position(step, shape):
                raise ValueError(f"{type(f).__name__} cannot be checked at many positions at once")
            trees = rules_of(f)
            if trees:
                put(index, "locals", [np.broadcast_to(evaluate(t, rule_names(f), f), shape) for t in trees])
            results = check_positions(f, step.gys, step.gxs, eps, tolerance)  # raises: not per position
            put(index, "numerical", [r["numerical"] for r in results])
            put(index, "errors", [r["error"] for r in results])
            put(index, "flagged", [r["flagged"] for r in results])
            continue
        trees = rules_of(f)
        if trees:
            put(index, "locals", [evaluate(tree, rule_names(f), f) for tree in trees])
        try:
            results = check_function(f, step.gys, step.gxs, eps, tolerance)
        except KeyboardInterrupt:  # Ctrl-C in a learner's slow forward: this check only
            check_errors[str(index)] = Message("check_interrupted", name=type(f).__name__)
            continue
        except Exception as error:  # a learner's forward that fails off its usual inputs
            check_errors[str(index)] = Message("check_raised", kind=type(error).__name__, error=str(error))
            continue
        put(index, "numerical", [r["numerical"] for r in results])
        put(index, "errors", [r["error"] for r in results])
        put(index, "flagged", [float(r["flagged"]) for r in results])
    for indices in batches.values():
        batch = _batch_numbers([steps[i] for i in indices], eps, tolerance)
        for name, by_input in batch.items():
            for index, *values in zip(indices, *by_input):
                put(index, name, values)
    if shape == ():
        _leave_unchecked(steps, starts, columns["numerical"], columns["flagged"], check_errors)
    else:
        _unflag_positions(starts, columns["numerical"], columns["flagged"])
    return columns, check_errors


def _per_position(step, shape):
    """Whether every number of a step holds one element per position (arrays of `shape`)."""
    numbers = (*(x.data for x in step.inputs), *step.gys, *step.gxs)
    return all(type(value) is np.ndarray and value.shape == shape for value in numbers)


def _unflag_positions(starts, numerical, flagged):
    """_leave_unchecked for a table's positions at once: at a position where a step's numerical_diff is not
    finite for any of its inputs, that step flags none of them. Why is said by the live numbers (the
    kernel's answer for the position the slider comes to rest at), not per position: that would be a
    message per step and position, and the table must stay vectorised."""
    for start, end in itertools.pairwise(starts):
        bad = np.zeros((), dtype=bool)
        for value in numerical[start:end]:
            bad = bad | ~np.isfinite(np.asarray(value, dtype=float))
        if bad.any():
            flagged[start:end] = [np.where(bad, 0.0, value) for value in flagged[start:end]]


def _checked_part(numerical):
    """The elements of an input's numerical_diff that were worked out: all, or the sampled ones of a large
    input (checked_elements; the others are NaN, not computed)."""
    numerical = np.asarray(numerical, dtype=float)
    checked = checked_elements(numerical.shape)
    return numerical if checked is None else np.array([numerical[k] for k in checked])


def _leave_unchecked(steps, starts, numerical, flagged, check_errors):
    """A check that cannot be made flags nothing and says why: where numerical_diff itself is NaN or
    infinite (a NaN or an overflow upstream, or a block undefined within eps of its input), there is
    nothing to compare backprop with, and NaN against NaN is no disagreement."""
    try:
        scalars = np.array(numerical, dtype=float)  # None (a check that did not run): NaN, skipped below
    except (TypeError, ValueError):
        scalars = None
    if scalars is not None and scalars.ndim == 1:
        finite = np.isfinite(scalars)
    else:  # arrays among the entries (a tensor's, or a table's positions at once)
        finite = np.array([v is None or np.isfinite(_checked_part(v)).all() for v in numerical])
    if finite.all():
        return
    origin = None
    for index in sorted(set(np.searchsorted(starts, np.flatnonzero(~finite), side="right") - 1)):
        if str(index) in check_errors:  # already said why it was not checked
            continue
        if origin is None:
            origin = _first_non_finite(steps) or ""
        why = _non_finite_here(steps[index]) or origin or _undefined_near(steps[index])
        check_errors[str(index)] = Message("not_checkable", why=why)
        flagged[starts[index] : starts[index + 1]] = [0.0] * (starts[index + 1] - starts[index])


def _non_finite_here(step):
    """'Log(−1) gives NaN' when this step's Function made a NaN or an infinity from finite inputs."""
    xs = [np.asarray(x.data, dtype=float) for x in step.inputs]
    if not all(np.isfinite(x).all() for x in xs):
        return None
    for out in outputs_of(step.function):
        y = np.asarray(out.data, dtype=float) if out is not None else np.zeros(())
        if not np.isfinite(y).all():
            bad = y[~np.isfinite(y)].flat[0] if y.ndim else y
            args = ", ".join(format_number(x) for x in xs)
            return Message(
                "gives_non_finite", call=f"{type(step.function).__name__}({args})", value=format_number(bad)
            )
    return None


def _first_non_finite(steps):
    """Where the first NaN or infinity of the graph came from (steps run backward: the last is first)."""
    for step in reversed(steps):
        here = _non_finite_here(step)
        if here:
            return here
    return None


def _undefined_near(step):
    xs = ", ".join(format_number(x.data) for x in step.inputs)
    return Message("not_finite_near", name=type(step.function).__name__, xs=xs)


def _batch_key(step, shape=()):
    """Steps with equal keys can be checked in one numpy call: the same elementwise library block (and
    constants), one output, every number an array of `shape`. None for a step that must be done alone."""
    f = step.function
    kind = type(f)
    if kind not in ELEMENTWISE or len(step.gys) != 1:
        return None
    for value in (*(x.data for x in step.inputs), *step.gys, *step.gxs):
        if type(value) is not np.ndarray or value.shape != shape:
            return None
    return _batch_key_of(f)


def _batch_numbers(steps, eps, tolerance):
    """step_numbers for steps that share a _batch_key: per column, one array per input over the steps.
    The same arithmetic as check_function, element by element (the blocks' forwards are elementwise)."""
    f = steps[0].function
    xs = [np.array([step.inputs[i].data for step in steps], dtype=float) for i in range(len(steps[0].inputs))]
    gy = np.array([step.gys[0] for step in steps], dtype=float)
    y = np.array([outputs_of(step.function)[0].data for step in steps], dtype=float)
    locals_, numericals = _batch_arithmetic(f, xs, y, gy, eps)
    columns = {"numerical": [], "errors": [], "flagged": []}
    if locals_ is not None:
        columns["locals"] = locals_
    for i, numerical in enumerate(numericals):
        backprop = np.array([step.gxs[i] for step in steps], dtype=float)
        errors = relative_error(np.abs(backprop - numerical), np.abs(backprop), np.abs(numerical))
        columns["numerical"].append(numerical)
        columns["errors"].append(errors)
        columns["flagged"].append((~(errors <= tolerance)).astype(float))
    return columns


def _batch_arithmetic(f, xs, y, gy, eps):
    """A batch's rule values (None where the block declares no rule) and numerical_diff's gx, one array per
    input over its steps: the arithmetic of check_function, element by element (the forwards are
    elementwise). xs: the inputs' values, y: the outputs', gy: the upstream grads, each one array."""
    names = {f"x{i}": x for i, x in enumerate(xs)}
    names["x"] = xs[0]
    names["y"] = y
    trees = rules_of(f)
    locals_ = [np.broadcast_to(evaluate(tree, names, f), gy.shape) for tree in trees] if trees else None
    numericals = []
    for i in range(len(xs)):
        moved = [[x + sign * eps if j == i else x for j, x in enumerate(xs)] for sign in (+1, -1)]
        plus, minus = (np.asarray(f.forward(*inputs), dtype=float) * gy for inputs in moved)
        numericals.append((plus - minus) / (2 * eps))
    return locals_, numericals


class CheckPlan:
    """step_numbers' batches for one graph's backward, sorted out once instead of at every x.

    While x moves, a graph's Functions, their inputs and the kinds of block they are stay the same: which
    steps are checked together (_batch_key) is known after the first update, and a new x changes only the
    numbers. A plan batches a backward whose every step is a library block with a rule on 0-d arrays (a
    block stack, show(y) of the library's scalar blocks); `numbers` then gathers each set of numbers into
    one float64 array and does each batch's arithmetic on the very arrays _batch_numbers builds, so the
    bits are the same. Any other backward, or a number that is no longer a 0-d array of reals (`numbers`
    returns None), is left to step_numbers' own path.
    """

    def __init__(self, steps):
        self.functions = [step.function for step in steps]
        self.inputs = [step.inputs for step in steps]
        self.batches = None  # [_PlannedBatch] when every step is batched
        groups = {}
        for index, step in enumerate(steps):
            key = _batch_key(step)
            if key is None or rules_of(step.function) is None:
                return
            groups.setdefault(key, []).append(index)
        if not groups:
            return
        self.starts = [0, *itertools.accumulate(len(step.gxs) for step in steps)]
        self.variables, places = [], {}  # every Variable a check reads, and where it is among them

        def place(v):
            if id(v) not in places:
                places[id(v)] = len(self.variables)
                self.variables.append(v)
            return places[id(v)]

        self.batches = []
        for ks in groups.values():
            f = steps[ks[0]].function
            inputs = range(len(steps[ks[0]].inputs))
            self.batches.append(
                _PlannedBatch(
                    function=f,
                    steps=np.array(ks),
                    inputs=[np.array([place(steps[k].inputs[i]) for k in ks]) for i in inputs],
                    output=np.array([place(outputs_of(steps[k].function)[0]) for k in ks]),
                    entries=[np.array([self.starts[k] + i for k in ks]) for i in inputs],
                )
            )
        # a block's constants (Pow's c) are part of its batch's key: looked at again at each x
        self.constants = [(steps[k].function, key) for key, ks in groups.items() if len(key) > 1 for k in ks]

    def fits(self, steps):
        """Whether these steps are the ones the plan was made for: the same Functions on the same inputs."""
        return (
            len(steps) == len(self.functions)
            and all(map(operator.is_, [step.function for step in steps], self.functions))
            and all(map(operator.is_, [step.inputs for step in steps], self.inputs))
        )

    def numbers(self, steps, eps, tolerance):
        """step_numbers(steps, eps, tolerance) for steps that fit the plan, or None where it cannot say."""
        if self.batches is None:
            return None
        values = _real_scalars([v.data for v in self.variables])
        gys = _real_scalars([step.gys[0] for step in steps])  # a batched block has one output, one gy
        gxs = _real_scalars([gx for step in steps for gx in step.gxs])
        if values is None or gys is None or gxs is None:
            return None
        if any(_batch_key_of(f) != key for f, key in self.constants):
            return None
        local, numerical = np.empty(len(gxs)), np.empty(len(gxs))  # every entry is one batch's
        for batch in self.batches:
            xs = [values[at] for at in batch.inputs]
            batch_locals, batch_numericals = _batch_arithmetic(
                batch.function, xs, values[batch.output], gys[batch.steps], eps
            )
            if batch_locals is None:  # its rule is gone (a class changed under the plan)
                return None
            for entries, rule_value, numerical_gx in zip(batch.entries, batch_locals, batch_numericals):
                local[entries] = rule_value
                numerical[entries] = numerical_gx
        # elementwise and exactly rounded: over every entry at once gives each batch's own bits
        errors = relative_error(np.abs(gxs - numerical), np.abs(gxs), np.abs(numerical))
        flagged = (~(errors <= tolerance)).astype(float)
        check_errors = {}
        _leave_unchecked(steps, self.starts, numerical, flagged, check_errors)
        return {"locals": local, "numerical": numerical, "errors": errors, "flagged": flagged}, check_errors


@dataclass(frozen=True)
class _PlannedBatch:
    """Steps of one kind of block (and constants), checked together: where their numbers are."""

    function: object  # the first of them: its forward, and its constants for the rule
    steps: np.ndarray  # their indices among the steps (and so of their gys)
    inputs: list  # per input of the block: where each step's input is among the plan's variables
    output: np.ndarray  # where each step's output is
    entries: list  # per input: each step's entry in the per-input columns


def _batch_key_of(f):
    """A library block's _batch_key from the block alone: its kind and its constants."""
    kind = type(f)
    return (kind, *(getattr(f, name) for name in kind.constants))


def _real_scalars(numbers):
    """A list of 0-d ndarrays of real numbers as one float64 array (as _batch_numbers converts them), or
    None if any is something else: told by numpy in C, not one by one."""
    if set(map(type, numbers)) != {np.ndarray}:
        return None
    try:
        array = np.array(numbers)
    except ValueError:  # arrays of other shapes among them
        return None
    if array.shape != (len(numbers),) or array.dtype.kind not in "biuf":
        return None  # arrays of one shape among them, or complex numbers
    return array if array.dtype == np.float64 else np.array(numbers, dtype=float)


EPSILONS = 10.0 ** -np.arange(1, 13)  # the error curve's eps: 1e-1 ... 1e-12


def eps_errors(ys_plus, ys_minus, backprop, epsilons=EPSILONS):
    """|numerical_diff - backprop| for each eps, from f(x + eps) and f(x - eps): truncation error falls as
    eps shrinks, rounding error rises below about 1e-6 (the digits numerical_diff loses, 자릿수 누락)."""
    numerical = (np.asarray(ys_plus) - np.asarray(ys_minus)) / (2 * epsilons)
    return np.abs(numerical - backprop)
