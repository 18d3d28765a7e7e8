"""Every example notebook runs in a real kernel, tells the truth about its numbers, and leaves its widgets
where the text says a learner finds them.

A comment that annotates a value (`print(x.grad)  # 3.297442541400256`) is a promise to a learner that this
is what the line prints. Each example is executed with nbclient (a real ipykernel, as Run All does) and every
annotation is looked for in what its cell printed, in order. The forms an annotation takes here:

    print(dy)  # 3.2974426293330694     every digit written must be printed (rounded to the digits given)
    print(dy)  # 3.2974                 fewer digits: the printed number, rounded to 4 decimals
    print(dy)  # 3.297...               a number cut short: the printed number starts with these digits
    f(x)  # variable(0.25)              a repr, numbers inside it read as above
    print(x.grad)  # -> 3.2974          with a marker: prints, ->, =>, →, ≈, ~, Out:
    print(x.grad)  # x.grad = 3.2974    a name and = (or :) before the value

Any other comment is prose and is not checked (`# forgot the return value`, `# dy/dx at x = 0.5`).
"""

import decimal
import importlib.util
import io
import pathlib
import re
import tokenize

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient

REPO = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CELL_TIMEOUT = 120  # seconds; every example cell takes well under one

# --- annotations --------------------------------------------------------------------------------------------

_NUMBER = r"[-−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+−]?\d+)?"
NUMBER = re.compile(rf"(?<![\w.]){_NUMBER}(?![\w])")
_MARKER = re.compile(r"^(?:prints?:?\s+|->\s*|=>\s*|→\s*|≈\s*|~\s*|Out:\s*)")
_NAME_IS = re.compile(r"^[A-Za-z_][\w.\[\]'\"]*(?:\(\))?\s*(?:=|:)\s+")
# what a value starts with: a number, a Python constant, a repr such as variable(0.25) or array([1., 2.]),
# or a list or tuple of numbers
_VALUE = re.compile(
    rf"^(?:{_NUMBER}|True\b|False\b|None\b|[A-Za-z_][\w.]*\((?=[-−\d.\['\"])|[\[(](?=[-−\d.]))"
)
_CUT = re.compile(r"(\.\.\.|…)")


class Annotation:
    """One annotated value: the comment's text, its line in the cell, and the printed text it stands for as
    a regular expression whose groups are the numbers, each checked at the precision it is written with."""

    def __init__(self, line, comment, value):
        self.line, self.comment = line, comment
        pattern, self.numbers = [], []  # numbers: (written text, cut short?)
        position = 0
        for found in NUMBER.finditer(value):
            pattern.append(_literal(value[position : found.start()]))
            pattern.append(rf"(?<![\w.])({_NUMBER})(?!\w)")  # a whole printed number, not a digit of one
            position = found.end()
            cut = _CUT.match(value, position)
            if cut:
                position = cut.end()
            self.numbers.append((found.group(), bool(cut)))
        pattern.append(_literal(value[position:]))
        self.pattern = re.compile("".join(pattern))

    def find(self, printed, start=0):
        """Where this annotation's value is printed at or after `start`: the end of the match, or None."""
        for match in self.pattern.finditer(printed, start):
            pairs = zip(self.numbers, match.groups())
            if all(_shows(written, cut, shown) for (written, cut), shown in pairs):
                return match.end()
        return None


def _literal(text):
    return r"\s+".join(re.escape(part) for part in re.split(r"\s+", text))


def _plain(number):
    return number.replace("−", "-")


def _shows(written, cut, shown):
    """Does a printed number `shown` read as the annotation's `written` one?"""
    written, shown = _plain(written), _plain(shown)
    if cut:
        mantissa = written.lower().split("e")[0]
        return shown.lower().startswith(mantissa)
    want, have = decimal.Decimal(written), decimal.Decimal(shown)
    exponent = want.as_tuple().exponent
    return have.quantize(decimal.Decimal(1).scaleb(exponent), rounding=decimal.ROUND_HALF_EVEN) == want


def annotations(source):
    """The annotations among a cell's comments, in order (magics are turned into Python first)."""
    python = TransformerManager().transform_cell(source)
    found = []
    for token in tokenize.generate_tokens(io.StringIO(python).readline):
        if token.type != tokenize.COMMENT:
            continue
        comment = token.string[1:].strip()
        value = _MARKER.sub("", comment)
        value = _NAME_IS.sub("", value) if _VALUE.match(_NAME_IS.sub("", value)) else value
        if _VALUE.match(value):
            found.append(Annotation(token.start[0], comment, value))
    return found


def printed_text(cell):
    """What a code cell showed: its stdout, its results' and displays' text, its errors, in order."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream" and output["name"] == "stdout":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data"):
            parts.append(output["data"].get("text/plain", ""))
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join(parts)


def untrue_annotations(cell):
    """The cell's annotations that its output does not show, each as a message."""
    printed = printed_text(cell)
    problems, position = [], 0
    for annotation in annotations(cell["source"]):
        end = annotation.find(printed, position)
        if end is None:
            problems.append(
                f"line {annotation.line}: `# {annotation.comment}`, but the cell printed:\n"
                + (printed or "(nothing)")
            )
        else:
            position = end
    return problems


def code_cell(source, *printed):
    """A code cell as nbclient leaves it, printing `printed` on stdout."""
    outputs = [nbformat.v4.new_output("stream", name="stdout", text=text) for text in printed]
    return nbformat.v4.new_code_cell(source, outputs=outputs)


# --- the checker itself -------------------------------------------------------------------------------------


def test_the_issues_mismatch_is_caught():
    """examples/01 before the fix: backprop by hand printed 3.298761782256191 under `# 3.297442541400256`."""
    cell = code_cell("x.grad = A.backward(a.grad)\nprint(x.grad)  # 3.297442541400256", "3.298761782256191\n")
    [problem] = untrue_annotations(cell)
    assert "line 2: `# 3.297442541400256`" in problem and "3.298761782256191" in problem
    assert untrue_annotations(code_cell("print(x.grad)  # 3.297442541400256", "3.297442541400256\n")) == []


@pytest.mark.parametrize(
    ("comment", "printed", "true"),
    [
        ("3.2974", "3.297442541400256", True),  # rounded to the digits written
        ("3.2975", "3.297442541400256", False),
        ("3.297...", "3.297442541400256", True),  # cut short
        ("3.298…", "3.297442541400256", False),
        ("3.297442541400256", "3.29744254", False),  # numpy's repr shows fewer digits than promised
        ("100", "<class 'gradwidget.core.Variable'> 100", True),
        ("1", "100", False),  # a digit of another number is not that number
        ("5", "3.5", False),
        ("-0.5", "−0.5", True),  # the card's minus sign
        ("1.2e-08", "1.2000000000000001e-08", True),
        ("1.2e-08", "1.3e-08", False),
        ("variable(0.25)", "variable(0.25)", True),
        ("variable(0.25)", "variable(0.5)", False),
        ("array([1., 4.])", "array([1., 4.])", True),
        ("-> 3.2974", "3.297442541400256", True),
        ("x.grad = 3.2974", "3.297442541400256", True),
        ("True", "True", True),
        ("None", "3.29", False),
        ("3.2974 then 1.6487", "3.297442541400256 then 1.648721270700128", True),
    ],
)
def test_an_annotation_is_checked_at_the_precision_it_is_written(comment, printed, true):
    cell = code_cell(f"print(value)  # {comment}", printed + "\n")
    assert (untrue_annotations(cell) == []) is true


def test_annotations_are_found_in_order_and_prose_is_not_checked():
    source = (
        "print(a)  # 1.5\n"
        "print(b)  # 2.5\n"
        "w.step = 2  # the first two backward steps are done\n"
        "w.input.grad  # dy/dx at x = 0.5\n"
        "%gradwidget square exp --x 0.3\n"
        "s = '# 7'\n"
    )
    assert [a.comment for a in annotations(source)] == ["1.5", "2.5"]
    assert untrue_annotations(code_cell(source, "1.5\n2.5\n")) == []
    assert len(untrue_annotations(code_cell(source, "2.5\n1.5\n"))) == 1  # printed in the other order
    # a value annotated on a line that prints nothing is not what the cell prints
    assert untrue_annotations(code_cell("x = 0.5  # 0.5\nprint(1)", "1\n"))


# --- the examples -------------------------------------------------------------------------------------------


def _make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_notebooks_are_the_ones_make_examples_writes(tmp_path):
    """The notebooks are generated: an edit belongs in make_examples.py, then run it."""
    _make_examples().write(tmp_path)
    written = sorted(path.name for path in tmp_path.glob("*.ipynb"))
    assert [path.name for path in NOTEBOOKS] == written
    for name in written:
        committed = (EXAMPLES / name).read_text(encoding="utf-8")
        generated = (tmp_path / name).read_text(encoding="utf-8")
        assert committed == generated, f"examples/{name} is not what examples/make_examples.py writes"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each example run top to bottom once per test session, in a kernel of its own, in a scratch folder."""
    done = {}

    def run(path):
        if path.name not in done:
            notebook = nbformat.read(path, as_version=4)
            cwd = tmp_path_factory.mktemp(path.stem)
            client = NotebookClient(
                notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": cwd}}
            )
            client.execute()  # a cell that raises fails here with its traceback, as Run All would stop
            done[path.name] = notebook
        return done[path.name]

    return run


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_annotated_number_is_what_its_cell_prints(executed, path):
    notebook = executed(path)
    problems = [
        f"{path.name}, cell {index}, {problem}"
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for problem in untrue_annotations(cell)
    ]
    assert not problems, "\n\n".join(problems)


def test_the_story_annotates_what_a_learner_checks():
    """The story's annotations are there to be checked: the values of steps 1-7 as the book gives them."""
    notebook = nbformat.read(EXAMPLES / "01_backprop_story.ipynb", as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    comments = [annotation.comment for source in code for annotation in annotations(source)]
    for value in ("100", "4.000000000004", "3.2974426293330694", "3.297442541400256"):
        assert value in comments, f"the story no longer annotates {value}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_widget_waits_at_its_first_step_after_run_all(executed, path):
    """A learner who runs every cell, then scrolls to a widget under "press Step", finds it at step 0: no
    later cell has stepped it (the story's next cell ran w.run_all(), leaving Step 3/3, Step greyed out)."""
    notebook = executed(path)
    states = notebook.metadata["widgets"][WIDGET_STATE]["state"]
    shown = [
        (index, output["data"][WIDGET_VIEW]["model_id"])
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if WIDGET_VIEW in output.get("data", {})
    ]
    ours = [(index, states[model]["state"]) for index, model in shown if "n_steps" in states[model]["state"]]
    assert ours, f"{path.name} shows no gradwidget"
    moved = [f"cell {index}: step {s['step']} of {s['n_steps']}" for index, s in ours if s["step"] != 0]
    assert not moved, f"{path.name}: widgets a later cell stepped: {moved}"
