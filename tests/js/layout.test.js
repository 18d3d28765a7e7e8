import assert from "node:assert/strict";
import { test } from "node:test";
import {
  borderPoint,
  DAGRE_MAX_NODES,
  isChain,
  layeredPlacement,
  layoutGraph,
  nodeSize,
  ruleText,
  SIZES,
  shorten,
  wrapText,
} from "../../js/layout.js";
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

test("rules read as the card writes them: 2·x, 1 − y^2, c·x^(c − 1)", () => {
  assert.equal(ruleText("2 * x"), "2\u00b7x");
  assert.equal(ruleText("1 - y**2"), "1 \u2212 y^2");
  assert.equal(ruleText("c * x ** (c - 1)"), "c\u00b7x^(c \u2212 1)");
  assert.equal(ruleText(["x1", "-x0 / x1**2"]), "x1, \u2212x0 / x1^2");
  assert.equal(ruleText(null), "");
});
