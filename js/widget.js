// Entry point for anywidget: render({model, el}) draws what Python sends and turns clicks and keys into trait
// writes. Python is the source of truth; nothing here computes a gradient.
import "./widget.css";
import { createActions } from "./actions.js";
import { createCodeView } from "./code-view.js";
import { createPlaybackBar } from "./controls.js";
import { afterPaint, h, listen, setText } from "./dom.js";
import { createExplain } from "./explain.js";
import { createGraphView } from "./graph-view.js";
import { createTensorView } from "./tensor-view.js";
import { errorIn, langOf, translate } from "./i18n.js";
import { createKernelNote } from "./kernel-note.js";
import { createLink } from "./link.js";
import { createBlockEditor } from "./palette.js";
import { startPlayer } from "./player.js";
import { actionForKey } from "./shortcuts.js";
import { createLeafSliders, createXSlider } from "./sliders.js";
import { createSticky } from "./sticky.js";
import { clampStep, describeStep, graphReader } from "./state.js";
import { createShownModel, tablesReader } from "./table.js";

/** Wait this long after x stops moving before saying "x = ..., y = ..." (and for Python's new graph). */
const X_ANNOUNCE_DELAY_MS = 400;

function kbd(/** @type {string} */ text) {
  return h("kbd", {}, [text]);
}

/**
 * The keyboard hint's contents, in the page's language.
 * @param {boolean} withBlocks  mention the stack's keys too
 * @param {unknown} lang
 * @param {boolean} [presenter]  mention R (reveal) too
 */
function shortcutHint(withBlocks, lang, presenter = false) {
  const t = (/** @type {import("./i18n.js").StringKey} */ key) => translate(lang, key);
  return [
    t("keysIntro"),
    kbd("\u2192"),
    t("keyOr"),
    kbd("N"),
    `${t("keyStep")} \u00b7 `,
    kbd("\u2190"),
    t("keyOr"),
    kbd("P"),
    `${t("keyBack")} \u00b7 `,
    kbd("Home"),
    `${t("keyReset")} \u00b7 `,
    kbd("End"),
    `${t("keyRunAll")} \u00b7 `,
    kbd("K"),
    t("keyOr"),
    kbd("Space"),
    t("keyPlay"),
    ...(withBlocks ? [" \u00b7 ", kbd("Alt+\u2191"), " / ", kbd("Alt+\u2193"), t("keyMove")] : []),
    ...(presenter ? [" \u00b7 ", kbd("R"), t("keyReveal")] : []),
  ];
}

/**
 * @param {{model: import("./link.js").HostModel, el: HTMLElement}} ctx
 * @returns {() => void} cleanup
 */
function render({ model: host, el }) {
  // The link's model is the host's, with writes that never throw into the page when the kernel is gone, and that
  // wait (or are refused, for what only Python can do) while no Python object answers (link.js). A slider with a
  // table of its positions slides with no kernel too (table.js).
  const tables = tablesReader(host);
  const canSlide = () => tables().some((table) => table.rows !== null);
  const link = createLink(host, { canSlide });
  // What the page shows: the link's model, with a slider's move shown at once from its table until the kernel's
  // answer for it arrives (table.js). Every part draws from it; the actions write through the link.
  const model = createShownModel(link.model);
  // Python sends the graph's shape (`graph`) only when it changes and its numbers (`numbers`) for every new input,
  // always together with a new shape: so everything drawn from them redraws on change:numbers.
  const graph = graphReader(model);
  const actions = createActions(link.model, { shown: model });
  // GradWidget has one x and a block stack; GraphWidget (show(y)) a slider per leaf and no stack.
  const isStack = !Array.isArray(model.get("names"));
  const slider = isStack ? createXSlider(model, actions) : createLeafSliders(model, actions);
  const playback = createPlaybackBar(model, actions);
  /** @type {ReturnType<typeof createExplain> | null} */
  let explain = null;
  // After each drawing of nodes (a big graph draws more as the view pans), presenter mode marks those it revealed.
  // A large array's node opens every value of it under the graph (tensor-view.js), and Esc gives the focus back.
  const tensorView = createTensorView({
    focusNode: (id) =>
      /** @type {SVGElement | null} */ (graphView.el.querySelector(`[data-expand="${CSS.escape(id)}"]`))?.focus(),
  });
  const graphView = createGraphView({
    onDrawn: () => explain?.graphDrawn(),
    onExpand: (id) => {
      tensorView.show(id);
      drawGraph();
      tensorView.el.focus();
    },
  });
  /** An error the learner has dealt with (Esc on the code Python refused): not shown until a new one comes. */
  let dismissedError = "";
  const codeView = createCodeView(model, isStack, {
    dismissError(dismissed) {
      dismissedError = dismissed ? errorIn(model, "en") : ""; // the same error in any language
      drawError();
    },
  });
  const errorLine = h("p", { class: "gw-error", role: "alert" });
  const live = h("div", { class: "gw-sr-only", "aria-live": "polite", "aria-atomic": "true" });
  const hint = h("p", { class: "gw-hint" });
  const controls = h("div", { class: "gw-controls" }, [slider.el, playback.el]);
  const footer = h("div", { class: "gw-footer" }, [hint]);

  // The first frame shows the controls and the graph in view (a big graph draws only what its view shows); what lies
  // under the graph (the card, plots and checks, the code, the stack, the keys) is built in the task after that
  // frame's paint and shows in the next frame. Being under the graph, it moves nothing the learner looks at.
  const root = h(
    "div",
    {
      class: "gradwidget",
      tabindex: 0,
      role: "group",
      "aria-label": "Backpropagation, step by step",
      "data-lm-suppress-shortcuts": "true",
      lang: langOf(model.get("lang")), // the page's fonts for its language from the first frame on
    },
    [controls, errorLine, graphView.el, tensorView.el, live],
  );
  el.replaceChildren(root);
  const sticky = createSticky(root, controls);
  const kernelNote = createKernelNote({
    link,
    lang: () => model.get("lang"),
    root,
    regions: [{ el: slider.el, enabled: () => link.canEdit() || canSlide() }],
  });
  controls.after(kernelNote.el);
  /** @type {ReturnType<typeof createBlockEditor> | null} */
  let editor = null;
  function drawBelowGraph() {
    cancelBelow = null;
    editor = isStack ? createBlockEditor(model, actions) : null;
    // The card, plots and checks below the graph, then the code (beside the stack it builds, editable, or read-only
    // for show(y)), the stack, and the footer: the view options (language, presenter, predict) with the keys.
    explain = createExplain({
      model,
      actions,
      graph,
      root,
      graphEl: graphView.el,
      strip: graphView.strip,
      isStack,
    });
    footer.prepend(explain.modes);
    errorLine.after(explain.predict);
    live.before(explain.el, codeView.el, ...(editor ? [editor.el] : []), footer);
    kernelNote.add([
      { el: editor ? codeView.el : null },
      { el: editor?.el },
      { el: explain.el.querySelector("select.gw-eps") },
    ]);
    if (editor)
      for (const event of ["change:blocks", "change:palette", "change:lang"]) {
        model.on(event, editor.update);
        subscriptions.push([event, editor.update]);
      }
  }

  const step = () => clampStep(model.get("step"), model.get("n_steps"));

  const lang = () => model.get("lang");
  const drawGraph = () => {
    graphView.update(graph(), step(), lang(), { presenter: Boolean(model.get("presenter")) });
    tensorView.update(graph(), step(), lang());
  };
  const drawWords = () => {
    root.setAttribute("aria-label", translate(lang(), "widget"));
    hint.replaceChildren(...shortcutHint(isStack, lang(), Boolean(model.get("presenter"))));
  };
  // Python's words, in the page's language at once on a switch (Python sends them in every language).
  function drawError() {
    const message = errorIn(model);
    const which = errorIn(model, "en");
    if (which !== dismissedError) dismissedError = "";
    setText(errorLine, message);
    errorLine.hidden = message === "" || which === dismissedError;
  }
  // What the live region says, kept as words to come in a language: a switch of language says it again in the new
  // one, rather than leaving the old language there until the next step.
  /** @type {((lang: unknown) => string) | null} */
  let narration = null;
  const say = (/** @type {(lang: unknown) => string} */ words) => {
    narration = words;
    setText(live, words(lang()));
  };
  const sayAgain = () => {
    if (narration) setText(live, narration(lang()));
  };

  /** @type {ReturnType<typeof setTimeout> | null} */
  let xTimer = null;
  let lastStepSaid = step();
  const announceStep = () => {
    const k = step();
    if (k === lastStepSaid) return;
    lastStepSaid = k;
    say((l) => describeStep(graph(), k, l));
  };
  const announceXSoon = () => {
    if (xTimer !== null) clearTimeout(xTimer);
    xTimer = setTimeout(() => {
      xTimer = null;
      const words = slider.describe(graph()); // names and numbers: the same in every language
      say(() => words);
    }, X_ANNOUNCE_DELAY_MS);
  };

  /** @type {[string, () => void][]} */
  const subscriptions = [
    ["change:numbers", drawGraph],
    ["change:numbers", playback.update],
    ["change:step", drawGraph],
    ["change:step", playback.update],
    ["change:step", announceStep],
    ["change:n_steps", playback.update],
    ["change:playing", playback.update],
    ["change:speed", playback.update],
    ["change:error", drawError],
    ["change:error_words", drawError],
    ...slider.events.map((event) => /** @type {[string, () => void]} */ ([event, slider.update])),
    [isStack ? "change:x" : "change:values", announceXSoon],
    ["change:lang", drawWords],
    ["change:lang", drawError],
    ["change:lang", kernelNote.update],
    ["change:lang", drawGraph],
    ["change:lang", playback.update],
    ["change:lang", sayAgain],
    ["change:presenter", drawWords],
    ["change:presenter", drawGraph],
  ];
  for (const event of codeView.events) subscriptions.push([event, codeView.update]);
  for (const [event, handler] of subscriptions) model.on(event, handler);

  const offKeys = listen(root, "keydown", (/** @type {KeyboardEvent} */ e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const action = actionForKey({
      key: e.key,
      altKey: e.altKey,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      targetTag: target.tagName,
      targetType: /** @type {HTMLInputElement} */ (target).type,
      targetEditable: target.isContentEditable,
    });
    if (!action) return;
    e.preventDefault(); // Space and Home/End would scroll the notebook
    e.stopPropagation(); // and the notebook around us must not act on them too
    actions[action]();
  });

  drawWords();
  drawGraph();
  drawError();
  // Presenter mode hides values from the first frame on, and Predict first puts its box above the graph: drawn at
  // once, then, rather than a frame late.
  /** @type {(() => void) | null} */
  let cancelBelow = null;
  if (model.get("presenter") || model.get("predict")) drawBelowGraph();
  else cancelBelow = afterPaint(drawBelowGraph);

  return () => {
    cancelBelow?.();
    for (const [event, handler] of subscriptions) model.off(event, handler);
    offKeys();
    sticky.destroy();
    actions.destroy();
    if (xTimer !== null) clearTimeout(xTimer);
    graphView.destroy();
    tensorView.destroy();
    slider.destroy();
    playback.destroy();
    editor?.destroy();
    codeView.destroy();
    explain?.destroy();
    kernelNote.destroy();
    model.destroy();
    link.destroy();
    root.remove();
  };
}

/**
 * Once per model, before any view: the player (one per model, not per view; see player.js), writing through a
 * link of its own, so that playing on with no kernel never writes to a dead comm (link.js). That link does not
 * ping: the views' links do, and steps and playing are the page's to change with or without a kernel.
 * @param {{model: import("./link.js").HostModel}} ctx
 * @returns {() => void} cleanup, when the model goes
 */
function initialize({ model: host }) {
  const link = createLink(host, { ping: false });
  const stop = startPlayer(link.model);
  return () => {
    stop();
    link.destroy();
  };
}

export default { initialize, render };
