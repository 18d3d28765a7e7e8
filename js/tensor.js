// Pure, DOM-free: how arrays (steps 37-43) read on the page. A node writes a small array out (up to 4×4) and a
// large one as its shape and first values, with the whole array one keypress away (tensor-view.js); the card writes
// an array rule (gx0 = gy·Wᵀ) with today's arrays. Every number is Python's: this only formats and places them.
import { ARRAY_SHOWN, formatCardNumber, mi, mn, mo, mrow, nameMath, shapeOf } from "./mathml.js";
import { formatNumber } from "./state.js";

/** @typedef {import("./mathml.js").MathNode} MathNode */

/** The largest array a node writes out in full: rows × columns. */
export const SMALL = Object.freeze({ rows: 4, columns: 4 });
/** How many first values a large array's node shows. */
export const FIRST_VALUES = 3;
/** Digits of a number inside a node's matrix: four columns must fit the node. */
export const MATRIX_DIGITS = 3;
/** The most cells the expanded view writes out; past that it says how many it left out. */
export const EXPANDED_MAX = 2000;

/**
 * @param {unknown} shape  a node's shape, as Python sends it ([] for a scalar)
 * @returns {number[]}
 */
export function shapeList(shape) {
  return Array.isArray(shape) ? shape.map((n) => Math.max(0, Math.floor(Number(n) || 0))) : [];
}

/**
 * "scalar" (no shape), "small" (a vector or matrix of at most 4×4: written out) or "large" (summarised).
 * @param {unknown} shape
 * @returns {"scalar" | "small" | "large"}
 */
export function tensorKind(shape) {
  const s = shapeList(shape);
  if (s.length === 0) return "scalar";
  if (s.length === 1) return s[0] <= SMALL.columns ? "small" : "large";
  if (s.length === 2) return s[0] <= SMALL.rows && s[1] <= SMALL.columns ? "small" : "large";
  return "large";
}

/**
 * A shape as people write it: 100×1, 3 (a vector), "" for a scalar.
 * @param {unknown} shape
 */
export function shapeText(shape) {
  return shapeList(shape).join("\u00d7");
}

/**
 * A shape as Python prints it, as the card's text (Python's w.card) writes shapes: (2, 3), (2,), ().
 * @param {number[]} shape
 */
export function pythonShape(shape) {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * The cells of a small array as its node writes them, row by row: a matrix as it is, a vector as one row.
 * @param {unknown} value  nested arrays of numbers (null: none yet)
 * @param {unknown} shape
 * @returns {string[][]}  "—" for a missing value
 */
export function matrixCells(value, shape) {
  const s = shapeList(shape);
  const rows = s.length === 1 ? [value] : Array.isArray(value) ? value : [];
  const count = s.length === 1 ? 1 : s[0];
  const width = s.length === 1 ? s[0] : s[1];
  return Array.from({ length: count }, (_, r) => {
    const row = rows[r];
    const cells = Array.isArray(row) ? row : [];
    return Array.from({ length: width }, (_, c) => formatNumber(cells[c], MATRIX_DIGITS) || "\u2014");
  });
}

/**
 * Where each column of a small array's matrix is centred, from the node's centre.
 * @param {unknown} shape
 * @returns {number[]}
 */
export function columnOffsets(shape) {
  const s = shapeList(shape);
  const width = s.length === 1 ? s[0] : (s[1] ?? 0);
  return Array.from({ length: width }, (_, c) => (c - (width - 1) / 2) * TENSOR.cellWidth);
}

/**
 * A large array's first values, in its flat (C) order: "0.549, 0.715, 0.603, …".
 * @param {unknown} value
 * @param {number} [count]
 */
export function firstValues(value, count = FIRST_VALUES) {
  if (!Array.isArray(value)) return formatNumber(value) || "\u2014";
  const flat = value.flat(Infinity);
  const shown = flat.slice(0, count).map((v) => formatNumber(v));
  return `${shown.join(", ")}${flat.length > count ? ", \u2026" : ""}`;
}

/**
 * Every element of an array as rows of cells for the expanded view: a matrix as it is, a vector as one column,
 * more axes with the leading ones flattened into rows; at most EXPANDED_MAX cells.
 * @param {unknown} value
 * @param {unknown} shape
 * @returns {{rows: {index: string, cells: string[]}[], columns: number, shown: number, total: number}}
 */
export function expandedRows(value, shape) {
  const s = shapeList(shape);
  const total = s.reduce((a, b) => a * b, 1);
  const columns = s.length >= 2 ? s[s.length - 1] : 1;
  const flat = Array.isArray(value) ? value.flat(Infinity) : [value];
  const lead = s.slice(0, -1);
  const rowCount = Math.min(
    Math.ceil(Math.min(flat.length, total) / Math.max(columns, 1)),
    Math.max(1, Math.floor(EXPANDED_MAX / columns)),
  );
  const rows = Array.from({ length: rowCount }, (_, r) => {
    // the row's index in the leading axes, as Python would index it: x[3], x[1, 2]
    let rest = r;
    const index = s.length <= 1 ? [r] : lead.map(() => 0);
    if (s.length > 1)
      for (let axis = lead.length - 1; axis >= 0; axis--) {
        index[axis] = rest % lead[axis];
        rest = Math.floor(rest / lead[axis]);
      }
    const cells = Array.from({ length: columns }, (_, c) => formatNumber(flat[r * columns + c], 6) || "\u2014");
    return { index: index.join(", "), cells };
  });
  // a huge array's row carries only its first elements (wire.py PREVIEW): rowCount stops at those
  return { rows, columns, shown: Math.min(total, rowCount * columns, flat.length), total };
}

// --- array rules on the card --------------------------------------------------------------------------------

const TOKENS = /gy|\{x(\d)\}|\{shape\}|\{n\}/g;

/**
 * An array rule (functions.py's array_rule: "gy·{x1}ᵀ") with each name in place, as Python's
 * explain.fill_array_rule writes it: the inputs' labels, or with `values` today's arrays.
 * @param {string} template
 * @param {number} i  the input whose grad it gives ({shape} is its shape)
 * @param {string[]} labels
 * @param {number[][]} shapes  each input's shape
 * @param {unknown[] | null} values  each input's value; null for the symbolic form
 * @param {unknown} gy
 */
export function fillArrayRule(template, i, labels, shapes, values = null, gy = null) {
  return String(template).replace(TOKENS, (token, k) => {
    if (token === "gy") return values ? formatCardNumber(gy) : "gy";
    if (k !== undefined) return values ? formatCardNumber(values[Number(k)]) : String(labels[Number(k)]);
    if (token === "{shape}") return values ? pythonShape(shapes[i] ?? []) : `${labels[i]}.shape`;
    return values ? String((shapes[0] ?? [])[0] ?? "") : `len(${labels[0]})`;
  });
}

/**
 * The inputs an array rule names ({x0}, {x1}), in order.
 * @param {string} template
 * @returns {number[]}
 */
export function namedInputs(template) {
  const found = new Set();
  for (const m of String(template).matchAll(/\{x(\d)\}/g)) found.add(Number(m[1]));
  return [...found].sort((a, b) => a - b);
}

/**
 * An array (or number) as MathML: a small one as a bracketed matrix (a vector as one row), a large one as its
 * shape ‹100×1›, a scalar as a number.
 * @param {unknown} value
 * @returns {MathNode}
 */
export function arrayMath(value) {
  if (!Array.isArray(value)) return mn(formatCardNumber(value));
  if (value.flat(Infinity).length > ARRAY_SHOWN) return mn(formatCardNumber(value));
  const shape = shapeOf(value);
  const rows = shape.length === 1 ? [value] : value;
  /** @type {MathNode} */
  const table = {
    tag: "mtable",
    attrs: { class: "gw-matrix" },
    children: rows.map((row) => ({
      tag: "mtr",
      children: (Array.isArray(row) ? row : [row]).map((cell) => ({
        tag: "mtd",
        children: [mn(formatCardNumber(cell))],
      })),
    })),
  };
  return mrow([mo("["), table, mo("]")]);
}

/**
 * An array rule as MathML: names as math (x₀, gy), arrays as matrices, ᵀ as a superscript.
 * @param {string} template
 * @param {number} i
 * @param {string[]} labels
 * @param {number[][]} shapes
 * @param {unknown[] | null} values
 * @param {unknown} gy
 * @returns {MathNode}
 */
export function arrayRuleMath(template, i, labels, shapes, values = null, gy = null) {
  /** @type {MathNode[]} */
  const parts = [];
  let last = 0;
  const text = String(template);
  /** @param {string} piece */
  const literal = (piece) => {
    for (const m of piece.matchAll(/[A-Za-z_]+|\u1d40|[^A-Za-z_\u1d40\s]+/g)) {
      const t = m[0];
      if (t === "\u1d40") {
        const base = parts.pop() ?? mi("");
        parts.push({ tag: "msup", children: [base, mi("T")] });
      } else parts.push(/^[A-Za-z_]+$/.test(t) ? mi(t) : mo(t));
    }
  };
  for (const m of text.matchAll(TOKENS)) {
    literal(text.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const [token, k] = m;
    if (token === "gy") parts.push(values ? arrayMath(gy) : mi("gy"));
    else if (k !== undefined) parts.push(values ? arrayMath(values[Number(k)]) : nameMath(labels[Number(k)]));
    else {
      const filled = fillArrayRule(token, i, labels, shapes, values, gy);
      parts.push(values ? mn(filled) : mi(filled));
    }
  }
  literal(text.slice(last));
  return mrow(parts);
}

// --- a tensor's node ----------------------------------------------------------------------------------------

/** Sizes of a tensor's node, in SVG user units (graph-view.css sets the fonts they are measured for). */
export const TENSOR = Object.freeze({
  lineHeight: 17, // one row of a matrix (14px numbers)
  cellWidth: 56, // one column of a matrix: "−0.123" at 14px, and a gap
  firstValues: 210, // a large array's node: its shape, first values and "all 100" button
  valuesTop: 64, // baseline of the first row of values, under the label and the shape
  caption: 15, // the grad box's "grad" caption
  button: 24, // height of the "all N" button
});

/**
 * Where the parts of a tensor's node go: each row of values and of the grad, the grad box, the "all N" button (a
 * large array only), and the node's size. A scalar has none of this (graph-view draws it as before).
 * @param {unknown} shape
 * @param {number} minWidth  what its label needs
 * @returns {{kind: "small" | "large", width: number, height: number, valueRows: number[], gradTop: number,
 *   gradRows: number[], gradBottom: number, caption: number, button: {y: number, height: number} | null}}
 */
export function tensorBox(shape, minWidth) {
  const kind = tensorKind(shape) === "small" ? "small" : "large";
  const s = shapeList(shape);
  const rows = kind === "small" ? (s.length === 1 ? 1 : s[0]) : 1;
  const columns = kind === "small" ? (s.length === 1 ? s[0] : s[1]) : 0;
  const width = Math.max(116, minWidth, kind === "small" ? columns * TENSOR.cellWidth + 20 : TENSOR.firstValues);
  const at = (/** @type {number} */ top) => Array.from({ length: rows }, (_, k) => top + k * TENSOR.lineHeight);
  const valueRows = at(TENSOR.valuesTop);
  const gradTop = valueRows[rows - 1] + 14;
  const caption = gradTop + TENSOR.caption;
  const gradRows = at(caption + TENSOR.lineHeight + 1);
  const gradBottom = gradRows[rows - 1] + 9;
  const button = kind === "large" ? { y: gradBottom + 8, height: TENSOR.button } : null;
  const height = (button ? button.y + button.height : gradBottom) + 8;
  return { kind, width, height, valueRows, gradTop, gradRows, gradBottom, caption, button };
}
