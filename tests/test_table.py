"""Every slider position computed ahead: each table row is what a fresh run at that x gives, the grid, the
budgets, when tables are worked out again and when they are not."""

import contextlib
import io
import math
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gradwidget as gw
from gradwidget import Function, GradWidget, Variable, show
from gradwidget import table as table_module
from gradwidget.functions import BLOCKS
from gradwidget.table import GRID_POSITIONS, MIN_POSITIONS, build_tables, grid
from gradwidget.wire import COLUMNS, layout_from_json
from tests.learners import seed_core
from tests.stacks import engine_run

STACKS = [
    ["square", "exp", "square"],
    [
        "sin",
        "exp",
        "tanh",
        "square",
        "cos",
        "log",
        "neg",
        "exp",
    ],  # log: NaN at negative x, on every node after
]


def table_rows(w, index=0):
    table = w.tables[index]
    return np.asarray(table["rows"]).reshape(len(table["xs"]), table["width"])


def ulps_apart(a, b):
    """How many float64 steps lie between a and b (0 if equal, NaN equal to NaN, inf only to itself)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both_nan = np.isnan(a) & np.isnan(b)
    same = (a == b) | both_nan
    finite = np.isfinite(a) & np.isfinite(b)
    gap = np.where(
        finite, np.abs(a - b) / np.maximum(np.spacing(np.maximum(np.abs(a), np.abs(b))), 1e-320), np.inf
    )
    return np.where(same, 0.0, gap)


def assert_row_matches(row, live, layout, where):
    """A table row against a fresh live row at the same x. A vectorised numpy pass may round differently
    from a scalar one by an ulp (SIMD exp, sin), so values, grads and local derivatives may be 4 ulps
    apart; numbers made from differences at eps (numerical_diff's gx, its error, the eps curve) move by
    about ulp(f) / eps for one ulp of f, so they get that much room, and no more."""
    columns = {name: (layout.read(row, name), layout.read(live, name)) for name in COLUMNS}
    for name in ("values", "gys", "gxs", "locals"):
        got, want = (np.array([float(v) for v in entries]) for entries in columns[name])
        assert (ulps_apart(got, want) <= 4).all(), (where, name, got, want)
    for name in ("numerical", "errors", "flagged", "eps_errors"):
        got, want = (np.array([float(v) for v in entries]) for entries in columns[name])
        assert (np.isnan(got) == np.isnan(want)).all(), (where, name)
        room = 1e-9 * np.maximum(1.0, np.abs(want)) if name != "eps_errors" else 1e-3
        close = (ulps_apart(got, want) <= 4) | (np.abs(got - want) <= room)
        if name == "eps_errors":  # rounding at eps = 1e-12 amplifies one ulp of f by 1e12
            values = np.array([float(v) for v in columns["values"][1]])
            close |= np.abs(got - want) <= 8 * np.spacing(np.nanmax(np.abs(values))) / np.array(
                layout.eps_curve["eps"]
            )
        assert close.all(), (where, name, got, want)


@pytest.mark.parametrize("blocks", STACKS, ids=lambda b: "-".join(b))
def test_every_grid_position_of_a_stack_is_a_fresh_engine_run_at_that_x(blocks):
    w = GradWidget(blocks=blocks, x=0.5)
    table = w.tables[0]
    assert table["note"] is None and table["leaf"] == "v0"
    xs = np.asarray(table["xs"])
    assert len(xs) >= GRID_POSITIONS and xs[0] == w.x_min and xs[-1] == w.x_max
    layout = layout_from_json(w.graph["layout"])
    rows = table_rows(w)
    live = GradWidget(blocks=blocks, x=0.5)  # moved to each x: its live numbers there, one at a time
    for p, x in enumerate(xs):
        variables, steps = engine_run(blocks, x)  # the engine itself, in the graph's variable order
        values = [float(v.data) for v in variables]
        gxs = [float(gx) for step in steps for gx in step.gxs]
        got_values = [float(v) for v in layout.read(rows[p], "values")]
        got_gxs = [float(v) for v in layout.read(rows[p], "gxs")]
        assert (ulps_apart(got_values, values) <= 4).all(), (x, got_values, values)
        assert (ulps_apart(got_gxs, gxs) <= 4).all(), (x, got_gxs, gxs)
        live.x = float(x)
        assert_row_matches(rows[p], live.numbers["row"], layout, f"x = {x}")
        assert table["errors"].get(str(p), {}) == live.numbers["errors"]


def test_the_grid_is_round_numbers_from_end_to_end():
    xs = grid(-2.0, 2.0)
    assert len(xs) == 201 and xs[0] == -2 and xs[-1] == 2
    assert 0.5 in xs and 1.5 in xs and -0.02 in xs  # the nearest floats to the decimals, so 0.5 is 0.5
    odd = grid(-1.2345, 1.7)
    assert odd[0] == -1.2345 and odd[-1] == 1.7 and len(odd) >= 201
    steps = np.diff(odd)
    assert np.allclose(steps[1:-1], 0.01) and (steps > 0.005).all()  # the ends are never a sliver away
    assert len(grid(-1.5, 1.5)) == 301  # step 0.01: the classroom dashboard's range
    assert 201 <= len(grid(0, 100)) <= 401 and 201 <= len(grid(-3, 7.3)) <= 401
    coarse = grid(-2.0, 2.0, most=50)
    assert MIN_POSITIONS <= len(coarse) <= 50 and coarse[0] == -2 and coarse[-1] == 2


def test_constants_are_broadcast_so_their_grads_are_per_position():
    """x * c + c with c a held leaf: c's grads (x, then 1) must not be summed over the grid's positions."""
    x = Variable(np.array(0.5), name="x")
    c = Variable(np.array(0.25), name="c")
    w = show(x * c + c)
    layout = layout_from_json(w.graph["layout"])
    rows = table_rows(w, 0)
    for p, value in enumerate(w.tables[0]["xs"]):
        xv, cv = Variable(np.array(value), name="x"), Variable(np.array(0.25), name="c")
        live = show(xv * cv + cv)
        got = [float(g) for g in layout.read(rows[p], "gxs")]
        want = [float(g) for g in layout.read(live.numbers["row"], "gxs")]
        assert got == pytest.approx(want, rel=1e-15), value


class Cube(Function):
    """A learner's block: worked out position by position, through their own code."""

    calls = 0

    def forward(self, x):
        Cube.calls += 1
        if x < -1:
            raise ValueError("this cube needs x >= -1")
        return x**3

    def backward(self, gy):
        if self.input.data > 1.5:
            return None  # the learner's slip, past 1.5
        return 3 * self.input.data**2 * gy


class FakeClock:
    """The budget's clock, advanced only by the learner's code: no timing in the tests."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(table_module, "_clock", fake)  # the CPU the budget counts
    monkeypatch.setattr(table_module, "_wall_clock", fake)  # and the wall clock's limit
    return fake


@pytest.fixture
def cube_block(clock):
    BLOCKS["cube"] = Cube
    yield
    BLOCKS.pop("cube")


def test_a_learners_block_is_run_at_each_position_and_its_failures_travel_with_their_rows(cube_block):
    w = GradWidget(blocks=["cube", "exp"], x=0.5)
    table = w.tables[0]
    assert table["note"] is None
    layout = layout_from_json(w.graph["layout"])
    assert len(w.graph["steps"]) == 2  # the backward order, though the backward fails at some x
    rows = table_rows(w)
    live = GradWidget(blocks=["cube", "exp"], x=0.5)
    for p, x in enumerate(table["xs"]):
        live.x = float(x)
        assert_row_matches(rows[p], live.numbers["row"], layout, f"x = {x}")
        errors = table["errors"].get(str(p), {})
        assert errors == live.numbers["errors"]
        if x < -1:
            said = "Cube.forward raised ValueError: this cube needs x >= -1"
            assert errors["forward"]["message"]["en"] == said
            assert errors["forward"]["function"] == "f0"
        elif x > 1.5:
            assert (
                errors["backward"]["step"] == 1
                and "Cube.backward returned None" in errors["backward"]["message"]["en"]
            )
        else:  # at x = -1 its check's x - eps is out of the cube's domain: the check says why it cannot run
            assert errors == {} or (
                abs(x + 1) <= 1e-4 and errors["checks"]["1"]["en"] == "ValueError: this cube needs x >= -1"
            )


def test_working_ahead_prints_nothing_and_leaves_the_learners_objects_as_they_were(cube_block, capsys):
    class Loud(Cube):
        def forward(self, x):
            print("forward at", x)
            self.seen = x  # a learner's Function may keep what its forward saw
            return x**3

    BLOCKS["loud"] = Loud
    try:
        w = GradWidget(blocks=["loud"], x=0.5)
    finally:
        BLOCKS.pop("loud")
    printed = capsys.readouterr().out.splitlines()
    assert "forward at 0.5" in printed  # the live run prints as the learner's code says
    for x in w.tables[0]["xs"][:100]:  # no grid position far from the live x printed anything
        assert f"forward at {np.array(x)}" not in printed
    assert w.functions[0].seen == 0.5 and float(w.output.data) == 0.125
    w.run_all()
    assert float(w.input.grad) == 0.75


@pytest.mark.parametrize(("cost", "note"), [(1e-5, None), (1e-4, "coarse"), (5e-3, "live")])
def test_a_slow_learners_block_gets_a_coarser_grid_or_none_and_the_page_is_told(clock, cost, note):
    class Slow(Cube):
        def forward(self, x):
            clock.now += cost  # each call of the learner's forward "takes" `cost` seconds
            return x**3

    BLOCKS["slow"] = Slow
    try:
        w = GradWidget(blocks=["slow", "exp"], x=0.5)
    finally:
        BLOCKS.pop("slow")
    table = w.tables[0]
    assert table["note"] == note
    xs = np.asarray(table["xs"])
    if note is None:
        assert len(xs) >= GRID_POSITIONS and table["rows"] is not None
    elif note == "coarse":
        assert MIN_POSITIONS <= len(xs) < GRID_POSITIONS and table["rows"] is not None
        assert table["step"] > 0.02 and xs[0] == -2 and xs[-1] == 2
    else:  # round trips: the grid stays (the slider snaps to it, the arrows step along it), no rows
        assert len(xs) >= GRID_POSITIONS and table["rows"] is None
    w.x = 0.7  # either way the kernel answers a move
    assert float(w.output.data) == pytest.approx(math.exp(0.343))


def test_a_table_too_big_to_send_is_not_made():
    small, big = GradWidget(blocks=["sin"] * 100), GradWidget(blocks=["sin"] * 1000)
    assert small.tables[0]["note"] is None and small.tables[0]["rows"] is not None
    assert big.tables[0]["note"] == "live" and big.tables[0]["rows"] is None
    (built,) = build_tables(small)
    assert built.nbytes <= table_module.MAX_TABLE_BYTES and built.seconds > 0


def test_tables_travel_only_when_the_graph_a_range_or_eps_changes():
    w = GradWidget(blocks=["square", "exp"], x=0.5)
    tables = w.tables
    w.x = 0.25
    w.step = 2
    w.lang = "ko"
    assert w.tables is tables  # not worked out or sent again for a new x
    w.x_max = 3.0
    assert w.tables is not tables and w.tables[0]["xs"][-1] == 3.0
    tables = w.tables
    w.eps = 1e-3
    assert w.tables is not tables  # the checks in every row use eps
    tables = w.tables
    w.add_block("sin")
    assert w.tables is not tables and w.tables[0]["width"] == w.graph["layout"]["width"]


def three_leaves():
    x = Variable(np.array(0.5), name="x")
    y = Variable(np.array(1.5), name="y")
    z = Variable(np.array(-1.0), name="z")
    return show(gw.sin(x * y) + gw.exp(z * x))


def test_a_graph_with_several_leaves_has_a_table_per_slider_holding_the_others():
    w = three_leaves()
    assert [t["leaf"] for t in w.tables] == w.graph["inputs"]
    assert [t["held"] for t in w.tables] == [[None, 1.5, -1.0], [0.5, None, -1.0], [0.5, 1.5, None]]
    layout = layout_from_json(w.graph["layout"])
    rows = table_rows(w, 1)  # y's table: y moves, x and z held
    for p in (0, 77, len(w.tables[1]["xs"]) - 1):
        y = float(w.tables[1]["xs"][p])
        x_, y_, z_ = (Variable(np.array(v), name=n) for v, n in ((0.5, "x"), (y, "y"), (-1.0, "z")))
        live = show(gw.sin(x_ * y_) + gw.exp(z_ * x_))
        assert_row_matches(rows[p], live.numbers["row"], layout, f"y = {y}")


def test_other_sliders_tables_are_worked_out_again_when_a_slider_is_let_go_not_while_it_moves():
    w = three_leaves()
    before = w.tables
    for y in (1.6, 1.7, 1.8):  # a drag of y, as the page sends it
        w.set_state({"values": [0.5, y, -1.0]})
    assert w.tables is before and float(w.output.data) == pytest.approx(math.sin(0.9) + math.exp(-0.5))
    # the page lets go of y before its last value has reached the kernel: worked out once it has
    w._handle_custom_msg({"type": "release", "slider": 1, "values": [0.5, 1.9, -1.0]}, [])
    assert w.tables is before
    w.set_state({"values": [0.5, 1.9, -1.0]})
    assert w.tables is not before
    assert [t["held"] for t in w.tables] == [[None, 1.9, -1.0], [0.5, None, -1.0], [0.5, 1.9, None]]
    # a change from Python is final: worked out at once
    tables = w.tables
    w.set_value("z", 0.0)
    assert w.tables is not tables and w.tables[0]["held"] == [None, 1.9, 0.0]


def test_a_malformed_release_from_the_page_says_so_and_changes_nothing():
    w = three_leaves()
    tables = w.tables
    w._handle_custom_msg({"type": "release", "slider": 0, "values": "soon"}, [])
    assert "reload the page" in w.error and w.tables is tables
    w._handle_custom_msg({"type": "something else"}, [])
    w._handle_custom_msg(["not", "a", "dict"], [])
    assert w.tables is tables


def test_in_colab_the_numbers_travel_as_json(monkeypatch):
    binary = GradWidget(blocks=["log"], x=0.5)
    monkeypatch.setitem(sys.modules, "google.colab", sys)  # any module: only its name is looked for
    colab = GradWidget(blocks=["log"], x=0.5)
    sent = colab.get_state(["numbers", "tables", "curves"])
    assert isinstance(sent["numbers"]["row"], list) and isinstance(sent["tables"][0]["rows"], list)
    assert isinstance(sent["curves"]["y"], list)
    as_bytes = binary.get_state(["numbers", "tables"])
    assert isinstance(as_bytes["numbers"]["row"], memoryview)

    def numbers(values):
        return [float(v) for v in values]  # "nan", "inf" and "-inf" read as float() reads them

    assert numbers(sent["numbers"]["row"]) == pytest.approx(
        np.frombuffer(as_bytes["numbers"]["row"], "<f8").tolist(), nan_ok=True
    )
    rows = numbers(sent["tables"][0]["rows"])
    assert "nan" in sent["tables"][0]["rows"]  # log at negative x
    assert rows == pytest.approx(np.frombuffer(as_bytes["tables"][0]["rows"], "<f8").tolist(), nan_ok=True)


# --- a learner's own classes, vectorised and verified ------------------------------------------------------


def same_bits(a, b):
    """Every number the same float64, 0.0 and -0.0 told apart; NaN equal to NaN (whatever its payload)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    same = (a == b) & (np.signbit(a) == np.signbit(b))
    return a.shape == b.shape and bool(np.all(same | (np.isnan(a) & np.isnan(b))))


def assert_rows_are_live(w, live, positions=None):
    """Each table row (at `positions`, or all) is, bit for bit, what `live` shows when moved to that x, and
    the table says what failed there as the live frame does."""
    table = w.tables[0]
    rows = table_rows(w)
    for p in range(len(table["xs"])) if positions is None else positions:
        x = float(table["xs"][p])
        live.values = [x if held is None else held for held in table["held"]] if table["held"] else [x]
        assert same_bits(rows[p], live.numbers["row"]), (x, rows[p], live.numbers["row"])
        assert table["errors"].get(str(p), {}) == live.numbers["errors"], x


@pytest.fixture
def paths(monkeypatch):
    """Which way each table was worked out: "vectorised" (verified) or "per position"."""
    taken = []
    verified, per_position = table_module._verified_ahead, table_module._position_by_position

    def vectorised(*args):
        ahead = verified(*args)
        if ahead is not None:
            taken.append("vectorised")
        return ahead

    def one_by_one(*args):
        taken.append("per position")
        return per_position(*args)

    monkeypatch.setattr(table_module, "_verified_ahead", vectorised)
    monkeypatch.setattr(table_module, "_position_by_position", one_by_one)
    return taken


def test_the_seeds_own_classes_get_every_position_in_one_pass_each_row_live(clock, paths, monkeypatch):
    """The seed's Square and Exp, typed by the learner: position by position the budget affords only a
    coarser grid of them (each forward "takes" 0.1 ms here), in one vectorised pass every position."""

    class Square(seed_core.Square):
        def forward(self, x):
            clock.now += 1e-4
            return super().forward(x)

    def graph():
        x = seed_core.Variable(np.array(0.5))
        A, B, C = Square(), seed_core.Exp(), Square()
        return C(B(A(x)))

    w = show(graph())
    assert paths == ["vectorised"]
    table = w.tables[0]
    assert table["note"] is None and len(table["xs"]) == GRID_POSITIONS and table["errors"] == {}
    assert clock.now < table_module.TIME_BUDGET
    assert_rows_are_live(w, show(graph()))
    del paths[:]  # the same classes position by position, as before: the budget affords a coarser grid
    monkeypatch.setattr(table_module, "may_vectorise", lambda graph: False)
    assert show(graph()).tables[0]["note"] == "coarse" and paths == ["per position"]


# A learner's blocks, as the seed writes them (input and output on self): some elementwise, some not.


class Log(seed_core.Function):  # NaN below 0, and a check that cannot run there
    def forward(self, x):
        return np.log(x)

    def backward(self, gy):
        return gy / self.input.data


class Sigmoid(seed_core.Function):  # keeps its output on self for backward, as the book's step 41 does
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, gy):
        return gy * self.out * (1 - self.out)


class Loud(seed_core.Function):  # prints: never while the table is worked out
    def forward(self, x):
        print("Loud.forward", x)
        return 3 * x

    def backward(self, gy):
        return 3 * gy


class MathExp(seed_core.Function):  # takes one number only
    def forward(self, x):
        return np.array(math.exp(x))

    def backward(self, gy):
        return math.exp(self.input.data) * gy


class Relu(seed_core.Function):  # an `if` on x
    def forward(self, x):
        return x if x > 0 else 0 * x

    def backward(self, gy):
        return gy if self.input.data > 0 else 0 * gy


class Centred(seed_core.Function):  # the same shape, but every position's number depends on all the others
    def forward(self, x):
        return 2 * x - np.mean(x)

    def backward(self, gy):
        return gy


class Reversed(seed_core.Function):  # the same shape, the positions in another order
    def forward(self, x):
        return x[::-1] * 1.0 if np.ndim(x) else x * 1.0

    def backward(self, gy):
        return gy * 1.0


class Total(seed_core.Function):  # a sum: one number for all positions
    def forward(self, x):
        return np.sum(x)

    def backward(self, gy):
        return np.ones_like(self.input.data) * gy


class Picky(seed_core.Function):  # raises below -1.5, checked on the whole array at once
    def forward(self, x):
        if np.any(x < -1.5):
            raise ValueError("Picky needs x >= -1.5")
        return x * x

    def backward(self, gy):
        return 2 * self.input.data * gy


ELEMENTWISE_BLOCKS = [seed_core.Square, seed_core.Exp, Log, Sigmoid, Loud]
OTHER_BLOCKS = [MathExp, Relu, Centred, Reversed, Total, Picky]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    blocks=st.lists(st.sampled_from(ELEMENTWISE_BLOCKS + OTHER_BLOCKS), min_size=1, max_size=3),
    positions=st.lists(st.integers(0, GRID_POSITIONS - 1), min_size=1, max_size=4),
)
def test_a_learners_table_is_the_live_frame_at_each_position_vectorised_or_not(
    clock, paths, blocks, positions
):
    """Elementwise blocks get one vectorised pass; any other block (a scalar-only math.exp, an if on x, a
    mean, a reversal, a sum, a raise on the array) must go position by position: never a wrong row."""
    del paths[:]

    def graph():
        x = y = seed_core.Variable(np.array(0.5))
        with np.errstate(all="ignore"):  # the learner's own forward warns as numpy does (Log(Log(0.5)))
            for block in blocks:
                y = block()(y)
        return x, y

    x, y = graph()
    again = graph()[1]
    # the widget's own work never warns, whatever the learner's blocks give (nan, inf) at a position
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            w = show(y)
        lines = printed.getvalue().splitlines()  # the live check and curves print as the learner's code says
        assert not any(f"Loud.forward {np.array(x)}" in lines for x in w.tables[0]["xs"][:100])  # no row
        if all(block in ELEMENTWISE_BLOCKS for block in blocks):
            assert paths == ["vectorised"]
        elif any(block in (MathExp, Relu, Centred, Total) for block in blocks) or blocks.count(Reversed) % 2:
            # (two reversals cancel: the chain is elementwise again, and its table rightly vectorised)
            assert paths == ["per position"]  # (Picky may pass on a grid that stays above -1.5: none here)
        with contextlib.redirect_stdout(io.StringIO()):
            assert_rows_are_live(w, show(again), sorted(set(positions)))
    assert float(np.asarray(x.data)) == 0.5 and y.grad is None  # the learner's own objects as they were


def book_graphs():
    """Graphs of the book's later classes and of the dezero package, each as a function making it anew."""
    from tests.learners import step24_core as b24
    from tests.learners import step32_core as b32

    for name, alias in (("int", int), ("float", float), ("bool", bool)):  # dezero 0.0.13 on numpy 2
        if name not in vars(np):
            setattr(np, name, alias)
    import dezero

    F = dezero.functions
    return {
        "step 24: x / (1 + exp(-x)) ** 3": lambda: (lambda x: x / (1 + b24.exp(-x)) ** 3)(
            b24.Variable(np.array(0.5), name="x")
        ),
        "step 24: matyas(x, y)": lambda: b24.matyas(
            b24.Variable(np.array(0.5), name="x"), b24.Variable(np.array(1.0), name="y")
        ),
        "step 32: sin(x) * x + x": lambda: (lambda x: b32.sin(x) * x + x)(
            b32.Variable(np.array(0.5), name="x")
        ),
        "dezero: tanh(exp(x) - x) / (x + 3)": lambda: (lambda x: F.tanh(F.exp(x) - x) / (x + 3))(
            dezero.Variable(np.array(0.7), name="x")
        ),
        "dezero: log(x) * x": lambda: (lambda x: F.log(x) * x)(dezero.Variable(np.array(0.7), name="x")),
    }


@pytest.mark.parametrize("name", list(book_graphs()))
def test_the_books_later_classes_and_dezeros_are_vectorised_each_row_the_live_one(clock, paths, name):
    make = book_graphs()[name]
    w = show(make())
    assert paths[0] == "vectorised" and w.tables[0]["note"] is None
    assert_rows_are_live(w, show(make()), [0, 1, 37, 100, 149, 163, 200])
