// The explaining half of the page: the view options (language, presenter, predict), the predict box, and the
// collapsible sections under the graph: derivative card and f(x) plot (open), gradient check and eps curve (closed).
import "./explain.css";
import { createCard } from "./card.js";
import { createChecks, flaggedFunctions } from "./checks.js";
import { h, listen, setText, uniqueId } from "./dom.js";
import { LANGS, langOf, translate } from "./i18n.js";
import { createEpsPlot, createFunctionPlot } from "./plots.js";
import { createPredict } from "./predict.js";
import { createPresenter } from "./presenter.js";
import { clampStep, gradsAtStep, parseNumber, stepCount } from "./state.js";

/** @typedef {import("./actions.js").Model} Model */
/** @typedef {import("./state.js").Graph} Graph */
/** @typedef {import("./i18n.js").StringKey} StringKey */

/**
 * Where the plot's marker goes and the tangent's slope, exactly as Python computed them: f(x) is the output's
 * value and dy/dx the input's grad after every step. Null while the graph is not yet for this x (the slider ran
 * ahead of the kernel): the plot then reads both off its curves.
 * @param {Graph} graph
 * @param {string} xName  the plotted leaf's label
 * @param {number} x
 * @returns {{y: number | null, slope: number | null}}
 */
export function exactPoint(graph, xName, x) {
  const input = graph.nodes.find((n) => n.kind === "variable" && n.role === "input" && n.label === xName);
  const output = graph.nodes.find((n) => n.id === graph.output);
  if (!input || !output || parseNumber(input.value) !== x) return { y: null, slope: null };
  if (graph.steps.some((s) => s.error)) return { y: null, slope: null };
  const y = parseNumber(output.value);
  const grad = gradsAtStep(graph, graph.steps.length).get(input.id)?.grad;
  return {
    y: y !== null && Number.isFinite(y) ? y : null,
    slope: typeof grad === "number" && Number.isFinite(grad) ? grad : null,
  };
}

/**
 * @param {StringKey} titleKey
 * @param {boolean} open
 * @param {string} cls
 * @param {Node[]} content
 */
function section(titleKey, open, cls, content) {
  const summary = h("summary", { class: "gw-section-title" });
  const details = h("details", { class: `gw-section ${cls}`, open }, [
    summary,
    h("div", { class: "gw-section-body" }, content),
  ]);
  return { details, summary, titleKey };
}

/**
 * @typedef {object} ExplainContext
 * @property {Model} model
 * @property {{step: () => void}} actions
 * @property {() => import("./state.js").Graph} graph  the widget's merged picture (state.js graphReader)
 * @property {HTMLElement} root
 * @property {HTMLElement} graphEl
 * @property {HTMLElement} strip  the graph's strip, for presenter mode's Reveal
 * @property {boolean} isStack
 */

/**
 * @param {ExplainContext} ctx
 */
export function createExplain({ model, actions, graph, root, graphEl, strip, isStack }) {
  const step = () => clampStep(model.get("step"), model.get("n_steps"));
  const lang = () => langOf(model.get("lang"));
  const t = (/** @type {StringKey} */ key, /** @type {Record<string, string | number>} */ params = {}) =>
    translate(lang(), key, params);
  /** @param {Record<string, any>} changes */
  const write = (changes) => {
    for (const [name, value] of Object.entries(changes)) model.set(name, value);
    model.save_changes();
  };

  const card = createCard();
  const plot = createFunctionPlot();
  const epsPlot = createEpsPlot();
  const epsCaption = h("p", { class: "gw-caption" });
  const plotNote = h("p", { class: "gw-caption gw-plot-note" });
  const checks = createChecks((eps) => write({ eps }));
  const predict = createPredict(model, actions, graph, step);
  const presenter = createPresenter(model, root, graphEl, card.el, strip);

  const sections = [
    section("cardSection", true, "gw-card-section", [card.el]),
    section("plotSection", true, "gw-plot-section", [plot.el, plotNote]),
    section("checkSection", false, "gw-check-section", [checks.el]),
    section("epsSection", false, "gw-eps-section", [epsPlot.el, epsCaption]),
  ];
  const [, plotSection, checkSection, epsSection] = sections;
  /** The plot's title names its curves: f′ and f″ when the graph's output is itself dy/dx (order 2). */
  const titleKey = (/** @type {{titleKey: StringKey}} */ s) =>
    s === plotSection && (model.get("curves") || {}).order === 2 ? "plotSectionSecond" : s.titleKey;
  const el = h(
    "div",
    { class: "gw-explain" },
    sections.map((s) => s.details),
  );

  // the view options
  const langId = uniqueId("gw-lang");
  const langSelect = h(
    "select",
    { id: langId, class: "gw-lang" },
    LANGS.map((code) => h("option", { value: code, lang: code }, [translate(code, "languageName")])),
  );
  const langLabel = h("label", { for: langId, class: "gw-lang-label" });
  const toggle = (/** @type {string} */ cls) => {
    const input = h("input", { type: "checkbox", class: cls });
    const text = h("span");
    return { input, text, label: h("label", { class: "gw-toggle" }, [input, text]) };
  };
  const presenterToggle = toggle("gw-presenter-toggle");
  const predictToggle = toggle("gw-predict-toggle");
  const modes = h("div", { class: "gw-modes", role: "group" }, [
    h("span", { class: "gw-lang-field" }, [langLabel, langSelect]),
    presenterToggle.label,
    predictToggle.label,
  ]);

  function drawWords() {
    const l = lang();
    root.setAttribute("lang", l);
    root.style.setProperty("--gw-word-break", t("wordBreak"));
    for (const s of sections) setText(s.summary, t(titleKey(s)));
    setText(langLabel, t("language"));
    langSelect.setAttribute("aria-label", t("language"));
    if (langSelect.value !== l) langSelect.value = l;
    setText(presenterToggle.text, t("presenter"));
    setText(predictToggle.text, t("predict"));
    presenterToggle.input.checked = Boolean(model.get("presenter"));
    predictToggle.input.checked = Boolean(model.get("predict"));
    modes.setAttribute("aria-label", t("modes"));
  }

  const xName = () => (isStack ? "x" : String((model.get("names") || [])[0] ?? "x"));
  const xNow = () => Number(isStack ? model.get("x") : (model.get("values") || [])[0]);

  /** Predict first, with a step left to predict: the card and the plot must not give its answer away. */
  const predicting = () => Boolean(model.get("predict")) && step() < stepCount(graph());
  const drawCard = () => card.update(graph(), step(), lang(), predicting());
  function drawPlot() {
    const g = graph();
    const x = xNow();
    const { y, slope } = exactPoint(g, xName(), x);
    const drawn = plot.update({
      curves: model.get("curves"),
      x,
      y,
      slope,
      xName: xName(),
      lang: lang(),
      slopeLater: predicting(),
    });
    // an empty stack is y = x: nothing to plot, and the way out is a block, not a slider (there is one)
    const noBlocks = isStack && (model.get("blocks") || []).length === 0;
    setText(plotNote, drawn ? "" : t(noBlocks ? "plotNoBlocks" : "plotNone"));
    setText(plotSection.summary, t(titleKey(plotSection)));
  }
  const drawChecks = () =>
    checks.update(graph(), lang(), model.get("eps"), checkSection.details.open, model.get("tolerance"));
  function drawEps() {
    if (!epsSection.details.open) return; // closed at first, and most learners never open it: drawn on opening
    const drawn = epsPlot.update({
      curve: graph().epsCurve,
      eps: Number(model.get("eps")),
      xName: xName(),
      lang: lang(),
    });
    const broken = drawn && flaggedFunctions(graph()).size > 0;
    setText(epsCaption, drawn ? `${t("epsCaption")}${broken ? ` ${t("epsFlagged")}` : ""}` : t("epsNone"));
  }
  function drawAll() {
    drawWords();
    drawCard();
    drawPlot();
    drawChecks();
    drawEps();
    predict.update();
    presenter.apply();
  }

  // Python sends `curves` only in the same message as new `numbers` (the eps curve is in the numbers' row), and
  // every trait of a message is set before any change event fires: so change:numbers is the one event to draw on.
  /** @type {[string, () => void][]} */
  const subscriptions = [
    ["change:numbers", drawCard],
    ["change:numbers", drawPlot],
    ["change:numbers", drawChecks],
    ["change:numbers", predict.update],
    ["change:numbers", drawEps],
    ["change:step", drawCard],
    ["change:step", drawPlot],
    ["change:step", predict.update],
    ["change:step", presenter.apply],
    ["change:n_steps", predict.update],
    [isStack ? "change:x" : "change:values", drawPlot],
    ["change:eps", drawChecks],
    ["change:eps", drawEps],
    ["change:lang", drawAll],
    ["change:presenter", drawWords],
    ["change:presenter", presenter.apply],
    ["change:predict", drawWords],
    ["change:predict", predict.update],
    ["change:predict", drawCard],
    ["change:predict", drawPlot],
    ["change:predict", presenter.apply],
  ];
  for (const [event, handler] of subscriptions) model.on(event, handler);
  const offs = [
    listen(langSelect, "change", () => write({ lang: langSelect.value })),
    listen(presenterToggle.input, "change", () => write({ presenter: presenterToggle.input.checked })),
    listen(predictToggle.input, "change", () => write({ predict: predictToggle.input.checked })),
    listen(checkSection.details, "toggle", drawChecks),
    listen(epsSection.details, "toggle", drawEps),
  ];
  drawAll();

  return {
    el,
    modes,
    predict: predict.el,
    /** Run after every drawing of the graph's nodes: presenter mode marks the nodes it revealed. */
    graphDrawn() {
      presenter.apply();
    },
    destroy() {
      for (const [event, handler] of subscriptions) model.off(event, handler);
      offs.forEach((off) => off());
      checks.destroy();
      predict.destroy();
      presenter.destroy();
    },
  };
}
