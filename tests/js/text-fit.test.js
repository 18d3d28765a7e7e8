import assert from "node:assert/strict";
import { test } from "node:test";
import { createWidthBounds, fitTexts } from "../../js/text-fit.js";

/** A stand-in SVG <text>: every character is `advance` wide, and reading a metric counts as one layout. */
class FakeText {
  constructor(text, { cls = "value", kind = "variable", advance = 10, page } = {}) {
    this.textContent = text;
    this.attrs = new Map([["class", cls]]);
    this.parentElement = { getAttribute: () => kind };
    this.advance = advance;
    this.page = page;
  }
  getAttribute(name) {
    return this.attrs.get(name) ?? null;
  }
  setAttribute(name, value) {
    this.attrs.set(name, String(value));
  }
  hasAttribute(name) {
    return this.attrs.has(name);
  }
  removeAttribute(name) {
    this.attrs.delete(name);
  }
  getComputedTextLength() {
    this.page.reads += 1;
    return [...this.textContent].length * this.advance;
  }
  getSubStringLength(_i, n) {
    this.page.reads += 1;
    return n * this.advance;
  }
}

const fakePage = () => ({ isConnected: true, reads: 0, getClientRects: () => [{}] });

test("a text is measured until its characters are known; then one that clearly fits is not measured", () => {
  const page = fakePage();
  const bounds = createWidthBounds();
  const first = new FakeText("0.5", { page });
  assert.equal(fitTexts(page, [[first, 100]], bounds), true);
  assert.ok(page.reads > 0, "unknown characters: measured");
  page.reads = 0;
  const again = new FakeText("5.0", { page }); // the same characters in another order
  fitTexts(page, [[again, 100]], bounds);
  assert.equal(page.reads, 0, "known characters, 30 wide in a room of 100: no layout needed");
  assert.equal(again.hasAttribute("textLength"), false);
});

test("a text clearly too wide is squeezed; one that fits again is released; one near its room is measured", () => {
  const page = fakePage();
  const bounds = createWidthBounds();
  fitTexts(page, [[new FakeText("0123456789.", { page }), 500]], bounds); // learn every character
  const text = new FakeText("0.123456789", { page }); // 110 wide
  page.reads = 0;
  fitTexts(page, [[text, 100]], bounds);
  assert.equal(page.reads, 0, "clearly wider than its room: squeezed without measuring");
  assert.equal(text.getAttribute("textLength"), "100.0");
  assert.equal(text.getAttribute("lengthAdjust"), "spacingAndGlyphs");
  text.textContent = "0.5";
  page.reads = 0;
  fitTexts(page, [[text, 100]], bounds);
  assert.equal(page.reads, 0);
  assert.equal(text.hasAttribute("textLength"), false, "the old squeeze is cleared");
  text.textContent = "0.12345678"; // 100 wide in a room of 101: within the margin
  fitTexts(page, [[text, 101]], bounds);
  assert.ok(page.reads > 0, "near its room: measured for real");
  assert.equal(text.hasAttribute("textLength"), false, "and it fits");
});

test("advances are kept per text style, and nothing is measured while the drawing is not rendered", () => {
  const page = fakePage();
  const bounds = createWidthBounds();
  fitTexts(page, [[new FakeText("12", { page, cls: "value" }), 100]], bounds);
  assert.equal(bounds.judge(new FakeText("21", { page, cls: "value" }), 100), "fits");
  assert.equal(bounds.judge(new FakeText("21", { page, cls: "grad" }), 100), "unsure", "another style: unknown");
  assert.equal(bounds.judge(new FakeText("21", { page, cls: "value" }), 21), "unsure", "within the margin");
  assert.equal(bounds.judge(new FakeText("2121", { page, cls: "value" }), 21), "overflows");
  const hidden = { ...fakePage(), getClientRects: () => [] };
  assert.equal(fitTexts(hidden, [[new FakeText("xyz", { page: hidden }), 100]], bounds), false);
});
