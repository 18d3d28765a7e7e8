// Pure, DOM-free pan and zoom. A view is the user-space point shown at the viewport's top-left corner and a
// scale (CSS pixels per SVG user unit); the SVG's viewBox follows from it. Zooming and panning only change the
// viewBox, never the drawing, so they cost no layout.

/**
 * @typedef {{x: number, y: number, width: number, height: number}} Rect  in SVG user units
 * @typedef {{width: number, height: number}} Size  the viewport, in CSS pixels
 * @typedef {{x: number, y: number, scale: number}} View
 * @typedef {{x: number, y: number}} Point  in CSS pixels from the viewport's top-left corner
 * @typedef {{natural: number, readable: number, comfortable: number, maxHeight: number}} Limits  the first view's
 *   and Fit's bounds, and the scale a wrapped chain aims for
 */

export const ZOOM = Object.freeze({
  max: 3, // the closest zoom: three times the drawing's natural size
  natural: 1.2, // a fitted view never blows a small graph up beyond this
  readable: 0.8, // the first view never shrinks below this (18px labels stay ~14px): big graphs start readable
  comfortable: 0.85, // a chain wraps into more rows only while one fewer would show it smaller than this
  step: 1.25, // one press of Zoom in / Zoom out / + / -
  margin: 8, // CSS pixels kept free around the drawing when fitting
  minHeight: 120, // the viewport's height in CSS pixels: the drawing's height at the first view, in this range
  maxHeight: 520,
  overview: 0.55, // below this scale a node's numbers are too small to read: the view draws the overview instead
});

/**
 * @param {number} v
 * @param {number} lo
 * @param {number} hi
 */
function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * The scale at which the whole drawing fits the viewport.
 * @param {Rect} content
 * @param {Size} size
 * @returns {number}
 */
export function fitScale(content, size) {
  const w = Math.max(1, size.width - 2 * ZOOM.margin);
  const h = Math.max(1, size.height - 2 * ZOOM.margin);
  return Math.min(w / Math.max(1, content.width), h / Math.max(1, content.height));
}

/**
 * How far one may zoom: out to a bit below "everything fits" (at least to half size), in to ZOOM.max.
 * @param {Rect} content
 * @param {Size} size
 * @returns {{min: number, max: number}}
 */
export function zoomLimits(content, size) {
  const min = Math.min(0.5, 0.8 * fitScale(content, size));
  return { min: Math.max(1e-3, min), max: ZOOM.max };
}

/**
 * Keep the drawing in sight: along an axis where it is smaller than the viewport it is centred (nothing to pan);
 * where it is larger, the view may not pan past its edges (plus the margin).
 * @param {View} view
 * @param {Rect} content
 * @param {Size} size
 * @returns {View}
 */
export function clampView(view, content, size) {
  const s = view.scale;
  const m = ZOOM.margin / s;
  /** @param {number} start @param {number} length @param {number} span  visible user units */
  const axis = (/** @type {number} */ v, start, length, span) =>
    length + 2 * m <= span ? start + length / 2 - span / 2 : clamp(v, start - m, start + length + m - span);
  return {
    x: axis(view.x, content.x, content.width, size.width / s),
    y: axis(view.y, content.y, content.height, size.height / s),
    scale: s,
  };
}

/**
 * Everything in view, centred, at most at the natural size.
 * @param {Rect} content
 * @param {Size} size
 * @param {Limits} [limits]
 * @returns {View}
 */
export function fitView(content, size, limits = ZOOM) {
  const { min } = zoomLimits(content, size);
  const scale = clamp(fitScale(content, size), min, limits.natural);
  return clampView({ x: content.x, y: content.y, scale }, content, size);
}

/**
 * The first view of a drawing in a viewport `width` pixels wide, and the viewport height to give it: fitted to the
 * width, but never below the readable scale. A graph too big for that starts at its left (the input) end and
 * top; the view follows the backward steps from there, and Fit shows it all. When the drawing is taller than the
 * viewport may grow, the viewport ends at the lowest of its `cuts` that fits: between two of a wrapped chain's
 * rows, not through one.
 * @param {Rect} content
 * @param {number} width
 * @param {Limits} [limits]
 * @param {number[]} [cuts]  y (user units) where the drawing may end between rows, in order
 * @returns {{view: View, height: number}}
 */
export function initialView(content, width, limits = ZOOM, cuts = []) {
  const w = Math.max(1, width - 2 * ZOOM.margin);
  const maxH = limits.maxHeight - 2 * ZOOM.margin;
  const fit = Math.min(limits.natural, w / Math.max(1, content.width), maxH / Math.max(1, content.height));
  const scale = Math.max(limits.readable, fit);
  const heightAt = (/** @type {number} */ bottom) => Math.ceil((bottom - content.y) * scale + 2 * ZOOM.margin);
  const whole = heightAt(content.y + content.height);
  let height = clamp(whole, ZOOM.minHeight, limits.maxHeight);
  const cut = cuts.filter((y) => heightAt(y) <= height && heightAt(y) >= ZOOM.minHeight).pop();
  if (cut !== undefined && whole > height) height = heightAt(cut);
  const size = { width, height };
  const m = ZOOM.margin / scale;
  return { view: clampView({ x: content.x - m, y: content.y - m, scale }, content, size), height };
}

/**
 * Zoom by `factor` about a point of the viewport, which stays over the same spot of the drawing.
 * @param {View} view
 * @param {number} factor
 * @param {Point} at
 * @param {Rect} content
 * @param {Size} size
 * @returns {View}
 */
export function zoomAt(view, factor, at, content, size) {
  const { min, max } = zoomLimits(content, size);
  const scale = clamp(view.scale * factor, min, max);
  const ux = view.x + at.x / view.scale;
  const uy = view.y + at.y / view.scale;
  return clampView({ x: ux - at.x / scale, y: uy - at.y / scale, scale }, content, size);
}

/**
 * Drag the drawing by (dx, dy) CSS pixels.
 * @param {View} view
 * @param {number} dx
 * @param {number} dy
 * @param {Rect} content
 * @param {Size} size
 * @returns {View}
 */
export function panBy(view, dx, dy, content, size) {
  return clampView({ x: view.x - dx / view.scale, y: view.y - dy / view.scale, scale: view.scale }, content, size);
}

/**
 * Two fingers moved from `before` to `after`: zoom by how much they spread, about their midpoint, and pan by how
 * far the midpoint moved.
 * @param {View} view
 * @param {[Point, Point]} before
 * @param {[Point, Point]} after
 * @param {Rect} content
 * @param {Size} size
 * @returns {View}
 */
export function pinch(view, before, after, content, size) {
  const dist = (/** @type {[Point, Point]} */ [a, b]) => Math.hypot(a.x - b.x, a.y - b.y);
  const mid = (/** @type {[Point, Point]} */ [a, b]) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const d0 = dist(before);
  const factor = d0 > 0 ? dist(after) / d0 : 1;
  const m0 = mid(before);
  const m1 = mid(after);
  const zoomed = zoomAt(view, factor, m0, content, size);
  return panBy(zoomed, m1.x - m0.x, m1.y - m0.y, content, size);
}

/**
 * Pan as little as needed so that `rect` is in view (with the margin); a rect bigger than the viewport shows its
 * left/top part. The scale never changes.
 * @param {View} view
 * @param {Rect} rect
 * @param {Rect} content
 * @param {Size} size
 * @returns {View}
 */
export function reveal(view, rect, content, size) {
  const s = view.scale;
  const m = ZOOM.margin / s;
  /** @param {number} v @param {number} start @param {number} length @param {number} span */
  const axis = (v, start, length, span) => {
    if (length + 2 * m > span || start - m < v) return start - m; // too big, or left of / above the view
    return Math.max(v, start + length + m - span); // right of / below the view, or already in it
  };
  const next = {
    x: axis(view.x, rect.x, rect.width, size.width / s),
    y: axis(view.y, rect.y, rect.height, size.height / s),
    scale: s,
  };
  return clampView(next, content, size);
}

/**
 * Whether there is anything to pan: the drawing, at the view's scale, is larger than the viewport.
 * @param {View} view
 * @param {Rect} content
 * @param {Size} size
 * @returns {boolean}
 */
export function canPan(view, content, size) {
  const m = (2 * ZOOM.margin) / view.scale;
  return (
    content.width + m > size.width / view.scale + 1e-6 || content.height + m > size.height / view.scale + 1e-6
  );
}

/**
 * The part of the drawing in view, in user units, grown by `grow` viewports on each side: what to draw now.
 * @param {View} view
 * @param {Size} size
 * @param {number} [grow]
 * @returns {Rect}
 */
export function visibleRect(view, size, grow = 0) {
  const width = size.width / view.scale;
  const height = size.height / view.scale;
  return {
    x: view.x - grow * width,
    y: view.y - grow * height,
    width: width * (1 + 2 * grow),
    height: height * (1 + 2 * grow),
  };
}

/**
 * @param {View} view
 * @param {Rect} rect
 * @param {Size} size
 * @returns {boolean} the whole rect is in view
 */
export function isVisible(view, rect, size) {
  const right = view.x + size.width / view.scale;
  const bottom = view.y + size.height / view.scale;
  const eps = 1e-6;
  return (
    rect.x >= view.x - eps &&
    rect.y >= view.y - eps &&
    rect.x + rect.width <= right + eps &&
    rect.y + rect.height <= bottom + eps
  );
}

/**
 * The SVG viewBox that shows `view` in a viewport of `size`.
 * @param {View} view
 * @param {Size} size
 * @returns {string}
 */
export function viewBox(view, size) {
  const f = (/** @type {number} */ n) => String(Math.round(n * 100) / 100);
  return `${f(view.x)} ${f(view.y)} ${f(size.width / view.scale)} ${f(size.height / view.scale)}`;
}

/**
 * How much one wheel event zooms: a notch of a mouse wheel (~100 px) is about one ZOOM.step; a trackpad's small
 * deltas zoom smoothly. Capped so one event never jumps more than 2x.
 * @param {number} deltaY
 * @param {number} [deltaMode]  0 pixels, 1 lines, 2 pages
 * @returns {number}
 */
export function wheelFactor(deltaY, deltaMode = 0) {
  const px = deltaY * (deltaMode === 1 ? 33 : deltaMode === 2 ? 400 : 1);
  return clamp(Math.exp((-px * Math.log(ZOOM.step)) / 100), 0.5, 2);
}

/**
 * The zoom key a keydown asks for, or null.
 * @param {{key: string, altKey?: boolean, ctrlKey?: boolean, metaKey?: boolean}} e
 * @returns {"in" | "out" | "fit" | null}
 */
export function zoomKey(e) {
  if (e.altKey || e.ctrlKey || e.metaKey) return null; // Ctrl/Cmd +/- zoom the browser: leave them alone
  if (e.key === "+" || e.key === "=") return "in";
  if (e.key === "-" || e.key === "_" || e.key === "\u2212") return "out";
  if (e.key === "0") return "fit";
  return null;
}
