"""show(y) on big graphs: linear in the graph's size, against building the graph itself in the same run.

Workload: x = 0.3, then N ops alternating sin and cos (one leaf, so one slider; values stay in [-1, 1]).
For each N the script times, in CPU seconds of this process (time.process_time, so that other work on a
shared machine does not count), the best of a few runs:

- build: the graph itself, the N engine calls (the anchor: show(y) cannot cost less than a few of these);
- show: gradwidget.show(y), everything the widget does before the page can draw: trace, labels, the code
  view, one backward pass recorded, every step's card and gradient check, the f(x) curves;
- message: the widget's whole state as its first comm message carries it (ipywidgets' buffers split off,
  the rest JSON-encoded as jupyter_client's session does);
- move: one slider move afterwards (w.set_value), the kernel's part of following the slider.

    python bench/show_graph.py            # N = 1,000, 10,000 and 100,000, about two minutes
    python bench/show_graph.py --quick    # N up to 10,000

Target (issue 12): show(y) at N = 10,000 under 1 s; each column should grow about 10x per 10x in N.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from ipywidgets.widgets.widget import _remove_buffers

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's gradwidget
import gradwidget as gw  # noqa: E402

REPEATS = {1_000: 5, 10_000: 3, 100_000: 1}
TARGET_AT_10K = 1.0  # seconds


def chain(n):
    x = gw.Variable(np.array(0.3), name="x")
    y = x
    for i in range(n):
        y = gw.sin(y) if i % 2 == 0 else gw.cos(y)
    return x, y


def cpu(fn):
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def run_once(n):
    """One graph of n ops, shown: each part's CPU seconds, and the first message's size in bytes."""
    seconds = {}
    seconds["build"], (_, y) = cpu(lambda: chain(n))
    seconds["show"], w = cpu(lambda: gw.show(y))

    def message():
        state, _paths, buffers = _remove_buffers(w.get_state())
        return len(json.dumps(state, separators=(",", ":"))) + sum(len(b) for b in buffers)

    seconds["message"], size = cpu(message)
    seconds["move"], _ = cpu(lambda: w.set_value("x", 0.4))
    assert w.error == "" and w.n_steps == n, (w.error, w.n_steps)
    w.close()
    return seconds, size


def measure(n, repeats):
    best = {}
    for _ in range(repeats):
        seconds, size = run_once(n)
        best = {part: min(value, best.get(part, value)) for part, value in seconds.items()}
    return best, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 10,000 only")
    args = parser.parse_args()
    sizes = [n for n in REPEATS if not (args.quick and n > 10_000)]
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}; CPU seconds, best of the runs")
    print("| N | build the graph | show(y) | show / build | first message | message size | slider move |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    results = {}
    for n in sizes:
        best, size = measure(n, REPEATS[n])
        results[n] = best
        print(
            f"| {n:,} | {best['build']:.3f} s | {best['show']:.3f} s | {best['show'] / best['build']:.0f}x "
            f"| {best['message']:.3f} s | {size / 1e6:.1f} MB | {best['move']:.3f} s |"
        )
    at_10k = results[10_000]["show"]
    verdict = "met" if at_10k < TARGET_AT_10K else "NOT met"
    print(f"show(y) at N = 10,000: {at_10k:.2f} s against the target of {TARGET_AT_10K:.0f} s: {verdict}")
    if 1_000 in results:
        growth = at_10k / results[1_000]["show"]
        print(f"show(y) 10,000 / 1,000: {growth:.1f}x (linear: 10x)")
    if 100_000 in results:
        growth = results[100_000]["show"] / at_10k
        print(f"show(y) 100,000 / 10,000: {growth:.1f}x (linear: 10x)")


if __name__ == "__main__":
    main()
