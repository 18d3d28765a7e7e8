import assert from "node:assert/strict";
import { test } from "node:test";
import { contributionRows, multiUses, rowText, rowsWidth, sumText } from "../../js/contributions.js";
import { gradsAtStep } from "../../js/state.js";
import { chainGraph, squareByMul, squareExpDiamond, twoLeaves } from "./fixtures.js";

test("multiUses lists only variables that feed more than one Function slot", () => {
  assert.deepEqual([...multiUses(chainGraph())], []);
  assert.deepEqual([...multiUses(squareExpDiamond())], [["v1", ["f1", "f2"]]]);
  assert.deepEqual([...multiUses(twoLeaves())], [["v0", ["f0", "f1"]]]);
  assert.deepEqual([...multiUses(squareByMul())], [["v0", ["f0", "f0"]]]);
});

test("diamond: a's two grads arrive one step at a time, and the sum is their running total", () => {
  const graph = squareExpDiamond();
  const at = (k) => contributionRows(graph, k).get("v1");
  assert.deepEqual(
    at(1).map((r) => [r.from, r.step, r.arrived]),
    [
      ["f1", 2, false],
      ["f2", 3, false],
    ],
  );
  assert.deepEqual(at(1).map(rowText), ["\u2026 \u2190 Square \u00b7 step 2", "\u2026 \u2190 Exp \u00b7 step 3"]);
  assert.deepEqual(at(2).map(rowText), ["+8 \u2190 Square \u00b7 step 2", "\u2026 \u2190 Exp \u00b7 step 3"]);
  assert.deepEqual(at(3).map(rowText), ["+8 \u2190 Square \u00b7 step 2", "+54.6 \u2190 Exp \u00b7 step 3"]);
  assert.equal(sumText(at(3)), "8 from Square at step 2, 54.6 from Exp at step 3");
  assert.equal(gradsAtStep(graph, 3).get("v1").grad, 8 + 54.598150033144236);
  assert.equal(gradsAtStep(graph, 2).get("v1").grad, 8);
});

test("two leaves: x gets one grad from Mul and one from Sin; y (used once) has no rows", () => {
  const rows = contributionRows(twoLeaves(), 3);
  assert.deepEqual([...rows.keys()], ["v0"]);
  assert.deepEqual(rows.get("v0").map(rowText), [
    "+2 \u2190 Mul \u00b7 step 2",
    "+0.5403 \u2190 Sin \u00b7 step 3",
  ]);
});

test("x * x: both grads come from the same Mul in the same step", () => {
  const rows = contributionRows(squareByMul(), 1).get("v0");
  assert.deepEqual(rows.map(rowText), ["+3 \u2190 Mul \u00b7 step 1", "+3 \u2190 Mul \u00b7 step 1"]);
});

test("a use that no step reaches (backward failed first) keeps a pending row without a step", () => {
  const graph = squareExpDiamond();
  graph.steps = graph.steps.slice(0, 2);
  graph.steps[1] = { ...graph.steps[1], gxs: null, error: "boom" };
  const rows = contributionRows(graph, 2).get("v1");
  assert.deepEqual(rows.map(rowText), ["\u2026 \u2190 Square \u00b7 step 2", "\u2026 \u2190 Exp"]);
});

test("negative grads are shown with their own sign, long names shortened, width grows with the name", () => {
  const row = { from: "f", fromLabel: "AVeryLongFunctionName", step: 4, arrived: true, value: -1.5 };
  assert.equal(rowText(row), "\u22121.5 \u2190 AVeryLongFu\u2026 \u00b7 step 4");
  assert.ok(rowsWidth(["Exp"]) < rowsWidth(["Square"]));
  assert.equal(rowsWidth(["AVeryLongFunctionName"]), rowsWidth(["AVeryLongFunc"]));
});
