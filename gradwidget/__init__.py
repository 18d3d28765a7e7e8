"""gradwidget: a DeZero-style autodiff engine and a Jupyter widget that steps through its backprop."""

from gradwidget.core import (
    BackwardError,
    BackwardStep,
    Config,
    Function,
    Variable,
    as_array,
    backward_steps,
    no_grad,
    using_config,
)
from gradwidget.export import save_html
from gradwidget.functions import (
    BLOCKS,
    Add,
    Cos,
    Div,
    Exp,
    Log,
    Mul,
    Neg,
    Pow,
    Sin,
    Square,
    Sub,
    Tanh,
    add,
    cos,
    div,
    exp,
    log,
    mul,
    neg,
    pow,  # noqa: A004 - the book's name; use gradwidget.pow, the builtin stays builtins.pow
    sin,
    square,
    sub,
    tanh,
)
from gradwidget.numerical import GradientCheck, gradient_check, numerical_diff
from gradwidget.widget import GradWidget, GraphWidget, register_block, show

__version__ = "0.1.0"

__all__ = [
    "BLOCKS",
    "Add",
    "BackwardError",
    "BackwardStep",
    "Config",
    "Cos",
    "Div",
    "Exp",
    "Function",
    "GradientCheck",
    "GradWidget",
    "GraphWidget",
    "Log",
    "Mul",
    "Neg",
    "Pow",
    "Sin",
    "Square",
    "Sub",
    "Tanh",
    "Variable",
    "add",
    "as_array",
    "backward_steps",
    "cos",
    "div",
    "exp",
    "gradient_check",
    "log",
    "mul",
    "neg",
    "no_grad",
    "numerical_diff",
    "pow",
    "register_block",
    "save_html",
    "show",
    "sin",
    "square",
    "sub",
    "tanh",
    "using_config",
]


def load_ipython_extension(ipython):
    """`%load_ext gradwidget`: a cell ending in a Variable shows show(y); `%gradwidget square exp --x 0.5`."""
    from gradwidget.magics import load_ipython_extension

    load_ipython_extension(ipython)


def unload_ipython_extension(ipython):
    from gradwidget.magics import unload_ipython_extension

    unload_ipython_extension(ipython)
