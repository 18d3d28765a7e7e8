// Two small SVG plots: f(x) with its tangent over f'(x) (follows the slider), and the log-log eps error curve that
// shows why numerical differentiation loses digits. The scaling math at the top is pure and tested in node;
// the drawing below only sets attributes. Every number plotted comes from Python (`curves`, `eps_curve`, `graph`).
import "./plots.css";
import { setAttrs, svg, uniqueId } from "./dom.js";
import { translate } from "./i18n.js";
import { formatNumber, numberArray, parseNumber } from "./state.js";

// --- pure scaling math --------------------------------------------------------------------------------------

/**
 * @param {[number, number]} domain
 * @param {[number, number]} range
 * @returns {(v: number) => number}
 */
export function linearScale([d0, d1], [r0, r1]) {
  const span = d1 - d0;
  return (v) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
}

/**
 * A log10 scale: domain in the values themselves (positive), e.g. [1e-1, 1e-12] for eps shrinking to the right.
 * @param {[number, number]} domain
 * @param {[number, number]} range
 * @returns {(v: number) => number}
 */
export function logScale([d0, d1], range) {
  const inner = linearScale([Math.log10(d0), Math.log10(d1)], range);
  return (v) => inner(Math.log10(v));
}

/**
 * @param {unknown[]} values  numbers or wire strings
 * @returns {number[]} the finite ones, as numbers
 */
export function finite(values) {
  /** @type {number[]} */
  const out = [];
  for (const v of values) {
    const n = parseNumber(v);
    if (n !== null && Number.isFinite(n)) out.push(n);
  }
  return out;
}

/**
 * @param {number[]} sorted  ascending
 * @param {number} q  0..1
 */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The y range to draw: from the 2nd to the 98th percentile of the finite values (so a pole like 1/x near 0 does
 * not squash the rest flat), always including `include` (the current point), padded by 8% each side.
 * @param {unknown[]} values
 * @param {number[]} [include]
 * @returns {[number, number]}
 */
export function robustRange(values, include = []) {
  const sorted = finite(values).sort((a, b) => a - b);
  let lo = sorted.length ? quantile(sorted, 0.02) : NaN;
  let hi = sorted.length ? quantile(sorted, 0.98) : NaN;
  for (const v of include) {
    if (!Number.isFinite(v)) continue;
    lo = Number.isNaN(lo) ? v : Math.min(lo, v);
    hi = Number.isNaN(hi) ? v : Math.max(hi, v);
  }
  if (Number.isNaN(lo)) return [-1, 1];
  if (hi - lo <= Math.abs(hi) * 1e-9) {
    const half = Math.abs(hi) * 0.1 || 1; // a constant function: a band around it
    return [lo - half, hi + half];
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/**
 * The y range a panel shows. The whole curve's (robust) range, unless that is more than three times the range over
 * the middle half of the slider: then the middle half's, so a curve that shoots up at the ends (exp(x²)² reaches
 * 2981 at ±2 but is 1.65 at 0.5) does not flatten the part where the slider usually is, and the tangent stays
 * visible. The current point is always inside; what leaves the panel is clipped.
 * @param {unknown[]} xs
 * @param {unknown[]} ys
 * @param {number[]} [include]
 * @returns {[number, number]}
 */
export function plotRange(xs, ys, include = []) {
  const full = robustRange(ys, include);
  const grid = xs.map((x) => parseNumber(x) ?? NaN);
  const finiteX = grid.filter(Number.isFinite);
  if (finiteX.length < 4) return full;
  const lo = Math.min(...finiteX);
  const hi = Math.max(...finiteX);
  const quarter = (hi - lo) / 4;
  const middle = ys.filter((_, i) => grid[i] >= lo + quarter && grid[i] <= hi - quarter);
  const mid = robustRange(middle, include);
  return full[1] - full[0] > 3 * (mid[1] - mid[0]) ? mid : full;
}

/**
 * A tick's label: plain digits where they are short (2000, −0.5), else the 3-digit short form (1.5e+6).
 * @param {number} v
 * @returns {string}
 */
export function tickLabel(v) {
  const a = Math.abs(v);
  if (a === 0 || (a >= 1e-3 && a < 1e5)) return String(Number(v.toPrecision(6))).replace("-", "\u2212");
  return formatNumber(v, 3);
}

/**
 * About `count` round numbers (1, 2 or 5 times a power of ten) spanning [lo, hi].
 * @param {number} lo
 * @param {number} hi
 * @param {number} [count]
 * @returns {number[]}
 */
export function niceTicks(lo, hi, count = 4) {
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi <= lo) return [];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return ticks;
}

/**
 * The whole decades (as exponents) a positive range covers: [1e-11, 3e-2] -> -11 ... -1.
 * @param {number} lo
 * @param {number} hi
 * @returns {number[]}
 */
export function decades(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(e);
  return out;
}

/**
 * An SVG path through the points, broken where a value is not finite (a pole, a log of a negative), with the
 * y pixels clamped to a wide band so an overflowing value cannot produce an absurd coordinate.
 * @param {unknown[]} xs
 * @param {unknown[]} ys
 * @param {(v: number) => number} sx
 * @param {(v: number) => number} sy
 * @param {[number, number]} [band]  allowed y pixels
 * @returns {string}
 */
export function linePath(xs, ys, sx, sy, band = [-1e4, 1e4]) {
  let d = "";
  let pen = false;
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = parseNumber(xs[i]);
    const y = parseNumber(ys[i]);
    if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    const py = Math.min(band[1], Math.max(band[0], sy(y)));
    d += `${pen ? "L" : "M"}${sx(x).toFixed(1)},${py.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/**
 * Linear interpolation of ys over ascending xs at x (the ends are held); NaN when there is nothing to read.
 * @param {unknown[]} xs
 * @param {unknown[]} ys
 * @param {number} x
 * @returns {number}
 */
export function interpolate(xs, ys, x) {
  const n = Math.min(xs.length, ys.length);
  if (n === 0 || !Number.isFinite(x)) return NaN;
  const X = (/** @type {number} */ i) => parseNumber(xs[i]) ?? NaN;
  const Y = (/** @type {number} */ i) => parseNumber(ys[i]) ?? NaN;
  if (x <= X(0)) return Y(0);
  if (x >= X(n - 1)) return Y(n - 1);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (X(mid) <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - X(lo)) / (X(hi) - X(lo));
  return Y(lo) + t * (Y(hi) - Y(lo));
}

/**
 * The tangent at (x0, y0) with the given slope, as a segment `half` wide on each side.
 * @param {number} x0
 * @param {number} y0
 * @param {number} slope
 * @param {number} half
 * @returns {[[number, number], [number, number]]}
 */
export function tangentSegment(x0, y0, slope, half) {
  return [
    [x0 - half, y0 - slope * half],
    [x0 + half, y0 + slope * half],
  ];
}

/**
 * The eps curve's points on a log-log plot. An error of exactly 0 (the difference was exact) has no logarithm:
 * it is drawn on the floor, a decade below the smallest error, and flagged `exact`.
 * @param {{eps?: unknown[], errors?: unknown[]}} curve
 * @returns {{points: {eps: number, error: number, exact: boolean}[], floor: number, top: number}}
 */
export function epsPoints(curve) {
  const eps = finite(curve.eps || []);
  const errors = (curve.errors || []).map((e) => parseNumber(e));
  const positive = finite(errors).filter((e) => e > 0);
  const least = positive.length ? Math.min(...positive) : 1e-16;
  const floor = 10 ** (Math.floor(Math.log10(least)) - 1);
  // headroom above the largest error, for the labels at the top of the plot
  const top = positive.length ? 10 ** Math.ceil(Math.log10(3 * Math.max(...positive))) : 1;
  const points = [];
  for (let i = 0; i < eps.length; i++) {
    const e = errors[i];
    if (e === null || !Number.isFinite(e) || !(eps[i] > 0)) continue;
    points.push({ eps: eps[i], error: e > 0 ? e : floor, exact: e <= 0 });
  }
  return { points, floor, top: Math.max(top, floor * 10) };
}

// --- drawing ------------------------------------------------------------------------------------------------

const W = 420;
const LEFT = 58;
const RIGHT = 14;

/**
 * @param {SVGElement} parent
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 */
function add(parent, tag, attrs) {
  const el = svg(tag, attrs);
  parent.append(el);
  return el;
}

/**
 * @typedef {object} FunctionPlotData
 * @property {any} curves   the `curves` trait: {x, y, dy, dy_numerical, order} over the slider's range, or {}
 * @property {number} x     where the slider is now (may be ahead of the graph's x while Python computes)
 * @property {number | null} y   f(x) from the graph when it is up to date, else null (read off the curve)
 * @property {number | null} slope  dy/dx by backprop when up to date, else null (read off f')
 * @property {string} xName
 * @property {unknown} lang
 * @property {boolean} [slopeLater]  predict first, before the last step: dy/dx is the answer still to find, so
 *   the tangent, the f′ marker and the slope's number are left out (not in the page at all)
 */

/** f(x) above, f'(x) below, on a shared x axis; the tangent and a marker at the slider's x. */
export function createFunctionPlot() {
  // Legends sit above each panel, outside it, so no curve runs through them.
  const H = 314;
  const top = [26, 168];
  const bottom = [196, 276];
  const clipTop = uniqueId("gw-clip");
  const clipBottom = uniqueId("gw-clip");
  const root = svg("svg", { class: "gw-plot", viewBox: `0 0 ${W} ${H}`, role: "img" });
  const defs = add(root, "defs", {});
  add(add(defs, "clipPath", { id: clipTop }), "rect", {
    x: LEFT,
    y: top[0],
    width: W - LEFT - RIGHT,
    height: top[1] - top[0],
  });
  add(add(defs, "clipPath", { id: clipBottom }), "rect", {
    x: LEFT,
    y: bottom[0],
    width: W - LEFT - RIGHT,
    height: bottom[1] - bottom[0],
  });
  add(root, "rect", {
    class: "gw-plot-frame",
    x: LEFT,
    y: top[0],
    width: W - LEFT - RIGHT,
    height: top[1] - top[0],
  });
  add(root, "rect", {
    class: "gw-plot-frame",
    x: LEFT,
    y: bottom[0],
    width: W - LEFT - RIGHT,
    height: bottom[1] - bottom[0],
  });
  const ticks = add(root, "g", { class: "gw-plot-grid", "aria-hidden": "true" });
  const topLayer = add(root, "g", { "clip-path": `url(#${clipTop})` });
  const bottomLayer = add(root, "g", { "clip-path": `url(#${clipBottom})` });
  const zeroTop = add(topLayer, "line", { class: "gw-plot-zero" });
  const zeroBottom = add(bottomLayer, "line", { class: "gw-plot-zero" });
  const fPath = add(topLayer, "path", { class: "gw-plot-f" });
  const tangent = add(topLayer, "line", { class: "gw-plot-tangent" });
  const dfPath = add(bottomLayer, "path", { class: "gw-plot-df" });
  // numerical_diff's slope, dashed under backprop's: a wrong backward shows as a gap between them
  const dfNumerical = add(bottomLayer, "path", { class: "gw-plot-df-numerical" });
  const guide = add(root, "line", { class: "gw-plot-guide", y1: top[0], y2: bottom[1] });
  const marker = add(root, "circle", { class: "gw-plot-marker", r: 5.5 });
  const markerD = add(root, "circle", { class: "gw-plot-marker-d", r: 4.5 });
  const fLabel = add(root, "text", { class: "gw-plot-legend gw-plot-legend-f", x: LEFT, y: top[0] - 8 });
  const dfLabel = add(root, "text", { class: "gw-plot-legend gw-plot-legend-df", x: LEFT, y: bottom[0] - 7 });
  const numericalLabel = add(root, "text", {
    class: "gw-plot-legend gw-plot-legend-numerical",
    x: W - RIGHT,
    y: bottom[0] - 7,
  });
  const tangentLabel = add(root, "text", {
    class: "gw-plot-legend gw-plot-legend-tangent",
    x: W - RIGHT,
    y: top[0] - 8,
  });
  const xLabel = add(root, "text", { class: "gw-plot-axis-label", x: W - RIGHT, y: H - 4 });
  // The curves, their axes and ticks change only with the curves or the ranges, not with every x: drawn again
  // only then (the marker, guide and tangent move on every update).
  /** @type {unknown} */
  let curvesDrawn = null;
  let rangesDrawn = "";

  /** @param {FunctionPlotData} data */
  function update(data) {
    const lang = data.lang;
    const c = data.curves || {};
    const xs = numberArray(c.x);
    const ys = numberArray(c.y);
    const dys = numberArray(c.dy);
    const numericalDys = numberArray(c.dy_numerical);
    const gridX = finite(xs);
    root.classList.toggle("gw-plot-empty", gridX.length < 2);
    if (gridX.length < 2) {
      root.setAttribute("aria-label", translate(lang, "plotNone"));
      root.removeAttribute("data-at");
      return false;
    }
    const x0 = data.x;
    const y0 = data.y ?? interpolate(xs, ys, x0);
    const slope = data.slope ?? interpolate(xs, dys, x0);
    const xDomain = /** @type {[number, number]} */ ([gridX[0], gridX[gridX.length - 1]]);
    const sx = linearScale(xDomain, [LEFT, W - RIGHT]);
    const fRange = plotRange(xs, ys, [y0]);
    const dRange = plotRange(xs, dys, [slope, 0]);
    const sy = linearScale(fRange, [top[1], top[0]]);
    const sd = linearScale(dRange, [bottom[1], bottom[0]]);

    const ranges = `${fRange} ${dRange}`;
    if (c !== curvesDrawn || ranges !== rangesDrawn) {
      curvesDrawn = c;
      rangesDrawn = ranges;
      drawCurves(xs, ys, dys, numericalDys, { xDomain, fRange, dRange, sx, sy, sd });
    }

    const known = Number.isFinite(x0) && Number.isFinite(y0);
    const px = sx(x0);
    setAttrs(guide, { x1: px.toFixed(1), x2: px.toFixed(1), visibility: Number.isFinite(x0) ? null : "hidden" });
    setAttrs(marker, {
      cx: px.toFixed(1),
      cy: known ? Math.min(top[1], Math.max(top[0], sy(y0))).toFixed(1) : top[1],
      "data-x": String(x0),
      "data-y": String(y0),
      visibility: known ? null : "hidden",
    });
    const later = Boolean(data.slopeLater);
    const showSlope = Number.isFinite(slope) && !later;
    setAttrs(markerD, {
      cx: px.toFixed(1),
      cy: showSlope ? Math.min(bottom[1], Math.max(bottom[0], sd(slope))).toFixed(1) : bottom[1],
      "data-slope": later ? "" : String(slope),
      visibility: showSlope ? null : "hidden",
    });
    const half = (xDomain[1] - xDomain[0]) * 0.18;
    const [[tx1, ty1], [tx2, ty2]] = tangentSegment(x0, y0, showSlope ? slope : 0, half);
    const band = (/** @type {number} */ v) => Math.min(1e4, Math.max(-1e4, v)).toFixed(1);
    setAttrs(tangent, {
      x1: sx(tx1).toFixed(1),
      y1: band(sy(ty1)),
      x2: sx(tx2).toFixed(1),
      y2: band(sy(ty2)),
      "data-slope": later ? "" : String(slope),
      visibility: known && showSlope ? null : "hidden",
    });

    const name = data.xName || "x";
    // order 2: the graph's output is itself dy/dx (show(gx), order=2), so its curve is f′ and its slope f″
    const [fName, dfName] =
      c.order === 2 ? [`f\u2032(${name})`, `f\u2033(${name})`] : [`f(${name})`, `f\u2032(${name})`];
    fLabel.textContent = fName;
    dfLabel.textContent = dfName;
    root.dataset.order = String(c.order === 2 ? 2 : 1);
    numericalLabel.textContent = numericalDys.length ? translate(lang, "numericalSlope") : "";
    // no slope to show (a backward that failed, or f not finite here): no "slope NaN" above the plot
    tangentLabel.textContent = later
      ? translate(lang, "tangentLater")
      : showSlope
        ? translate(lang, "tangent", { v: formatNumber(slope) })
        : "";
    xLabel.textContent = name;

    root.setAttribute("data-at", String(x0));
    root.setAttribute(
      "aria-label",
      translate(lang, later ? "plotLabelLater" : "plotLabel", {
        x: name,
        y: fName,
        lo: formatNumber(xDomain[0]),
        hi: formatNumber(xDomain[1]),
        at: formatNumber(x0),
        fy: formatNumber(y0),
        dy: formatNumber(slope),
      }),
    );
    return true;
  }

  /**
   * The curves, the zero lines and the ticks, for these axes.
   * @param {any[]} xs
   * @param {any[]} ys
   * @param {any[]} dys
   * @param {any[]} numericalDys
   * @param {{xDomain: [number, number], fRange: [number, number], dRange: [number, number],
   *   sx: (v: number) => number, sy: (v: number) => number, sd: (v: number) => number}} axes
   */
  function drawCurves(xs, ys, dys, numericalDys, { xDomain, fRange, dRange, sx, sy, sd }) {
    setAttrs(fPath, { d: linePath(xs, ys, sx, sy) });
    setAttrs(dfPath, { d: linePath(xs, dys, sx, sd) });
    setAttrs(dfNumerical, { d: numericalDys.length ? linePath(xs, numericalDys, sx, sd) : "" });
    const zero = (
      /** @type {SVGElement} */ line,
      /** @type {(v: number) => number} */ s,
      /** @type {number[]} */ r,
    ) =>
      setAttrs(line, {
        x1: LEFT,
        x2: W - RIGHT,
        y1: s(0).toFixed(1),
        y2: s(0).toFixed(1),
        visibility: r[0] < 0 && r[1] > 0 ? null : "hidden",
      });
    zero(zeroTop, sy, fRange);
    zero(zeroBottom, sd, dRange);
    drawTicks(xDomain, fRange, dRange, sx, sy, sd);
  }

  /**
   * @param {[number, number]} xDomain
   * @param {[number, number]} fRange
   * @param {[number, number]} dRange
   * @param {(v: number) => number} sx
   * @param {(v: number) => number} sy
   * @param {(v: number) => number} sd
   */
  function drawTicks(xDomain, fRange, dRange, sx, sy, sd) {
    ticks.replaceChildren();
    for (const v of niceTicks(xDomain[0], xDomain[1], 6)) {
      const px = sx(v).toFixed(1);
      ticks.append(svg("line", { class: "gw-plot-tick", x1: px, x2: px, y1: bottom[1], y2: bottom[1] + 5 }));
      ticks.append(
        svg("text", { class: "gw-plot-tick-label", x: px, y: bottom[1] + 19, "text-anchor": "middle" }, [
          tickLabel(v),
        ]),
      );
    }
    for (const [range, s] of /** @type {const} */ ([
      [fRange, sy],
      [dRange, sd],
    ])) {
      for (const v of niceTicks(range[0], range[1], 4)) {
        const py = s(v).toFixed(1);
        ticks.append(svg("line", { class: "gw-plot-tick", x1: LEFT - 5, x2: LEFT, y1: py, y2: py }));
        ticks.append(
          svg("text", { class: "gw-plot-tick-label", x: LEFT - 8, y: py, "text-anchor": "end", dy: "0.35em" }, [
            tickLabel(v),
          ]),
        );
      }
    }
  }

  return { el: root, update };
}

/**
 * @typedef {object} EpsPlotData
 * @property {any} curve   the `eps_curve` trait: {eps, errors, book_eps, at} or {}
 * @property {number} eps  the eps the gradient check uses now
 * @property {string} xName
 * @property {unknown} lang
 */

/** |numerical_diff − backprop| against eps, both on log scales, eps shrinking to the right. */
export function createEpsPlot() {
  const H = 262;
  const plotTop = 26;
  const plotBottom = 212;
  const root = svg("svg", { class: "gw-eps-plot", viewBox: `0 0 ${W} ${H}`, role: "img" });
  const grid = add(root, "g", { class: "gw-plot-grid", "aria-hidden": "true" });
  add(root, "rect", {
    class: "gw-plot-frame",
    x: LEFT,
    y: plotTop,
    width: W - LEFT - RIGHT,
    height: plotBottom - plotTop,
  });
  const book = add(root, "line", { class: "gw-eps-book", y1: plotTop, y2: plotBottom });
  const bookLabel = add(root, "text", { class: "gw-eps-book-label", y: plotTop + 14 });
  const mine = add(root, "line", { class: "gw-eps-mine", y1: plotTop, y2: plotBottom });
  const mineLabel = add(root, "text", { class: "gw-eps-mine-label", y: plotTop + 30 });
  const line = add(root, "path", { class: "gw-eps-line" });
  const dots = add(root, "g", { class: "gw-eps-dots" });
  // the curve is a V, high at both ends: its lower corners are free for the two words
  const truncation = add(root, "text", { class: "gw-eps-region", x: LEFT + 8, y: plotBottom - 8 });
  const rounding = add(root, "text", {
    class: "gw-eps-region",
    x: W - RIGHT - 8,
    y: plotBottom - 8,
    "text-anchor": "end",
  });
  const xLabel = add(root, "text", { class: "gw-plot-axis-label", x: W - RIGHT, y: H - 4 });
  const yLabel = add(root, "text", {
    class: "gw-plot-axis-label gw-plot-axis-label-y",
    x: 4,
    y: plotTop - 9,
  });

  /** @param {EpsPlotData} data */
  function update(data) {
    const lang = data.lang;
    const { points, floor, top } = epsPoints(data.curve || {});
    root.classList.toggle("gw-plot-empty", points.length < 2);
    if (points.length < 2) {
      root.setAttribute("aria-label", translate(lang, "epsNone"));
      return false;
    }
    const epsValues = points.map((p) => p.eps);
    const epsDomain = /** @type {[number, number]} */ ([Math.max(...epsValues), Math.min(...epsValues)]);
    const sx = logScale(epsDomain, [LEFT + 6, W - RIGHT - 6]);
    const sy = logScale([floor, top], [plotBottom, plotTop]);
    setAttrs(line, {
      d: linePath(
        epsValues,
        points.map((p) => p.error),
        sx,
        sy,
      ),
    });
    dots.replaceChildren(
      ...points.map((p) =>
        svg("circle", {
          class: p.exact ? "gw-eps-dot exact" : "gw-eps-dot",
          cx: sx(p.eps).toFixed(1),
          cy: sy(p.error).toFixed(1),
          r: 3.5,
          "data-eps": String(p.eps),
          "data-error": p.exact ? "0" : String(p.error),
        }),
      ),
    );
    const bookEps = parseNumber(data.curve.book_eps) ?? 1e-4;
    const bx = sx(bookEps).toFixed(1);
    setAttrs(book, { x1: bx, x2: bx });
    setAttrs(bookLabel, { x: (sx(bookEps) + 4).toFixed(1) });
    bookLabel.textContent = `${translate(lang, "bookEps")} = ${formatNumber(bookEps)}`;
    const eps = Number(data.eps);
    const showMine = Number.isFinite(eps) && eps > 0 && Math.abs(Math.log10(eps) - Math.log10(bookEps)) > 1e-6;
    const mx = sx(eps).toFixed(1);
    setAttrs(mine, { x1: mx, x2: mx, visibility: showMine ? null : "hidden" });
    setAttrs(mineLabel, { x: (sx(eps) + 4).toFixed(1), visibility: showMine ? null : "hidden" });
    mineLabel.textContent = `${translate(lang, "yourEps")} = ${formatNumber(eps)}`;
    truncation.textContent = `\u2190 ${translate(lang, "truncation")}`;
    rounding.textContent = `${translate(lang, "rounding")} \u2192`;
    xLabel.textContent = translate(lang, "epsAxis");
    yLabel.textContent = translate(lang, "errorAxis");

    grid.replaceChildren();
    for (const e of decades(epsDomain[1], epsDomain[0])) {
      const px = sx(10 ** e);
      if (px < LEFT || px > W - RIGHT) continue;
      grid.append(
        svg("line", {
          class: "gw-plot-gridline",
          x1: px.toFixed(1),
          x2: px.toFixed(1),
          y1: plotTop,
          y2: plotBottom,
        }),
      );
      if (e % 2 === 0)
        grid.append(
          svg(
            "text",
            { class: "gw-plot-tick-label", x: px.toFixed(1), y: plotBottom + 16, "text-anchor": "middle" },
            [`1e${e}`.replace("-", "\u2212")],
          ),
        );
    }
    const ys = decades(floor, top);
    const every = Math.max(1, Math.ceil(ys.length / 5));
    for (const e of ys) {
      const py = sy(10 ** e);
      if (py < plotTop - 0.5 || py > plotBottom + 0.5) continue;
      grid.append(
        svg("line", { class: "gw-plot-gridline", x1: LEFT, x2: W - RIGHT, y1: py.toFixed(1), y2: py.toFixed(1) }),
      );
      if (e % every === 0)
        grid.append(
          svg(
            "text",
            { class: "gw-plot-tick-label", x: LEFT - 6, y: py.toFixed(1), dy: "0.35em", "text-anchor": "end" },
            [`1e${e}`.replace("-", "\u2212")],
          ),
        );
    }

    const best = points.reduce((a, b) => (b.error < a.error ? b : a));
    root.setAttribute(
      "aria-label",
      translate(lang, "epsLabel", {
        x: data.xName || "x",
        at: formatNumber(data.curve.at),
        min: best.exact ? "0" : formatNumber(best.error, 2),
        best: formatNumber(best.eps),
      }),
    );
    return true;
  }

  return { el: root, update };
}
