"""gradwidget: a DeZero-style autodiff engine and a Jupyter widget that steps through its backprop."""

from gradwidget.core import (
    BackwardError,
    BackwardStep,
    Config,
    Function,
    Parameter,
    Step32Variable,
    Variable,
    as_array,
    as_variable,
    backward_steps,
    no_grad,
    using_config,
)
from gradwidget.export import save_html
from gradwidget.functions import (
    BLOCKS,
    Add,
    BroadcastTo,
    Cos,
    Div,
    Exp,
    Linear,
    Log,
    MatMul,
    MeanSquaredError,
    Mul,
    Neg,
    Pow,
    Reshape,
    Sigmoid,
    Sin,
    Square,
    Sub,
    Sum,
    SumTo,
    Tanh,
    Transpose,
    add,
    broadcast_to,
    cos,
    div,
    exp,
    linear,
    log,
    matmul,
    mean_squared_error,
    mul,
    neg,
    pow,  # noqa: A004 - the book's name; use gradwidget.pow, the builtin stays builtins.pow
    reshape,
    sigmoid,
    sin,
    square,
    sub,
    sum,  # noqa: A004 - the book's name; the builtin stays builtins.sum
    sum_to,
    tanh,
    transpose,
)
from gradwidget.numerical import GradientCheck, gradient_check, numerical_diff
from gradwidget.widget import GradWidget, GraphWidget, register_block, show

__version__ = "0.1.0"

__all__ = [
    "Add",
    "BLOCKS",
    "BackwardError",
    "BackwardStep",
    "BroadcastTo",
    "Config",
    "Cos",
    "Div",
    "Exp",
    "Function",
    "GradWidget",
    "GradientCheck",
    "GraphWidget",
    "Linear",
    "Log",
    "MatMul",
    "MeanSquaredError",
    "Mul",
    "Neg",
    "Parameter",
    "Pow",
    "Reshape",
    "Sigmoid",
    "Sin",
    "Square",
    "Step32Variable",
    "Sub",
    "Sum",
    "SumTo",
    "Tanh",
    "Transpose",
    "Variable",
    "add",
    "as_array",
    "as_variable",
    "backward_steps",
    "broadcast_to",
    "cos",
    "div",
    "exp",
    "gradient_check",
    "linear",
    "log",
    "matmul",
    "mean_squared_error",
    "mul",
    "neg",
    "no_grad",
    "numerical_diff",
    "pow",
    "register_block",
    "reshape",
    "save_html",
    "show",
    "sigmoid",
    "sin",
    "square",
    "sub",
    "sum",
    "sum_to",
    "tanh",
    "transpose",
    "using_config",
]


def load_ipython_extension(ipython):
    """`%load_ext gradwidget`: a cell ending in a Variable shows show(y); `%gradwidget square exp --x 0.5`."""
    from gradwidget.magics import load_ipython_extension

    load_ipython_extension(ipython)


def unload_ipython_extension(ipython):
    from gradwidget.magics import unload_ipython_extension

    unload_ipython_extension(ipython)
