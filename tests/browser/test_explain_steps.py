"""Issue 6 in a real JupyterLab: the derivative card, the gradient check's flag, the f(x) plot, Korean, and
the presenter and predict modes.

examples/04_explain_every_step.ipynb is opened once and run (one kernel). Cells (0-based, markdown included):
3 `ko` (Korean, square/exp/square at x = 0.5), 5 `checked` (a WrongExp whose backward returns gy), 8 `quiz`
(presenter and predict modes; cell 10 prints step 1's card of the same chain, from a widget not shown). What
the page shows is checked against numpy and against the kernel's own `w.card`, `w.checks` and `w.curves`.
Screenshots:
tests/browser/screenshots/explain-*.png (explain-korean.png is the Korean one).
"""

import math
import re

import numpy as np
import pytest
from gw_cells import (
    NotebookPage,
    cell,
    cell_widget,
    dump,
    latin_words,
    no_widget_errors,
    notebook_fixtures,
    set_range,
    visible_texts,
    wait_number,
)
from gw_page import WAIT_MS, Widget, _has, chain, kernel_eval, open_voila
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EXAMPLE = "04_explain_every_step.ipynb"
KO, CHECKED, CHECKS_PRINTED, QUIZ, QUIZ_CARD = 3, 5, 6, 8, 10

# Latin words a Korean page may still show: names from the learner's code and the engine (x, Square, exp,
# numerical_diff, gy), key names, and each language's own name in the language picker.
NAMES = {
    "x", "y", "a", "b", "gx", "gy", "dy", "dx", "grad", "eps", "Square", "Exp", "Function", "backward",
    "numerical_diff", "square", "exp", "sin", "cos", "tanh", "log", "neg", "Alt", "Ctrl", "Home", "End",
    "Space", "Enter", "Esc", "English",
}  # fmt: skip


nb, page = notebook_fixtures("lab-explain.ipynb", example=EXAMPLE)


def g4(v):
    """A number as the page writes it in words: 4 significant digits, a real minus sign."""
    text = f"{float(v):.4g}"
    return text.replace("-", "\u2212")


def math_text(locator):
    return re.sub(r"\s+", "", locator.text_content())


def filter_of(locator):
    return locator.evaluate("el => getComputedStyle(el).filter")


def korean_buttons(root):
    names = ["뒤로", "단계", "재생", "모두 실행", "처음으로"]
    return {name: root.get_by_role("button", name=name, exact=True) for name in names}


def test_card_text_at_each_step(page, screenshots):
    """At step 3 of square/exp/square at x = 0.5 the card reads gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297, as
    the kernel's ko.card does; the narration is Korean."""
    kernel_eval(page, "None", code="ko.step = 0; ko.x = 0.5")
    ko = cell_widget(page, KO)
    expect(ko.counter).to_have_text("단계 0 / 3")
    card = ko.root.locator(".gw-card")
    expect(card).to_have_attribute("data-step", "0")
    expect(card).to_have_text("아직 단계가 없습니다. 단계 버튼을 눌러 y에서 역전파를 시작하세요 (dy/dy = 1).")
    values, grads = chain(0.5)
    # what each step sends back (to which variable), for the narration
    sends = {1: ("Square", "b", grads["v2"], 1.0), 2: ("Exp", "a", grads["v1"], grads["v2"])}
    sends[3] = ("Square", "x", grads["v0"], grads["v1"])
    step = korean_buttons(ko.root)["단계"]
    for k in (1, 2, 3):
        step.click()
        expect(ko.counter).to_have_text(f"단계 {k} / 3")
        expect(card).to_have_attribute("data-step", str(k))
        name, target, gx, gy = sends[k]
        expect(card.locator(".gw-card-title")).to_have_text(f"3단계 중 {k}단계: {name}의 역전파")
        said = (
            f"3단계 중 {k}단계: {name}의 역전파: gy = {g4(gy)}에 국소 미분을 곱해 {target}에 gx = {g4(gx)}."
        )
        expect(ko.live).to_have_text(said, timeout=WAIT_MS)
        lines = card.locator(".gw-sr-only").all_text_contents()
        assert lines == kernel_eval(page, "ko.card").split("\n"), f"step {k}: the page's card is the kernel's"
    formula = card.locator(".gw-card-formula math")
    assert math_text(formula) == "gx=2·x·gy=2×0.5×3.297=3.297"
    expect(card.locator(".gw-card-target")).to_have_text("\u2192 x.grad")
    expect(card.locator(".gw-chip-up .gw-chip-value")).to_have_text("3.297")
    expect(card.locator(".gw-chip-local .gw-chip-value")).to_have_text("1")
    expect(card.locator(".gw-chip-down .gw-chip-value")).to_have_text("3.297")
    # one number format: the node shows x's grad as the card does
    expect(ko.node("v0")).to_have_attribute("data-grad", "3.297")
    assert lines == [
        "Square: gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297 → x.grad",
        "상류 × 국소 미분 = 하류: 3.297 × 1 = 3.297",
    ]
    card.screenshot(path=screenshots / "explain-card-step3-ko.png")


def test_korean_labels(page, screenshots):
    """The ko widget's buttons, headings and names are Korean (js/i18n.js); predicting right says 정답!."""
    kernel_eval(page, "None", code="ko.step = 0; ko.x = 0.5; ko.predict = False")
    ko = cell_widget(page, KO)
    root = ko.root
    expect(root).to_have_attribute("lang", "ko")
    expect(root).to_have_attribute("aria-label", "역전파, 한 단계씩")
    expect(ko.counter).to_have_text("단계 0 / 3")
    for name, button in korean_buttons(root).items():
        expect(button).to_be_visible()
        expect(button).to_have_text(name)
    expect(root.get_by_role("combobox", name="속도", exact=True)).to_be_visible()
    expect(root.get_by_role("combobox", name="언어", exact=True)).to_have_value("ko")
    expect(root.get_by_role("checkbox", name="발표 모드", exact=True)).not_to_be_checked()
    expect(root.get_by_role("checkbox", name="먼저 예측하기", exact=True)).not_to_be_checked()
    expect(root.locator("summary.gw-section-title")).to_have_text(
        ["미분 카드", "f(x)와 f\u2032(x)", "기울기 확인", "수치 미분이 자릿수를 잃는 이유 (자릿수 누락)"]
    )
    expect(root.locator("h3.gw-heading")).to_have_text(["블록 추가", "블록 (x부터)"])
    expect(root.get_by_role("textbox", name="코드", exact=True)).to_have_value("y = square(exp(square(x)))")
    expect(root.get_by_role("button", name="적용", exact=True)).to_be_visible()
    for block in ("square", "exp", "sin"):
        expect(root.get_by_role("button", name=f"{block} 추가", exact=True)).to_be_visible()
    expect(root.get_by_role("button", name="블록 1 (square) 삭제", exact=True)).to_be_visible()
    expect(root.get_by_role("button", name="맞춤", exact=True)).to_be_visible()
    expect(root.get_by_role("group", name="계산 그래프", exact=True)).to_be_attached()
    expect(ko.node("v0")).to_have_attribute("aria-label", "x = 0.5, 기울기 계산 전")
    expect(ko.node("v0").locator("text.grad")).to_have_text("기울기: \u2014")
    expect(root.locator(".gw-hint")).to_contain_text("단축키 (먼저 위젯을 클릭하세요)")

    # Nothing English is left: every word the widget shows or says is Korean, a name from the code, or a key.
    # (the gradient check and the eps plot are opened to be read too)
    for summary in ("기울기 확인", "수치 미분이 자릿수를 잃는 이유 (자릿수 누락)"):
        root.locator("summary.gw-section-title", has_text=summary).click()
    expect(root.locator("table.gw-check-table th").first).to_have_text("함수")
    english = [
        (text, where, word)
        for text, where in visible_texts(root)
        for word in latin_words(text)
        if word not in NAMES
    ]
    root.screenshot(path=screenshots / "explain-korean.png")
    assert not english, "English words in the Korean widget:\n" + dump(english)

    # predict first, in Korean: the right gx says 정답! and takes the step
    root.get_by_role("checkbox", name="먼저 예측하기", exact=True).check()
    assert kernel_eval(page, "ko.predict") is True
    prompt = root.locator(".gw-predict-prompt")
    expect(prompt).to_have_text("예측: Square의 역전파가 b에 보낼 gx는?")
    guess = root.get_by_role("textbox", name="예측값", exact=True)
    guess.fill(f"{float(chain(0.5)[1]['v2']):.4f}")
    root.get_by_role("button", name="확인", exact=True).click()
    verdict = root.locator(".gw-predict-verdict")
    expect(verdict).to_have_text("정답!")
    expect(verdict).to_have_attribute("data-result", "right")
    expect(ko.counter).to_have_text("단계 1 / 3")
    expect(ko.live).to_have_text(
        f"3단계 중 1단계: Square의 역전파: gy = 1에 국소 미분을 곱해 b에 gx = {g4(chain(0.5)[1]['v2'])}."
    )
    expect(prompt).to_have_text("예측: Exp의 역전파가 a에 보낼 gx는?")
    assert kernel_eval(page, "ko.step") == 1
    root.screenshot(path=screenshots / "explain-korean-predict.png")
    root.get_by_role("checkbox", name="먼저 예측하기", exact=True).uncheck()
    expect(root.locator("form.gw-predict")).to_be_hidden()


def test_plot_follows_the_slider(page, screenshots):
    """Move x: the f(x) plot's data-at, its marker and the tangent follow; the tangent's slope is dy/dx."""
    kernel_eval(page, "None", code="ko.step = 0; ko.x = 0.5; ko.predict = False")
    ko = cell_widget(page, KO)
    plot = ko.root.locator("svg.gw-plot").first
    marker = plot.locator(".gw-plot-marker")
    tangent = plot.locator(".gw-plot-tangent")
    expect(plot).to_have_attribute("data-at", "0.5")
    before = float(marker.get_attribute("cx"))
    for target in (-1.1, 1.3):
        x = set_range(ko.slider, target)
        assert abs(x - target) < 0.01
        values, grads = chain(x)
        slope = float(grads["v0"])
        wait_number(ko.root, "svg.gw-plot", "data-at", x, rel=1e-12)
        wait_number(plot, ".gw-plot-marker", "data-x", x, rel=1e-12)
        wait_number(plot, ".gw-plot-marker", "data-y", values["v3"], rel=1e-9)
        wait_number(plot, ".gw-plot-tangent", "data-slope", slope, rel=1e-9)  # backprop's dy/dx, exactly
        wait_number(plot, ".gw-plot-marker-d", "data-slope", slope, rel=1e-9)
        expect(tangent).not_to_have_attribute("visibility", "hidden")
        # the drawing moved: the marker sits on the guide at the new x, and on the tangent line
        cx, cy = (float(marker.get_attribute(a)) for a in ("cx", "cy"))
        assert cx != before
        before = cx
        guide = plot.locator(".gw-plot-guide")
        assert float(guide.get_attribute("x1")) == pytest.approx(cx, abs=0.11)
        x1, y1, x2, y2 = (float(tangent.get_attribute(a)) for a in ("x1", "y1", "x2", "y2"))
        assert x1 < cx < x2
        on_line = y1 + (y2 - y1) * (cx - x1) / (x2 - x1)
        assert on_line == pytest.approx(cy, abs=1.5), "the tangent passes through the marker"
        expect(plot.locator(".gw-plot-legend-tangent")).to_have_text(f"접선, 기울기 {g4(slope)}")
        at, k_x, k_grad = kernel_eval(page, "[ko.eps_curve['at'], ko.x, ko.variables[0].grad]")
        assert at == pytest.approx(x, rel=1e-12) and k_x == pytest.approx(x, rel=1e-12)
        assert k_grad is None  # step 0: the engine's x.grad waits for the steps; the plot's slope does not
        k_slope = kernel_eval(page, "float(np.interp(ko.x, ko.curves['x'], ko.curves['dy']))")
        assert k_slope == pytest.approx(slope, rel=0.05), "the f'(x) curve agrees with the tangent"
    ko.root.locator(".gw-plot-section").screenshot(path=screenshots / "explain-plot.png")


def test_plot_follows_the_slider_in_voila(browser, voila_server, screenshots):
    """The classroom dashboard in Voila: the plot follows x there too, with backprop's slope."""
    voila = NotebookPage(browser)
    try:
        with no_widget_errors(voila):
            open_voila(voila.page, voila_server)
            w = Widget(voila.page).wait_visible()
            plot = w.root.locator("svg.gw-plot").first
            expect(plot).to_have_attribute("data-at", "0.5")
            x = w.set_x(-0.9)
            assert abs(x + 0.9) < 0.01
            values, grads = chain(x)
            wait_number(w.root, "svg.gw-plot", "data-at", x, rel=1e-12)
            wait_number(plot, ".gw-plot-marker", "data-x", x, rel=1e-12)
            wait_number(plot, ".gw-plot-marker", "data-y", values["v3"], rel=1e-9)
            wait_number(plot, ".gw-plot-tangent", "data-slope", grads["v0"], rel=1e-9)
            expect(plot.locator(".gw-plot-legend-tangent")).to_have_text(f"tangent, slope {g4(grads['v0'])}")
            w.root.locator(".gw-plot-section").screenshot(path=screenshots / "explain-plot-voila.png")
    finally:
        voila.close()


def test_gradient_check_flags_only_the_wrong_backward(page, screenshots):
    """WrongExp.backward returns gy: its node, and only its node, is flagged; the check table says why."""
    w = cell_widget(page, CHECKED)
    wrong = w.node("f1")
    expect(wrong.locator("text.label")).to_have_text("WrongExp")
    expect(wrong).to_have_class(_has("flagged"))
    expect(wrong).to_have_attribute("data-flagged", "true")
    expect(w.root.locator("g[data-node-id].flagged")).to_have_count(1)
    expect(w.root.locator("[data-flagged='true']")).to_have_count(1)
    for other in ("f0", "f2"):
        expect(w.node(other)).not_to_have_class(_has("flagged"))
        expect(w.node(other)).not_to_have_attribute("data-flagged", "true")
    badge = w.root.locator(".gw-flag")
    expect(badge).to_have_count(1)
    expect(badge).to_have_attribute(
        "aria-label", "Gradient check failed: WrongExp.backward disagrees with numerical_diff"
    )
    assert badge.evaluate("el => el.parentElement.dataset.nodeId") == "f1"

    w.root.locator("summary.gw-section-title", has_text="Gradient check").click()
    summary = w.root.locator(".gw-check-summary")
    expect(summary).to_have_text("1 of 3 backward passes disagree with numerical_diff.")
    rows = w.root.locator("table.gw-check-table tbody tr")
    expect(rows).to_have_count(3)
    flags = {
        rows.nth(i).get_attribute("data-function"): rows.nth(i).get_attribute("data-flagged")
        for i in range(3)
    }
    assert flags == {"f2": "false", "f1": "true", "f0": "false"}
    row = w.root.locator('tr[data-function="f1"]')
    expect(row.locator("td.status")).to_have_text("\u26a0 disagrees")
    # the numbers: backprop's gx is gy = 2b, numerical_diff's is exp(a)·2b
    a = np.square(0.5)
    b = np.exp(a)
    backprop, numerical = (
        float(t.replace("\u2212", "-")) for t in row.locator("td.num").all_text_contents()[:2]
    )
    assert backprop == pytest.approx(2 * b, rel=1e-8)
    assert numerical == pytest.approx(np.exp(a) * 2 * b, rel=1e-6)
    kernel_flags = kernel_eval(page, "{c['function']: c['flagged'] for c in checked.checks}")
    assert kernel_flags == {"f2": False, "f1": True, "f0": False}
    printed = cell(page, CHECKS_PRINTED).locator(".jp-OutputArea-output").text_content()
    assert [line.split()[:2] for line in printed.strip().splitlines()] == [
        ["f2", "False"],
        ["f1", "True"],
        ["f0", "False"],
    ]
    w.root.screenshot(path=screenshots / "explain-flagged.png")


def test_presenter_and_predict(page, screenshots):
    """Presenter mode hides this step's numbers until revealed. Predict first asks about the next step without
    giving its answer away (not on the card, not as the tangent's slope) nor hiding what it needs (presenter
    mode hides nothing then); it says wrong, then Right!, and steps, and the focus stays in the box."""
    quiz = cell_widget(page, QUIZ)
    root = quiz.root
    values, grads = chain(0.5)
    quiz.expect_counter(0, 3)  # Run All leaves it at its first step
    kernel_eval(page, "None", code="quiz.step = 1; quiz.predict = False")
    quiz.expect_counter(1, 3)
    expect(root).to_have_class(_has("gw-presenter"))
    expect(root).to_have_class(_has("gw-conceal"))
    reveal = root.get_by_role("button", name="Reveal", exact=True)
    expect(reveal).to_be_visible()
    expect(reveal).to_have_attribute("aria-pressed", "false")
    # said over the graph, in its strip, beside Reveal
    note = root.locator(".gw-zoom .gw-reveal-note")
    expect(note).to_have_text("Values are hidden: click a node or Reveal.")
    card = root.locator(".gw-card")
    secrets = card.locator(".gw-secret")
    expect(secrets).to_have_count(3)  # the gx, the local derivative and the downstream chip

    def hidden(locator):
        return "blur" in filter_of(locator)

    fresh = quiz.node("v2")  # step 1 sent b its grad
    expect(fresh).to_have_class(_has("fresh"))
    assert hidden(fresh.locator("text.grad")), "the new grad is hidden"
    assert all(hidden(secrets.nth(i)) for i in range(3)), "the card's result is hidden"
    assert not hidden(card.locator(".gw-chip-up .gw-chip-value")), "gy, known before the step, is shown"
    assert not hidden(quiz.node("v3").locator("text.grad")), "y's grad of 1 is not this step's"
    assert hidden(root.locator(".gw-plot-legend-tangent"))
    root.screenshot(path=screenshots / "explain-presenter-hidden.png")

    reveal.click()
    expect(root).not_to_have_class(_has("gw-conceal"))
    expect(root.get_by_role("button", name="Hide", exact=True)).to_have_attribute("aria-pressed", "true")
    assert not hidden(fresh.locator("text.grad"))
    assert not any(hidden(secrets.nth(i)) for i in range(3))
    expect(card.locator(".gw-chip-down .gw-chip-value")).to_have_text(f"{float(grads['v2']):.4g}")
    lines = card.locator(".gw-sr-only").all_text_contents()
    assert lines == kernel_eval(page, "quiz.card").split("\n")
    printed = cell(page, QUIZ_CARD).locator(".jp-OutputArea-output").text_content()
    assert printed.strip() == "\n".join(lines)
    root.screenshot(path=screenshots / "explain-presenter-revealed.png")

    # predict first, with presenter mode on: the next step is Exp's, sending a its grad
    kernel_eval(page, "None", code="quiz.predict = True")
    form = root.locator("form.gw-predict")
    expect(form).to_be_visible()
    expect(root).not_to_have_class(_has("gw-conceal"))  # the question hides what is to come, nothing else
    prompt = form.locator(".gw-predict-prompt")
    expect(prompt).to_have_text("Predict: what gx will Exp backward send to a?")
    # the card is the asked step's: its rule and its gy (b.grad), but not its result
    expect(card).to_have_attribute("data-step", "2")
    expect(card.locator(".gw-card-title")).to_have_text("Your turn, step 2 of 3: Exp backward")
    expect(card.locator(".gw-chip-up .gw-chip-value")).to_have_text(f"{float(grads['v2']):.4g}")
    expect(card.locator(".gw-chip-down .gw-chip-value")).to_have_text("?")
    answer = f"{float(grads['v1']):.4g}"
    assert answer not in card.text_content(), "the card does not give the answer away"
    # nor does the plot: dy/dx is the last step's answer
    legend = root.locator(".gw-plot-legend-tangent")
    expect(legend).to_have_text("slope dy/dx: after the last step")
    expect(root.locator(".gw-plot-tangent")).to_have_attribute("visibility", "hidden")
    expect(root.locator(".gw-plot-marker-d")).to_have_attribute("visibility", "hidden")
    assert f"{float(grads['v0']):.4g}" not in root.locator(".gw-plot-section").text_content()
    root.screenshot(path=screenshots / "explain-predict-asked.png")

    guess = root.get_by_role("textbox", name="Your prediction", exact=True)
    check = root.get_by_role("button", name="Check", exact=True)
    verdict = form.locator(".gw-predict-verdict")
    guess.fill("three")
    check.click()
    # the example is a way of writing numbers, not this step's answer
    expect(verdict).to_have_text("Type a number, such as 0.75, \u22122 or 1/3.")
    expect(verdict).to_have_attribute("data-result", "invalid")
    quiz.expect_counter(1, 3)  # not a guess: no step

    guess.fill("1")
    guess.press("Enter")
    expect(verdict).to_have_text(f"Not quite: it is {answer}")
    expect(verdict).to_have_attribute("data-result", "wrong")
    quiz.expect_counter(2, 3)  # revealed anyway
    assert kernel_eval(page, "quiz.step") == 2
    # a.grad, the gy of the next question, is there to read: nothing is blurred while predicting
    newly = quiz.node("v1")
    quiz.wait_number("v1", "data-grad-value", grads["v1"], rel=1e-12)
    expect(root).not_to_have_class(_has("gw-conceal"))
    assert not hidden(newly.locator("text.grad"))
    expect(card.locator(".gw-card-title")).to_have_text("Your turn, step 3 of 3: Square backward")
    expect(card.locator(".gw-chip-up .gw-chip-value")).to_have_text(answer)

    expect(prompt).to_have_text("Predict: what gx will Square backward send to x?")
    guess.fill(f"{float(grads['v0']):.4f}")
    guess.press("Enter")
    expect(verdict).to_have_text("Right!")
    expect(verdict).to_have_attribute("data-result", "right")
    quiz.expect_counter(3, 3)
    assert kernel_eval(page, "quiz.step") == 3
    expect(prompt).to_have_text("Every step is done: Reset to predict again.")
    expect(guess).to_be_disabled()
    expect(guess).to_be_focused()  # the last prediction took the last step; the focus stays where it was
    # every step done: the card and the plot show everything
    expect(card.locator(".gw-card-title")).to_have_text("Step 3 of 3: Square backward")
    expect(legend).to_have_text(f"tangent, slope {float(grads['v0']):.4g}")
    root.screenshot(path=screenshots / "explain-predict-right.png")
    assert math.isclose(float(values["v3"]), kernel_eval(page, "float(quiz.output.data)"), rel_tol=1e-12)
