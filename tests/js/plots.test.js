import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decades,
  epsPoints,
  interpolate,
  linePath,
  linearScale,
  logScale,
  niceTicks,
  plotRange,
  tickLabel,
  robustRange,
  tangentSegment,
} from "../../js/plots.js";
import { exactPoint } from "../../js/explain.js";
import { normalizeGraph, numberArray } from "../../js/state.js";
import { chainWithCards } from "./fixtures.js";

const near = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("linear and log scales map ends to ends, and flip for SVG's downward y", () => {
  const sx = linearScale([-2, 2], [58, 446]);
  near(sx(-2), 58);
  near(sx(2), 446);
  near(sx(0), 252);
  const sy = linearScale([0, 10], [150, 10]);
  near(sy(0), 150);
  near(sy(10), 10);
  near(linearScale([1, 1], [0, 100])(1), 50); // a zero-width domain draws in the middle
  // eps shrinking to the right: 1e-1 at the left end, 1e-12 at the right, decades evenly spaced
  const se = logScale([1e-1, 1e-12], [0, 110]);
  near(se(1e-1), 0);
  near(se(1e-12), 110);
  near(se(1e-4), 30);
});

test("robustRange ignores a pole and non-finite values, keeps the current point, pads", () => {
  const xs = Array.from({ length: 201 }, (_, i) => -2 + i * 0.02);
  const inv = xs.map((x) => (Math.abs(x) < 1e-12 ? "inf" : 1 / x));
  const [lo, hi] = robustRange(inv);
  assert.ok(lo > -60 && hi < 60, `${lo}..${hi}`); // not squashed by 1/0.02 = 50 and beyond
  assert.ok(lo < -0.5 && hi > 0.5);
  const [a, b] = robustRange([1, 2, 3], [10]);
  assert.ok(b >= 10 && a < 1);
  assert.deepEqual(robustRange([]), [-1, 1]);
  const [c0, c1] = robustRange([5, 5, 5]); // a constant function
  assert.ok(c0 < 5 && c1 > 5);
});

test("niceTicks are round and inside the range; decades cover it", () => {
  assert.deepEqual(niceTicks(-2, 2, 4), [-2, -1, 0, 1, 2]);
  assert.deepEqual(niceTicks(0, 1, 4), [0, 0.5, 1]);
  assert.deepEqual(niceTicks(0, 1, 6), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0.3, 2980, 3), [1000, 2000]);
  assert.deepEqual(niceTicks(1, 1), []);
  assert.deepEqual(decades(3e-11, 0.09), [-11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1]);
});

test("linePath breaks at non-finite values and clamps wild ones", () => {
  const s = (v) => v;
  assert.equal(linePath([0, 1, 2, 3], [0, 1, "nan", 3], s, s), "M0.0,0.0L1.0,1.0M3.0,3.0");
  assert.equal(linePath([0, 1], [0, 1e300], s, s), "M0.0,0.0L1.0,10000.0");
  assert.equal(linePath([], [], s, s), "");
});

test("interpolate reads a curve between grid points and holds its ends", () => {
  near(interpolate([0, 1, 2], [0, 10, 40], 1.5), 25);
  near(interpolate([0, 1, 2], [0, 10, 40], -1), 0);
  near(interpolate([0, 1, 2], [0, 10, 40], 5), 40);
  assert.ok(Number.isNaN(interpolate([], [], 1)));
});

test("the tangent passes through the point with the given slope", () => {
  const [[x1, y1], [x2, y2]] = tangentSegment(0.5, 1.6487, 3.2974, 0.5);
  near(x1, 0);
  near(x2, 1);
  near((y2 - y1) / (x2 - x1), 3.2974);
  near((y1 + y2) / 2, 1.6487);
});

test("eps points: exact zeros sit on the floor, the range covers whole decades", () => {
  const { points, floor, top } = epsPoints({
    eps: [0.1, 0.01, 0.001, 1e-4],
    errors: [0.089, 0.00088, 0, 8.8e-8],
  });
  assert.equal(points.length, 4);
  assert.equal(floor, 1e-9);
  assert.equal(top, 1);
  assert.deepEqual(points[2], { eps: 0.001, error: 1e-9, exact: true });
  assert.equal(epsPoints({}).points.length, 0);
});

test("exactPoint: f(x) and dy/dx from the graph only when the graph is for this x", () => {
  const graph = normalizeGraph(chainWithCards());
  const { y, slope } = exactPoint(graph, "x", 0.5);
  near(/** @type {number} */ (y), 1.648721270700128);
  near(/** @type {number} */ (slope), 3.297442541400256);
  assert.deepEqual(exactPoint(graph, "x", 0.6), { y: null, slope: null });
});

test("plotRange keeps the middle of the slider readable when the ends shoot up", () => {
  const xs = Array.from({ length: 201 }, (_, i) => -2 + i * 0.02);
  const chain = xs.map((x) => Math.exp(x * x) ** 2); // 1 at 0, 2981 at ±2
  const [lo, hi] = plotRange(xs, chain, [Math.exp(0.25) ** 2]);
  assert.ok(lo < 1 && hi < 10, `${lo}..${hi}`); // the middle half: exp(1)^2 = 7.4 at ±1
  const sin = xs.map(Math.sin); // no blow-up: the whole curve
  const [s0, s1] = plotRange(xs, sin);
  assert.ok(s0 < -0.9 && s1 > 0.9);
  const [c0, c1] = plotRange(xs, chain, [2981]); // the slider at the end: still inside
  assert.ok(c1 >= 2981 && c0 < 1);
});

test("tick labels: plain digits where short", () => {
  assert.equal(tickLabel(2000), "2000");
  assert.equal(tickLabel(-0.5), "\u22120.5");
  assert.equal(tickLabel(0), "0");
  assert.equal(tickLabel(1.5e6), "1.5e6");
  assert.equal(tickLabel(0.30000000000000004), "0.3");
});

test("curves arrive as float64 buffers (DataView) or plain lists, non-finite values included", () => {
  const values = new Float64Array([0.5, -1.25, Infinity, NaN]);
  const view = new DataView(values.buffer);
  const got = numberArray(view);
  assert.deepEqual(got.slice(0, 3), [0.5, -1.25, Infinity]);
  assert.ok(Number.isNaN(got[3]));
  const offset = new DataView(new Float64Array([9, 1.5, 2.5]).buffer, 8, 16);
  assert.deepEqual(numberArray(offset), [1.5, 2.5]);
  assert.deepEqual(numberArray([1, "inf", "-inf"]), [1, "inf", "-inf"]);
  assert.deepEqual(numberArray(undefined), []);
});
