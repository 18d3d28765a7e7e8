"""Forward + backward cost per op: gradwidget against DeZero and micrograd, in one run.

Workload (the same for all three): x0 = 0.3, then N ops, op i = square when i is even and + 0.25 when
odd, so every value stays in (0.25, 0.5); then backward from the last value. The three engines must
agree on dx to 1e-9.

Time is this process's CPU time (time.process_time, so that other work on a shared machine does not
count), the best of several runs, each building its graph afresh, with the cyclic garbage collector on as
in normal use. gradwidget is timed again with it off, because gc's full collections, which walk every
live object, are most of what makes an op dearer in a bigger graph. Memory is tracemalloc's peak while
one graph is built and run backward, divided by N.

The floor line times what any engine that keeps Variable.data and its grads as numpy ndarrays must do
per op of this workload, with no engine at all: the numpy maths on 0-d arrays and turning each numpy
scalar result into an ndarray.

    python bench/engine.py            # N = 10 ... 100,000, about a minute
    python bench/engine.py --quick    # N up to 10,000

--against compares this checkout's engine with another on gradwidget's own chain, turn about: two worker
processes, one importing each tree's gradwidget, run the same workload (this file's) in alternating
rounds, and each N keeps the best round of each. Another engineer's work on the same cores slows a round
of either tree alike, so the ratio holds where the absolute figures drift. The other tree is a directory
holding gradwidget/, or any git revision of this repository (exported to a temporary directory):

    python bench/engine.py --against c4e5897        # the engine before it became the book's (issue 13)

--instructions counts instead of timing: the same chain of each tree run under valgrind's callgrind
(PYTHONHASHSEED=0, the garbage collector on as in the timings; a few minutes, most of it imports under
valgrind). Per op it gives the instructions of N = 3,000 less those of N = 1,000 (so that imports, warm-up and
one backward's fixed cost drop out), and those of 200 whole runs at N = 10. Counts do not wander with the
load of a shared machine as CPU times do:

    python bench/engine.py --instructions --against c4e5897
"""

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parents[1]  # this checkout
# A worker imports the tree it is told to (--tree); otherwise this checkout's gradwidget, installed or not.
TREE = Path(sys.argv[sys.argv.index("--tree") + 1]) if "--tree" in sys.argv[:-1] else HERE
sys.path.insert(0, str(TREE))
import gradwidget as gw  # noqa: E402

REPEATS = {10: 300, 100: 60, 1_000: 15, 10_000: 5, 100_000: 3}

# issue 2's targets
SPEEDUP_OVER_DEZERO = 4.0  # at N = 10,000
MAX_GROWTH = 1.5  # per-op cost at N = 100,000 over that at N = 1,000
MAX_BYTES_PER_OP = 600  # at N = 100,000


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


def run_gradwidget_recorded(n):
    """The same chain, its backward run on Variables and recorded (create_graph=True): what a plain
    backward would cost if it ran the blocks' backward on Variables, as DeZero's core.py does."""
    x = gw.Variable(np.array(0.3))
    y = x
    for i in range(n):
        y = gw.square(y) if i % 2 == 0 else y + 0.25
    y.backward(create_graph=True)
    return float(x.grad.data), y


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
    y.backward()  # a recursive topological sort: needs the deep recursion limit and stack set in main()
    return float(x.grad), y


def run_numpy_floor(n):
    """The ndarray work of the workload alone: each result of maths on 0-d arrays is a numpy scalar,
    which an engine keeping ndarrays wraps with np.array. + 0.25 wraps its constant too."""
    x = np.array(0.3)
    squared = []
    y = x
    for i in range(n):
        if i % 2 == 0:
            squared.append(y)
            y = np.array(y**2)
        else:
            y = np.array(y + np.array(0.25))
    gy = np.array(1.0)
    for x in reversed(squared):  # + 0.25 passes gy through untouched
        gy = np.array(2 * (x * gy))
    return float(gy), y


def best_time(run, n, repeats, collect=True):
    """Best of `repeats` runs, in CPU microseconds per op; each run's graph is freed before the next.

    gc.collect() walks every object of this process (numpy, matplotlib, ipywidgets...), tens of ms: so
    once before the runs, and between them only for the big graphs, whose runs take far longer.
    """
    best = float("inf")
    gc.collect()
    for _ in range(repeats):
        if n >= 10_000:
            gc.collect()
        if not collect:
            gc.disable()
        start = time.process_time()
        grad, y = run(n)
        elapsed = time.process_time() - start
        gc.enable()
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


def in_big_stack(fn, *args):
    """Run fn in a thread with a 512 MB stack: micrograd recurses once per node, and freeing a deep
    graph recurses in C."""
    result = []
    threading.stack_size(512 * 1024 * 1024)
    thread = threading.Thread(target=lambda: result.append(fn(*args)))
    thread.start()
    thread.join()
    threading.stack_size(0)
    return result[0]


def serve_chain():
    """A --tree worker: for each line "N repeats" on stdin, the best CPU µs per op of the chain and its
    dx (exactly, as float.hex), one line on stdout."""
    sys.setrecursionlimit(1_000_000)
    for line in sys.stdin:
        n, repeats = map(int, line.split())
        per_op, grad = in_big_stack(best_time, run_gradwidget, n, repeats)
        print(f"{per_op!r} {grad.hex()}", flush=True)


COUNTED = ((1_000, 1), (3_000, 1), (10, 200))  # (N, runs) of each counted part, in this order


def count_chain():
    """A --tree worker under callgrind: warm up, then run each part of COUNTED inside its own eval(), the
    call callgrind is told to count and to dump after (nothing else calls eval once imports are done)."""
    sys.setrecursionlimit(1_000_000)
    for _ in range(3):
        run_gradwidget(200)
    gc.collect()
    code = compile("for _ in range(runs):\n    grad, y = run(n)\n    del y", "chain", "exec")
    for n, runs in COUNTED:
        eval(code, {"run": run_gradwidget, "n": n, "runs": runs})


def instructions_per_op(tree):
    """Instructions per op of the chain for the gradwidget in `tree`: (large N, N = 10)."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="gradwidget-callgrind-") as directory:
        out = Path(directory) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=builtin_eval"]
        command += ["--dump-after=builtin_eval", f"--callgrind-out-file={out}"]
        command += [sys.executable, __file__, "--tree", str(tree), "--count-chain"]
        subprocess.run(command, env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True, check=True)
        dumps = sorted(Path(directory).glob("callgrind.out.*"), key=lambda path: int(path.suffix[1:]))
        counts = []
        for dump in dumps[-len(COUNTED) :]:  # imports may call eval() too: the last dumps are the chain's
            summary = next(line for line in dump.read_text().splitlines() if line.startswith("summary:"))
            counts.append(int(summary.split()[1]))
    (n1, _), (n3, _), (small, runs) = COUNTED
    return (counts[1] - counts[0]) / (n3 - n1), counts[2] / (small * runs)


def count(against):
    """Instructions per op of this checkout's chain, and of another tree's with --against."""
    trees = {"after": HERE} if against is None else {"before": tree_of(against), "after": HERE}
    counts = {}
    try:
        for name, tree in trees.items():
            print(f"{name:>6}: {tree}" + (f" ({against})" if name == "before" else ""), flush=True)
            counts[name] = instructions_per_op(tree)
    finally:
        if "before" in trees and trees["before"].name.startswith("gradwidget-against-"):
            shutil.rmtree(trees["before"])
    (n1, _), (n3, _), (small, runs) = COUNTED
    print(f"\ninstructions per op (callgrind), forward + backward, gc on; {runs} runs at N = {small}")
    print(f"{'':>14}{f'N {n3:,} - {n1:,}':>16}{f'N = {small}':>12}")
    for name, (large, at_small) in counts.items():
        print(f"{name:>14}{large:>16,.0f}{at_small:>12,.0f}")
    if "before" in counts:
        ratios = [after / before for after, before in zip(counts["after"], counts["before"])]
        print(f"{'after/before':>14}{ratios[0]:>16.3f}{ratios[1]:>12.3f}")


def tree_of(against):
    """The directory of the tree to compare with: `against` itself if it holds gradwidget/, else a
    revision of this repository, its gradwidget/ exported to a temporary directory."""
    if (Path(against) / "gradwidget" / "__init__.py").is_file():
        return Path(against).resolve()
    try:
        archive = subprocess.run(
            ["git", "-C", str(HERE), "archive", against, "gradwidget"], capture_output=True, check=True
        ).stdout
    except subprocess.CalledProcessError as error:
        raise SystemExit(
            f"--against {against}: neither a directory with gradwidget/ nor a revision "
            f"git knows here ({error.stderr.decode().strip()})"
        ) from None
    directory = Path(tempfile.mkdtemp(prefix="gradwidget-against-"))
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(directory, filter="data")
    return directory


def compare(against, sizes, rounds):
    """This checkout against another tree, turn about (see the module's docstring)."""
    trees = {"before": tree_of(against), "after": HERE}
    workers = {
        name: subprocess.Popen(
            [sys.executable, __file__, "--tree", str(tree)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, tree in trees.items()
    }
    for name, tree in trees.items():
        print(f"{name:>6}: {tree}" + (f" ({against})" if name == "before" else ""))
    load_before = os.getloadavg()
    print(
        f"CPU µs per op (forward + backward), the best of {rounds} alternating rounds, each round the "
        "best of several runs\n"
    )
    print(f"{'N':>8}{'before':>10}{'after':>10}{'after/before':>14}")
    try:
        for n in sizes:
            best = dict.fromkeys(workers, float("inf"))
            grads = {}
            for round_ in range(rounds):
                order = list(workers) if round_ % 2 == 0 else list(workers)[::-1]  # neither always first
                for name in order:
                    workers[name].stdin.write(f"{n} {REPEATS[n]}\n")
                    workers[name].stdin.flush()
                    answer = workers[name].stdout.readline().split()
                    if not answer:
                        raise SystemExit(f"the {name} worker stopped (see its error above)")
                    best[name] = min(best[name], float(answer[0]))
                    grads[name] = answer[1]
            if grads["before"] != grads["after"]:  # the same floats, to the last bit
                raise SystemExit(f"the trees disagree on dx at N={n}: {grads}")
            print(
                f"{n:>8,}{best['before']:>10.2f}{best['after']:>10.2f}{best['after'] / best['before']:>14.2f}"
            )
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
        if trees["before"].name.startswith("gradwidget-against-"):  # a revision exported above
            shutil.rmtree(trees["before"])
    load_after = os.getloadavg()
    print(
        f"\nload average (1 min) {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end; "
        f"dx agreed to the last bit at every N"
    )


def verdict(ok):
    return "met    " if ok else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 10,000")
    parser.add_argument("--against", metavar="REV_OR_DIR", help="compare with another tree, turn about")
    parser.add_argument("--rounds", type=int, default=8, help="alternating rounds per N with --against")
    parser.add_argument("--instructions", action="store_true", help="count instructions under callgrind")
    parser.add_argument("--tree", help=argparse.SUPPRESS)  # a worker of --against or --instructions
    parser.add_argument("--count-chain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tree:
        return count_chain() if args.count_chain else serve_chain()
    if args.instructions:
        return count(args.against)
    sizes = [10, 100, 1_000, 10_000] + ([] if args.quick else [100_000])
    if args.against:
        return compare(args.against, sizes[:4], args.rounds)
    big, mid = sizes[-1], 10_000
    sys.setrecursionlimit(1_000_000)

    from micrograd.engine import Value

    dezero = load_dezero()
    engines = {
        "gradwidget": run_gradwidget,
        "DeZero": lambda n: run_dezero(n, dezero),
        "micrograd": lambda n: run_micrograd(n, Value),
    }
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"gradwidget {gw.__version__} from {Path(gw.__file__).parent}"
    )
    print("CPU µs per op (forward + backward), best of several runs, gc on as in normal use\n")
    print(
        f"{'N':>8} " + "".join(f"{name:>12}" for name in engines) + f"{'gw/DeZero':>11}{'gw/micrograd':>14}"
    )
    per_op = {}
    for n in sizes:
        row, grads = {}, {}
        for name, run in engines.items():
            row[name], grads[name] = in_big_stack(best_time, run, n, REPEATS[n])
        if not all(abs(grads["gradwidget"] - g) < 1e-9 for g in grads.values()):
            raise SystemExit(f"engines disagree at N={n}: {grads}")
        per_op[n] = row
        print(
            f"{n:>8,} "
            + "".join(f"{row[name]:>12.2f}" for name in engines)
            + f"{row['gradwidget'] / row['DeZero']:>11.2f}{row['gradwidget'] / row['micrograd']:>14.2f}"
        )

    # gc's full collections walk every live object: the graph, and all that imports made (numpy,
    # matplotlib, ipywidgets: over 100,000 objects here). gc.freeze() takes the latter out of them.
    gc_sizes = sorted({1_000, mid, big})
    gc_modes = {"gc on": {n: per_op[n]["gradwidget"] for n in gc_sizes}, "imports frozen": {}, "gc off": {}}
    for n in gc_sizes:
        gc_modes["gc off"][n] = in_big_stack(best_time, run_gradwidget, n, REPEATS[n], False)[0]
    gc.collect()
    gc.freeze()
    for n in gc_sizes:
        gc_modes["imports frozen"][n] = in_big_stack(best_time, run_gradwidget, n, REPEATS[n])[0]
    gc.unfreeze()
    print("\ngradwidget µs per op with gc on (as above), on with the imports' objects frozen, and off")
    print(f"{'N':>8} " + "".join(f"{mode:>16}" for mode in gc_modes))
    for n in gc_sizes:
        print(f"{n:>8,} " + "".join(f"{times[n]:>16.2f}" for times in gc_modes.values()))
    growth = {mode: times[big] / times[1_000] for mode, times in gc_modes.items()}
    print(
        f"{'growth':>8} " + "".join(f"{g:>15.2f}x" for g in growth.values()) + f"  (N = {big:,} over 1,000)"
    )

    # The engine's design choice, measured: each block's backward is written once with Variables; a plain
    # backward runs it on arrays, create_graph=True on Variables (recorded).
    recorded = in_big_stack(best_time, run_gradwidget_recorded, mid, REPEATS[mid])[0]
    print(
        f"\nbackward on arrays (plain) against on Variables (create_graph=True), forward + backward at "
        f"N = {mid:,}: {per_op[mid]['gradwidget']:.2f} against {recorded:.2f} µs/op"
    )

    floor = best_time(run_numpy_floor, mid, REPEATS[mid])[0]
    print(f"\nfloor at N = {mid:,}, ndarray maths and wrapping alone: {floor:.2f} µs/op")

    print(f"\npeak memory per op (tracemalloc), at N = {big:,} unless said:")
    memory = {}
    for name, run in engines.items():
        # tracemalloc counts every frame on the stack at each allocation, and micrograd's backward recurses
        # once per node: traced at N = 100,000 it takes minutes. Its bytes per op hardly change with N.
        n = mid if name == "micrograd" else big
        memory[name] = in_big_stack(peak_bytes_per_op, run, n)
        print(f"  {name:>10}: {memory[name]:6.0f} bytes/op" + (f" at N = {n:,}" if n != big else ""))

    gw_mid, dz_mid, mg_mid = (per_op[mid][name] for name in engines)
    speedup, times = dz_mid / gw_mid, SPEEDUP_OVER_DEZERO
    print(f"\ntargets (issue 2), at N = {mid:,} unless said:")
    print(
        f"  {verdict(speedup >= times)} at least {times:g}x faster than DeZero: {speedup:.2f}x "
        f"({gw_mid:.2f} against {dz_mid:.2f} µs/op; {times:g}x means {dz_mid / times:.2f} µs/op, "
        f"of which the ndarray floor alone takes {floor:.2f})"
    )
    print(f"  {verdict(gw_mid <= mg_mid)} no slower than micrograd: {gw_mid:.2f} against {mg_mid:.2f} µs/op")
    if big != 100_000:
        print("  (the targets at N = 100,000 are not measured with --quick)")
        return
    print(
        f"  {verdict(growth['gc on'] <= MAX_GROWTH)} per-op cost at N = {big:,} within {MAX_GROWTH:g}x of "
        f"that at N = 1,000: {growth['gc on']:.2f}x with gc on ({growth['imports frozen']:.2f}x with the "
        f"imports' objects frozen, {growth['gc off']:.2f}x with gc off)"
    )
    print(
        f"  {verdict(memory['gradwidget'] < MAX_BYTES_PER_OP)} under {MAX_BYTES_PER_OP} bytes per op at "
        f"N = {big:,}: {memory['gradwidget']:.0f}"
    )


if __name__ == "__main__":
    main()
