"""Every word Python says to a learner through a widget, in each language the widget speaks.

Python's one registry of languages: a language is one table in MESSAGES, keyed by its code (the widget's
`lang`). Adding one is a table here and one in js/i18n.js's STRINGS (the page's words); the tests check that
both sides have the same languages, and every language every key with the same {placeholders}.

A message is a template with {name} placeholders, filled as the page fills its own: what goes in (a block's
name, a number, the learner's own exception text) is shown as it is, braces and all. `Message` is one not
yet in words, so a widget can say it in its language now and again after the learner switches. It goes to
the page as its `words` in every language (the widget's `error_words`, a failure in `numbers` and
`tables`), so the page shows its own language and switches at once, with or without a kernel.
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
            "No rule to show for {name}: give the class its local derivative as a rule "
            '(for a cube, rule = "3 * x**2") or pass rule= to register_block. These numbers are backprop\'s.'
        ),
        "card_empty": "Nothing to step through: the graph has no Function yet. Add a block.",
        "card_second_order": "Second order: this backward differentiates dy/dx again.",
        "card_order_recorded": "{name} was recorded by {by}'s backward.",
        "card_order_forward": "{name} is from the forward pass: the first backward used its output.",
        "card_shapes": "shapes",
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
        "example_return": "gy * <local derivative>",  # a backward's return line, where no rule says it
        "called_again": (
            "This {name} was called again after it made one of its own inputs, so the graph loops back on "
            "itself: a Function remembers only its last call. Call a new one each time, e.g. "
            "{name}()({name}()(x))."
        ),
        # a forward that fails, on its node
        "forward_raised": "{name}.forward raised {kind}: {error}",
        "at_x": "{message} (at x = {x})",  # a block's forward that failed while the stack was built
        "interrupted": "{name}.{method} was interrupted",
        "forward_count": "{name}.forward returned {returned} value(s) for {outputs} output(s).",
        "forward_not_number": "{name}.forward returned {got}; it must return numbers, e.g. `return x ** 2`.",
        "forward_in_place": (
            "{name}.forward changed its input in place; compute a new array instead (y = x + 1, not x += 1)."
        ),
        # the code box (gradwidget.code.parse_stack)
        "code_empty": "Write the stack as an expression in x, e.g. y = square(exp(square(x))).",
        "code_syntax": "That is not a Python expression ({reason}); e.g. y = square(exp(x)).",
        "code_single": "Write a single expression, e.g. y = square(exp(square(x))).",
        "code_form": "Write y = ... or just the expression, e.g. square(exp(x)).",
        "code_not_block": (
            "Only blocks applied to x can be stacked, like square(exp(x)); `{code}` is not one."
        ),
        "code_one_argument": "{name}() takes exactly one argument here, e.g. {name}(x).",
        "unknown_block": "Unknown block {name}.{hint} Known blocks: {known}.",
        "unknown_block_at": "Unknown block {name} at position {position}.{hint} Known blocks: {known}.",
        "did_you_mean": " Did you mean {name}?",
        "too_many_blocks": "{count} blocks is more than the {most} a widget can show; remove some.",
        # rejected changes
        "lang_unknown": "lang must be one of {choices}; got {value}.",
        "step_range": (
            "step must be between 0 and n_steps = {n_steps}; got {step}. "
            "Use w.run_all() for the last step and w.reset() for the first."
        ),
        "steps_done": "Every step is done: w.reset() to predict again.",
        "eps_range": "eps must be between 1e-12 and 0.1 (the book uses 1e-4); got {eps}.",
        "speed_range": "speed is in steps per second, from 0.25 to 10; got {speed}.",
        "x_not_finite": "x must be a finite number, not {x}. Set it with the slider or e.g. w.x = 0.5.",
        "x_outside": "x = {x} is outside the slider's range [{low}, {high}]; widen it first: w.{end} = {x}.",
        "x_outside_given": (
            "x = {x} is outside the slider's range [{low}, {high}] you gave; give a range that holds it, "
            "e.g. x_min={lower}, x_max={upper}."
        ),
        "not_finite": "{name} must be a finite number, not {value}.",
        "range_order": "The slider needs x_min < x_max; got x_min = {low}, x_max = {high}.",
        "values_count": "values needs one number per slider ({names}); got {count}.",
        "value_outside": (
            "{name} = {value} is outside its slider's range [{low}, {high}]; widen it first, e.g. w.ranges = "
            "{wider}."
        ),
        "value_outside_given": (
            "{name} = {value} is outside the range [{low}, {high}] you gave for it; give ranges that hold "
            "every "
            "leaf's value, e.g. show(y, ranges={wider})."
        ),
        "ranges_count": "ranges needs one [min, max] per slider ({names}).",
        "range_pair": "The range for {name} must be [min, max] with min < max; got {pair}.",
        "no_slider": "No slider named {name}; the sliders are {names}.",
        "release_without_values": "The page sent a slider release without its values; reload the page.",
        # a change that could not be applied, a step or a plot that failed (the widget's own machinery)
        "float_too_big": (
            "{name} must be a number a float can hold (below about 1.8e308); got an integer of {digits} "
            "digits."
        ),
        "type_example": "{error} For example: w.{name} = {example}.",
        "page_bool": (
            "{name} takes numbers, and the page sent {value} (true/false is not a number): nothing changed. "
            "Use the widget's controls; from Python, e.g. w.{name} = {example}."
        ),
        "page_cannot_set_one": (
            "{names} cannot be set from the page: Python works it out. Use the widget's controls."
        ),
        "page_cannot_set_many": (
            "{names} cannot be set from the page: Python works them out. Use the widget's controls."
        ),
        "this_change": "this change",
        "slider_release": "a slider's release",
        "change_interrupted": "Interrupted while updating for {change}: the widget stays as it was before.",
        "change_bug": (
            "gradwidget could not apply {change} ({kind}: {error}); the widget stays as it was. This is a "
            "bug "
            "in gradwidget: please report it."
        ),
        "a_block": "A block",
        "the_backward_pass": "The backward pass",
        "plot_interrupted": "{where} was interrupted while the {plot} plot was drawn; it is left out.",
        "eps_interrupted": (
            "{where} was interrupted while the error-against-eps plot was drawn; it is left out."
        ),
        "step_interrupted": (
            "{where} was interrupted at step {number}; the widget stays at step {done}. Press Step to run it "
            "again."
        ),
        "step_failed": "{error} (at step {number}, this time); the widget stays at step {done}.",
        "check_interrupted": "{name}.forward was interrupted during the gradient check",
        "check_raised": "{kind}: {error}",
        "not_checkable": "Not checkable at this x: {why}.",
        "gives_non_finite": "{call} gives {value}",
        "not_finite_near": "{name} is not finite within eps of {xs}",
        "order_range": (
            "order must be 1 (step the backward of y) or 2 (step the backward of dy/dx, which gives "
            "d2y/dx2); "
            "got {value}."
        ),
        "order_two_backward": "order=2 needs a backward that can be differentiated again: {error}",
        "order_two_constant": (
            "order=2 needs a backward that can be differentiated again, but the backward of {names} does not "
            "follow x: it computes its local derivative from .data (or with numpy), which records it as a "
            "constant. {hint}"
        ),
        "show_order": (
            "show(y) steps the graph it is given. For a second derivative, record the first backward and "
            "show "
            "its grad: y.backward(create_graph=True); gx = x.grad; show(gx)."
        ),
        "code_too_many_blocks": "That code stacks {count} blocks, more than the {most} a widget shows.",
        "code_too_nested": (
            "That expression nests more than 200 brackets, more than Python reads; write the stack as nested "
            "block calls only, e.g. y = square(exp(square(x))), or edit the blocks instead."
        ),
        "code_too_long": (
            "That expression is too long or too deeply nested to read ({length} characters); write the stack "
            "as nested block calls, e.g. y = square(exp(square(x)))."
        ),
    },
    "ko": {
        "language_name": "한국어",
        "card_none": "아직 단계가 없습니다. 단계 버튼을 눌러 y에서 역전파를 시작하세요 (dy/dy = 1).",
        "card_local": "국소 미분",
        "card_upstream": "상류",
        "card_downstream": "하류",
        "card_no_rule": (
            "{name}에는 보여 줄 규칙이 없습니다: 클래스에 국소 미분을 rule로 적거나 "
            '(세제곱이라면 rule = "3 * x**2") register_block에 rule=을 넘기세요. '
            "이 값은 역전파가 계산한 것입니다."
        ),
        "card_empty": "거칠 단계가 없습니다: 그래프에 아직 Function이 없습니다. 블록을 추가하세요.",
        "card_second_order": "2계 미분: 이 역전파는 dy/dx를 한 번 더 미분합니다.",
        "card_order_recorded": "{name}은(는) {by}의 역전파가 기록했습니다.",
        "card_order_forward": "{name}은(는) 순전파의 것으로, 첫 역전파가 그 출력을 썼습니다.",
        "card_shapes": "모양",
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
        "example_return": "gy * <국소 미분>",
        "called_again": (
            "이 {name}은(는) 자기가 만든 출력을 입력으로 받아 다시 호출되었습니다. 그래서 그래프가 "
            "자기 자신으로 돌아갑니다: Function은 마지막 호출만 기억합니다. 매번 새로 만들어 호출하세요. "
            "예: {name}()({name}()(x))."
        ),
        "forward_raised": "{name}.forward에서 {kind} 오류가 났습니다: {error}",
        "at_x": "{message} (x = {x}에서)",
        "interrupted": "{name}.{method} 실행이 중단되었습니다",
        "forward_count": "{name}.forward가 출력 {outputs}개에 값 {returned}개를 돌려주었습니다.",
        "forward_not_number": (
            "{name}.forward가 {got}을(를) 돌려주었습니다. 숫자를 돌려주어야 합니다. 예: `return x ** 2`."
        ),
        "forward_in_place": (
            "{name}.forward가 입력을 제자리에서 바꾸었습니다. "
            "새 배열을 계산하세요 (x += 1이 아니라 y = x + 1)."
        ),
        "code_empty": "블록을 x에 대한 식으로 쓰세요. 예: y = square(exp(square(x))).",
        "code_syntax": "파이썬 식이 아닙니다 ({reason}). 예: y = square(exp(x)).",
        "code_single": "식을 하나만 쓰세요. 예: y = square(exp(square(x))).",
        "code_form": "y = ... 꼴이나 식만 쓰세요. 예: square(exp(x)).",
        "code_not_block": (
            "x에 블록을 적용한 식만 쌓을 수 있습니다 (square(exp(x))처럼). `{code}`은(는) 그런 식이 아닙니다."
        ),
        "code_one_argument": "여기서 {name}()은(는) 인자를 하나만 받습니다. 예: {name}(x).",
        "unknown_block": "{name}(이)라는 블록은 없습니다.{hint} 있는 블록: {known}.",
        "unknown_block_at": "{position}번째의 {name}(이)라는 블록은 없습니다.{hint} 있는 블록: {known}.",
        "did_you_mean": " 혹시 {name}인가요?",
        "too_many_blocks": "블록 {count}개는 위젯이 보여 줄 수 있는 {most}개보다 많습니다. 몇 개를 지우세요.",
        "lang_unknown": "lang은 {choices} 중 하나여야 합니다. 받은 값: {value}.",
        "step_range": (
            "step은 0에서 n_steps = {n_steps} 사이여야 합니다. 받은 값: {step}. "
            "마지막 단계는 w.run_all(), 처음 단계는 w.reset()으로 가세요."
        ),
        "steps_done": "모든 단계를 마쳤습니다. 다시 예측하려면 w.reset()을 실행하세요.",
        "eps_range": "eps는 1e-12에서 0.1 사이여야 합니다 (책은 1e-4를 씁니다). 받은 값: {eps}.",
        "speed_range": "speed는 초당 단계 수로, 0.25에서 10 사이여야 합니다. 받은 값: {speed}.",
        "x_not_finite": (
            "x는 유한한 수여야 합니다 ({x}은(는) 안 됩니다). 슬라이더로 정하거나 w.x = 0.5처럼 쓰세요."
        ),
        "x_outside": (
            "x = {x}은(는) 슬라이더 범위 [{low}, {high}] 밖입니다. 먼저 범위를 넓히세요: w.{end} = {x}."
        ),
        "x_outside_given": (
            "x = {x}은(는) 주신 슬라이더 범위 [{low}, {high}] 밖입니다. x를 담는 범위를 주세요. "
            "예: x_min={lower}, x_max={upper}."
        ),
        "not_finite": "{name}은(는) 유한한 수여야 합니다 ({value}은(는) 안 됩니다).",
        "range_order": "슬라이더는 x_min < x_max여야 합니다. 받은 값: x_min = {low}, x_max = {high}.",
        "values_count": "values에는 슬라이더마다 ({names}) 수가 하나씩 있어야 합니다. 받은 개수: {count}.",
        "value_outside": (
            "{name} = {value}은(는) 슬라이더 범위 [{low}, {high}] 밖입니다. 먼저 범위를 넓히세요. "
            "예: w.ranges = {wider}."
        ),
        "value_outside_given": (
            "{name} = {value}은(는) 주신 범위 [{low}, {high}] 밖입니다. 모든 잎의 값을 담는 범위를 주세요. "
            "예: show(y, ranges={wider})."
        ),
        "ranges_count": "ranges에는 슬라이더마다 ({names}) [min, max]가 하나씩 있어야 합니다.",
        "range_pair": "{name}의 범위는 min < max인 [min, max]여야 합니다. 받은 값: {pair}.",
        "no_slider": "{name}(이)라는 슬라이더는 없습니다. 슬라이더: {names}.",
        "release_without_values": (
            "페이지가 슬라이더를 놓으면서 값을 보내지 않았습니다. 페이지를 새로 고치세요."
        ),
        "float_too_big": (
            "{name}은(는) float에 담기는 수여야 합니다 (약 1.8e308 미만). 받은 값: {digits}자리 정수."
        ),
        "type_example": "{error} 예: w.{name} = {example}.",
        "page_bool": (
            "{name}에는 수가 들어가야 하는데 페이지가 {value}을(를) 보냈습니다 (참/거짓은 수가 아닙니다): "
            "아무것도 바뀌지 않았습니다. 위젯의 컨트롤을 쓰세요. 파이썬에서는 예: w.{name} = {example}."
        ),
        "page_cannot_set_one": (
            "{names}은(는) 페이지에서 바꿀 수 없습니다: 파이썬이 계산합니다. 위젯의 컨트롤을 쓰세요."
        ),
        "page_cannot_set_many": (
            "{names}은(는) 페이지에서 바꿀 수 없습니다: 파이썬이 계산합니다. 위젯의 컨트롤을 쓰세요."
        ),
        "this_change": "이 변경",
        "slider_release": "슬라이더 놓기",
        "change_interrupted": "{change}을(를) 반영하는 중에 중단되었습니다: 위젯은 그 전 상태 그대로입니다.",
        "change_bug": (
            "gradwidget이 {change}을(를) 반영하지 못했습니다 ({kind}: {error}). 위젯은 그 전 상태 "
            "그대로입니다. "
            "gradwidget의 버그이니 알려 주세요."
        ),
        "a_block": "어떤 블록",
        "the_backward_pass": "역전파",
        "plot_interrupted": (
            "{plot} 그래프를 그리는 중에 {where} 실행이 중단되었습니다. 그 그래프는 빠집니다."
        ),
        "eps_interrupted": (
            "eps에 따른 오차 그래프를 그리는 중에 {where} 실행이 중단되었습니다. 그 그래프는 빠집니다."
        ),
        "step_interrupted": (
            "{number}단계에서 {where} 실행이 중단되었습니다. 위젯은 {done}단계에 머뭅니다. "
            "다시 실행하려면 단계 버튼을 누르세요."
        ),
        "step_failed": "{error} (이번에는 {number}단계에서). 위젯은 {done}단계에 머뭅니다.",
        "check_interrupted": "기울기 확인 중에 {name}.forward 실행이 중단되었습니다",
        "check_raised": "{kind} 오류: {error}",
        "not_checkable": "이 x에서는 확인할 수 없습니다: {why}.",
        "gives_non_finite": "{call}의 결과가 {value}입니다",
        "not_finite_near": "{name}은(는) {xs}에서 eps 안쪽에 유한하지 않은 값이 있습니다",
        "order_range": (
            "order는 1 (y의 역전파를 단계별로) 또는 2 (dy/dx의 역전파를 단계별로, d2y/dx2를 줍니다)여야 "
            "합니다. 받은 값: {value}."
        ),
        "order_two_backward": "order=2에는 다시 미분할 수 있는 역전파가 필요합니다: {error}",
        "order_two_constant": (
            "order=2에는 다시 미분할 수 있는 역전파가 필요한데, {names}의 역전파는 x를 따라가지 않습니다: "
            "국소 미분을 .data로 (또는 numpy로) 계산해서 상수로 기록됩니다. {hint}"
        ),
        "show_order": (
            "show(y)는 받은 그래프를 단계별로 보여 줍니다. 2계 미분은 첫 역전파를 기록하고 그 기울기를 "
            "보여 주세요: y.backward(create_graph=True); gx = x.grad; show(gx)."
        ),
        "code_too_many_blocks": (
            "이 코드는 블록 {count}개를 쌓습니다. 위젯이 보여 주는 {most}개보다 많습니다."
        ),
        "code_too_nested": (
            "이 식은 괄호가 200겹보다 깊어 파이썬이 읽지 못합니다. 블록 호출만 겹쳐 쓰거나 "
            "(예: y = square(exp(square(x)))) 블록을 직접 편집하세요."
        ),
        "code_too_long": (
            "이 식은 너무 길거나 너무 깊게 겹쳐 있어 읽을 수 없습니다 ({length}자). 블록 호출을 겹쳐 "
            "쓰세요. 예: y = square(exp(square(x)))."
        ),
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


class MessageError(ValueError):
    """A ValueError whose words are a Message: str() in English, as Python callers read it, and in a
    widget's language on its page (parse_stack's refusals)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def words(message):
    """{language: text} for every language: how a message travels to the page, which shows it in its own
    language now and after a switch, with or without a kernel. A plain str (no Message behind it, e.g.
    traitlets' own words) is the same in every language."""
    return {lang: in_language(message, lang) for lang in LANGUAGES}


def in_language(message, lang):
    """A Message, its words ({language: text}) or a plain str, as text in `lang`."""
    if isinstance(message, Message):
        return message.text(lang)
    if isinstance(message, dict):
        return message.get(lang) or message.get(DEFAULT, "")
    return str(message or "")
