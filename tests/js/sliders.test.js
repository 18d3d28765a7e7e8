import assert from "node:assert/strict";
import { test } from "node:test";
import { sliderStep } from "../../js/table.js";

test("the slider's step is a round power of ten, so 0.5 and 1.5 sit on it exactly", () => {
  assert.equal(sliderStep(-2, 2), 0.001);
  assert.equal(sliderStep(-2, 2.5), 0.001);
  assert.equal(sliderStep(-1.5, 1.5), 0.001);
  assert.equal(sliderStep(0, 100), 0.1);
  assert.equal(sliderStep(1, 1), 0.001);
  for (const [lo, hi, x] of [
    [-2, 2.5, 1.5],
    [-1.5, 1.5, 0.7],
  ]) {
    const k = Math.round((x - lo) / sliderStep(lo, hi));
    assert.ok(Math.abs(lo + k * sliderStep(lo, hi) - x) < 1e-12);
  }
});
