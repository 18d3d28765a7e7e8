"""Blocks and code agree: the Python that builds a stack or graph, and a safe parser for stack expressions.

The parser reads a string like "y = square(exp(square(x)))" with `ast` and accepts only nested calls of
known block names on x; nothing is ever evaluated. Python's own parser reads at most 200 nested calls, so
a deeper stack (the widget allows 1,000 blocks) is read by a small parser of that one form, and every stack
the widget accepts comes back from its own code view.
"""

import ast
import difflib
import re

from gradwidget.messages import Message, MessageError
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
    """The block names of a stack expression, innermost first; a MessageError (a ValueError) says what is
    wrong and how, in any language the widget speaks."""
    text = text.strip()
    if not text:
        raise MessageError(Message("code_empty"))
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as error:
        nested = _nested_calls(text)  # deeper than Python's parser goes: the form the code view writes
        if nested is not None:
            return _known_blocks(nested, known)
        if error.msg == "too many nested parentheses":
            raise MessageError(Message("code_too_nested")) from None
        raise MessageError(Message("code_syntax", reason=error.msg)) from None
    except (RecursionError, MemoryError):  # "x+x+...+x" thousands of times: too deep to read at all
        raise MessageError(Message("code_too_long", length=f"{len(text):,}")) from None
    if len(tree.body) != 1:
        raise MessageError(Message("code_single"))
    statement = tree.body[0]
    single_assignment = isinstance(statement, ast.Assign) and len(statement.targets) == 1
    if single_assignment or isinstance(statement, ast.Expr):
        node = statement.value
    else:
        raise MessageError(Message("code_form"))
    blocks = []
    while not (isinstance(node, ast.Name) and node.id == "x"):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            raise MessageError(Message("code_not_block", code=_shown(text, node)))
        name = node.func.id
        _check_known(name, known)
        if len(node.args) != 1 or node.keywords:
            raise MessageError(Message("code_one_argument", name=name))
        blocks.append(name)
        node = node.args[0]
    blocks.reverse()
    return blocks


def _known_blocks(blocks, known):
    for name in blocks:
        _check_known(name, known)
    return blocks


def _check_known(name, known):
    if name not in known:
        raise MessageError(Message("unknown_block", name=repr(name), **block_hint(name, known)))


def block_hint(name, known):
    """What an unknown block's message adds: the closest known name, if one is close, and all of them."""
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = Message("did_you_mean", name=repr(close[0])) if close else ""
    return {"hint": hint, "known": ", ".join(sorted(known))}


_CALL = re.compile(r"\s*([A-Za-z_]\w*)\s*\(")
_X = re.compile(r"\s*x\s*")
_CLOSE = re.compile(r"[\s)]*")
_TARGET = re.compile(r"\s*y\s*=(?!=)")


def _nested_calls(text):
    """The block names of `[y =] a(b(...(x)...))`, innermost first, read in one linear pass however deep;
    None for any other text (then Python's parser says what is wrong with it)."""
    target = _TARGET.match(text)
    position = target.end() if target else 0
    names = []
    while (call := _CALL.match(text, position)) is not None:
        names.append(call.group(1))
        position = call.end()
    x = _X.match(text, position)
    if not names or x is None:
        return None
    closing = _CLOSE.match(text, x.end())
    rest = closing.group(0)
    if closing.end() != len(text) or rest.count(")") != len(names):
        return None
    names.reverse()
    return names


def _shown(text, node, limit=60):
    """The part of `text` that `node` was read from, as typed, cut to `limit` characters for a message."""
    part = " ".join((ast.get_source_segment(text, node) or "").split())
    return part if len(part) <= limit else part[: limit - 1] + "…"


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
