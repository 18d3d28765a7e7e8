"""Issue 11 §4: a lesson with no kernel. Pages written by save_html and by `nbconvert --to gradwidget`, opened
from file:// with every network request blocked (and counted: none), render, step, play and show the numbers a
fresh engine computes, with what needs Python disabled and a line that says so. A page cut short or edited by
hand says what is wrong instead of staying blank. Screenshots: tests/browser/screenshots/offline-*.png.
"""

import json
import re
import subprocess
import sys

import nbformat
import pytest
from gw_page import WAIT_MS, Widget, chain
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from offline_page import (
    expect_close,
    expect_edits_disabled,
    fresh_engine,
    open_offline,
    page_status,
)
from playwright.sync_api import expect

import gradwidget as gw

pytestmark = pytest.mark.browser

BLOCKS = ["square", "exp", "square"]
X = 0.7


def leaf_graph():
    """x*w + sin(x), built afresh: the same graph the page holds, for the numbers to compare with."""
    x = gw.Variable(0.5, name="x")
    w = gw.Variable(1.5, name="w")
    return gw.show(x * w + gw.sin(x))


def exercise_stack(page, widget, x, saved_step):
    """Step, back, run all, reset, keys and Play, checking each step's grads against numpy and a fresh
    engine."""
    values, grads = chain(x)
    engine_values, engine_grads = fresh_engine(BLOCKS, x)
    for node_id, value in values.items():
        expect_close(engine_values[node_id], value, rel=1e-12)
        expect_close(engine_grads[node_id], grads[node_id], rel=1e-12)
    widget.expect_values(engine_values)
    widget.expect_step(saved_step, engine_grads)
    widget.reset_button.click()
    widget.expect_step(0, engine_grads)
    for k in (1, 2, 3):
        widget.step_button.click()
        widget.expect_step(k, engine_grads)
    widget.back_button.click()
    widget.expect_step(2, engine_grads)
    widget.root.focus()
    page.keyboard.press("Home")
    widget.expect_step(0, engine_grads)
    page.keyboard.press("ArrowRight")
    widget.expect_step(1, engine_grads)
    page.keyboard.press("End")
    widget.expect_step(3, engine_grads)
    # Play from the start: the page's own player steps to the end and stops
    widget.reset_button.click()
    play = widget.root.locator("button.gw-play")
    play.click()
    expect(play).to_have_attribute("aria-label", "Pause")
    widget.expect_counter(3, 3)
    expect(play).to_have_attribute("aria-label", "Play", timeout=WAIT_MS)
    widget.expect_step(3, engine_grads)
    # the card shows the last step's numbers
    card = widget.root.locator(".gw-card")
    expect(card.locator(".gw-card-title")).to_have_text("Step 3 of 3: Square backward")


def slide_from_the_table(widget, x):
    """Move x with no kernel, at the last step: the page shows the values and grads a fresh engine computes
    there, from the table."""
    assert widget.set_x(x) == x  # on the grid
    engine_values, engine_grads = fresh_engine(BLOCKS, x)
    widget.expect_values(engine_values)
    widget.expect_step(3, engine_grads)


def test_save_html_steps_and_plays_with_no_kernel_and_no_network(page, tmp_path, screenshots):
    stack = gw.GradWidget(blocks=BLOCKS, x=X)
    stack.step = 1
    graph = leaf_graph()
    path = gw.save_html(tmp_path / "lesson.html", stack, graph, title="Backprop offline")
    network = open_offline(page, path, tmp_path / "site")
    assert page_status(page) == "ready"
    expect(page.locator("h1")).to_have_text("Backprop offline")
    roots = page.locator(".gradwidget")
    expect(roots).to_have_count(2)

    widget = Widget(page, roots.nth(0)).wait_visible()
    expect_edits_disabled(widget)
    expect(widget.slider).to_be_enabled()  # every x was worked out ahead: x slides with no kernel
    widget.root.screenshot(path=screenshots / "offline-save-html.png")
    exercise_stack(page, widget, X, saved_step=1)
    slide_from_the_table(widget, 1.3)

    # show(y): every leaf's grad after the last step, as a fresh engine computes them
    leaves = Widget(page, roots.nth(1)).wait_visible()
    expect_edits_disabled(leaves, stack=False)
    fresh = leaf_graph()
    fresh.run_all()
    leaves.run_all_button.click()
    leaves.expect_counter(fresh.n_steps, fresh.n_steps)
    for i, v in enumerate(fresh.variables):
        leaves.wait_number(f"v{i}", "data-value", float(v.data), rel=1e-3)  # shown to 4 digits
        leaves.wait_number(f"v{i}", "data-grad-value", float(v.grad), rel=1e-12)
    assert network.blocked == [], f"the page asked the network for {network.blocked}"
    for w in (stack, graph, fresh):
        w.close()


def lesson_notebook():
    """A lesson: text, a GradWidget stepped once, a show(y), and a widget of another kind."""
    return new_notebook(
        cells=[
            new_markdown_cell("# Backprop, offline\n\nStep through it: no kernel needed."),
            new_code_cell(
                "import ipywidgets\nimport gradwidget as gw\n\n"
                f"w = gw.GradWidget(blocks={BLOCKS!r}, x={X!r}, lang='ko')\nw.step = 2\nw"
            ),
            new_code_cell(
                "x = gw.Variable(0.5, name='x')\ngw.show(x * gw.Variable(1.5, name='w') + gw.sin(x))"
            ),
            new_code_cell("ipywidgets.IntSlider(value=3, description='other')"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def nbconvert(notebook_path, *args):
    """`jupyter nbconvert --to gradwidget ...` through this interpreter (the exporter it has installed)."""
    done = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "gradwidget", *args, str(notebook_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return notebook_path.with_suffix(".html")


def test_nbconvert_to_gradwidget_works_offline(page, tmp_path, screenshots):
    source = tmp_path / "lesson.ipynb"
    nbformat.write(lesson_notebook(), source)
    path = nbconvert(source, "--execute")
    text = path.read_text(encoding="utf-8")
    for cdn in ("require.js", "mathjax", "html-manager", "unpkg", "jsdelivr", "cdnjs"):
        assert cdn not in text.lower(), f"the page still names {cdn}"
    network = open_offline(page, path, tmp_path / "site")
    assert page_status(page) == "ready"
    expect(page.locator("h1", has_text="Backprop, offline")).to_be_visible()
    expect(page.locator(".gradwidget")).to_have_count(2)
    # the other widget falls back to its text
    expect(page.locator(".jp-OutputArea-output pre", has_text="IntSlider(value=3")).to_be_visible()

    root = page.locator(".gradwidget").nth(0)
    expect(root).to_have_attribute("lang", "ko")
    expect(root.locator(".gw-kernel-note")).to_contain_text("노트북을 열어 실행하세요")
    # the Korean page: switch to English (a page-side view option) to drive it by its English names
    root.locator("select.gw-lang").select_option("en")
    widget = Widget(page, root).wait_visible()
    expect_edits_disabled(widget)
    page.screenshot(path=screenshots / "offline-nbconvert-page.png", full_page=True)
    exercise_stack(page, widget, X, saved_step=2)

    leaves = Widget(page, page.locator(".gradwidget").nth(1)).wait_visible()
    fresh = leaf_graph()
    fresh.run_all()
    for _ in range(fresh.n_steps):
        leaves.step_button.click()
    leaves.expect_counter(fresh.n_steps, fresh.n_steps)
    for i, v in enumerate(fresh.variables):
        leaves.wait_number(f"v{i}", "data-grad-value", float(v.grad), rel=1e-12)
    fresh.close()
    assert network.blocked == [], f"the page asked the network for {network.blocked}"


def test_a_notebook_saved_without_widget_state_says_how_to_export_it(page, tmp_path):
    source = tmp_path / "lesson.ipynb"
    nbformat.write(lesson_notebook(), source)
    done = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output", "ran", str(source)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    ran = nbformat.read(tmp_path / "ran.ipynb", as_version=4)
    ran.metadata.pop("widgets")  # as a notebook saved without "save widget state" has none
    unsaved = tmp_path / "unsaved.ipynb"
    nbformat.write(ran, unsaved)
    network = open_offline(page, nbconvert(unsaved), tmp_path / "site", wait=False)
    alerts = page.get_by_role("alert")
    expect(alerts).to_have_count(2)
    expect(alerts.first).to_contain_text("saved without its state")
    expect(alerts.first).to_contain_text("nbconvert --to gradwidget --execute")
    expect(page.locator(".jp-OutputArea-output pre", has_text="IntSlider(value=3")).to_be_visible()
    assert network.blocked == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncate", "saved widget state is not valid JSON"),
        ("truncate-early", "no saved widget state"),
        ("edit-graph", "the saved graph is missing or damaged"),
        ("edit-buffer", "not valid base64"),
    ],
)
def test_a_damaged_page_says_what_is_wrong(page, tmp_path, screenshots, damage, message):
    w = gw.GradWidget(blocks=BLOCKS, x=X)
    text = w.save_html(tmp_path / "lesson.html").read_text(encoding="utf-8")
    w.close()
    state_at = text.index('id="gradwidget-state">')
    if damage == "truncate":
        text = text[: state_at + 3000]
    elif damage == "truncate-early":
        text = text[: state_at - 40]
    else:
        start = state_at + len('id="gradwidget-state">')
        end = text.index("</script>", start)
        state = json.loads(text[start:end])
        if damage == "edit-graph":
            state["widgets"][0]["state"]["graph"] = "oops"
        else:
            state["widgets"][0]["buffers"][0]["data"] = "not*base64"
        text = text[:start] + json.dumps(state).replace("<", "\\u003c") + text[end:]
    damaged = tmp_path / "damaged.html"
    damaged.write_text(text, encoding="utf-8")
    network = open_offline(page, damaged, tmp_path / "site")
    assert page_status(page) == "failed"
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(message)
    expect(alert).to_contain_text(re.compile(r"export it again with w\.save_html"))
    if damage == "truncate":
        page.screenshot(path=screenshots / "offline-truncated.png")
    assert network.blocked == []
