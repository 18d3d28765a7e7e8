import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canPan,
  clampView,
  fitScale,
  fitView,
  initialView,
  isVisible,
  panBy,
  pinch,
  reveal,
  viewBox,
  visibleRect,
  wheelFactor,
  ZOOM,
  zoomAt,
  zoomKey,
  zoomLimits,
} from "../../js/viewport.js";

const near = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);
const small = { x: 0, y: 0, width: 400, height: 100 };
const wide = { x: 0, y: 0, width: 15000, height: 160 };
const size = { width: 800, height: 200 };

test("a small graph starts fitted: centred, never blown up beyond the natural size", () => {
  const { view, height } = initialView(small, 800);
  assert.equal(view.scale, ZOOM.natural);
  assert.equal(height, Math.ceil(100 * ZOOM.natural + 2 * ZOOM.margin));
  // centred horizontally: the drawing's middle is the viewport's middle
  near(view.x + 800 / view.scale / 2, 200);
  assert.ok(isVisible(view, small, { width: 800, height }));
});

test("a graph too wide to read when fitted starts readable at its input (left) end", () => {
  const { view, height } = initialView(wide, 800);
  assert.equal(view.scale, ZOOM.readable);
  near(view.x, -ZOOM.margin / view.scale);
  assert.ok(height >= ZOOM.minHeight && height <= ZOOM.maxHeight);
  assert.ok(!isVisible(view, wide, { width: 800, height }));
});

test("a tall graph gets at most maxHeight pixels", () => {
  const tall = { x: 0, y: 0, width: 600, height: 5000 };
  const { view, height } = initialView(tall, 800);
  assert.equal(height, ZOOM.maxHeight);
  assert.equal(view.scale, ZOOM.readable);
  near(view.y, -ZOOM.margin / view.scale);
});

test("a chain too tall for its viewport starts at whole rows: the view ends at the lowest cut that fits", () => {
  const tall = { x: 0, y: 10, width: 600, height: 5000 };
  const cuts = [200, 400, 600, 800, 1000];
  const { view, height } = initialView(tall, 800, ZOOM, cuts);
  const heightAt = (/** @type {number} */ y) => Math.ceil((y - tall.y) * ZOOM.readable + 2 * ZOOM.margin);
  assert.equal(height, heightAt(600)); // 600 fits in maxHeight at the readable scale, 800 would not
  assert.ok(heightAt(800) > ZOOM.maxHeight);
  // the view shows the drawing from its top down to the cut, the margin under it
  near(view.y, tall.y - ZOOM.margin / view.scale);
  assert.ok(view.y + height / view.scale >= 600 + ZOOM.margin / view.scale - 1e-9);
  // no cut that fits: as without cuts
  assert.equal(initialView(tall, 800, ZOOM, [5000]).height, ZOOM.maxHeight);
  // a drawing that fits whole is shown whole, whatever its cuts
  assert.deepEqual(initialView(small, 800, ZOOM, [50]), initialView(small, 800));
});

test("Fit shows everything, however big", () => {
  const view = fitView(wide, size);
  assert.ok(isVisible(view, wide, size));
  near(view.scale, fitScale(wide, size));
  assert.ok(view.scale < 0.06);
});

test("zoomAt keeps the point under the pointer fixed, and respects the limits", () => {
  const view = { x: 100, y: 0, scale: 1 };
  const at = { x: 300, y: 80 };
  const zoomed = zoomAt(view, 2, at, wide, size);
  assert.equal(zoomed.scale, 2);
  near(zoomed.x + at.x / zoomed.scale, view.x + at.x / view.scale);
  near(zoomed.y + at.y / zoomed.scale, view.y + at.y / view.scale);
  const { min, max } = zoomLimits(wide, size);
  assert.equal(zoomAt(view, 1000, at, wide, size).scale, max);
  assert.equal(zoomAt(view, 1e-6, at, wide, size).scale, min);
  assert.ok(min <= fitScale(wide, size), "one can always zoom out far enough to see it all");
});

test("panBy moves the drawing with the pointer, but not past its ends", () => {
  const view = { x: 1000, y: 0, scale: 1 };
  const moved = panBy(view, -50, 0, wide, size);
  assert.equal(moved.x, 1050, "dragging left shows what is further right");
  const start = panBy(view, 1e6, 0, wide, size);
  near(start.x, -ZOOM.margin);
  const end = panBy(view, -1e6, 0, wide, size);
  near(end.x + size.width, wide.width + ZOOM.margin);
});

test("clampView centres an axis on which the drawing fits: nothing to pan there", () => {
  const view = clampView({ x: 0, y: 999, scale: 1 }, wide, size);
  near(view.y + size.height / 2, wide.height / 2);
  const tiny = clampView({ x: 999, y: 999, scale: 1 }, small, size);
  near(tiny.x + size.width / 2, small.width / 2);
});

test("pinch: spreading two fingers to twice the distance zooms 2x about their midpoint", () => {
  const view = { x: 2000, y: 0, scale: 1 };
  const before = [
    { x: 300, y: 100 },
    { x: 500, y: 100 },
  ];
  const after = [
    { x: 200, y: 100 },
    { x: 600, y: 100 },
  ];
  const next = pinch(view, before, after, wide, size);
  near(next.scale, 2);
  near(next.x + 400 / next.scale, view.x + 400 / view.scale);
});

test("reveal pans just enough to bring a node into view, and leaves a visible one alone", () => {
  const view = { x: 0, y: 0, scale: 1 };
  const visible = { x: 100, y: 20, width: 80, height: 50 };
  assert.deepEqual(reveal(view, visible, wide, size), clampView(view, wide, size));
  const right = { x: 5000, y: 20, width: 80, height: 50 };
  const shown = reveal(view, right, wide, size);
  assert.ok(isVisible(shown, right, size));
  near(shown.x + size.width, 5080 + ZOOM.margin, 1e-6);
  const left = { x: 50, y: 20, width: 80, height: 50 };
  const back = reveal(shown, left, wide, size);
  near(back.x, 50 - ZOOM.margin);
});

test("viewBox is the visible part of the drawing in user units", () => {
  assert.equal(viewBox({ x: 10, y: -5, scale: 2 }, { width: 800, height: 200 }), "10 -5 400 100");
});

test("wheel: one mouse notch is one zoom step; trackpad deltas are gentle; never more than 2x", () => {
  near(wheelFactor(-100), ZOOM.step);
  near(wheelFactor(100), 1 / ZOOM.step);
  near(wheelFactor(-3, 1), Math.exp((99 * Math.log(ZOOM.step)) / 100));
  assert.ok(wheelFactor(-4) > 1 && wheelFactor(-4) < 1.02);
  assert.equal(wheelFactor(-1e5), 2);
});

test("keys: + and = zoom in, - zooms out, 0 fits; with Ctrl or Cmd they are the browser's", () => {
  assert.equal(zoomKey({ key: "+" }), "in");
  assert.equal(zoomKey({ key: "=" }), "in");
  assert.equal(zoomKey({ key: "-" }), "out");
  assert.equal(zoomKey({ key: "0" }), "fit");
  assert.equal(zoomKey({ key: "0", ctrlKey: true }), null);
  assert.equal(zoomKey({ key: "+", metaKey: true }), null);
  assert.equal(zoomKey({ key: "ArrowRight" }), null);
});

test("canPan: only when the drawing at this scale is larger than the viewport", () => {
  assert.equal(canPan({ x: 0, y: 0, scale: 1 }, small, size), false);
  assert.equal(canPan({ x: 0, y: 0, scale: 2 }, small, size), true); // 800 user units wide at 2x: 1600 px
  assert.equal(canPan(fitView(wide, size), wide, size), false);
  assert.equal(canPan(initialView(wide, 800).view, wide, size), true);
});

test("visibleRect: what the view shows, in user units, grown by whole viewports on each side", () => {
  const view = { x: 100, y: 20, scale: 2 };
  assert.deepEqual(visibleRect(view, size), { x: 100, y: 20, width: 400, height: 100 });
  assert.deepEqual(visibleRect(view, size, 0.5), { x: -100, y: -30, width: 800, height: 200 });
});

test("limits: presenter mode's larger natural scale blows a small graph up; Fit too", () => {
  const presenter = { natural: 2.4, readable: 0.6, comfortable: 1, maxHeight: 300 };
  const { view } = initialView(small, 800, presenter);
  near(view.scale, (800 - 2 * ZOOM.margin) / small.width);
  assert.ok(view.scale > ZOOM.natural);
  assert.ok(fitView(small, size, presenter).scale > fitView(small, size).scale);
  // and a big one may start smaller than a notebook's readable scale
  assert.equal(initialView(wide, 800, presenter).view.scale, presenter.readable);
});
