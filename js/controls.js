// The playback bar: Step back, Step, Play/Pause, Run all, Reset, Speed, and "Step k / n".
import "./controls.css";
import { h, listen, setText, svg, uniqueId } from "./dom.js";
import { translator } from "./i18n.js";
import { clampStep, formatNumber } from "./state.js";

/** @typedef {import("./actions.js").Model} Model */
/** @typedef {import("./actions.js").Actions} Actions */

export const SPEEDS = [0.25, 0.5, 1, 2, 3, 5, 10];

/** Icons as SVG paths in a 16×16 box: font glyphs such as ⏭ are missing from many fonts. */
const ICONS = {
  back: "M2.5 3h2v10h-2zM13.5 3v10L5.5 8z",
  step: "M2.5 3v10l8-5zM11.5 3h2v10h-2z",
  play: "M4 2v12l10-6z",
  pause: "M3.5 2.5h3.2v11H3.5zM9.3 2.5h3.2v11H9.3z",
  runAll: "M1 3v10l6-5zM7 3v10l6-5zM13 3h2v10h-2z",
  reset: "M8 2.2A5.8 5.8 0 1 1 2.6 6l1.9.7A3.8 3.8 0 1 0 8 4.2V6.5L4.5 3.2 8 0z",
};

/** @param {keyof typeof ICONS} name */
function icon(name) {
  return svg("svg", { class: "gw-icon", viewBox: "0 0 16 16", width: 16, height: 16, "aria-hidden": "true" }, [
    svg("path", { d: ICONS[name] }),
  ]);
}

/**
 * @param {keyof typeof ICONS} iconName  decorative, hidden from screen readers
 * @param {string} text   the visible words, which are also the accessible name
 */
function button(iconName, text) {
  return h("button", { type: "button", class: `gw-button-${iconName}`, "aria-label": text, title: text }, [
    icon(iconName),
    h("span", { class: "gw-button-text" }, [text]),
  ]);
}

/**
 * A button's words in the page's language: the visible text and the accessible name together.
 * @param {HTMLButtonElement} b
 * @param {string} text
 */
function relabel(b, text) {
  b.setAttribute("aria-label", text);
  b.title = text; // presenter mode shows the icon alone
  const span = b.querySelector(".gw-button-text");
  if (span) setText(span, text);
}

/**
 * @param {HTMLButtonElement} b
 * @param {boolean} off
 */
function unavailable(b, off) {
  if (off) b.setAttribute("aria-disabled", "true");
  else b.removeAttribute("aria-disabled");
}

/**
 * @param {Model} model
 * @param {Actions} actions
 */
export function createPlaybackBar(model, actions) {
  const t = translator(model);
  const back = button("back", "Step back");
  const step = button("step", "Step");
  const playIcon = icon("play");
  const playText = h("span", { class: "gw-button-text" });
  const play = h("button", { type: "button", class: "gw-play", "aria-label": "Play" }, [playIcon, playText]);
  const runAll = button("runAll", "Run all");
  const reset = button("reset", "Reset");
  const speedId = uniqueId("gw-speed");
  const speed = h("select", { id: speedId, class: "gw-speed", "aria-label": "Speed" });
  const speedWord = h("span", { class: "gw-speed-word", "aria-hidden": "true" }, ["Speed"]);
  const counter = h("span", { class: "gw-counter" });
  const el = h("div", { class: "gw-playback", role: "group", "aria-label": "Backward steps" }, [
    back,
    step,
    play,
    runAll,
    reset,
    h("label", { for: speedId, class: "gw-speed-label" }, [speedWord, speed]),
    counter,
  ]);

  /** @param {number} value */
  function speedOption(value) {
    return h("option", { value: String(value) }, [speedText(value)]);
  }
  /** @param {number} value */
  function speedText(value) {
    return t(value === 1 ? "speedOptionOne" : "speedOption", { v: formatNumber(value) });
  }
  for (const s of SPEEDS) speed.append(speedOption(s));

  function update() {
    const n = Math.max(0, Math.floor(Number(model.get("n_steps")) || 0));
    const k = clampStep(model.get("step"), n);
    const playing = Boolean(model.get("playing"));
    // Not `disabled`: a button that disables itself (Step at the last step, Run all, Reset) would drop the focus to
    // the page's body, and a keyboard or screen-reader user would lose their place. aria-disabled keeps it there,
    // says "unavailable", and the actions themselves do nothing past the ends.
    unavailable(back, k <= 0);
    unavailable(reset, k <= 0);
    unavailable(step, k >= n);
    unavailable(runAll, k >= n);
    unavailable(play, n === 0);
    relabel(back, t("stepBack"));
    relabel(step, t("step"));
    relabel(runAll, t("runAll"));
    relabel(reset, t("reset"));
    el.setAttribute("aria-label", t("playback"));
    speed.setAttribute("aria-label", t("speed"));
    setText(speedWord, t("speed"));
    for (const o of speed.options) setText(o, speedText(Number(o.value)));
    play.setAttribute("aria-label", playing ? t("pause") : t("play"));
    /** @type {Element} */ (playIcon.firstChild).setAttribute("d", playing ? ICONS.pause : ICONS.play);
    setText(playText, playing ? t("pause") : t("play"));
    play.classList.toggle("playing", playing);
    setText(counter, t("counter", { k, n }));
    const s = Number(model.get("speed"));
    const value = String(s);
    if (Number.isFinite(s) && ![...speed.options].some((o) => o.value === value)) {
      // A speed set from Python that is not a preset: offer it, in order.
      const after = [...speed.options].find((o) => Number(o.value) > s);
      speed.insertBefore(speedOption(s), after ?? null);
    }
    if (speed.value !== value) speed.value = value;
  }

  const offs = [
    .../** @type {[HTMLButtonElement, () => void][]} */ ([
      [back, actions.back],
      [step, actions.step],
      [play, actions.togglePlay],
      [runAll, actions.runAll],
      [reset, actions.reset],
    ]).map(([b, action]) =>
      listen(b, "click", () => {
        if (b.getAttribute("aria-disabled") !== "true") action();
      }),
    ),
    listen(speed, "change", () => actions.setSpeed(Number(speed.value))),
  ];
  update();
  return { el, update, destroy: () => offs.forEach((off) => off()) };
}
