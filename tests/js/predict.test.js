import assert from "node:assert/strict";
import { test } from "node:test";
import { isClose, judge, parseGuess, predictTarget } from "../../js/predict.js";
import { normalizeGraph } from "../../js/state.js";
import { chainWithCards, tanhPowDiv } from "./fixtures.js";

test("isClose is Python's math.isclose with rel_tol=1e-2, abs_tol=1e-9", () => {
  assert.ok(isClose(3.297, 3.297442541400256));
  assert.ok(isClose(3.27, 3.297442541400256)); // within 1%
  assert.ok(!isClose(3.2, 3.297442541400256)); // 3% off
  assert.ok(isClose(3.33, 3.297442541400256)); // relative to the larger of the two
  assert.ok(isClose(1e-10, 0)); // the absolute tolerance near zero
  assert.ok(!isClose(1e-8, 0));
  assert.ok(!isClose(-3.297, 3.297));
  assert.ok(!isClose(NaN, NaN));
  assert.ok(isClose(Infinity, Infinity));
  assert.ok(!isClose(1e308, Infinity));
});

test("parseGuess reads what people type", () => {
  assert.equal(parseGuess("3.297"), 3.297);
  assert.equal(parseGuess(" \u22120.75 "), -0.75);
  assert.equal(parseGuess("1e-3"), 0.001);
  assert.equal(parseGuess("0,5"), 0.5);
  assert.equal(parseGuess("3/4"), 0.75);
  assert.ok(Number.isNaN(parseGuess("")));
  assert.ok(Number.isNaN(parseGuess("abc")));
});

test("predictTarget asks for the next step's first gx; judge says right or wrong", () => {
  const graph = normalizeGraph(chainWithCards());
  const target = predictTarget(graph, 2);
  assert.deepEqual(target, { name: "Square", input: "x", expected: 3.297442541400256, isArray: false });
  assert.equal(judge("3.297", target?.expected ?? null), "right");
  assert.equal(judge("3.1", target?.expected ?? null), "wrong");
  assert.equal(judge("three", target?.expected ?? null), "invalid");
  assert.equal(predictTarget(graph, 3), null); // every step done
  const div = predictTarget(normalizeGraph(tanhPowDiv()), 2);
  assert.equal(div?.name, "Div");
  assert.equal(div?.input, "x0");
});
