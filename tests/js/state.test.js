import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addValues,
  clampStep,
  currentStep,
  describeInputs,
  describeStep,
  describeX,
  entryAt,
  failureKey,
  failures,
  floatArray,
  formatNumber,
  formatValue,
  gradsAtStep,
  graphReader,
  mergeNumbers,
  normalizeGraph,
  parseNumber,
  parseValue,
  sameStructure,
  stepCount,
  wireNumber,
} from "../../js/state.js";
import { LANGS, wordsIn } from "../../js/i18n.js";
import { readTables, rowNumbers } from "../../js/table.js";
import { chainGraph, diamondGraph, fixture } from "./fixtures.js";

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
  const graph = diamondGraph(); // y = square(x) + exp(x) at x = 1: Add, then Square (f0), then Exp (f1)
  assert.deepEqual(
    graph.steps.map((s) => s.function),
    ["f2", "f0", "f1"],
  );
  assert.equal(gradsAtStep(graph, 1).get("v0").grad, null);
  const g2 = gradsAtStep(graph, 2);
  assert.equal(g2.get("v0").grad, 2);
  assert.equal(g2.get("v0").contributions.length, 1);
  const g3 = gradsAtStep(graph, 3);
  assert.equal(g3.get("v0").grad, 2 + Math.E);
  assert.deepEqual(
    g3.get("v0").contributions.map((c) => [c.step, c.from, c.value]),
    [
      [2, "f0", 2],
      [3, "f1", Math.E],
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

test("sameStructure ignores values and steps' numbers, sees ids, labels, rules and edges", () => {
  const a = chainGraph();
  const b = chainGraph();
  b.nodes[0].value = 0.9;
  b.steps[0].gxs = [7];
  assert.ok(sameStructure(a, b));
  b.edges = b.edges.slice(0, -1);
  assert.ok(!sameStructure(a, b));
  const c = chainGraph();
  c.nodes[1].label = "Sin";
  assert.ok(!sameStructure(a, c));
  const d = chainGraph();
  /** @type {any} */ (d.nodes.find((n) => n.kind === "function")).rule = "3 * x**2";
  assert.ok(!sameStructure(a, d));
  // graphs merged from one structure share its edges: the same shape at any numbers, without comparing nodes
  const structure = chainGraph();
  const merged = mergeNumbers(structure, {}, "en");
  assert.equal(merged.edges, structure.edges);
  assert.ok(sameStructure(mergeNumbers(structure, {}, "ko"), merged));
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
  /** @type {any} */ (graph.nodes.find((n) => n.id === "f1")).error = "Exp.forward raised OverflowError";
  graph.steps[2].error = "log of a negative number";
  assert.deepEqual(
    [...failures(graph)],
    [
      ["f1", "Exp.forward raised OverflowError"],
      ["f0", "log of a negative number"],
    ],
  );
  assert.notEqual(failureKey(graph), failureKey(chainGraph()), "a failed node needs room for its message");
  assert.ok(sameStructure(graph, chainGraph()), "a failure is the numbers' part");
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

/** Numbers as the fixtures write them ("nan", "inf" for the non-finite ones) or as the page reads them. */
const num = (v) => (Array.isArray(v) ? v.map(num) : (parseNumber(v) ?? v));

/** The merged picture says what Python says about the same numbers: values, gys, gxs, checks, eps curve. */
function assertPictureIsPythons(merged, py, where) {
  const values = Object.fromEntries(merged.nodes.filter((n) => n.kind === "variable").map((n) => [n.id, n.value]));
  assert.deepEqual(values, num(py.values), `${where}: values`);
  assert.equal(stepCount(merged), py.n_steps, `${where}: steps`);
  py.steps.forEach((step, k) => {
    const got = merged.steps[k];
    assert.equal(got.function, step.function);
    assert.deepEqual([got.gys, got.gxs], [num(step.gys), num(step.gxs)], `${where}: step ${k}`);
    if (got.card && got.card.locals) assert.deepEqual(got.card.locals, num(step.locals), `${where}: locals ${k}`);
  });
  const checks = merged.steps.filter((s) => !s.error).map((s) => s.check);
  assert.deepEqual(
    checks.map((c) => ({ inputs: c.inputs, flagged: c.flagged, error: c.error })),
    py.checks.map((c) => ({ inputs: num(c.inputs.map((i) => ({ ...i }))), flagged: c.flagged, error: c.error })),
    `${where}: checks`,
  );
  const curve = merged.epsCurve;
  if (Object.keys(py.eps_curve).length === 0) assert.deepEqual(curve, {}, `${where}: no eps curve`);
  else assert.deepEqual({ ...curve, errors: curve.errors }, num(py.eps_curve), `${where}: eps curve`);
}

for (const name of [
  "chain",
  "tanhPowDiv",
  "noRuleBroken",
  "diamond",
  "squareExpDiamond",
  "twoLeaves",
  "squareByMul",
]) {
  test(`mergeNumbers reads ${name}'s row by the layout Python declared, bytes or JSON, as Python reads it`, () => {
    const { graph, numbers, numbers_json: json, python: py } = fixture(name);
    const fromBytes = mergeNumbers(graph, numbers);
    assertPictureIsPythons(fromBytes, py, name);
    assert.deepEqual(mergeNumbers(graph, json), fromBytes, "Colab's JSON lists read as the bytes do");
  });
}

test("a table's row at every grid position is what a fresh engine run there gives", () => {
  const { graph, tables, positions } = fixture("chain");
  const [table] = readTables(tables);
  assert.equal(table.xs.length, positions.length);
  assert.ok(table.xs.length >= 201 && table.rows && table.note === null);
  const ulps = (a, b) =>
    a === b || (Number.isNaN(a) && Number.isNaN(b)) ? 0 : Math.abs(a - b) / Math.abs(b) / 2 ** -52;
  positions.forEach((fresh, p) => {
    assert.equal(table.xs[p], fresh.x);
    const merged = mergeNumbers(graph, rowNumbers(table, p));
    const values = merged.nodes.filter((n) => n.kind === "variable").map((n) => n.value);
    // one vectorised numpy pass against scalar runs: equal, or (another CPU's SIMD exp) a few ulps apart
    num(fresh.values).forEach((v, i) => assert.ok(ulps(values[i], v) <= 4, `x = ${fresh.x}: value ${i}`));
    merged.steps.forEach((step, k) => {
      assert.ok(ulps(step.gys[0], num(fresh.gys[k][0])) <= 4, `x = ${fresh.x}: step ${k} gy`);
      assert.ok(ulps(step.gxs[0], num(fresh.gxs[k][0])) <= 4, `x = ${fresh.x}: step ${k} gx`);
      const [backprop, numerical, error, flagged] = num(fresh.checks[k][0]);
      const row = step.check.inputs[0];
      assert.ok(ulps(row.backprop, backprop) <= 4);
      assert.ok(Math.abs(row.numerical - numerical) <= 1e-9 * Math.abs(numerical), `x = ${fresh.x}: numerical`);
      assert.ok(Math.abs(row.error - error) <= 1e-9, `x = ${fresh.x}: check error`);
      assert.equal(row.flagged, flagged);
    });
    assert.equal(stepCount(merged), fresh.n_steps);
    assert.equal(merged.epsCurve.at, fresh.x);
  });
});

test("a learner's table carries each position's failure, and the page shows it there as a live move does", () => {
  const { graph, tables, tables_json: json, positions } = fixture("learner"); // root(x) fails below 0
  const [table] = readTables(tables);
  const [fromJson] = readTables(json);
  assert.deepEqual([...fromJson.xs], [...table.xs]);
  let failedForward = 0;
  let failedBackward = 0;
  positions.forEach((live, p) => {
    const numbers = rowNumbers(table, p);
    assert.deepEqual(numbers.errors, live.errors ?? {}, `x = ${live.x}`);
    const merged = mergeNumbers(graph, numbers);
    assert.deepEqual(mergeNumbers(graph, rowNumbers(fromJson, p)), merged, "JSON rows read as bytes do");
    assert.equal(stepCount(merged), live.n_steps, `x = ${live.x}`);
    if (live.errors?.forward) failedForward += 1;
    else if (live.errors?.backward) failedBackward += 1;
    for (const lang of LANGS) {
      // Python's words about the failure come in every language: the merged picture says them in the page's
      const said = mergeNumbers(graph, numbers, lang);
      const failed = failures(said);
      if (live.errors?.forward) {
        assert.deepEqual([...failed], [[live.errors.forward.function, live.errors.forward.message[lang]]]);
        assert.deepEqual(said.steps, []);
        assert.deepEqual(said.epsCurve, {});
      } else if (live.errors?.backward) {
        const last = said.steps[said.steps.length - 1];
        assert.equal(last.error, live.errors.backward.message[lang]);
        assert.equal(failed.get(live.errors.backward.function), live.errors.backward.message[lang]);
      } else assert.equal(failed.size, 0, `x = ${live.x}`);
    }
  });
  assert.match(wordsIn(positions.find((l) => l.errors?.forward).errors.forward.message, "ko"), /오류가 났습니다/);
  assert.ok(failedForward > 50 && failedBackward > 20, "the fixture fails on both sides of its domain");
});

test("entryAt reads a scalar, an array of any shape, and nothing past the row", () => {
  const row = new Float64Array([1, 2, 3, 4, 5, 6, 7]);
  assert.equal(entryAt(row, { offset: 0, count: 1, shape: [] }, 0), 1);
  assert.deepEqual(entryAt(row, { offset: 1, count: 1, entries: [[1, [2, 3]]] }, 0), [
    [2, 3, 4],
    [5, 6, 7],
  ]);
  assert.equal(entryAt(row, { offset: 6, count: 2, shape: [] }, 1), null, "past the row's end");
  assert.equal(entryAt(row, undefined, 0), null);
  assert.deepEqual([...floatArray([1, "nan", "inf", "-inf", null])], [1, NaN, Infinity, -Infinity, NaN]);
  const odd = new DataView(new Uint8Array(17).buffer, 1, 16); // a buffer not aligned for float64: copied
  assert.equal(floatArray(odd).length, 2);
});

test("mergeNumbers reads missing numbers as null, and graphReader merges again only on a change", () => {
  const { graph, numbers } = fixture("chain");
  const merged = mergeNumbers(graph, undefined);
  assert.ok(merged.nodes.every((n) => n.kind !== "variable" || Number.isNaN(n.value) || n.value === null));
  assert.ok(mergeNumbers({ ...graph, layout: undefined }, numbers).nodes.every((n) => n.value ?? null) === false);
  const state = { graph, numbers };
  const read = graphReader({ get: (/** @type {"graph" | "numbers"} */ name) => state[name] });
  assert.equal(read(), read());
  const before = read();
  state.numbers = fixture("chain").numbers;
  assert.notEqual(read(), before);
  assert.equal(read().nodes[0].value, 0.5);
});
