// Everything the page can ask for, as trait writes. One save_changes per action so Python sees one change.
import { addBlock, moveBlock, removeBlock } from "./blocks.js";
import { coalesceTrait, graphValues, graphX, sameValue } from "./coalesce.js";
import { clampStep, graphReader } from "./state.js";
import { nearestPosition, rowNumbers, tablesReader, usable } from "./table.js";

/**
 * @typedef {object} Model  the part of anywidget's model the page uses
 * @property {(name: string) => any} get
 * @property {(name: string, value: any) => void} set
 * @property {(event: string, cb: (...args: any[]) => void) => void} on
 * @property {(event: string, cb: (...args: any[]) => void) => void} off
 * @property {() => void} save_changes
 * @property {(content: any) => void} [send]  a custom message to Python
 */

/**
 * @param {Model} model  the kernel's model
 * @param {{shown?: import("./table.js").ShownModel, timers?: import("./coalesce.js").Timers}} [options]
 *   shown: what the page shows over the model (table.js), where a slider's move from a table is previewed at
 *   once; a fake clock, for tests
 */
export function createActions(model, options = {}) {
  const nSteps = () => Math.max(0, Math.floor(Number(model.get("n_steps")) || 0));
  const step = () => clampStep(model.get("step"), nSteps());
  const blocks = () => /** @type {string[]} */ ([...(model.get("blocks") || [])]);
  const shown = options.shown ?? null;
  const kernelGraph = graphReader(model); // the kernel's own picture: how its answers are recognised
  const tables = tablesReader(model);
  const layoutWidth = () => Number(model.get("graph")?.layout?.width);

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
  // Meanwhile the page shows the move's numbers from the slider's table, until the kernel's answer for it is in.
  /** @type {ReturnType<typeof coalesceTrait> | null} */
  let liveX = null;
  /** @type {ReturnType<typeof coalesceTrait> | null} */
  let liveValues = null;
  const names = () => /** @type {string[]} */ (model.get("names") || []);
  function answered() {
    const preview = shown?.previewing();
    if (!preview) return;
    const kernel = kernelGraph();
    const stack = "x" in preview;
    const caughtUp = stack
      ? graphX(kernel) === preview.x
      : sameValue(graphValues(kernel, names()), preview.values);
    const busy = stack ? liveX?.busy() : liveValues?.busy();
    if (caughtUp || !busy) shown?.clear(); // or the move was refused, or Python moved it: its state wins
  }
  const coalesced = { timers: options.timers, graph: kernelGraph, onAnswer: answered };
  const x = () => (liveX ??= coalesceTrait(model, "x", graphX, coalesced));
  const values = () => (liveValues ??= coalesceTrait(model, "values", (g) => graphValues(g, names()), coalesced));

  /**
   * Slider `index` moved to `value`: the grid position it snaps to, and (when the table holds the other sliders
   * where they are) that position's numbers shown at once.
   * @param {number} index
   * @param {number} value
   * @param {(position: number) => number[]} valuesAt  every slider's value with this one at that grid x
   * @param {(values: number[], numbers: any) => Record<string, any>} preview  what to show over the model
   * @returns {number} the x on the grid
   */
  function move(index, value, valuesAt, preview) {
    const table = tables()[index];
    if (!table || !table.xs.length) return value; // no grid (a state saved before tables): as it came
    const position = nearestPosition(table.xs, value);
    const all = valuesAt(table.xs[position]);
    if (shown && usable(table, layoutWidth(), all, index))
      shown.preview(preview(all, rowNumbers(table, position)));
    return table.xs[position];
  }

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
    /** @returns {number} the x the slider snapped to */
    setX(/** @type {number} */ value) {
      const target = move(
        0,
        value,
        (at) => [at],
        ([at], numbers) => ({ x: at, numbers }),
      );
      x().request(target);
      return target;
    },
    /** GraphWidget: move leaf i's slider (on top of any other slider's move still waiting to be sent). */
    setLeaf(/** @type {number} */ i, /** @type {number} */ value) {
      const next = [...(values().current() || [])];
      const target = move(
        i,
        value,
        (at) => next.map((v, j) => (j === i ? at : v)),
        (all, numbers) => ({ values: all, numbers }),
      );
      next[i] = target;
      values().request(next);
      return target;
    },
    /** A slider let go (its change event): the other sliders' tables are worked out for where it is now. */
    release(/** @type {number} */ i) {
      if (!Array.isArray(model.get("names"))) return; // a GradWidget's one table holds nothing else
      model.send?.({ type: "release", slider: i, values: [...(values().current() || [])] });
    },
    /** @returns {import("./table.js").SliderTable | undefined} slider i's grid and table */
    table: (/** @type {number} */ i) => tables()[i],
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
