"""Issue 14 items 4-9 and 11 in a real JupyterLab: focus, stale states, presenter mode on a projector, big
graphs, the header kept in view, predict-first, and the words and numbers on the page.

The module writes its own notebook (one kernel): the book's chain `w`, a 60-block `big` (sin, cos, tanh * 20),
a learner's graph `mine` (their own Cube with no rule, a Mul, a tanh), `tiny`, whose numbers need e-notation,
and a 498-block `huge`.
Presenter mode runs in a page of its own at 1920x1080 device pixels (scale 1.5: 1280x720 CSS pixels), as a
projector shows it. Screenshots, 1280x900 and 1920x1080, light and dark, English and Korean:
tests/browser/screenshots/front-*.png.
"""

import contextlib

import pytest
from gw_cells import cell_widget, module_notebook, no_widget_errors, notebook_fixtures
from gw_page import WAIT_MS, _has, chain, kernel_eval
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A laptop's window; its notebook column is about 850 px wide beside JupyterLab's file browser.
LAPTOP = {"width": 1280, "height": 900}
# A 1920x1080 projector at 150%: the page is laid out in 1280x720 CSS pixels.
PROJECTOR = {"width": 1280, "height": 720}

CELLS = [
    "from gradwidget import GradWidget\nimport gradwidget as gw\n\n"
    "w = GradWidget(blocks=['square', 'exp', 'square'], x=0.5)\nw",
    "big = GradWidget(blocks=['sin', 'cos', 'tanh'] * 20, x=0.5)\nbig",
    "class Cube(gw.Function):\n"
    "    def forward(self, x):\n"
    "        return x**3\n\n"
    "    def backward(self, gy):\n"
    "        return 3 * self.input.data**2 * gy\n\n\n"
    "x = gw.Variable(0.5, name='x')\n"
    "v = gw.Variable(1.5, name='v')\n"
    "mine = gw.show(gw.tanh(Cube()(x) * v))\nmine",
    "tiny = GradWidget(blocks=['square'] * 4, x=0.0123)\ntiny.run_all()\ntiny",
    "huge = GradWidget(blocks=['sin', 'cos', 'tanh'] * 166, x=0.5)\nhuge",
]
STORY, BIG, MINE, TINY, HUGE = range(5)

PRESENTER_CELLS = [
    "from gradwidget import GradWidget\n\n"
    "three = GradWidget(blocks=['square', 'exp', 'square'], x=0.5, presenter=True)\nthree.step = 2\nthree",
    "ten = GradWidget(\n"
    "    blocks=['square', 'exp', 'square', 'sin', 'cos', 'tanh', 'exp', 'sin', 'square', 'cos'],\n"
    "    x=0.5,\n    presenter=True,\n)\nten.step = 3\nten",
]
THREE, TEN = range(2)


nb, page = notebook_fixtures("lab-front.ipynb", CELLS, viewport=LAPTOP)


def seen(page):
    """The part of the notebook a learner sees: the scrolling panel's box, in viewport coordinates."""
    return page.evaluate(
        """() => {
            const r = document.querySelector(".jp-WindowedPanel-outer").getBoundingClientRect();
            return {top: r.top, bottom: Math.min(r.bottom, window.innerHeight)};
        }"""
    )


def scroll_top(page):
    return page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer').scrollTop")


def in_sight(box, area):
    return box["y"] >= area["top"] - 0.5 and box["y"] + box["height"] <= area["bottom"] + 0.5


@contextlib.contextmanager
def theme(page, name):
    """JupyterLab's theme for the block, then back to the light one (the setting is the session server's)."""
    page.evaluate("(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", name)
    page.wait_for_function(
        "(dark) => document.body.dataset.jpThemeLight === String(!dark)", arg=name.endswith("Dark")
    )
    try:
        yield
    finally:
        page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
        )


# --- 4. focus -----------------------------------------------------------------------------------------------


def test_focus_stays_on_a_button_that_disables_itself(page):
    """Step at the last step, Run all and Reset each disable themselves: the focus stays on them (inside the
    widget), they say they are unavailable, and pressing them again does nothing."""
    kernel_eval(page, "None", code="w.step = 0")
    w = cell_widget(page, STORY)
    w.expect_counter(0, 3)
    focused = "() => document.activeElement?.getAttribute('aria-label')"
    w.step_button.focus()
    for k in (1, 2, 3):
        page.keyboard.press("Enter")
        w.expect_counter(k, 3)
    expect(w.step_button).to_be_disabled()  # aria-disabled="true"
    expect(w.step_button).to_be_focused()
    page.keyboard.press("Enter")  # unavailable: nothing happens
    w.expect_counter(3, 3)
    assert kernel_eval(page, "w.step") == 3

    w.reset_button.focus()
    page.keyboard.press("Enter")
    w.expect_counter(0, 3)
    expect(w.reset_button).to_be_disabled()
    expect(w.reset_button).to_be_focused()

    w.run_all_button.focus()
    page.keyboard.press("Enter")
    w.expect_counter(3, 3)
    expect(w.run_all_button).to_be_disabled()
    expect(w.run_all_button).to_be_focused()
    assert page.evaluate(focused) == "Run all"
    # the widget's keys still work from there: ← steps back, and Run all is available again
    page.keyboard.press("ArrowLeft")
    w.expect_counter(2, 3)
    expect(w.run_all_button).to_be_enabled()
    assert kernel_eval(page, "w.step") == 2


# --- 5. stale states ----------------------------------------------------------------------------------------


def test_code_errors_and_the_palette_leave_nothing_stale(page, screenshots):
    """Esc after a refused edit takes the error away with the text; after a refused edit the palette still
    updates the code; an empty stack's plot says to add a block (there is a slider)."""
    kernel_eval(page, "None", code="w.blocks = ['square', 'exp', 'square']; w.step = 0")
    w = cell_widget(page, STORY)
    box = w.root.get_by_role("textbox", name="Code", exact=True)
    expect(box).to_have_value("y = square(exp(square(x)))")
    box.fill("y = x**2")
    box.press("Enter")
    expect(w.alert).to_be_visible(timeout=WAIT_MS)
    expect(box).to_have_attribute("aria-invalid", "true")
    box.press("Escape")
    expect(box).to_have_value("y = square(exp(square(x)))")
    expect(box).to_have_attribute("aria-invalid", "false")
    expect(w.alert).to_be_hidden()
    # the same refusal again says so again
    box.fill("y = x**2")
    box.press("Enter")
    expect(w.alert).to_be_visible(timeout=WAIT_MS)
    expect(box).to_have_attribute("aria-invalid", "true")

    # a refused edit, then the palette: the box follows the stack
    for i in (3, 2, 1):
        w.root.get_by_role("button", name=f"Remove block {i} ({'exp' if i == 2 else 'square'})").click()
        expect(w.root.locator(".gw-stack-item")).to_have_count(i - 1, timeout=WAIT_MS)
    expect(w.root.locator(".gw-stack-empty")).to_have_text("No blocks: y = x.")
    expect(box).to_have_value(kernel_eval(page, "w.code"))
    expect(box).to_have_value("y = x")
    expect(box).to_have_attribute("aria-invalid", "false")
    expect(w.alert).to_be_hidden()
    expect(w.root.locator(".gw-plot-note")).to_have_text(
        "Add a block to plot f(x) and f\u2032(x): with no blocks, y = x."
    )
    # nor does the card say to press Step: there is nothing to step through
    card = w.root.locator(".gw-card")
    expect(card).to_have_text("Nothing to step through: the graph has no Function yet. Add a block.")
    assert card.text_content() == kernel_eval(page, "w.card")
    w.root.screenshot(path=screenshots / "front-empty-stack.png")
    kernel_eval(page, "None", code="w.blocks = ['square', 'exp', 'square']; w.step = 0")
    expect(box).to_have_value("y = square(exp(square(x)))")


# --- 8. big graphs, 9. the header in view ------------------------------------------------------------------


def test_a_big_graph_has_a_readable_overview(page, screenshots):
    """sin/cos/tanh * 20: Fit shows the whole chain wrapped into rows, its names readable (not 5% specks); the
    overview draws no numbers; the stack's list scrolls in a box rather than growing to 60 rows."""
    big = cell_widget(page, BIG)
    graph = big.root.locator(".gw-graph")
    expect(big.root.locator("g[data-node-id]")).to_have_count(121)
    assert float(graph.get_attribute("data-zoom")) >= 0.8, "the first view is readable"
    big.root.get_by_role("button", name="Fit", exact=True).click()
    expect(big.root.locator("svg.gw-svg")).to_have_class(_has("gw-overview"))
    zoom = float(graph.get_attribute("data-zoom"))
    assert zoom >= 0.35, f"the overview is at {zoom:.0%}"
    rows = big.root.locator("g[data-kind='variable'] > rect.box").evaluate_all(
        "els => new Set(els.map((e) => Math.round(e.getBoundingClientRect().top))).size"
    )
    assert rows >= 5, f"the chain wraps into rows ({rows})"
    # every node in view, and its name at least 9 px tall on screen
    viewport = graph.locator(".gw-viewport").bounding_box()
    for box in big.root.locator("g[data-node-id] > rect.box").evaluate_all(
        "els => els.map((e) => e.getBoundingClientRect())"
        ".map((r) => ({x: r.x, y: r.y, w: r.width, h: r.height}))"
    ):
        assert viewport["x"] - 1 <= box["x"] and box["x"] + box["w"] <= viewport["x"] + viewport["width"] + 1
        assert viewport["y"] - 1 <= box["y"] and box["y"] + box["h"] <= viewport["y"] + viewport["height"] + 1
    label = big.node("f0").locator("text.label").bounding_box()
    assert label["height"] >= 9, label
    expect(big.node("v1").locator("text.value")).to_be_hidden()
    graph.screenshot(path=screenshots / "front-big-overview.png")

    stack = big.root.locator(".gw-stack")
    expect(stack.locator(".gw-stack-item")).to_have_count(60)
    assert stack.bounding_box()["height"] < 320, "the list scrolls in its box"
    height = big.root.bounding_box()["height"]
    assert height < 1800, f"the widget is {height:.0f} px tall"


def test_a_huge_graph_draws_what_is_in_view(page, screenshots):
    """498 blocks (997 nodes): the first view draws its part of the graph (and a little around it); stepping
    and Fit draw the rest as it comes into view, every node with the kernel's numbers."""
    huge = cell_widget(page, HUGE)
    drawing = huge.root.locator("svg.gw-svg")
    expect(drawing).to_have_attribute("data-node-count", "997")
    nodes = huge.root.locator("g[data-node-id]")
    first = nodes.count()
    assert 0 < first < 300, f"{first} of 997 nodes drawn for the first view"
    expect(huge.node("v0")).to_have_attribute("data-value", "0.5")
    # End runs every step: the view follows backprop to x and draws what it passes
    huge.step_button.click()
    huge.expect_counter(1, 498)
    current = huge.root.locator('[aria-current="step"]')
    expect(current).to_have_attribute("data-node-id", "f497")
    out = huge.node("v498")
    expect(out).to_have_attribute("data-grad", "1")
    value = kernel_eval(page, "float(huge.output.data)")
    huge.wait_number("v498", "data-value", value, rel=1e-3)
    huge.root.get_by_role("button", name="Fit", exact=True).click()
    expect(nodes).to_have_count(997)
    expect(drawing).to_have_class(_has("gw-overview"))
    # a narrower column (a scrollbar comes, a side panel opens) wraps the rows anew: still all of it in view
    for width in ["70%", ""]:
        rows = drawing.get_attribute("viewBox")
        huge.root.evaluate("(el, width) => { el.style.maxWidth = width }", width)
        expect(drawing).not_to_have_attribute("viewBox", rows)
        expect(nodes).to_have_count(997)
        expect(drawing).to_have_class(_has("gw-overview"))
    # from the widget's top, so that the sticky controls are above the graph, not over it (stepping scrolled)
    huge.root.evaluate("el => el.scrollIntoView({block: 'start'})")
    huge.root.locator(".gw-graph").screenshot(path=screenshots / "front-huge-fit.png")


def test_a_plain_wheel_scrolls_the_notebook_and_ctrl_wheel_zooms(page):
    big = cell_widget(page, BIG)
    graph = big.root.locator(".gw-graph")
    big.root.get_by_role("button", name="Fit", exact=True).click()
    viewport = graph.locator(".gw-viewport")
    viewport.click()  # the graph has focus now: a wheel over it still scrolls the page
    box = viewport.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    zoom, before = graph.get_attribute("data-zoom"), scroll_top(page)
    page.mouse.wheel(0, 300)
    page.wait_for_function(
        "(y) => document.querySelector('.jp-WindowedPanel-outer').scrollTop > y", arg=before
    )
    assert graph.get_attribute("data-zoom") == zoom
    box = viewport.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    before = scroll_top(page)
    page.keyboard.down("Control")
    try:
        page.mouse.wheel(0, -200)
    finally:
        page.keyboard.up("Control")
    expect(graph).not_to_have_attribute("data-zoom", zoom)
    assert float(graph.get_attribute("data-zoom")) > float(zoom)
    assert scroll_top(page) == before, "Ctrl+wheel zooms the graph, not the page"


def test_the_slider_and_the_step_buttons_stay_in_view(page, screenshots):
    """At 1280x900 the 60-block widget is taller than the window: scrolled down to its palette, the slider and
    the step buttons are still in sight, and they work from there."""
    kernel_eval(page, "None", code="big.step = 0")
    big = cell_widget(page, BIG)
    big.root.evaluate("el => el.scrollIntoView({block: 'start'})")
    area = seen(page)
    palette = big.root.get_by_role("button", name="Add sin", exact=True)
    assert not in_sight(palette.bounding_box(), area), "the palette starts out of sight"
    box = big.root.locator(".gw-graph").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    for _ in range(20):
        if in_sight(palette.bounding_box(), area):
            break
        page.mouse.wheel(0, 250)
        page.wait_for_timeout(120)
    assert in_sight(palette.bounding_box(), area), "scrolled down to the palette"
    header = big.root.locator(".gw-controls")
    expect(header).to_have_class(_has("gw-stuck"))
    page.wait_for_timeout(100)  # the header is placed in the next frame
    for part in (big.slider, big.step_button, big.counter):
        assert in_sight(part.bounding_box(), area), "the slider and the step buttons are in sight"
    page.screenshot(path=screenshots / "front-sticky-1280x900.png")
    big.step_button.click()
    big.expect_counter(1, 60)
    # back at the top, the header is where it belongs again
    big.root.evaluate("el => el.scrollIntoView({block: 'start'})")
    expect(header).not_to_have_class(_has("gw-stuck"))
    kernel_eval(page, "None", code="big.step = 0")


# --- 11. words and numbers ----------------------------------------------------------------------------------


def test_rules_on_nodes_are_maths_and_a_missing_rule_says_how_to_add_one(page, screenshots):
    mine = cell_widget(page, MINE)
    tanh = mine.root.locator("g[data-kind='function']", has_text="Tanh")
    rule = tanh.locator("text.rule")
    expect(rule).to_have_text("1 \u2212 y2")  # the 2 is raised, not written after a caret
    expect(rule.locator("tspan.sup")).to_have_text("2")
    mul = mine.root.locator("g[data-kind='function']", has_text="Mul")
    lines = mul.locator("text.rule")
    expect(lines).to_have_count(2)  # one per input, saying which input it is for
    expect(lines.nth(0)).to_have_text("\u2202/\u2202x0 = x1")
    expect(lines.nth(0).locator("tspan.sub")).to_have_text(["0", "1"])
    for text in mine.root.locator("text.rule").all_text_contents():
        assert "^" not in text and "**" not in text, text
    # the learner's Cube has no rule: the card says how to give it one, in both languages
    n = kernel_eval(page, "mine.n_steps")
    kernel_eval(page, "None", code=f"mine.step = {n}")
    card = mine.root.locator(".gw-card")
    expect(card.locator(".gw-card-norule")).to_have_text(
        "No rule to show for Cube: give the class its local derivative as a rule "
        '(for a cube, rule = "3 * x**2") or pass rule= to register_block. These numbers are backprop\'s.'
    )

    def card_text():
        return [
            card.locator(".gw-card-norule").text_content(),
            *card.locator(".gw-sr-only").all_text_contents(),
        ]

    assert card_text() == kernel_eval(page, "mine.card").split("\n"), "the page's card is Python's w.card"
    kernel_eval(page, "None", code="mine.lang = 'ko'")
    expect(card.locator(".gw-card-norule")).to_contain_text("register_block에 rule=을 넘기세요")
    assert card_text() == kernel_eval(page, "mine.card").split("\n")
    mine.root.screenshot(path=screenshots / "front-rules-ko.png")
    kernel_eval(page, "None", code="mine.lang = 'en'")


def test_one_number_format_and_chips_that_do_not_break(page, screenshots):
    """Nodes and card write a number the same way (4 significant digits, e-notation as 1.234e−8); a chip's
    number never wraps inside itself."""
    tiny = cell_widget(page, TINY)
    card = tiny.root.locator(".gw-card")
    values = card.locator(".gw-chip-value")
    expect(values).to_have_count(3)
    up = values.nth(0).text_content()
    assert "e\u2212" in up, f"a number this small is in e-notation ({up})"
    for i in range(3):
        lines = values.nth(i).evaluate(
            "el => Math.round(el.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(el).lineHeight))"
        )
        assert lines == 1, f"{values.nth(i).text_content()} wraps onto {lines} lines"
    # the gy on the card is the grad on the node it came from, written alike
    x_grad = tiny.node("v1").get_attribute("data-grad")
    assert up == x_grad, (up, x_grad)
    # and the zoom strip never says "0 fits"; with nothing to pan it says nothing about panning
    hint = tiny.root.locator(".gw-zoom-hint")
    expect(hint).to_be_hidden()
    expect(hint).to_have_text("Drag to pan \u00b7 Ctrl+wheel or + / \u2212 to zoom \u00b7 0 to fit")
    card.screenshot(path=screenshots / "front-card-e-notation.png")


# --- 6. presenter mode on a projector, and the screenshots -------------------------------------------------


def whole_width(notebook):
    """A teacher on a projector gives the notebook the whole width."""
    notebook.page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")


projector = module_notebook(
    "lab-front-presenter.ipynb", PRESENTER_CELLS, viewport=PROJECTOR, scale=1.5, prepare=whole_width
)


@pytest.mark.parametrize("which", [THREE, TEN])
def test_presenter_mode_fills_a_projector(projector, which, screenshots):
    """1920x1080 at 150%: the graph spans the widget, the card and the plot sit side by side under it, and a
    3- or 10-block chain needs no scrolling."""
    page = projector.page
    with no_widget_errors(projector):
        w = cell_widget(page, which)
        expect(w.root).to_have_class(_has("gw-presenter"))
        w.root.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        content = w.root.evaluate(
            "el => { const s = getComputedStyle(el); return el.clientWidth - parseFloat(s.paddingLeft)"
            " - parseFloat(s.paddingRight); }"
        )
        drawing = w.root.locator("svg.gw-svg").bounding_box()
        assert drawing["width"] >= 0.85 * content, (
            f"the graph is {drawing['width']:.0f} of {content:.0f} px wide"
        )
        names = w.node("f0").locator("text.label").bounding_box()
        assert names["height"] >= 14, "the names read from the back of the room"
        card = w.root.locator(".gw-card-section").bounding_box()
        plot = w.root.locator(".gw-plot-section").bounding_box()
        assert abs(card["y"] - plot["y"]) < 1 and plot["x"] >= card["x"] + card["width"], "side by side"
        assert card["y"] >= drawing["y"] + drawing["height"] - 1, "under the graph"
        area = seen(page)
        for part, box in [("graph", drawing), ("card", card), ("plot", plot)]:
            assert in_sight(box, area), f"the {part} is below the fold: {box} in {area}"
        page.screenshot(
            path=screenshots / f"front-presenter-{'ten' if which == TEN else 'three'}-1920x1080.png"
        )


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_screenshots_as_a_learner_and_a_teacher_see_them(page, projector, dark, lang, screenshots):
    """The chain mid-way at 1280x900 (a laptop) and in presenter mode at 1920x1080 (a projector), in
    JupyterLab's light and dark themes, in English and Korean. The theme comes from JupyterLab (--jp-*
    variables): the widget's background is the notebook's, its text readable on it."""
    name = "JupyterLab Dark" if dark else "JupyterLab Light"
    tag = f"{'dark' if dark else 'light'}-{lang}"
    kernel_eval(page, "None", code=f"w.lang = {lang!r}; w.step = 2")
    w = cell_widget(page, STORY)
    expect(w.root).to_have_attribute("lang", lang)
    with theme(page, name):
        background, text = w.root.evaluate(
            """el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color].map(
                (c) => c.match(/[\\d.]+/g).slice(0, 3).reduce((sum, v) => sum + Number(v), 0) / 765)"""
        )
        assert (background < 0.3 < 0.7 < text) if dark else (text < 0.3 < 0.7 < background), (
            background,
            text,
        )
        w.root.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        # where upstream × local = downstream wraps (English at 1280), × and = go with the chip after them
        apart = w.root.locator(".gw-card .gw-chain-op").evaluate_all(
            """ops => ops.filter((op) => {
                const a = op.getBoundingClientRect(), b = op.nextElementSibling.getBoundingClientRect();
                return a.top + a.height / 2 < b.top || a.top + a.height / 2 > b.bottom;
            }).map((op) => op.textContent)"""
        )
        assert apart == [], f"{apart} end a line of the card's chain, apart from the chip they lead to"
        page.screenshot(path=screenshots / f"front-1280x900-{tag}.png")
    kernel_eval(page, "None", code="w.lang = 'en'; w.step = 0")

    teacher = projector.page
    with no_widget_errors(projector):
        kernel_eval(teacher, "None", code=f"three.lang = {lang!r}")
        p = cell_widget(teacher, THREE)
        expect(p.root).to_have_attribute("lang", lang)
        with theme(teacher, name):
            p.root.evaluate("el => el.scrollIntoView({block: 'start'})")
            teacher.wait_for_timeout(300)
            teacher.screenshot(path=screenshots / f"front-1920x1080-presenter-{tag}.png")
        kernel_eval(teacher, "None", code="three.lang = 'en'")


def test_predict_first_steps_with_the_kernel(page):
    """The chain with predict first: each right guess takes the step in the kernel too."""
    kernel_eval(page, "None", code="w.step = 0; w.predict = True")
    w = cell_widget(page, STORY)
    _, grads = chain(0.5)
    guess = w.root.get_by_role("textbox", name="Your prediction", exact=True)
    for k, node in ((1, "v2"), (2, "v1"), (3, "v0")):
        guess.fill(f"{float(grads[node]):.4g}")
        guess.press("Enter")
        w.expect_counter(k, 3)
        expect(w.root.locator(".gw-predict-verdict")).to_have_text("Right!")
    assert kernel_eval(page, "w.step") == 3
    expect(guess).to_be_focused()
    kernel_eval(page, "None", code="w.predict = False; w.step = 0")
