// Every slider position, computed ahead by Python (gradwidget/table.py): the `tables` trait holds, per slider, its
// grid and the row of numbers at each position, laid out as the graph's `layout` declares. A move paints the row
// for its position at once, in the frame of the input event, while the kernel follows; nothing here computes a
// number, it only picks the row Python made for that position.
import { translate } from "./i18n.js";
import { floatArray, formatNumber, normalizeGraph, stepsReached } from "./state.js";

/** @typedef {import("./actions.js").Model} Model */

/**
 * @typedef {object} SliderTable
 * @property {string} leaf  the slider's variable node
 * @property {Float64Array} xs  its grid, the positions the slider snaps to (ends included)
 * @property {number} step  the grid's round step (for the page's note)
 * @property {(number | null)[]} held  the other sliders' values the rows were worked out at (null: this one)
 * @property {Float64Array | null} rows  one row of `width` numbers per position; null: the kernel answers each move
 * @property {number} width
 * @property {Record<string, any>} errors  per position (as a string), what failed there
 * @property {"coarse" | "live" | "broken" | null} note  a coarser grid than usual or no rows (Python's budget), or
 *   rows that did not arrive whole (a hand-edited or truncated state): the slider then waits for the kernel
 */

/**
 * The `tables` trait as the page reads it (float64 bytes or Colab's JSON lists), each checked: a table whose rows
 * do not add up to its grid is read as having none, so the slider waits for the kernel instead.
 * @param {unknown} value
 * @returns {SliderTable[]}
 */
export function readTables(value) {
  if (!Array.isArray(value)) return [];
  return value.map((t) => {
    const table = t && typeof t === "object" ? t : {};
    const xs = floatArray(table.xs);
    const width = Math.max(0, Math.floor(Number(table.width)) || 0);
    let rows = table.rows == null ? null : floatArray(table.rows);
    const ascending = xs.every((x, i) => i === 0 || x > xs[i - 1]);
    let note = table.note === "coarse" || table.note === "live" ? table.note : null;
    if (rows && (width === 0 || rows.length !== xs.length * width || !ascending)) {
      rows = null;
      note = "broken";
    }
    return {
      leaf: String(table.leaf ?? ""),
      xs,
      step: Number(table.step) || 0,
      held: Array.isArray(table.held) ? table.held : [],
      rows,
      width,
      errors: table.errors && typeof table.errors === "object" ? table.errors : {},
      note,
    };
  });
}

/**
 * A reader of the model's tables, decoded again only when the trait changes.
 * @param {{get: (name: string) => any}} model
 * @returns {() => SliderTable[]}
 */
export function tablesReader(model) {
  /** @type {unknown} */
  let raw;
  /** @type {SliderTable[]} */
  let tables = [];
  return () => {
    const next = model.get("tables");
    if (next !== raw) {
      raw = next;
      tables = readTables(next);
    }
    return tables;
  };
}

/**
 * The grid position nearest `value` (binary search; ties go up).
 * @param {ArrayLike<number>} xs  ascending
 * @param {number} value
 * @returns {number} -1 for an empty grid
 */
export function nearestPosition(xs, value) {
  if (!xs.length) return -1;
  if (!(value > xs[0])) return 0; // NaN too
  if (value >= xs[xs.length - 1]) return xs.length - 1;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= value) lo = mid;
    else hi = mid;
  }
  return value - xs[lo] < xs[hi] - value ? lo : hi;
}

/**
 * Where a key moves a slider on its grid: an arrow one position, Page Up / Page Down a tenth of the range (at
 * least one position), Home and End the ends. null for any other key.
 * @param {ArrayLike<number>} xs
 * @param {number} position
 * @param {string} key
 * @returns {number | null}
 */
export function positionForKey(xs, position, key) {
  const last = xs.length - 1;
  if (last < 0) return null;
  const clamp = (/** @type {number} */ p) => Math.min(last, Math.max(0, p));
  const tenth = (xs[last] - xs[0]) / 10;
  const by = (/** @type {number} */ sign) => {
    const target = nearestPosition(xs, xs[position] + sign * tenth);
    return clamp(target === position ? position + sign : target);
  };
  switch (key) {
    case "ArrowRight":
    case "ArrowUp":
      return clamp(position + 1);
    case "ArrowLeft":
    case "ArrowDown":
      return clamp(position - 1);
    case "PageUp":
      return by(+1);
    case "PageDown":
      return by(-1);
    case "Home":
      return 0;
    case "End":
      return last;
    default:
      return null;
  }
}

/**
 * @param {number} min
 * @param {number} max
 * @returns {number} a slider's step where Python sent no grid (a state saved before tables): a round power of
 *   ten, at most a thousandth of the range, so that values like 0.5 or 1.5 sit on the slider exactly
 */
export function sliderStep(min, max) {
  const span = max - min;
  if (!(Number.isFinite(span) && span > 0)) return 0.001;
  return 10 ** Math.floor(Math.log10(span / 1000));
}

/**
 * The one line under the sliders that says when one does not move as usual: a coarser grid than usual, or none
 * that the page can paint from (each move then waits for Python). Empty when every slider is as usual.
 * @param {[string, SliderTable | undefined][]} sliders  each slider's name and table
 * @param {unknown} lang
 * @returns {string}
 */
export function tableNote(sliders, lang) {
  const coarse = sliders.filter(([, t]) => t?.note === "coarse");
  const live = sliders.filter(([, t]) => t?.note === "live");
  const broken = sliders.filter(([, t]) => t?.note === "broken");
  const parts = [];
  if (coarse.length) {
    const step = formatNumber(coarse[0][1]?.step);
    parts.push(translate(lang, "tableCoarse", { name: coarse.map(([n]) => n).join(", "), step }));
  }
  if (live.length) parts.push(translate(lang, "tableLive", { name: live.map(([n]) => n).join(", ") }));
  if (broken.length) parts.push(translate(lang, "tableBroken", { name: broken.map(([n]) => n).join(", ") }));
  return parts.join(" ");
}

/**
 * Can the page paint slider `index` from this table? Only with rows in the graph's own layout, and only while the
 * other sliders are where the table holds them (a show(y) table is worked out again when another slider is let go).
 * @param {SliderTable | undefined} table
 * @param {number} width  the graph's layout width
 * @param {number[]} values  every slider's value now (a GradWidget: [x])
 * @param {number} index
 * @returns {table is SliderTable & {rows: Float64Array}}
 */
export function usable(table, width, values, index) {
  if (!table || !table.rows || table.width !== width) return false;
  return table.held.every((held, i) => i === index || held === null || held === values[i]);
}

/**
 * Position p's numbers, in the form of the `numbers` trait: mergeNumbers reads them the same way.
 * @param {SliderTable & {rows: Float64Array}} table
 * @param {number} p
 */
export function rowNumbers(table, p) {
  return {
    row: table.rows.subarray(p * table.width, (p + 1) * table.width),
    errors: table.errors[String(p)] || {},
  };
}

/**
 * What the page shows, over the kernel's model: a stand-in with the same get/set/on/off, where a slider's move
 * from a table shows at once (`preview`: its x or values, its row as `numbers`, its step count) until the kernel's
 * answer for it arrives (`clear`). Writes go to the kernel's model. A preview made for another graph is never
 * shown: when the graph changes, it is dropped and what it changed is drawn again.
 * @param {Model & {send?: (content: any) => void}} model
 */
export function createShownModel(model) {
  /** @type {Record<string, any> | null} */
  let preview = null;
  /** @type {unknown} */
  let previewGraph = null;
  /** @type {Map<string, Set<(...args: any[]) => void>>} */
  const handlers = new Map();

  /** Run every handler of these keys' change events once, as the model would for a change of them. */
  function changed(/** @type {string[]} */ keys) {
    const run = new Set();
    for (const key of keys) for (const cb of handlers.get(`change:${key}`) || []) run.add(cb);
    run.forEach((cb) => cb());
  }
  function drop() {
    if (!preview) return;
    const keys = Object.keys(preview);
    preview = null;
    changed(keys);
  }
  const current = () => preview !== null && previewGraph === model.get("graph");
  // first of all the model's listeners: a new graph makes the preview stale before anyone draws from it
  const onGraph = () => {
    if (preview && !current()) drop();
  };
  model.on("change:graph", onGraph);

  return {
    /** @param {string} name */
    get: (name) => (current() && name in /** @type {object} */ (preview) ? preview?.[name] : model.get(name)),
    /** @param {string} name @param {any} value */
    set: (name, value) => model.set(name, value),
    save_changes: () => model.save_changes(),
    /** @param {any} content */
    send: (content) => model.send?.(content),
    /** @param {string} event @param {(...args: any[]) => void} cb */
    on(event, cb) {
      model.on(event, cb);
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)?.add(cb);
    },
    /** @param {string} event @param {(...args: any[]) => void} cb */
    off(event, cb) {
      model.off(event, cb);
      handlers.get(event)?.delete(cb);
    },
    /**
     * Show these values at once (and tell everyone who draws them).
     * @param {Record<string, any>} values  e.g. {x, numbers}
     */
    preview(values) {
      const graph = model.get("graph");
      const steps = normalizeGraph(graph).steps.length;
      const counted = { ...values, n_steps: stepsReached(steps, values.numbers?.errors).taken };
      const keys = new Set([...Object.keys(counted), ...(preview ? Object.keys(preview) : [])]);
      preview = counted;
      previewGraph = graph;
      changed([...keys]);
    },
    /** The kernel has answered (or another change won): show its model again. */
    clear: drop,
    /** @returns {Record<string, any> | null} what is shown over the model now */
    previewing: () => (current() ? preview : null),
    destroy() {
      model.off("change:graph", onGraph);
      preview = null;
      handlers.clear();
    },
  };
}

/** @typedef {ReturnType<typeof createShownModel>} ShownModel */
