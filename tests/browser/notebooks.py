"""Notebooks the benchmarks and load tests write for themselves: a trivial echo widget beside GradWidgets.

The echo widget is the baseline every latency is compared with: an anywidget whose kernel squares x, with
a range input and an <output> showing the kernel's answer. It does nothing else, so its round trip is the
front end's, the server's and the kernel's messaging alone.
"""

import json

ECHO_CELL = '''\
import anywidget
import traitlets


class Echo(anywidget.AnyWidget):
    """The kernel squares x; the page shows y and the x it was computed for."""

    _esm = """
    export default {
      render({ model, el }) {
        const input = document.createElement("input");
        input.type = "range";
        input.className = "echo-x";
        input.setAttribute("aria-label", "echo x");
        input.min = String(model.get("x_min"));
        input.max = String(model.get("x_max"));
        input.step = String((model.get("x_max") - model.get("x_min")) / 1000);
        input.value = String(model.get("x"));
        const out = document.createElement("output");
        out.className = "echo-y";
        const show = () => {
          const answer = model.get("answer");
          out.textContent = String(answer.y);
          out.dataset.x = String(answer.x);
          out.dataset.value = String(answer.y);
        };
        input.addEventListener("input", () => {
          model.set("x", Number(input.value));
          model.save_changes();
        });
        model.on("change:answer", show);
        show();
        const root = document.createElement("div");
        root.className = "echo-widget";
        root.append(input, out);
        el.append(root);
      },
    };
    """
    x = traitlets.Float(0.5).tag(sync=True)
    x_min = traitlets.Float(-2.0).tag(sync=True)
    x_max = traitlets.Float(2.0).tag(sync=True)
    # one trait, so that every answer is sent, in one message, even when y repeats (x, then -x)
    answer = traitlets.Dict({"x": 0.5, "y": 0.25}).tag(sync=True)

    @traitlets.observe("x")
    def _square(self, change):
        self.answer = {"x": change["new"], "y": change["new"] ** 2}


echo = Echo()
echo
'''


def stack(n):
    """n blocks whose values stay in a modest range for any x in [-2, 2]: sin, exp, tanh, square, cos, ..."""
    cycle = ["sin", "exp", "tanh", "square", "cos"]
    return [cycle[i % len(cycle)] for i in range(n)]


def gradwidget_cell(name, blocks, x=0.5, x_min=-2.0, x_max=2.0):
    return (
        "from gradwidget import GradWidget\n\n"
        f"{name} = GradWidget(blocks={blocks!r}, x={x!r}, x_min={x_min!r}, x_max={x_max!r})\n{name}\n"
    )


def write_notebook(path, cells):
    """A notebook of code cells, Python 3 kernel, nothing executed."""
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell-{i}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook, indent=1))
    return path
