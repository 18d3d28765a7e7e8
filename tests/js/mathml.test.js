import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCardNumber, mathMarkup, ruleMath, ruleText, TIMES } from "../../js/mathml.js";
import { formatNumber } from "../../js/state.js";

const square = { op: "*", args: [{ num: 2 }, { name: "x" }] };
const exp = { call: "exp", args: [{ name: "x" }] };
const tanh = { op: "-", args: [{ num: 1 }, { op: "**", args: [{ name: "y" }, { num: 2 }] }] };
const pow = {
  op: "*",
  args: [{ name: "c" }, { op: "**", args: [{ name: "x" }, { op: "-", args: [{ name: "c" }, { num: 1 }] }] }],
};
const div0 = { op: "/", args: [{ num: 1 }, { name: "x1" }] };
const div1 = {
  op: "/",
  args: [
    { op: "neg", args: [{ name: "x0" }] },
    { op: "**", args: [{ name: "x1" }, { num: 2 }] },
  ],
};

test("formatCardNumber writes numbers as the nodes do and Python's explain.format_number does (%.4g)", () => {
  assert.equal(formatCardNumber(3.297442541400256), "3.297");
  assert.equal(formatCardNumber(1.2840254166877414), "1.284");
  assert.equal(formatCardNumber(0.5), "0.5");
  assert.equal(formatCardNumber(2), "2");
  assert.equal(formatCardNumber(0.0046725700431817785), "0.004673");
  assert.equal(formatCardNumber(-0.023654885843607754), "\u22120.02365");
  assert.equal(formatCardNumber(1.2e-8), "1.2e\u22128");
  assert.equal(formatCardNumber(0.0001), "0.0001");
  assert.equal(formatCardNumber(0.00001), "1e\u22125");
  assert.equal(formatCardNumber(123456), "1.235e5");
  assert.equal(formatCardNumber(99999.9), "1e5");
  assert.equal(formatCardNumber(1234), "1234");
  assert.equal(formatCardNumber("inf"), "\u221e");
  assert.equal(formatCardNumber("-inf"), "\u2212\u221e");
  assert.equal(formatCardNumber("nan"), "NaN");
  assert.equal(formatCardNumber(null), "?");
  assert.equal(formatCardNumber(0), "0");
  assert.equal(formatCardNumber([1, [2, 3], 4, 5]), "[1, 2, 3, 4, \u2026]");
  assert.equal(formatCardNumber([0.5, 1.5]), "[0.5, 1.5]");
  for (const v of [3.297442541400256, -0.0046725700431817785, 1.2e-8, 123456, 0.5])
    assert.equal(formatCardNumber(v), formatNumber(v), "one number format: the card's is the nodes'");
});

test("ruleText matches Python's to_text: symbols, then today's numbers", () => {
  assert.equal(ruleText(square, null, TIMES), "2\u00b7x");
  assert.equal(ruleText(square, { x: 0.5 }, TIMES), "2 \u00d7 0.5");
  assert.equal(ruleText(exp, { x: 0.25 }, TIMES), "exp(0.25)");
  assert.equal(ruleText(tanh, null, TIMES), "(1 \u2212 y^2)");
  assert.equal(ruleText(tanh, { y: 0.997660979469889 }, TIMES), "(1 \u2212 0.9977^2)");
  assert.equal(ruleText(pow, null, TIMES), "c\u00b7x^(c \u2212 1)");
  assert.equal(ruleText(pow, { c: 3, x: 1.5 }, TIMES), "3 \u00d7 1.5^(3 \u2212 1)");
  assert.equal(ruleText(div0, null, TIMES), "1 / x1");
  assert.equal(ruleText(div1, { x0: 3, x1: 2 }, TIMES), "\u22123 / 2^2");
});

test("ruleMath: Square is 2·x", () => {
  assert.equal(mathMarkup(ruleMath(square)), "<mrow><mn>2</mn><mo>\u00b7</mo><mi>x</mi></mrow>");
  assert.equal(mathMarkup(ruleMath(square, { x: 0.5 })), "<mrow><mn>2</mn><mo>\u00d7</mo><mn>0.5</mn></mrow>");
});

test("ruleMath: Exp is exp(x), a function applied to a bracketed argument", () => {
  assert.equal(
    mathMarkup(ruleMath(exp)),
    "<mrow><mi>exp</mi><mo>\u2061</mo><mrow><mo>(</mo><mi>x</mi><mo>)</mo></mrow></mrow>",
  );
});

test("ruleMath: Tanh is 1 − y², bracketed when it multiplies gy", () => {
  assert.equal(
    mathMarkup(ruleMath(tanh)),
    "<mrow><mn>1</mn><mo>\u2212</mo><msup><mi>y</mi><mn>2</mn></msup></mrow>",
  );
  assert.equal(
    mathMarkup(ruleMath(tanh, null, TIMES)),
    "<mrow><mo>(</mo><mrow><mn>1</mn><mo>\u2212</mo><msup><mi>y</mi><mn>2</mn></msup></mrow><mo>)</mo></mrow>",
  );
});

test("ruleMath: Pow is c·x^(c−1), the exponent raised without brackets", () => {
  assert.equal(
    mathMarkup(ruleMath(pow)),
    "<mrow><mi>c</mi><mo>\u00b7</mo><msup><mi>x</mi><mrow><mi>c</mi><mo>\u2212</mo><mn>1</mn></mrow></msup></mrow>",
  );
  assert.equal(
    mathMarkup(ruleMath(pow, { c: 3, x: -1.5 })),
    "<mrow><mn>3</mn><mo>\u00d7</mo><msup><mrow><mo>(</mo><mrow><mo>\u2212</mo><mn>1.5</mn></mrow><mo>)</mo></mrow>" +
      "<mrow><mn>3</mn><mo>\u2212</mo><mn>1</mn></mrow></msup></mrow>",
  );
});

test("ruleMath: Div's two inputs are fractions, x0 and x1 with subscripts", () => {
  assert.equal(mathMarkup(ruleMath(div0)), "<mfrac><mn>1</mn><msub><mi>x</mi><mn>1</mn></msub></mfrac>");
  assert.equal(
    mathMarkup(ruleMath(div1)),
    "<mfrac><mrow><mo>\u2212</mo><msub><mi>x</mi><mn>0</mn></msub></mrow>" +
      "<msup><msub><mi>x</mi><mn>1</mn></msub><mn>2</mn></msup></mfrac>",
  );
  assert.equal(
    mathMarkup(ruleMath(div1, { x0: 3, x1: 2 })),
    "<mfrac><mrow><mo>\u2212</mo><mn>3</mn></mrow><msup><mn>2</mn><mn>2</mn></msup></mfrac>",
  );
});

test("ruleMath brackets a negative number after a product sign, not at the start", () => {
  assert.equal(
    mathMarkup(ruleMath(square, { x: -0.5 })),
    "<mrow><mn>2</mn><mo>\u00d7</mo><mrow><mo>(</mo><mrow><mo>\u2212</mo><mn>0.5</mn></mrow><mo>)</mo></mrow></mrow>",
  );
  assert.equal(mathMarkup(ruleMath({ op: "neg", args: [{ num: 1 }] })), "<mrow><mo>\u2212</mo><mn>1</mn></mrow>");
});
