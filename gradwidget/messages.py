"""Every word Python says to a learner through a widget, in each language the widget speaks.

Python's one registry of languages: a language is one table in MESSAGES, keyed by its code (the widget's
`lang`). Adding one is a table here and one in js/i18n.js's STRINGS (the page's words); the tests check that
both sides have the same languages, and every language every key with the same {placeholders}.

A message is a template with {name} placeholders, filled as the page fills its own: what goes in (a block's
name, a number, the learner's own exception text) is shown as it is, braces and all. `Message` is one not
yet in words, so a widget can say it in its language now and again after the learner switches.
"""

import re

MESSAGES = {
    "en": {
        "language_name": "English",
        # the derivative card, as w.card writes it
        "card_none": "No step yet: press Step to start backprop at y, where dy/dy = 1.",
        "card_local": "local derivative",
        "card_upstream": "upstream",
        "card_downstream": "downstream",
        "card_no_rule": (
            'No rule to show for {name}: give the class one (rule = "3 * x**2") or pass rule= to '
            "register_block. These numbers are backprop's."
        ),
        "card_empty": "Nothing to step through: the graph has no Function yet. Add a block.",
        # rejected changes
        "lang_unknown": "lang must be one of {choices}; got {value}.",
    },
    "ko": {
        "language_name": "한국어",
        "card_none": "아직 단계가 없습니다. 단계 버튼을 눌러 y에서 역전파를 시작하세요 (dy/dy = 1).",
        "card_local": "국소 미분",
        "card_upstream": "상류",
        "card_downstream": "하류",
        "card_no_rule": (
            '{name}에는 보여 줄 규칙이 없습니다: 클래스에 rule을 적거나 (rule = "3 * x**2") '
            "register_block에 rule=을 넘기세요. 이 값은 역전파가 계산한 것입니다."
        ),
        "card_empty": "거칠 단계가 없습니다: 그래프에 아직 Function이 없습니다. 블록을 추가하세요.",
        "lang_unknown": "lang은 {choices} 중 하나여야 합니다. 받은 값: {value}.",
    },
}

LANGUAGES = tuple(MESSAGES)
DEFAULT = "en"  # the language a message falls back to, and the one str() of an error speaks

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def say(lang, key, **params):
    """The message `key` in `lang` (English where that language lacks it), its placeholders filled."""
    table = MESSAGES.get(lang, MESSAGES[DEFAULT])
    template = table.get(key) or MESSAGES[DEFAULT][key]
    return PLACEHOLDER.sub(lambda m: str(params[m[1]]) if m[1] in params else m[0], template)


def language_choices():
    """'en' (English), 'ko' (한국어): the languages as a message lists them, in no language's words."""
    return ", ".join(f"{code!r} ({MESSAGES[code]['language_name']})" for code in LANGUAGES)


class Message:
    """A message not yet in words: its key and what fills it. str() is the English."""

    __slots__ = ("key", "params")

    def __init__(self, key, **params):
        if key not in MESSAGES[DEFAULT]:
            raise KeyError(f"no message {key!r} in gradwidget.messages.MESSAGES")
        self.key, self.params = key, params

    def text(self, lang=DEFAULT):
        return say(lang, self.key, **self.params)

    def __str__(self):
        return self.text()

    def __repr__(self):
        return f"Message({self.key!r}, **{self.params!r})"

    def __eq__(self, other):
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self):
        return hash(self.key)
