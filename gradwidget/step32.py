"""The book's DeZero from step 32 on, by the book's names: `from gradwidget.step32 import Variable`.

From step 32 the book's grads are Variables, after a plain `loss.backward()` too, so that a backward can
be differentiated again and step 42 can write `W.data -= lr * W.grad.data`. The blocks, the functions
(`import gradwidget.functions as F`) and the layers (`import gradwidget.layers as L`) are the same for
both; only the Variable the learner makes differs. Steps 1-31 write `from gradwidget import Variable`.
"""

from gradwidget.core import (
    Config,
    Function,
    Parameter,
    as_array,
    as_variable,
    no_grad,
    using_config,
)
from gradwidget.core import Step32Variable as Variable

__all__ = [
    "Config", "Function", "Parameter", "Variable", "as_array", "as_variable", "no_grad", "using_config",
]  # fmt: skip
