// Everything the page can ask for, as trait writes. One save_changes per action so Python sees one change.
import { addBlock, moveBlock, removeBlock } from "./blocks.js";
import { coalesceTrait, graphValues, graphX } from "./coalesce.js";
import { clampStep } from "./state.js";

/**
 * @typedef {object} Model  the part of anywidget's model the page uses
 * @property {(name: string) => any} get
 * @property {(name: string, value: any) => void} set
 * @property {(event: string, cb: (...args: any[]) => void) => void} on
 * @property {(event: string, cb: (...args: any[]) => void) => void} off
 * @property {() => void} save_changes
 */

/**
 * @param {Model} model
 * @param {{graph?: () => import("./state.js").Graph, timers?: import("./coalesce.js").Timers}} [options]
 *   the widget's shared graph reader; a fake clock, for tests
 */
export function createActions(model, options = {}) {
  const nSteps = () => Math.max(0, Math.floor(Number(model.get("n_steps")) || 0));
  const step = () => clampStep(model.get("step"), nSteps());
  const blocks = () => /** @type {string[]} */ ([...(model.get("blocks") || [])]);

  /** @param {Record<string, any>} changes */
  function write(changes) {
    let changed = false;
    for (const [name, value] of Object.entries(changes)) {
      if (model.get(name) !== value) {
        model.set(name, value);
        changed = true;
      }
    }
    if (changed) model.save_changes();
  }

  // Slider moves never queue up behind a slow kernel: one value in flight, only the newest waits (coalesce.js).
  /** @type {ReturnType<typeof coalesceTrait> | null} */
  let liveX = null;
  /** @type {ReturnType<typeof coalesceTrait> | null} */
  let liveValues = null;
  const x = () => (liveX ??= coalesceTrait(model, "x", graphX, options));
  const values = () =>
    (liveValues ??= coalesceTrait(model, "values", (g) => graphValues(g, model.get("names") || []), options));

  /** A manual move pauses playback: the learner has taken the wheel. */
  const goTo = (/** @type {number} */ s) => write({ step: clampStep(s, nSteps()), playing: false });

  return {
    step: () => goTo(step() + 1),
    back: () => goTo(step() - 1),
    reset: () => goTo(0),
    runAll: () => goTo(nSteps()),
    togglePlay() {
      if (model.get("playing")) write({ playing: false });
      else if (nSteps() === 0) return;
      else if (step() >= nSteps())
        write({ step: 0, playing: true }); // play again from the start
      else write({ playing: true });
    },
    setX: (/** @type {number} */ value) => x().request(value),
    /** GraphWidget: move leaf i's slider (on top of any other slider's move still waiting to be sent). */
    setLeaf(/** @type {number} */ i, /** @type {number} */ value) {
      const next = [...(values().current() || [])];
      next[i] = value;
      values().request(next);
    },
    setSpeed: (/** @type {number} */ speed) => write({ speed }),
    add: (/** @type {string} */ name) => write({ blocks: addBlock(blocks(), name) }),
    remove: (/** @type {number} */ i) => write({ blocks: removeBlock(blocks(), i) }),
    move: (/** @type {number} */ from, /** @type {number} */ to) => {
      if (from !== to) write({ blocks: moveBlock(blocks(), from, to) });
    },
    destroy() {
      liveX?.destroy();
      liveValues?.destroy();
    },
  };
}

/** @typedef {ReturnType<typeof createActions>} Actions */
