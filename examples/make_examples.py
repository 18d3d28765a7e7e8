"""Writes the example notebooks from the cells below, so their text is reviewed as code.

python examples/make_examples.py
"""

import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).parent

STORY = [
    new_markdown_cell(
        "# Backpropagation, one node at a time\n"
        "역전파를 한 노드씩 따라가 봅시다.\n\n"
        "This notebook follows steps 1-7 of *Deep Learning from Scratch 3* (밑바닥부터 시작하는 딥러닝 3): "
        "`Variable`, `Function`, `Square`, `Exp`, numerical differentiation, and backprop by hand, then lets "
        "you step through the same backward pass in a widget."
    ),
    new_code_cell(
        "import numpy as np\n\nfrom gradwidget import Exp, GradWidget, Square, Variable, numerical_diff"
    ),
    new_markdown_cell("## Step 1-2: a Variable and a Function (변수와 함수)"),
    new_code_cell("x = Variable(np.array(10))\nf = Square()\ny = f(x)\nprint(type(y), y.data)"),
    new_markdown_cell("## Step 3: chaining functions, y = C(B(A(x)))"),
    new_code_cell(
        "A = Square()\nB = Exp()\nC = Square()\n\n"
        "x = Variable(np.array(0.5))\na = A(x)\nb = B(a)\ny = C(b)\nprint(y.data)"
    ),
    new_markdown_cell(
        "## Step 4: numerical differentiation (수치 미분)\n"
        "The central difference `(f(x+h) - f(x-h)) / 2h`. Easy to write, but it loses digits "
        "(자릿수 누락) and costs one pass per input."
    ),
    new_code_cell("numerical_diff(Square(), Variable(np.array(2.0)))"),
    new_code_cell(
        "def f(x):\n    return C(B(A(x)))\n\n\nnumerical_diff(f, Variable(np.array(0.5)))  # 3.2974426293330694"
    ),
    new_markdown_cell("## Step 6: backprop by hand, from y back to x (수동 역전파)"),
    new_code_cell(
        "y.grad = np.array(1.0)\n"
        "b.grad = C.backward(y.grad)\n"
        "a.grad = B.backward(b.grad)\n"
        "x.grad = A.backward(a.grad)\n"
        "print(x.grad)  # 3.297442541400256"
    ),
    new_markdown_cell("## Step 7: automatic backprop through `creator` (역전파 자동화)"),
    new_code_cell("x = Variable(np.array(0.5))\ny = C(B(A(x)))\ny.backward()\nprint(x.grad)"),
    new_markdown_cell(
        "Passing a bare ndarray to a Function used to fail with a confusing `'memoryview' ** int` error. "
        "Here it is wrapped into a Variable for you, and anything that is not a number says how to fix it:"
    ),
    new_code_cell("Square()(np.array(0.5))"),
    new_markdown_cell(
        "## Now step through it\n"
        "Move **x**, then press **Step** (or → / n) to run backward one Function at a time. "
        "Each node shows its value and, once backprop reaches it, its grad. Add, remove and reorder blocks "
        "from the palette."
    ),
    new_code_cell('w = GradWidget(blocks=["square", "exp", "square"], x=0.5)\nw'),
    new_markdown_cell("The widget's Variables are real engine objects:"),
    new_code_cell("w.run_all()\nprint(w.input.grad, w.output)"),
]

DASHBOARD = [
    new_markdown_cell(
        "# Backprop, step by step · 역전파 따라가기\n"
        "Move **x**, press **Step** to send the gradient back one block at a time, and build your own "
        "chain from the palette."
    ),
    new_code_cell(
        "from gradwidget import GradWidget\n\n"
        'GradWidget(blocks=["square", "exp", "square"], x=0.5, x_min=-1.5, x_max=1.5)'
    ),
]


def write(cells, name):
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # stable ids keep regenerated notebooks diff-free
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, HERE / name)


if __name__ == "__main__":
    write(STORY, "01_backprop_story.ipynb")
    write(DASHBOARD, "02_classroom_dashboard.ipynb")
