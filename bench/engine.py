"""Forward + backward cost per op: gradwidget against DeZero and micrograd, in one run.

Workload (the same for all three): x0 = 0.3, then N ops, op i = square when i is even and + 0.25 when
odd, so every value stays in (0.25, 0.5). Prints microseconds per op for each engine and N, the ratios,
and peak memory per op at the largest N (tracemalloc, graph held alive until backward is done).

    python bench/engine.py            # N = 10 ... 100,000
    python bench/engine.py --quick    # N up to 10,000, fewer repeats
"""

import argparse
import gc
import sys
import time
import tracemalloc

import numpy as np

import gradwidget as gw


def load_dezero():
    np.int = int  # dezero 0.0.13 still says np.int, removed from numpy 1.24 on
    import dezero

    return dezero


def run_gradwidget(n):
    x = gw.Variable(np.array(0.3))
    y = x
    for i in range(n):
        y = gw.square(y) if i % 2 == 0 else y + 0.25
    y.backward()
    return float(x.grad), y


def run_dezero(n, dezero):
    x = dezero.Variable(np.array(0.3))
    y = x
    for i in range(n):
        y = y**2 if i % 2 == 0 else y + 0.25  # the dezero package has no square(); ** 2 is its Pow
    y.backward()
    return float(x.grad.data), y


def run_micrograd(n, Value):
    x = Value(0.3)
    y = x
    for i in range(n):
        y = y**2 if i % 2 == 0 else y + 0.25
    y.backward()  # recursive topological sort: needs a deep recursion limit, set in main()
    return float(x.grad), y


def best_time(run, n, repeats):
    """Best of `repeats` runs, in microseconds per op; the graph is freed between runs."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        grad, y = run(n)
        elapsed = time.perf_counter() - start
        del y
        best = min(best, elapsed)
    return best / n * 1e6, grad


def peak_bytes_per_op(run, n):
    gc.collect()
    tracemalloc.start()
    grad, y = run(n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del y
    return peak / n


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 10,000, fewer repeats")
    args = parser.parse_args()
    sizes = [10, 100, 1_000, 10_000] + ([] if args.quick else [100_000])
    sys.setrecursionlimit(1_000_000)  # micrograd's backward recurses once per node

    from micrograd.engine import Value

    dezero = load_dezero()
    engines = {
        "gradwidget": run_gradwidget,
        "DeZero": lambda n: run_dezero(n, dezero),
        "micrograd": lambda n: run_micrograd(n, Value),
    }
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, gradwidget {gw.__version__}")
    print(
        f"{'N':>8} " + " ".join(f"{name + ' µs/op':>16}" for name in engines) + "   gw/DeZero  gw/micrograd"
    )
    per_op = {}
    for n in sizes:
        repeats = max(3, min(50, 200_000 // (n * 10) or 1)) if not args.quick else 3
        row = {}
        grads = {}
        for name, run in engines.items():
            # micrograd's recursive sort needs a deep C stack beyond ~50,000 nodes: run it in a thread
            row[name], grads[name] = _in_big_stack(best_time, run, n, repeats)
        if not (
            abs(grads["gradwidget"] - grads["DeZero"]) < 1e-9
            and abs(grads["gradwidget"] - grads["micrograd"]) < 1e-9
        ):
            raise SystemExit(f"engines disagree at N={n}: {grads}")
        per_op[n] = row
        print(
            f"{n:>8} "
            + " ".join(f"{row[name]:>16.2f}" for name in engines)
            + f"   {row['gradwidget'] / row['DeZero']:>9.2f}  {row['gradwidget'] / row['micrograd']:>12.2f}"
        )
    big = sizes[-1]
    print(f"\npeak memory per op at N = {big:,} (tracemalloc):")
    for name, run in engines.items():
        print(f"  {name:>10}: {_in_big_stack(peak_bytes_per_op, run, big):8.0f} bytes/op")
    if 1_000 in per_op and big != 1_000:
        growth = per_op[big]["gradwidget"] / per_op[1_000]["gradwidget"]
        print(f"\ngradwidget per-op cost at N = {big:,} / at N = 1,000: {growth:.2f}x")


def _in_big_stack(fn, *args):
    import threading

    result = []
    threading.stack_size(512 * 1024 * 1024)
    thread = threading.Thread(target=lambda: result.append(fn(*args)))
    thread.start()
    thread.join()
    threading.stack_size(0)
    return result[0]


if __name__ == "__main__":
    main()
