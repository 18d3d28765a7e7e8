// Tiny element builders. Text only ever goes in through textContent (createTextNode) and attributes through
// setAttribute: never innerHTML, because labels come from the learner's code and may be hostile.

const SVG_NS = "http://www.w3.org/2000/svg";

/** @typedef {Record<string, string | number | boolean | null | undefined>} Attrs */
/** @typedef {Node | string | null | undefined | false} Child */

/**
 * @param {Element} el
 * @param {Attrs} attrs
 */
export function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
      continue;
    }
    // Only real changes: writing an SVG attribute, even with its old value, makes the browser redo its style
    // and layout, and a step redraws every node of a graph that may have hundreds.
    const text = value === true ? "" : String(value);
    if (el.getAttribute(name) !== text) el.setAttribute(name, text);
  }
}

/**
 * Writes to elements that nothing else changes, skipping any that repeats the last one. It compares with what it
 * wrote before rather than reading the DOM back: a redraw of a big graph makes thousands of these writes, and most
 * repeat.
 */
export function createWriter() {
  /** @type {WeakMap<Element, Map<string, string | boolean | null>>} */
  const written = new WeakMap();
  /** @param {Element} el */
  const memo = (el) => {
    let m = written.get(el);
    if (!m) written.set(el, (m = new Map()));
    return m;
  };
  return {
    /**
     * @param {Element} el
     * @param {string} text
     * @returns {boolean} whether it changed
     */
    text(el, text) {
      const m = memo(el);
      if (m.get("") === text) return false;
      m.set("", text);
      el.textContent = text;
      return true;
    },
    /**
     * Attributes; null removes one.
     * @param {Element} el
     * @param {Record<string, string | null>} attrs
     */
    attrs(el, attrs) {
      const m = memo(el);
      for (const [name, value] of Object.entries(attrs)) {
        if (m.get(name) === value) continue;
        m.set(name, value);
        if (value === null) el.removeAttribute(name);
        else el.setAttribute(name, value);
      }
    },
    /**
     * Classes, each on or off.
     * @param {Element} el
     * @param {Record<string, boolean>} classes
     */
    classes(el, classes) {
      const m = memo(el);
      for (const [name, on] of Object.entries(classes)) {
        const key = `.${name}`;
        if (m.get(key) === on) continue;
        m.set(key, on);
        el.classList.toggle(name, on);
      }
    },
  };
}

/**
 * setAttrs for an element just made: it has no attributes to compare with or remove.
 * @param {Element} el
 * @param {Attrs} attrs
 */
function initAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false)
      el.setAttribute(name, value === true ? "" : String(value));
  }
}

/**
 * @param {Element} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  initAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * @param {string} tag
 * @param {Attrs} [attrs]
 * @param {Child[]} [children]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, children = []) {
  const el = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  initAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Set text only when it changed, so redraws don't disturb screen readers or selection. */
export function setText(/** @type {Node} */ el, /** @type {string} */ text) {
  if (el.textContent !== text) el.textContent = text;
}

let counter = 0;
/** A document-unique id prefix for one view (two views of one widget may share a page). */
export function uniqueId(/** @type {string} */ prefix) {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * addEventListener that returns its own remover, so a view can collect them and clean up in one place.
 * @param {EventTarget} target
 * @param {string} type
 * @param {(e: any) => void} handler
 * @param {AddEventListenerOptions} [options]
 * @returns {() => void}
 */
export function listen(target, type, handler, options) {
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}

/**
 * Run `work` when the browser is idle (soon, where it cannot say): what a first frame need not show.
 * @param {(deadline: {timeRemaining: () => number}) => void} work
 * @returns {number} a handle for cancelIdle
 */
export function whenIdle(work) {
  if (typeof requestIdleCallback === "function") return requestIdleCallback(work, { timeout: 500 });
  return /** @type {number} */ (/** @type {unknown} */ (setTimeout(() => work({ timeRemaining: () => 8 }), 16)));
}

/**
 * Run `work` in the task after the next frame's paint (a message posted from that frame's requestAnimationFrame):
 * what can show a frame later, so that the first frame shows sooner.
 * @param {() => void} work
 * @returns {() => void} cancel, if it has not run yet
 */
export function afterPaint(work) {
  let cancelled = false;
  const run = () => {
    if (!cancelled) work();
  };
  if (typeof requestAnimationFrame !== "function" || typeof MessageChannel !== "function") {
    const timer = setTimeout(run, 16);
    return () => clearTimeout(timer);
  }
  const frame = requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      run();
    };
    channel.port2.postMessage(null);
  });
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
  };
}

/** @param {number} handle  from whenIdle */
export function cancelIdle(handle) {
  (typeof cancelIdleCallback === "function" ? cancelIdleCallback : clearTimeout)(handle);
}
