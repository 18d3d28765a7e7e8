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
import gc
import inspect
import json
import keyword
import math
import pathlib
import sys
import weakref

import anywidget
import numpy as np
import traitlets
from traitlets import Bool, Dict, Float, Int, List, TraitError, Unicode, validate

from gradwidget.code import block_hint, graph_code, parse_stack, stack_code
from gradwidget.core import BackwardError, Function, Variable, _needs_variables, backward_steps
from gradwidget.explain import card_rules, card_text, checked_elements, order_note, parse_rule
from gradwidget.functions import BLOCKS
from gradwidget.messages import LANGUAGES, Message, MessageError, in_language, language_choices, say, words
from gradwidget.table import frame_of, layout_for, work_ahead
from gradwidget.trace import (
    ForwardError,
    Graph,
    GraphState,
    check_inputs_unchanged,
    check_variable_like,
    failure_message,
    input_copies,
    inputs_of,
    says_interrupted,
)
from gradwidget.wire import COLUMNS, encode, layout_from_json

_STATIC = pathlib.Path(__file__).parent / "static"
# The page's link to its Python object (js/link.js): a ping gets a pong, so the page knows it is answered;
# after the kernel answers again, the page asks for the whole state back
_PING, _PONG, _RESYNC = "gradwidget:ping", "gradwidget:pong", "gradwidget:resync"
MAX_BLOCKS = 1000  # a sane cap: 1,000 blocks still lay out and step; more is a typo or a runaway loop
MAX_SLIDERS = 8  # more sliders than this are no help to a learner: see slider_leaves
CHECK_TOLERANCE = 1e-4  # relative error above which a node's backward is flagged as disagreeing
CURVE_POINTS = 201
# the check's columns in a row of numbers, by the names `checks` gives them
_CHECK_COLUMNS = (
    ("backprop", "gxs"), ("numerical", "numerical"), ("error", "errors"), ("flagged", "flagged"),
)  # fmt: skip
LIBRARY_BLOCKS = frozenset(BLOCKS)  # the blocks gradwidget ships: register_block replaces one only if asked

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


def default_range(value):
    """The slider range for a value whose range the caller did not give: [-2, 2], widened to hold the
    value with 1 to spare."""
    return [min(-2.0, value - 1.0), max(2.0, value + 1.0)]


class _Float(Float):
    """A Float trait for the sliders' numbers (x, its range, a show(y) widget's values and ranges):

    - a too-large integer is a TraitError too (traitlets lets float()'s OverflowError through, which the
      page's messages would swallow): w.x = 10**400;
    - -0.0 is 0.0. traitlets sees no change from one to the other (they are ==), so an x kept at -0.0 stayed
      there when the page set 0.0, and log's grad was -inf where the page shows x = 0 and a fresh run gives
      inf. Here, not in a @validate: a page message's writes are held, and a write that is no change is
      stored without the cross-validators ever seeing it."""

    def validate(self, obj, value):
        try:
            value = super().validate(obj, value)
        except OverflowError:
            digits = int(value.bit_length() * math.log10(2)) + 1  # str() of such an int may itself fail
            message = Message("float_too_big", name=self.name or "x", digits=f"{digits:,}")
            raise _trait_error(message) from None
        return value + 0.0 if value == 0 else value


def _trait_error(message, lang="en"):
    """A TraitError in `lang` that keeps its Message (or str) as `message`, for a widget to say in its own
    language (see _BackpropWidget._show_error)."""
    error = TraitError(in_language(message, lang))
    error.message = message
    return error


@contextlib.contextmanager
def _collector_paused():
    """Showing a big graph makes hundreds of thousands of objects that all stay: the cyclic garbage
    collector's passes over the whole heap meanwhile are pure cost (a quarter of show(y) at 10,000 ops).
    Reference counting frees what it always frees; the collector runs again afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _true_or_false_for_a_number(trait, value):
    """Whether a page's value has a JSON true or false where `trait` holds numbers: traitlets' Int and
    Float take a bool as 1 or 0 (step = true would be step 1), but from the page it is no number."""
    if isinstance(trait, Int | Float):
        return isinstance(value, bool)
    if isinstance(trait, List) and isinstance(value, list):  # a show(y) widget's values and ranges
        return any(_true_or_false_for_a_number(trait._trait, item) for item in value)
    return False


def _short(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bundle(name, fallback):
    """The built file's text. Read once here rather than handed to anywidget as a Path: for a Path it keeps
    a file watcher whose signal holds every widget ever made, so no closed widget could be freed."""
    path = _STATIC / name
    return path.read_text(encoding="utf-8") if path.exists() else fallback


_graph_widgets = weakref.WeakSet()  # show(y)'s widgets, to find those showing the same graph
_live_stacks = weakref.WeakSet()  # so that register_block reaches the palettes already on screen


class _BackpropWidget(anywidget.AnyWidget):
    """What every gradwidget view shares: the graph, stepping through its backward, and errors."""

    _esm = _bundle("widget.js", _MISSING_BUNDLE)
    _css = _bundle("widget.css", "")

    step = Int(0, help="how many backward steps are done (0 = none, n_steps = all)").tag(sync=True)
    n_steps = Int(0, read_only=True).tag(sync=True)
    playing = Bool(False, help="the page advances `step` by itself at `speed`").tag(sync=True)
    speed = _Float(2.0, help="steps per second while playing").tag(sync=True)
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
    eps = _Float(1e-4, help="the step numerical_diff uses in the gradient check").tag(sync=True)
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
    order = Int(1, help="1: step the backward of y; 2: step the backward of dy/dx, to d2y/dx2").tag(sync=True)
    predict = Bool(False, help="the learner types each grad before it is revealed").tag(sync=True)

    # The traits the page may write; every other synced trait (n_steps, graph, numbers, error, ...) is
    # Python's, and a page message writing one is refused and answered with the true value.
    _PAGE_WRITES = frozenset({"step", "playing", "speed", "lang", "eps", "presenter", "predict"})
    # A good change makes the last refusal old news, but a new language says it again in that language.
    _KEEPS_ERROR = frozenset({"lang"})
    # What a recompute may change, saved by _flush to be put back if it fails or is interrupted.
    _PUBLISHED = ("graph", "numbers", "tables", "curves", "n_steps", "error", "error_words")
    _INTERNALS = (
        "_graph", "_labels", "_records", "_shape", "_structure", "_layout", "_order", "_function_error",
        "_tables", "_table_keys", "_learners_code", "_curves_for", "_curves_cache", "_stepper",
        "_steps_done", "_step_problem", "_plot_problem", "_leaf_ids", "_error_message",
    )  # fmt: skip

    def __init__(self, **kwargs):
        self._graph = None  # observers wait until the subclass has built its graph, after every trait is set
        self._stepper, self._steps_done = None, 0
        self._records, self._labels = [], {}
        self._shape = self._structure = self._layout = None  # what `graph` was made from, and it
        self._order = []  # the Functions of the longest backward run seen (every run is a prefix of it)
        self._function_error = None  # (function, Message) of a forward that failed at today's inputs
        self._error_message = ""  # what `error` says (a Message, its words or a str), said again on a switch
        self._tables, self._table_keys = [], []  # per slider, its table and what it was worked out for
        self._learners_code = False  # some Function is not the library's: its forward may keep state
        self._keep_tables = False  # the inputs change is a drag: tables that only hold other values stay
        self._curves_for = self._curves_cache = None
        self._step_problem = self._plot_problem = None  # a step or plot that failed or was interrupted
        self._leaf_ids = frozenset()  # the graph's leaves, to find other widgets showing them
        self._pending, self._undo, self._batch_depth = set(), {}, 0  # see _changed
        self._failure = None  # id() of the last exception _flush has put into `error`
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
        text = card_text(step.function, step.gys, step.gxs, self._labels, self.lang)
        recorder = self._graph.recorded.get(id(step.function))
        by = type(recorder).__name__ if recorder is not None else None
        note = order_note(type(step.function).__name__, by, self._graph.order == 2, self.lang)
        return f"{note}\n{text}" if note else text

    @property
    def checks(self):
        """Per Function, in backward order: backprop's gx beside numerical_diff's, flagged if they differ.
        Each input's row says which elements were checked ("checked": index tuples; None for all of them)."""
        columns, checks = self._columns(), []
        starts = self.graph["layout"]["steps"]
        check_errors = self.numbers["errors"].get("checks", {})
        for index, step in enumerate(self.graph["steps"][: len(self._records)]):
            if str(index) in check_errors:
                error = in_language(check_errors[str(index)], self.lang)
                checks.append({"function": step["function"], "inputs": [], "flagged": False, "error": error})
                continue
            start = starts[index]["gxs"]
            rows = [
                {name: _plain(columns[column][start + i]) for name, column in _CHECK_COLUMNS}
                for i in range(len(step["inputs"]))
            ]
            for row, checked in zip(rows, step.get("checked") or [None] * len(rows)):
                row["flagged"] = bool(row["flagged"])
                row["checked"] = None if checked is None else [tuple(index) for index in checked]
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
        raise _trait_error(message, self.lang)

    def _show_error(self, message):
        """`error` and `error_words` say `message` (a Message, its words, a str, or "" for none)."""
        self._error_message = message
        text, said = in_language(message, self.lang), words(message) if message else {}
        if text == self.error and said == self.error_words:
            return  # said already (at every update with nothing wrong: ""), nothing to write or send
        with self.hold_sync():
            self.set_trait("error", text)
            self.set_trait("error_words", said)

    def __setattr__(self, name, value):
        """A rejected write from Python shows in `error` too (so on the page), traitlets' own type errors
        included, with an example of a good value."""
        try:
            super().__setattr__(name, value)
        except TraitError as error:
            message = self._explained(name, error)
            self._show_error(message)
            raise _trait_error(message, self.lang) from None
        if (
            name in self._PAGE_WRITES
            and name not in self._KEEPS_ERROR
            and self._graph is not None
            and not self._batch_depth
        ):
            self._show_error(self._standing_error())  # a good change: the last refusal is old news

    def _explained(self, name, error):
        """A refusal's words: its Message (a validator's, or _Float's), or traitlets' own message for a
        value of the wrong type with an example of the right one."""
        message = getattr(error, "message", None)
        if isinstance(message, Message):
            return message
        message = str(error)
        trait = self.traits().get(name)
        if trait is None or "expected" not in message or trait.read_only:
            return message
        return Message("type_example", error=message, name=name, example=repr(trait.default_value))

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
        """A message from the page. The front end merges saves made while one is in flight, so a message
        may carry several traits, in any order: they are validated together (each as if the others were
        already set), applied all or none, and the work they need is done once, in dependency order (the
        graph first, then its inputs, then the step). Writes to Python's own traits are refused. Whatever
        is refused, the page is sent the true values back; the kernel never raises to the page."""
        known = [name for name in sync_data if name in self.keys]
        refused = [name for name in known if name not in self._PAGE_WRITES]
        writes = {name: sync_data[name] for name in known if name not in refused}
        try:
            with self.hold_sync():  # one message back, whatever the work changes
                traits = self.traits()
                for name, value in writes.items():  # traitlets' own type errors, named by their trait
                    if _true_or_false_for_a_number(traits[name], value):
                        sent = json.dumps(value)  # as the page wrote it: true, [true, 0.5]
                        sent = sent if len(sent) <= 40 else sent[:39] + "…"
                        example = repr(getattr(self, name))
                        raise _trait_error(Message("page_bool", name=name, value=sent, example=example))
                    from_json = self.trait_metadata(name, "from_json", self._trait_from_json)
                    try:
                        traits[name].validate(self, from_json(value, self))
                    except TraitError as error:
                        raise _trait_error(self._explained(name, error)) from None
                with self._batch():
                    super().set_state(writes)  # echoes, locks and validates the whole, as ipywidgets does
        except (Exception, KeyboardInterrupt) as error:  # the page cannot be raised to: say it, resync
            if not isinstance(error, TraitError | KeyboardInterrupt):
                self.log.warning("gradwidget could not apply %r", writes, exc_info=True)
            if id(error) != self._failure:  # _flush has said what failed, and where
                self._show_error(self._message_for(error))
            self.send_state(known)
            return
        if not refused:
            if set(writes) - self._KEEPS_ERROR:
                self._show_error(self._standing_error())  # a good change: the last refusal is old news
            return
        key = "page_cannot_set_one" if len(refused) == 1 else "page_cannot_set_many"
        self._show_error(Message(key, names=", ".join(refused)))
        self.send_state(refused)

    @staticmethod
    def _message_for(error, change=None):
        """What a change that failed says: a refusal its own words, an interrupt or a bug in gradwidget
        that the widget stays as it was. `change` is what was being applied (e.g. "x = 0.7")."""
        change = change or Message("this_change")
        if isinstance(error, TraitError):
            return getattr(error, "message", None) or str(error)
        if isinstance(error, KeyboardInterrupt):
            return Message("change_interrupted", change=change)
        return Message("change_bug", change=change, kind=type(error).__name__, error=str(error))

    # --- recomputing: observers note their work, _flush does it ------------------------------------------

    def _changed(self, change, work):
        """An observer's part: note the `work` a change needs ("build", "inputs", "publish" or "step"), and
        the value to go back to should it fail. The work is done now, or at the end of the outermost
        _batch, once for all the changes made in it."""
        if self._graph is None:  # still being constructed: __init__ builds once every trait is set
            return
        self._undo.setdefault(change["name"], change["old"])
        self._pending.add(work)
        if not self._batch_depth:
            self._flush()

    @contextlib.contextmanager
    def _batch(self):
        """Trait writes inside only note their work (see _changed); it is done once when the outermost batch
        ends. If the block raises, its writes are undone and none of the work is done."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if not self._batch_depth:
                self._revert()
            raise
        self._batch_depth -= 1
        if not self._batch_depth:
            self._flush()

    def _revert(self):
        """Put back every trait the batch changed, doing none of the work its changes asked for."""
        undo, self._undo = self._undo, {}
        self._batch_depth += 1
        try:
            for name, value in undo.items():
                self.set_trait(name, value)
        finally:
            self._batch_depth -= 1
            self._pending, self._undo = set(), {}

    def _flush(self):
        """Do the noted work, the most a change needs standing for the rest: rebuild the graph, or replay
        it for new inputs, or publish again (a new range or eps), or only step. All or nothing: if the work
        fails or is interrupted (Ctrl-C in the widget's own code, or between two Functions) the graph, the
        traits and what the page was sent go back to what they were before the change, and the error says
        so; the exception goes on to the caller."""
        if not self._pending:
            self._undo = {}
            return
        before = self._saved() if self._pending != {"step"} else None
        self._batch_depth += 1  # writes made by the work itself (a step clamped to a shorter graph) add to it
        try:
            with _collector_paused():
                while self._pending:
                    work, self._pending = self._pending, set()
                    self._do(work)
        except BaseException as error:
            change = ", ".join(f"{name} = {_short(getattr(self, name))}" for name in self._undo)
            if before is not None:
                self._restore(before)
            self._revert()
            self._failure = id(error)
            self._show_error(self._message_for(error, change))
            raise
        finally:
            self._batch_depth -= 1
            self._pending, self._undo = set(), {}

    def _do(self, work):
        if "build" in work:
            self._build()
        elif "inputs" in work:
            self._inputs_to_graph()
            keep, self._keep_tables = self._keep_tables, False
            self._recompute(tables="keep" if keep else "stale")  # a new range or eps is stale anyway
            self._tell_others()
        elif "publish" in work:
            self._publish()
        else:  # a new step only
            self._replay_steps()
            self._show_error(self._standing_error())

    def _saved(self):
        """Everything a recompute changes: the graph's numbers, the widget's own records and its traits."""
        graph = self._graph
        return (
            GraphState(graph.stateful, graph.variables),
            {name: getattr(self, name) for name in self._INTERNALS},
            {name: getattr(self, name) for name in self._PUBLISHED},
        )

    def _restore(self, saved):
        state, internals, published = saved
        state.restore()
        for name, value in internals.items():
            setattr(self, name, value)
        with self.hold_sync():
            for name, value in published.items():
                self.set_trait(name, value)

    def _build(self):
        """Make the graph again from the traits (a block stack); GraphWidget's graph is the learner's."""
        raise NotImplementedError

    def _inputs_to_graph(self):
        """Put the sliders' values into the graph's leaves."""
        raise NotImplementedError

    @traitlets.observe("step")
    def _on_step(self, change):
        self._changed(change, "step")

    @traitlets.observe("eps")
    def _on_eps(self, change):
        self._changed(change, "publish")

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

    def _others(self):
        """The other open widgets showing some of this graph's leaves (show(y) twice; show(a), show(y)).
        A block stack's graph is its own: only show(y)'s widgets share one."""
        if not self._leaf_ids:
            return []
        return [
            w
            for w in list(_graph_widgets)
            if w is not self and w.comm is not None and not w._leaf_ids.isdisjoint(self._leaf_ids)
        ]

    def _tell_others(self):
        """This widget moved leaves other widgets show too: they follow, so none of them goes stale."""
        for other in self._others():
            try:
                other._follow()
            except (Exception, KeyboardInterrupt):  # its own error line says what; this widget is fine
                other.log.warning("gradwidget: a widget of the same graph could not follow", exc_info=True)

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
        the numerical slope) in one forward pass, and f' in one backward pass over the same arrays (the
        cost of a pass is per op, hardly per point); a backward that fails leaves f and the numerical
        slope only."""
        grid = np.linspace(low, high, CURVE_POINTS)
        n, eps = CURVE_POINTS, self.eps
        points = np.concatenate([grid, grid + eps, grid - eps])
        try:
            moved, dy = self._graph.evaluate_along(leaf, points, with_grad=True)
        except (Exception, KeyboardInterrupt) as error:
            if isinstance(error, KeyboardInterrupt) and getattr(error, "function", None) is None:
                raise
            if not isinstance(error, BackwardError | KeyboardInterrupt):
                self._plot_interrupted(error, "f(x)")  # a learner's block that takes only scalars: no plots
                return {}
            self._plot_interrupted(error, "f′(x)")
            try:
                moved, dy = self._graph.evaluate_along(leaf, points)[0], None
            except Exception as forward_error:
                self._plot_interrupted(forward_error, "f(x)")
                return {}
        curves = {
            "x": grid,
            "y": moved[:n],
            "dy_numerical": (moved[n : 2 * n] - moved[2 * n :]) / (2 * eps),
            # 2: the output is itself a derivative, f'(x), so the plot's curves are f' and f''
            "order": self._graph.order,
        }
        if dy is not None:
            curves["dy"] = dy[:n]
        return curves

    def _plot_interrupted(self, error, plot):
        """An interrupt in a learner's Function while the plots were computed: say where; try again later."""
        interrupt = error if isinstance(error, KeyboardInterrupt) else error.__cause__
        if isinstance(interrupt, KeyboardInterrupt) and self._plot_problem is None:
            f = getattr(error, "function", None)
            method = "backward" if error is interrupt else "forward"
            where = f"{type(f).__name__}.{method}" if f is not None else Message("a_block")
            self._plot_problem = Message("plot_interrupted", where=where, plot=plot)

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
            if self._plot_problem:  # interrupted: not kept, so the next update draws them again
                self._curves_for = None
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
        frame = frame_of(graph, self._function_error, curve_leaf, self.eps, CHECK_TOLERANCE, keep=self.step)
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
        self._plot_problem = None
        curves = self._plots(frame.record)  # like the checks and the tables, inside graph.untouched()
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
            self._replay_steps(frame.record.kept if frame.record else None)
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
        sliders = [leaf for leaf, *_ in self._sliders()]
        self._structure = graph.structure(
            self._labels, self._order, block_names, self._describe_function, self._layout, sliders
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
        try:
            self._released(values)
        except (Exception, KeyboardInterrupt) as error:  # _flush put everything back and said what failed
            if id(error) != self._failure:
                self._show_error(self._message_for(error, Message("slider_release")))

    def _released(self, values):
        """A slider let go: a GradWidget's one table holds nothing else (see GraphWidget)."""

    def _describe_function(self, f):
        """What a step's card and check keep while x moves: the rules, and the elements each input's
        gradient check works out (None: all; a large array is sampled, and the page says which)."""
        checked = [checked_elements(np.shape(x.data)) for x in inputs_of(f)]
        return {
            "card": card_rules(f, self._labels),
            "checked": [None if c is None else [list(index) for index in c] for c in checked],
        }

    def _standing_error(self):
        """What stays wrong after a good change: a node whose forward or backward failed, a step that
        failed or was interrupted this time, a check or plot that was interrupted; else nothing."""
        errors = self.numbers.get("errors", {})
        failed = [errors[kind]["message"] for kind in ("forward", "backward") if kind in errors]
        failed += [problem for problem in (self._step_problem, self._plot_problem) if problem]
        failed += [e for e in errors.get("checks", {}).values() if says_interrupted(e)]
        if "eps_curve" in errors:  # interrupted while the error-against-eps plot was drawn
            failed.append(errors["eps_curve"]["message"])
        return failed[0] if failed else ""

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _replay_steps(self, kept=None):
        """Run the backward pass for exactly `step` Functions, so every .grad matches the page.

        Going forward continues the same pass; going back starts it again from the output. A learner's
        backward that fails or is interrupted this time (it ran when the steps were recorded) leaves the
        widget at the last step done, saying so. `kept`: the grads a new record had after `step` steps
        (BackwardRecord.kept), put back instead of running those steps again; the next step forward
        starts the pass again from the output.
        """
        if kept is not None and kept[0] == self.step and self._stepper is None and not self._steps_done:
            for v, grad in kept[1]:
                v.grad = grad
            self._steps_done, self._step_problem = self.step, None
            self._others_start_again()
            return
        if self._steps_done > self.step or (self._stepper is None and self._steps_done < self.step):
            self._graph.clear_grads()
            self._stepper = self._graph.backward_steps() if self.step else None
            self._steps_done = 0
        elif self._steps_done == self.step:
            return
        self._step_problem = None
        try:
            while self._steps_done < self.step:
                next(self._stepper)
                self._steps_done += 1
        except (Exception, KeyboardInterrupt) as error:
            self._stepper = None  # a generator that raised is finished: the next step starts the pass again
            self._step_problem = self._step_failed(error)
            self.set_trait("step", self._steps_done)
        self._others_start_again()

    def _others_start_again(self):
        for other in self._others():  # their grads are this widget's now: they start again when they step
            other._stepper, other._steps_done = None, 0

    def _step_failed(self, error):
        f = getattr(error, "function", None)
        where = f"{type(f).__name__}.backward" if f is not None else Message("the_backward_pass")
        done = self._steps_done
        if isinstance(error, KeyboardInterrupt):
            return Message("step_interrupted", where=where, number=done + 1, done=done)
        said = getattr(error, "message", None) or str(error)
        return Message("step_failed", error=said, number=done + 1, done=done)


def _answer_page(widget, content, buffers):
    """The page's link: a pong for each ping; on resync, every trait the page draws from, sent again."""
    kind = content.get("type") if isinstance(content, dict) else None
    if kind == _PING:
        widget.send({"type": _PONG})
    elif kind == _RESYNC:
        widget.send_state([key for key in widget.keys if not key.startswith("_") and key != "layout"])


class GradWidget(_BackpropWidget):
    """Stack blocks, slide x, and step through backprop one Function at a time.

    >>> w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    >>> w.run_all(); float(w.input.grad)
    3.297442541400256
    """

    x = _Float(0.5, help="the input value").tag(sync=True)
    x_min = _Float(-2.0, help="left end of the x slider").tag(sync=True)
    x_max = _Float(2.0, help="right end of the x slider").tag(sync=True)
    blocks = List(Unicode(), default_value=["square", "exp", "square"]).tag(sync=True)
    palette = List(Unicode(), read_only=True, help="block names the page offers").tag(sync=True)
    code = Unicode("", help="the stack as Python, e.g. y = square(exp(square(x))); editable").tag(sync=True)

    _PAGE_WRITES = _BackpropWidget._PAGE_WRITES | {"x", "x_min", "x_max", "blocks", "code"}
    _INTERNALS = (*_BackpropWidget._INTERNALS, "_x")  # the x Variable of the graph being shown

    def __init__(self, blocks=None, x=0.5, **kwargs):
        if blocks is not None:
            kwargs["blocks"] = blocks
        if "code" in kwargs:
            kwargs["blocks"] = self._parse_code(kwargs.pop("code"))
        for name, end in zip(("x_min", "x_max"), _range_holding(x)):  # a range not given holds the x given
            kwargs.setdefault(name, end)
        super().__init__(x=x, **kwargs)
        self.set_trait("palette", sorted(BLOCKS))
        _live_stacks.add(self)
        with _collector_paused():
            self._build()

    @classmethod
    def from_code(cls, code, **kwargs):
        """GradWidget.from_code("y = square(exp(square(x)))", x=0.5): the stack that expression builds."""
        return cls(code=code, **kwargs)

    @property
    def input(self):
        """The x Variable."""
        return self._x

    @property
    def inputs(self):
        return [self.input]

    def _curve_leaf(self):
        return self.input, self.x_min, self.x_max

    def _sliders(self):
        return [(self.input, self.x_min, self.x_max)]

    def _block_names(self):
        # at order 2 the graph's Functions are the recorded backward's too, not one per block
        return list(self.blocks) if self.order == 1 else None

    @validate("order")
    def _valid_order(self, proposal):
        if proposal["value"] not in (1, 2):
            self._reject(Message("order_range", value=repr(proposal["value"])))
        return proposal["value"]

    @traitlets.observe("order")
    def _on_order(self, change):
        self._changed(change, "build")

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
        low, high = self.x_min, self.x_max
        if not low <= x <= high:
            if self._graph is None:  # both given to the constructor
                self._reject(
                    Message("x_outside_given", x=x, low=low, high=high, lower=min(x, low), upper=max(x, high))
                )
            end = "x_max" if x > high else "x_min"
            self._reject(Message("x_outside", x=x, low=low, high=high, end=end))
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
            blocks = parse_stack(code, BLOCKS)
        except MessageError as error:
            self._reject(error.message)
        if len(blocks) > MAX_BLOCKS:
            self._reject(Message("code_too_many_blocks", count=len(blocks), most=MAX_BLOCKS))
        return blocks

    @traitlets.observe("code")
    def _on_code(self, change):
        if self._graph is None or change["new"] == stack_code(self.blocks):
            return
        blocks = parse_stack(change["new"], BLOCKS)
        with self._batch():
            self._undo.setdefault("code", change["old"])
            if blocks != list(self.blocks):
                self.blocks = blocks  # rebuilds, and writes the code back in its usual form
            else:
                self.code = stack_code(blocks)  # the same stack, typed differently

    @traitlets.observe("blocks")
    def _on_blocks(self, change):
        self._changed(change, "build")

    @traitlets.observe("x")
    def _on_x(self, change):
        self._changed(change, "inputs")

    @traitlets.observe("x_min", "x_max")
    def _on_range(self, change):
        if self._graph is None:
            return
        with self._batch():
            self._changed(change, "publish")
            if not self.x_min <= self.x <= self.x_max:  # a range narrowed past x takes x along, as sliders do
                self.x = min(max(self.x, self.x_min), self.x_max)

    def _inputs_to_graph(self):
        self.input.data = np.array(self.x)

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _build(self):
        """The stack's graph, made afresh from `blocks` at `x`; a learner's block whose forward fails, is
        interrupted or changes its input is a TraitError naming it, and the last good stack stays."""
        x = Variable(np.array(self.x), name="x")
        y = x
        for name in self.blocks:
            f = BLOCKS[name]()
            copies = input_copies(f, [y])
            try:
                out = f(y)
                check_inputs_unchanged(f, [y], copies)
            except (Exception, KeyboardInterrupt) as error:  # a learner's registered block
                known = isinstance(error, ForwardError)
                message = error.message if known else failure_message(f, "forward", error)
                raise _trait_error(Message("at_x", message=message, x=self.x), self.lang) from error
            y = out
        graph = Graph(y)
        labels = graph.labels()
        for v in graph.variables:  # the book's names on the engine's own objects: x, a, b, ..., y
            v.name = labels[id(v)]
        if self.order == 2 and y.creator is not None:  # with no block, dy/dx = 1: nothing more to record
            try:
                graph = self._first_backward(graph, x)
            except ForwardError as error:
                raise _trait_error(error.message, self.lang) from error
            labels = graph.labels()
            for v in graph.variables:
                v.name = labels[id(v)]
        self._x, self._graph, self._labels = x, graph, labels
        self._function_error = None  # every block's forward just ran
        self.set_trait("code", stack_code(self.blocks))
        self._publish()

    def _first_backward(self, graph, x):
        """y.backward(create_graph=True), as the book's step 33 writes it: the graph to step is that of
        gx = x.grad, the recorded backward (with the forward's Variables it uses); each grad it made is
        named after its Variable (gy, gb, ga, gx)."""
        try:
            for _ in backward_steps(graph.output, create_graph=True):
                pass
        except BackwardError as error:
            raise ForwardError(Message("order_two_backward", error=error.message)) from error
        for v in graph.variables:
            if isinstance(v.grad, Variable) and v.grad.name is None:
                v.grad.name = f"g{v.name}"
        gx = x.grad
        for v in graph.variables:  # the widget's stepping fills them again, the second backward's
            v.grad = None
        second = Graph(gx)
        self._check_recorded(graph, second, x)
        return second

    def _check_recorded(self, first, second, x):
        """A learner's block whose backward computes on .data (np.exp(x.data) * gy) records its local
        derivative as a constant: the recorded graph then runs, but its d2y/dx2 is wrong. Replayed a little
        off x, such a graph no longer gives dy/dx there; say which block, and how to write it."""
        learners = [f for f in first.functions if type(f).__module__ != "gradwidget.functions"]
        if not learners:  # the library's blocks are differentiable again (tests/test_higher.py)
            return
        at = np.array(x.data)
        moved = at + 0.125
        try:
            x.data = moved
            second.replay_forward()
            replayed = np.array(second.output.data, dtype=float)
            fresh = Variable(moved)
            y = fresh
            for f in first.functions:
                y = type(f)()(y)
            y.backward()
            expected = np.array(fresh.grad, dtype=float)
        finally:
            x.data = at
            second.replay_forward()
        if not np.allclose(replayed, expected, rtol=1e-7, atol=1e-12, equal_nan=True):
            names = ", ".join(sorted({type(f).__name__ for f in learners}))
            hint = _needs_variables(learners[0])
            raise ForwardError(Message("order_two_constant", names=names, hint=hint), function=learners[0])


class GraphWidget(_BackpropWidget):
    """Any graph that ends in a Variable, one slider per leaf. Made by `show(y)`."""

    values = List(_Float(), help="each leaf's value, in the order of `names`").tag(sync=True)
    code = Unicode("", read_only=True, help="the Python that builds this graph, one line per Function").tag(
        sync=True
    )
    names = List(Unicode(), read_only=True, help="each leaf's label, as its slider is named").tag(sync=True)
    ranges = List(List(_Float()), help="each leaf's slider range [min, max]").tag(sync=True)

    _PAGE_WRITES = _BackpropWidget._PAGE_WRITES | {"values", "ranges"}

    def __init__(self, output, ranges=None, namespaces=(), **kwargs):
        """namespaces: where to look for the names the learner gave the graph's Variables (show(y) passes
        the caller's), nearest first."""
        super().__init__(**kwargs)
        self._namespaces = namespaces
        self._take(Graph(output), ranges)

    def _take(self, graph, ranges=None):
        """Show `graph`: its labels, one slider per scalar leaf (in `ranges`, or around each value)."""
        self._graph = None  # no replay while the sliders are set up for the new graph
        self._labels = labels = graph.labels(self._namespaces)
        self._leaves = slider_leaves(graph)
        self.set_trait("order", graph.order)
        self._release_wanted = None  # the values a released slider left the others at, on their way
        self.set_trait("names", [labels[id(leaf)] for leaf in self._leaves])
        values = [float(np.asarray(leaf.data).reshape(())) for leaf in self._leaves]
        self.ranges = [default_range(v) for v in values] if ranges is None else ranges
        self.values = values
        for leaf, value in zip(self._leaves, values):
            if value == 0 and math.copysign(1.0, value) < 0:  # the leaf holds the 0.0 its slider shows
                leaf.data = np.zeros_like(leaf.data) if isinstance(leaf.data, np.ndarray) else 0.0
        self._graph = graph  # from here on, moving a slider replays the graph
        self._leaf_ids = frozenset(id(leaf) for leaf in graph.leaves)
        self.set_trait("code", graph_code(graph, labels))
        self._publish()
        _graph_widgets.add(self)

    def update(self, output=None):
        """Show the numbers as they are now, in the same widget, at the same step: after an optimizer step
        (step 42: `W.data -= lr * W.grad.data`), pass the new loss (`w.update(loss)`, after a new forward),
        or nothing to run this graph's forward again on its leaves' new data (`w.update()`). A slider whose
        leaf is still there keeps its range, widened by 1 past a new value outside it."""
        old = dict(zip(self.names, self.ranges))
        graph = Graph(self._graph.output if output is None else output)
        labels = graph.labels(self._namespaces)
        ranges = []
        for leaf in slider_leaves(graph):
            value = float(np.asarray(leaf.data).reshape(()))
            low, high = old.get(labels[id(leaf)], (min(-2.0, value - 1.0), max(2.0, value + 1.0)))
            ranges.append([low if value >= low else value - 1.0, high if value <= high else value + 1.0])
        if output is None:
            try:
                graph.replay_forward()
            except ForwardError as error:
                self._reject(error.message)
        self._take(graph, ranges)
        return self

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
            self._pending.add("publish")  # every table that holds the others is worked out again
            self._flush()
        else:
            self._release_wanted = values

    @validate("order")
    def _valid_order(self, proposal):
        if self._graph is not None and proposal["value"] != self._graph.order:
            self._reject(Message("show_order"))
        return proposal["value"]

    @validate("values")
    def _valid_values(self, proposal):
        values = proposal["value"]
        if len(values) != len(self._leaves):
            self._reject(Message("values_count", names=", ".join(self.names), count=len(values)))
        for i, (name, value, (low, high)) in enumerate(zip(self.names, values, self.ranges)):
            if not math.isfinite(value):
                self._reject(Message("not_finite", name=name, value=value))
            if low <= value <= high:
                continue
            wider = [list(pair) for pair in self.ranges]
            wider[i] = [min(low, value), max(high, value)]
            if self._graph is None:  # show(y, ranges=...): the leaf's own value against the range given
                self._reject(
                    Message("value_outside_given", name=name, value=value, low=low, high=high, wider=wider)
                )
            self._reject(Message("value_outside", name=name, value=value, low=low, high=high, wider=wider))
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
        # A drag on the page sends a slider's values many times: the other sliders' tables are worked out
        # again once it is released (_released), not for every move. A change from Python is final. (The
        # page's message holds its lock on `values` while observers run, not when the batch is flushed.)
        dragging = "values" in self._property_lock and self._release_wanted != list(self.values)
        self._release_wanted = self._release_wanted if dragging else None
        self._keep_tables = dragging
        self._changed(change, "inputs")

    @traitlets.observe("ranges")
    def _on_ranges(self, change):
        if self._graph is None:
            return
        with self._batch():
            self._changed(change, "publish")
            inside = [min(max(v, low), high) for v, (low, high) in zip(self.values, self.ranges)]
            if inside != list(self.values):  # a range narrowed past its value takes the value along
                self.values = inside

    def _inputs_to_graph(self):
        for leaf, value in zip(self._leaves, self.values):
            leaf.data = np.full(np.shape(leaf.data), value)  # a (1, 1) W stays (1, 1)

    def _follow(self):
        """Another widget moved leaves of this graph: take their values as this widget's (its ranges
        widen to hold them, if need be)."""
        values = [float(np.asarray(leaf.data).reshape(())) for leaf in self._leaves]
        if values == list(self.values):
            return
        with self._batch():
            held = [[min(low, v), max(high, v)] for v, (low, high) in zip(values, self.ranges)]
            if held != [list(pair) for pair in self.ranges]:
                self.ranges = held
            self.values = values

    def set_value(self, name, value):
        """Move one slider by its name: w.set_value("x0", 1.5)."""
        if name not in self.names:
            raise KeyError(say(self.lang, "no_slider", name=repr(name), names=", ".join(self.names)))
        values = list(self.values)
        values[self.names.index(name)] = float(value)
        self.values = values


def _range_holding(x):
    """The default slider range, widened to hold x if x is a finite number (else the validators say why)."""
    try:
        value = float(x)
    except (TypeError, ValueError, OverflowError):
        value = math.nan
    return default_range(value) if math.isfinite(value) else [-2.0, 2.0]


# Modules whose frames stand between show(y) and the learner's code (a display hook, a formatter)
_NOT_THE_LEARNERS = frozenset({"gradwidget", "IPython", "ipykernel", "traitlets", "ipywidgets", "comm"})


def _learners_namespaces():
    """Where the names the learner gave its Variables are, nearest first: the locals and globals of the
    nearest calling frame that is not gradwidget's or IPython's (a notebook cell's globals are the
    notebook's), then IPython's user namespace (for a cell's value shown through %load_ext)."""
    spaces = []
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] in _NOT_THE_LEARNERS:
        frame = frame.f_back
    if frame is not None:
        spaces += [frame.f_locals, frame.f_globals]
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        spaces.append(shell.user_ns)
    unique = []
    for space in spaces:
        if all(space is not seen for seen in unique):
            unique.append(space)
    return unique


def slider_leaves(graph):
    """The leaves that get a slider: every one-element leaf, up to MAX_SLIDERS; past that only the named ones
    (the book names its inputs, x.name = "x"), the first MAX_SLIDERS. Step 27's Taylor sin makes a leaf of
    each of its 40-odd coefficients: they stay as they are, and x slides."""
    scalars = graph.sliders  # not the constants a recorded backward made
    if len(scalars) <= MAX_SLIDERS:
        return scalars
    named = [leaf for leaf in scalars if getattr(leaf, "name", None)]
    return (named or scalars)[:MAX_SLIDERS]


def show(y, ranges=None):
    """A widget for any graph that ends in y: every leaf gets a slider; step through backward as with blocks.

    y may be a gradwidget Variable or the learner's own, book-style (data, grad, creator). Its Variables
    are labelled with the names they have in the calling code (a = A(x) shows a and x).
    """
    check_variable_like(y)
    namespaces = _learners_namespaces()
    with _collector_paused():
        return GraphWidget(y, ranges=ranges, namespaces=namespaces)


def register_block(name, function_class, rule=None, replace=False):
    """Offer a learner's Function in the palette of block-stack widgets: register_block("cube", Cube).

    The name is what `blocks` and the code view call it, so it must be a Python identifier (not a keyword,
    not x); one of gradwidget's own blocks ("square", ...) is replaced only with replace=True.
    """
    if not (isinstance(name, str) and name.isidentifier()) or keyword.iskeyword(name):
        raise ValueError(
            f"A block name must be a Python identifier that is not a keyword, like 'cube'; got {name!r}."
        )
    if name == "x":
        raise ValueError("x is the stack's input in its code (y = square(x)): name the block, e.g. 'cube'.")
    if name in LIBRARY_BLOCKS and not replace:
        raise ValueError(
            f"{name!r} is one of gradwidget's own blocks ({BLOCKS[name].__name__}); pick another name, or "
            f"pass replace=True to put your class in its place everywhere."
        )
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
