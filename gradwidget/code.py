"""Blocks and code agree: the Python that builds a stack or graph, and a safe parser for stack expressions.

The parser reads a string like "y = square(exp(square(x)))" with `ast` and accepts only nested calls of
known block names on x; nothing is ever evaluated.
"""

import ast
import difflib

from gradwidget.trace import inputs_of, outputs_of

# Engine blocks written as operators, so that generated code reads as the learner would write it.
_OPERATORS = {"Add": "{0} + {1}", "Sub": "{0} - {1}", "Mul": "{0} * {1}", "Div": "{0} / {1}", "Neg": "-{0}"}


def stack_code(blocks):
    """y = square(exp(square(x))) for blocks ["square", "exp", "square"]: the first block is innermost."""
    expression = "x"
    for name in blocks:
        expression = f"{name}({expression})"
    return f"y = {expression}"


def parse_stack(text, known):
    """The block names of a stack expression, innermost first; a ValueError says what is wrong and how."""
    text = text.strip()
    if not text:
        raise ValueError("Write the stack as an expression in x, e.g. y = square(exp(square(x))).")
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as error:
        raise ValueError(f"That is not a Python expression ({error.msg}); e.g. y = square(exp(x)).") from None
    if len(tree.body) != 1:
        raise ValueError("Write a single expression, e.g. y = square(exp(square(x))).")
    statement = tree.body[0]
    single_assignment = isinstance(statement, ast.Assign) and len(statement.targets) == 1
    if single_assignment or isinstance(statement, ast.Expr):
        node = statement.value
    else:
        raise ValueError("Write y = ... or just the expression, e.g. square(exp(x)).")
    blocks = []
    while not (isinstance(node, ast.Name) and node.id == "x"):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            raise ValueError(
                "Only blocks applied to x can be stacked, like square(exp(x)); "
                f"`{ast.unparse(node)}` is not one."
            )
        name = node.func.id
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"Unknown block {name!r}.{hint} Known blocks: {', '.join(sorted(known))}.")
        if len(node.args) != 1 or node.keywords:
            raise ValueError(f"{name}() takes exactly one argument here, e.g. {name}(x).")
        blocks.append(name)
        node = node.args[0]
    blocks.reverse()
    return blocks


def graph_code(graph, labels):
    """One line per Function, in forward order: a = square(x), c = a * b, b = MyExp()(a) ..."""
    lines = []
    for f in graph.functions:
        args = [labels[id(x)] for x in inputs_of(f)]
        name = type(f).__name__
        if graph.is_engine_graph and name in _OPERATORS:
            call = _OPERATORS[name].format(*args)
        elif graph.is_engine_graph and name == "Pow":
            call = f"{args[0]} ** {f.c}"
        elif graph.is_engine_graph and type(f).__module__ == "gradwidget.functions":
            call = f"{name.lower()}({', '.join(args)})"
        else:
            call = f"{name}()({', '.join(args)})"
        targets = ", ".join(labels[id(out)] for out in outputs_of(f))
        lines.append(f"{targets} = {call}")
    return "\n".join(lines)
