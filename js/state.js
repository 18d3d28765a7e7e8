// Pure, DOM-free helpers: what the page shows at backward step k, worked out only from the data Python sent.
// The page never computes a gradient itself; it only adds up the gxs Python already reported, in step order.
import { translate, wordsIn } from "./i18n.js";

/**
 * @typedef {number | "inf" | "-inf" | "nan"} WireNumber  A JSON number, or a string for a non-finite one.
 * @typedef {WireNumber | any[] | null} WireValue  A scalar, or an array as nested lists of them (a learner's
 *   own graph may hold arrays); null where there is no value. (JSDoc cannot spell the recursion: any[].)
 * @typedef {number | any[]} Value  A parsed WireValue: a number, or nested arrays of numbers.
 *
 * @typedef {object} GraphNode
 * @property {string} id
 * @property {"variable" | "function"} kind
 * @property {string} label
 * @property {string} [role]   "input" | "intermediate" | "output" | "constant" (variables; constant: made by a
 *   recorded backward, as the 2 of 2·x·gy, with no slider)
 * @property {number[]} [shape]  (variables) the array's shape, [] for a scalar
 * @property {WireValue} [value]   (variables)
 * @property {string} [block]  (functions)
 * @property {string | string[] | null} [rule]   (functions) the local derivative; one per input for several
 * @property {string | null} [error]  (functions) its forward failed here: there is no backward to step through
 * @property {string} [recorded_by]  (functions) at second order: the Function whose backward recorded it
 *
 * @typedef {object} BackwardStep
 * @property {string} function
 * @property {WireValue[]} gys
 * @property {WireValue[] | null} gxs
 * @property {string[]} inputs
 * @property {string[]} outputs
 * @property {string | null} [error]
 *
 * @typedef {object} Graph
 * @property {GraphNode[]} nodes
 * @property {[string, string][]} edges
 * @property {string | null} [output]
 * @property {BackwardStep[]} steps
 * @property {any} [epsCurve]  the eps plot's data at these numbers (mergeNumbers)
 * @property {number} [order]  2: the graph is a recorded backward (show(gx), order=2), stepped to d2y/dx2
 *
 * @typedef {object} Contribution  One gx a variable received.
 * @property {number} step      1-based step that sent it (0 for the output's seed grad of 1)
 * @property {string | null} from  id of the Function whose backward sent it (null for the seed)
 * @property {Value} value
 *
 * @typedef {object} GradState
 * @property {Value | null} grad   null while pending
 * @property {Contribution[]} contributions  in step order
 */

export const EMPTY_GRAPH = /** @type {Graph} */ ({ nodes: [], edges: [], output: null, steps: [] });

/**
 * Accept whatever arrived in the `graph` trait and fill in missing lists, so the drawing code never crashes on
 * a half-built or empty graph.
 * @param {any} graph
 * @returns {Graph}
 */
export function normalizeGraph(graph) {
  if (!graph || typeof graph !== "object") return EMPTY_GRAPH;
  return {
    nodes: Array.isArray(graph.nodes) ? graph.nodes : [],
    edges: Array.isArray(graph.edges) ? graph.edges : [],
    output: typeof graph.output === "string" ? graph.output : null,
    steps: Array.isArray(graph.steps) ? graph.steps : [],
    ...(graph.order === 2 ? { order: 2 } : {}), // a recorded backward's graph; else first order, unsaid
  };
}

/**
 * A column of numbers as Python sends it: raw float64 bytes (a DataView or typed array, for plain scalars) or a
 * JSON list of wire values (when some are arrays or missing).
 * @param {unknown} value
 * @returns {any[]}
 */
export function numberArray(value) {
  if (Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value)) {
    const view = /** @type {ArrayBufferView} */ (value);
    return Array.from(new Float64Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength)));
  }
  return [];
}

/**
 * A row of numbers as one Float64Array: raw float64 bytes (a DataView or typed array, as ipywidgets hands over a
 * binary buffer) or a JSON list of numbers and "nan" / "inf" / "-inf" (Colab, whose widget manager drops binary
 * buffers). Anything else reads as NaN, so a half-sent state draws as unknown rather than crashing.
 * @param {unknown} value
 * @returns {Float64Array}
 */
export function floatArray(value) {
  if (Array.isArray(value)) return Float64Array.from(value, (v) => parseNumber(v) ?? NaN);
  if (value instanceof Float64Array) return value;
  if (ArrayBuffer.isView(value)) {
    const view = /** @type {ArrayBufferView} */ (value);
    const count = Math.floor(view.byteLength / 8);
    if (view.byteOffset % 8 === 0) return new Float64Array(view.buffer, view.byteOffset, count);
    return new Float64Array(view.buffer.slice(view.byteOffset, view.byteOffset + count * 8)); // unaligned: copy
  }
  return new Float64Array(0);
}

/**
 * @typedef {object} LayoutColumn  where one column sits in a row (Python's wire.Layout, declared there once)
 * @property {number} offset
 * @property {number} count
 * @property {number[]} [shape]  every entry this shape: entry i at offset + i * size
 * @property {[number, number[]][]} [entries]  else each entry's [start, shape]
 *
 * @typedef {object} Layout
 * @property {number} width
 * @property {Record<string, LayoutColumn>} columns
 * @property {{gys: number, gxs: number}[]} steps  per step, the entry index of its first gy and first input
 * @property {{leaf: string, eps: number[], book_eps: number} | null} [eps_curve]
 */

/**
 * Entry i of a column of a row, as the layout places and shapes it: a number, nested arrays for a shape, null
 * where the row has no such entry.
 * @param {Float64Array} row
 * @param {LayoutColumn | undefined} column
 * @param {number} i
 * @returns {Value | null}
 */
export function entryAt(row, column, i) {
  if (!column || i < 0 || i >= column.count) return null;
  const placed = column.entries ? column.entries[i] : null;
  const shape = placed ? placed[1] : column.shape || [];
  const size = shape.reduce((a, b) => a * b, 1);
  const start = placed ? placed[0] : column.offset + i * size;
  if (start + size > row.length) return null;
  if (shape.length === 0) return row[start];
  /** @returns {Value} */
  const nest = (/** @type {number} */ at, /** @type {number} */ dim) => {
    if (dim === shape.length) return row[at];
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[dim] }, (_, k) => nest(at + k * stride, dim + 1));
  };
  return nest(start, 0);
}

/**
 * A column's entries by index (entryAt, with scalars read straight from the row: a 100-block graph has hundreds).
 * @param {Float64Array} row
 * @param {LayoutColumn | undefined} column
 * @returns {(i: number) => Value | null}
 */
function columnReader(row, column) {
  if (!column) return () => null;
  const shape = column.shape;
  if (!column.entries && Array.isArray(shape) && shape.length === 0) {
    const { offset, count } = column;
    const end = Math.min(count, row.length - offset);
    return (i) => (i >= 0 && i < end ? row[offset + i] : null);
  }
  return (i) => entryAt(row, column, i);
}

/**
 * The page's whole picture: the graph's shape (the `graph` trait, sent when the graph changes) with one row of
 * numbers (the `numbers` trait for today's inputs, or a table's row for a slider position: {row, errors}) put
 * where the drawing reads them: each variable's value, each step's gys, gxs, derivative card and check, the eps
 * curve; and what failed there (errors: a forward on its node and no backward; a backward ending the steps with
 * its message; a check that could not run). Where each number is, the graph's `layout` says (Python declares
 * it once, in wire.py). Missing numbers read as null, so a half-sent state draws as pending rather than crashing.
 * Python sends what failed in every language: the merged picture says it in `lang`.
 * @param {any} structure
 * @param {any} numbers
 * @param {unknown} [lang]
 * @returns {Graph & {epsCurve: any}}
 */
export function mergeNumbers(structure, numbers, lang = "en") {
  const graph = normalizeGraph(structure);
  const wire = numbers && typeof numbers === "object" ? numbers : {};
  const layout = /** @type {Layout | null} */ (
    structure && typeof structure.layout === "object" && structure.layout ? structure.layout : null
  );
  const row = layout ? floatArray(wire.row) : new Float64Array(0);
  const columns = layout && layout.columns && typeof layout.columns === "object" ? layout.columns : {};
  const starts = layout && Array.isArray(layout.steps) ? layout.steps : [];
  /** @type {Record<string, (i: number) => Value | null>} */
  const readers = {};
  for (const name of Object.keys(columns)) readers[name] = columnReader(row, columns[name]);
  const none = () => null;
  const entry = (/** @type {string} */ name, /** @type {number} */ i) => (readers[name] || none)(i);
  const errors = wire.errors && typeof wire.errors === "object" ? wire.errors : {};
  const forward = errors.forward && typeof errors.forward === "object" ? errors.forward : null;
  const backward = errors.backward && typeof errors.backward === "object" ? errors.backward : null;
  const checkErrors = errors.checks && typeof errors.checks === "object" ? errors.checks : {};

  /** @type {Map<string, any>} */
  const valueOf = new Map();
  let nextValue = 0;
  const nodes = graph.nodes.map((node) => {
    if (node.kind !== "variable") {
      const error = forward && forward.function === node.id ? wordsIn(forward.message, lang) : null;
      return { ...node, error };
    }
    const value = entry("values", nextValue++);
    valueOf.set(node.id, value);
    return { ...node, value };
  });
  const { reached, failedAt } = stepsReached(graph.steps.length, errors);
  const steps = graph.steps.slice(0, reached).map((step, index) => {
    const inputs = step.inputs || [];
    const outputs = step.outputs || [];
    const at = starts[index] || { gys: -1, gxs: -1 };
    const stepGys = outputs.map((_, i) => entry("gys", at.gys + i));
    if (index === failedAt) return { ...step, gys: stepGys, gxs: [], error: wordsIn(backward.message, lang) };
    const slice = (/** @type {string} */ name) => inputs.map((_, i) => entry(name, at.gxs + i));
    const stepGxs = slice("gxs");
    /** @type {any} */
    const merged = { ...step, gys: stepGys, gxs: stepGxs, error: null };
    const card = /** @type {any} */ (step).card;
    if (card) {
      /** @type {Record<string, any>} what the rule's names stand for: as Python's rule_names */
      const names = { ...(card.constants || {}) };
      inputs.forEach((id, i) => (names[`x${i}`] = valueOf.get(id) ?? null));
      names.x = valueOf.get(inputs[0]) ?? null;
      if (outputs.length) names.y = valueOf.get(outputs[0]) ?? null;
      const rules = Array.isArray(card.rules) ? card.rules : null;
      merged.card = {
        rules: card.rules,
        inputs: card.inputs,
        names,
        locals: rules ? slice("locals") : null,
        gy: stepGys[0] ?? null,
        gxs: stepGxs,
        array_rules: Array.isArray(card.array_rules) ? card.array_rules : null, // a block on arrays (tensor.js)
        sum_to: Array.isArray(card.sum_to) ? card.sum_to : null, // an input broadcast in the forward
      };
    }
    const failure = checkErrors[String(index)];
    if (failure !== undefined) merged.check = { error: wordsIn(failure, lang), inputs: [], flagged: false };
    else {
      const [numerical, errs, flagged] = ["numerical", "errors", "flagged"].map(slice);
      const sampled = Array.isArray(/** @type {any} */ (step).checked) ? /** @type {any} */ (step).checked : [];
      const rows = inputs.map((_, i) => ({
        backprop: stepGxs[i],
        numerical: numerical[i],
        error: errs[i],
        flagged: Boolean(flagged[i]),
        // the elements the check worked out (index lists; null: all of them), as Python's w.checks says
        checked: Array.isArray(sampled[i]) ? sampled[i] : null,
      }));
      merged.check = { error: null, inputs: rows, flagged: rows.some((r) => r.flagged) };
    }
    return merged;
  });
  return { ...graph, nodes, steps, epsCurve: epsCurveOf(layout, row, columns, valueOf) };
}

/**
 * How far backward got for a row with these errors: no step after a failed forward, up to and with a failed
 * backward (which cannot be taken: stepCount), else every step.
 * @param {number} steps  the graph's steps (the longest backward run known)
 * @param {any} errors  the row's errors
 * @returns {{reached: number, failedAt: number, taken: number}}
 */
export function stepsReached(steps, errors) {
  const forward = errors && typeof errors.forward === "object" && errors.forward;
  const backward = errors && typeof errors.backward === "object" && errors.backward;
  if (forward) return { reached: 0, failedAt: -1, taken: 0 };
  if (!backward) return { reached: steps, failedAt: -1, taken: steps };
  const failedAt = Math.max(0, Math.min(Number(backward.step) || 0, steps));
  return { reached: Math.min(failedAt + 1, steps), failedAt, taken: failedAt };
}

/**
 * The eps plot's data from a row: |numerical_diff − backprop| for each eps at the plotted leaf's value; {} where
 * the row has none (no slider, a failed backward: all NaN).
 * @param {Layout | null} layout
 * @param {Float64Array} row
 * @param {Record<string, LayoutColumn>} columns
 * @param {Map<string, any>} valueOf
 */
function epsCurveOf(layout, row, columns, valueOf) {
  const curve = layout && layout.eps_curve;
  const column = columns.eps_errors;
  if (!curve || !column || !column.count) return {};
  const errors = Array.from({ length: column.count }, (_, i) => entryAt(row, column, i));
  if (errors.every((e) => typeof e !== "number" || Number.isNaN(e))) return {};
  return { eps: curve.eps, errors, book_eps: curve.book_eps, at: valueOf.get(curve.leaf) ?? null };
}

/**
 * A reader of the model's merged picture, worked out again only when `graph`, `numbers` or `lang` changed: the
 * graph view, the card, the checks and the slider all read it on each update.
 * @param {{get: (name: string) => any}} model
 * @returns {() => Graph}
 */
export function graphReader(model) {
  /** @type {any} */
  let structure;
  /** @type {any} */
  let numbers;
  /** @type {unknown} */
  let lang;
  let merged = EMPTY_GRAPH;
  return () => {
    const nextStructure = model.get("graph");
    const nextNumbers = model.get("numbers");
    const nextLang = model.get("lang");
    if (nextStructure !== structure || nextNumbers !== numbers || nextLang !== lang) {
      structure = nextStructure;
      numbers = nextNumbers;
      lang = nextLang;
      merged = mergeNumbers(structure, numbers, lang);
    }
    return merged;
  };
}

/**
 * @param {unknown} v  a JSON number or "inf" / "-inf" / "nan"
 * @returns {number | null}  null when v is not a number at all (null, undefined, junk)
 */
export function parseNumber(v) {
  if (typeof v === "number") return v;
  if (v === "inf" || v === "+inf" || v === "Infinity") return Infinity;
  if (v === "-inf" || v === "-Infinity") return -Infinity;
  if (v === "nan" || v === "NaN") return NaN;
  return null;
}

/**
 * @param {unknown} v  a wire scalar, or nested lists of them
 * @returns {Value | null}
 */
export function parseValue(v) {
  if (Array.isArray(v)) {
    const items = v.map(parseValue);
    return items.every((item) => item !== null) ? /** @type {Value[]} */ (items) : null;
  }
  return parseNumber(v);
}

/**
 * a + b for scalars and same-shaped arrays (a scalar is broadcast); NaN where the shapes disagree.
 * @param {Value} a
 * @param {Value} b
 * @returns {Value}
 */
export function addValues(a, b) {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "number") return /** @type {Value[]} */ (b).map((item) => addValues(a, item));
  if (typeof b === "number") return a.map((item) => addValues(item, b));
  if (a.length !== b.length) return NaN;
  return a.map((item, i) => addValues(item, b[i]));
}

const MINUS = "\u2212";

/**
 * Format a number for people, the one way the page writes numbers (nodes, card, narration, plots) and the way
 * Python's explain.format_number writes w.card: at most `digits` significant digits as "%g" does (exponent form
 * when the exponent is below -4 or at least `digits`: 1.235e5, 1.2e−8, without "+" or leading zeros), trailing
 * zeros dropped, a real minus sign, and ∞ / −∞ / NaN for the non-finite ones.
 * @param {unknown} v  number or wire string
 * @param {number} [digits]
 * @returns {string}  "" when v is not a number
 */
export function formatNumber(v, digits = 4) {
  const n = parseNumber(v);
  if (n === null) return "";
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "\u221e";
  if (n === -Infinity) return `${MINUS}\u221e`;
  if (n === 0) return Object.is(n, -0) ? `${MINUS}0` : "0";
  const [mantissa, e] = n.toExponential(digits - 1).split("e");
  const exponent = Number(e); // after rounding to `digits`: 99999.9 is 1e5
  const strip = (/** @type {string} */ t) => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
  const text =
    exponent < -4 || exponent >= digits
      ? `${strip(mantissa)}e${exponent}`
      : strip(n.toFixed(digits - 1 - exponent));
  return text.replaceAll("-", MINUS);
}

/**
 * Format a scalar as formatNumber does, and an array as "[1, 2, 3, …]" (at most `items` entries per level).
 * @param {unknown} v  a wire or parsed value
 * @param {number} [digits]
 * @param {number} [items]
 * @returns {string}  "" when v is not a value
 */
export function formatValue(v, digits = 4, items = 3) {
  if (!Array.isArray(v)) return formatNumber(v, digits);
  const shown = v.slice(0, items).map((item) => formatValue(item, digits, items));
  if (v.length > items) shown.push("\u2026");
  return `[${shown.join(", ")}]`;
}

/**
 * A machine-readable form for data attributes: full precision, and the wire's own words for non-finite values;
 * arrays as JSON lists of those.
 * @param {Value | null} n
 * @returns {string}
 */
export function wireNumber(n) {
  if (n === null) return "";
  if (Array.isArray(n)) return JSON.stringify(n.map((item) => wireValue(item)));
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return String(n);
}

/** @param {Value} v @returns {any} */
function wireValue(v) {
  if (Array.isArray(v)) return v.map(wireValue);
  return Number.isFinite(v) ? v : wireNumber(v);
}

/**
 * @param {unknown} step
 * @param {unknown} nSteps
 * @returns {number} step as an integer in 0..nSteps
 */
export function clampStep(step, nSteps) {
  const n = Math.max(0, Math.floor(Number(nSteps) || 0));
  const s = Math.floor(Number(step) || 0);
  return Math.min(n, Math.max(0, s));
}

/**
 * The grad of every variable after `k` backward steps.
 * k == 0: all pending. k >= 1: the output's grad is 1; every other variable's grad is the running sum, in step
 * order, of the gxs it received in steps 1..k (pending if none yet). A variable used twice (a diamond) receives
 * several contributions; all are kept.
 * @param {Graph} graph
 * @param {number} k
 * @returns {Map<string, GradState>}  one entry per variable node
 */
export function gradsAtStep(graph, k) {
  /** @type {Map<string, GradState>} */
  const grads = new Map();
  for (const node of graph.nodes) {
    if (node.kind === "variable") grads.set(node.id, { grad: null, contributions: [] });
  }
  if (k < 1) return grads;
  const out = graph.output ? grads.get(graph.output) : undefined;
  if (out) {
    out.grad = 1;
    out.contributions.push({ step: 0, from: null, value: 1 });
  }
  const last = Math.min(k, graph.steps.length);
  for (let i = 0; i < last; i++) {
    const step = graph.steps[i];
    const inputs = step.inputs || [];
    const gxs = step.gxs || [];
    inputs.forEach((id, j) => {
      const target = grads.get(id);
      const value = parseValue(gxs[j]);
      if (!target || value === null || id === graph.output) return;
      target.contributions.push({ step: i + 1, from: step.function, value });
      target.grad = target.grad === null ? value : addValues(target.grad, value);
    });
  }
  return grads;
}

/**
 * How many steps can be taken: a failed backward ends the record with a step that shows its error on its
 * node but cannot be taken (Python's n_steps says the same).
 * @param {Graph} graph
 * @returns {number}
 */
export function stepCount(graph) {
  const steps = graph.steps;
  return steps.length && steps[steps.length - 1].error ? steps.length - 1 : steps.length;
}

/**
 * @param {Graph} graph
 * @param {number} k
 * @returns {BackwardStep | null} the step processed by step k (steps[k-1]), or null at 0
 */
export function currentStep(graph, k) {
  return k >= 1 && k <= graph.steps.length ? graph.steps[k - 1] : null;
}

/**
 * @param {Graph} graph
 * @returns {Map<string, GraphNode>}
 */
export function nodesById(graph) {
  return new Map(graph.nodes.map((n) => [n.id, n]));
}

/**
 * What step k did, in words, for the screen reader's live region.
 * @param {Graph} graph
 * @param {number} k
 * @param {unknown} [lang]  "en" or "ko"
 * @returns {string}
 */
export function describeStep(graph, k, lang = "en") {
  const total = stepCount(graph);
  if (k < 1) return translate(lang, "sayReset");
  const step = currentStep(graph, k);
  if (!step) return translate(lang, "sayStep", { k, n: total });
  const byId = nodesById(graph);
  const fn = byId.get(step.function);
  const name = fn ? fn.label : step.function;
  const head = translate(lang, "sayStepHead", { k, n: total, name });
  if (step.error) return translate(lang, "sayFailed", { head, error: step.error });
  const gys = (step.gys || []).map((g) => formatValue(g)).join(", ");
  const gxs = step.inputs.map((id, j) => {
    const target = byId.get(id);
    return translate(lang, "sayGx", { v: formatValue((step.gxs || [])[j]), name: target ? target.label : id });
  });
  return translate(lang, "sayDone", { head, gys, gxs: gxs.join(translate(lang, "sayAnd")) });
}

/**
 * "x = 0.52, y = 1.71" for the live region when x moves.
 * @param {Graph} graph
 * @param {unknown} x
 * @returns {string}
 */
export function describeX(graph, x) {
  return describeInputs(graph, [["x", x]]);
}

/**
 * "x0 = 1, x1 = 2, y = 3": the inputs as the sliders set them, then the output from the graph.
 * @param {Graph} graph
 * @param {[string, unknown][]} inputs
 * @returns {string}
 */
export function describeInputs(graph, inputs) {
  const out = graph.output ? nodesById(graph).get(graph.output) : undefined;
  const parts = inputs.map(([name, value]) => `${name} = ${formatNumber(value)}`);
  if (out) parts.push(`${out.label} = ${formatValue(out.value)}`);
  return parts.join(", ");
}

/**
 * Whether two graphs draw the same shape as far as their structures decide it: the nodes' ids, kinds, labels and
 * rules (their text widths), and the edges; not values or grads. Graphs merged from one structure share its
 * edges array (normalizeGraph passes it through), which settles it at once: a step or a new x keeps the layout
 * without a look at every node. Python sends a new structure whenever its shape may change.
 * @param {Graph} a
 * @param {Graph} b
 * @returns {boolean}
 */
export function sameStructure(a, b) {
  return a.edges === b.edges || shapeOfStructure(a) === shapeOfStructure(b);
}

/** @param {Graph} graph */
function shapeOfStructure(graph) {
  return JSON.stringify([graph.nodes.map((n) => [n.id, n.kind, n.label, n.rule || ""]), graph.edges]);
}

/**
 * The drawing's shape as far as the numbers decide it: which Functions failed (a failed one needs room for its
 * message), which can change with x.
 * @param {Graph} graph
 * @returns {string}
 */
export function failureKey(graph) {
  return JSON.stringify([...failures(graph).keys()]);
}

/**
 * Every Function that failed, with its message: its forward (the node's own `error`) or its backward (a step's
 * `error`). Shown whatever the step: Python never lets `step` reach a failed backward, so the learner could not
 * step onto it to see why backprop stops there.
 * @param {Graph} graph
 * @returns {Map<string, string>}
 */
export function failures(graph) {
  /** @type {Map<string, string>} */
  const failed = new Map();
  for (const n of graph.nodes) if (n.kind === "function" && n.error) failed.set(n.id, String(n.error));
  for (const s of graph.steps)
    if (s && s.error && !failed.has(s.function)) failed.set(s.function, String(s.error));
  return failed;
}
