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

import numpy as np

from gradwidget.functions import ELEMENTWISE
from gradwidget.messages import say
from gradwidget.numerical import central_difference
from gradwidget.trace import inputs_of, outputs_of, to_json_value

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
    rule = getattr(f, "rule", None)
    if rule is None:
        return None
    texts = (rule,) if isinstance(rule, str) else tuple(rule)
    if len(texts) != len(inputs_of(f)):
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
        return format_number(value)
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
        return (
            "["
            + ", ".join(format_number(v, digits) for v in value.ravel()[:4])
            + (", …]" if value.size > 4 else "]")
        )
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


def card_text(f, gys, gxs, labels, lang="en"):
    """The derivative card of one backward step, as text: per input, the rule with today's numbers,
    then upstream × local derivative = downstream. Square at x = 0.5 with gy = 3.297:

        Square: gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297 → x.grad
        upstream × local derivative = downstream: 3.297 × 1 = 3.297
    """
    trees = rules_of(f)
    names = rule_names(f)
    gy = format_number(gys[0]) if gys else "?"
    inputs = inputs_of(f)
    chain = f"{say(lang, 'card_upstream')} × {say(lang, 'card_local')} = {say(lang, 'card_downstream')}"
    lines = []
    for i, (x, gx) in enumerate(zip(inputs, gxs)):
        gx_name = "gx" if len(inputs) == 1 else f"gx{i}"
        target = f"→ {labels[id(x)]}.grad"
        if trees is None:
            lines.append(say(lang, "card_no_rule", name=type(f).__name__))
            lines.append(f"gy = {gy}, {gx_name} = {format_number(gx)} {target}")
            continue
        tree = trees[i]
        filled = to_text(tree, names, f, parent=_PRECEDENCE["*"])
        lines.append(
            f"{type(f).__name__}: {gx_name} = {to_text(tree, parent=_PRECEDENCE['*'])}·gy = {filled} × {gy} "
            f"= {format_number(gx)} {target}"
        )
        lines.append(f"{chain}: {gy} × {format_number(evaluate(tree, names, f))} = {format_number(gx)}")
    return "\n".join(lines)


def card_rules(f, labels):
    """The part of a step's card that stays when x moves: the rule trees, the inputs' labels and the
    block's constants (Pow's c). The numbers come with every update, from `step_numbers`."""
    trees = rules_of(f)
    return {
        "rules": trees,
        "inputs": [labels[id(x)] for x in inputs_of(f)],
        "constants": _constants(trees, f),
    }


def _constants(trees, f):
    found = {}

    def walk(tree):
        if "name" in tree and tree["name"] not in ("x", "y") and not tree["name"].startswith("x"):
            found[tree["name"]] = to_json_value(getattr(f, tree["name"]))
        for arg in tree.get("args", []):
            walk(arg)

    for tree in trees or []:
        walk(tree)
    return found


# --- checking backprop against numerical differentiation ------------------------------------------------


def check_function(f, gys, gxs, eps=1e-4, tolerance=1e-4):
    """One Function's backward against the central difference of its own forward, input by input.

    Local, so a wrong backward is flagged on its own node and nowhere else: each node is checked with
    the upstream grad it really received. Returns backprop's gx, the numerical one, the relative error.
    """
    inputs = [np.asarray(x.data, dtype=float) for x in inputs_of(f)]

    def weighted(*xs):  # the forward's outputs, each weighted by the upstream grad it received
        ys = f.forward(*xs)
        ys = ys if isinstance(ys, tuple) else (ys,)
        return sum(float(np.sum(np.multiply(y, gy))) for y, gy in zip(ys, gys))

    results = []
    for i, gx in enumerate(gxs):
        numerical = central_difference(weighted, inputs, i, eps)
        backprop = np.asarray(gx, dtype=float)
        error = float(
            relative_error(
                np.max(np.abs(backprop - numerical), initial=0),
                np.max(np.abs(backprop), initial=0),
                np.max(np.abs(numerical), initial=0),
            )
        )
        results.append(
            {"backprop": backprop, "numerical": numerical, "error": error, "flagged": not error <= tolerance}
        )
    return results


def relative_error(difference, backprop_size, numerical_size):
    """|backprop - numerical| relative to the larger of the two (absolute near 0); NaN stays NaN."""
    return difference / np.maximum(np.maximum(backprop_size, numerical_size), 1e-12)


def step_numbers(steps, eps=1e-4, tolerance=1e-4, shape=()):
    """What each backward step's card and gradient check show, with one entry per input of each step, in
    step order (as the "gxs" of a row): "locals" (the rule's value; None where a block declares none),
    "numerical" (numerical_diff's gx), "errors" (their relative disagreement) and "flagged" (1.0 where it is
    above `tolerance`); and {step index: why that step's check could not run}. wire.Layout packs them.

    Steps of the library's elementwise blocks whose every number has shape `shape` are worked out
    together, one numpy call per kind of block: () for today's numbers, which makes a 1,000-block stack fast
    enough to follow the slider, and (G,) for a table's G slider positions at once. Any other step is
    checked on its own (with `shape` other than (), its numbers are not per position: a ValueError).
    """
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
        if shape != ():
            raise ValueError(f"{type(step.function).__name__} cannot be checked at many positions at once")
        f = step.function
        trees = rules_of(f)
        if trees:
            put(index, "locals", [evaluate(tree, rule_names(f), f) for tree in trees])
        try:
            results = check_function(f, step.gys, step.gxs, eps, tolerance)
        except Exception as error:  # a learner's forward that fails off its usual inputs
            check_errors[str(index)] = f"{type(error).__name__}: {error}"
            continue
        put(index, "numerical", [r["numerical"] for r in results])
        put(index, "errors", [r["error"] for r in results])
        put(index, "flagged", [float(r["flagged"]) for r in results])
    for indices in batches.values():
        batch = _batch_numbers([steps[i] for i in indices], eps, tolerance)
        for name, by_input in batch.items():
            for index, *values in zip(indices, *by_input):
                put(index, name, values)
    return columns, check_errors


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
    return (kind, *(getattr(f, name) for name in kind.constants))


def _batch_numbers(steps, eps, tolerance):
    """step_numbers for steps that share a _batch_key: per column, one array per input over the steps.
    The same arithmetic as check_function, element by element (the blocks' forwards are elementwise)."""
    f = steps[0].function
    xs = [np.array([step.inputs[i].data for step in steps], dtype=float) for i in range(len(steps[0].inputs))]
    gy = np.array([step.gys[0] for step in steps], dtype=float)
    names = {f"x{i}": x for i, x in enumerate(xs)}
    names["x"] = xs[0]
    names["y"] = np.array([outputs_of(step.function)[0].data for step in steps], dtype=float)
    trees = rules_of(f)
    columns = {"numerical": [], "errors": [], "flagged": []}
    if trees:
        columns["locals"] = [np.broadcast_to(evaluate(tree, names, f), gy.shape) for tree in trees]
    for i in range(len(xs)):
        moved = [[x + sign * eps if j == i else x for j, x in enumerate(xs)] for sign in (+1, -1)]
        plus, minus = (np.asarray(f.forward(*inputs), dtype=float) * gy for inputs in moved)
        numerical = (plus - minus) / (2 * eps)
        backprop = np.array([step.gxs[i] for step in steps], dtype=float)
        errors = relative_error(np.abs(backprop - numerical), np.abs(backprop), np.abs(numerical))
        columns["numerical"].append(numerical)
        columns["errors"].append(errors)
        columns["flagged"].append((~(errors <= tolerance)).astype(float))
    return columns


EPSILONS = 10.0 ** -np.arange(1, 13)  # the error curve's eps: 1e-1 ... 1e-12


def eps_errors(ys_plus, ys_minus, backprop, epsilons=EPSILONS):
    """|numerical_diff - backprop| for each eps, from f(x + eps) and f(x - eps): truncation error falls as
    eps shrinks, rounding error rises below about 1e-6 (the digits numerical_diff loses, 자릿수 누락)."""
    numerical = (np.asarray(ys_plus) - np.asarray(ys_minus)) / (2 * epsilons)
    return np.abs(numerical - backprop)
