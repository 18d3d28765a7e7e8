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
        # a Function's backward that fails (gradwidget.core), on its node and in BackwardError
        "backward_raised": "{name}.backward raised {kind}: {error}",
        "backward_raised_create_graph": "{name}.backward raised {kind}: {error} {needs_variables}",
        "backward_count": (
            "{name}.backward returned {returned} grad(s) for {inputs} input(s); return one gx per input, "
            "as a tuple when there are several."
        ),
        "backward_none": "{name}.backward returned None; it must return gx, e.g. `return {example}`.",
        "backward_not_number": (
            "{name}.backward's result needs a number or a numeric numpy array, but got {got}. "
            "Return one, e.g. `return {example}`."
        ),
        "backward_shape": (
            "{name}.backward returned a grad of shape {shape} for an input of shape {input_shape}; gx must "
            "have the shape of its input."
        ),
        "backward_not_variable": (
            "{name}.backward returned an array, not a Variable, though create_graph=True records the "
            "backward. {needs_variables}"
        ),
        "backward_needs_variables": (
            "To be differentiated again its backward must compute with Variables, as the book's step 32 "
            "does: take the inputs as Variables (x, = self.inputs), not their .data, and use gradwidget's "
            "functions (exp(x), not np.exp(x)), e.g. `return {example}`."
        ),
        "called_again": (
            "This {name} was called again after it made one of its own inputs, so the graph loops back on "
            "itself: a Function remembers only its last call. Call a new one each time, e.g. "
            "{name}()({name}()(x))."
        ),
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
        "backward_raised": "{name}.backward에서 {kind} 오류가 났습니다: {error}",
        "backward_raised_create_graph": (
            "{name}.backward에서 {kind} 오류가 났습니다: {error} {needs_variables}"
        ),
        "backward_count": (
            "{name}.backward가 입력 {inputs}개에 기울기 {returned}개를 돌려주었습니다. 입력마다 gx를 "
            "하나씩 돌려주세요 (여러 개면 튜플로)."
        ),
        "backward_none": (
            "{name}.backward가 None을 돌려주었습니다. gx를 돌려주어야 합니다. 예: `return {example}`."
        ),
        "backward_not_number": (
            "{name}.backward의 결과는 숫자나 숫자 numpy 배열이어야 하는데 {got}입니다. "
            "숫자를 돌려주세요. 예: `return {example}`."
        ),
        "backward_shape": (
            "{name}.backward가 형상 {input_shape}인 입력에 형상 {shape}인 기울기를 돌려주었습니다. "
            "gx는 입력과 형상이 같아야 합니다."
        ),
        "backward_not_variable": (
            "create_graph=True는 역전파 계산을 기록하는데, {name}.backward가 Variable이 아닌 배열을 "
            "돌려주었습니다. {needs_variables}"
        ),
        "backward_needs_variables": (
            "다시 미분하려면 책의 32단계처럼 역전파가 Variable로 계산해야 합니다: 입력을 .data가 아닌 "
            "Variable로 받고 (x, = self.inputs), gradwidget의 함수를 쓰세요 (np.exp(x)가 아니라 exp(x)). "
            "예: `return {example}`."
        ),
        "called_again": (
            "이 {name}은(는) 자기가 만든 출력을 입력으로 받아 다시 호출되었습니다. 그래서 그래프가 "
            "자기 자신으로 돌아갑니다: Function은 마지막 호출만 기억합니다. 매번 새로 만들어 호출하세요. "
            "예: {name}()({name}()(x))."
        ),
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

    def fill(match):
        if match[1] not in params:
            return match[0]
        value = params[match[1]]
        return value.text(lang) if isinstance(value, Message) else str(value)  # a message inside one

    return PLACEHOLDER.sub(fill, template)


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
