// Pure, DOM-free layout: dagre places the graph left to right; this module only decides node sizes and reads the
// result back as plain numbers, so it can be unit-tested under node without a browser. A block stack (a chain) is
// not dagre's: it is laid out in rows that wrap, like a line of text, so a long one fits its viewport readably.
import dagre from "@dagrejs/dagre";
import { CONTRIBUTION, multiUses, rowsWidth } from "./contributions.js";
import { tensorBox, tensorKind } from "./tensor.js";
import { failures } from "./state.js";
import { ZOOM } from "./viewport.js";

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
 * @property {boolean} [hub]  from an input that feeds many Functions, drawn straight and light (hubInputs)
 *
 * @typedef {object} Layout
 * @property {number} width
 * @property {number} height
 * @property {Map<string, NodeBox>} nodes
 * @property {EdgePath[]} edges
 * @property {boolean} wrapped  a chain wrapped into rows for its viewport: laid out again when the width changes
 * @property {number[]} cuts  a wrapped chain's: where a view may end between its rows (wrappedPlacement)
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
  ruleLineHeight: 19, // a rule of several inputs takes a line each
  maxRuleChars: 40, // longer rules are shortened by the view
  errorLines: 3, // a failed backward's message, wrapped, under the rule
  errorLineHeight: 18,
  errorWidth: 220, // width of a failed Function's error lines: its box widens so they spill only into the gaps

  padding: 8, // blank margin around the whole drawing
  rowGap: 40, // between the rows of a wrapped chain: the edge from a row's end to the next row's start runs here
  rail: 14, // beside a wrapped chain's rows: that edge's way down, right of a row and left of the next
  maxLabelChars: 28, // longer labels are shortened by the view; the layout reserves room for this many
});

/**
 * @param {string} text
 * @param {number} max
 * @returns {string} text shortened to at most max characters, with an ellipsis when cut
 */
export function shorten(text, max = SIZES.maxLabelChars) {
  const whole = String(text ?? "");
  if (whole.length <= max) return whole; // no more UTF-16 units than max: no more characters either
  const chars = Array.from(whole);
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}\u2026`;
}

/**
 * A piece of a rule as a node draws it: plain, raised (an exponent: x²) or lowered (an input's index: x₀).
 * @typedef {{text: string, shift?: "sup" | "sub"}} Segment
 */

const RULE_TOKEN = /\s+|\*\*|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+|[A-Za-z_]\w*|./gy;

/**
 * A rule as Python declares it ("3 * x**2", "1 - y**2", "x1") written as maths on a node: products with a dot,
 * a real minus, exponents raised and input indices lowered (3·x², 1 − y², x₁), never the ** or ^ of code.
 * The text was already parsed by Python (explain.parse_rule): only numbers, names, + - * / **, calls and
 * brackets can be in it, so reading it token by token is enough.
 * @param {unknown} rule
 * @returns {Segment[]}
 */
export function ruleSegments(rule) {
  const tokens = String(rule ?? "").match(RULE_TOKEN) ?? [];
  /** @type {Segment[]} */
  const out = [];
  const push = (/** @type {string} */ text, /** @type {"sup" | "sub" | undefined} */ shift = undefined) => {
    const last = out[out.length - 1];
    if (last && last.shift === shift) last.text += text;
    else out.push(shift ? { text, shift } : { text });
  };
  const name = (/** @type {string} */ token, /** @type {"sup" | undefined} */ shift) => {
    const indexed = /^([A-Za-z]+)(\d+)$/.exec(token);
    if (!indexed || shift) push(token, shift);
    else {
      push(indexed[1]);
      push(indexed[2], "sub");
    }
  };
  /** What comes after **: one atom (a number, a name, a call, a bracketed group, with an optional minus). */
  const exponent = (/** @type {number} */ i) => {
    while (tokens[i]?.trim() === "") i++;
    const start = i;
    if (tokens[i] === "-") i++;
    if (tokens[i] === "(" || (/^[A-Za-z_]/.test(tokens[i] ?? "") && tokens[i + 1] === "(")) {
      if (tokens[i] !== "(") i++;
      for (let depth = 0; i < tokens.length; i++) {
        if (tokens[i] === "(") depth++;
        else if (tokens[i] === ")" && --depth === 0) break;
      }
    }
    let piece = tokens.slice(start, i + 1);
    // a raised group needs no brackets: x^(c−1) reads x to the c−1
    if (piece[0] === "(" && piece[piece.length - 1] === ")") piece = piece.slice(1, -1);
    return { piece, next: i + 1 };
  };
  const write = (/** @type {string[]} */ list, /** @type {"sup" | undefined} */ shift) => {
    let previous = "";
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (t.trim() === "") {
        if (!shift && !["*", "**"].includes(list[i + 1]?.trim() ?? "") && !["*", "**"].includes(previous))
          push(" ", shift);
        continue;
      }
      if (t === "**" && !shift) {
        const { piece, next } = exponent(i + 1);
        write(piece, "sup");
        i = next - 1;
      } else if (t === "*") push("\u00b7", shift);
      else if (t === "-") push("\u2212", shift);
      else if (/^[A-Za-z_]/.test(t)) name(t, shift);
      else push(t, shift);
      previous = t;
    }
  };
  write(tokens, undefined);
  return out;
}

/**
 * A Function's local derivative as its node shows it, one line per input: "2·x" for Square; for a block of
 * several inputs, which input each is for ("∂/∂x₀ = x₁" and "∂/∂x₁ = x₀" for Mul), as the card names them.
 * @param {unknown} rule  a rule, or one per input
 * @returns {Segment[][]}
 */
export function ruleLines(rule) {
  if (rule === null || rule === undefined || rule === "") return [];
  if (!Array.isArray(rule)) {
    // a stack of a thousand blocks has a handful of different rules: each read once (its lines are not changed)
    let lines = readRules.get(rule);
    if (!lines) {
      if (readRules.size >= 256) readRules.clear();
      lines = [ruleSegments(rule)];
      readRules.set(rule, lines);
    }
    return lines;
  }
  return rule.map((r, i) => [
    { text: "\u2202/\u2202x" },
    { text: String(i), shift: /** @type {const} */ ("sub") },
    { text: " = " },
    ...ruleSegments(r),
  ]);
}

/** @type {Map<unknown, Segment[][]>} */
const readRules = new Map();

/**
 * @param {Segment[]} line
 * @returns {string} its characters, for measuring and for tooltips
 */
export function lineText(line) {
  return line.map((s) => s.text).join("");
}

/**
 * A line cut to at most `max` characters, with an ellipsis when cut.
 * @param {Segment[]} line
 * @param {number} max
 * @returns {Segment[]}
 */
export function shortenLine(line, max) {
  if (Array.from(lineText(line)).length <= max) return line;
  /** @type {Segment[]} */
  const out = [];
  let left = max - 1;
  for (const s of line) {
    const chars = Array.from(s.text);
    if (left <= 0) break;
    out.push({ ...s, text: chars.slice(0, left).join("") });
    left -= chars.length;
  }
  out.push({ text: "\u2026" });
  return out;
}

/**
 * The rule as a tooltip writes it: the lines, with Unicode's raised and lowered digits where they exist.
 * @param {unknown} rule
 * @returns {string}
 */
export function ruleTitle(rule) {
  const raised = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
  const lowered = "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089";
  const piece = (/** @type {Segment} */ s) => {
    if (!s.shift) return s.text;
    const table = s.shift === "sup" ? raised : lowered;
    return /^\d+$/.test(s.text)
      ? [...s.text].map((d) => table[Number(d)]).join("")
      : `${s.shift === "sup" ? "^" : "_"}(${s.text})`;
  };
  return ruleLines(rule)
    .map((line) => line.map(piece).join(""))
    .join(", ");
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

/** @param {string} text @returns {number} its characters (code points), not its UTF-16 units */
function charCount(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) n++; // a surrogate pair's second half adds no character
  }
  return n;
}

/**
 * @param {import("./state.js").GraphNode} node
 * @param {boolean} failed  its backward step reported an error
 * @param {string[]} [feeds]  a variable used more than once: the labels of the Functions it feeds, one row each
 *   for the grads they send back
 * @returns {{width: number, height: number}}
 */
export function nodeSize(node, failed = false, feeds = []) {
  const labelWidth = charCount(shorten(node.label)) * SIZES.charWidth + 24;
  if (node.kind === "variable" && tensorKind(node.shape) !== "scalar") {
    // an array: its rows of values and of grads, or its shape and first values (tensor.js)
    const box = tensorBox(node.shape, Math.max(labelWidth, feeds.length ? rowsWidth(feeds) : 0));
    return {
      width: box.width,
      height: box.height + feeds.length * CONTRIBUTION.rowHeight + (feeds.length ? 6 : 0),
    };
  }
  if (node.kind === "variable") {
    if (feeds.length === 0)
      return { width: Math.max(SIZES.variableWidth, labelWidth), height: SIZES.variableHeight };
    return {
      width: Math.max(SIZES.variableWidth, labelWidth, rowsWidth(feeds)),
      height: CONTRIBUTION.top + feeds.length * CONTRIBUTION.rowHeight + 6,
    };
  }
  const lines = ruleLines(node.rule);
  const band =
    Math.max(SIZES.band, lines.length * SIZES.ruleLineHeight + 6) +
    (failed ? SIZES.errorLines * SIZES.errorLineHeight + 4 : 0);
  // The rule under the box may spill into the gaps beside it, but not onto the neighbours.
  const longest = Math.max(
    0,
    ...lines.map((line) => Math.min(SIZES.maxRuleChars, Array.from(lineText(line)).length)),
  );
  const ruleWidth = longest * SIZES.ruleCharWidth - 2 * SIZES.rankGap + 8;
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
 * @property {number[]} [cuts]  y of each place between two rows where a view may end
 */

/**
 * What a wrapped chain should fit: its viewport's width, the tallest the viewport may grow, and the largest scale a
 * view may blow the drawing up to (viewport.js's ZOOM for a notebook, larger for presenter mode).
 * @typedef {object} WrapTarget
 * @property {number} width  CSS pixels
 * @property {number} [maxHeight]  CSS pixels
 * @property {number} [natural]
 * @property {number} [comfortable]  a scale at which no more rows are needed
 * @property {number} [margin]  CSS pixels kept free around the drawing
 */

/**
 * Lay the graph out left to right (forward data flow: x on the left, y on the right). A chain (a block stack) is
 * wrapped into rows to fit `wrap` when one is given, else drawn in one row; very large graphs and anything dagre
 * fails on get a simple layered layout; other graphs (diamonds, several inputs) get dagre's.
 * @param {Graph} graph
 * @param {WrapTarget | null} [wrap]
 * @param {{failed?: Map<string, string>, uses?: Map<string, string[]>}} [known]  failures(graph) and
 *   multiUses(graph), when the caller has them already
 * @returns {Layout}
 */
export function layoutGraph(graph, wrap = null, known = {}) {
  const failed = known.failed ?? failures(graph);
  const uses = known.uses ?? multiUses(graph);
  const labels = new Map(graph.nodes.map((node) => [node.id, String(node.label ?? "")]));
  const feeds = (/** @type {string} */ id) => (uses.get(id) ?? []).map((f) => labels.get(f) ?? f);
  /** @type {Map<string, {width: number, height: number}>} */
  const sizes = new Map(graph.nodes.map((node) => [node.id, nodeSize(node, failed.has(node.id), feeds(node.id))]));
  const edges = graph.edges.filter(([a, b]) => sizes.has(a) && sizes.has(b) && a !== b);
  /** @type {Placement | null} */
  let placed = null;
  const order = wrap ? chainOrder(sizes, edges) : null;
  if (order && wrap) placed = wrappedPlacement(order, sizes, wrap);
  else if (!isChain(sizes, edges) && sizes.size <= DAGRE_MAX_NODES) {
    try {
      placed = dagrePlacement(sizes, edges);
    } catch {
      placed = null; // fall back to the layered layout below rather than draw nothing
    }
  }
  const hubs = placed ? hubInputs(edges) : new Set(); // dagre's placement left these edges out: drawn straight
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
    return hubs.has(from) ? { from, to, points, hub: true } : { from, to, points };
  });
  return {
    width: Math.max(1, placed.width),
    height: Math.max(1, placed.height),
    nodes,
    edges: paths,
    wrapped: order !== null,
    cuts: placed.cuts ?? [],
  };
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
 * The nodes of a single path that visits every node (a block stack: x, Square, a, ... y), in order; null for any
 * other graph (a branch, a cycle, several pieces).
 * @param {Map<string, unknown>} sizes
 * @param {[string, string][]} edges
 * @returns {string[] | null}
 */
export function chainOrder(sizes, edges) {
  if (!isChain(sizes, edges) || edges.length !== sizes.size - 1) return null;
  const next = new Map(edges);
  const hasInput = new Set(edges.map(([, b]) => b));
  const starts = [...sizes.keys()].filter((id) => !hasInput.has(id));
  if (starts.length !== 1) return null;
  const order = [starts[0]];
  for (let id = next.get(starts[0]); id !== undefined; id = next.get(id)) order.push(id);
  return order.length === sizes.size ? order : null;
}

/**
 * Break a line of node widths into rows no wider than `room`, as text wraps: greedily, at least one node a row.
 * @param {number[]} widths
 * @param {number} room
 * @param {(start: number) => void} visit  called with the index of each row's first node, in order
 */
function eachRowStart(widths, room, visit) {
  let used = 0;
  for (let i = 0; i < widths.length; i++) {
    const w = widths[i];
    if (i === 0 || used + SIZES.rankGap + w > room) {
      visit(i);
      used = w;
    } else used += SIZES.rankGap + w;
  }
}

/**
 * @param {number[]} widths
 * @param {number} room
 * @returns {number[]} the index of each row's first node (eachRowStart's rows)
 */
export function wrapRows(widths, room) {
  /** @type {number[]} */
  const starts = [];
  eachRowStart(widths, room, (start) => starts.push(start));
  return starts;
}

/**
 * wrapRows' rows, counted and measured without making them: the bisections below try some fifty row widths for
 * a long chain's first draw, and making each try's rows was a tenth of that frame's script.
 * @param {number[]} widths
 * @param {number[]} heights  the nodes' heights, in the same order
 * @param {number} room
 * @returns {{rows: number, height: number}} how many rows, and the sum of their heights (each its tallest node's)
 */
function measureRows(widths, heights, room) {
  let rows = 0;
  let height = 0;
  let from = 0;
  const tallestUpTo = (/** @type {number} */ end) => {
    let tallest = 0;
    for (let i = from; i < end; i++) tallest = Math.max(tallest, heights[i]);
    return tallest;
  };
  eachRowStart(widths, room, (start) => {
    if (start > 0) height += tallestUpTo(start);
    from = start;
    rows += 1;
  });
  return { rows, height: rows > 0 ? height + tallestUpTo(widths.length) : 0 };
}

/**
 * How wide (in user units) to let a chain's rows grow. As few rows as show the whole drawing at a comfortable
 * scale; when no number of rows does, the rows that show it at the largest scale. More rows make a larger scale
 * fit the viewport's width and a smaller one its height, so that largest scale is found by bisection (fitting
 * only gets harder as the scale grows). A short chain thus stays in one row, a long one wraps into as many rows
 * as its viewport's shape makes best.
 * @param {{width: number, height: number}[]} boxes  the chain's node sizes, in order
 * @param {WrapTarget} target
 * @returns {number} the row width, in user units
 */
export function chooseRowWidth(boxes, target) {
  const margin = target.margin ?? ZOOM.margin;
  const natural = target.natural ?? ZOOM.natural;
  const comfortable = Math.min(natural, target.comfortable ?? ZOOM.comfortable);
  const maxHeight = (target.maxHeight ?? ZOOM.maxHeight) - 2 * margin;
  const width = Math.max(1, target.width - 2 * margin);
  const widths = boxes.map((b) => b.width);
  const nodeHeights = boxes.map((b) => b.height);
  const frame = 2 * SIZES.padding + 2 * SIZES.rail; // beside the rows
  const room = (/** @type {number} */ s) => width / s - frame;
  const fits = (/** @type {number} */ s) => {
    const { rows, height } = measureRows(widths, nodeHeights, room(s));
    return (height + SIZES.rowGap * Math.max(0, rows - 1) + 2 * SIZES.padding) * s <= maxHeight;
  };
  if (fits(comfortable)) return room(comfortable);
  let lo = 1e-3;
  let hi = comfortable;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return room(lo);
}

/**
 * @param {{height: number}[]} boxes
 * @param {number[]} starts
 * @returns {number[]} each row's height: its tallest node's
 */
function rowHeights(boxes, starts) {
  return starts.map((start, r) => {
    const end = r + 1 < starts.length ? starts[r + 1] : boxes.length;
    let tallest = 0;
    for (let i = start; i < end; i++) tallest = Math.max(tallest, boxes[i].height);
    return tallest;
  });
}

/**
 * A chain in rows, left to right and top to bottom like text. Each row's nodes sit on one line; the edge from a
 * row's last node to the next row's first leaves to the right, runs back left through the gap between the rows,
 * and comes in from the left.
 * @param {string[]} order
 * @param {Map<string, {width: number, height: number}>} sizes
 * @param {WrapTarget} target
 * @returns {Placement}
 */
export function wrappedPlacement(order, sizes, target) {
  const boxes = order.map((id) => /** @type {{width: number, height: number}} */ (sizes.get(id)));
  const widths = boxes.map((b) => b.width);
  const nodeHeights = boxes.map((b) => b.height);
  const room = chooseRowWidth(boxes, target);
  const count = measureRows(widths, nodeHeights, room).rows;
  // The same number of rows, evened out: the narrowest room that needs no more (no lone node on the last row).
  let lo = Math.max(0, ...widths);
  let hi = Math.max(lo, room);
  for (let i = 0; i < 24 && count > 1; i++) {
    const mid = (lo + hi) / 2;
    if (measureRows(widths, nodeHeights, mid).rows <= count) hi = mid;
    else lo = mid;
  }
  const starts = wrapRows(widths, hi);
  const heights = rowHeights(boxes, starts);
  /** @type {Map<string, {x: number, y: number}>} */
  const centres = new Map();
  /** @type {Map<string, {x: number, y: number}[]>} */
  const routes = new Map();
  const left = SIZES.padding + SIZES.rail;
  let top = SIZES.padding;
  let right = 0;
  /** @type {number[]} */
  const cuts = [];
  starts.forEach((start, r) => {
    const end = r + 1 < starts.length ? starts[r + 1] : order.length;
    const line = top + heights[r] / 2;
    let x = left;
    for (let i = start; i < end; i++) {
      centres.set(order[i], { x: x + boxes[i].width / 2, y: line });
      x += boxes[i].width + SIZES.rankGap;
    }
    right = Math.max(right, x - SIZES.rankGap);
    // Under a row, past the edge that runs back to the next row's start (at half the gap), so that a view ending
    // here shows whole nodes and the way on, and none of the next row: the view's margin (8px, 13 units at
    // presenter mode's readable 0.6) is under the cut.
    if (r + 1 < starts.length) cuts.push(top + heights[r] + SIZES.rowGap * 0.6);
    top += heights[r] + SIZES.rowGap;
  });
  starts.slice(1).forEach((start, r) => {
    const from = order[start - 1];
    const to = order[start];
    const a = /** @type {{x: number, y: number}} */ (centres.get(from));
    const b = /** @type {{x: number, y: number}} */ (centres.get(to));
    const out = a.x + boxes[start - 1].width / 2 + SIZES.rail;
    const back = SIZES.padding + SIZES.rail / 2;
    const gap = a.y + heights[r] / 2 + SIZES.rowGap / 2;
    routes.set(`${from}\u0000${to}`, [
      a,
      { x: out, y: a.y },
      { x: out, y: gap },
      { x: back, y: gap },
      { x: back, y: b.y },
      b,
    ]);
  });
  return {
    width: right + SIZES.rail + SIZES.padding,
    height: top - SIZES.rowGap + SIZES.padding,
    centres,
    routes,
    cuts,
  };
}

/** How much the bends of a route along the axes are rounded, in user units (at most half of either side). */
const CORNER = 12;

/**
 * An edge's SVG path. A route along the axes (a wrapped chain's way from a row's end to the next row's start)
 * keeps to its lines, its bends rounded, so it runs in the rail and the gap and never across a row's texts;
 * any other (dagre's) is smoothed through the midpoints of its segments.
 * @param {{x: number, y: number}[]} points
 * @returns {string}
 */
export function edgePath(points) {
  if (points.length === 0) return "";
  const at = (/** @type {{x: number, y: number}} */ p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
  const [first, ...rest] = points;
  let d = `M${at(first)}`;
  if (rest.length === 1) return `${d}L${at(rest[0])}`;
  if (alongAxes(points)) {
    for (let i = 1; i < points.length - 1; i++) {
      const [a, p, b] = [points[i - 1], points[i], points[i + 1]];
      const into = Math.hypot(p.x - a.x, p.y - a.y);
      const out = Math.hypot(b.x - p.x, b.y - p.y);
      if (into === 0 || out === 0) continue;
      const r = Math.min(CORNER, into / 2, out / 2);
      const before = { x: p.x - ((p.x - a.x) * r) / into, y: p.y - ((p.y - a.y) * r) / into };
      const after = { x: p.x + ((b.x - p.x) * r) / out, y: p.y + ((b.y - p.y) * r) / out };
      d += `L${at(before)}Q${at(p)} ${at(after)}`;
    }
    return `${d}L${at(points[points.length - 1])}`;
  }
  // Quadratic through midpoints: smooth, and still passes the first and last point.
  for (let i = 0; i < rest.length - 1; i++) {
    const c = rest[i];
    const n = rest[i + 1];
    const mx = i === rest.length - 2 ? n.x : (c.x + n.x) / 2;
    const my = i === rest.length - 2 ? n.y : (c.y + n.y) / 2;
    d += `Q${at(c)} ${mx.toFixed(1)},${my.toFixed(1)}`;
  }
  return d;
}

/**
 * @param {{x: number, y: number}[]} points
 * @returns {boolean} every segment runs along an axis
 */
function alongAxes(points) {
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (Math.abs(a.x - b.x) > 0.01 && Math.abs(a.y - b.y) > 0.01) return false;
  }
  return true;
}

/** An input that feeds more Functions than this is laid out apart from its edges (dagrePlacement). */
export const HUB_USES = 6;

/**
 * The sources (nodes no edge enters) with more than HUB_USES edges out.
 * @param {[string, string][]} edges
 * @returns {Set<string>}
 */
export function hubInputs(edges) {
  const targets = new Set(edges.map(([, b]) => b));
  /** @type {Map<string, number>} */
  const outs = new Map();
  for (const [a] of edges) if (!targets.has(a)) outs.set(a, (outs.get(a) ?? 0) + 1);
  return new Set([...outs].filter(([, n]) => n > HUB_USES).map(([id]) => id));
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
  // An input that feeds many Functions (step 27's x feeds every term of the Taylor series) would thread a long edge
  // through every rank, and dagre stacks those edges' bends: the terms fan out over a drawing taller than wide. Its
  // edges are left out of the ranking (drawn straight), so each term sits beside the sum it joins.
  const hubs = hubInputs(edges);
  for (const [a, b] of edges) if (!hubs.has(a)) g.setEdge(a, b);
  dagre.layout(g);
  const centres = new Map([...sizes.keys()].map((id) => [id, { x: g.node(id).x, y: g.node(id).y }]));
  const routes = new Map(
    edges
      .filter(([a]) => !hubs.has(a))
      .map(([a, b]) => [
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
