// Pure, DOM-free: the grads a Variable used more than once receives, one row per use. In a diamond, x feeds two
// branches, and backward sends x one gx from each; its grad is their running sum. The rows come from the graph's
// shape (one per edge out of the variable), so the layout can make room for them before any step is taken; the
// numbers come from the steps Python already sent.
import { translate } from "./i18n.js";
import { formatValue, nodesById, parseValue } from "./state.js";

/** @typedef {import("./state.js").Graph} Graph */

export const CONTRIBUTION = Object.freeze({
  rowHeight: 20, // one row of the list under a variable's grad box
  charWidth: 7.6, // a generous average advance of the 14px row font
  maxLabelChars: 12, // longer Function names are shortened in the rows
  valueChars: 7, // room for "+0.9581" or "−0.0139"; a longer number is squeezed to fit
  top: 96, // where the list starts: under the grad box (the plain variable's height)
});

/**
 * How many uses each variable has: one per edge into a Function (x * x counts twice). Only variables used more than
 * once are listed.
 * @param {Graph} graph
 * @returns {Map<string, string[]>}  variable id -> the ids of the Functions it feeds, in edge order
 */
export function multiUses(graph) {
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  /** @type {Map<string, string[]>} */
  const uses = new Map();
  for (const [from, to] of graph.edges) {
    if (kinds.get(from) !== "variable" || kinds.get(to) !== "function") continue;
    const list = uses.get(from);
    if (list) list.push(to);
    else uses.set(from, [to]);
  }
  for (const [id, list] of uses) if (list.length < 2 || id === graph.output) uses.delete(id);
  return uses;
}

/**
 * The width a variable's row list needs, in user units.
 * @param {string[]} functionLabels  the Functions it feeds
 * @returns {number}
 */
export function rowsWidth(functionLabels) {
  const longest = Math.max(
    0,
    ...functionLabels.map((l) => Math.min(CONTRIBUTION.maxLabelChars, Array.from(l).length)),
  );
  // "+0.9581 ← Square · step 123": the value, " ← ", the name, " · step " and up to three digits
  return (CONTRIBUTION.valueChars + 3 + longest + 8 + 3) * CONTRIBUTION.charWidth + 16;
}

/**
 * @typedef {object} ContributionRow
 * @property {string} from  the Function that sends it
 * @property {string} fromLabel
 * @property {number | null} step  1-based step that sends it; null when backward stops before it
 * @property {boolean} arrived  sent at or before the current step
 * @property {import("./state.js").Value | null} value  the gx (known before it arrives; shown only after)
 */

/**
 * Every row of every multi-use variable at step k, in the order the steps send them.
 * @param {Graph} graph
 * @param {number} k
 * @param {Map<string, string[]>} [uses]  multiUses(graph), when the caller has it
 * @returns {Map<string, ContributionRow[]>}
 */
export function contributionRows(graph, k, uses = multiUses(graph)) {
  const byId = nodesById(graph);
  const label = (/** @type {string} */ id) => String(byId.get(id)?.label ?? id);
  /** @type {Map<string, ContributionRow[]>} */
  const rows = new Map([...uses.keys()].map((id) => [id, []]));
  graph.steps.forEach((step, i) => {
    (step.inputs || []).forEach((id, j) => {
      const list = rows.get(id);
      if (!list) return;
      const value = step.error ? null : parseValue((step.gxs || [])[j]);
      const from = step.function;
      list.push({ from, fromLabel: label(from), step: i + 1, arrived: i + 1 <= k && value !== null, value });
    });
  });
  // Uses no step reaches (backward failed before them) still get their row, pending for good.
  for (const [id, feeds] of uses) {
    const list = /** @type {ContributionRow[]} */ (rows.get(id));
    const left = [...feeds];
    for (const row of list) {
      const i = left.indexOf(row.from);
      if (i >= 0) left.splice(i, 1);
    }
    for (const from of left) list.push({ from, fromLabel: label(from), step: null, arrived: false, value: null });
  }
  return rows;
}

/**
 * One row as the node shows it: "+2 ← Square · step 3" once it arrived, "… ← Square · step 3" before.
 * @param {ContributionRow} row
 * @param {unknown} [lang]  "en" or "ko"
 * @returns {string}
 */
export function rowText(row, lang = "en") {
  const name = Array.from(row.fromLabel);
  const fn =
    name.length > CONTRIBUTION.maxLabelChars
      ? `${name.slice(0, CONTRIBUTION.maxLabelChars - 1).join("")}\u2026`
      : row.fromLabel;
  const value = row.arrived && row.value !== null ? formatValue(row.value) : "";
  const what = value === "" ? "\u2026" : value.startsWith("\u2212") ? value : `+${value}`;
  return `${what} \u2190 ${fn}${row.step === null ? "" : translate(lang, "rowStep", { k: row.step })}`;
}

/**
 * "2 + 1.5 = 3.5": the sum so far, spelled out, for the node's accessible name.
 * @param {ContributionRow[]} rows
 * @param {unknown} [lang]  "en" or "ko"
 * @returns {string}
 */
export function sumText(rows, lang = "en") {
  const arrived = rows.filter((r) => r.arrived && r.value !== null);
  if (arrived.length === 0) return "";
  return arrived
    .map((r) => translate(lang, "received", { v: formatValue(r.value), name: r.fromLabel, k: String(r.step) }))
    .join(", ");
}
