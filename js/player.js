// Play: advance `step` at `speed` steps per second until the end, then set `playing` false.
// One player per model, however many views show it: anywidget calls initialize({model}) once per model (and
// gives each view a model proxy of its own, so a player per view, or per proxy, played twice as fast in two
// views). widget.js's initialize starts it and returns its stop, which anywidget calls when the model goes.
import { clampStep } from "./state.js";

/** @typedef {import("./actions.js").Model} Model */

/**
 * @param {unknown} speed
 * @returns {number} milliseconds between steps, speed clamped to 0.25..10 steps/s
 */
export function intervalMs(speed) {
  const s = Number(speed);
  const clamped = Number.isFinite(s) ? Math.min(10, Math.max(0.25, s)) : 1;
  return 1000 / clamped;
}

/**
 * @param {Model} model
 * @returns {() => void} stop: clears the timer and the listeners
 */
export function startPlayer(model) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;

  function tick() {
    timer = null;
    if (!model.get("playing")) return;
    const n = Math.max(0, Math.floor(Number(model.get("n_steps")) || 0));
    const next = clampStep(model.get("step"), n) + 1;
    if (next <= n) model.set("step", next);
    if (next >= n) model.set("playing", false);
    model.save_changes();
    schedule();
  }

  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = model.get("playing") ? setTimeout(tick, intervalMs(model.get("speed"))) : null;
  }

  model.on("change:playing", schedule);
  model.on("change:speed", schedule);
  schedule();
  return () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    model.off("change:playing", schedule);
    model.off("change:speed", schedule);
  };
}
