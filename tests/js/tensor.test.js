import { test } from "node:test";
import assert from "node:assert/strict";
import { cardContent, cardMath } from "../../js/card.js";
import { checkRows } from "../../js/checks.js";
import { hubInputs, layoutGraph, nodeSize } from "../../js/layout.js";
import { mathMarkup } from "../../js/mathml.js";
import { normalizeGraph } from "../../js/state.js";
import {
  expandedRows,
  fillArrayRule,
  firstValues,
  matrixCells,
  shapeText,
  tensorBox,
  tensorKind,
} from "../../js/tensor.js";
import { picture, python } from "./fixtures.js";

/** The card's text lines at step k, as the page writes them. */
function lines(name, k, lang = "en") {
  const content = cardContent(normalizeGraph(picture(name)), k, lang);
  return content.kind === "none" ? [content.text] : content.inputs.flatMap((input) => input.lines);
}

test("a small array is written out, a large one summed up: by its shape", () => {
  assert.equal(tensorKind([]), "scalar");
  assert.equal(tensorKind([4]), "small");
  assert.equal(tensorKind([4, 4]), "small");
  assert.equal(tensorKind([5]), "large");
  assert.equal(tensorKind([100, 1]), "large");
  assert.equal(tensorKind([2, 2, 2]), "large");
  assert.equal(shapeText([100, 1]), "100\u00d71");
  assert.deepEqual(
    matrixCells(
      [
        [0.5, -1],
        [0.25, 2],
      ],
      [2, 2],
    ),
    [
      ["0.5", "\u22121"],
      ["0.25", "2"],
    ],
  );
  assert.deepEqual(matrixCells([0.1, -0.2], [2]), [["0.1", "\u22120.2"]]);
  assert.equal(firstValues([[0.54881], [0.71519], [0.60276], [0.5449]]), "0.5488, 0.7152, 0.6028, \u2026");
});

test("a tensor's node has room for every row of its value and its grad", () => {
  const small = nodeSize({ id: "v0", kind: "variable", label: "W", shape: [3, 2] });
  const box = tensorBox([3, 2], 0);
  assert.equal(box.valueRows.length, 3);
  assert.equal(box.gradRows.length, 3);
  assert.ok(box.gradTop > box.valueRows[2] && box.gradBottom > box.gradRows[2]);
  assert.equal(small.height, box.height);
  const large = tensorBox([100, 1], 0);
  assert.ok(large.button && large.button.y >= large.gradBottom, "the 'all N' button under the grad");
  const scalar = nodeSize({ id: "v0", kind: "variable", label: "y", shape: [] });
  assert.deepEqual(scalar, { width: 116, height: 96 }, "a scalar as before");
});

test("every value of a large array, row by row with its index, at most EXPANDED_MAX", () => {
  const value = Array.from({ length: 100 }, (_, i) => [i / 100]);
  const rows = expandedRows(value, [100, 1]);
  assert.equal(rows.rows.length, 100);
  assert.deepEqual(rows.rows[3], { index: "3", cells: ["0.03"] });
  assert.equal(rows.shown, 100);
  const cut = expandedRows(
    Array.from({ length: 5 }, (_, i) => i),
    [3, 4],
  ); // a row carrying its first 5 only
  assert.equal(cut.shown, 5);
  assert.equal(cut.rows.length, 2);
  assert.equal(cut.rows[1].index, "1");
});

test("the array cards are Python's w.card, line for line, at every step and in Korean", () => {
  const cards = python("tensor").cards;
  for (const lang of ["en", "ko"])
    cards[lang].forEach((/** @type {string} */ card, /** @type {number} */ k) =>
      assert.deepEqual(lines("tensor", k, lang), card.split("\n"), `step ${k} (${lang})`),
    );
});

test("matmul's card: gx0 = gy·Wᵀ with today's matrices; the add after a broadcast sums back with sum_to", () => {
  const graph = normalizeGraph(picture("tensor"));
  const matmul = cardContent(graph, 3, "en");
  assert.equal(matmul.kind, "step");
  const [gx] = /** @type {any} */ (matmul).inputs;
  assert.equal(gx.lines[1], "shapes: gy (2, 2), W (3, 2) \u2192 gx0 (2, 3)");
  const markup = mathMarkup(cardMath(gx));
  assert.ok(markup.includes("<msup><mi>W</mi><mi>T</mi></msup>"), markup);
  assert.ok(
    markup.includes("<mtable><mtr><mtd><mn>0.5</mn></mtd><mtd><mn>\u22121</mn></mtd></mtr>"),
    "W as a matrix",
  );
  const add = /** @type {any} */ (cardContent(graph, 2, "en")).inputs[1];
  assert.deepEqual(add.sumTo, [2]);
  assert.ok(mathMarkup(cardMath(add)).includes("<mi>sum_to</mi>"));
  assert.equal(
    fillArrayRule(
      "gy\u00b7{x1}\u1d40",
      0,
      ["x", "W"],
      [
        [2, 3],
        [3, 2],
      ],
    ),
    "gy\u00b7W\u1d40",
  );
});

test("a large input's check names the elements Python sampled, with their numbers", () => {
  const rows = checkRows(normalizeGraph(picture("tensorLarge")), "en");
  const sin = rows.find((r) => r.name === "Sin");
  assert.ok(sin);
  const checked = python("tensorLarge").checks[1].inputs[0].checked;
  assert.equal(checked.length, 6);
  assert.equal(sin.sampled, `6 of its 100 elements: ${checked.map((i) => `[${i.join(", ")}]`).join(" ")}`);
  assert.ok(!sin.numerical.includes("NaN"), "only the sampled elements are shown");
  assert.equal(sin.numerical.split(",").length, 6);
  assert.ok(
    checkRows(normalizeGraph(picture("tensor"))).every((r) => r.sampled === ""),
    "small: every element",
  );
});

test("an input that feeds many Functions is laid out apart from its edges, which are drawn straight and light", () => {
  const nodes = [{ id: "x", kind: "variable", label: "x", shape: [] }];
  /** @type {[string, string][]} */
  const edges = [];
  let last = "x";
  for (let k = 0; k < 10; k++) {
    // y_k = y_{k-1} + square(x): each term beside the sum it joins, as step 27's Taylor series
    nodes.push(
      { id: `f${k}`, kind: "function", label: "Square" },
      { id: `t${k}`, kind: "variable", label: `t${k}` },
    );
    nodes.push({ id: `g${k}`, kind: "function", label: "Add" }, { id: `s${k}`, kind: "variable", label: `s${k}` });
    edges.push(["x", `f${k}`], [`f${k}`, `t${k}`], [last, `g${k}`], [`t${k}`, `g${k}`], [`g${k}`, `s${k}`]);
    last = `s${k}`;
  }
  assert.deepEqual([...hubInputs(edges)], ["x"]);
  const layout = layoutGraph(normalizeGraph({ nodes, edges, steps: [] }));
  const hub = layout.edges.filter((e) => e.hub);
  assert.equal(hub.length, 11); // ten Squares, and the first Add
  assert.ok(
    hub.every((e) => e.from === "x" && e.points.length === 2),
    "straight",
  );
  assert.ok(layout.height < layout.width, "terms beside their sums, not fanned out over a tall drawing");
  assert.deepEqual([...hubInputs(edges.slice(0, 25))], [], "five uses: an ordinary input");
});
