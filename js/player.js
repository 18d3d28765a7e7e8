// Play: advance `step` at `speed` steps per second until the end, then set `playing` false.
// One player per model, shared by all of its views (a widget shown in two cells must not step twice as fast).
import { clampStep } from "./state.js";

/** @typedef {import("./actions.js").Model} Model */

/** @type {WeakMap<Model, {refs: number, stop: () => void}>} */
const players = new WeakMap();

/**
 * @param {Model} model
 * @returns {() => void} release: the last view to release stops the timer and its listeners
 */
export function acquirePlayer(model) {
  let player = players.get(model);
  if (!player) {
    player = { refs: 0, stop: startPlayer(model) };
    players.set(model, player);
  }
  player.refs += 1;
  const held = player;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.refs -= 1;
    if (held.refs === 0) {
      held.stop();
      players.delete(model);
    }
  };
}

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
 * @returns {() => void} stop
 */
function startPlayer(model) {
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
