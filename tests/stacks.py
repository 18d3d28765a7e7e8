"""Stacks of blocks as the tests compare the widget with them: a fresh engine run of a stack at one x, outside
any widget, and a learner's block that fails off its domain.

Shared by tests/test_table.py (each table row is a fresh run), tests/browser/test_table_page.py (the page
paints the learner's failures where they happen) and tests/js/make_fixtures.py (the page's fixtures carry a
fresh run at every grid position, and the learner's table). Import it as `tests.stacks`: pytest runs from the
repository's root (`python -m pytest`), and make_fixtures.py puts that root on sys.path.
"""

import numpy as np

from gradwidget import Function, Variable, backward_steps
from gradwidget.functions import BLOCKS


def engine_run(blocks, x):
    """The stack `blocks` (names in BLOCKS) built on a fresh Variable at x and backpropagated through
    backward_steps: its Variables from x to y, and the backward's steps in order. numpy's warnings are off:
    a grid reaches past a block's domain (log at x < 0 gives NaN, as the widget shows)."""
    with np.errstate(all="ignore"):
        variables = [Variable(np.array(x))]
        for name in blocks:
            variables.append(BLOCKS[name]()(variables[-1]))
        steps = list(backward_steps(variables[-1]))
    return variables, steps


class Root(Function):
    """A learner's block that fails off its domain: its forward below 0, its backward above 1.5."""

    rule = "1 / (2 * y)"

    def forward(self, x):
        if x < 0:
            raise ValueError("needs x >= 0")
        return np.sqrt(x)

    def backward(self, gy):
        if self.input.data > 1.5:
            raise ZeroDivisionError("the learner's slip past 1.5")
        return gy / (2 * np.sqrt(self.input.data))
