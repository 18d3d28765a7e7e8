"""GradWidget: thin glue between the engine (through trace.py) and the page in js/.

Python is the source of truth. The page changes a trait, Python validates it, the engine recomputes, plain
data goes back in `graph`, and the page redraws. A rejected change (from Python or from the page) raises
a TraitError here, shows its message in the widget's `error`, and leaves the last good state in place.
"""

import difflib
import math
import pathlib

import anywidget
import numpy as np
import traitlets
from traitlets import Bool, Dict, Float, Int, List, TraitError, Unicode, validate

from gradwidget.core import Variable, backward_steps
from gradwidget.functions import BLOCKS
from gradwidget.trace import clear_grads, functions_of, graph_data, replay_forward, variables_of

_STATIC = pathlib.Path(__file__).parent / "static"
MAX_BLOCKS = 1000  # a sane cap: 1,000 blocks still lay out and step smoothly; more is a typo or a loop

_MISSING_BUNDLE = """
export default { render({ el }) {
  el.textContent = "gradwidget's front end is not built: run pip install -e . (or npm run build).";
} };
"""


def _bundle(name, fallback):
    path = _STATIC / name
    return path if path.exists() else fallback


def _intermediate_names(count):
    """The book calls the values between x and y a, b, c, ...; after w comes v24, v25, ..."""
    letters = "abcdefghijklmnopqrstuvw"
    return [letters[i] if i < len(letters) else f"v{i + 1}" for i in range(count)]


class GradWidget(anywidget.AnyWidget):
    """Stack blocks, slide x, and step through backprop one Function at a time.

    >>> w = GradWidget(blocks=["square", "exp", "square"], x=0.5)
    >>> w.run_all(); float(w.input.grad)
    3.297442541400256
    """

    _esm = _bundle("widget.js", _MISSING_BUNDLE)
    _css = _bundle("widget.css", "")

    x = Float(0.5, help="the input value").tag(sync=True)
    x_min = Float(-2.0, help="left end of the x slider").tag(sync=True)
    x_max = Float(2.0, help="right end of the x slider").tag(sync=True)
    blocks = List(Unicode(), default_value=["square", "exp", "square"]).tag(sync=True)
    palette = List(Unicode(), read_only=True, help="block names the page offers").tag(sync=True)
    step = Int(0, help="how many backward steps are done (0 = none, n_steps = all)").tag(sync=True)
    n_steps = Int(0, read_only=True).tag(sync=True)
    playing = Bool(False, help="the page advances `step` by itself at `speed`").tag(sync=True)
    speed = Float(2.0, help="steps per second while playing").tag(sync=True)
    graph = Dict(read_only=True).tag(sync=True)
    error = Unicode("", read_only=True, help="the last rejected change, in words").tag(sync=True)

    def __init__(self, blocks=None, x=0.5, **kwargs):
        if blocks is not None:
            kwargs["blocks"] = blocks
        self._functions = None  # observers wait for the first _build(), after every trait is set
        super().__init__(x=x, **kwargs)
        self.set_trait("palette", sorted(BLOCKS))
        self._build()

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

    # --- validation: a clear TraitError, shown on the page too ------------------------------------------

    def _reject(self, message):
        self.set_trait("error", message)
        raise TraitError(message)

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

    @validate("step")
    def _valid_step(self, proposal):
        step = proposal["value"]
        if not 0 <= step <= self.n_steps:
            self._reject(
                f"step must be between 0 and n_steps = {self.n_steps}; got {step}. "
                "Use w.run_all() for the last step and w.reset() for the first."
            )
        return step

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

    # --- recomputing: blocks rebuild the graph, x replays it, step replays backward -------------------

    @traitlets.observe("blocks")
    def _on_blocks(self, change):
        if self._functions is not None:
            self._build()

    @traitlets.observe("x")
    def _on_x(self, change):
        if self._functions is None:
            return
        self.input.data = np.array(self.x)
        replay_forward(self._functions)
        self._publish()

    @traitlets.observe("step")
    def _on_step(self, change):
        if self._functions is None:
            return
        self._replay_steps()
        self.set_trait("error", "")

    def _build(self):
        x = Variable(np.array(self.x), name="x")
        y = x
        for name in self.blocks:
            y = BLOCKS[name]()(y)
        y.name = "y" if self.blocks else "x"
        self.input, self.output = x, y
        self._functions = functions_of(y)
        self._variables = variables_of(self._functions, y)
        for variable, name in zip(self._variables[1:-1], _intermediate_names(len(self._variables) - 2)):
            variable.name = name
        self._publish()

    def _publish(self):
        """Send the page the new picture and bring the engine's grads back to the current step."""
        labels = {id(v): v.name for v in self._variables}
        roles = {id(v): "intermediate" for v in self._variables}
        roles[id(self.input)] = "input"
        roles[id(self.output)] = "output"
        graph = graph_data(self.output, self._functions, self._variables, labels, roles, list(self.blocks))
        n_steps = len(graph["steps"])
        self._stepper, self._steps_done = None, 0  # the graph's grads were cleared: start again
        with self.hold_sync():
            self.set_trait("graph", graph)
            self.set_trait("n_steps", n_steps)
            if self.step > n_steps:
                self.step = n_steps  # fewer blocks now: stay at the last step that still exists
            self._replay_steps()
            self.set_trait("error", "")

    def _replay_steps(self):
        """Run the engine's own backward for exactly `step` Functions, so every .grad matches the page.

        Going forward continues the same backward pass; going back starts it again from the output.
        """
        if self._steps_done > self.step or self._stepper is None:
            clear_grads(self._variables)
            self._stepper = backward_steps(self.output) if self.step else None
            self._steps_done = 0
        while self._steps_done < self.step:
            next(self._stepper)
            self._steps_done += 1

    @property
    def variables(self):
        """Every Variable of the stack, x first and y last."""
        return list(self._variables)

    @property
    def functions(self):
        """Every Function of the stack, in forward order."""
        return list(self._functions)
