// Pan and zoom for the graph's SVG: drag to pan, pinch or Ctrl+wheel to zoom (a plain wheel always scrolls the
// notebook: a graph that took it once clicked would trap the learner scrolling past), + / - / 0 keys, and Zoom out /
// Zoom in / Fit buttons. Zoomed out below ZOOM.overview, the drawing is the overview (class gw-overview).
// The SVG keeps its natural size and viewBox; a view is a CSS transform of it inside a clipping viewport
// (viewport.js does the math). Changing the viewBox instead would make the browser lay out every node's text
// again on each pan, and the view pans on most backward steps of a big graph.
import "./zoom.css";
import { h, listen, setText } from "./dom.js";
import { translate } from "./i18n.js";
import {
  canPan,
  clampView,
  fitView,
  initialView,
  panBy,
  pinch,
  reveal,
  viewBox,
  wheelFactor,
  ZOOM,
  zoomAt,
  zoomKey,
  zoomLimits,
} from "./viewport.js";

/** @typedef {import("./viewport.js").Rect} Rect */
/** @typedef {import("./viewport.js").View} View */
/** @typedef {import("./viewport.js").Point} Point */
/** @typedef {import("./viewport.js").Size} Size */

/**
 * @typedef {object} ZoomHooks
 * @property {(view: View, size: Size) => void} [onView]  the view moved (a big graph draws what comes into it)
 * @property {(width: number) => boolean} [onResize]  the viewport's width changed; true when the drawing was made
 *   anew for it (it then has its first view already)
 */

/** Width to lay out for while the widget is not in the page yet (anywidget may render before it is attached). */
const FALLBACK_WIDTH = 800;
/** A press that moves less than this (px) is a click, not a drag. */
const DRAG_THRESHOLD = 4;

/** @param {string} text @param {string} label @param {string} cls */
function zoomButton(text, label, cls) {
  return h("button", { type: "button", class: cls, "aria-label": label, title: label }, [text]);
}

/**
 * @param {HTMLElement} frame  the graph's box: gets the toolbar and the keys
 * @param {SVGElement} svgRoot
 * @param {ZoomHooks} [hooks]
 */
export function createZoom(frame, svgRoot, hooks = {}) {
  const zoomOut = zoomButton("\u2212", "Zoom out", "gw-zoom-out");
  const zoomIn = zoomButton("+", "Zoom in", "gw-zoom-in");
  const fit = zoomButton("Fit", "Fit", "gw-zoom-fit");
  const level = h("span", { class: "gw-zoom-level", title: "Zoom" });
  const hint = h("span", { class: "gw-zoom-hint" });
  // the strip's start, for what others have to say about the drawing (presenter mode: "Values are hidden", Reveal)
  const lead = h("span", { class: "gw-zoom-lead" });
  // A strip above the drawing rather than floating over it: a flat chain's nodes fill the top of the viewport.
  const toolbar = h("div", { class: "gw-zoom", role: "toolbar", "aria-label": "Zoom" }, [
    lead,
    hint,
    zoomOut,
    zoomIn,
    fit,
    level,
  ]);
  const viewport = h("div", { class: "gw-viewport" });
  svgRoot.replaceWith(viewport);
  viewport.append(svgRoot);
  frame.prepend(toolbar);
  frame.classList.add("gw-zoomable");
  svgRoot.setAttribute("tabindex", "0");

  /** @type {Rect | null} */
  let content = null;
  /** @type {number[]} where the first view may end between a wrapped chain's rows */
  let cuts = [];
  /** @type {import("./viewport.js").Size} */
  let size = { width: FALLBACK_WIDTH, height: ZOOM.minHeight };
  /** @type {View} */
  let view = { x: 0, y: 0, scale: 1 };
  /** "first": the first view (re-made on resize); "fit": Fit (re-fitted on resize); "user": zoomed or panned */
  let mode = /** @type {"first" | "fit" | "user"} */ ("first");
  /** @type {import("./viewport.js").Limits} */
  let limits = ZOOM;

  /**
   * The viewport's width as the resize observer last reported it. Read there, where the page is already laid out,
   * never on demand: reading it while a new drawing waits to be laid out would lay out the whole page once more.
   * Until the first report (in the same frame as the first layout, before paint) the view uses a fallback width.
   */
  let observedWidth = 0;

  function measuredWidth() {
    return observedWidth > 0 ? observedWidth : FALLBACK_WIDTH;
  }

  function apply() {
    if (!content) return;
    viewport.style.height = `${size.height}px`;
    // user point (x, y) at the viewport's top-left corner, `scale` px per user unit
    const tx = -view.scale * (view.x - content.x);
    const ty = -view.scale * (view.y - content.y);
    svgRoot.style.transform = `translate(${tx.toFixed(2)}px, ${ty.toFixed(2)}px) scale(${view.scale.toFixed(5)})`;
    frame.setAttribute("data-view", viewBox(view, size));
    const { min, max } = zoomLimits(content, size);
    zoomIn.disabled = view.scale >= max - 1e-9;
    zoomOut.disabled = view.scale <= min + 1e-9;
    level.textContent = `${Math.round(view.scale * 100)}%`;
    frame.setAttribute("data-zoom", view.scale.toFixed(3));
    // the overview: a class on the drawing only when it changes, as it restyles every node
    const overview = view.scale < ZOOM.overview;
    if (svgRoot.classList.contains("gw-overview") !== overview) svgRoot.classList.toggle("gw-overview", overview);
    hint.hidden = !canPan(view, content, size); // "drag to pan" where there is nothing to pan would mislead
    hooks.onView?.(view, size);
  }

  function first() {
    if (!content) return;
    const start = initialView(content, measuredWidth(), limits, cuts);
    size = { width: measuredWidth(), height: start.height };
    view = start.view;
    mode = "first";
    apply();
  }

  function fitAll() {
    if (!content) return;
    view = fitView(content, size, limits);
    mode = "fit";
    apply();
  }

  /** @param {number} factor @param {Point} [at]  default: the viewport's centre */
  function zoomBy(factor, at) {
    if (!content) return;
    view = zoomAt(view, factor, at ?? { x: size.width / 2, y: size.height / 2 }, content, size);
    mode = "user";
    apply();
  }

  /** @param {number} dx @param {number} dy */
  function pan(dx, dy) {
    if (!content) return;
    view = panBy(view, dx, dy, content, size);
    mode = "user";
    apply();
  }

  const resizes =
    typeof ResizeObserver === "function"
      ? new ResizeObserver(() => {
          observedWidth = viewport.clientWidth;
          const width = measuredWidth();
          if (content && width === size.width) return;
          const was = mode;
          if (hooks.onResize?.(width)) {
            // drawn anew for this width, from its first view: a learner who asked to see it all still does (a
            // scrollbar that comes or goes re-wraps a long chain's rows)
            if (was === "fit") fitAll();
            return;
          }
          if (!content) return; // nothing drawn yet
          if (mode === "first") return first();
          size = { width, height: size.height };
          if (mode === "fit") return fitAll();
          view = clampView(view, content, size);
          apply();
        })
      : null;
  resizes?.observe(frame);

  /** @param {MouseEvent | PointerEvent} e @returns {Point} */
  const local = (e) => {
    const r = viewport.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  /** @type {Map<number, Point>} */
  const pointers = new Map();
  let dragging = false;
  let justDragged = false;
  /** @type {Point | null} */
  let pressedAt = null;

  const offs = [
    listen(zoomIn, "click", () => zoomBy(ZOOM.step)),
    listen(zoomOut, "click", () => zoomBy(1 / ZOOM.step)),
    listen(fit, "click", fitAll),
    listen(frame, "keydown", (/** @type {KeyboardEvent} */ e) => {
      const tag = /** @type {HTMLElement} */ (e.target).tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
      const what = zoomKey(e);
      if (!what) return;
      e.preventDefault();
      e.stopPropagation(); // "0" and "-" are notebook commands in JupyterLab
      if (what === "fit") fitAll();
      else zoomBy(what === "in" ? ZOOM.step : 1 / ZOOM.step);
    }),
    listen(
      viewport,
      "wheel",
      (/** @type {WheelEvent} */ e) => {
        // Ctrl+wheel, and a trackpad's pinch (which the browser sends as one); anything else scrolls the page
        if (!content || !(e.ctrlKey || e.metaKey)) return;
        e.preventDefault();
        zoomBy(wheelFactor(e.deltaY, e.deltaMode), local(e));
      },
      { passive: false },
    ),
    listen(viewport, "pointerdown", (/** @type {PointerEvent} */ e) => {
      if (e.pointerType === "mouse" && e.button !== 0) return;
      const target = /** @type {Element} */ (e.target);
      // Click-to-focus, so + / - / 0 reach the graph; a focusable node keeps its own focus.
      const focusable = target.closest("[tabindex]");
      if (focusable === svgRoot || focusable === null) svgRoot.focus({ preventScroll: true });
      pointers.set(e.pointerId, local(e));
      pressedAt = local(e);
      justDragged = false;
    }),
    listen(viewport, "pointermove", (/** @type {PointerEvent} */ e) => {
      const before = pointers.get(e.pointerId);
      if (!before) return;
      const now = local(e);
      if (pointers.size >= 2) {
        const others = [...pointers.entries()].filter(([id]) => id !== e.pointerId);
        const other = others[0][1];
        if (content) {
          view = pinch(view, [before, other], [now, other], content, size);
          mode = "user";
          apply();
        }
        dragging = true;
      } else if (!dragging && pressedAt && Math.hypot(now.x - pressedAt.x, now.y - pressedAt.y) > DRAG_THRESHOLD) {
        dragging = true;
        viewport.setPointerCapture?.(e.pointerId);
        viewport.classList.add("panning");
        pan(now.x - before.x, now.y - before.y);
      } else if (dragging) {
        pan(now.x - before.x, now.y - before.y);
      }
      pointers.set(e.pointerId, now);
    }),
    ...["pointerup", "pointercancel"].map((type) =>
      listen(viewport, type, (/** @type {PointerEvent} */ e) => {
        pointers.delete(e.pointerId);
        if (pointers.size > 0) return;
        if (dragging) justDragged = true;
        dragging = false;
        pressedAt = null;
        viewport.classList.remove("panning");
      }),
    ),
    // The click that ends a drag is not a click on a node.
    listen(
      viewport,
      "click",
      (/** @type {MouseEvent} */ e) => {
        if (!justDragged) return;
        justDragged = false;
        e.stopPropagation();
        e.preventDefault();
      },
      { capture: true },
    ),
  ];

  /** @type {unknown} */
  let shownLang = null;
  return {
    toolbar,
    /** The viewport's width as last observed, or null before it was laid out. */
    width: () => (observedWidth > 0 ? observedWidth : null),
    lead,
    /** The first view's and Fit's bounds for the drawings to come. @param {import("./viewport.js").Limits} next */
    setLimits(next) {
      limits = next;
    },
    /** Words in the page's language ("en" or "ko"). @param {unknown} lang */
    setLang(lang) {
      if (lang === shownLang) return; // called on every redraw: write only on a switch
      shownLang = lang;
      const t = (/** @type {import("./i18n.js").StringKey} */ key) => translate(lang, key);
      for (const [button, key] of /** @type {const} */ ([
        [zoomOut, "zoomOut"],
        [zoomIn, "zoomIn"],
        [fit, "zoomFit"],
      ])) {
        button.setAttribute("aria-label", t(key));
        button.title = t(key);
      }
      setText(fit, t("zoomFit"));
      setText(hint, t("zoomHint"));
      toolbar.setAttribute("aria-label", t("zoom"));
      level.title = t("zoom");
    },
    /**
     * A new drawing (new layout): show it from the first view.
     * @param {Rect} rect  the drawing's extent in user units
     * @param {number[]} [rowCuts]  where its first view may end between rows (a wrapped chain's layout.cuts)
     */
    setContent(rect, rowCuts = []) {
      content = rect;
      cuts = rowCuts;
      const f = (/** @type {number} */ n) => String(Math.round(n * 100) / 100);
      svgRoot.setAttribute("viewBox", `${f(rect.x)} ${f(rect.y)} ${f(rect.width)} ${f(rect.height)}`);
      svgRoot.setAttribute("width", f(rect.width));
      svgRoot.setAttribute("height", f(rect.height));
      svgRoot.style.width = `${f(rect.width)}px`;
      svgRoot.style.height = `${f(rect.height)}px`;
      first();
    },
    /**
     * Pan just enough that `rect` (user units) is in view: the step being taken never happens off screen.
     * @param {Rect} rect
     */
    reveal(rect) {
      if (!content) return;
      const next = reveal(view, rect, content, size);
      if (next.x === view.x && next.y === view.y) return;
      view = next;
      apply();
    },
    zoomIn: () => zoomBy(ZOOM.step),
    zoomOut: () => zoomBy(1 / ZOOM.step),
    fit: fitAll,
    destroy() {
      resizes?.disconnect();
      offs.forEach((off) => off());
    },
  };
}
