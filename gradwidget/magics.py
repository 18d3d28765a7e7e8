"""`%load_ext gradwidget`: Variables display as steppable graphs, and `%gradwidget square exp --x 0.5`."""

import argparse
import math
import shlex

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.display import display

from gradwidget.core import Variable
from gradwidget.trace import is_variable_like
from gradwidget.widget import GradWidget, default_range, show

# The learner's own Variable class, written in the notebook itself as the book does, and defined again at
# every step: IPython's printers by name resolve to one class object on first use and then forget the
# name, so the name is registered again each time one is used (see _display_graph).
_LEARNERS_VARIABLE = ("__main__", "Variable")


def _display_graph(y):
    """Show y's graph; a Variable with no creator at all (the book's steps 1-6) shows as its plain value."""
    shell = _shell()
    if shell is not None:
        _watch_the_learners_variable(shell)
    if not (is_variable_like(y) and hasattr(y, "creator")):
        _display_plain(y, shell)
        return
    try:
        widget = show(y)
    except (TypeError, ValueError) as error:  # not a graph the widget can show: the value, and why
        _display_plain(y, shell, note=f"(gradwidget cannot show this graph: {error})")
        return
    display(widget)


def _display_plain(y, shell, note=None):
    text = shell.display_formatter.formatters["text/plain"](y) if shell is not None else repr(y)
    display({"text/plain": text if note is None else f"{text}\n{note}"}, raw=True)


def _shell():
    from IPython import get_ipython

    return get_ipython()


def _watch_the_learners_variable(shell):
    """Keep the by-name printer for the notebook's own Variable class, for the next class of that name."""
    shell.display_formatter.ipython_display_formatter.deferred_printers[_LEARNERS_VARIABLE] = _display_graph


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit the kernel's process; say it instead
        raise UsageError(f"{message}\n{self.format_usage()}")


_parser = _ArgumentParser(
    prog="%gradwidget", description="A block stack, e.g. %gradwidget square exp square --x 0.5"
)
_parser.add_argument("blocks", nargs="*", help="block names, innermost first")
_parser.add_argument("--x", type=float, default=0.5)
_parser.add_argument("--x-min", type=float, default=None)
_parser.add_argument("--x-max", type=float, default=None)


@magics_class
class GradWidgetMagics(Magics):
    @line_magic
    def gradwidget(self, line):
        """%gradwidget square exp square --x 0.5 [--x-min -2 --x-max 2]: a GradWidget of those blocks."""
        try:
            words = shlex.split(line)
        except ValueError as error:  # a stray quote
            raise UsageError(
                f"%gradwidget could not read its line ({error}): block names need no quotes, e.g. "
                "%gradwidget square exp square --x 0.5."
            ) from None
        args = _parser.parse_args(words)
        _check_range(args)
        ranges = {k: v for k, v in (("x_min", args.x_min), ("x_max", args.x_max)) if v is not None}
        try:
            return GradWidget(blocks=args.blocks, x=args.x, **ranges)
        except Exception as error:  # TraitError: already says what is wrong and how to fix it
            raise UsageError(str(error)) from None


def _check_range(args):
    """The range's message in the magic's own words (--x-max, not w.x_max): a range given must hold --x;
    one not given widens to hold it, as GradWidget's does."""
    if not math.isfinite(args.x):
        return  # GradWidget says x must be finite
    low, high = default_range(args.x)
    low = low if args.x_min is None else args.x_min
    high = high if args.x_max is None else args.x_max
    if low >= high:
        raise UsageError(f"--x-min must be below --x-max; got --x-min {low} --x-max {high}.")
    if not low <= args.x <= high:
        raise UsageError(
            f"--x {args.x} is outside the range [{low}, {high}]; widen it, e.g. "
            f"--x-min {min(low, args.x)} --x-max {max(high, args.x)}."
        )


def load_ipython_extension(ipython):
    formatter = ipython.display_formatter.ipython_display_formatter
    formatter.for_type(Variable, _display_graph)
    formatter.for_type_by_name(*_LEARNERS_VARIABLE, _display_graph)
    ipython.register_magics(GradWidgetMagics)


def unload_ipython_extension(ipython):
    formatter = ipython.display_formatter.ipython_display_formatter
    formatter.pop(Variable, None)
    formatter.deferred_printers.pop(_LEARNERS_VARIABLE, None)
    formatter.type_printers = {
        k: v for k, v in formatter.type_printers.items() if (k.__module__, k.__name__) != _LEARNERS_VARIABLE
    }
