"""Writes the example notebooks from the cells below, so their text is reviewed as code.

python examples/make_examples.py

tests/test_examples.py runs every notebook in a real kernel and checks that each number a comment
annotates (`print(x.grad)  # 3.297442541400256`) is what that line prints, and that the notebooks here are
the ones this script writes. The wheel ships them as gradwidget/examples/ (pyproject.toml), for the demo.
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
        "you step through the same backward pass in a widget. A comment such as `# 100` after a `print` is "
        "what that line prints."
    ),
    new_code_cell(
        "import numpy as np\n\nfrom gradwidget import Exp, GradWidget, Square, Variable, numerical_diff"
    ),
    new_markdown_cell("## Step 1-2: a Variable and a Function (변수와 함수)"),
    new_code_cell("x = Variable(np.array(10))\nf = Square()\ny = f(x)\nprint(type(y))\nprint(y.data)  # 100"),
    new_markdown_cell("## Step 3: chaining functions, y = C(B(A(x)))"),
    new_code_cell(
        "A = Square()\nB = Exp()\nC = Square()\n\n"
        "x = Variable(np.array(0.5))\na = A(x)\nb = B(a)\ny = C(b)\nprint(y.data)  # 1.648721270700128"
    ),
    new_markdown_cell(
        "## Step 4: numerical differentiation (수치 미분)\n"
        "The central difference `(f(x+h) - f(x-h)) / 2h`. Easy to write, but it loses digits "
        "(자릿수 누락) and costs one pass per input."
    ),
    new_code_cell(
        "f = Square()\nx = Variable(np.array(2.0))\ndy = numerical_diff(f, x)\nprint(dy)  # 4.000000000004"
    ),
    new_markdown_cell(
        "The composite function makes its own A, B and C, as the book does. A Function remembers the input "
        "it was last called with (`self.input`, which its `backward` needs): step 3's A, B and C would be "
        "left holding x ± h here, and backprop by hand would then start from the wrong numbers."
    ),
    new_code_cell(
        "def f(x):\n"
        "    A = Square()\n"
        "    B = Exp()\n"
        "    C = Square()\n"
        "    return C(B(A(x)))\n\n\n"
        "x = Variable(np.array(0.5))\n"
        "dy = numerical_diff(f, x)\n"
        "print(dy)  # 3.2974426293330694"
    ),
    new_markdown_cell(
        "## Step 6: backprop by hand, from y back to x (수동 역전파)\n"
        "Forward first, so each Function holds its input, then each `backward` in reverse order. The "
        "result agrees with numerical differentiation to about eight digits, and it is the exact one."
    ),
    new_code_cell(
        "A = Square()\nB = Exp()\nC = Square()\n\n"
        "x = Variable(np.array(0.5))\na = A(x)\nb = B(a)\ny = C(b)\n\n"
        "y.grad = np.array(1.0)\n"
        "b.grad = C.backward(y.grad)\n"
        "a.grad = B.backward(b.grad)\n"
        "x.grad = A.backward(a.grad)\n"
        "print(x.grad)  # 3.297442541400256"
    ),
    new_markdown_cell("## Step 7: automatic backprop through `creator` (역전파 자동화)"),
    new_code_cell(
        "x = Variable(np.array(0.5))\ny = C(B(A(x)))\ny.backward()\nprint(x.grad)  # 3.297442541400256"
    ),
    new_markdown_cell(
        "Passing a bare ndarray to a Function used to fail with a confusing `'memoryview' ** int` error. "
        "Here it is wrapped into a Variable for you, and anything that is not a number says how to fix it:"
    ),
    new_code_cell("Square()(np.array(0.5))  # variable(0.25)"),
    new_markdown_cell(
        "## Now step through it\n"
        "Move **x**, then press **Step** (or → / n) to run backward one Function at a time. "
        "Each node shows its value and, once backprop reaches it, its grad. Add, remove and reorder blocks "
        "from the palette."
    ),
    new_code_cell('w = GradWidget(blocks=["square", "exp", "square"], x=0.5)\nw'),
    new_markdown_cell(
        "The widget's Variables are the engine's own objects. Press **Step** a few times above, then run "
        "this cell again: it shows the grads backprop has reached so far."
    ),
    new_code_cell(
        'print(f"step {w.step} of {w.n_steps}")\nfor v in w.variables:\n    print(f"{v.name}.grad =", v.grad)'
    ),
    new_markdown_cell(
        "From Python, `w.step_forward()`, `w.step_back()`, `w.run_all()` and `w.reset()` do what the "
        "buttons do, and the widget above follows: try `w.run_all()` in a new cell, then this one again."
    ),
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

ANY_GRAPH = [
    new_markdown_cell(
        "# Any graph: `show(y)`\n"
        "Graphs you build in code, your own classes from the book, custom blocks, and the magics. "
        "Every leaf gets a slider; Step walks the backward pass as before."
    ),
    new_code_cell(
        "import numpy as np\n\n"
        "import gradwidget as gw\n"
        "from gradwidget import Function, GradWidget, Variable, register_block, show"
    ),
    new_markdown_cell(
        "## One variable, two branches (a diamond)\n"
        "`a` feeds both `square` and `exp`, so its grad is the sum of two contributions: watch both arrive."
    ),
    new_code_cell(
        'x = Variable(np.array(0.5), name="x")\n'
        "a = gw.square(x)\n"
        "y = gw.square(a) + gw.exp(a)\n"
        "diamond = show(y)\n"
        "diamond"
    ),
    new_markdown_cell("## Two inputs, two sliders: z = x·w + sin(x)"),
    new_code_cell(
        'x = Variable(np.array(0.5), name="x")\n'
        'w = Variable(np.array(1.5), name="w")\n'
        "z = x * w + gw.sin(x)\n"
        "two_leaves = show(z)\n"
        "two_leaves"
    ),
    new_markdown_cell(
        "## Your own classes, exactly as the book writes them (steps 1-7)\n"
        "No gradwidget base classes: stepping calls *your* `backward`."
    ),
    new_code_cell(
        "class MyVariable:\n"
        "    def __init__(self, data):\n"
        "        self.data = data\n"
        "        self.grad = None\n"
        "        self.creator = None\n\n"
        "    def set_creator(self, func):\n"
        "        self.creator = func\n\n\n"
        "class MyFunction:\n"
        "    def __call__(self, input):\n"
        "        x = input.data\n"
        "        y = self.forward(x)\n"
        "        output = MyVariable(y)\n"
        "        output.set_creator(self)\n"
        "        self.input = input\n"
        "        self.output = output\n"
        "        return output\n\n\n"
        "class MySquare(MyFunction):\n"
        "    def forward(self, x):\n"
        "        return x**2\n\n"
        "    def backward(self, gy):\n"
        "        return 2 * self.input.data * gy\n\n\n"
        "class MyExp(MyFunction):\n"
        "    def forward(self, x):\n"
        "        return np.exp(x)\n\n"
        "    def backward(self, gy):\n"
        "        return np.exp(self.input.data) * gy\n\n\n"
        "x = MyVariable(np.array(0.5))\n"
        "mine = show(MySquare()(MyExp()(MySquare()(x))))\n"
        "mine"
    ),
    new_markdown_cell("A backward with a slip shows its error on its own node; the rest keeps working:"),
    new_code_cell(
        "class BrokenExp(MyExp):\n"
        "    def backward(self, gy):\n"
        "        return None  # forgot the return value\n\n\n"
        "broken = show(MySquare()(BrokenExp()(MySquare()(MyVariable(np.array(0.5))))))\n"
        "broken"
    ),
    new_markdown_cell(
        "## A block of your own in the palette\n"
        "`rule` is the local derivative dy/dx, written in x (and y); the card shows it with numbers."
    ),
    new_code_cell(
        "class Cube(Function):\n"
        "    def forward(self, x):\n"
        "        return x**3\n\n"
        "    def backward(self, gy):\n"
        "        return 3 * self.input.data**2 * gy\n\n\n"
        'register_block("cube", Cube, rule="3 * x**2")\n'
        'stack = GradWidget(blocks=["cube", "exp"], x=0.5)\n'
        "stack"
    ),
    new_markdown_cell(
        "## Blocks and code agree\nEdit the code under the graph, or build a stack from a string:"
    ),
    new_code_cell('from_code = GradWidget.from_code("y = exp(sin(x))")\nprint(from_code.code)\nfrom_code'),
    new_markdown_cell(
        "## The magics\n`%load_ext gradwidget` shows a cell's Variable as `show(y)`; "
        "`%gradwidget` builds a stack."
    ),
    new_code_cell("%load_ext gradwidget"),
    new_code_cell("%gradwidget square exp square --x 0.3"),
    new_code_cell('t = Variable(np.array(1.0), name="t")\ngw.tanh(t) * t'),
]

EXPLAIN = [
    new_markdown_cell(
        "# 한 단계씩 설명하기 · Explain every step\n"
        "미분 카드, 기울기 확인(gradient check), f(x) 그래프, 수치 미분의 자릿수 누락."
    ),
    new_code_cell(
        "import numpy as np\n\n"
        "import gradwidget as gw\n"
        "from gradwidget import Exp, GradWidget, Variable, show"
    ),
    new_markdown_cell("## 한국어 위젯 (Korean)"),
    new_code_cell('ko = GradWidget(blocks=["square", "exp", "square"], x=0.5, lang="ko")\nko'),
    new_markdown_cell(
        "## A wrong backward is caught by the gradient check\n"
        "`WrongExp.backward` forgets to multiply by exp(x): the check flags that node, and only that node."
    ),
    new_code_cell(
        "class WrongExp(Exp):\n"
        "    def backward(self, gy):\n"
        "        return gy\n\n\n"
        'x = Variable(np.array(0.5), name="x")\n'
        "checked = show(gw.square(WrongExp()(gw.square(x))))\n"
        "checked"
    ),
    new_code_cell(
        "for check in checked.checks:\n"
        '    print(check["function"], check["flagged"], check["inputs"][0]["error"])'
    ),
    new_markdown_cell("## Presenter and predict-then-reveal modes"),
    new_code_cell(
        'quiz = GradWidget(blocks=["square", "exp", "square"], x=0.5, presenter=True, predict=True)\nquiz'
    ),
    new_markdown_cell(
        "Everything is readable from Python too: here a widget that is not displayed, one step in "
        "(the quiz above stays at its first step)."
    ),
    new_code_cell(
        'reader = GradWidget(blocks=["square", "exp", "square"], x=0.5)\nreader.step = 1\nprint(reader.card)'
    ),
]


NOTEBOOKS = {
    "01_backprop_story.ipynb": STORY,
    "02_classroom_dashboard.ipynb": DASHBOARD,
    "03_any_graph.ipynb": ANY_GRAPH,
    "04_explain_every_step.ipynb": EXPLAIN,
}


def notebook(cells):
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # stable ids keep regenerated notebooks diff-free
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def write(directory=HERE):
    for name, cells in NOTEBOOKS.items():
        nbformat.write(notebook(cells), pathlib.Path(directory) / name)


if __name__ == "__main__":
    write()
