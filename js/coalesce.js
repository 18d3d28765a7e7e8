// Drags never queue: while one value of an input trait (x, or a show(y) graph's `values`) is on its way to the
// kernel, newer values only replace each other; the latest is sent as soon as the kernel answers. DOM-free: the
// clock and the model are passed in, so tests drive it with a fake of each.
//
// An answer is new `numbers` (Python republishes them for every accepted input) whose leaf values are the ones in
// flight, or a rejection: `error` set, or the trait sent back with another value. (The page may already show the
// value's numbers from a table, table.js; the kernel's own follow, so that at rest both agree.) Python handles messages in
// order, so graphs arrive in the order their values were sent and the page never shows an older value's graph
// after a newer one's. A graph for a value sent before the one in flight (possible only after the safety
// timeout) is not that value's answer and is ignored here.
import { graphReader } from "./state.js";

/** A lost answer (a busy or restarted kernel) must not freeze the slider: after this, send the latest anyway. */
export const ANSWER_TIMEOUT_MS = 2000;

/** How many earlier values are remembered to recognise a late answer to one of them. */
const HISTORY = 8;

/**
 * @typedef {object} Timers
 * @property {(fn: () => void, ms: number) => any} setTimeout
 * @property {(handle: any) => void} clearTimeout
 */

/** @type {Timers} */
const REAL_TIMERS = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};

/**
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean} numbers, or arrays of them, equal item by item (NaN equals NaN)
 */
export function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return Object.is(a, b) || a === b;
}

/**
 * @template T
 * @param {object} options
 * @param {(value: T) => void} options.send  write the value to the model and save_changes
 * @param {number} [options.timeoutMs]
 * @param {Timers} [options.timers]
 */
export function createCoalescer({ send, timeoutMs = ANSWER_TIMEOUT_MS, timers = REAL_TIMERS }) {
  /** @type {{value: T} | null} */
  let inFlight = null;
  /** @type {{value: T} | null} */
  let pending = null;
  /** @type {T[]} the values sent lately, newest (the one in flight) last */
  let history = [];
  /** @type {any} */
  let timer = null;

  function stopTimer() {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  /** @param {T} value */
  function dispatch(value) {
    history = [...history, value].slice(-HISTORY);
    inFlight = { value };
    stopTimer();
    timer = timers.setTimeout(() => {
      timer = null;
      settle();
    }, timeoutMs);
    send(value); // after inFlight is set: the model's own change event must see it as ours
  }

  /** The value in flight is answered (or given up on): send the newest waiting value, if any. */
  function settle() {
    stopTimer();
    inFlight = null;
    if (pending) {
      const { value } = pending;
      pending = null;
      dispatch(value);
    }
  }

  return {
    /**
     * The page wants `value` sent: now if nothing is in flight, else after the answer (replacing any value
     * already waiting).
     * @param {T} value
     */
    request(value) {
      if (!inFlight) dispatch(value);
      else if (sameValue(value, inFlight.value))
        pending = null; // back where the kernel is going anyway
      else pending = { value };
    },
    /** @returns {{value: T} | null} the newest value asked for and not yet answered: waiting, else in flight */
    latest: () => pending ?? inFlight,
    /** @returns {{value: T} | null} */
    inFlight: () => inFlight,
    busy: () => inFlight !== null,
    /**
     * A new graph arrived carrying `value` for the input (undefined when it cannot be read off the graph).
     * @param {T | undefined} value
     */
    graphArrived(value) {
      if (!inFlight) return;
      const late =
        value !== undefined && !sameValue(value, inFlight.value) && history.some((v) => sameValue(v, value));
      if (!late) settle();
    },
    /** Python refused the value in flight (or someone else set the trait): stop waiting for it. */
    rejected() {
      if (inFlight) settle();
    },
    destroy() {
      stopTimer();
      inFlight = null;
      pending = null;
    },
  };
}

/** @typedef {import("./actions.js").Model} Model */

/**
 * Wire a coalescer to one input trait of the model.
 * @param {Model} model
 * @param {string} name  "x" or "values"
 * @param {(graph: import("./state.js").Graph) => unknown} readGraph  the trait's value as the graph shows it;
 *   undefined if unknown
 * @param {{graph?: () => import("./state.js").Graph, timeoutMs?: number, timers?: Timers,
 *   onAnswer?: () => void}} [options]
 *   graph: a reader of the kernel's picture (one is made if not given); onAnswer: called after each answer or
 *   rejection has been handled (the next value may be on its way by then)
 */
export function coalesceTrait(model, name, readGraph, options = {}) {
  const graph = options.graph ?? graphReader(model);
  const coalescer = createCoalescer({
    timeoutMs: options.timeoutMs,
    timers: options.timers,
    send(value) {
      model.set(name, value);
      model.save_changes();
    },
  });
  const answered = () => options.onAnswer?.();
  const onGraph = () => {
    coalescer.graphArrived(/** @type {any} */ (readGraph(graph())));
    answered();
  };
  const onError = () => {
    if (model.get("error")) coalescer.rejected();
    answered();
  };
  const onTrait = () => {
    const sent = coalescer.inFlight();
    if (sent && !sameValue(model.get(name), sent.value)) coalescer.rejected(); // sent back: refused
    answered();
  };
  model.on("change:numbers", onGraph);
  model.on("change:error", onError);
  model.on(`change:${name}`, onTrait);
  return {
    /** @param {any} value */
    request(value) {
      if (!coalescer.busy() && sameValue(model.get(name), value)) return; // nothing new to say
      coalescer.request(value);
    },
    /** @returns {any} the newest value asked for, else the model's */
    current() {
      const latest = coalescer.latest();
      return latest ? latest.value : model.get(name);
    },
    busy: coalescer.busy,
    destroy() {
      coalescer.destroy();
      model.off("change:numbers", onGraph);
      model.off("change:error", onError);
      model.off(`change:${name}`, onTrait);
    },
  };
}

/**
 * The x a GradWidget's graph was computed for: its input node's value.
 * @param {any} graph
 * @returns {number | undefined}
 */
export function graphX(graph) {
  const nodes = graph && Array.isArray(graph.nodes) ? graph.nodes : [];
  const input = nodes.find((/** @type {any} */ n) => n.kind === "variable" && n.role === "input");
  return input && typeof input.value === "number" ? input.value : undefined;
}

/**
 * The slider values a show(y) graph was computed for: each name's input node, in order (a name used twice takes
 * the next node with that label).
 * @param {any} graph
 * @param {string[]} names
 * @returns {number[] | undefined}
 */
export function graphValues(graph, names) {
  const nodes = graph && Array.isArray(graph.nodes) ? graph.nodes : [];
  const inputs = nodes.filter((/** @type {any} */ n) => n.kind === "variable" && n.role === "input");
  const used = new Set();
  const values = [];
  for (const name of names) {
    const node = inputs.find((/** @type {any} */ n) => n.label === name && !used.has(n));
    if (!node || typeof node.value !== "number") return undefined;
    used.add(node);
    values.push(node.value);
  }
  return values;
}
