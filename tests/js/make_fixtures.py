"""Write tests/js/fixtures.generated.json from real widgets: what Python sends the page, and what Python
itself says about it, so the page's tests read exactly what the kernel sends (never a hand copy that drifts).

For each fixture: the `graph` trait, the `numbers` trait in both forms (float64 bytes as base64, and Colab's
JSON lists), its `tables` where the test needs them, and Python's own view to compare with: each variable's
value, each step's gys and gxs, `w.checks`, `w.card` at every step in every language, `w.eps_curve`; for a
table, a fresh engine (or live) run at every grid position.

    python tests/js/make_fixtures.py           # write the file
    python tests/js/make_fixtures.py --check   # exit 1 if it is not what Python makes now

Numbers are compared with a tolerance in --check: another CPU's numpy may round exp or sin differently in the
last place, and the eps curve at eps = 1e-12 turns one ulp of f into about 1e-4.
"""

import argparse
import base64
import json
import math
import pathlib
import sys

import numpy as np

import gradwidget as gw
from gradwidget import Function, GradWidget, Variable, show
from gradwidget import table as table_module
from gradwidget.functions import BLOCKS
from gradwidget.messages import LANGUAGES
from gradwidget.wire import encode, read_row

# Run as a script, Python puts this folder on sys.path, not the repository's root that tests.stacks needs
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
from tests.stacks import Root, engine_run  # noqa: E402 - needs the root on sys.path first

PATH = pathlib.Path(__file__).resolve().parent / "fixtures.generated.json"


def number(value):
    """A float as JSON can hold it: the wire's words for the non-finite ones."""
    value = float(value)
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else "inf" if value > 0 else "-inf"


def plain(value):
    """Numbers, arrays and containers of them as JSON: floats (words for non-finite), nested lists."""
    if isinstance(value, dict):
        return {key: plain(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist()) if value.ndim else number(value)
    if isinstance(value, (float, np.floating)):
        return number(value)
    return value


def base64_buffers(value):
    """The binary form: each buffer ipywidgets would send, as {"base64": ...} (a DataView in the tests)."""
    if isinstance(value, memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {key: base64_buffers(v) for key, v in value.items()}
    if isinstance(value, list):
        return [base64_buffers(v) for v in value]
    return value


def sent(w, name, binary=True):
    """A trait as the page receives it: buffers as base64, or (Colab) JSON lists."""
    value = getattr(w, name)
    return base64_buffers(encode(value, True)) if binary else plain(encode(value, False))


def python_view(w):
    """What Python itself says about the numbers it sent: the page must read the same."""
    row = read_row(w.graph, w.numbers)
    ids = [n["id"] for n in w.graph["nodes"] if n["kind"] == "variable"]
    steps = []
    starts = w.graph["layout"]["steps"]
    for index, step in enumerate(w.graph["steps"][: len(w._records)]):
        at = starts[index]
        steps.append(
            {
                "function": step["function"],
                "gys": plain(row["gys"][at["gys"] : at["gys"] + len(step["outputs"])]),
                "gxs": plain(row["gxs"][at["gxs"] : at["gxs"] + len(step["inputs"])]),
                "locals": plain(row["locals"][at["gxs"] : at["gxs"] + len(step["inputs"])]),
            }
        )
    cards = {}
    for lang in LANGUAGES:
        w.lang = lang
        cards[lang] = []
        for k in range(w.n_steps + 1):
            w.step = k
            cards[lang].append(w.card)
    w.step, w.lang = 0, "en"
    return {
        "values": dict(zip(ids, plain(row["values"]))),
        "steps": steps,
        "n_steps": w.n_steps,
        "errors": w.numbers["errors"],
        "checks": plain(w.checks),
        "cards": cards,
        "eps_curve": plain(w.eps_curve),
    }


def fixture(w, tables=False):
    entry = {
        "graph": w.graph,
        "numbers": sent(w, "numbers"),
        "numbers_json": sent(w, "numbers", binary=False),
        "python": python_view(w),
    }
    if tables:
        entry["tables"] = sent(w, "tables")
    return entry


def engine_chain(blocks, x):
    """A fresh engine run of a stack at x: each variable's value, and each step's gys and gxs, in order."""
    variables, steps = engine_run(blocks, x)
    return {
        "values": [number(v.data) for v in variables],
        "gys": [[number(g) for g in s.gys] for s in steps],
        "gxs": [[number(g) for g in s.gxs] for s in steps],
    }


def every_position(w, fresh):
    """Per grid position of the first slider's table: `fresh(x)`, and what the live widget says there: its
    checks (per step, per input [backprop, numerical, error, flagged]), step count and errors."""
    live = GradWidget(blocks=list(w.blocks), x=w.x, x_min=w.x_min, x_max=w.x_max)
    positions = []
    for x in w._tables[0].xs:
        live.x = float(x)
        checks = [
            [
                [number(i["backprop"]), number(i["numerical"]), number(i["error"]), i["flagged"]]
                for i in c["inputs"]
            ]
            for c in live.checks
        ]
        position = {"x": float(x), **fresh(float(x)), "checks": checks, "n_steps": live.n_steps}
        if live.numbers["errors"]:
            position["errors"] = live.numbers["errors"]
        positions.append(position)
    return positions


class Cube(Function):
    """A learner's block with no rule."""

    def forward(self, x):
        return x**3

    def backward(self, gy):
        return 3 * self.input.data**2 * gy


class BadExp(Function):
    """A learner's slip: the backward forgets to multiply by exp(x)."""

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        return gy


def make():
    # The same file on any machine: a learner's code is timed against the budget, so time stands still here.
    table_module._clock = table_module._wall_clock = lambda: 0.0
    fixtures = {}
    chain = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    fixtures["chain"] = fixture(chain, tables=True)
    fixtures["chain"]["positions"] = every_position(
        chain, lambda x: engine_chain(["square", "exp", "square"], x)
    )

    # the backward of dy/dx, stepped to d2y/dx2: its nodes and cards say which backward recorded each
    fixtures["secondOrder"] = fixture(GradWidget(blocks=["square", "exp", "square"], x=0.5, order=2), True)

    x0, x1 = Variable(np.array(3.0)), Variable(np.array(2.0))
    fixtures["tanhPowDiv"] = fixture(show(gw.tanh(gw.pow(gw.div(x0, x1), 3))))
    fixtures["noRuleBroken"] = fixture(show(BadExp()(Cube()(Variable(np.array(-0.5))))))

    x = Variable(np.array(1.0), name="x")
    fixtures["diamond"] = fixture(show(gw.square(x) + gw.exp(x)))
    x = Variable(np.array(2.0), name="x")
    a = gw.square(x)
    fixtures["squareExpDiamond"] = fixture(show(gw.square(a) + gw.exp(a)))
    x, y = Variable(np.array(1.0), name="x"), Variable(np.array(2.0), name="y")
    fixtures["twoLeaves"] = fixture(show(x * y + gw.sin(x)))
    x = Variable(np.array(3.0), name="x")
    fixtures["squareByMul"] = fixture(show(x * x))

    # tensors: y = sum(matmul(x, W) + b), b broadcast over x's rows; and a large array, summarised and sampled
    x = Variable(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), name="x")
    W = Variable(np.array([[0.5, -1.0], [0.25, 2.0], [-0.5, 1.5]]), name="W")
    b = Variable(np.array([0.1, -0.2]), name="b")
    fixtures["tensor"] = fixture(show(gw.sum(gw.matmul(x, W) + b)))
    x = Variable(np.arange(100.0).reshape(10, 10) / 100, name="x")
    fixtures["tensorLarge"] = fixture(show(gw.sum(gw.sin(x))))

    BLOCKS["root"] = Root
    try:
        learner = GradWidget(blocks=["root", "square"], x=1.0)
        fixtures["learner"] = fixture(learner, tables=True)
        fixtures["learner"]["tables_json"] = sent(learner, "tables", binary=False)
        fixtures["learner"]["positions"] = every_position(learner, lambda x: {})
    finally:
        BLOCKS.pop("root")
    return json.loads(json.dumps(fixtures, allow_nan=False))


def same(a, b, where="fixtures"):
    """Equal, but numbers (and the float64s in base64 buffers) only as close as another CPU's numpy gets."""
    if isinstance(a, dict) and isinstance(b, dict) and set(a) == {"base64"} == set(b):
        a, b = (np.frombuffer(base64.b64decode(v["base64"]), "<f8").tolist() for v in (a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return f"{where}: keys {sorted(set(a) ^ set(b))} differ"
        return next((d for k in a if (d := same(a[k], b[k], f"{where}.{k}"))), None)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items, now {len(b)}"
        return next((d for i, (p, q) in enumerate(zip(a, b)) if (d := same(p, q, f"{where}[{i}]"))), None)
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool):
        close = math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-3) or (math.isnan(a) and math.isnan(b))
        return None if close else f"{where}: {a} is now {b}"
    return None if a == b else f"{where}: {a!r:.80} is now {b!r:.80}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args(argv)
    fixtures = make()
    if args.check:
        if not PATH.exists():
            print(f"{PATH} is missing: run python {pathlib.Path(__file__).name}", file=sys.stderr)
            return 1
        difference = same(json.loads(PATH.read_text(encoding="utf-8")), fixtures)
        if difference:
            print(
                f"{PATH.name} is not what Python sends now ({difference}). If the change is meant, run "
                "python tests/js/make_fixtures.py and make the page follow it (npm test).",
                file=sys.stderr,
            )
            return 1
        return 0
    PATH.write_text(
        json.dumps(fixtures, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n", "utf-8"
    )
    print(f"wrote {PATH} ({PATH.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
