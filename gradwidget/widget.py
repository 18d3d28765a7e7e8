"""The widgets: thin glue between the engine (through trace.py) and the page in js/.

Python is the source of truth. The page changes a trait, Python validates it, the engine recomputes, plain
data goes back (the graph's shape in `graph` when it changes, today's numbers in `numbers`, every slider
position worked out ahead in `tables`), and the page redraws. The page paints a slider's move from its
table at once and the kernel follows (coalesced), so at rest the page and the engine's Variables agree. A
rejected change (from Python or from the page) raises a TraitError here, shows its message in the widget's
`error`, and leaves the last good state in place.

GradWidget is a stack of blocks on one x; `show(y)` wraps any graph that ends in y, one slider per leaf.
"""

import contextlib
import inspect
import math
import pathlib
import sys
import weakref

import anywidget
import numpy as np
import traitlets
from traitlets import Bool, Dict, Float, Int, List, TraitError, Unicode, validate

from gradwidget.code import block_hint, graph_code, parse_stack, stack_code
from gradwidget.core import Function, Variable
from gradwidget.explain import card_rules, card_text, parse_rule
from gradwidget.functions import BLOCKS
from gradwidget.messages import LANGUAGES, Message, MessageError, in_language, language_choices, say, words
from gradwidget.table import frame_of, layout_for, work_ahead
from gradwidget.trace import ForwardError, Graph, check_variable_like
from gradwidget.wire import COLUMNS, encode, layout_from_json

_STATIC = pathlib.Path(__file__).parent / "static"
# The page's link to its Python object (js/link.js): a ping gets a pong, so the page knows it is answered;
# after the kernel answers again, the page asks for the whole state back
_PING, _PONG, _RESYNC = "gradwidget:ping", "gradwidget:pong", "gradwidget:resync"
MAX_BLOCKS = 1000  # a sane cap: 1,000 blocks still lay out and step; more is a typo or a runaway loop
CHECK_TOLERANCE = 1e-4  # relative error above which a node's backward is flagged as disagreeing
CURVE_POINTS = 201
# the check's columns in a row of numbers, by the names `checks` gives them
_CHECK_COLUMNS = (
    ("backprop", "gxs"), ("numerical", "numerical"), ("error", "errors"), ("flagged", "flagged"),
)  # fmt: skip

_MISSING_BUNDLE = """
export default { render({ el }) {
  el.textContent = "gradwidget's front end is not built: run pip install -e . (or npm run build).";
} };
"""


def _on_the_wire(value, widget):
    """Arrays go to the page as raw float64 bytes (ipywidgets walks a JSON list number by number, which for
    a table or the curves costs more than computing them), except in Colab, whose widget manager drops the
    binary buffers of every comm but the first (googlecolab/colab-cdn-widget-manager#33): JSON lists there.
    The page reads both."""
    return encode(value, binary=widget._binary)


def _in_colab():
    return "google.colab" in sys.modules


def _plain(value):
    """A number read from a row as a Python float, an array as nested lists."""
    value = np.asarray(value)
    return float(value) if value.ndim == 0 else value.tolist()


def _bundle(name, fallback):
    """The built file's text. Read once here rather than handed to anywidget as a Path: for a Path it keeps
    a file watcher whose signal holds every widget ever made, so no closed widget could be freed."""
    path = _STATIC / name
    return path.read_text(encoding="utf-8") if path.exists() else fallback


class _BackpropWidget(anywidget.AnyWidget):
    """What every gradwidget view shares: the graph, stepping through its backward, and errors."""

    _esm = _bundle("widget.js", _MISSING_BUNDLE)
    _css = _bundle("widget.css", "")

    step = Int(0, help="how many backward steps are done (0 = none, n_steps = all)").tag(sync=True)
    n_steps = Int(0, read_only=True).tag(sync=True)
    playing = Bool(False, help="the page advances `step` by itself at `speed`").tag(sync=True)
    speed = Float(2.0, help="steps per second while playing").tag(sync=True)
    graph = Dict(read_only=True, help="nodes, edges and backward steps, as the page draws them").tag(
        sync=True
    )
    error = Unicode(
        "", read_only=True, help="the last rejected change, in words, in the widget's language"
    ).tag(sync=True)
    error_words = Dict(
        read_only=True,
        help="`error` in every language ({lang: text}): the page shows it in its own, again after a switch",
    ).tag(sync=True)
    lang = Unicode("en", help=f"the language of the page and of Python's messages: {language_choices()}").tag(
        sync=True
    )
    eps = Float(1e-4, help="the step numerical_diff uses in the gradient check").tag(sync=True)
    tolerance = Float(
        CHECK_TOLERANCE, read_only=True, help="relative error above which a node is flagged"
    ).tag(sync=True)
    numbers = Dict(
        read_only=True,
        help="everything the page shows at today's inputs: {'row': float64s laid out by graph['layout'], "
        "'errors': what failed there}",
    ).tag(sync=True, to_json=_on_the_wire)
    tables = List(
        read_only=True,
        help="per slider: its grid, and the row of numbers at each position (the page paints a move at once)",
    ).tag(sync=True, to_json=_on_the_wire)
    curves = Dict(read_only=True, help="f(x) and f'(x) over the first slider's range").tag(
        sync=True, to_json=_on_the_wire
    )
    presenter = Bool(False, help="projector mode: larger type, values hidden until revealed").tag(sync=True)
    predict = Bool(False, help="the learner types each grad before it is revealed").tag(sync=True)

    def __init__(self, **kwargs):
        self._graph = None  # observers wait until the subclass has built its graph, after every trait is set
        self._stepper, self._steps_done = None, 0
        self._records, self._labels = [], {}
        self._shape = self._structure = self._layout = None  # what `graph` was made from, and it
        self._order = []  # the Functions of the longest backward run seen (every run is a prefix of it)
        self._function_error = None  # (function, Message) of a forward that failed at today's inputs
        self._error_message = ""  # what `error` says, to be said again in a new language
        self._table_keys = []  # per slider, what its table was worked out for
        self._curves_for = self._curves_cache = None
        self._binary = not _in_colab()
        super().__init__(**kwargs)
        self.on_msg(_answer_page)
        self.on_msg(self._on_page_message)

    # --- the Python API: everything the page can do ---------------------------------------------------

    def step_forward(self):
        self.step = min(self.step + 1, self.n_steps)

    def step_back(self):
        self.step = max(self.step - 1, 0)

    def run_all(self):
        self.step = self.n_steps

    def reset(self):
        self.step = 0

    def play(self):
        self.playing = True

    def pause(self):
        self.playing = False

    @property
    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def card(self):
        """The derivative card of the current step, as text: the rule with today's numbers."""
        if not self._records:
            return say(self.lang, "card_empty")  # no Function: nothing to step through, so no "press Step"
        if self.step == 0:
            return say(self.lang, "card_none")
        step = self._records[self.step - 1]
        return card_text(step.function, step.gys, step.gxs, self._labels, self.lang)

    @property
    def checks(self):
        """Per Function, in backward order: backprop's gx beside numerical_diff's, flagged if they differ."""
        columns, checks = self._columns(), []
        starts = self.graph["layout"]["steps"]
        check_errors = self.numbers["errors"].get("checks", {})
        for index, step in enumerate(self.graph["steps"][: len(self._records)]):
            if str(index) in check_errors:
                error = check_errors[str(index)]
                checks.append({"function": step["function"], "inputs": [], "flagged": False, "error": error})
                continue
            start = starts[index]["gxs"]
            rows = [
                {name: _plain(columns[column][start + i]) for name, column in _CHECK_COLUMNS}
                for i in range(len(step["inputs"]))
            ]
            for row in rows:
                row["flagged"] = bool(row["flagged"])
            flagged = any(row["flagged"] for row in rows)
            checks.append({"function": step["function"], "inputs": rows, "flagged": flagged, "error": None})
        return checks

    @property
    def eps_curve(self):
        """|numerical_diff - backprop| against eps at the plotted leaf's value, as the page's plot shows it:
        {"eps", "errors", "book_eps", "at"}, or {} where there is none (no slider, a failed backward)."""
        curve = self.graph["layout"]["eps_curve"]
        errors = np.asarray(self._columns()["eps_errors"], dtype=float)
        if curve is None or not len(errors) or np.isnan(errors).all():
            return {}
        nodes = [n["id"] for n in self.graph["nodes"] if n["kind"] == "variable"]
        at = float(self._columns()["values"][nodes.index(curve["leaf"])])
        return {"eps": list(curve["eps"]), "errors": errors.tolist(), "book_eps": curve["book_eps"], "at": at}

    def _columns(self):
        """Today's row of numbers, read by the graph's layout: {column: entries}."""
        layout = self._layout if self._layout is not None else layout_from_json(self.graph["layout"])
        row = self.numbers["row"]
        return {name: layout.read(row, name) for name in COLUMNS}

    def guess(self, value, rel_tol=1e-2):
        """Predict-then-reveal: was `value` the grad the next step sends back? Then that step is revealed
        either way, as on the page, so the learner sees the answer."""
        if self.step >= self.n_steps:
            raise ValueError(say(self.lang, "steps_done"))
        expected = np.asarray(self._records[self.step].gxs[0], dtype=float)
        right = expected.size == 1 and math.isclose(
            float(value), float(expected.reshape(())), rel_tol=rel_tol, abs_tol=1e-9
        )
        self.step_forward()
        return right

    @property
    def output(self):
        """The Variable at the end of the graph: the engine's (or the learner's) own object."""
        return self._graph.output

    @property
    def variables(self):
        """Every Variable of the graph, inputs first, in the order data flows."""
        return list(self._graph.variables)

    @property
    def functions(self):
        """Every Function of the graph, in forward order."""
        return list(self._graph.functions)

    def save_html(self, path, title=None):
        """Write this widget, as it is now, to one self-contained HTML page that needs no kernel; return its
        path. See gradwidget.save_html for several widgets on one page."""
        from gradwidget.export import save_html

        return save_html(path, self, title=title)

    # --- validation -------------------------------------------------------------------------------------

    def _reject(self, message):
        """Refuse a change: show `message` (a Message) and raise it, in the widget's language."""
        self._show_error(message)
        error = TraitError(self.error)
        error.message = message
        raise error

    def _show_error(self, message):
        """`error` and `error_words` say `message` (a Message, its words, a str, or "" for none)."""
        self._error_message = message
        with self.hold_sync():
            self.set_trait("error", in_language(message, self.lang))
            self.set_trait("error_words", words(message) if message else {})

    @validate("step")
    def _valid_step(self, proposal):
        step = proposal["value"]
        if not 0 <= step <= self.n_steps:
            self._reject(Message("step_range", n_steps=self.n_steps, step=step))
        return step

    @validate("lang")
    def _valid_lang(self, proposal):
        if proposal["value"] not in LANGUAGES:
            self._reject(Message("lang_unknown", choices=language_choices(), value=repr(proposal["value"])))
        return proposal["value"]

    @traitlets.observe("lang")
    def _on_lang(self, change):
        if self._error_message:  # an error on screen: in the new language, as everything else on the page
            self.set_trait("error", in_language(self._error_message, self.lang))

    @validate("eps")
    def _valid_eps(self, proposal):
        eps = proposal["value"]
        if not (math.isfinite(eps) and 1e-12 <= eps <= 0.1):
            self._reject(Message("eps_range", eps=eps))
        return eps

    @validate("speed")
    def _valid_speed(self, proposal):
        speed = proposal["value"]
        if not (math.isfinite(speed) and 0.25 <= speed <= 10):
            self._reject(Message("speed_range", speed=speed))
        return speed

    def set_state(self, sync_data):
        """A change from the page: on a TraitError keep the last good state and send it back to the page."""
        try:
            super().set_state(sync_data)
        except TraitError as error:
            self._show_error(getattr(error, "message", None) or str(error))  # traitlets' words as they are
            self.send_state([key for key in sync_data if key in self.keys])

    # --- recomputing ------------------------------------------------------------------------------------

    @traitlets.observe("step")
    def _on_step(self, change):
        if self._graph is not None:
            self._replay_steps()
            self._show_error(self._standing_error())

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _recompute(self, tables="stale"):
        """Replay the forward pass for new inputs, then publish; a failing forward shows on its node."""
        try:
            self._graph.replay_forward()
        except ForwardError as error:
            self._function_error = (error.function, error.message)
        else:
            self._function_error = None
        self._publish(tables)

    @traitlets.observe("eps")
    def _on_eps(self, change):
        if self._graph is not None:
            self._publish()

    def _curve_leaf(self):
        """The leaf the plots move along, and its slider range; None when there is no slider."""
        raise NotImplementedError

    def _sliders(self):
        """Each slider's leaf and range [low, high], in the order of the page's sliders."""
        raise NotImplementedError

    def _held(self, index):
        """The values a slider's table holds the others at (the page uses it only while they still are)."""
        return []

    def _block_names(self):
        return None

    def _curves(self, leaf, low, high):
        """f(x) and f'(x) over the slider's range, vectorised: f over the grid and the grid +- eps (for
        the numerical slope) in one forward pass, then f' in one backward pass."""
        grid = np.linspace(low, high, CURVE_POINTS)
        n, eps = CURVE_POINTS, self.eps
        try:
            moved, _ = self._graph.evaluate_along(leaf, np.concatenate([grid, grid + eps, grid - eps]))
        except Exception:  # a learner's block that only takes scalars: no plots, the rest still works
            return {}
        curves = {
            "x": grid,
            "y": moved[:n],
            "dy_numerical": (moved[n : 2 * n] - moved[2 * n :]) / (2 * eps),
        }
        try:
            _, curves["dy"] = self._graph.evaluate_along(leaf, grid, with_grad=True)
        except (Exception, KeyboardInterrupt) as error:  # a failing backward: f and the numerical slope only
            if isinstance(error, KeyboardInterrupt) and getattr(error, "function", None) is None:
                raise
        return curves

    def _plots(self, record):
        """The curves, recomputed only when what they depend on changed: not for a new x."""
        found = self._curve_leaf()
        if found is None or record is None or self._graph.output.creator is None:
            self._curves_for = None
            return {}
        leaf, low, high = found
        held = tuple(np.asarray(v.data).tobytes() for v in self._graph.leaves if v is not leaf)
        depends_on = (self._graph, low, high, self.eps, held)
        if self._curves_for != depends_on:
            self._curves_for, self._curves_cache = depends_on, self._curves(leaf, low, high)
        return self._curves_cache

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _publish(self, tables="stale"):
        """Send the page the new numbers (and the new shape and tables, if they changed), then bring the
        engine's grads back to the current step.

        tables: "stale" works out again every slider's table that no longer fits (the graph, a range, eps,
        or the values it holds the other sliders at); "keep" leaves a table whose only change is those held
        values (another slider is being dragged: the page does not use it until that slider is released).
        """
        graph = self._graph
        found = self._curve_leaf()
        curve_leaf = found[0] if found else None
        frame = frame_of(graph, self._function_error, curve_leaf, self.eps, CHECK_TOLERANCE)
        self._records = frame.record.steps if frame.record else []
        if self._shape is None or self._shape[0] is not graph:  # a new graph: nothing known about it yet
            self._order, self._table_keys, self._tables = [], [], []
        self._extend_order(frame.order)
        everything = self._relayout(curve_leaf)
        worked = {}
        while True:  # a table's positions may run further through backward than today's x: lay out again
            worked.update(self._work_ahead(tables, curve_leaf, everything, worked))
            for ahead in worked.values():
                self._extend_order(ahead.order)
            if not self._relayout(curve_leaf):
                break
            everything = True
        for index, ahead in worked.items():
            self._tables[index] = ahead.pack(self._layout, graph)
        curves = self._plots(frame.record)
        if self._learners_code and not self._function_error:
            # the last forward the learner's code saw was the curves' or a table's, on other inputs; its
            # backward may read what its forward kept (self.x = x): run it once more at today's inputs
            with contextlib.suppress(Exception, KeyboardInterrupt):
                graph.replay_forward()
        n_steps = len(self._records)  # a failed backward is shown on its node, but cannot be stepped onto
        self._stepper, self._steps_done = None, 0  # record_backward cleared the grads: start again
        with self.hold_sync():
            self.set_trait("graph", self._structure)
            row = self._layout.pack(frame.columns, strict=False)
            self.set_trait("numbers", {"row": row, "errors": frame.errors})
            if worked:
                self.set_trait("tables", [table.to_json() for table in self._tables])
            self.set_trait("curves", curves)
            self.set_trait("n_steps", n_steps)
            if self.step > n_steps:
                self.step = n_steps  # fewer steps now: stay at the last one that still exists
            self._replay_steps()
            self._show_error(self._standing_error())

    def _extend_order(self, order):
        """Every backward run is a prefix of the same order: keep the longest seen."""
        if len(order) > len(self._order):
            self._order = list(order)

    def _relayout(self, curve_leaf):
        """Make the graph's shape and row layout again if what they depend on changed; True if so."""
        graph = self._graph
        # the engine's blocks give shapes that follow from the leaves'; a learner's forward may not
        shapes = () if graph.is_engine_graph else tuple(np.shape(v.data) for v in graph.variables)
        block_names = self._block_names()
        shape = (graph, tuple(block_names or ()), tuple(map(id, self._order)), shapes, id(curve_leaf))
        if shape == self._shape:
            return False
        self._shape = shape
        self._learners_code = any(type(f).__module__ != "gradwidget.functions" for f in graph.functions)
        self._layout = layout_for(graph, self._order, curve_leaf)
        self._structure = graph.structure(
            self._labels, self._order, block_names, self._describe_function, self._layout
        )
        return True

    def _work_ahead(self, policy, curve_leaf, everything, done):
        """The sliders whose tables must be worked out (again), worked out: {index: table.Ahead}."""
        worked = {}
        for index, (leaf, low, high) in enumerate(self._sliders()):
            if index in done:
                continue
            held = self._held(index)
            wanted = ((low, high, self.eps), held)
            if index >= len(self._tables):
                self._tables.append(None)
                self._table_keys.append(None)
            old = self._table_keys[index]
            unchanged = old is not None and old[0] == wanted[0] and (old[1] == held or policy == "keep")
            if unchanged and not everything:
                continue
            worked[index] = self._ahead(index, leaf, low, high, curve_leaf)
            self._table_keys[index] = wanted
        return worked

    def _ahead(self, index, leaf, low, high, curve_leaf):
        width = self._layout.width
        held = self._held(index)
        return work_ahead(self._graph, leaf, low, high, curve_leaf, self.eps, CHECK_TOLERANCE, held, width)

    @np.errstate(all="ignore")
    def _fresh_tables(self):
        """Every slider's table worked out again, as a change would (table.build_tables, for benchmarks)."""
        found = self._curve_leaf()
        curve_leaf = found[0] if found else None
        aheads = [self._ahead(i, *slider, curve_leaf) for i, slider in enumerate(self._sliders())]
        return [ahead.pack(self._layout, self._graph) for ahead in aheads]

    def _on_page_message(self, widget, content, buffers):
        """{"type": "release", "slider": i, "values": [...]}: the page let go of slider i (its range input's
        change event) with the sliders at `values`; the other sliders' tables are worked out again for
        them, once the kernel has those values too."""
        if not isinstance(content, dict) or content.get("type") != "release":
            return
        values = content.get("values")
        if not isinstance(values, list) or not all(isinstance(v, (int, float)) for v in values):
            self._show_error(Message("release_without_values"))
            return
        self._released(values)

    def _released(self, values):
        """A slider let go: a GradWidget's one table holds nothing else (see GraphWidget)."""

    def _describe_function(self, f):
        return {"card": card_rules(f, self._labels)}

    def _standing_error(self):
        """What stays wrong after a good change: a node whose forward or backward failed (its words), else
        nothing."""
        errors = self.numbers.get("errors", {})
        failed = [errors[kind]["message"] for kind in ("forward", "backward") if kind in errors]
        return failed[0] if failed else ""

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _replay_steps(self):
        """Run the backward pass for exactly `step` Functions, so every .grad matches the page.

        Going forward continues the same pass; going back starts it again from the output.
        """
        if self._steps_done > self.step or self._stepper is None:
            self._graph.clear_grads()
            self._stepper = self._graph.backward_steps() if self.step else None
            self._steps_done = 0
        while self._steps_done < self.step:
            next(self._stepper)
            self._steps_done += 1


def _answer_page(widget, content, buffers):
    """The page's link: a pong for each ping; on resync, every trait the page draws from, sent again."""
    kind = content.get("type") if isinstance(content, dict) else None
    if kind == _PING:
        widget.send({"type": _PONG})
    elif kind == _RESYNC:
        widget.send_state([key for key in widget.keys if not key.startswith("_") and key != "layout"])


_live_stacks = weakref.WeakSet()  # so that register_block reaches the palettes already on screen


class GradWidget(_BackpropWidget):
    """Stack blocks, slide x, and step through backprop one Function at a time.

    >>> w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    >>> w.run_all(); float(w.input.grad)
    3.297442541400256
    """

    x = Float(0.5, help="the input value").tag(sync=True)
    x_min = Float(-2.0, help="left end of the x slider").tag(sync=True)
    x_max = Float(2.0, help="right end of the x slider").tag(sync=True)
    blocks = List(Unicode(), default_value=["square", "exp", "square"]).tag(sync=True)
    palette = List(Unicode(), read_only=True, help="block names the page offers").tag(sync=True)
    code = Unicode("", help="the stack as Python, e.g. y = square(exp(square(x))); editable").tag(sync=True)

    def __init__(self, blocks=None, x=0.5, **kwargs):
        if blocks is not None:
            kwargs["blocks"] = blocks
        if "code" in kwargs:
            kwargs["blocks"] = self._parse_code(kwargs.pop("code"))
        super().__init__(x=x, **kwargs)
        self.set_trait("palette", sorted(BLOCKS))
        _live_stacks.add(self)
        try:
            self._build()
        except ForwardError as error:
            raise TraitError(error.message.text(self.lang)) from error

    @classmethod
    def from_code(cls, code, **kwargs):
        """GradWidget.from_code("y = square(exp(square(x)))", x=0.5): the stack that expression builds."""
        return cls(code=code, **kwargs)

    @property
    def input(self):
        """The x Variable."""
        return self._graph.variables[0]

    @property
    def inputs(self):
        return [self.input]

    def _curve_leaf(self):
        return self.input, self.x_min, self.x_max

    def _sliders(self):
        return [(self.input, self.x_min, self.x_max)]

    def _block_names(self):
        return list(self.blocks)

    @traitlets.observe("x_min", "x_max")
    def _on_range(self, change):
        if self._graph is not None:
            self._publish()

    def add_block(self, name, index=None):
        blocks = list(self.blocks)
        blocks.insert(len(blocks) if index is None else index, name)
        self.blocks = blocks

    def remove_block(self, index):
        blocks = list(self.blocks)
        del blocks[index]
        self.blocks = blocks

    def move_block(self, old_index, new_index):
        blocks = list(self.blocks)
        blocks.insert(new_index, blocks.pop(old_index))
        self.blocks = blocks

    @validate("x")
    def _valid_x(self, proposal):
        x = proposal["value"]
        if not math.isfinite(x):
            self._reject(Message("x_not_finite", x=x))
        if not self.x_min <= x <= self.x_max:
            wider = {"wider_max": max(x, self.x_max), "wider_min": min(x, self.x_min)}
            self._reject(Message("x_outside", x=x, low=self.x_min, high=self.x_max, **wider))
        return x

    @validate("x_min", "x_max")
    def _valid_range(self, proposal):
        value = proposal["value"]
        name = proposal["trait"].name
        if not math.isfinite(value):
            self._reject(Message("not_finite", name=name, value=value))
        low = value if name == "x_min" else self.x_min
        high = value if name == "x_max" else self.x_max
        if not low < high:
            self._reject(Message("range_order", low=low, high=high))
        return value

    @validate("blocks")
    def _valid_blocks(self, proposal):
        blocks = proposal["value"]
        if len(blocks) > MAX_BLOCKS:
            self._reject(Message("too_many_blocks", count=len(blocks), most=MAX_BLOCKS))
        for position, name in enumerate(blocks, start=1):
            if name not in BLOCKS:
                said = {"name": repr(name), "position": position, **block_hint(name, BLOCKS)}
                self._reject(Message("unknown_block_at", **said))
        return blocks

    @validate("code")
    def _valid_code(self, proposal):
        if proposal["value"] != stack_code(self.blocks):  # the code _build wrote needs no parsing
            self._parse_code(proposal["value"])
        return proposal["value"]

    def _parse_code(self, code):
        try:
            return parse_stack(code, BLOCKS)
        except MessageError as error:
            self._reject(error.message)

    @traitlets.observe("code")
    def _on_code(self, change):
        if self._graph is not None and change["new"] != stack_code(self.blocks):
            blocks = parse_stack(change["new"], BLOCKS)
            if blocks != list(self.blocks):
                self.blocks = blocks  # rebuilds, and writes the code back in its usual form
            else:
                self.code = stack_code(blocks)  # the same stack, typed differently

    @traitlets.observe("blocks")
    def _on_blocks(self, change):
        if self._graph is not None:
            try:
                self._build()
            except ForwardError as error:
                self.set_trait("blocks", change["old"])  # rebuilds the last good stack
                self._reject(error.message)

    @traitlets.observe("x")
    def _on_x(self, change):
        if self._graph is not None:
            self.input.data = np.array(self.x)
            self._recompute()

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _build(self):
        x = Variable(np.array(self.x), name="x")
        y = x
        for name in self.blocks:
            f = BLOCKS[name]()
            try:
                y = f(y)
            except (Exception, KeyboardInterrupt) as error:  # a learner's registered block
                said = {
                    "name": type(f).__name__,
                    "kind": type(error).__name__,
                    "error": str(error),
                    "x": self.x,
                }
                raise ForwardError(Message("forward_raised_at", **said), function=f) from error
        self._graph = Graph(y)
        self._labels = self._graph.labels()
        for v in self._graph.variables:  # the book's names on the engine's own objects: x, a, b, ..., y
            v.name = self._labels[id(v)]
        self._function_error = None  # every block's forward just ran
        self.set_trait("code", stack_code(self.blocks))
        self._publish()


class GraphWidget(_BackpropWidget):
    """Any graph that ends in a Variable, one slider per leaf. Made by `show(y)`."""

    values = List(Float(), help="each leaf's value, in the order of `names`").tag(sync=True)
    code = Unicode("", read_only=True, help="the Python that builds this graph, one line per Function").tag(
        sync=True
    )
    names = List(Unicode(), read_only=True, help="each leaf's label, as its slider is named").tag(sync=True)
    ranges = List(List(Float()), help="each leaf's slider range [min, max]").tag(sync=True)

    def __init__(self, output, ranges=None, **kwargs):
        super().__init__(**kwargs)
        graph = Graph(output)
        self._labels = labels = graph.labels()
        self._leaves = [leaf for leaf in graph.leaves if np.asarray(leaf.data).size == 1]  # with a slider
        self._release_wanted = None  # the values a released slider left the others at, on their way
        self.set_trait("names", [labels[id(leaf)] for leaf in self._leaves])
        values = [float(np.asarray(leaf.data).reshape(())) for leaf in self._leaves]
        if ranges is None:
            ranges = [[min(-2.0, v - 1.0), max(2.0, v + 1.0)] for v in values]
        self.ranges = ranges
        self.values = values
        self._graph = graph  # from here on, moving a slider replays the graph
        self.set_trait("code", graph_code(graph, labels))
        self._publish()

    @property
    def inputs(self):
        """The leaves of the graph: the Variables no Function made."""
        return list(self._graph.leaves)

    def _curve_leaf(self):
        if not self._leaves:
            return None
        return self._leaves[0], *self.ranges[0]

    def _sliders(self):
        return [(leaf, *pair) for leaf, pair in zip(self._leaves, self.ranges)]

    def _held(self, index):
        return [None if i == index else value for i, value in enumerate(self.values)]

    def _released(self, values):
        """The page let go of a slider: the other sliders' tables hold it at its new value now (or as
        soon as the kernel has that value: the last move may still be on its way)."""
        if values == list(self.values):
            self._release_wanted = None
            self._recompute(tables="stale")
        else:
            self._release_wanted = values

    @traitlets.observe("ranges")
    def _on_ranges(self, change):
        if self._graph is not None:
            self._publish()

    @validate("values")
    def _valid_values(self, proposal):
        values = proposal["value"]
        if len(values) != len(self._leaves):
            self._reject(Message("values_count", names=", ".join(self.names), count=len(values)))
        for name, value, (low, high) in zip(self.names, values, self.ranges):
            if not math.isfinite(value):
                self._reject(Message("not_finite", name=name, value=value))
            if not low <= value <= high:
                self._reject(Message("value_outside", name=name, value=value, low=low, high=high))
        return values

    @validate("ranges")
    def _valid_ranges(self, proposal):
        ranges = proposal["value"]
        if len(ranges) != len(self._leaves):
            self._reject(Message("ranges_count", names=", ".join(self.names)))
        for name, pair in zip(self.names, ranges):
            if len(pair) != 2 or not all(map(math.isfinite, pair)) or not pair[0] < pair[1]:
                self._reject(Message("range_pair", name=name, pair=pair))
        return ranges

    @traitlets.observe("values")
    def _on_values(self, change):
        if self._graph is None:
            return
        for leaf, value in zip(self._leaves, self.values):
            leaf.data = np.array(value)
        # A drag on the page sends a slider's values many times: the other sliders' tables are worked out
        # again once it is released (_released), not for every move. A change from Python is final.
        dragging = "values" in self._property_lock and self._release_wanted != list(self.values)
        self._release_wanted = None if not dragging else self._release_wanted
        self._recompute(tables="keep" if dragging else "stale")

    def set_value(self, name, value):
        """Move one slider by its name: w.set_value("x0", 1.5)."""
        if name not in self.names:
            raise KeyError(say(self.lang, "no_slider", name=repr(name), names=", ".join(self.names)))
        values = list(self.values)
        values[self.names.index(name)] = float(value)
        self.values = values


def show(y, ranges=None):
    """A widget for any graph that ends in y: every leaf gets a slider; step through backward as with blocks.

    y may be a gradwidget Variable or the learner's own, book-style (data, grad, creator).
    """
    check_variable_like(y)
    return GraphWidget(y, ranges=ranges)


def register_block(name, function_class, rule=None):
    """Offer a learner's Function in the palette of block-stack widgets: register_block("cube", Cube)."""
    if not (isinstance(name, str) and name.isidentifier()):
        raise ValueError(f"A block name must be a Python identifier like 'cube'; got {name!r}.")
    if not (inspect.isclass(function_class) and issubclass(function_class, Function)):
        raise TypeError(
            f"register_block needs a Function subclass (class Cube(Function): ...), got {function_class!r}."
        )
    if not callable(getattr(function_class, "backward", None)):
        raise TypeError(f"{function_class.__name__} needs a backward(self, gy) method.")
    if rule is not None:
        rules = (rule,) if isinstance(rule, str) else tuple(rule)
        for text in rules:
            parse_rule(text)  # a ValueError that says what a rule may contain
        function_class.rule = rule
    BLOCKS[name] = function_class
    for widget in list(_live_stacks):
        widget.set_trait("palette", sorted(BLOCKS))
