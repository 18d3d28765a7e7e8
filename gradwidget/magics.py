"""`%load_ext gradwidget`: Variables display as steppable graphs, and `%gradwidget square exp --x 0.5`."""

import argparse
import shlex

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.display import display

from gradwidget.core import Variable
from gradwidget.widget import GradWidget, show


def _display_graph(y):
    display(show(y))


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
        args = _parser.parse_args(shlex.split(line))
        ranges = {k: v for k, v in (("x_min", args.x_min), ("x_max", args.x_max)) if v is not None}
        try:
            return GradWidget(blocks=args.blocks, x=args.x, **ranges)
        except Exception as error:  # TraitError: already says what is wrong and how to fix it
            raise UsageError(str(error)) from None


def load_ipython_extension(ipython):
    formatter = ipython.display_formatter.ipython_display_formatter
    formatter.for_type(Variable, _display_graph)
    # the learner's own Variable class, written in the notebook itself as the book does
    formatter.for_type_by_name("__main__", "Variable", _display_graph)
    ipython.register_magics(GradWidgetMagics)


def unload_ipython_extension(ipython):
    formatter = ipython.display_formatter.ipython_display_formatter
    formatter.pop(Variable, None)
    formatter.deferred_printers.pop(("__main__", "Variable"), None)
    formatter.type_printers = {
        k: v
        for k, v in formatter.type_printers.items()
        if not (k.__module__ == "__main__" and k.__name__ == "Variable")
    }
