import assert from "node:assert/strict";
import { test } from "node:test";
import { cardContent, cardMath } from "../../js/card.js";
import { mathMarkup } from "../../js/mathml.js";
import { normalizeGraph } from "../../js/state.js";
import {
  chainWithCards,
  chainWithCardsCards,
  noRuleBroken,
  noRuleBrokenCards,
  tanhPowDiv,
  tanhPowDivCards,
} from "./fixtures.js";

/** The card's text lines at step k, as the page writes them. */
function cardLines(graph, k, lang) {
  const content = cardContent(normalizeGraph(graph), k, lang);
  return content.kind === "none" ? [content.text] : content.inputs.flatMap((input) => input.lines);
}

test("the card at step 3 of the book's chain fills in today's numbers", () => {
  const content = cardContent(normalizeGraph(chainWithCards()), 3, "en");
  assert.equal(content.kind, "step");
  if (content.kind !== "step") return;
  assert.equal(content.title, "Step 3 of 3: Square backward");
  const [input] = content.inputs;
  assert.equal(input.lines[0], "Square: gx = 2\u00b7x\u00b7gy = 2 \u00d7 0.5 \u00d7 3.297 = 3.297 \u2192 x.grad");
  assert.equal(input.lines[1], "upstream \u00d7 local derivative = downstream: 3.297 \u00d7 1 = 3.297");
  assert.ok(input.lines[0].includes("2 \u00d7 0.5 \u00d7 3.297"));
  assert.equal(
    mathMarkup(cardMath(input)),
    "<mtable>" +
      "<mtr><mtd><mi>gx</mi></mtd><mtd><mo>=</mo></mtd>" +
      "<mtd><mrow><mrow><mn>2</mn><mo>\u00b7</mo><mi>x</mi></mrow><mo>\u00b7</mo><mi>gy</mi></mrow></mtd></mtr>" +
      "<mtr><mtd></mtd><mtd><mo>=</mo></mtd>" +
      "<mtd><mrow><mrow><mn>2</mn><mo>\u00d7</mo><mn>0.5</mn></mrow><mo>\u00d7</mo><mn>3.297</mn></mrow></mtd></mtr>" +
      "<mtr><mtd></mtd><mtd><mo>=</mo></mtd><mtd><mrow><mrow><mn>3.297</mn></mrow></mrow></mtd></mtr>" +
      "</mtable>",
  );
});

test("the page's card says what Python's w.card says, at every step, in both languages", () => {
  for (const [graph, cards] of [
    [chainWithCards(), chainWithCardsCards],
    [tanhPowDiv(), tanhPowDivCards],
    [noRuleBroken(), noRuleBrokenCards],
  ]) {
    for (const lang of ["en", "ko"]) {
      cards[lang].forEach((text, k) => {
        assert.deepEqual(cardLines(graph, k, lang), text.split("\n"), `${lang} step ${k}`);
      });
    }
  }
});

test("a Function without a rule still shows its gy and gx", () => {
  const content = cardContent(normalizeGraph(noRuleBroken()), 1, "en");
  assert.equal(content.kind, "step");
  if (content.kind !== "step") return;
  assert.equal(content.inputs[0].rule, null);
  assert.equal(content.inputs[0].lines[1], "gy = 1, gx = 1 \u2192 a.grad");
  assert.equal(
    mathMarkup(cardMath(content.inputs[0])),
    "<mtable><mtr><mtd><mi>gy</mi></mtd><mtd><mo>=</mo></mtd><mtd><mrow><mn>1</mn></mrow></mtd></mtr>" +
      "<mtr><mtd><mi>gx</mi></mtd><mtd><mo>=</mo></mtd><mtd><mrow><mrow><mn>1</mn></mrow></mrow></mtd></mtr></mtable>",
  );
});

test("step 0 asks to press Step, in the page's language", () => {
  assert.deepEqual(cardContent(normalizeGraph(chainWithCards()), 0, "en"), {
    kind: "none",
    text: "No step yet: press Step to start backprop at y, where dy/dy = 1.",
  });
  const ko = cardContent(normalizeGraph(chainWithCards()), 0, "ko");
  assert.ok(ko.kind === "none" && ko.text.includes("단계"));
});

test("a two-input Function gets a line per input, gx0 and gx1", () => {
  const content = cardContent(normalizeGraph(tanhPowDiv()), 3, "en");
  assert.ok(content.kind === "step");
  if (content.kind !== "step") return;
  assert.deepEqual(
    content.inputs.map((i) => [i.gxName, i.input, i.gx]),
    [
      ["gx0", "x0", "0.01577"],
      ["gx1", "x1", "\u22120.02365"],
    ],
  );
});

test("predict first: the card is the asked step's, with what goes in and without what comes out", () => {
  const graph = normalizeGraph(chainWithCards());
  // at step 1, the learner is asked what Exp (step 2) sends to a: exp(0.25) × 2.568 = 3.297
  const content = cardContent(graph, 1, "en", true);
  assert.equal(content.kind, "step");
  if (content.kind !== "step") return;
  assert.equal(content.title, "Your turn, step 2 of 3: Exp backward");
  const [input] = content.inputs;
  assert.equal(input.gy, "2.568", "the gy it needs is shown");
  assert.equal(input.gx, "?");
  assert.equal(input.local, "?");
  assert.equal(input.lines[0], "Exp: gx = exp(x)\u00b7gy = exp(0.25) \u00d7 2.568 = ? \u2192 a.grad");
  const everything = JSON.stringify([content, mathMarkup(cardMath(input))]);
  assert.ok(!everything.includes("3.297"), "the answer is nowhere in it");
  // nothing left to predict: the card of the last step, as usual
  assert.equal(cardContent(graph, 3, "en", true).kind, "none");
  assert.deepEqual(cardLines(chainWithCards(), 3, "en"), chainWithCardsCards.en[3].split("\n"));
});

test("with no Function to step through the card does not say to press Step", () => {
  const graph = normalizeGraph({ nodes: [{ id: "v0", kind: "variable", label: "x", role: "input" }], edges: [] });
  const content = cardContent(graph, 0, "en");
  assert.deepEqual(content, {
    kind: "none",
    text: "Nothing to step through: the graph has no Function yet. Add a block.",
  });
});
