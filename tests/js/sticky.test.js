import assert from "node:assert/strict";
import { test } from "node:test";
import { stickOffset } from "../../js/sticky.js";

const widget = { top: 100, height: 1500 };

test("the header stays put while the widget's top is in sight", () => {
  assert.equal(stickOffset(widget, 90, 0, 900), 0);
  assert.equal(stickOffset(widget, 90, 100, 800), 0);
});

test("scrolled past its top, the header moves down with the window's top", () => {
  assert.equal(stickOffset({ ...widget, top: -400 }, 90, 0, 900), 400);
  // JupyterLab: what can be seen starts under the notebook's toolbar, at the scrolling panel's top
  assert.equal(stickOffset({ ...widget, top: -400 }, 90, 120, 700), 520);
});

test("it never leaves the widget: at the widget's end it scrolls away with it", () => {
  const end = { top: -1450, height: 1500 };
  assert.equal(stickOffset(end, 90, 0, 900, 45), 1500 - 90 - 45);
  assert.equal(stickOffset({ top: -3000, height: 1500 }, 90, 0, 900), 1500 - 90);
});

test("a header too tall for the window (a slider per leaf of a big graph) is not held", () => {
  assert.equal(stickOffset({ ...widget, top: -400 }, 400, 0, 900), 0);
});
