import assert from "node:assert/strict";
import { test } from "node:test";
import {
  borderPoint,
  chainOrder,
  chooseRowWidth,
  DAGRE_MAX_NODES,
  edgePath,
  isChain,
  layeredPlacement,
  layoutGraph,
  lineText,
  nodeSize,
  ruleLines,
  ruleSegments,
  ruleTitle,
  SIZES,
  shorten,
  shortenLine,
  wrapRows,
  wrapText,
} from "../../js/layout.js";
import { ZOOM } from "../../js/viewport.js";
import { chainGraph, diamondGraph } from "./fixtures.js";
import { assertNoOverlap } from "./layout-asserts.js";

/** @param {import("../../js/layout.js").Layout} layout */
function assertInside(layout) {
  for (const [id, b] of layout.nodes) {
    assert.ok(b.x >= 0 && b.y >= 0, `${id} starts inside`);
    assert.ok(b.x + b.width <= layout.width + 1e-9 && b.y + b.height <= layout.height + 1e-9, `${id} ends inside`);
  }
}

test("chain: x strictly increases along the chain, no overlap", () => {
  const graph = chainGraph();
  const layout = layoutGraph(graph);
  assertNoOverlap(layout);
  assertInside(layout);
  for (const [a, b] of graph.edges) {
    const left = layout.nodes.get(a);
    const right = layout.nodes.get(b);
    assert.ok(left.x + left.width < right.x, `${a} is left of ${b}`);
  }
  const order = ["v0", "f0", "v1", "f1", "v2", "f2", "v3"].map((id) => layout.nodes.get(id).cx);
  for (let i = 1; i < order.length; i++) assert.ok(order[i] > order[i - 1]);
});

test("edges are polylines from source to target", () => {
  const layout = layoutGraph(chainGraph());
  assert.equal(layout.edges.length, 6);
  for (const e of layout.edges) {
    assert.ok(e.points.length >= 2);
    const src = layout.nodes.get(e.from);
    const dst = layout.nodes.get(e.to);
    const first = e.points[0];
    const last = e.points[e.points.length - 1];
    assert.ok(Math.abs(first.x - (src.x + src.width)) < 1, "starts at the source's right edge");
    assert.ok(Math.abs(last.x - dst.x) < 1, "ends at the target's left edge");
  }
});

test("diamond: lays out without overlap, forward edges go left to right", () => {
  const graph = diamondGraph();
  const layout = layoutGraph(graph);
  assertNoOverlap(layout);
  assertInside(layout);
  for (const [a, b] of graph.edges) {
    assert.ok(layout.nodes.get(a).cx < layout.nodes.get(b).cx, `${a} left of ${b}`);
  }
  // the two branches share a rank, one above the other
  assert.equal(layout.nodes.get("f0").cx, layout.nodes.get("f1").cx);
  assert.notEqual(layout.nodes.get("f0").cy, layout.nodes.get("f1").cy);
});

test("a long chain of all palette blocks still does not overlap", () => {
  const names = ["square", "exp", "sin", "cos", "tanh", "log", "neg"];
  const nodes = [{ id: "v0", kind: "variable", label: "x", value: 1 }];
  const edges = [];
  names.forEach((name, i) => {
    nodes.push({ id: `f${i}`, kind: "function", label: name, rule: "1 - y**2" });
    nodes.push({ id: `v${i + 1}`, kind: "variable", label: `v${i + 1}`, value: 1 });
    edges.push([`v${i}`, `f${i}`], [`f${i}`, `v${i + 1}`]);
  });
  const layout = layoutGraph({ nodes, edges, output: `v${names.length}`, steps: [] });
  assertNoOverlap(layout);
  assertInside(layout);
});

test("empty graph lays out to a tiny blank", () => {
  const layout = layoutGraph({ nodes: [], edges: [], output: null, steps: [] });
  assert.equal(layout.nodes.size, 0);
  assert.ok(layout.width >= 1 && layout.height >= 1);
});

test("edges to unknown nodes are dropped instead of crashing dagre", () => {
  const graph = chainGraph();
  graph.edges.push(["v3", "nowhere"]);
  const layout = layoutGraph(graph);
  assert.equal(layout.edges.length, 6);
});

test("node sizes: long labels are capped, failed functions get room for the error", () => {
  const long = nodeSize({ id: "f", kind: "function", label: "<img src=x onerror=alert(1)>".repeat(5) });
  assert.ok(long.width <= SIZES.functionMaxWidth);
  const ok = nodeSize({ id: "f", kind: "function", label: "Exp" });
  const failed = nodeSize({ id: "f", kind: "function", label: "Exp" }, true);
  assert.ok(failed.height > ok.height);
  assert.equal(shorten("abc", 5), "abc");
  assert.equal(shorten("abcdefgh", 5), "abcd\u2026");
});

test("a label is measured and shortened by its characters, not its UTF-16 units", () => {
  // five astral characters are ten UTF-16 units: they fit five characters, and take what five ASCII ones take
  const astral = "\u{1d465}\u{1d466}\u{1d467}\u{1d468}\u{1d469}";
  assert.equal(shorten(astral, 5), astral);
  assert.equal(shorten(`${astral}z`, 5), `${Array.from(astral).slice(0, 4).join("")}\u2026`);
  const wide = (/** @type {string} */ label) => nodeSize({ id: "f", kind: "function", label }).width;
  assert.equal(wide("x".repeat(12)), wide(Array(12).fill("\u{1d465}").join("")));
});

test("a rule is read once however many nodes show it, and reads the same each time", () => {
  const first = ruleLines("1 - y**2");
  assert.equal(ruleLines("1 - y**2"), first);
  assert.deepEqual(first, [ruleSegments("1 - y**2")]);
  assert.deepEqual(ruleLines(["x1", "x0"]), ruleLines(["x1", "x0"]));
});

test("wrapText breaks at spaces, caps the lines, and marks what was cut", () => {
  assert.deepEqual(wrapText("log: x must be > 0", 10, 3), ["log: x", "must be >", "0"]);
  assert.deepEqual(wrapText("short", 10, 3), ["short"]);
  assert.deepEqual(wrapText("", 10, 3), []);
  assert.deepEqual(wrapText("abcdefghijkl", 5, 3), ["abcde", "fghij", "kl"]);
  const cut = wrapText("one two three four five six seven eight", 9, 2);
  assert.equal(cut.length, 2);
  assert.ok(cut[1].endsWith("\u2026"));
  for (const line of cut) assert.ok(Array.from(line).length <= 9);
});

test("a function whose backward failed gets room for its error, and the layout still does not overlap", () => {
  const graph = chainGraph();
  graph.steps[1].error = "overflow in exp";
  const layout = layoutGraph(graph);
  assertNoOverlap(layout);
  assert.ok(layout.nodes.get("f1").height > layout.nodes.get("f0").height);
});

test("borderPoint finds where a line from the centre leaves a rectangle", () => {
  const rect = { x: 0, y: 0, width: 100, height: 40 };
  assert.deepEqual(borderPoint(rect, { x: 200, y: 20 }), { x: 100, y: 20 });
  assert.deepEqual(borderPoint(rect, { x: 50, y: -100 }), { x: 50, y: 0 });
  assert.deepEqual(borderPoint(rect, { x: 50, y: 20 }), { x: 50, y: 20 });
  // slope 1/2 from the centre (50, 20) is steeper than the half-diagonal (20/50): it leaves by the bottom side
  assert.deepEqual(borderPoint(rect, { x: 150, y: 70 }), { x: 90, y: 40 });
});

test("diamond: every edge starts and ends on a drawn box, not on a Function's empty band", () => {
  const layout = layoutGraph(diamondGraph());
  const onBorder = (/** @type {any} */ r, /** @type {any} */ p) => {
    const inX = p.x >= r.x - 0.01 && p.x <= r.x + r.width + 0.01;
    const inY = p.y >= r.y - 0.01 && p.y <= r.y + r.height + 0.01;
    const onSide = [r.x, r.x + r.width].some((v) => Math.abs(p.x - v) < 0.01);
    const onTopBottom = [r.y, r.y + r.height].some((v) => Math.abs(p.y - v) < 0.01);
    return inX && inY && (onSide || onTopBottom);
  };
  for (const e of layout.edges) {
    const first = e.points[0];
    const last = e.points[e.points.length - 1];
    assert.ok(onBorder(layout.nodes.get(e.from).shape, first), `${e.from}->${e.to} starts on ${e.from}'s box`);
    assert.ok(onBorder(layout.nodes.get(e.to).shape, last), `${e.from}->${e.to} ends on ${e.to}'s box`);
  }
  const f2 = layout.nodes.get("f2");
  assert.ok(f2.shape.height < f2.height && Math.abs(f2.shape.y + f2.shape.height / 2 - f2.cy) < 1e-9);
});

test("a failed Function's box is wide enough for its error lines", () => {
  const size = nodeSize({ id: "f", kind: "function", label: "Mul" }, true);
  assert.ok(size.width + 2 * SIZES.rankGap - 8 >= SIZES.errorWidth);
});

/** x -> f0 -> v1 -> f1 -> ... : n blocks */
function longChain(n) {
  const nodes = [{ id: "v0", kind: "variable", label: "x", value: 1 }];
  const edges = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `f${i}`, kind: "function", label: "Square", rule: "2 * x" });
    nodes.push({ id: `v${i + 1}`, kind: "variable", label: `v${i + 1}`, value: 1 });
    edges.push([`v${i}`, `f${i}`], [`f${i}`, `v${i + 1}`]);
  }
  return { nodes, edges, output: `v${n}`, steps: [] };
}

test("1000 blocks (Python's cap) lay out in a row without recursion, quickly", () => {
  const graph = longChain(1000);
  const started = performance.now();
  const layout = layoutGraph(graph);
  assert.ok(performance.now() - started < 2000, "well under the time a learner would wait");
  assert.equal(layout.nodes.size, 2001);
  const cys = new Set([...layout.nodes.values()].map((b) => b.cy));
  assert.equal(cys.size, 1, "a chain is one straight row");
  for (const [a, b] of graph.edges) assert.ok(layout.nodes.get(a).cx < layout.nodes.get(b).cx);
});

test("a big graph that is not a chain uses the layered layout: no overlap, edges go left to right", () => {
  const graph = longChain(DAGRE_MAX_NODES);
  // x also feeds the last block: no longer a chain, and too big for dagre
  graph.edges.push(["v0", `f${DAGRE_MAX_NODES - 1}`]);
  const layout = layoutGraph(graph);
  assertNoOverlap(layout);
  assertInside(layout);
  for (const [a, b] of graph.edges) assert.ok(layout.nodes.get(a).cx < layout.nodes.get(b).cx, `${a} -> ${b}`);
});

test("layeredPlacement stacks a rank's nodes and centres the columns", () => {
  const sizes = new Map([
    ["a", { width: 10, height: 10 }],
    ["b", { width: 10, height: 10 }],
    ["c", { width: 10, height: 10 }],
  ]);
  const placed = layeredPlacement(sizes, [
    ["a", "b"],
    ["a", "c"],
  ]);
  const [a, b, c] = ["a", "b", "c"].map((id) => placed.centres.get(id));
  assert.equal(b.x, c.x);
  assert.ok(a.x < b.x);
  assert.ok(Math.abs(b.y - c.y) >= 10 + SIZES.nodeGap - 1e-9);
  assert.equal(a.y, (b.y + c.y) / 2);
  assert.ok(
    isChain(sizes, [["a", "b"]]) &&
      !isChain(sizes, [
        ["a", "b"],
        ["a", "c"],
      ]),
  );
});

test("rules on nodes are maths: a dot, a real minus, raised exponents, lowered indices, never a caret", () => {
  assert.deepEqual(ruleSegments("2 * x"), [{ text: "2\u00b7x" }]);
  assert.deepEqual(ruleSegments("3 * x**2"), [{ text: "3\u00b7x" }, { text: "2", shift: "sup" }]);
  assert.deepEqual(ruleSegments("1 - y**2"), [{ text: "1 \u2212 y" }, { text: "2", shift: "sup" }]);
  // a raised group loses its brackets; a raised minus stays
  assert.deepEqual(ruleSegments("c * x ** (c - 1)"), [{ text: "c\u00b7x" }, { text: "c\u22121", shift: "sup" }]);
  assert.deepEqual(ruleSegments("x ** -1"), [{ text: "x" }, { text: "\u22121", shift: "sup" }]);
  assert.deepEqual(ruleSegments("2*x*exp(x**2)"), [
    { text: "2\u00b7x\u00b7exp(x" },
    { text: "2", shift: "sup" },
    { text: ")" },
  ]);
  assert.deepEqual(ruleSegments("x1"), [{ text: "x" }, { text: "1", shift: "sub" }]);
  for (const rule of ["3 * x**2", "1 - y**2", "c * x ** (c - 1)", "-x0 / x1**2"]) {
    const text = lineText(ruleSegments(rule));
    assert.ok(!text.includes("^") && !text.includes("*"), `${rule} -> ${text}`);
  }
  assert.deepEqual(ruleLines(null), []);
  assert.deepEqual(ruleLines(""), []);
});

test("a block of several inputs says which input each rule is for, as the card does (Mul: ∂/∂x₀ = x₁)", () => {
  const lines = ruleLines(["x1", "x0"]);
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[0], [
    { text: "\u2202/\u2202x" },
    { text: "0", shift: "sub" },
    { text: " = " },
    { text: "x" },
    { text: "1", shift: "sub" },
  ]);
  assert.equal(ruleTitle(["x1", "x0"]), "\u2202/\u2202x\u2080 = x\u2081, \u2202/\u2202x\u2081 = x\u2080");
  assert.equal(ruleTitle("1 - y**2"), "1 \u2212 y\u00b2");
  assert.equal(ruleTitle("c * x ** (c - 1)"), "c\u00b7x^(c\u22121)");
  // two lines: the node's band under its box grows, and the layout makes room
  const mul = nodeSize({ id: "f", kind: "function", label: "Mul", rule: ["x1", "x0"] });
  const square = nodeSize({ id: "f", kind: "function", label: "Square", rule: "2 * x" });
  assert.ok(mul.height > square.height);
});

test("a long rule is cut with an ellipsis, keeping its raised pieces", () => {
  const line = ruleSegments("2 * x * exp(x**2) * cos(x) * sin(x) * tanh(x) * log(x)");
  const cut = shortenLine(line, 12);
  assert.equal(Array.from(lineText(cut)).length, 12);
  assert.ok(lineText(cut).endsWith("\u2026"));
  assert.equal(shortenLine(ruleSegments("2 * x"), 12).length, 1);
});

/** A block stack of n blocks, as Python sends it. */
function stack(/** @type {number} */ n) {
  const names = ["Sin", "Cos", "Tanh"];
  const nodes = [{ id: "v0", kind: "variable", label: "x", role: "input", value: 0.5 }];
  const edges = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `f${i}`, kind: "function", label: names[i % 3], rule: "cos(x)" });
    nodes.push({ id: `v${i + 1}`, kind: "variable", label: `v${i + 1}`, value: 0.5 });
    edges.push([`v${i}`, `f${i}`], [`f${i}`, `v${i + 1}`]);
  }
  return { nodes, edges, output: `v${n}`, steps: [] };
}

/** The rows of a layout: the node ids grouped by their centre line, top to bottom. */
function rows(/** @type {import("../../js/layout.js").Layout} */ layout) {
  /** @type {Map<number, string[]>} */
  const byLine = new Map();
  for (const [id, b] of layout.nodes) byLine.set(b.cy, [...(byLine.get(b.cy) ?? []), id]);
  return [...byLine.entries()].sort((a, b) => a[0] - b[0]).map(([, ids]) => ids);
}

test("a chain is a chain (one path through every node); a branch or two pieces is not", () => {
  const sizes = new Map(["a", "b", "c"].map((id) => [id, null]));
  assert.deepEqual(chainOrder(sizes, [["b", "c"], ["a", "b"]]), ["a", "b", "c"]); // prettier-ignore
  assert.equal(chainOrder(sizes, [["a", "b"]]), null); // c stands apart
  assert.equal(chainOrder(sizes, [["a", "b"], ["a", "c"]]), null); // prettier-ignore
  assert.ok(layoutGraph(stack(3), { width: 848 }).wrapped);
  assert.ok(!layoutGraph(stack(3)).wrapped); // no viewport to wrap to
  assert.ok(!layoutGraph(diamondGraph(), { width: 848 }).wrapped);
});

test("wrapRows breaks a line of widths like text: greedily, at least one node a row", () => {
  const gap = SIZES.rankGap;
  assert.deepEqual(wrapRows([100, 100, 100], 300 + 2 * gap), [0]);
  assert.deepEqual(wrapRows([100, 100, 100], 300 + 2 * gap - 1), [0, 2]);
  assert.deepEqual(wrapRows([500, 100], 200), [0, 1]);
  assert.deepEqual(wrapRows([], 200), []);
});

test("a short chain stays in one row; without a viewport every chain does", () => {
  const three = layoutGraph(stack(3), { width: 848 });
  assert.equal(rows(three).length, 1);
  assert.equal(rows(layoutGraph(stack(60))).length, 1);
});

test("a long chain wraps into rows that fit its viewport, in reading order, without overlaps", () => {
  const graph = stack(60); // sin, cos, tanh * 20: 121 nodes
  const target = { width: 848, maxHeight: ZOOM.maxHeight };
  const layout = layoutGraph(graph, target);
  assertNoOverlap(layout);
  assertInside(layout);
  const lines = rows(layout);
  assert.ok(lines.length > 3, `${lines.length} rows`);
  // reading order: row by row, left to right, the chain's own order
  const order = lines.flatMap((ids) => ids.sort((a, b) => layout.nodes.get(a).cx - layout.nodes.get(b).cx));
  assert.deepEqual(
    order,
    graph.nodes.map((n) => n.id),
  );
  // the whole drawing fits the viewport at a scale far better than one row's (5%), and no worse than the shape
  // of the viewport allows
  const fit = Math.min((848 - 2 * ZOOM.margin) / layout.width, (ZOOM.maxHeight - 2 * ZOOM.margin) / layout.height);
  const oneRow = layoutGraph(graph);
  assert.ok(fit > 0.35 && fit > 6 * ((848 - 16) / oneRow.width), `fit ${fit}`);
  // the rows are evened out: the last is not a lone node
  assert.ok(lines[lines.length - 1].length >= lines[0].length / 2, `${lines.map((r) => r.length)}`);
  // the edge from a row's end to the next row's start goes right, down through the gap, left, down, right in
  const [first, second] = lines;
  const from = first[first.length - 1];
  const to = second[0];
  const wrap = layout.edges.find((e) => e.from === from && e.to === to);
  assert.ok(wrap && wrap.points.length === 6);
  const box = layout.nodes.get(from);
  assert.ok(wrap.points[1].x > box.x + box.width, "leaves to the right");
  assert.ok(wrap.points[2].y > box.y + box.height && wrap.points[2].y < layout.nodes.get(to).y, "in the gap");
  assert.ok(wrap.points[3].x < layout.nodes.get(to).x, "comes in from the left");
});

/**
 * Points along an edgePath (M, L and Q commands only): each end, and each quadratic at t = 1/4, 1/2, 3/4.
 * @param {string} d
 */
function pathSamples(d) {
  /** @type {{x: number, y: number}[]} */
  const out = [];
  let at = { x: 0, y: 0 };
  for (const [, op, args] of d.matchAll(/([MLQ])([^MLQ]*)/g)) {
    const n = args.trim().split(/[ ,]+/).map(Number);
    if (op === "Q") {
      const [c, e] = [
        { x: n[0], y: n[1] },
        { x: n[2], y: n[3] },
      ];
      for (const t of [0.25, 0.5, 0.75])
        out.push({
          x: (1 - t) ** 2 * at.x + 2 * (1 - t) * t * c.x + t * t * e.x,
          y: (1 - t) ** 2 * at.y + 2 * (1 - t) * t * c.y + t * t * e.y,
        });
      at = e;
    } else at = { x: n[0], y: n[1] };
    out.push(at);
  }
  return out;
}

test("the way from a row's end to the next row keeps to its rail and gap, its bends rounded", () => {
  const layout = layoutGraph(stack(60), { width: 848, maxHeight: ZOOM.maxHeight });
  const lines = rows(layout);
  const [from, to] = [lines[0][lines[0].length - 1], lines[1][0]];
  const route = layout.edges.find((e) => e.from === from && e.to === to).points;
  const d = edgePath(route);
  assert.match(d, /^M[^MQ]*(L[^MQ]*Q[^MQ]*)+L[^MQ]*$/, d); // straight runs, a rounded bend at each corner
  // the drawn curve, sampled, stays within a few units of the route's lines (what a rounded bend cuts off)
  const distance = (/** @type {{x: number, y: number}} */ p) =>
    Math.min(
      ...route.slice(1).map((q, i) => {
        const a = route[i];
        const [dx, dy] = [q.x - a.x, q.y - a.y];
        const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
        return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
      }),
    );
  const samples = pathSamples(d);
  assert.ok(samples.length > 20);
  for (const p of samples) assert.ok(distance(p) <= 4, `${p.x},${p.y} is ${distance(p)} off the route`);
  // so it crosses no node: every point of it but its two ends is outside every box
  for (const p of samples.slice(1, -1))
    for (const [id, b] of layout.nodes)
      assert.ok(
        !(p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height),
        `${p.x},${p.y} in ${id}`,
      );
  // a route dagre made (not along the axes) is smoothed through its midpoints, and two points are a line
  const bent = [
    { x: 0, y: 0 },
    { x: 10, y: 20 },
    { x: 30, y: 20 },
  ];
  assert.equal(edgePath(bent), "M0.0,0.0Q10.0,20.0 30.0,20.0");
  assert.equal(edgePath(bent.slice(0, 2)), "M0.0,0.0L10.0,20.0");
});

test("a wrapped chain says where a view may end between its rows: under each row, above the next", () => {
  const layout = layoutGraph(stack(60), { width: 848, maxHeight: ZOOM.maxHeight });
  const lines = rows(layout);
  assert.equal(layout.cuts.length, lines.length - 1);
  const bottom = (/** @type {string[]} */ ids) =>
    Math.max(...ids.map((id) => layout.nodes.get(id).y + layout.nodes.get(id).height));
  const top = (/** @type {string[]} */ ids) => Math.min(...ids.map((id) => layout.nodes.get(id).y));
  layout.cuts.forEach((cut, r) => {
    // under the row, and under the edge that runs back to the next row's start
    assert.ok(cut > bottom(lines[r]), `cut ${r}`);
    const [from, to] = [lines[r][lines[r].length - 1], lines[r + 1][0]];
    assert.ok(cut > layout.edges.find((e) => e.from === from && e.to === to).points[2].y, `way on ${r}`);
    // a view's margin under the cut and the pixel it is rounded up by, at the smallest first view's scale
    // (presenter's 0.6), stay above the next row: a view ending there draws none of it
    assert.ok(cut + (ZOOM.margin + 1) / 0.6 < top(lines[r + 1]), `next row ${r}`);
  });
  assert.deepEqual(layoutGraph(stack(3), { width: 848 }).cuts, []); // one row
  assert.deepEqual(layoutGraph(diamondGraph(), { width: 848 }).cuts, []); // not a chain
});

test("when no number of rows is comfortable, the row width is the largest scale's that fits both ways", () => {
  const boxes = Array.from({ length: 121 }, (_, i) => ({ width: i % 2 ? 84 : 116, height: 96 }));
  const target = { width: 848, maxHeight: 520 };
  const room = chooseRowWidth(boxes, target);
  const fitScale = (/** @type {number} */ w) => {
    const starts = wrapRows(
      boxes.map((b) => b.width),
      w,
    );
    const height = starts.length * 96 + (starts.length - 1) * SIZES.rowGap + 2 * SIZES.padding;
    return Math.min(832 / (w + 2 * SIZES.padding + 2 * SIZES.rail), 504 / height);
  };
  for (const other of [room * 0.7, room * 0.85, room * 1.2, room * 1.5])
    assert.ok(fitScale(room) >= fitScale(other) - 0.01, `${room} vs ${other}`);
  // a viewport twice as tall: fewer rows are wider, and the scale is larger
  assert.ok(chooseRowWidth(boxes, { width: 848, maxHeight: 1040 }) < room);
  // a chain that fits comfortably in fewer rows does not wrap further to grow (3 blocks in one row at 848 px)
  const short = boxes.slice(0, 7);
  assert.equal(
    wrapRows(
      short.map((b) => b.width),
      chooseRowWidth(short, target),
    ).length,
    1,
  );
  // presenter mode aims higher: its rows are narrower in user units
  const ten = boxes.slice(0, 21);
  assert.ok(
    chooseRowWidth(ten, { width: 1200, comfortable: 1.2, natural: 2 }) < chooseRowWidth(ten, { width: 1200 }),
  );
});
