// Pure, DOM-free helpers: what the page shows at backward step k, worked out only from the data Python sent.
// The page never computes a gradient itself; it only adds up the gxs Python already reported, in step order.

/**
 * @typedef {number | "inf" | "-inf" | "nan"} WireNumber  A JSON number, or a string for a non-finite one.
 *
 * @typedef {object} GraphNode
 * @property {string} id
 * @property {"variable" | "function"} kind
 * @property {string} label
 * @property {string} [role]   "input" | "intermediate" | "output" (variables)
 * @property {WireNumber} [value]   (variables)
 * @property {string} [block]  (functions)
 * @property {string} [rule]   (functions)
 *
 * @typedef {object} BackwardStep
 * @property {string} function
 * @property {WireNumber[]} gys
 * @property {(WireNumber | null)[] | null} gxs
 * @property {string[]} inputs
 * @property {string[]} outputs
 * @property {string | null} [error]
 *
 * @typedef {object} Graph
 * @property {GraphNode[]} nodes
 * @property {[string, string][]} edges
 * @property {string | null} [output]
 * @property {BackwardStep[]} steps
 *
 * @typedef {object} Contribution  One gx a variable received.
 * @property {number} step      1-based step that sent it (0 for the output's seed grad of 1)
 * @property {string | null} from  id of the Function whose backward sent it (null for the seed)
 * @property {number} value
 *
 * @typedef {object} GradState
 * @property {number | null} grad   null while pending
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

const MINUS = "\u2212";

/**
 * Format a number for people: at most `digits` significant digits, trailing zeros dropped, a real minus sign,
 * and ∞ / −∞ / NaN for the non-finite ones.
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
  if (n === 0) return "0"; // also -0
  // toPrecision keeps trailing zeros ("2.500", "1.000e+5"); drop them from the mantissa only.
  const [mantissa, exponent] = n.toPrecision(digits).split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  const text = exponent ? `${trimmed}e${exponent}` : trimmed;
  return text.replaceAll("-", MINUS);
}

/**
 * A machine-readable form for data attributes: full precision, and the wire's own words for non-finite values.
 * @param {number | null} n
 * @returns {string}
 */
export function wireNumber(n) {
  if (n === null) return "";
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return String(n);
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
      const value = parseNumber(gxs[j]);
      if (!target || value === null || id === graph.output) return;
      target.contributions.push({ step: i + 1, from: step.function, value });
      target.grad = target.grad === null ? value : target.grad + value;
    });
  }
  return grads;
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
 * @returns {string}
 */
export function describeStep(graph, k) {
  const total = graph.steps.length;
  if (k < 1) return "Reset: no grads yet.";
  const step = currentStep(graph, k);
  if (!step) return `Step ${k} of ${total}.`;
  const byId = nodesById(graph);
  const fn = byId.get(step.function);
  const name = fn ? fn.label : step.function;
  const head = `Step ${k} of ${total}: ${name} backward`;
  if (step.error) return `${head} failed: ${step.error}`;
  const gys = (step.gys || []).map((g) => formatNumber(g)).join(", ");
  const gxs = step.inputs.map((id, j) => {
    const target = byId.get(id);
    return `gx = ${formatNumber((step.gxs || [])[j])} for ${target ? target.label : id}`;
  });
  return `${head}: gy = ${gys} times local derivative gave ${gxs.join(" and ")}.`;
}

/**
 * "x = 0.52, y = 1.71" for the live region when x moves.
 * @param {Graph} graph
 * @param {unknown} x
 * @returns {string}
 */
export function describeX(graph, x) {
  const out = graph.output ? nodesById(graph).get(graph.output) : undefined;
  const xText = `x = ${formatNumber(x)}`;
  return out ? `${xText}, ${out.label} = ${formatNumber(out.value)}` : xText;
}

/**
 * A key that changes only when the drawing's shape must change (nodes, their text width, edges), not when values
 * or grads do: the layout is recomputed only when this key changes.
 * @param {Graph} graph
 * @returns {string}
 */
export function structureKey(graph) {
  const failed = new Set(graph.steps.filter((s) => s && s.error).map((s) => s.function));
  return JSON.stringify([
    graph.nodes.map((n) => [n.id, n.kind, n.label, n.rule || "", failed.has(n.id) ? 1 : 0]),
    graph.edges,
  ]);
}
