// Pure, DOM-free layout: dagre places the graph left to right; this module only decides node sizes and reads the
// result back as plain numbers, so it can be unit-tested under node without a browser.
import dagre from "@dagrejs/dagre";
import { failures } from "./state.js";

/**
 * @typedef {import("./state.js").Graph} Graph
 *
 * @typedef {object} Rect
 * @property {number} x
 * @property {number} y
 * @property {number} width
 * @property {number} height
 *
 * @typedef {object} NodeBox  top-left corner (x, y), size, and centre (cx, cy), in SVG user units
 * @property {number} x
 * @property {number} y
 * @property {number} width
 * @property {number} height
 * @property {number} cx
 * @property {number} cy
 * @property {Rect} shape  the drawn box: a Function's is shorter than its node (its rule goes under it)
 *
 * @typedef {object} EdgePath
 * @property {string} from
 * @property {string} to
 * @property {{x: number, y: number}[]} points  polyline from the source's border to the target's border
 *
 * @typedef {object} Layout
 * @property {number} width
 * @property {number} height
 * @property {Map<string, NodeBox>} nodes
 * @property {EdgePath[]} edges
 */

/**
 * Sizes in SVG user units. A Function's node is its box plus a band above and below it: the band below holds its
 * derivative rule (and an error line when its backward failed); the one above keeps the box centred on the rank.
 */
export const SIZES = Object.freeze({
  charWidth: 10.5, // a generous average advance of the 18px bold label font, so no DOM is needed to measure
  ruleCharWidth: 8.2, // the same for the 15px rule font
  rankGap: 24, // horizontal gap between ranks (dagre's ranksep)
  variableWidth: 116, // fits "grad: 2.568" and "−1.235e+1"; longer numbers are squeezed by the view
  variableHeight: 96,
  functionMinWidth: 84,
  functionMaxWidth: 320,
  functionBox: 48,
  band: 24, // height of the rule line under a Function's box (and the same above it)
  errorLines: 3, // a failed backward's message, wrapped, under the rule
  errorLineHeight: 18,
  errorWidth: 220, // width of a failed Function's error lines: its box widens so they spill only into the gaps

  padding: 8, // blank margin around the whole drawing
  maxLabelChars: 28, // longer labels are shortened by the view; the layout reserves room for this many
});

/**
 * @param {string} text
 * @param {number} max
 * @returns {string} text shortened to at most max characters, with an ellipsis when cut
 */
export function shorten(text, max = SIZES.maxLabelChars) {
  const chars = Array.from(String(text ?? ""));
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}\u2026`;
}

/**
 * Break text into at most `maxLines` lines of at most `maxChars` characters, at spaces where possible; the last
 * line ends with an ellipsis when text is left over.
 * @param {string} text
 * @param {number} maxChars
 * @param {number} maxLines
 * @returns {string[]}
 */
export function wrapText(text, maxChars, maxLines) {
  const width = Math.max(2, Math.floor(maxChars));
  /** @type {string[]} */
  const lines = [];
  let rest = Array.from(
    String(text ?? "")
      .replace(/\s+/g, " ")
      .trim(),
  );
  while (rest.length > 0 && lines.length < maxLines) {
    if (rest.length <= width) {
      lines.push(rest.join(""));
      rest = [];
      break;
    }
    let cut = rest.lastIndexOf(" ", width);
    if (cut <= 0) cut = width; // one long word: break it
    lines.push(rest.slice(0, cut).join("").trimEnd());
    rest = rest.slice(rest[cut] === " " ? cut + 1 : cut);
  }
  if (rest.length > 0 && lines.length > 0)
    lines[lines.length - 1] = shorten(`${lines[lines.length - 1]} ${rest.join("")}`, width);
  return lines;
}

/**
 * @param {import("./state.js").GraphNode} node
 * @param {boolean} failed  its backward step reported an error
 * @returns {{width: number, height: number}}
 */
export function nodeSize(node, failed = false) {
  const labelWidth = Array.from(shorten(node.label)).length * SIZES.charWidth + 24;
  if (node.kind === "variable") {
    return { width: Math.max(SIZES.variableWidth, labelWidth), height: SIZES.variableHeight };
  }
  const band = SIZES.band + (failed ? SIZES.errorLines * SIZES.errorLineHeight + 4 : 0);
  // The rule under the box may spill into the gaps beside it, but not onto the neighbours.
  const ruleWidth = Array.from(shorten(node.rule || "", 40)).length * SIZES.ruleCharWidth - 2 * SIZES.rankGap + 8;
  return {
    width: Math.min(
      SIZES.functionMaxWidth,
      Math.max(
        SIZES.functionMinWidth,
        labelWidth,
        ruleWidth,
        failed ? SIZES.errorWidth - 2 * SIZES.rankGap + 8 : 0,
      ),
    ),
    height: SIZES.functionBox + 2 * band,
  };
}

/**
 * Where the line from the centre of `rect` towards `toward` leaves the rectangle.
 * @param {Rect} rect
 * @param {{x: number, y: number}} toward
 * @returns {{x: number, y: number}}
 */
export function borderPoint(rect, toward) {
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const w = rect.width / 2;
  const h = rect.height / 2;
  // Hit the top/bottom side if the line is steeper than the rectangle's diagonal, else a left/right side.
  const t = Math.abs(dy) * w > Math.abs(dx) * h ? h / Math.abs(dy) : w / Math.abs(dx);
  return { x: cx + dx * t, y: cy + dy * t };
}

/**
 * Lay the graph out left to right (forward data flow: x on the left, y on the right).
 * @param {Graph} graph
 * @returns {Layout}
 */
export function layoutGraph(graph) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({
    rankdir: "LR",
    nodesep: 24,
    ranksep: SIZES.rankGap,
    edgesep: 16,
    marginx: SIZES.padding,
    marginy: SIZES.padding,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const failed = failures(graph);
  const ids = new Set();
  for (const node of graph.nodes) {
    ids.add(node.id);
    g.setNode(node.id, nodeSize(node, failed.has(node.id)));
  }
  const edges = graph.edges.filter(([a, b]) => ids.has(a) && ids.has(b));
  for (const [a, b] of edges) g.setEdge(a, b);
  dagre.layout(g);

  /** @type {Map<string, NodeBox>} */
  const nodes = new Map();
  for (const node of graph.nodes) {
    const n = g.node(node.id);
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    const shapeHeight = node.kind === "function" ? SIZES.functionBox : n.height;
    const shape = { x, y: n.y - shapeHeight / 2, width: n.width, height: shapeHeight };
    nodes.set(node.id, { x, y, width: n.width, height: n.height, cx: n.x, cy: n.y, shape });
  }
  // dagre ends an edge on its node's bounding box; a Function's drawn box is shorter, so end it there instead.
  const paths = edges.map(([from, to]) => {
    const e = g.edge(from, to);
    const points = (e.points || []).map((/** @type {{x: number, y: number}} */ p) => ({ x: p.x, y: p.y }));
    const src = /** @type {NodeBox} */ (nodes.get(from));
    const dst = /** @type {NodeBox} */ (nodes.get(to));
    if (points.length >= 2) {
      points[0] = borderPoint(src.shape, points[1]);
      points[points.length - 1] = borderPoint(dst.shape, points[points.length - 2]);
    }
    return { from, to, points };
  });
  const label = g.graph();
  return { width: Math.max(1, label.width || 0), height: Math.max(1, label.height || 0), nodes, edges: paths };
}
