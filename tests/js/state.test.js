import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addValues,
  clampStep,
  currentStep,
  describeInputs,
  describeStep,
  describeX,
  failures,
  formatNumber,
  formatValue,
  gradsAtStep,
  graphReader,
  mergeNumbers,
  normalizeGraph,
  parseNumber,
  parseValue,
  stepCount,
  structureKey,
  wireNumber,
} from "../../js/state.js";
import { chainWire, chainWithCards, tanhPowDiv, tanhPowDivWire } from "./explain-fixtures.js";
import { chainGraph, diamondGraph } from "./fixtures.js";

test("parseNumber reads JSON numbers and the wire's words for non-finite ones", () => {
  assert.equal(parseNumber(2.5), 2.5);
  assert.equal(parseNumber("inf"), Infinity);
  assert.equal(parseNumber("-inf"), -Infinity);
  assert.ok(Number.isNaN(parseNumber("nan")));
  assert.equal(parseNumber(null), null);
  assert.equal(parseNumber("12"), null);
});

test("formatNumber: 4 significant digits as Python's %g, trimmed, real minus, symbols for non-finite", () => {
  assert.equal(formatNumber(0.5), "0.5");
  assert.equal(formatNumber(1.2840254166877414), "1.284");
  assert.equal(formatNumber(3.297442541400256), "3.297");
  assert.equal(formatNumber(1), "1");
  assert.equal(formatNumber(2.5), "2.5");
  assert.equal(formatNumber(1200), "1200");
  assert.equal(formatNumber(123456), "1.235e5");
  assert.equal(formatNumber(100000), "1e5");
  assert.equal(formatNumber(99999.9), "1e5"); // rounding to 4 digits carries into the exponent
  assert.equal(formatNumber(-0.25), "\u22120.25");
  assert.equal(formatNumber(-0), "\u22120");
  assert.equal(formatNumber(0.0001), "0.0001"); // as %g: plain digits down to 1e-4
  assert.equal(formatNumber(0.00001234), "1.234e\u22125");
  assert.equal(formatNumber(-1.2341e-8), "\u22121.234e\u22128"); // e-notation never has a "+"
  assert.equal(formatNumber(1e-7), "1e\u22127");
  assert.equal(formatNumber("inf"), "\u221e");
  assert.equal(formatNumber("-inf"), "\u2212\u221e");
  assert.equal(formatNumber("nan"), "NaN");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(null), "");
  assert.equal(formatNumber(0.52, 3), "0.52");
});

test("wireNumber keeps full precision for data attributes", () => {
  assert.equal(wireNumber(3.297442541400256), "3.297442541400256");
  assert.equal(wireNumber(-Infinity), "-inf");
  assert.equal(wireNumber(NaN), "nan");
  assert.equal(wireNumber(null), "");
});

test("clampStep keeps step within 0..n_steps", () => {
  assert.equal(clampStep(5, 3), 3);
  assert.equal(clampStep(-1, 3), 0);
  assert.equal(clampStep(2, 3), 2);
  assert.equal(clampStep(undefined, 3), 0);
  assert.equal(clampStep(1, 0), 0);
});

test("at step 0 every grad is pending", () => {
  const grads = gradsAtStep(chainGraph(), 0);
  assert.deepEqual([...grads.keys()], ["v0", "v1", "v2", "v3"]);
  for (const g of grads.values()) assert.equal(g.grad, null);
});

test("chain: grads appear one step at a time, output seeded with 1", () => {
  const graph = chainGraph();
  const g1 = gradsAtStep(graph, 1);
  assert.equal(g1.get("v3").grad, 1);
  assert.equal(g1.get("v2").grad, 2.568050833375483);
  assert.equal(g1.get("v1").grad, null);
  assert.equal(g1.get("v0").grad, null);
  const g3 = gradsAtStep(graph, 3);
  assert.equal(g3.get("v0").grad, 3.297442541400256);
  assert.deepEqual(g3.get("v0").contributions, [{ step: 3, from: "f0", value: 3.297442541400256 }]);
  // Past the end behaves like the end.
  assert.equal(gradsAtStep(graph, 99).get("v0").grad, 3.297442541400256);
});

test("diamond: a variable used twice sums its contributions in step order", () => {
  const graph = diamondGraph();
  assert.equal(gradsAtStep(graph, 1).get("v0").grad, null);
  const g2 = gradsAtStep(graph, 2);
  assert.equal(g2.get("v0").grad, Math.E);
  assert.equal(g2.get("v0").contributions.length, 1);
  const g3 = gradsAtStep(graph, 3);
  assert.equal(g3.get("v0").grad, Math.E + 2);
  assert.deepEqual(
    g3.get("v0").contributions.map((c) => [c.step, c.from, c.value]),
    [
      [2, "f1", Math.E],
      [3, "f0", 2],
    ],
  );
  assert.equal(g3.get("v1").grad, 1);
  assert.equal(g3.get("v2").grad, 1);
});

test("non-finite gxs propagate and a failed step adds nothing", () => {
  const graph = chainGraph();
  graph.steps[0].gxs = ["inf"];
  graph.steps[1] = { ...graph.steps[1], gxs: null, error: "overflow" };
  const g = gradsAtStep(graph, 3);
  assert.equal(g.get("v2").grad, Infinity);
  assert.equal(g.get("v1").grad, null);
});

test("currentStep is steps[k-1]", () => {
  const graph = chainGraph();
  assert.equal(currentStep(graph, 0), null);
  assert.equal(currentStep(graph, 1).function, "f2");
  assert.equal(currentStep(graph, 3).function, "f0");
  assert.equal(currentStep(graph, 4), null);
});

test("describeStep says what the step did", () => {
  const graph = chainGraph();
  assert.equal(describeStep(graph, 0), "Reset: no grads yet.");
  assert.equal(
    describeStep(graph, 2),
    "Step 2 of 3: Exp backward: gy = 2.568 times local derivative gave gx = 3.297 for a.",
  );
  assert.equal(
    describeStep(diamondGraph(), 1),
    "Step 1 of 3: Add backward: gy = 1 times local derivative gave gx = 1 for a and gx = 1 for b.",
  );
  graph.steps[0].error = "log of a negative number";
  assert.equal(describeStep(graph, 1), "Step 1 of 3: Square backward failed: log of a negative number");
});

test("describeX names x and the output", () => {
  assert.equal(describeX(chainGraph(), 0.5), "x = 0.5, y = 1.649");
  assert.equal(describeX(normalizeGraph(null), 0.5), "x = 0.5");
});

test("normalizeGraph tolerates missing pieces", () => {
  assert.deepEqual(normalizeGraph({}), { nodes: [], edges: [], output: null, steps: [] });
  assert.deepEqual(normalizeGraph(undefined).nodes, []);
});

test("structureKey ignores values and steps' numbers, sees ids, labels and edges", () => {
  const a = chainGraph();
  const b = chainGraph();
  b.nodes[0].value = 0.9;
  b.steps[0].gxs = [7];
  assert.equal(structureKey(a), structureKey(b));
  b.edges.pop();
  assert.notEqual(structureKey(a), structureKey(b));
  const c = chainGraph();
  c.nodes[1].label = "Sin";
  assert.notEqual(structureKey(a), structureKey(c));
});

test("array values (a learner's own graph) parse, add, format and go into attributes", () => {
  assert.deepEqual(parseValue([1, "inf", [2, "nan"]]), [1, Infinity, [2, NaN]]);
  assert.equal(parseValue([1, "junk"]), null);
  assert.deepEqual(addValues([1, 2], [3, 4]), [4, 6]);
  assert.deepEqual(addValues(1, [1, 2]), [2, 3]);
  assert.ok(Number.isNaN(addValues([1, 2], [1, 2, 3])));
  assert.equal(formatValue([1, -2.5, 3, 4]), "[1, \u22122.5, 3, \u2026]");
  assert.equal(
    formatValue([
      [1, 2],
      [3, 4],
    ]),
    "[[1, 2], [3, 4]]",
  );
  assert.equal(formatValue(0.5), "0.5");
  assert.equal(wireNumber([1, Infinity]), '[1,"inf"]');
  const graph = chainGraph();
  graph.steps[0].gxs = [[1, 2]];
  graph.steps.push({ function: "f9", gys: [], gxs: [[3, 4]], inputs: ["v2"], outputs: [], error: null });
  assert.deepEqual(gradsAtStep(graph, 4).get("v2").grad, [4, 6]);
});

test("failures gathers forward errors on nodes and backward errors on steps, whatever the step", () => {
  const graph = chainGraph();
  graph.nodes[3].error = "Exp.forward raised OverflowError";
  graph.steps[2].error = "log of a negative number";
  assert.deepEqual(
    [...failures(graph)],
    [
      ["f1", "Exp.forward raised OverflowError"],
      ["f0", "log of a negative number"],
    ],
  );
  assert.notEqual(structureKey(graph), structureKey(chainGraph()), "a failed node needs room for its message");
});

test("describeInputs names every slider, then the output", () => {
  const graph = diamondGraph();
  assert.equal(
    describeInputs(graph, [
      ["x0", 1],
      ["x1", -2],
    ]),
    "x0 = 1, x1 = \u22122, y = 3.718",
  );
});

test("a failed backward step shows on its node but is not counted as a step to take", () => {
  const graph = {
    nodes: [],
    edges: [],
    steps: [
      { function: "f2", gys: [1], gxs: [2], inputs: ["v2"], outputs: ["v3"], error: null },
      { function: "f1", gys: [2], gxs: [], inputs: ["v1"], outputs: ["v2"], error: "Exp.backward returned None" },
    ],
  };
  assert.equal(stepCount(/** @type {any} */ (graph)), 1);
  assert.equal(stepCount(/** @type {any} */ ({ ...graph, steps: graph.steps.slice(0, 1) })), 1);
  assert.equal(stepCount(/** @type {any} */ ({ ...graph, steps: [] })), 0);
});

test("mergeNumbers puts each update's numbers into the graph's shape, as the drawing reads them", () => {
  assert.deepEqual(mergeNumbers(chainWire().graph, chainWire().numbers), chainWithCards());
  assert.deepEqual(mergeNumbers(tanhPowDivWire().graph, tanhPowDivWire().numbers), tanhPowDiv());
});

test("mergeNumbers reads float64 buffers, a failed step and a check that could not run", () => {
  const { graph } = chainWire();
  const shape = {
    ...graph,
    steps: graph.steps.map((s, i) => (i === 2 ? { ...s, error: "Square.backward raised" } : s)),
  };
  const buffer = (/** @type {number[]} */ values) => new DataView(new Float64Array(values).buffer);
  const merged = mergeNumbers(shape, {
    values: buffer([0.5, 0.25, NaN, Infinity]),
    gys: buffer([1, 2, 3]),
    gxs: buffer([4, 5]),
    locals: buffer([6, 7]),
    numerical: buffer([4, 5]),
    errors: buffer([0, 0.5]),
    flagged: buffer([0, 1]),
    check_errors: { 0: "ValueError: no" },
  });
  assert.deepEqual(
    merged.nodes.filter((n) => n.kind === "variable").map((n) => n.value),
    [0.5, 0.25, NaN, Infinity],
  );
  assert.deepEqual(merged.steps[0].check, { error: "ValueError: no", inputs: [], flagged: false });
  const second = /** @type {any} */ (merged.steps[1]);
  assert.deepEqual([second.gys, second.gxs, second.card.locals, second.card.names.x], [[2], [5], [7], 0.25]);
  assert.deepEqual(second.check.inputs, [{ backprop: 5, numerical: 5, error: 0.5, flagged: true }]);
  assert.equal(second.check.flagged, true);
  assert.deepEqual([merged.steps[2].gys, merged.steps[2].gxs], [[3], []]); // failed: its gys, no gxs
});

test("mergeNumbers reads missing numbers as null, and graphReader merges again only on a change", () => {
  const merged = mergeNumbers(chainWire().graph, undefined);
  assert.ok(merged.nodes.every((n) => n.kind !== "variable" || n.value === null));
  const state = { graph: chainWire().graph, numbers: chainWire().numbers };
  const read = graphReader({ get: (/** @type {"graph" | "numbers"} */ name) => state[name] });
  assert.equal(read(), read());
  const before = read();
  state.numbers = { ...state.numbers, values: [1, 1, Math.E, Math.E ** 2] };
  assert.notEqual(read(), before);
  assert.equal(read().nodes[0].value, 1);
});
