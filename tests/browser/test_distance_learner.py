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
from delay_proxy import DelayProxy, Through
from gw_page import WAIT_MS, Widget, chain, kernel_eval, open_and_run_all
from notebooks import write_notebook
from playwright.sync_api import expect
from test_distance import sweep_against_numpy

pytestmark = pytest.mark.browser

RTT_MS = 150
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
    with DelayProxy(lab_server.port, rtt_ms=RTT_MS) as proxy:
        server = Through(lab_server, proxy)
        open_and_run_all(page, server, path, app="lab")
        widget = Widget(page).wait_visible()
        expect(widget.root).to_have_attribute("data-kernel", "live", timeout=WAIT_MS)
        # the table is there: every position of the grid, no note under the slider
        assert kernel_eval(page, "[type(y).__module__, w.tables[0]['note'], len(w.tables[0]['xs'])]") == [
            "__main__",
            None,
            201,
        ]
        assert kernel_eval(page, "w.step", code="w.run_all()") == 3  # every grad shown: each move paints them
        widget.expect_counter(3, 3)
        xs = kernel_eval(page, "[float(v) for v in w.tables[0]['xs']]")
        sweep = sweep_against_numpy(page, xs)  # numpy's numbers, not the learner's
        for _ in range(100):  # the kernel follows the hand (coalesced): at rest it is at the last x
            if kernel_eval(page, "float(x.data)") == sweep[-1]:
                break
        assert kernel_eval(page, "[float(x.data), w.step]") == [sweep[-1], 3]
        values, grads = chain(sweep[-1])
        assert math.isclose(kernel_eval(page, "float(w.inputs[0].grad)"), float(grads["v0"]), rel_tol=1e-12)
        widget.expect_values(values)
        assert proxy.connections > 0, "the page reached JupyterLab through the proxy"
        widget.root.screenshot(path=screenshots / "distance-learner-150ms.png")
