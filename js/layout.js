// Pure, DOM-free layout: dagre places the graph left to right; this module only decides node sizes and reads the
// result back as plain numbers, so it can be unit-tested under node without a browser.
import dagre from "@dagrejs/dagre";
import { CONTRIBUTION, multiUses, rowsWidth } from "./contributions.js";
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
  nodeGap: 24, // vertical gap between nodes of one rank (dagre's nodesep)
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
 * A Function's local derivative as its node shows it: one rule, or one per input ("x1, x0" for Mul), in order.
 * @param {unknown} rule
 * @returns {string}
 */
export function ruleText(rule) {
  if (Array.isArray(rule)) return rule.map(prettyRule).join(", ");
  return rule === null || rule === undefined ? "" : prettyRule(rule);
}

/**
 * A rule as Python declares it ("2 * x", "1 - y**2") written as the card writes it ("2·x", "1 − y^2").
 * @param {unknown} rule
 * @returns {string}
 */
export function prettyRule(rule) {
  return String(rule)
    .replace(/\s*\*\*\s*/g, "^")
    .replace(/\s*\*\s*/g, "\u00b7")
    .replace(/-/g, "\u2212");
}

/**
 * The same, spelled out for a tooltip: "∂/∂x0 = x1, ∂/∂x1 = x0".
 * @param {unknown} rule
 * @returns {string}
 */
export function ruleTitle(rule) {
  if (Array.isArray(rule)) return rule.map((r, i) => `\u2202/\u2202x${i} = ${prettyRule(r)}`).join(", ");
  return ruleText(rule);
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
 * @param {string[]} [feeds]  a variable used more than once: the labels of the Functions it feeds, one row each
 *   for the grads they send back
 * @returns {{width: number, height: number}}
 */
export function nodeSize(node, failed = false, feeds = []) {
  const labelWidth = Array.from(shorten(node.label)).length * SIZES.charWidth + 24;
  if (node.kind === "variable") {
    if (feeds.length === 0)
      return { width: Math.max(SIZES.variableWidth, labelWidth), height: SIZES.variableHeight };
    return {
      width: Math.max(SIZES.variableWidth, labelWidth, rowsWidth(feeds)),
      height: CONTRIBUTION.top + feeds.length * CONTRIBUTION.rowHeight + 6,
    };
  }
  const band = SIZES.band + (failed ? SIZES.errorLines * SIZES.errorLineHeight + 4 : 0);
  // The rule under the box may spill into the gaps beside it, but not onto the neighbours.
  const ruleWidth =
    Array.from(shorten(ruleText(node.rule), 40)).length * SIZES.ruleCharWidth - 2 * SIZES.rankGap + 8;
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

/** Above this many nodes dagre is skipped: it recurses per node and overflows the stack on long chains. */
export const DAGRE_MAX_NODES = 400;

/**
 * @typedef {object} Placement  centres of the nodes, and dagre's edge routes where dagre ran
 * @property {number} width
 * @property {number} height
 * @property {Map<string, {x: number, y: number}>} centres
 * @property {Map<string, {x: number, y: number}[]>} routes  keyed by `${from}\u0000${to}`
 */

/**
 * Lay the graph out left to right (forward data flow: x on the left, y on the right). Chains, very large graphs
 * and anything dagre fails on get a simple layered layout; other graphs (diamonds, several inputs) get dagre's.
 * @param {Graph} graph
 * @returns {Layout}
 */
export function layoutGraph(graph) {
  const failed = failures(graph);
  const uses = multiUses(graph);
  const labels = new Map(graph.nodes.map((node) => [node.id, String(node.label ?? "")]));
  const feeds = (/** @type {string} */ id) => (uses.get(id) ?? []).map((f) => labels.get(f) ?? f);
  /** @type {Map<string, {width: number, height: number}>} */
  const sizes = new Map(graph.nodes.map((node) => [node.id, nodeSize(node, failed.has(node.id), feeds(node.id))]));
  const edges = graph.edges.filter(([a, b]) => sizes.has(a) && sizes.has(b) && a !== b);
  /** @type {Placement | null} */
  let placed = null;
  if (!isChain(sizes, edges) && sizes.size <= DAGRE_MAX_NODES) {
    try {
      placed = dagrePlacement(sizes, edges);
    } catch {
      placed = null; // fall back to the layered layout below rather than draw nothing
    }
  }
  placed ??= layeredPlacement(sizes, edges);

  /** @type {Map<string, NodeBox>} */
  const nodes = new Map();
  for (const node of graph.nodes) {
    const { width, height } = /** @type {{width: number, height: number}} */ (sizes.get(node.id));
    const c = /** @type {{x: number, y: number}} */ (placed.centres.get(node.id));
    const shapeHeight = node.kind === "function" ? SIZES.functionBox : height;
    const shape = { x: c.x - width / 2, y: c.y - shapeHeight / 2, width, height: shapeHeight };
    nodes.set(node.id, { x: c.x - width / 2, y: c.y - height / 2, width, height, cx: c.x, cy: c.y, shape });
  }
  // End every edge on the drawn box: dagre ends it on the node's bounding box, and a Function's box is shorter.
  const paths = edges.map(([from, to]) => {
    const src = /** @type {NodeBox} */ (nodes.get(from));
    const dst = /** @type {NodeBox} */ (nodes.get(to));
    const route = placed.routes.get(`${from}\u0000${to}`);
    const points =
      route && route.length >= 2
        ? route.map((p) => ({ x: p.x, y: p.y }))
        : [
            { x: src.cx, y: src.cy },
            { x: dst.cx, y: dst.cy },
          ];
    points[0] = borderPoint(src.shape, points[1]);
    points[points.length - 1] = borderPoint(dst.shape, points[points.length - 2]);
    return { from, to, points };
  });
  return { width: Math.max(1, placed.width), height: Math.max(1, placed.height), nodes, edges: paths };
}

/**
 * @param {Map<string, unknown>} sizes
 * @param {[string, string][]} edges
 * @returns {boolean} every node has at most one edge in and one out (a block stack)
 */
export function isChain(sizes, edges) {
  const ins = new Set();
  const outs = new Set();
  for (const [a, b] of edges) {
    if (outs.has(a) || ins.has(b)) return false;
    outs.add(a);
    ins.add(b);
  }
  return true;
}

/**
 * @param {Map<string, {width: number, height: number}>} sizes
 * @param {[string, string][]} edges
 * @returns {Placement}
 */
function dagrePlacement(sizes, edges) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({
    rankdir: "LR",
    nodesep: SIZES.nodeGap,
    ranksep: SIZES.rankGap,
    edgesep: 16,
    marginx: SIZES.padding,
    marginy: SIZES.padding,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, size] of sizes) g.setNode(id, { ...size });
  for (const [a, b] of edges) g.setEdge(a, b);
  dagre.layout(g);
  const centres = new Map([...sizes.keys()].map((id) => [id, { x: g.node(id).x, y: g.node(id).y }]));
  const routes = new Map(
    edges.map(([a, b]) => [
      `${a}\u0000${b}`,
      (g.edge(a, b).points || []).map((/** @type {{x: number, y: number}} */ p) => ({ x: p.x, y: p.y })),
    ]),
  );
  const label = g.graph();
  return { width: label.width || 0, height: label.height || 0, centres, routes };
}

/**
 * Columns by longest path from the inputs (no recursion, linear in the graph's size); in each column the nodes
 * are stacked in the order Python listed them, and every column is centred on the same line.
 * @param {Map<string, {width: number, height: number}>} sizes
 * @param {[string, string][]} edges
 * @returns {Placement}
 */
export function layeredPlacement(sizes, edges) {
  /** @type {Map<string, string[]>} */
  const next = new Map([...sizes.keys()].map((id) => [id, []]));
  /** @type {Map<string, number>} */
  const waiting = new Map([...sizes.keys()].map((id) => [id, 0]));
  for (const [a, b] of edges) {
    /** @type {string[]} */ (next.get(a)).push(b);
    waiting.set(b, /** @type {number} */ (waiting.get(b)) + 1);
  }
  /** @type {Map<string, number>} */
  const rank = new Map();
  const queue = [...sizes.keys()].filter((id) => waiting.get(id) === 0);
  for (const id of queue) rank.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const b of /** @type {string[]} */ (next.get(id))) {
      rank.set(b, Math.max(rank.get(b) ?? 0, /** @type {number} */ (rank.get(id)) + 1));
      const left = /** @type {number} */ (waiting.get(b)) - 1;
      waiting.set(b, left);
      if (left === 0) queue.push(b);
    }
  }
  const deepest = Math.max(-1, ...rank.values());
  for (const id of sizes.keys()) if (!rank.has(id)) rank.set(id, deepest + 1); // on a cycle: park them last

  /** @type {string[][]} */
  const columns = [];
  for (const id of sizes.keys()) (columns[/** @type {number} */ (rank.get(id))] ??= []).push(id);
  const size = (/** @type {string} */ id) => /** @type {{width: number, height: number}} */ (sizes.get(id));
  const columnHeight = (/** @type {string[]} */ ids) =>
    ids.reduce((sum, id) => sum + size(id).height, 0) + SIZES.nodeGap * Math.max(0, ids.length - 1);
  const tallest = Math.max(0, ...columns.map((ids) => (ids ? columnHeight(ids) : 0)));

  /** @type {Map<string, {x: number, y: number}>} */
  const centres = new Map();
  let x = SIZES.padding;
  for (const ids of columns) {
    if (!ids) continue;
    const width = Math.max(...ids.map((id) => size(id).width));
    let y = SIZES.padding + (tallest - columnHeight(ids)) / 2;
    for (const id of ids) {
      centres.set(id, { x: x + width / 2, y: y + size(id).height / 2 });
      y += size(id).height + SIZES.nodeGap;
    }
    x += width + SIZES.rankGap;
  }
  const width = sizes.size > 0 ? x - SIZES.rankGap + SIZES.padding : 0;
  return { width, height: tallest + 2 * SIZES.padding, centres, routes: new Map() };
}
