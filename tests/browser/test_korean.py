"""Issue 14 item 10 in a real JupyterLab: Python's words reach the page in the widget's language.

A Korean widget refuses a learner's code in Korean (the alert and the code box), a learner's Function whose
backward fails says so on its node in Korean, and the language picker switches all of it, with the
screen-reader narration, at once: the page has Python's words in every language (`error_words`, and the
failures on the wire), so a switch needs no answer from the kernel, which follows (`w.error`).
Screenshots: tests/browser/screenshots/korean-*.png.
"""

import pytest
from gw_cells import cell_widget, latin_words, notebook_fixtures, visible_texts
from gw_page import WAIT_MS, kernel_eval
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CELLS = [
    "from gradwidget import GradWidget\nimport gradwidget as gw\n\nw = GradWidget(lang='ko')\nw",
    "class Cube(gw.Function):\n"
    "    def forward(self, x):\n"
    "        return x**3\n\n"
    "    def backward(self, gy):\n"
    "        return None  # forgot to return gx\n\n\n"
    "x = gw.Variable(0.5, name='x')\n"
    "mine = gw.show(gw.square(Cube()(x)))\nmine.lang = 'ko'\nmine",
]
STORY, MINE = range(2)
VIEWPORT = {"width": 1280, "height": 1400}

# Names from the learner's code and the book, the same in every language
NAMES = {
    "x", "y", "a", "b", "gx", "gy", "dy", "dx", "grad", "eps", "Square", "Exp", "Cube", "Function",
    "backward", "None", "return", "numerical_diff", "square", "exp", "sin", "cos", "tanh", "log", "neg",
    "Alt", "Ctrl", "Home", "End", "Space", "Enter", "Esc", "English", "foo",
}  # fmt: skip


nb, page = notebook_fixtures("lab-korean.ipynb", CELLS, viewport=VIEWPORT)


def english_in(root):
    return [
        (text, where, word)
        for text, where in visible_texts(root)
        for word in latin_words(text)
        if word.strip("'") not in NAMES
    ]


def test_a_refused_edit_is_said_in_korean_and_switches_with_the_language(page, screenshots):
    w = cell_widget(page, STORY)
    # a step first, so that the live region has something to say again after the switch
    w.root.get_by_role("button", name="단계", exact=True).click()
    expect(w.live).to_have_text("3단계 중 1단계: Square의 역전파: gy = 1에 국소 미분을 곱해 b에 gx = 2.568.")
    box = w.root.get_by_role("textbox", name="코드", exact=True)
    box.fill("y = foo(x)")
    box.press("Enter")
    korean = kernel_eval(page, "w.error")
    assert korean.startswith("'foo'(이)라는 블록은 없습니다. 있는 블록: "), korean
    expect(w.alert).to_have_text(korean, timeout=WAIT_MS)
    expect(w.root.locator(".gw-code-problem")).to_have_text(korean)
    expect(box).to_have_attribute("aria-invalid", "true")
    w.root.screenshot(path=screenshots / "korean-refused-code.png")
    english = [e for e in english_in(w.root) if e[0] != box.input_value()]  # the learner's own text aside
    assert not english, f"English words in the Korean widget: {english}"

    # the switch: the page has Python's words in English already, and shows them before the kernel answers
    english_error = kernel_eval(page, "w.error_words['en']")
    assert english_error.startswith("Unknown block 'foo'. Known blocks: ")
    shown = w.root.evaluate(
        """(root) => {
            const picker = root.querySelector("select[aria-label='언어']");
            picker.value = "en";
            picker.dispatchEvent(new Event("change", {bubbles: true}));
            // read in the same task: no kernel message can have come in between
            const text = (selector) => root.querySelector(selector).textContent;
            const problem = text(".gw-code-problem");
            return {alert: text("[role=alert]"), problem, live: text("[aria-live]")};
        }"""
    )
    said = "Step 1 of 3: Square backward: gy = 1 times local derivative gave gx = 2.568 for b."
    assert shown == {"alert": english_error, "problem": english_error, "live": said}
    expect(w.root.get_by_role("combobox", name="Language", exact=True)).to_have_value("en")
    expect(w.alert).to_have_text(english_error)  # still, once the kernel has answered
    assert kernel_eval(page, "w.lang") == "en"
    assert kernel_eval(page, "w.error") == english_error  # and Python's w.error follows the language
    w.root.screenshot(path=screenshots / "korean-switched-to-english.png")

    # and back: Korean again, on screen and in the narration
    w.root.get_by_role("combobox", name="Language", exact=True).select_option("ko")
    expect(w.alert).to_have_text(korean)
    expect(w.live).to_have_text("3단계 중 1단계: Square의 역전파: gy = 1에 국소 미분을 곱해 b에 gx = 2.568.")
    box.press("Escape")
    expect(w.alert).to_be_hidden()
    # the dismissed error stays dismissed through a switch of language
    w.root.get_by_role("combobox", name="언어", exact=True).select_option("en")
    expect(w.root.get_by_role("combobox", name="Language", exact=True)).to_have_value("en")
    expect(w.alert).to_be_hidden()
    kernel_eval(page, "None", code="w.lang = 'ko'; w.step = 0")


def test_a_failing_backward_says_so_on_its_node_in_korean(page, screenshots):
    mine = cell_widget(page, MINE)
    said = kernel_eval(page, "mine.numbers['errors']['backward']['message']")
    assert said["ko"].startswith("Cube.backward가 None을 돌려주었습니다.")
    failed = mine.root.locator("g.failed")  # the Cube node
    expect(failed).to_have_attribute("data-error", said["ko"], timeout=WAIT_MS)
    expect(failed.locator("text tspan").first).to_contain_text("Cube.backward가 None을")
    expect(mine.alert).to_have_text(said["ko"])
    # the backward failed: no slope to state above f(x) (it read "접선, 기울기 NaN"), and no tangent drawn
    expect(mine.root.locator(".gw-plot-legend-tangent")).to_have_text("")
    expect(mine.root.locator(".gw-plot-tangent")).to_have_attribute("visibility", "hidden")
    mine.root.screenshot(path=screenshots / "korean-failed-backward.png")
    mine.root.get_by_role("combobox", name="언어", exact=True).select_option("en")
    expect(failed).to_have_attribute("data-error", said["en"])
    expect(mine.alert).to_have_text(said["en"])
    assert kernel_eval(page, "mine.error") == said["en"]
    mine.root.screenshot(path=screenshots / "korean-failed-backward-en.png")
