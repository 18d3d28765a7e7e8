"""Every slider position, computed ahead: what the page shows at each x, so that a drag paints in one frame
however far away the kernel is.

A `Frame` is everything the page shows for one set of inputs: each Variable's value, each backward step's
gys, gxs, local derivatives and gradient check, the eps error curve, and what failed (a forward or backward
that raised, a check that could not run). `frame_of` makes the live one; a slider's `Table` is a frame for
each position of its grid, packed by the graph's wire.Layout into one float64 buffer.

A graph of the library's elementwise blocks on scalar leaves is worked out for the whole grid in one
vectorised numpy pass (every leaf broadcast to the grid's shape, so that no grad is summed over positions).
A learner's own classes on scalar leaves get the same pass, kept only if the per-position path gives bit
for bit the same numbers at several positions (_verify: the book's Square and Exp are elementwise, a
`math.exp` or an `if x > 0` is not, and only running them tells). Anything else is run position by
position through the same code as a live move, within TIME_BUDGET; beyond it the slider gets a coarser
grid, or none (the page then waits for the kernel at each move, as before), and the page says which.
"""

import contextlib
import io
import math
import time
import warnings
import weakref
from dataclasses import dataclass, field

import numpy as np

from gradwidget.explain import EPSILONS, CheckPlan, eps_errors, step_numbers
from gradwidget.functions import ELEMENTWISE
from gradwidget.messages import Message, words
from gradwidget.trace import ForwardError, inputs_of, outputs_of, says_interrupted
from gradwidget.wire import COLUMNS, Layout

GRID_POSITIONS = 201  # at least this many positions per slider
TIME_BUDGET = 0.05  # seconds of this kernel's CPU per table (see _clock)
WALL_LIMIT = 0.5  # seconds on the wall clock, at most, whatever the CPU: code that sleeps or waits uses none
MIN_POSITIONS = 41  # a coarser grid than this is no help: the slider waits for the kernel instead
PROBE = 3  # positions timed to see what the rest would cost
MAX_TABLE_BYTES = 2_000_000  # per slider: a 100-block stack's table is 1.15 MB, a 1,000-block one 11.6
_NICE = (1.0, 2.0, 2.5, 5.0)  # grid steps are these times a power of ten, so 0.5 or 1.5 sit on the grid


# The budget counts the CPU time this kernel spends, not the time on the wall: on a machine shared by many
# kernels (a class's hub: exactly where the kernel is far away) the wall clock ran 1.5-5 times faster than
# a kernel's share of a core here (2 cores, load 8-13), so a wall budget turned the table off for the
# seed's own classes whenever the neighbours were busy, and on again when they were not. CPU time makes the
# choice a property of the graph; the wall limit still bounds the learner's wait. This thread's CPU:
# process_time costs 21 us a call here, thread_time 2 (a table asks 3 times a position). Tests give both
# clocks one of their own.
_clock = time.thread_time
_wall_clock = time.perf_counter


def _deadline():
    """Whether working a table out has gone on too long: twice TIME_BUDGET of CPU (some positions slower
    than the ones timed), or WALL_LIMIT on the wall clock."""
    cpu, wall = _clock() + 2 * TIME_BUDGET, _wall_clock() + WALL_LIMIT
    return lambda: _clock() > cpu or _wall_clock() > wall


# --- frames ------------------------------------------------------------------------------------------------


@dataclass
class Frame:
    """What the page shows for one set of inputs, before a layout packs it into a row. With a leading
    positions axis on every number, one Frame holds a whole vectorised table."""

    columns: dict  # {column: entries in entry order} for the steps reached (see wire.COLUMNS)
    errors: dict = field(default_factory=dict)  # {"forward": ..., "backward": ..., "checks": ...}, sparse
    order: list = field(default_factory=list)  # the Functions backward went through (a failed one too)
    record: object = None  # the BackwardRecord, or None when a forward failed


def _columns(values, steps, numbers, failed_gys=(), eps_errors=None):
    """A frame's columns from the values, backward's steps and step_numbers' per-input columns."""
    gys = [gy for step in steps for gy in step.gys]
    gys += failed_gys  # a failed backward's gys: what it received before it failed
    return {
        "values": values,
        "gys": gys,
        "gxs": [gx for step in steps for gx in step.gxs],
        **numbers,
        "eps_errors": eps_errors,
    }


def frame_of(graph, function_error, curve_leaf, eps, tolerance, keep=0):
    """The live frame at the graph's current data (its forward already replayed; `function_error` is the
    (function, message) of a forward that failed). Runs the whole backward once, then clears every grad
    (the record keeps them as they were after `keep` steps: see Graph.record_backward)."""
    errors = {}
    if function_error:
        f, message = function_error
        errors["forward"] = {"function": graph.ids[id(f)], "message": words(message)}
        return Frame({"values": [v.data for v in graph.variables]}, errors)
    record = graph.record_backward(keep)
    numbers, check_errors = step_numbers(record.steps, eps, tolerance, plan=_check_plan(graph, record.steps))
    order = [s.function for s in record.steps]
    failed_gys = []
    if record.failure:
        f, message, failed_gys = record.failure
        errors["backward"] = {"step": len(order), "function": graph.ids[id(f)], "message": words(message)}
        order.append(f)
    if check_errors:  # on the wire, as every message: its words in each language
        errors["checks"] = {index: words(message) for index, message in check_errors.items()}
    curve, interrupted = _eps_at(graph, curve_leaf, record)
    if interrupted:
        errors["eps_curve"] = {"message": words(interrupted)}
    values = [v.data for v in graph.variables]
    return Frame(_columns(values, record.steps, numbers, failed_gys, curve), errors, order, record)


_check_plans = weakref.WeakKeyDictionary()  # Graph -> the CheckPlan of its last backward


def _check_plan(graph, steps):
    """The graph's CheckPlan for these steps: made at its first update, again only if its backward changed
    (a failure cut it short, or a longer run); no step is sorted into a batch again for a new x."""
    plan = _check_plans.get(graph)
    if plan is None or not plan.fits(steps):
        plan = _check_plans[graph] = CheckPlan(steps)
    return plan


def interrupted(frame):
    """A kernel interrupt (Ctrl-C) stopped some of the learner's code while this frame was worked out: it
    says so for the live inputs, but it is no answer to keep for a slider position."""
    errors = frame.errors
    messages = [errors[kind]["message"] for kind in ("forward", "backward", "eps_curve") if kind in errors]
    return any(says_interrupted(m) for m in [*messages, *errors.get("checks", {}).values()])


def _eps_at(graph, leaf, record):
    """|numerical_diff - backprop| against eps at the leaf's current value: f at x +- each eps in one pass;
    and, if an interrupt stopped it, what to say (the curve is left out; the rest of the frame stands)."""
    grad = record.leaf_grads.get(id(leaf)) if leaf is not None else None
    if record.failure or grad is None or graph.output.creator is None:
        return None, None
    x = float(np.asarray(leaf.data).reshape(()))
    try:
        moved, _ = graph.evaluate_along(leaf, np.concatenate([x + EPSILONS, x - EPSILONS]))
    except (Exception, KeyboardInterrupt) as error:  # a learner's block that takes only scalars: no curve
        if isinstance(error, KeyboardInterrupt) and getattr(error, "function", None) is None:
            raise  # between two Functions: the widget's own work, rolled back by the widget
        if not isinstance(error.__cause__ if isinstance(error, ForwardError) else error, KeyboardInterrupt):
            return None, None
        f = getattr(error, "function", None)
        where = f"{type(f).__name__}.forward" if f is not None else Message("a_block")
        return None, Message("eps_interrupted", where=where)
    backprop = float(np.asarray(grad).reshape(()))
    return eps_errors(moved[: len(EPSILONS)], moved[len(EPSILONS) :], backprop), None


def can_vectorise(graph):
    """The library's elementwise blocks on scalar leaves: run on a whole grid at once, and trusted to be
    elementwise (each block's rule is tested against its backward, its forward is numpy's)."""
    return (
        graph.is_engine_graph
        and all(type(f) in ELEMENTWISE for f in graph.functions)
        and all(np.shape(leaf.data) == () for leaf in graph.leaves)
    )


def may_vectorise(graph):
    """Any other graph on scalar leaves, a learner's own classes above all: the book's Square and Exp are
    elementwise, an `if x > 0` or a `math.exp` is not, and only running them tells (see _verified_ahead)."""
    return bool(graph.functions) and all(np.shape(leaf.data) == () for leaf in graph.leaves)


class NotVectorisable(Exception):
    pass


def vectorised_frame(graph, slider, xs, curve_leaf, eps, tolerance):
    """The frames of every position in `xs` at once: one forward and one backward pass over arrays of the
    grid's shape, each step's check one numpy call per kind of block (check_positions for a learner's), and
    the eps curve at every position in one more forward pass. The graph's own numbers are put back
    afterwards. Raises NotVectorisable when the grid's arrays do not suit the graph, KeyboardInterrupt when
    a kernel interrupt stopped a learner's code."""
    positions = len(xs)
    saved = [v.data for v in graph.variables]
    try:
        # every leaf on the grid's shape, constants included: a broadcasting block's backward would
        # otherwise sum a constant's grad over all positions (sum_to); of its own dtype, as a live run has it
        for leaf in graph.leaves:
            leaf.data = np.full(positions, leaf.data)
        slider.data = np.array(xs, dtype=float)
        graph.replay_forward()
        if any(np.shape(v.data) != (positions,) for v in graph.variables):
            raise NotVectorisable("a forward that does not give one number per position")
        record = graph.record_backward()
        if record.failure:
            if says_interrupted(record.failure[1]):
                raise KeyboardInterrupt
            raise NotVectorisable(str(record.failure[1]))
        numbers, check_errors = step_numbers(record.steps, eps, tolerance, shape=(positions,))
        if check_errors:
            raise NotVectorisable(check_errors)
        values = [v.data for v in graph.variables]
        curve = None
        grad = record.leaf_grads.get(id(curve_leaf)) if curve_leaf is not None else None
        if grad is not None and graph.output.creator is not None:
            offsets = np.concatenate([EPSILONS, -EPSILONS])
            for leaf in graph.leaves:
                leaf.data = np.repeat(leaf.data[:, None], len(offsets), axis=1)
            curve_leaf.data = curve_leaf.data + offsets
            graph.replay_forward()
            moved = np.broadcast_to(np.asarray(graph.output.data, dtype=float), curve_leaf.data.shape)
            n = len(EPSILONS)
            curve = eps_errors(moved[:, :n], moved[:, n:], np.asarray(grad, dtype=float)[:, None])
        columns = _columns(values, record.steps, numbers, eps_errors=curve)
        return Frame(columns, {}, [s.function for s in record.steps], record)
    except Exception as error:  # whatever the grid's arrays do not suit: position by position instead
        if isinstance(error.__cause__, KeyboardInterrupt):  # in a learner's forward, as a ForwardError
            raise KeyboardInterrupt from error
        raise NotVectorisable(str(error)) from error
    finally:
        for v, data in zip(graph.variables, saved):
            v.data = data
        graph.clear_grads()


# --- grids -------------------------------------------------------------------------------------------------


def grid(low, high, positions=GRID_POSITIONS, most=None):
    """The slider's positions over [low, high]: both ends, and between them the multiples of a round step
    (1, 2, 2.5 or 5 times a power of ten), the largest that gives at least `positions` positions (or, with
    `most`, the smallest that gives at most `most`). Each is the float nearest its decimal value, so that
    0.5 is 0.5 exactly and the kernel's x prints as the slider shows it."""
    span = high - low
    if not (math.isfinite(span) and span > 0):
        return np.array([low], dtype=float)
    wanted = span / (positions - 1) if most is None else span / max(most - 1, 1)
    exponent = math.floor(math.log10(wanted))
    candidates = sorted(n * 10.0**e for e in (exponent - 1, exponent, exponent + 1) for n in _NICE)
    if most is None:
        step = max(c for c in candidates if c <= wanted * (1 + 1e-12))
    else:
        step = min(c for c in candidates if c >= wanted * (1 - 1e-12))
    decimals = max(0, 1 - math.floor(math.log10(step)))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    inside = [round(k * step, decimals) for k in range(first, last + 1)]
    # the ends themselves, in place of a multiple closer to them than half a step
    inside = [x for x in inside if x - low > step / 2 - 1e-12 and high - x > step / 2 - 1e-12]
    return np.array([low, *inside, high], dtype=float)


def grid_step(xs):
    """The grid's round step (its ends may be closer): what the page's note names."""
    return float(f"{np.max(np.diff(xs)):.12g}") if len(xs) > 1 else 0.0


# --- tables ------------------------------------------------------------------------------------------------


@dataclass
class Ahead:
    """One slider's positions worked out, not yet packed: a vectorised frame or a frame per position."""

    leaf: object
    xs: np.ndarray
    held: list
    note: str = None  # None: the whole grid; "coarse": a coarser one (the time budget); "live": none
    frame: Frame = None  # vectorised: every number has a leading positions axis
    frame_errors: dict = field(default_factory=dict)  # vectorised: {position: what failed there}, sparse
    frames: list = None  # position by position
    seconds: float = 0.0

    @property
    def order(self):
        """The longest backward run seen at any position (each run is a prefix of the same order)."""
        if self.frame is not None:
            return self.frame.order
        return max((f.order for f in self.frames or ()), key=len, default=[])

    def pack(self, layout, graph):
        """The Table, in `layout`; a frame that does not fit it (shapes that change with x) leaves the
        slider without one."""
        started = _wall_clock()
        rows, errors, note = None, {}, self.note
        try:
            if self.frame is not None:
                rows = layout.pack(self.frame.columns, positions=len(self.xs))
                errors = {str(p): e for p, e in sorted(self.frame_errors.items())}
            elif self.frames:
                rows = np.stack([layout.pack(f.columns) for f in self.frames])
                errors = {str(p): f.errors for p, f in enumerate(self.frames) if f.errors}
        except ValueError:  # wire.LayoutMismatch
            rows, errors, note = None, {}, "live"
        return Table(
            leaf=graph.ids[id(self.leaf)],
            xs=self.xs,
            held=self.held,
            rows=rows,
            width=layout.width,
            errors=errors,
            note=note,
            seconds=self.seconds + _wall_clock() - started,
        )


@dataclass
class Table:
    """One slider's grid and, for each position, the row the page shows there (None: no table)."""

    leaf: str
    xs: np.ndarray
    held: list
    rows: np.ndarray
    width: int
    errors: dict
    note: str
    seconds: float

    @property
    def nbytes(self):
        return self.xs.nbytes + (0 if self.rows is None else self.rows.nbytes)

    def to_json(self):
        """The table as the page reads it (js/table.js); arrays stay ndarrays until wire.encode."""
        return {
            "leaf": self.leaf,
            "xs": self.xs,
            "step": grid_step(self.xs),
            "held": self.held,
            "width": self.width,
            "rows": None if self.rows is None else self.rows.ravel(),
            "errors": self.errors,
            "note": self.note,
        }


def work_ahead(graph, slider, low, high, curve_leaf, eps, tolerance, held, width_hint):
    """Work out every position of `slider` over [low, high], the other leaves held where they are.

    `width_hint` is the floats per row of the graph's layout (the byte budget decides the grid before
    anything is computed). A learner's code runs position by position within TIME_BUDGET, its output and
    warnings silenced (it would print once per position); a kernel interrupt stops working ahead.
    """
    started = _wall_clock()
    most = MAX_TABLE_BYTES // max(8 * width_hint, 1)
    xs = grid(low, high)
    if len(xs) > most:
        xs = grid(low, high, most=most)
        if len(xs) > most or len(xs) < MIN_POSITIONS:
            return Ahead(slider, grid(low, high), held, note="live")
        note = "coarse"
    else:
        note = None
    quiet = contextlib.ExitStack()
    with quiet, np.errstate(all="ignore"):
        quiet.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        if can_vectorise(graph):
            try:
                frame = vectorised_frame(graph, slider, xs, curve_leaf, eps, tolerance)
            except NotVectorisable:
                pass
            else:
                return Ahead(slider, xs, held, note, frame=frame, seconds=_wall_clock() - started)
        quiet.enter_context(contextlib.redirect_stdout(io.StringIO()))
        quiet.enter_context(contextlib.redirect_stderr(io.StringIO()))
        along = (graph, slider, low, high, xs, curve_leaf, eps, tolerance, held, note)
        ahead = _verified_ahead(*along) if may_vectorise(graph) and not can_vectorise(graph) else None
        if ahead is None:
            ahead = _position_by_position(*along)
    ahead.seconds = _wall_clock() - started
    return ahead


VERIFIED = 7  # positions of a learner's vectorised table worked out again one by one: both ends, 5 between


class OverBudget(Exception):
    """Working a table out took past its deadline: the slider waits for the kernel instead."""


def _verified_ahead(graph, slider, low, high, xs, curve_leaf, eps, tolerance, held, note):
    """A learner's graph worked out for the whole grid in one vectorised pass, kept only if the
    per-position path gives exactly its numbers at several positions (_verify); else None, and the
    caller goes position by position."""
    started = _clock()
    try:
        with graph.untouched():
            frame = vectorised_frame(graph, slider, xs, curve_leaf, eps, tolerance)
            frame_errors = _verify(frame, graph, slider, xs, curve_leaf, eps, tolerance, started)
    except NotVectorisable:
        return None
    except (OverBudget, KeyboardInterrupt):  # too slow, or the learner stopped it: the kernel answers moves
        return Ahead(slider, grid(low, high), held, note="live")
    return Ahead(slider, xs, held, note, frame=frame, frame_errors=frame_errors)


def _verify(frame, graph, slider, xs, curve_leaf, eps, tolerance, started):
    """Compare a vectorised frame with the per-position path at some positions; NotVectorisable if any
    number differs. Returns {position: what failed there} for the table.

    A forward that is not elementwise either fails on the grid's array (`if x > 0`, `math.exp`, a result
    of another shape, such as a sum's) or gives other numbers at some of the positions compared: both ends
    and VERIFIED - 2 spread between them, and every position where a number is not finite (NaN and inf
    take other paths through numpy and through the checks). Those are worked out one by one when the
    budget affords them, and keep what the per-position path says there (why a check could not run); past
    it, a spread few are compared and the page hears why from the kernel's answer, as for library blocks.
    """
    past = _deadline()  # as for the per-position path: beyond it, no table after all
    try:
        numbers = _numbers(frame.columns)
    except ValueError as error:  # entries of other shapes than one number per position
        raise NotVectorisable(str(error)) from error
    not_finite = ~np.isfinite(numbers[0]).all(axis=1)
    costs, frame_errors = [], {}

    def compare(p, keep_errors=False):
        before = _clock()
        live = _frame_at(graph, slider, xs[p], curve_leaf, eps, tolerance)
        costs.append(_clock() - before)
        if not _same_numbers(numbers, p, live, may_fail=not_finite[p]):
            raise NotVectorisable(f"other numbers at x = {xs[p]} than position by position")
        if keep_errors and live.errors:
            frame_errors[int(p)] = live.errors
        if past():
            raise OverBudget

    for p in _spread(len(xs), VERIFIED):
        if not not_finite[p]:
            compare(p)
    bad = np.flatnonzero(not_finite)
    affordable = (TIME_BUDGET - (_clock() - started)) / max(min(costs, default=0.0), 1e-9)
    every = len(bad) <= affordable
    for p in bad if every else bad[_spread(len(bad), VERIFIED)]:
        compare(p, keep_errors=every)
    return frame_errors


def _spread(n, count):
    """`count` indices spread evenly over range(n), both ends included (fewer if n is smaller)."""
    return np.unique(np.linspace(0, n - 1, min(count, n)).round().astype(int))


def _numbers(columns):
    """A frame's numbers as one float64 array, as a row holds them (wire.Layout.pack: a complex number's
    real part), with a leading positions axis if the frame has one; and where its entries are None."""
    entries = [v for name in COLUMNS if name != "eps_errors" for v in _entries(columns.get(name))]
    missing = tuple(i for i, v in enumerate(entries) if v is None)
    arrays = [np.asarray(v) for v in entries if v is not None]
    if columns.get("eps_errors") is not None:
        arrays.extend(np.moveaxis(np.asarray(columns["eps_errors"]), -1, 0))
    numbers = np.array([a.real if a.dtype.kind == "c" else a for a in arrays], dtype=float)
    return numbers.T, (missing, columns.get("eps_errors") is None)


def _entries(column):
    """A column's entries: a list, a float64 array of scalars (CheckPlan's), or none at all."""
    return () if column is None else column


def _same_numbers(numbers, p, frame, may_fail=False):
    """Whether position p of a vectorised frame's `_numbers` is the per-position `frame` at that x, number
    for number and bit for bit (only a NaN's payload may differ: the page shows NaN either way), and that
    frame went through every step. What failed there may only be a check that could not run (`may_fail`:
    where a number is not finite); a forward or backward that fails at one x is not the elementwise code
    the table took it for."""
    if set(frame.errors) - ({"checks"} if may_fail else set()):
        return False
    table, missing = numbers
    try:
        row, row_missing = _numbers(frame.columns)
    except ValueError:  # a number of another shape there (a forward whose output's shape follows x's)
        return False
    if row_missing != missing or row.shape != table[p].shape:
        return False
    a, b = table[p], row
    same = (a == b) & (np.signbit(a) == np.signbit(b))  # 0.0 and -0.0 are written differently on the page
    return bool(np.all(same | (np.isnan(a) & np.isnan(b))))


def _position_by_position(graph, slider, low, high, xs, curve_leaf, eps, tolerance, held, note):
    frames = []
    try:
        # afterwards the live Variables and what a learner's Functions keep on self (self.out) are as before
        with graph.untouched():
            past = _deadline()
            costs = []
            for x in xs[:PROBE]:  # what one position costs, the least of a few: a first call may be slow once
                before = _clock()
                frames.append(_frame_at(graph, slider, x, curve_leaf, eps, tolerance))
                costs.append(_clock() - before)
            each = min(costs)
            if each * len(xs) > TIME_BUDGET:  # the budget affords fewer positions: a coarser grid, or none
                coarse = grid(low, high, most=int(TIME_BUDGET / max(each, 1e-9)))
                if len(coarse) < MIN_POSITIONS:
                    return Ahead(slider, grid(low, high), held, note="live")
                xs, note, frames = coarse, "coarse", frames[:1]  # both grids start at low
            for x in xs[len(frames) :]:
                frames.append(_frame_at(graph, slider, x, curve_leaf, eps, tolerance))
                if past():
                    return Ahead(slider, grid(low, high), held, note="live")
            return Ahead(slider, xs, held, note, frames=frames)
    except KeyboardInterrupt:  # the learner stopped a slow computation: the slider waits for the kernel
        return Ahead(slider, grid(low, high), held, note="live")


def _frame_at(graph, slider, x, curve_leaf, eps, tolerance):
    slider.data = np.full(np.shape(slider.data), x)  # a (1, 1) W stays (1, 1)
    function_error = None
    try:
        graph.replay_forward()
    except ForwardError as error:
        if isinstance(error.__cause__, KeyboardInterrupt):
            raise KeyboardInterrupt from error
        function_error = (error.function, error.message)
    frame = frame_of(graph, function_error, curve_leaf, eps, tolerance)
    if interrupted(frame):  # in a backward, a check or the eps curve: not this position's answer
        raise KeyboardInterrupt
    return frame


def layout_for(graph, order, curve_leaf):
    """The row layout of a graph whose backward runs through `order` (the longest run known): entry shapes
    from the Variables' own shapes, so that it does not depend on any one set of inputs."""
    inputs = [inputs_of(f) for f in order]
    outputs = [outputs_of(f) for f in order]
    gys = [_shape(y) for outs in outputs for y in outs]
    gxs = [_shape(x) for ins in inputs for x in ins]
    local = []
    for ins, outs in zip(inputs, outputs):
        for x in ins:
            try:  # an elementwise local derivative has the shape of the block's broadcast numbers
                local.append(np.broadcast_shapes(_shape(x), *(_shape(y) for y in outs)))
            except ValueError:
                local.append(_shape(x))
    scalars = [()] * len(gxs)
    eps_curve = None
    if curve_leaf is not None and graph.output.creator is not None:
        eps_curve = {"leaf": graph.ids[id(curve_leaf)], "eps": EPSILONS.tolist(), "book_eps": 1e-4}
    shapes = {
        "values": [_shape(v) for v in graph.variables],
        "gys": gys,
        "gxs": gxs,
        "locals": local,
        "numerical": gxs,
        "errors": scalars,
        "flagged": scalars,
        "eps_errors": [()] * len(EPSILONS) if eps_curve else [],
    }
    return Layout(shapes, [(len(o), len(i)) for o, i in zip(outputs, inputs)], eps_curve)


def _shape(v):
    return () if v is None else np.shape(v.data)


def build_tables(widget):
    """Work `widget`'s tables out again from scratch and return them (Table: .xs, .rows, .nbytes,
    .seconds, .note), for benchmarks: bench/latency.py measures the table's size and build time here."""
    return widget._fresh_tables()
