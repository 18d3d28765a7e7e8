// Predict, then reveal: before step k+1 is shown, the learner types the gx it will send back; the page says whether
// that was right (as math.isclose with rel_tol=1e-2, abs_tol=1e-9, like Python's w.guess) and then takes the step.
import "./predict.css";
import { h, listen, setText, uniqueId } from "./dom.js";
import { translate } from "./i18n.js";
import { formatNumber, nodesById, parseNumber } from "./state.js";

/** @typedef {import("./state.js").Graph} Graph */

export const REL_TOL = 1e-2;
export const ABS_TOL = 1e-9;

/**
 * Python's math.isclose: |a − b| <= max(rel·max(|a|, |b|), abs). Infinities are close only to themselves.
 * @param {number} guess
 * @param {number} expected
 * @param {number} [rel]
 * @param {number} [abs]
 */
export function isClose(guess, expected, rel = REL_TOL, abs = ABS_TOL) {
  if (Number.isNaN(guess) || Number.isNaN(expected)) return false;
  if (guess === expected) return true;
  if (!Number.isFinite(guess) || !Number.isFinite(expected)) return false;
  const diff = Math.abs(guess - expected);
  return diff <= Math.max(rel * Math.max(Math.abs(guess), Math.abs(expected)), abs);
}

/**
 * What the learner typed, as a number: "3.297", "−1,5" (a decimal comma), "1e-3", "2/3"; NaN when it is not one.
 * @param {string} text
 * @returns {number}
 */
export function parseGuess(text) {
  const s = String(text).trim().replaceAll("\u2212", "-").replace(/\s+/g, "");
  if (s === "") return NaN;
  const fraction = /^([-+]?[\d.]+)\/([-+]?[\d.]+)$/.exec(s);
  if (fraction) return Number(fraction[1]) / Number(fraction[2]);
  const decimalComma = /^[-+]?\d+,\d+$/.test(s) ? s.replace(",", ".") : s;
  return decimalComma === "" ? NaN : Number(decimalComma);
}

/**
 * What step k+1 will compute: the Function, the input it sends its first gx to, and that gx.
 * @param {Graph} graph
 * @param {number} k  the step shown now
 * @returns {{name: string, input: string, expected: number | null, isArray: boolean} | null}  null when done
 */
export function predictTarget(graph, k) {
  const next = graph.steps[k];
  if (!next || next.error) return null;
  const byId = nodesById(graph);
  const inputId = (next.inputs || [])[0];
  const raw = (next.gxs || [])[0];
  return {
    name: String(byId.get(next.function)?.label ?? next.function),
    input: String(/** @type {any} */ (next).card?.inputs?.[0] ?? byId.get(inputId)?.label ?? inputId ?? "x"),
    expected: Array.isArray(raw) ? null : parseNumber(raw),
    isArray: Array.isArray(raw),
  };
}

/**
 * @param {string} text  what was typed
 * @param {number | null} expected
 * @returns {"right" | "wrong" | "invalid"}
 */
export function judge(text, expected) {
  const guess = parseGuess(text);
  if (Number.isNaN(guess)) return "invalid";
  return expected !== null && isClose(guess, expected) ? "right" : "wrong";
}

/**
 * The predict box: prompt, an input named "Your prediction", a Check button and the verdict.
 * @param {{get: (name: string) => any}} model
 * @param {{step: () => void}} actions
 * @param {() => Graph} graph
 * @param {() => number} step
 */
export function createPredict(model, actions, graph, step) {
  const inputId = uniqueId("gw-predict");
  const prompt = h("label", { for: inputId, class: "gw-predict-prompt" });
  const input = h("input", {
    id: inputId,
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    class: "gw-predict-input",
  });
  const submit = h("button", { type: "submit", class: "gw-predict-submit" });
  const verdict = h("p", { class: "gw-predict-verdict", role: "status" });
  const form = h("form", { class: "gw-predict", novalidate: true }, [
    // the verdict on the step just taken comes first, then the question about the next one
    verdict,
    prompt,
    h("span", { class: "gw-predict-row" }, [input, submit]),
  ]);
  /** The step the verdict is about: it stays up while that step is shown, and goes when the learner moves on. */
  let verdictStep = -1;
  /** @type {{key: import("./i18n.js").StringKey, params?: Record<string, string>, result: string} | null} */
  let shown = null;

  function update() {
    const lang = model.get("lang");
    const enabled = Boolean(model.get("predict"));
    form.hidden = !enabled;
    const k = step();
    if (k !== verdictStep) shown = null;
    const target = predictTarget(graph(), k);
    input.setAttribute("aria-label", translate(lang, "yourPrediction"));
    input.placeholder = translate(lang, "yourPrediction");
    setText(submit, translate(lang, "predictSubmit"));
    const canPredict = target !== null && !target.isArray;
    // aria-disabled, not disabled: the last prediction takes the last step, and the focus must stay here
    input.readOnly = !canPredict;
    for (const el of [input, submit]) {
      if (canPredict) el.removeAttribute("aria-disabled");
      else el.setAttribute("aria-disabled", "true");
    }
    setText(
      prompt,
      target === null
        ? translate(lang, "predictDone")
        : target.isArray
          ? translate(lang, "predictArray")
          : translate(lang, "predictPrompt", { name: target.name, input: target.input }),
    );
    setText(verdict, shown ? translate(lang, shown.key, shown.params) : "");
    verdict.setAttribute("data-result", shown ? shown.result : "");
    verdict.hidden = !shown;
  }

  const off = listen(form, "submit", (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    e.stopPropagation();
    const k = step();
    const target = predictTarget(graph(), k);
    if (!target || target.isArray) return;
    const result = judge(input.value, target.expected);
    if (result === "invalid") {
      shown = { key: "predictNotNumber", result };
      verdictStep = k;
      update();
      return;
    }
    shown =
      result === "right"
        ? { key: "predictRight", result }
        : { key: "predictWrong", params: { v: formatNumber(target.expected) }, result };
    verdictStep = k + 1;
    input.value = "";
    actions.step(); // reveal: the step the learner just predicted
    update();
  });

  update();
  // JupyterLab swallows Enter in an output area before the form's implicit submission: submit on Enter ourselves.
  const offEnter = listen(input, "keydown", (/** @type {KeyboardEvent} */ e) => {
    if (e.key !== "Enter" || e.isComposing) return;
    e.preventDefault();
    e.stopPropagation();
    form.requestSubmit();
  });
  return {
    el: form,
    update,
    destroy() {
      off();
      offEnter();
    },
  };
}
