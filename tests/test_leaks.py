"""No leaks: long sessions of slider moves and rebuilt stacks stay flat; a closed widget frees its graph."""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

from gradwidget import GradWidget, Variable, exp, show, square


def python_memory_growth(action, repeats):
    """Bytes still held by Python after `repeats` runs of action, beyond a warmed-up baseline."""
    action(0)  # warm caches (rule parses, numpy ufunc loops) before the baseline
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    for i in range(repeats):
        action(i)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - baseline
    tracemalloc.stop()
    return grown


def test_ten_thousand_slider_updates_hold_no_memory():
    w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    w.step = 2
    xs = np.linspace(-2, 2, 997)
    grown = python_memory_growth(lambda i: setattr(w, "x", float(xs[i % len(xs)])), 10_000)
    assert grown < 5 * 1024 * 1024, f"{grown / 1024:.0f} KiB held after 10,000 updates"
    assert w.step == 2


def test_a_thousand_rebuilt_stacks_hold_no_memory():
    w = GradWidget(blocks=["square"], x=0.5)
    stacks = [["square", "exp"], ["sin", "cos", "tanh"], ["exp"] * 5, ["neg", "square"]]
    grown = python_memory_growth(lambda i: setattr(w, "blocks", stacks[i % len(stacks)]), 1_000)
    assert grown < 5 * 1024 * 1024, f"{grown / 1024:.0f} KiB held after 1,000 rebuilds"


def test_a_closed_widget_frees_its_graph():
    x = Variable(np.array(0.5))
    y = square(exp(x))
    w = show(y)
    stack = GradWidget(blocks=["square", "exp"])
    stack.run_all()
    refs = [weakref.ref(w), weakref.ref(stack), weakref.ref(stack.output), weakref.ref(stack.functions[0])]
    w.close()
    stack.close()
    del w, stack
    gc.collect()
    assert [r() for r in refs] == [None] * 4
    assert float(y.data) == float(np.exp(0.5) ** 2)  # the learner's own graph is theirs to keep


def test_fifty_widgets_in_one_kernel_all_work():
    widgets = [GradWidget(blocks=["square", "exp", "square"], x=-1 + i / 25) for i in range(50)]
    for w in widgets:
        w.run_all()
    for i, w in enumerate(widgets):
        x = -1 + i / 25
        assert float(w.input.grad) == pytest.approx(4 * x * np.exp(2 * x * x), rel=1e-14)
    widgets[7].x = 0.0
    assert [float(w.input.data) for w in widgets[6:9]] == [-1 + 6 / 25, 0.0, -1 + 8 / 25]
