"""What travels to the page, declared once: where every number of one set of inputs sits in a row of float64s.

A *row* is everything the page shows for one position of the sliders, as one float64 vector: each Variable's
value, each backward step's gys and gxs, each step's local derivatives and gradient check, and the eps error
curve. NaN and ±inf travel as themselves. The live `numbers` trait is one row; a slider's table is G rows of
the same layout in one buffer. Beside a row goes a small JSON of what failed there (`errors`, see
table.py's Frame), since a failure is not a number.

The `Layout` says where each number is. It is made here from the graph's shape, sent once in
`graph["layout"]`, read by the page (js/state.js) and by Python itself (`read_row`), so no one else works
the offsets out:

    {"width": W,                                   # floats per row
     "columns": {name: {"offset": o, "count": n,   # where the column starts in the row, how many entries
                        "shape": [..]}             #   every entry this shape: entry i at o + i * size
                       | {"offset": o, "count": n,
                          "entries": [[start, shape], ...]}},   # entries of different shapes, each placed
     "steps": [{"gys": i, "gxs": j}, ...],         # per backward step: the entry index of its first gy (in
                                                   #   "gys") and of its first input (in every per-input
                                                   #   column); it has one gy per output, one gx per input
     "eps_curve": {"leaf": id, "eps": [...], "book_eps": 1e-4} | None,
     "cut": {column: {entry: shape}}}             # (only if any) entries of more than PREVIEW elements, sent
                                                   #   as their first PREVIEW, flat; each its own shape

Columns, in row order: "values" (one per variable node, in the order of graph["nodes"]); "gys" (one per
output of each step); "gxs", "locals" (the rule's value, NaN where a block declares none), "numerical"
(numerical_diff's gx), "errors" (their relative disagreement), "flagged" (1 above the tolerance), one per
input of each step; "eps_errors" (|numerical_diff - backprop| for each eps of eps_curve, at the plotted leaf).
A step that a row does not reach (its backward failed before it) is NaN there.
"""

import math

import numpy as np

PREVIEW = 20_000  # the most elements of one array a row carries (a 100×100 matrix fits; x.data has them all)
COLUMNS = ("values", "gys", "gxs", "locals", "numerical", "errors", "flagged", "eps_errors")
PER_INPUT = ("gxs", "locals", "numerical", "errors", "flagged")  # one entry per input of each step


class LayoutMismatch(ValueError):
    """A number's shape is not the one the layout declares (a learner's forward whose output changes shape
    with its input): the row cannot be packed in this layout."""


class Layout:
    """Where each number of a row lives. `shapes` gives, per column, each entry's shape (a tuple)."""

    def __init__(self, shapes, step_sizes, eps_curve=None):
        """shapes: {column: [shape, ...]} for every name in COLUMNS; step_sizes: [(outputs, inputs)] per
        step, in backward order; eps_curve: what the eps errors are measured against (or None). An entry of
        more than PREVIEW elements travels as its first PREVIEW in C order, a flat entry (`cut` says which
        and their own shape): a graph of huge arrays still shows, each summed up on its node."""
        shapes = {name: [tuple(shape) for shape in shapes.get(name, ())] for name in COLUMNS}
        self.cut = {}  # {column: {entry index: the entry's own shape}}
        for name in COLUMNS:
            for index, shape in enumerate(shapes[name]):
                if math.prod(shape) > PREVIEW:
                    self.cut.setdefault(name, {})[index] = shape
                    shapes[name][index] = (PREVIEW,)
        self.shapes = shapes
        self.columns = {}  # name -> (offset, [(start, shape, size)])
        offset = 0
        for name in COLUMNS:
            entries = []
            start = offset
            for shape in self.shapes[name]:
                size = math.prod(shape)
                entries.append((start, shape, size))
                start += size
            self.columns[name] = (offset, entries)
            offset = start
        self.width = offset
        self.steps = []
        gys = gxs = 0
        for outputs, inputs in step_sizes:
            self.steps.append((gys, gxs))
            gys += outputs
            gxs += inputs
        if gys != len(self.shapes["gys"]) or any(len(self.shapes[name]) != gxs for name in PER_INPUT):
            raise ValueError("the per-step columns must hold one entry per output / input of each step")
        self.eps_curve = eps_curve
        self._scalar_columns = {name for name in COLUMNS if all(shape == () for shape in self.shapes[name])}
        self._json = None

    def __eq__(self, other):
        return isinstance(other, Layout) and self.to_json() == other.to_json()

    def to_json(self):
        if self._json is None:
            columns = {}
            for name, (offset, entries) in self.columns.items():
                shapes = {shape for _, shape, _ in entries}
                column = {"offset": offset, "count": len(entries)}
                if len(shapes) <= 1:  # the usual case: one shape (scalars), entry i at offset + i * size
                    column["shape"] = list(shapes.pop()) if shapes else []
                else:
                    column["entries"] = [[start, list(shape)] for start, shape, _ in entries]
                columns[name] = column
            self._json = {
                "width": self.width,
                "columns": columns,
                "steps": [{"gys": gys, "gxs": gxs} for gys, gxs in self.steps],
                "eps_curve": self.eps_curve,
            }
            if self.cut:
                self._json["cut"] = {
                    name: {str(i): list(shape) for i, shape in cut.items()} for name, cut in self.cut.items()
                }
        return self._json

    # --- packing ---------------------------------------------------------------------------------------

    def pack(self, columns, positions=None, strict=True):
        """One row (W,) from {column: entries} of 0-d numbers, or with `positions` = P, a table (P, W) from
        entries with a leading positions axis. A column lists its entries from the first (for the per-step
        columns: the steps a backward reached, in order); "eps_errors" is one array (..., len(eps)) or
        None. Entries missing or None stay NaN. A number whose shape is not the declared one raises
        LayoutMismatch, or with strict=False stays NaN."""
        lead = () if positions is None else (positions,)
        rows = np.full(lead + (self.width,), np.nan)
        for name in COLUMNS:
            values = columns.get(name)
            if name == "eps_errors" and values is not None:
                values = [np.asarray(values)[..., i] for i in range(len(self.shapes[name]))]
            if values is not None and len(values):
                self._fill(rows, name, values, lead, strict)
        return rows

    def _fill(self, rows, name, values, lead, strict):
        offset, entries = self.columns[name]
        if len(values) > len(entries):
            raise LayoutMismatch(f"more {name} than the layout holds")
        if name in self._scalar_columns:  # the column at once
            if type(values) is np.ndarray and values.dtype == np.float64:  # already one (explain.CheckPlan)
                block = values
            else:
                try:
                    block = np.array([np.nan if v is None else v for v in values], dtype=float)
                except (TypeError, ValueError, np.exceptions.ComplexWarning):  # ragged, complex: one by one
                    block = None
            if block is not None and block.shape == (len(values), *lead):
                rows[..., offset : offset + len(values)] = block.T if lead else block
                return
        cut = self.cut.get(name, {})
        for index, ((start, shape, size), value) in enumerate(zip(entries, values)):
            if value is None:
                continue  # no number here (a grad that never came, a step not reached): NaN
            array = np.asarray(value)
            if array.dtype.kind == "c":
                array = array.real
            if index in cut and array.shape[len(lead) :] == cut[index]:
                array = array.reshape(lead + (-1,))[..., :size]  # its first elements only
            try:
                array = np.broadcast_to(array, lead + shape)
            except ValueError:
                if not strict:
                    continue
                raise LayoutMismatch(
                    f"a {name} entry of shape {array.shape} where {shape} is declared"
                ) from None
            rows[..., start : start + size] = array.reshape(lead + (size,))

    # --- reading, in Python ----------------------------------------------------------------------------

    def read(self, row, name):
        """The entries of one column of a row: 0-d arrays for scalars, arrays of their shape otherwise."""
        row = np.asarray(row, dtype=float)
        _, entries = self.columns[name]
        return [row[start : start + size].reshape(shape) for start, shape, size in entries]


def layout_from_json(data):
    """The Layout a graph["layout"] describes (Python reading what it sent, e.g. for w.checks)."""
    shapes = {}
    for name in COLUMNS:
        column = data["columns"][name]
        if "entries" in column:
            shapes[name] = [tuple(shape) for _, shape in column["entries"]]
        else:
            shapes[name] = [tuple(column["shape"])] * column["count"]
    for name, cut in data.get("cut", {}).items():  # entries sent as their first elements: their own shapes
        for index, shape in cut.items():
            shapes[name][int(index)] = tuple(shape)
    starts = data["steps"]
    ends = [*starts[1:], {"gys": data["columns"]["gys"]["count"], "gxs": data["columns"]["gxs"]["count"]}]
    sizes = [(end["gys"] - start["gys"], end["gxs"] - start["gxs"]) for start, end in zip(starts, ends)]
    return Layout(shapes, sizes, data.get("eps_curve"))


def read_row(graph, numbers):
    """What the page reads from a `numbers` trait: {column: entries} (see Layout.read), by the graph's
    own layout. For tests and for Python's views of the same numbers (w.checks, w.eps_curve)."""
    layout = layout_from_json(graph["layout"])
    return {name: layout.read(numbers["row"], name) for name in COLUMNS}


# --- on the wire -------------------------------------------------------------------------------------------


def as_buffer(array):
    """Float64 numbers as raw little-endian bytes, which ipywidgets sends as a binary buffer and the page
    reads as a Float64Array: far cheaper than a JSON list of them."""
    return memoryview(np.ascontiguousarray(array, dtype="<f8")).cast("B")


def as_json_list(array):
    """The same numbers as a flat JSON list, with "nan", "inf" and "-inf" as strings (JSON has no words for
    them): for front ends that drop binary buffers (Colab, googlecolab/colab-cdn-widget-manager#33)."""
    flat = np.asarray(array, dtype=float).ravel()
    if np.isfinite(flat).all():
        return flat.tolist()
    return [
        v if math.isfinite(v) else ("nan" if math.isnan(v) else "inf" if v > 0 else "-inf")
        for v in flat.tolist()
    ]


def encode(data, binary=True):
    """`data` (dicts and lists holding ndarrays) with every ndarray as a buffer, or as a JSON list."""
    if isinstance(data, np.ndarray):
        return as_buffer(data) if binary else as_json_list(data)
    if isinstance(data, dict):
        return {key: encode(value, binary) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [encode(value, binary) for value in data]
    return data
