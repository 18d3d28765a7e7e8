// Pure, DOM-free layout: dagre places the graph left to right; this module only decides node sizes and reads the
// result back as plain numbers, so it can be unit-tested under node without a browser.
import dagre from "@dagrejs/dagre";

/**
 * @typedef {import("./state.js").Graph} Graph
 *
 * @typedef {object} NodeBox  top-left corner (x, y), size, and centre (cx, cy), in SVG user units
 * @property {number} x
 * @property {number} y
 * @property {number} width
 * @property {number} height
 * @property {number} cx
 * @property {number} cy
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

/** Sizes in SVG user units; the view draws text at FONT (label) and SMALL_FONT (rule, grad). */
export const SIZES = Object.freeze({
  font: 18,
  smallFont: 15,
  charWidth: 10.5, // a generous average advance at 18px so labels fit without measuring the DOM
  smallCharWidth: 8.8,
  variableWidth: 170, // fits "grad −1.235e+100"
  variableHeight: 96,
  functionMinWidth: 120,
  functionMaxWidth: 340,
  functionHeight: 64,
  errorExtra: 26, // room for the error line under a function whose backward failed
  padding: 8, // blank margin around the whole drawing (focus rings and shadows)
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
 * @param {import("./state.js").GraphNode} node
 * @param {boolean} failed  its backward step reported an error
 * @returns {{width: number, height: number}}
 */
export function nodeSize(node, failed = false) {
  if (node.kind === "variable") {
    const labelWidth = Array.from(shorten(node.label)).length * SIZES.charWidth + 24;
    return { width: Math.max(SIZES.variableWidth, labelWidth), height: SIZES.variableHeight };
  }
  const label = Array.from(shorten(node.label)).length * SIZES.charWidth;
  const rule = Array.from(shorten(node.rule || "", 40)).length * SIZES.smallCharWidth;
  const width = Math.min(SIZES.functionMaxWidth, Math.max(SIZES.functionMinWidth, label + 32, rule + 24));
  return { width, height: SIZES.functionHeight + (failed ? SIZES.errorExtra : 0) };
}

/**
 * Lay the graph out left to right (forward data flow: x on the left, y on the right).
 * @param {Graph} graph
 * @returns {Layout}
 */
export function layoutGraph(graph) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 48, edgesep: 16, marginx: SIZES.padding, marginy: SIZES.padding });
  g.setDefaultEdgeLabel(() => ({}));
  const failed = new Set(graph.steps.filter((s) => s && s.error).map((s) => s.function));
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
  for (const id of ids) {
    const n = g.node(id);
    nodes.set(id, { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height, cx: n.x, cy: n.y });
  }
  const paths = edges.map(([from, to]) => {
    const e = g.edge(from, to);
    return { from, to, points: (e.points || []).map((p) => ({ x: p.x, y: p.y })) };
  });
  const label = g.graph();
  return { width: Math.max(1, label.width || 0), height: Math.max(1, label.height || 0), nodes, edges: paths };
}
