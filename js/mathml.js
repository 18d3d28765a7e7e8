// A block's rule tree (from Python's explain.parse_rule) as MathML and as plain text.
// The pure part describes MathML as plain objects ({tag, text} or {tag, children}), so node can test it; only
// buildMath touches the DOM, with createElementNS and textContent (never innerHTML: names come from the learner).
// The plain text follows Python's explain.to_text character for character, so the page's card and `w.card` agree.
import { formatNumber } from "./state.js";

const MATHML_NS = "http://www.w3.org/1998/Math/MathML";
const MINUS = "\u2212";

/**
 * @typedef {{num: number | string} | {name: string} | {op: string, args: RuleTree[]} | {call: string, args: RuleTree[]}} RuleTree
 * @typedef {object} MathNode
 * @property {string} tag   mi, mn, mo, mrow, msup, msub, mfrac
 * @property {string} [text]   for token elements
 * @property {MathNode[]} [children]
 * @property {Record<string, string>} [attrs]
 */

/**
 * A number on the card: as everywhere on the page (state.js formatNumber, which writes them as Python's
 * explain.format_number does), "?" for a missing one; arrays as "[a, b, c, d, …]" over the flattened values.
 * @param {unknown} value  a number, a wire string ("inf", "nan"), or nested lists of them
 * @param {number} [digits]
 * @returns {string}
 */
export function formatCardNumber(value, digits = 4) {
  if (Array.isArray(value)) {
    const flat = value.flat(Infinity);
    const shown = flat.slice(0, 4).map((v) => formatCardNumber(v, digits));
    return `[${shown.join(", ")}${flat.length > 4 ? ", \u2026]" : "]"}`;
  }
  return formatNumber(value, digits) || "?";
}

// --- plain text, as Python's to_text ------------------------------------------------------------------------

const PRECEDENCE = /** @type {Record<string, number>} */ ({ "+": 1, "-": 1, "*": 2, "/": 2, neg: 3, "**": 4 });
const SYMBOLS = /** @type {Record<string, string>} */ ({
  "+": " + ",
  "-": ` ${MINUS} `,
  "*": "\u00b7",
  "/": " / ",
  "**": "^",
});

/** Precedence of a product: the card writes "rule·gy", so a sum in the rule needs brackets. */
export const TIMES = PRECEDENCE["*"];

/**
 * A rule as a learner reads it (2·x, exp(x), 1 − y^2); with `values`, today's numbers in place of the names.
 * @param {RuleTree} tree
 * @param {Record<string, unknown> | null} [values]  name -> number (the card's `names`)
 * @param {number} [parent]  precedence of the surrounding operator
 * @returns {string}
 */
export function ruleText(tree, values = null, parent = 0) {
  if ("num" in tree) return formatCardNumber(tree.num);
  if ("name" in tree) return values ? formatCardNumber(values[tree.name]) : tree.name;
  if ("call" in tree) return `${tree.call}(${ruleText(tree.args[0], values)})`;
  const op = tree.op;
  const precedence = PRECEDENCE[op] ?? 0;
  let text;
  if (op === "neg") text = MINUS + ruleText(tree.args[0], values, precedence);
  else {
    const symbol = values && op === "*" ? " \u00d7 " : (SYMBOLS[op] ?? ` ${op} `);
    const left = ruleText(tree.args[0], values, precedence + (op === "**" ? 1 : 0));
    const right = ruleText(tree.args[1], values, precedence + (op === "**" ? 0 : 1));
    text = `${left}${symbol}${right}`;
  }
  return precedence < parent ? `(${text})` : text;
}

// --- MathML as data -----------------------------------------------------------------------------------------

/** @param {string} text */
export const mi = (text) => ({ tag: "mi", text });
/** @param {string} text */
export const mn = (text) => ({ tag: "mn", text });
/** @param {string} text */
export const mo = (text) => ({ tag: "mo", text });
/** @param {MathNode[]} children @param {Record<string, string>} [attrs] */
export const mrow = (children, attrs) => (attrs ? { tag: "mrow", children, attrs } : { tag: "mrow", children });

/** @param {MathNode} node */
const fenced = (node) => mrow([mo("("), node, mo(")")]);

/**
 * A name as math: x0 and x1 as x with a subscript, gx0 as gx with one; other names as they are.
 * @param {string} name
 * @returns {MathNode}
 */
export function nameMath(name) {
  const m = /^([A-Za-z]+)(\d+)$/.exec(name);
  return m ? { tag: "msub", children: [mi(m[1]), mn(m[2])] } : mi(name);
}

/** How tightly a drawn node binds: numbers, names, calls and fractions are atoms; a power binds tighter than ·. */
const MATH_PRECEDENCE = /** @type {Record<string, number>} */ ({ ...PRECEDENCE, "/": 5 });
const ATOM = 9;
/** Contexts: the base of a power brackets anything but an atom; the operand of − brackets a product or sum. */
const BASE = 6;

/**
 * A rule tree as MathML data: products with ·, (or × when numbers are filled in), quotients as fractions,
 * powers as superscripts, calls as exp(x). Negative numbers are bracketed where they would read wrongly.
 * @param {RuleTree} tree
 * @param {Record<string, unknown> | null} [values]  name -> number: show today's numbers instead of names
 * @param {number} [parent]
 * @returns {MathNode}
 */
export function ruleMath(tree, values = null, parent = 0) {
  if ("num" in tree || ("name" in tree && values)) {
    const text = "num" in tree ? formatCardNumber(tree.num) : formatCardNumber(values?.[tree.name]);
    const negative = text.startsWith(MINUS) && text.length > 1;
    const node = negative ? mrow([mo(MINUS), mn(text.slice(1))]) : mn(text);
    return negative && parent > 1 ? fenced(node) : node;
  }
  if ("name" in tree) return nameMath(tree.name);
  if ("call" in tree) return mrow([mi(tree.call), mo("\u2061"), fenced(ruleMath(tree.args[0], values))]);
  const op = tree.op;
  const precedence = MATH_PRECEDENCE[op] ?? 0;
  /** @type {MathNode} */
  let node;
  if (op === "neg") node = mrow([mo(MINUS), ruleMath(tree.args[0], values, PRECEDENCE.neg)]);
  else if (op === "/") node = { tag: "mfrac", children: tree.args.map((a) => ruleMath(a, values)) };
  else if (op === "**")
    node = { tag: "msup", children: [ruleMath(tree.args[0], values, BASE), ruleMath(tree.args[1], values)] };
  else {
    const symbol = op === "*" ? (values ? "\u00d7" : "\u00b7") : op === "-" ? MINUS : op;
    node = mrow([
      ruleMath(tree.args[0], values, precedence),
      mo(symbol),
      ruleMath(tree.args[1], values, precedence + 1),
    ]);
  }
  return precedence < parent ? fenced(node) : node;
}

/**
 * The markup a MathNode stands for, as a string: for tests and debugging only (the page builds elements).
 * @param {MathNode} node
 * @returns {string}
 */
export function mathMarkup(node) {
  const inner = node.children ? node.children.map(mathMarkup).join("") : (node.text ?? "");
  return `<${node.tag}>${inner}</${node.tag}>`;
}

/**
 * Build real MathML elements from the description.
 * @param {MathNode} node
 * @returns {Element}
 */
export function buildMath(node) {
  const el = document.createElementNS(MATHML_NS, node.tag);
  for (const [name, value] of Object.entries(node.attrs || {})) el.setAttribute(name, value);
  if (node.children) for (const child of node.children) el.append(buildMath(child));
  else el.textContent = node.text ?? "";
  return el;
}

/**
 * A whole <math> element around one row.
 * @param {MathNode[]} children
 * @param {Record<string, string>} [attrs]
 * @returns {Element}
 */
export function mathElement(children, attrs = {}) {
  return buildMath({ tag: "math", children: [mrow(children)], attrs });
}
