"""The seed notebook's exact case 150 ms from its kernel (a delay proxy on 127.0.0.1, as a hub, Binder or
Colab would be): the learner's own Variable, Function, Square and Exp, typed into a cell as the book has
them, then `A, B, C = Square(), Exp(), Square(); y = C(B(A(x))); show(y)`. Python works the whole grid out
ahead for those classes too (one vectorised pass, verified against the per-position path), so every move of
the slider paints the right numbers in the same task as the input event, long before any kernel answer could.

Screenshot: tests/browser/screenshots/distance-learner-150ms.png.
"""

import math
import pathlib

import pytest
from gw_page import chain, kernel_eval
from notebooks import write_notebook
from test_distance import opened_far_away, sweep_then_rest

pytestmark = pytest.mark.browser

SEED_CLASSES = pathlib.Path(__file__).parents[1] / "learners" / "seed_core.py"
SHOW = """\
from gradwidget import show

x = Variable(np.array(0.5))
A, B, C = Square(), Exp(), Square()
y = C(B(A(x)))
w = show(y)
w
"""


def test_the_seeds_own_classes_150_ms_away_answer_every_move_from_their_table(page, lab_server, screenshots):
    path = "lab-distance-learner.ipynb"
    write_notebook(lab_server.root / path, [SEED_CLASSES.read_text(), SHOW])
    with opened_far_away(page, lab_server, path) as widget:
        # the table is there: every position of the grid, no note under the slider
        assert kernel_eval(page, "[type(y).__module__, w.tables[0]['note'], len(w.tables[0]['xs'])]") == [
            "__main__",
            None,
            201,
        ]
        last = sweep_then_rest(page, widget, "float(x.data)")  # numpy's numbers, not the learner's
        values, grads = chain(last)
        assert math.isclose(kernel_eval(page, "float(w.inputs[0].grad)"), float(grads["v0"]), rel_tol=1e-12)
        widget.expect_values(values)
        widget.screenshot(screenshots / "distance-learner-150ms.png")
