"""The widgets: thin glue between the engine (through trace.py) and the page in js/.

Python is the source of truth. The page changes a trait, Python validates it, the engine recomputes, plain
data goes back (the graph's shape in `graph` when it changes, today's numbers in `numbers`), and the page
redraws. A rejected change (from Python or from the page) raises a TraitError here, shows its message in the
widget's `error`, and leaves the last good state in place.

GradWidget is a stack of blocks on one x; `show(y)` wraps any graph that ends in y, one slider per leaf.
"""

import difflib
import inspect
import math
import pathlib
import weakref

import anywidget
import numpy as np
import traitlets
from traitlets import Bool, Dict, Float, Int, List, TraitError, Unicode, validate

from gradwidget.code import graph_code, parse_stack, stack_code
from gradwidget.core import Function, Variable
from gradwidget.explain import (
    EPSILONS,
    card_rules,
    card_text,
    eps_errors,
    parse_rule,
    step_numbers,
)
from gradwidget.functions import BLOCKS
from gradwidget.messages import LANGUAGES, language_choices, say
from gradwidget.trace import ForwardError, Graph, check_variable_like, to_json_value

_STATIC = pathlib.Path(__file__).parent / "static"
# The page's link to its Python object (js/link.js): a ping gets a pong, so the page knows it is answered;
# after the kernel answers again, the page asks for the whole state back
_PING, _PONG, _RESYNC = "gradwidget:ping", "gradwidget:pong", "gradwidget:resync"
MAX_BLOCKS = 1000  # a sane cap: 1,000 blocks still lay out and step; more is a typo or a runaway loop
CHECK_TOLERANCE = 1e-4  # relative error above which a node's backward is flagged as disagreeing
CURVE_POINTS = 201
# the check's columns in `numbers`, by the names `checks` gives them
_CHECK_COLUMNS = (
    ("backprop", "gxs"), ("numerical", "numerical"), ("error", "errors"), ("flagged", "flagged"),
)  # fmt: skip

_MISSING_BUNDLE = """
export default { render({ el }) {
  el.textContent = "gradwidget's front end is not built: run pip install -e . (or npm run build).";
} };
"""


def _arrays_as_buffers(data):
    """Arrays go to the page as raw float64 bytes: ipywidgets walks a list number by number, which for the
    four 201-point curves cost more than computing them. The page reads them back as Float64Arrays."""
    return {
        key: memoryview(np.ascontiguousarray(value, dtype="<f8")).cast("B")
        if isinstance(value, np.ndarray)
        else value
        for key, value in data.items()
    }


def _plain(value):
    """A number from a float64 column as a Python float (a JSON column's entries are plain already)."""
    return float(value) if isinstance(value, np.floating) else value


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
    error = Unicode("", read_only=True, help="the last rejected change, in words").tag(sync=True)
    lang = Unicode("en", help=f"the language of the page and of Python's messages: {language_choices()}").tag(
        sync=True
    )
    eps = Float(1e-4, help="the step numerical_diff uses in the gradient check").tag(sync=True)
    tolerance = Float(
        CHECK_TOLERANCE, read_only=True, help="relative error above which a node is flagged"
    ).tag(sync=True)
    numbers = Dict(read_only=True, help="values, grads, local derivatives and checks at today's inputs").tag(
        sync=True, to_json=lambda numbers, widget: _arrays_as_buffers(numbers)
    )
    eps_curve = Dict(read_only=True, help="|numerical_diff - backprop| against eps, at the current x").tag(
        sync=True
    )
    curves = Dict(read_only=True, help="f(x) and f'(x) over the first slider's range").tag(
        sync=True, to_json=lambda curves, widget: _arrays_as_buffers(curves)
    )
    presenter = Bool(False, help="projector mode: larger type, values hidden until revealed").tag(sync=True)
    predict = Bool(False, help="the learner types each grad before it is revealed").tag(sync=True)

    def __init__(self, **kwargs):
        self._graph = None  # observers wait until the subclass has built its graph, after every trait is set
        self._stepper, self._steps_done = None, 0
        self._records, self._labels = [], {}
        self._shape = self._structure = None  # what `graph` was made from, and it: made again on change
        self._curves_for = self._curves_cache = None
        super().__init__(**kwargs)
        self.on_msg(_answer_page)

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
        numbers, checks = self.numbers, []
        for index, (step, start) in enumerate(zip(self.graph["steps"], self._input_starts())):
            if step["error"]:
                continue
            if str(index) in numbers["check_errors"]:
                error = numbers["check_errors"][str(index)]
                checks.append({"function": step["function"], "inputs": [], "flagged": False, "error": error})
                continue
            rows = [
                {name: _plain(numbers[column][start + i]) for name, column in _CHECK_COLUMNS}
                for i in range(len(step["inputs"]))
            ]
            for row in rows:
                row["flagged"] = bool(row["flagged"])
            flagged = any(row["flagged"] for row in rows)
            checks.append({"function": step["function"], "inputs": rows, "flagged": flagged, "error": None})
        return checks

    def _input_starts(self):
        """Where each step's entries begin in the per-input columns of `numbers`."""
        starts = [0]
        for step in self.graph["steps"]:
            starts.append(starts[-1] + (0 if step["error"] else len(step["inputs"])))
        return starts

    def guess(self, value, rel_tol=1e-2):
        """Predict-then-reveal: was `value` the grad the next step sends back? Then that step is revealed
        either way, as on the page, so the learner sees the answer."""
        if self.step >= self.n_steps:
            raise ValueError("Every step is done: w.reset() to predict again.")
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
        self.set_trait("error", message)
        raise TraitError(message)

    @validate("step")
    def _valid_step(self, proposal):
        step = proposal["value"]
        if not 0 <= step <= self.n_steps:
            self._reject(
                f"step must be between 0 and n_steps = {self.n_steps}; got {step}. "
                "Use w.run_all() for the last step and w.reset() for the first."
            )
        return step

    @validate("lang")
    def _valid_lang(self, proposal):
        if proposal["value"] not in LANGUAGES:
            choices = language_choices()
            self._reject(say(self.lang, "lang_unknown", choices=choices, value=repr(proposal["value"])))
        return proposal["value"]

    @validate("eps")
    def _valid_eps(self, proposal):
        eps = proposal["value"]
        if not (math.isfinite(eps) and 1e-12 <= eps <= 0.1):
            self._reject(f"eps must be between 1e-12 and 0.1 (the book uses 1e-4); got {eps}.")
        return eps

    @validate("speed")
    def _valid_speed(self, proposal):
        speed = proposal["value"]
        if not (math.isfinite(speed) and 0.25 <= speed <= 10):
            self._reject(f"speed is in steps per second, from 0.25 to 10; got {speed}.")
        return speed

    def set_state(self, sync_data):
        """A change from the page: on a TraitError keep the last good state and send it back to the page."""
        try:
            super().set_state(sync_data)
        except TraitError as error:
            self.set_trait("error", str(error))
            self.send_state([key for key in sync_data if key in self.keys])

    # --- recomputing ------------------------------------------------------------------------------------

    @traitlets.observe("step")
    def _on_step(self, change):
        if self._graph is not None:
            self._replay_steps()
            self.set_trait("error", self._standing_error())

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _recompute(self):
        """Replay the forward pass for new inputs, then publish; a failing forward shows on its node."""
        try:
            self._graph.replay_forward()
        except ForwardError as error:
            self._publish(function_error=(error.function, str(error)))
            return
        self._publish()

    @traitlets.observe("eps")
    def _on_eps(self, change):
        if self._graph is not None:
            self._publish()

    def _curve_leaf(self):
        """The leaf the plots move along, and its slider range; None when there is no slider."""
        raise NotImplementedError

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

    def _eps_curve(self, leaf, record):
        """|numerical_diff - backprop| against eps at the current x: f at x +- each eps in one pass."""
        grad = record.leaf_grads.get(id(leaf))
        if record.failure or grad is None or self._graph.output.creator is None:
            return {}
        x = float(np.asarray(leaf.data).reshape(()))
        try:
            moved, _ = self._graph.evaluate_along(leaf, np.concatenate([x + EPSILONS, x - EPSILONS]))
        except Exception:
            return {}
        backprop = float(np.asarray(grad).reshape(()))
        errors = eps_errors(moved[: len(EPSILONS)], moved[len(EPSILONS) :], backprop)
        return {"eps": to_json_value(EPSILONS), "errors": to_json_value(errors), "book_eps": 1e-4, "at": x}

    def _plots(self, record):
        """The curves (recomputed only when what they depend on changed: not for a new x) and the eps
        error curve at the current x."""
        found = self._curve_leaf()
        if found is None or record is None or self._graph.output.creator is None:
            self._curves_for = None
            return {}, {}
        leaf, low, high = found
        held = tuple(np.asarray(v.data).tobytes() for v in self._graph.leaves if v is not leaf)
        depends_on = (self._graph, low, high, self.eps, held)
        if self._curves_for != depends_on:
            self._curves_for, self._curves_cache = depends_on, self._curves(leaf, low, high)
        return self._curves_cache, self._eps_curve(leaf, record)

    @np.errstate(all="ignore")  # inf and nan show on their nodes: no warning storm in the notebook
    def _publish(self, block_names=None, function_error=None):
        """Send the page the new numbers (and the new shape, if it changed), then bring the engine's grads
        back to the current step."""
        record = None if function_error else self._graph.record_backward()
        self._records = record.steps if record else []
        failure = record.failure[:2] if record and record.failure else None
        shape = (self._graph, tuple(block_names or ()), function_error, failure)
        if shape != self._shape:
            self._shape = shape
            self._structure = self._graph.structure(
                self._labels, block_names, function_error, record, self._describe_function
            )
        numbers = self._graph.numbers(record) | step_numbers(self._records, self.eps, CHECK_TOLERANCE)
        curves, eps_curve = self._plots(record)
        steps = self._structure["steps"]
        # a failed backward step is shown, but stepping past it (or onto it in Python) is not possible
        n_steps = len(steps) - (1 if steps and steps[-1]["error"] else 0)
        self._stepper, self._steps_done = None, 0  # record_backward cleared the grads: start again
        with self.hold_sync():
            self.set_trait("graph", self._structure)
            self.set_trait("numbers", numbers)
            self.set_trait("curves", curves)
            self.set_trait("eps_curve", eps_curve)
            self.set_trait("n_steps", n_steps)
            if self.step > n_steps:
                self.step = n_steps  # fewer steps now: stay at the last one that still exists
            self._replay_steps()
            self.set_trait("error", self._standing_error())

    def _describe_function(self, f):
        return {"card": card_rules(f, self._labels)}

    def _standing_error(self):
        """What stays wrong after a good change: a node whose forward or backward failed, else nothing."""
        graph = self.graph
        failed = [n["error"] for n in graph["nodes"] if n.get("error")]
        failed += [s["error"] for s in graph["steps"] if s["error"]]
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
            raise TraitError(str(error)) from error

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
            self._reject(f"x must be a finite number, not {x}. Set it with the slider or e.g. w.x = 0.5.")
        if not self.x_min <= x <= self.x_max:
            self._reject(
                f"x = {x} is outside the slider's range [{self.x_min}, {self.x_max}]; "
                f"widen it first, e.g. w.x_max = {max(x, self.x_max)} or w.x_min = {min(x, self.x_min)}."
            )
        return x

    @validate("x_min", "x_max")
    def _valid_range(self, proposal):
        value = proposal["value"]
        name = proposal["trait"].name
        if not math.isfinite(value):
            self._reject(f"{name} must be a finite number, not {value}.")
        low = value if name == "x_min" else self.x_min
        high = value if name == "x_max" else self.x_max
        if not low < high:
            self._reject(f"The slider needs x_min < x_max; got x_min = {low}, x_max = {high}.")
        return value

    @validate("blocks")
    def _valid_blocks(self, proposal):
        blocks = proposal["value"]
        if len(blocks) > MAX_BLOCKS:
            self._reject(
                f"{len(blocks)} blocks is more than the {MAX_BLOCKS} a widget can show; remove some."
            )
        for position, name in enumerate(blocks, start=1):
            if name not in BLOCKS:
                close = difflib.get_close_matches(str(name), BLOCKS, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                self._reject(
                    f"Unknown block {name!r} at position {position}.{hint} "
                    f"Known blocks: {', '.join(sorted(BLOCKS))}."
                )
        return blocks

    @validate("code")
    def _valid_code(self, proposal):
        if proposal["value"] != stack_code(self.blocks):  # the code _build wrote needs no parsing
            self._parse_code(proposal["value"])
        return proposal["value"]

    def _parse_code(self, code):
        try:
            return parse_stack(code, BLOCKS)
        except ValueError as error:
            self._reject(str(error))

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
                self._reject(str(error))

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
                raise ForwardError(
                    f"{type(f).__name__}.forward raised {type(error).__name__}: {error} (at x = {self.x})",
                    function=f,
                ) from error
        self._graph = Graph(y)
        self._labels = self._graph.labels()
        for v in self._graph.variables:  # the book's names on the engine's own objects: x, a, b, ..., y
            v.name = self._labels[id(v)]
        self.set_trait("code", stack_code(self.blocks))
        self._publish()

    def _publish(self, block_names=None, function_error=None):
        super()._publish(list(self.blocks) if block_names is None else block_names, function_error)


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
        self._sliders = [leaf for leaf in graph.leaves if np.asarray(leaf.data).size == 1]
        self.set_trait("names", [labels[id(leaf)] for leaf in self._sliders])
        values = [float(np.asarray(leaf.data).reshape(())) for leaf in self._sliders]
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
        if not self._sliders:
            return None
        return self._sliders[0], *self.ranges[0]

    @traitlets.observe("ranges")
    def _on_ranges(self, change):
        if self._graph is not None:
            self._publish()

    @validate("values")
    def _valid_values(self, proposal):
        values = proposal["value"]
        if len(values) != len(self._sliders):
            self._reject(f"values needs one number per slider ({', '.join(self.names)}); got {len(values)}.")
        for name, value, (low, high) in zip(self.names, values, self.ranges):
            if not math.isfinite(value):
                self._reject(f"{name} must be a finite number, not {value}.")
            if not low <= value <= high:
                self._reject(f"{name} = {value} is outside its slider's range [{low}, {high}].")
        return values

    @validate("ranges")
    def _valid_ranges(self, proposal):
        ranges = proposal["value"]
        if len(ranges) != len(self._sliders):
            self._reject(f"ranges needs one [min, max] per slider ({', '.join(self.names)}).")
        for name, pair in zip(self.names, ranges):
            if len(pair) != 2 or not all(map(math.isfinite, pair)) or not pair[0] < pair[1]:
                self._reject(f"The range for {name} must be [min, max] with min < max; got {pair}.")
        return ranges

    @traitlets.observe("values")
    def _on_values(self, change):
        if self._graph is None:
            return
        for leaf, value in zip(self._sliders, self.values):
            leaf.data = np.array(value)
        self._recompute()

    def set_value(self, name, value):
        """Move one slider by its name: w.set_value("x0", 1.5)."""
        if name not in self.names:
            raise KeyError(f"No slider named {name!r}; the sliders are {', '.join(self.names)}.")
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
