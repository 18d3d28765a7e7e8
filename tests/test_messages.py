"""The languages, declared once per side: Python's messages (gradwidget/messages.py) and the page's strings
(js/i18n.js) speak the same languages, each language has every key with the same placeholders, and every
message Python has is one it says."""

import json
import pathlib
import re
import subprocess

import pytest

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
