// Every word the page shows or speaks, by language, keyed by the `lang` trait: the page's one registry of the
// languages it speaks. A language is one table here, whose first entries are about the language itself (its name
// in its own words, for the language picker, and how its lines may break). Adding one: a table here, and one in
// gradwidget/messages.py for Python's words (Python sends those in every language, and the page shows its own:
// wordsIn, errorIn).
// Tests check that every language has every key, with the same placeholders, on both sides.
// Names from the learner's code (x, Square, a.grad) are never translated.

export const STRINGS = {
  en: {
    // the language itself
    languageName: "English",
    wordBreak: "normal", // CSS word-break for its text
    // the widget as a whole
    widget: "Backpropagation, step by step",
    keysIntro: "Keys (click the widget first): ",
    keyOr: " or ",
    keyStep: " step",
    keyBack: " back",
    keyReset: " reset",
    keyRunAll: " run all",
    keyPlay: " play/pause",
    keyMove: " move a block",
    keyReveal: " reveal",
    // playback bar
    playback: "Backward steps",
    stepBack: "Step back",
    step: "Step",
    play: "Play",
    pause: "Pause",
    runAll: "Run all",
    reset: "Reset",
    speed: "Speed",
    speedOption: "{v} steps/s",
    speedOptionOne: "{v} step/s",
    counter: "Step {k} / {n}",
    // the sliders, when Python could not work every position out ahead (gradwidget/table.py)
    tableCoarse: "{name} moves in steps of {step} here: finer steps would be too much to compute ahead.",
    tableLive: "{name} waits for Python at each move: this graph is too much to compute at every position ahead.",
    tableBroken: "{name}'s positions computed ahead did not arrive whole: each move waits for Python.",
    // palette and stack
    addHeading: "Add a block",
    stackHeading: "Blocks, x first",
    noBlocks: "No blocks: y = x.",
    add: "Add {name}",
    blockRow: "Block {n}: {name}",
    blockRemove: "Remove block {n} ({name})",
    blockUp: "Move up block {n} ({name})",
    blockDown: "Move down block {n} ({name})",
    moveUp: "Move up",
    moveDown: "Move down",
    remove: "Remove",
    dragHint: "Drag to reorder, or Alt+\u2191 / Alt+\u2193",
    // graph
    graph: "Computational graph",
    gradLabel: "grad",
    gradPending: "pending",
    currentStep: ", current step",
    backwardFailed: ", backward failed: {error}",
    // narration
    sayReset: "Reset: no grads yet.",
    sayStep: "Step {k} of {n}.",
    sayStepHead: "Step {k} of {n}: {name} backward",
    sayFailed: "{head} failed: {error}",
    sayDone: "{head}: gy = {gys} times local derivative gave {gxs}.",
    sayGx: "gx = {v} for {name}",
    sayAnd: " and ",
    // pan and zoom, the code box, the grads a variable received
    zoom: "Zoom",
    zoomOut: "Zoom out",
    zoomIn: "Zoom in",
    zoomFit: "Fit",
    zoomHint: "Drag to pan \u00b7 Ctrl+wheel or + / \u2212 to zoom \u00b7 0 to fit",
    code: "Code",
    codeApply: "Apply",
    codeHint: "Edit the stack as code, e.g. y = exp(sin(x)): Enter applies, Esc undoes.",
    rowStep: " \u00b7 step {k}",
    received: "{v} from {name} at step {k}",
    // modes
    modes: "View options",
    language: "Language",
    presenter: "Presenter mode",
    predict: "Predict first",
    reveal: "Reveal",
    hide: "Hide",
    revealHint: "Values are hidden: click a node or Reveal.",
    // the derivative card
    cardSection: "Derivative card",
    cardNone: "No step yet: press Step to start backprop at y, where dy/dy = 1.",
    shapes: "shapes",
    checkSampled: "{n} of its {total} elements: {at}",
    tensorExpand: "Show all {n} values of {name} ({shape})",
    tensorMore: "all {n}",
    tensorTitle: "{name}: shape {shape}",
    tensorValue: "value",
    tensorGrad: "grad",
    tensorClose: "Close",
    tensorCut: "The first {shown} of {total} values; {name}.data in Python holds them all.",
    tensorShape: "shape {shape}",
    cardEmpty: "Nothing to step through: the graph has no Function yet. Add a block.",
    cardTitle: "Step {k} of {n}: {name} backward",
    cardNext: "Your turn, step {k} of {n}: {name} backward",
    cardFailed: "{name}.backward failed: {error}",
    cardSecondOrder: "Second order: this backward differentiates dy/dx again.",
    cardOrderRecorded: "{name} was recorded by {by}'s backward.",
    cardOrderForward: "{name} is from the forward pass: the first backward used its output.",
    recordedBy: "{name}, recorded by {by}'s backward",
    local: "local derivative",
    upstream: "upstream",
    downstream: "downstream",
    noRule:
      'No rule to show for {name}: give the class one (rule = "3 * x**2") or pass rule= to register_block. These numbers are backprop\'s.',
    // predict
    predictPrompt: "Predict: what gx will {name} backward send to {input}?",
    yourPrediction: "Your prediction",
    predictSubmit: "Check",
    predictRight: "Right!",
    predictWrong: "Not quite: it is {v}",
    predictNotNumber: "Type a number, such as 0.75, \u22122 or 1/3.",
    predictArray: "This grad is an array: press Step to see it.",
    predictDone: "Every step is done: Reset to predict again.",
    // f(x) plot
    plotSection: "f(x) and f\u2032(x)",
    plotSectionSecond: "f\u2032(x) and f\u2033(x)",
    plotLabel: "{y} and its derivative for {x} from {lo} to {hi}; at {x} = {at}: {y} = {fy}, slope {dy}",
    plotLabelLater: "{y} and its derivative for {x} from {lo} to {hi}; at {x} = {at}: {y} = {fy}",
    plotNone: "No plot for this graph: it needs an input to slide and an output that is a finite number.",
    plotNoBlocks: "Add a block to plot f(x) and f\u2032(x): with no blocks, y = x.",
    tangent: "tangent, slope {v}",
    tangentLater: "slope dy/dx: after the last step",
    numericalSlope: "dashed: numerical_diff",
    // gradient check
    checkSection: "Gradient check",
    checkIntro:
      "Each Function's backward against numerical_diff of its own forward, with the gy it received. \u26a0 marks a relative error above {tol}.",
    eps: "eps",
    colFunction: "Function",
    colInput: "input",
    colBackprop: "backprop gx",
    colNumerical: "numerical gx",
    colError: "relative error",
    colStatus: "result",
    agree: "agrees",
    disagree: "\u26a0 disagrees",
    checkFailed: "the check itself failed: {error}",
    checkAllGood: "All {n} backward passes agree with numerical_diff.",
    checkSomeBad: "{bad} of {n} backward passes disagree with numerical_diff.",
    checkNone: "No Functions to check.",
    flagged: "Gradient check failed: {name}.backward disagrees with numerical_diff",
    // eps plot
    epsSection: "Why numerical differentiation loses digits",
    epsAxis: "eps (shrinking \u2192)",
    errorAxis: "|numerical \u2212 backprop|",
    bookEps: "book eps",
    yourEps: "your eps",
    epsCaption:
      "Large eps: truncation error (\u221d eps\u00b2). Tiny eps: rounding error, as f(x+eps) \u2212 f(x\u2212eps) cancels most of the digits.",
    epsFlagged:
      "Here the error stays high at every eps: no choice of eps fixes it, because a backward is wrong (see \u26a0).",
    truncation: "truncation error",
    rounding: "rounding error",
    epsLabel:
      "Log-log plot of |numerical_diff \u2212 backprop| against eps at {x} = {at}: smallest error {min} at eps = {best}",
    epsNone: "No error curve for this graph.",
    // no kernel (an exported or saved copy), or a kernel that went away while the widget is on screen
    kernelOffline:
      "A saved copy with no kernel: the slider, Step, Play, the card, the checks and the plots work from the numbers Python saved. To change the blocks or the code, open the notebook and run it.",
    kernelLost:
      "The kernel is not answering (busy, or the connection dropped): stepping goes on from the numbers on the page; edits wait until it answers again.",
    kernelGone:
      "The kernel restarted or shut down, and this widget's Python object went with it: stepping still works here; run its cell again to edit it.",
    pageBroken:
      "This widget cannot be shown: {why}. The file may be cut short or edited by hand: export it again with w.save_html(path) or jupyter nbconvert --to gradwidget.",
  },
  ko: {
    languageName: "한국어",
    wordBreak: "keep-all", // Korean breaks between words, not inside them (시작하세요, not 시/작하세요)
    widget: "역전파, 한 단계씩",
    keysIntro: "단축키 (먼저 위젯을 클릭하세요): ",
    keyOr: " 또는 ",
    keyStep: " 단계",
    keyBack: " 뒤로",
    keyReset: " 처음으로",
    keyRunAll: " 모두 실행",
    keyPlay: " 재생/일시정지",
    keyMove: " 블록 이동",
    keyReveal: " 보기",
    playback: "역전파 단계",
    stepBack: "뒤로",
    step: "단계",
    play: "재생",
    pause: "일시정지",
    runAll: "모두 실행",
    reset: "처음으로",
    speed: "속도",
    speedOption: "초당 {v}단계",
    speedOptionOne: "초당 {v}단계",
    counter: "단계 {k} / {n}",
    tableCoarse:
      "{name}은(는) 여기서 {step} 간격으로 움직입니다: 더 촘촘한 위치를 모두 미리 계산하기에는 양이 너무 많습니다.",
    tableLive:
      "{name}을(를) 움직일 때마다 Python의 계산을 기다립니다: 이 그래프는 모든 위치를 미리 계산하기에는 양이 너무 많습니다.",
    tableBroken:
      "미리 계산된 {name}의 위치 값이 온전히 도착하지 않았습니다: 움직일 때마다 Python의 계산을 기다립니다.",
    addHeading: "블록 추가",
    stackHeading: "블록 (x부터)",
    noBlocks: "블록 없음: y = x.",
    add: "{name} 추가",
    blockRow: "블록 {n}: {name}",
    blockRemove: "블록 {n} ({name}) 삭제",
    blockUp: "블록 {n} ({name}) 위로 이동",
    blockDown: "블록 {n} ({name}) 아래로 이동",
    moveUp: "위로 이동",
    moveDown: "아래로 이동",
    remove: "삭제",
    dragHint: "끌어서 순서 바꾸기, 또는 Alt+\u2191 / Alt+\u2193",
    graph: "계산 그래프",
    gradLabel: "기울기",
    gradPending: "계산 전",
    currentStep: ", 현재 단계",
    backwardFailed: ", 역전파 실패: {error}",
    sayReset: "처음으로: 아직 기울기가 없습니다.",
    sayStep: "{n}단계 중 {k}단계.",
    sayStepHead: "{n}단계 중 {k}단계: {name}의 역전파",
    sayFailed: "{head} 실패: {error}",
    sayDone: "{head}: gy = {gys}에 국소 미분을 곱해 {gxs}.",
    sayGx: "{name}에 gx = {v}",
    sayAnd: ", ",
    zoom: "확대/축소",
    zoomOut: "축소",
    zoomIn: "확대",
    zoomFit: "맞춤",
    zoomHint: "끌어서 이동 \u00b7 Ctrl+휠 또는 + / \u2212 로 확대/축소 \u00b7 0 으로 맞춤",
    code: "코드",
    codeApply: "적용",
    codeHint: "스택을 코드로 고칠 수 있습니다. 예: y = exp(sin(x)): Enter로 적용, Esc로 되돌리기.",
    rowStep: " \u00b7 {k}단계",
    received: "{k}단계에 {name}에서 {v}",
    modes: "보기 설정",
    language: "언어",
    presenter: "발표 모드",
    predict: "먼저 예측하기",
    reveal: "보기",
    hide: "숨기기",
    revealHint: "값이 가려져 있습니다: 노드를 클릭하거나 보기를 누르세요.",
    cardSection: "미분 카드",
    cardNone: "아직 단계가 없습니다. 단계 버튼을 눌러 y에서 역전파를 시작하세요 (dy/dy = 1).",
    shapes: "모양",
    checkSampled: "원소 {total}개 중 {n}개: {at}",
    tensorExpand: "{name}의 값 {n}개 모두 보기 ({shape})",
    tensorMore: "{n}개 모두",
    tensorTitle: "{name}: 모양 {shape}",
    tensorValue: "값",
    tensorGrad: "기울기",
    tensorClose: "닫기",
    tensorCut: "{total}개 중 처음 {shown}개입니다. Python의 {name}.data에 모두 있습니다.",
    tensorShape: "모양 {shape}",
    cardEmpty: "거칠 단계가 없습니다: 그래프에 아직 Function이 없습니다. 블록을 추가하세요.",
    cardTitle: "{n}단계 중 {k}단계: {name}의 역전파",
    cardNext: "예측할 차례, {n}단계 중 {k}단계: {name}의 역전파",
    cardFailed: "{name}.backward 실패: {error}",
    cardSecondOrder: "2계 미분: 이 역전파는 dy/dx를 한 번 더 미분합니다.",
    cardOrderRecorded: "{name}은(는) {by}의 역전파가 기록했습니다.",
    cardOrderForward: "{name}은(는) 순전파의 것으로, 첫 역전파가 그 출력을 썼습니다.",
    recordedBy: "{name}, {by}의 역전파가 기록함",
    local: "국소 미분",
    upstream: "상류",
    downstream: "하류",
    noRule:
      '{name}에는 보여 줄 규칙이 없습니다: 클래스에 rule을 적거나 (rule = "3 * x**2") register_block에 rule=을 넘기세요. 이 값은 역전파가 계산한 것입니다.',
    predictPrompt: "예측: {name}의 역전파가 {input}에 보낼 gx는?",
    yourPrediction: "예측값",
    predictSubmit: "확인",
    predictRight: "정답!",
    predictWrong: "아쉽네요: 정답은 {v}",
    predictNotNumber: "숫자를 입력하세요. 예: 0.75, \u22122, 1/3",
    predictArray: "이 기울기는 배열입니다: 단계 버튼을 눌러 확인하세요.",
    predictDone: "모든 단계를 마쳤습니다: 처음으로 버튼을 눌러 다시 예측하세요.",
    plotSection: "f(x)와 f\u2032(x)",
    plotSectionSecond: "f\u2032(x)와 f\u2033(x)",
    plotLabel: "{x}가 {lo}부터 {hi}까지일 때 {y}와 그 도함수; {x} = {at}에서 {y} = {fy}, 기울기 {dy}",
    plotLabelLater: "{x}가 {lo}부터 {hi}까지일 때 {y}와 그 도함수; {x} = {at}에서 {y} = {fy}",
    plotNone: "이 그래프는 그릴 수 없습니다: 움직일 입력과 유한한 수인 출력이 필요합니다.",
    plotNoBlocks: "블록을 추가하면 f(x)와 f\u2032(x)를 그립니다: 블록이 없으면 y = x입니다.",
    tangent: "접선, 기울기 {v}",
    tangentLater: "기울기 dy/dx: 마지막 단계 뒤에",
    numericalSlope: "점선: 수치 미분",
    checkSection: "기울기 확인",
    checkIntro:
      "각 Function의 역전파를, 받은 gy를 그대로 써서 자신의 순전파로 구한 수치 미분(numerical_diff)과 비교합니다. \u26a0는 상대 오차가 {tol}보다 큰 노드입니다.",
    eps: "eps",
    colFunction: "함수",
    colInput: "입력",
    colBackprop: "역전파 gx",
    colNumerical: "수치 미분 gx",
    colError: "상대 오차",
    colStatus: "결과",
    agree: "일치",
    disagree: "\u26a0 불일치",
    checkFailed: "확인 자체가 실패했습니다: {error}",
    checkAllGood: "역전파 {n}개가 모두 수치 미분과 일치합니다.",
    checkSomeBad: "역전파 {n}개 중 {bad}개가 수치 미분과 다릅니다.",
    checkNone: "확인할 Function이 없습니다.",
    flagged: "기울기 확인 실패: {name}.backward가 수치 미분과 다릅니다",
    epsSection: "수치 미분이 자릿수를 잃는 이유 (자릿수 누락)",
    epsAxis: "eps (작아짐 \u2192)",
    errorAxis: "|수치 미분 \u2212 역전파|",
    bookEps: "책의 eps",
    yourEps: "현재 eps",
    epsCaption:
      "eps가 크면 절단 오차(\u221d eps\u00b2), 너무 작으면 f(x+eps) \u2212 f(x\u2212eps)에서 유효 숫자 대부분이 사라지는 반올림 오차(자릿수 누락).",
    epsFlagged:
      "여기서는 어떤 eps에서도 오차가 큽니다: eps를 바꿔도 해결되지 않습니다. 역전파가 틀렸기 때문입니다(\u26a0 참고).",
    truncation: "절단 오차",
    rounding: "반올림 오차",
    epsLabel:
      "{x} = {at}에서 eps에 따른 |수치 미분 \u2212 역전파|의 로그-로그 그래프: 가장 작은 오차 {min}, eps = {best}",
    epsNone: "이 그래프에는 오차 곡선이 없습니다.",
    kernelOffline:
      "커널이 없는 저장본입니다: 슬라이더, 단계, 재생, 미분 카드, 기울기 확인, 그래프는 파이썬이 저장한 값으로 동작합니다. 블록이나 코드를 바꾸려면 노트북을 열어 실행하세요.",
    kernelLost:
      "커널이 응답하지 않습니다(계산 중이거나 연결이 끊김): 페이지에 있는 값으로 단계는 계속 볼 수 있고, 편집은 커널이 다시 응답하면 됩니다.",
    kernelGone:
      "커널이 재시작되었거나 종료되어 이 위젯의 파이썬 객체도 사라졌습니다: 단계는 여기서 계속 볼 수 있고, 편집하려면 셀을 다시 실행하세요.",
    pageBroken:
      "이 위젯을 보여줄 수 없습니다: {why}. 파일이 잘렸거나 직접 고쳐졌을 수 있습니다: w.save_html(path) 또는 jupyter nbconvert --to gradwidget로 다시 내보내세요.",
  },
};

/** @typedef {keyof typeof STRINGS} Lang */
/** @typedef {keyof typeof STRINGS.en} StringKey */

/** The languages the page speaks, in the order the picker offers them. */
export const LANGS = /** @type {Lang[]} */ (Object.keys(STRINGS));

/**
 * @param {unknown} value  the `lang` trait
 * @returns {Lang}  English for anything that is not a language we have
 */
export function langOf(value) {
  return typeof value === "string" && Object.hasOwn(STRINGS, value) ? /** @type {Lang} */ (value) : "en";
}

/**
 * @param {unknown} lang
 * @param {StringKey} key
 * @param {Record<string, string | number>} [params]  fills {name} placeholders
 * @returns {string}
 */
export function translate(lang, key, params = {}) {
  const table = /** @type {Record<string, string>} */ (STRINGS[langOf(lang)]);
  const text = table[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * Words Python sent for the page to show in its own language (gradwidget.messages.words): {en: "...", ko: "..."},
 * or a plain string, the same in every language (a learner's own text, an older kernel's).
 * @param {unknown} words
 * @param {unknown} lang
 * @returns {string}
 */
export function wordsIn(words, lang) {
  if (typeof words === "string") return words;
  if (!words || typeof words !== "object") return "";
  const byLang = /** @type {Record<string, unknown>} */ (words);
  const text = byLang[langOf(lang)] ?? byLang.en;
  return typeof text === "string" ? text : "";
}

/**
 * What Python refused or what failed, in `lang` (the page's by default): its `error_words`, else `error`.
 * @param {{get: (name: string) => any}} model
 * @param {unknown} [lang]
 * @returns {string}
 */
export function errorIn(model, lang = model.get("lang")) {
  return wordsIn(model.get("error_words"), lang) || String(model.get("error") || "");
}

/**
 * A translator bound to the model's current language (read at each call, so a switch shows at the next redraw).
 * @param {{get: (name: string) => any}} model
 * @returns {(key: StringKey, params?: Record<string, string | number>) => string}
 */
export function translator(model) {
  return (key, params) => translate(model.get("lang"), key, params);
}
