"""The languages, declared once per side: Python's messages (gradwidget/messages.py) and the page's strings
(js/i18n.js) speak the same languages, each language has every key with the same placeholders, and every
message Python has is one it says."""

import ast
import json
import pathlib
import re
import subprocess

import numpy as np
import pytest
from traitlets import TraitError

from gradwidget import Function, GradWidget, Variable, show
from gradwidget.messages import LANGUAGES, MESSAGES, PLACEHOLDER, Message, language_choices, say

REPO = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = REPO / "gradwidget"


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def page_strings():
    """js/i18n.js's STRINGS, as node reads the module the page is bundled from."""
    script = "import { STRINGS } from './js/i18n.js'; console.log(JSON.stringify(STRINGS));"
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_language_has_every_message_with_the_same_placeholders():
    keys = set(MESSAGES["en"])
    for lang in LANGUAGES:
        assert set(MESSAGES[lang]) == keys, f"{lang}: missing {keys - set(MESSAGES[lang])}"
        for key, text in MESSAGES[lang].items():
            assert text.strip(), f"{lang}.{key} is empty"
            assert placeholders(text) == placeholders(MESSAGES["en"][key]), f"{lang}.{key}"


def test_korean_messages_are_korean():
    hangul = re.compile(r"[\uac00-\ud7a3]")
    untranslated = [key for key, text in MESSAGES["ko"].items() if not hangul.search(text)]
    assert not untranslated, f"Korean messages with no Korean in them: {untranslated}"


def test_python_and_the_page_speak_the_same_languages(page_strings):
    assert list(page_strings) == list(LANGUAGES)
    for lang in LANGUAGES:
        assert page_strings[lang]["languageName"] == MESSAGES[lang]["language_name"]


def test_every_page_string_is_in_every_language_with_the_same_placeholders(page_strings):
    english = page_strings["en"]
    for lang, strings in page_strings.items():
        assert set(strings) == set(english), f"{lang}: {set(english) ^ set(strings)}"
        for key, text in strings.items():
            assert placeholders(text) == placeholders(english[key]), f"{lang}.{key}"


def test_every_message_is_said_somewhere():
    """No dead entries: each key is named in the package's code (`language_name` by language_choices)."""
    sources = [path for path in PACKAGE.glob("*.py") if path.name != "messages.py"]
    code = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    named = set(re.findall(r"""(?<=["'])(\w+)(?=["'])""", code))  # every word between quotes
    unused = [key for key in MESSAGES["en"] if key != "language_name" and key not in named]
    assert not unused, f"messages nothing says: {unused}"


def test_a_message_fills_its_placeholders_and_leaves_what_it_is_given_alone():
    assert say("ko", "card_no_rule", name="Cube").startswith("Cube에는 보여 줄 규칙이 없습니다")
    # a learner's text with braces is shown as it is, not filled again
    assert say("en", "card_no_rule", name="{name} {0}").startswith("No rule to show for {name} {0}: give")
    assert say("fr", "card_upstream") == "upstream"  # a language we do not have: English
    message = Message("lang_unknown", choices=language_choices(), value="'fr'")
    assert str(message) == "lang must be one of 'en' (English), 'ko' (한국어); got 'fr'."
    assert message.text("ko") == "lang은 'en' (English), 'ko' (한국어) 중 하나여야 합니다. 받은 값: 'fr'."
    assert message == Message("lang_unknown", choices=language_choices(), value="'fr'")
    with pytest.raises(KeyError, match="no message 'lang_unknwn'"):
        Message("lang_unknwn")


# --- what a widget says reaches the page in its language ---------------------------------------------------


def test_a_refusal_is_said_in_the_widgets_language_and_again_after_a_switch():
    w = GradWidget(lang="ko")
    with pytest.raises(TraitError) as refused:
        w.blocks = ["squre"]
    said = "1번째의 'squre'(이)라는 블록은 없습니다. 혹시 'square'인가요? 있는 블록: "
    assert str(refused.value).startswith(said) and w.error.startswith(said)
    assert w.error_words["ko"] == w.error
    assert w.error_words["en"].startswith("Unknown block 'squre' at position 1. Did you mean 'square'?")
    assert w.blocks == ["square", "exp", "square"]  # the last good stack stays
    w.lang = "en"
    assert w.error == w.error_words["en"]  # the message on screen, in the new language
    w.lang = "ko"
    assert w.error == w.error_words["ko"]


@pytest.mark.parametrize(
    ("change", "korean"),
    [
        (lambda w: setattr(w, "code", "y = square(("), "파이썬 식이 아닙니다 ("),
        (lambda w: setattr(w, "code", "y = foo(x)"), "'foo'(이)라는 블록은 없습니다."),
        (lambda w: setattr(w, "code", "y = square(x, x)"), "여기서 square()은(는) 인자를 하나만 받습니다."),
        (lambda w: setattr(w, "x", 5.0), "x = 5.0은(는) 슬라이더 범위 [-2.0, 2.0] 밖입니다."),
        (lambda w: setattr(w, "x_min", 3.0), "슬라이더는 x_min < x_max여야 합니다."),
        (lambda w: setattr(w, "eps", 1.0), "eps는 1e-12에서 0.1 사이여야 합니다"),
        (lambda w: setattr(w, "speed", 99.0), "speed는 초당 단계 수로"),
        (lambda w: setattr(w, "step", 9), "step은 0에서 n_steps = 3 사이여야 합니다."),
        (lambda w: setattr(w, "lang", "fr"), "lang은 'en' (English), 'ko' (한국어) 중 하나여야 합니다."),
    ],
)
def test_every_refusal_the_page_can_meet_is_korean_in_a_korean_widget(change, korean):
    w = GradWidget(lang="ko")
    with pytest.raises(TraitError, match=re.escape(korean)):
        change(w)
    assert korean in w.error
    assert not re.search(r"[\uac00-\ud7a3]", w.error_words["en"].replace("한국어", "")), "English in English"


def test_a_change_the_page_sends_is_refused_in_its_language_with_every_language_for_the_page():
    w = GradWidget(lang="ko")
    w.set_state({"code": "y = sqare(x)"})  # what the page's code box sends
    assert w.error.startswith("'sqare'(이)라는 블록은 없습니다. 혹시 'square'인가요?")
    assert set(w.error_words) == set(LANGUAGES)
    assert w.error_words["en"].startswith("Unknown block 'sqare'. Did you mean 'square'?")
    w.set_state({"code": "y = exp(x)"})  # a good change clears it, in every language
    assert w.error == "" and w.error_words == {}


class Cube(Function):
    def forward(self, x):
        if x < -1:
            raise ValueError("this cube needs x >= -1")
        return x**3

    def backward(self, gy):
        return None  # forgot to return gx


def test_a_failing_forward_and_backward_say_so_on_their_node_in_every_language():
    x = Variable(np.array(0.5))
    w = show(Cube()(x))
    w.lang = "ko"
    backward = w.numbers["errors"]["backward"]["message"]
    assert backward["en"].startswith("Cube.backward returned None; it must return gx")
    said = "Cube.backward가 None을 돌려주었습니다. gx를 돌려주어야 합니다. 예: `return gy * <국소 미분>`."
    assert backward["ko"] == said  # the example too, where the Function declares no rule
    assert w.error == backward["ko"]  # what stays wrong, in the widget's language
    w.values = [-1.5]
    forward = w.numbers["errors"]["forward"]["message"]
    assert forward == {
        "en": "Cube.forward raised ValueError: this cube needs x >= -1",
        "ko": "Cube.forward에서 ValueError 오류가 났습니다: this cube needs x >= -1",
    }
    assert w.error == forward["ko"]
    w.lang = "en"
    assert w.error == forward["en"]
    positions = [errors for table in w.tables for errors in table["errors"].values()]
    assert positions and all(set(e[kind]["message"]) == set(LANGUAGES) for e in positions for kind in e)


def test_what_python_says_through_a_widget_is_a_message():
    """Every refusal goes through _reject with a Message (not an f-string in one language), and no f-string
    reaches `error` or a ForwardError: a new message then has to be written in every language."""
    for name in ("widget.py", "trace.py", "code.py"):
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("_reject", "_show_error", "ForwardError", "MessageError"):
                said = node.args[0]
                assert not isinstance(said, (ast.JoinedStr, ast.Constant)), f"{name}:{node.lineno}: {called}"
