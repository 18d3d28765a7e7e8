import assert from "node:assert/strict";
import { test } from "node:test";
import { layoutGraph, SIZES } from "../../js/layout.js";
import { CONTRIBUTION } from "../../js/contributions.js";
import { squareByMul, squareExpDiamond, twoLeaves } from "./fixtures.js";
import { assertNoOverlap } from "./layout-asserts.js";

/** Do segments p1-p2 and q1-q2 cross (touching at an end does not count)? */
function segmentsCross(p1, p2, q1, q2) {
  const d = (a, b, c) => (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  const d1 = d(q1, q2, p1);
  const d2 = d(q1, q2, p2);
  const d3 = d(p1, p2, q1);
  const d4 = d(p1, p2, q2);
  return d1 * d2 < -1e-9 && d3 * d4 < -1e-9;
}

/** Edges that cross each other (not counting edges that share an end node). */
function crossings(layout) {
  let count = 0;
  const es = layout.edges;
  for (let i = 0; i < es.length; i++) {
    for (let j = i + 1; j < es.length; j++) {
      const a = es[i];
      const b = es[j];
      if (a.from === b.from || a.to === b.to || a.from === b.to || a.to === b.from) continue;
      let crossed = false;
      for (let s = 0; s + 1 < a.points.length && !crossed; s++)
        for (let t = 0; t + 1 < b.points.length && !crossed; t++)
          crossed = segmentsCross(a.points[s], a.points[s + 1], b.points[t], b.points[t + 1]);
      if (crossed) count++;
    }
  }
  return count;
}

/** Edges that pass through a node's drawn box other than their own ends. */
function edgesThroughBoxes(layout) {
  const hits = [];
  for (const e of layout.edges) {
    for (const [id, box] of layout.nodes) {
      if (id === e.from || id === e.to) continue;
      const r = box.shape;
      const inside = (p) => p.x > r.x + 1 && p.x < r.x + r.width - 1 && p.y > r.y + 1 && p.y < r.y + r.height - 1;
      // sample every segment: a straight run can cross a box between its bends
      const through = e.points.slice(1).some((q, s) => {
        const p = e.points[s];
        for (let t = 0; t <= 20; t++)
          if (inside({ x: p.x + ((q.x - p.x) * t) / 20, y: p.y + ((q.y - p.y) * t) / 20 })) return true;
        return false;
      });
      if (through) hits.push(`${e.from}->${e.to} through ${id}`);
    }
  }
  return hits;
}

for (const [name, make] of [
  ["square/exp diamond", squareExpDiamond],
  ["z = x*y + sin(x)", twoLeaves],
  ["x * x", squareByMul],
]) {
  test(`${name}: no overlaps, no crossings, edges go left to right and avoid other boxes`, () => {
    const graph = make();
    const layout = layoutGraph(graph);
    assert.equal(layout.nodes.size, graph.nodes.length);
    assertNoOverlap(layout);
    for (const [a, b] of graph.edges) assert.ok(layout.nodes.get(a).cx < layout.nodes.get(b).cx, `${a} -> ${b}`);
    assert.equal(crossings(layout), 0);
    assert.deepEqual(edgesThroughBoxes(layout), []);
    for (const [id, b] of layout.nodes) {
      assert.ok(b.x >= 0 && b.y >= 0, `${id} starts inside`);
      assert.ok(b.x + b.width <= layout.width + 1e-9 && b.y + b.height <= layout.height + 1e-9, `${id} inside`);
    }
  });
}

test("diamond: the two branches from a share a rank, one above the other, and a has room for two rows", () => {
  const layout = layoutGraph(squareExpDiamond());
  const [f1, f2] = ["f1", "f2"].map((id) => layout.nodes.get(id));
  assert.equal(f1.cx, f2.cx);
  assert.ok(Math.abs(f1.cy - f2.cy) >= SIZES.functionBox);
  const a = layout.nodes.get("v1");
  assert.equal(a.height, CONTRIBUTION.top + 2 * CONTRIBUTION.rowHeight + 6);
  assert.equal(layout.nodes.get("v0").height, SIZES.variableHeight, "x is used once: a plain node");
});

test("two leaves: both inputs sit in the first column; x (used twice) is taller than y", () => {
  const layout = layoutGraph(twoLeaves());
  const x = layout.nodes.get("v0");
  const y = layout.nodes.get("v1");
  assert.equal(x.cx, y.cx);
  assert.ok(x.height > y.height);
  for (const id of ["f0", "f1", "f2", "v2", "v3", "v4"]) assert.ok(layout.nodes.get(id).cx > x.cx);
});

test("x * x: the duplicate edge is drawn twice on one route, x lists two rows", () => {
  const layout = layoutGraph(squareByMul());
  assert.equal(layout.edges.length, 3);
  assert.equal(layout.nodes.get("v0").height, CONTRIBUTION.top + 2 * CONTRIBUTION.rowHeight + 6);
});
