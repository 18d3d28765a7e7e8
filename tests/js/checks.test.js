import assert from "node:assert/strict";
import { test } from "node:test";
import { EPS_CHOICES, checkCounts, checkRows, flaggedFunctions } from "../../js/checks.js";
import { normalizeGraph } from "../../js/state.js";
import { chainWithCards, noRuleBroken, tanhPowDiv } from "./fixtures.js";

test("the check table has a row per input of every Function, backprop beside numerical", () => {
  const rows = checkRows(normalizeGraph(chainWithCards()));
  assert.deepEqual(
    rows.map((r) => [r.name, r.input, r.backprop, r.numerical, r.flagged]),
    [
      ["Square", "b", "2.568050833", "2.568050833", false],
      ["Exp", "a", "3.297442541", "3.297442547", false],
      ["Square", "x", "3.297442541", "3.297442541", false],
    ],
  );
  assert.equal(rows[1].error, "1.7e\u22129");
  assert.equal(checkRows(normalizeGraph(tanhPowDiv())).length, 4); // Div has two inputs
});

test("a wrong backward is flagged on its node, and only there", () => {
  const graph = normalizeGraph(noRuleBroken());
  assert.deepEqual([...flaggedFunctions(graph)], [["f1", "BadExp"]]);
  assert.equal(flaggedFunctions(normalizeGraph(chainWithCards())).size, 0);
});

test("eps choices are the error curve's decades, 1e-1 ... 1e-12", () => {
  assert.equal(EPS_CHOICES.length, 12);
  assert.equal(EPS_CHOICES[0], 0.1);
  assert.equal(EPS_CHOICES[3], 1e-4);
  assert.equal(EPS_CHOICES[11], 1e-12);
});

test("the summary's counts are the table's: Functions checked, and those flagged", () => {
  for (const graph of [chainWithCards(), tanhPowDiv(), noRuleBroken()].map(normalizeGraph)) {
    const rows = checkRows(graph);
    assert.deepEqual(checkCounts(graph), {
      checked: new Set(rows.map((r) => r.function)).size,
      bad: new Set(rows.filter((r) => r.flagged).map((r) => r.function)).size,
    });
  }
  assert.deepEqual(checkCounts(normalizeGraph(noRuleBroken())), { checked: 2, bad: 1 });
});
