// The model an exported page hands to render(): anywidget's model API (get/set/on/off/save_changes/send) over the
// state Python saved, with no kernel behind it. DOM-free, so node's tests drive it; page.js puts it in a page.
//
// The saved state is what gradwidget/export.py writes: {"format": 1, "widgets": [{"id", "state", "buffers"}]}, each
// buffer {"path": [...], "data": base64} as the notebook's widget state stores them; they become DataViews, as the
// kernel's binary buffers do in a live page.

export const PAGE_FORMAT = 1;

/** A saved page that cannot be read: the message says what is wrong with it. */
export class PageError extends Error {}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The saved state's text, read and checked as a whole.
 * @param {string | null | undefined} text  the state script's contents; null when the page has none
 * @returns {Map<string, any>} each widget's entry by its id
 */
export function parsePage(text) {
  if (text === null || text === undefined || text.trim() === "")
    throw new PageError("the page holds no saved widget state (the file is cut short?)");
  let page;
  try {
    page = JSON.parse(text);
  } catch (error) {
    throw new PageError(`the saved widget state is not valid JSON (${/** @type {Error} */ (error).message})`);
  }
  if (!isObject(page) || !Array.isArray(page.widgets))
    throw new PageError('the saved widget state has no "widgets" list');
  if (page.format !== PAGE_FORMAT)
    throw new PageError(
      `the saved state is format ${JSON.stringify(page.format)}; this page reads ${PAGE_FORMAT}`,
    );
  const entries = new Map();
  for (const entry of page.widgets) {
    if (isObject(entry) && typeof entry.id === "string") entries.set(entry.id, entry);
  }
  return entries;
}

/**
 * @param {string} data  base64
 * @returns {DataView}
 */
function decodeBase64(data) {
  if (typeof data !== "string") throw new PageError("a binary buffer's data is not text");
  let binary;
  try {
    binary = atob(data);
  } catch {
    throw new PageError("a binary buffer is not valid base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new DataView(bytes.buffer);
}

/**
 * One widget's state, its binary buffers put back where they were taken from, checked for what the page needs
 * to draw anything at all.
 * @param {any} entry
 * @returns {Record<string, any>}
 */
export function decodeEntry(entry) {
  if (!isObject(entry) || !isObject(entry.state)) throw new PageError("the widget's saved state is not an object");
  const state = structuredClone(entry.state);
  const buffers = entry.buffers ?? [];
  if (!Array.isArray(buffers)) throw new PageError("the widget's binary buffers are not a list");
  for (const buffer of buffers) {
    const path = isObject(buffer) ? buffer.path : null;
    if (!Array.isArray(path) || path.length === 0) throw new PageError("a binary buffer has no path");
    let parent = state;
    for (const key of path.slice(0, -1)) {
      parent = parent[key];
      if (typeof parent !== "object" || parent === null)
        throw new PageError(`a binary buffer's path ${path.join("/")} is not in the state`);
    }
    parent[path[path.length - 1]] = decodeBase64(buffer.data);
  }
  const graph = state.graph;
  if (!isObject(graph) || !Array.isArray(graph.nodes) || !Array.isArray(graph.steps))
    throw new PageError("the saved graph is missing or damaged (no nodes or steps)");
  if (!isObject(state.numbers)) throw new PageError("the saved numbers are missing");
  return state;
}

/**
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean} equal as Backbone's set compares: deeply, for the lists and objects traits hold
 */
function same(a, b) {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => same(a[k], b[k]));
  }
  return false;
}

/**
 * @param {Record<string, any>} state  decoded (decodeEntry)
 */
export function createPageModel(state) {
  /** @type {Map<string, Set<(...args: any[]) => void>>} */
  const listeners = new Map();
  const model = {
    /** No kernel, and never one: link.js reads this and says so at once. */
    offline: true,
    /** @param {string} name */
    get: (name) => state[name],
    /** A change fires change:<name> and then change, synchronously, as Backbone's set does. */
    set(/** @type {string} */ name, /** @type {any} */ value) {
      if (same(state[name], value)) return;
      state[name] = value;
      for (const event of [`change:${name}`, "change"])
        for (const cb of [...(listeners.get(event) ?? [])]) cb(model, value);
    },
    on(/** @type {string} */ event, /** @type {(...args: any[]) => void} */ cb) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      /** @type {Set<any>} */ (listeners.get(event)).add(cb);
    },
    off(/** @type {string} */ event, /** @type {(...args: any[]) => void} */ cb) {
      listeners.get(event)?.delete(cb);
    },
    /** Nothing to save to: the page's changes stay in the page. */
    save_changes() {},
    /** Nobody to send to. */
    send() {},
    /** @returns {number} handlers still subscribed (for tests: a closed view leaves none) */
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
  return model;
}
