"""The step 42-43 loss graphs in the widget (issue 13: "shows and steps in under a second").

For step 42's regression (100 samples, matmul, mean_squared_error) and step 43's two-layer net (linear,
sigmoid, linear, mean_squared_error), measured in one run, best of --repeat:

1. Python: show(loss) (trace, every step's numbers and gradient check, the tables or the note that there are
   none), a step forward (w.step += 1 and the engine's grads brought to it), and w.update(loss) after the
   book's optimizer step (W.data -= lr * W.grad.data, a new forward).
2. The page: the saved widget (save_html, no kernel) opened in Debian's Chromium at 1280x900, from navigation
   to the graph drawn with every node; then a Step click to the frame that shows it painted.
3. Anchor: the same figures for the seed's square(exp(square(x))) chain, so a loaded machine shows as such.

    python bench/tensor.py            # about 30 seconds
    python bench/tensor.py --repeat 3
"""

import argparse
import pathlib
import sys
import tempfile
import time

import numpy as np

import gradwidget as gw
import gradwidget.functions as F
from gradwidget.step32 import Variable

TARGET = 1.0  # seconds, issue 13


def step42():
    np.random.seed(0)
    x = np.random.rand(100, 1)
    y = 5 + 2 * x + np.random.rand(100, 1)
    x, y = Variable(x, name="x"), Variable(y, name="y")
    W, b = Variable(np.zeros((1, 1)), name="W"), Variable(np.zeros(1), name="b")
    return lambda: F.mean_squared_error(y, F.matmul(x, W) + b), [W, b]


def step43():
    np.random.seed(0)
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
    W1, b1 = Variable(0.01 * np.random.randn(1, 10), name="W1"), Variable(np.zeros(10), name="b1")
    W2, b2 = Variable(0.01 * np.random.randn(10, 1), name="W2"), Variable(np.zeros(1), name="b2")
    return lambda: F.mean_squared_error(y, F.linear(F.sigmoid(F.linear(x, W1, b1)), W2, b2)), [W1, b1, W2, b2]


def chain():
    x = Variable(np.array(0.5), name="x")
    return lambda: gw.square(gw.exp(gw.square(x))), [x]


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def python_figures(make, repeat):
    loss, params = make()
    show = best(lambda: gw.show(loss()), repeat)
    w = gw.show(loss())

    def one_step():
        w.step = 0
        w.step_forward()

    step = best(one_step, repeat)

    def optimizer_step():
        current = loss()
        for p in params:
            p.cleargrad()
        current.backward()
        for p in params:
            p.data -= 0.1 * p.grad.data
        w.update(loss())

    update = best(optimizer_step, repeat)
    return w, {"show": show, "step": step, "update (with the book's step)": update}


def page_figures(widgets, repeat):
    """Open each saved widget in Chromium: navigation to every node drawn, then Step to its painted frame."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "tests" / "browser"))
    from launch import CHROMIUM_ARGS  # noqa: PLC0415 - the flags the browser tests use

    figures = {}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, w in widgets.items():
            w.step = 0
            path = pathlib.Path(folder) / f"{name}.html"
            w.save_html(path)
            nodes = len(w.graph["nodes"])
            draws, steps = [], []
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                started = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function(f"document.querySelectorAll('g[data-node-id]').length >= {nodes}")
                draws.append(time.perf_counter() - started)
                steps.append(
                    page.evaluate(
                        """() => new Promise((done) => requestAnimationFrame(() => {
                          const started = performance.now();
                          const button = [...document.querySelectorAll('button')]
                            .find((b) => b.textContent.trim().endsWith('Step'));
                          button.click();
                          const wait = () => document.querySelector('g[aria-current="step"]')
                            ? requestAnimationFrame(() => setTimeout(() => done(performance.now() - started)))
                            : requestAnimationFrame(wait);
                          wait();
                        }))"""
                    )
                    / 1000
                )
                page.close()
            figures[name] = {"page: open to drawn": min(draws), "page: Step to painted": min(steps)}
        browser.close()
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    widgets, rows = {}, {}
    for name, make in (("chain (anchor)", chain), ("step 42", step42), ("step 43", step43)):
        widgets[name], rows[name] = python_figures(make, args.repeat)
    for name, figures in page_figures(widgets, max(2, args.repeat // 2)).items():
        rows[name].update(figures)
    for name, figures in rows.items():
        w = widgets[name]
        size = w.graph["layout"]["width"]
        notes = ", ".join(str(t["note"]) for t in w.tables) or "no slider"
        print(f"{name}: {len(w.graph['nodes'])} nodes, {size:,} floats per row, tables: {notes}")
        for what, seconds in figures.items():
            verdict = "" if name.endswith("(anchor)") else ("  PASS" if seconds < TARGET else "  MISS")
            print(f"    {what:34} {seconds * 1000:8.1f} ms{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
