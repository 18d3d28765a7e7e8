// Is a Python object answering for this widget? DOM-free: the model and the clock are passed in.
//
// A widget can outlive its kernel: an exported page never had one, a notebook reopened from saved widget state has
// no Python object behind it, and a kernel restarts, crashes, is shut down or sits behind a dropped network while
// the widget stays on screen. The page keeps stepping and playing from the numbers it has, says which of these it
// is, and refuses the edits only Python can carry out. What the front ends tell us (measured in JupyterLab 4.6,
// Notebook 7.6 and Voila 0.5, see tests/browser/test_kernel_loss.py):
//   - restart or crash: the model fires `comm_live_update` (its comm is dead for good), save_changes does nothing
//     and send throws "Cannot send";
//   - shutdown: no model event; the widget manager's `kernel` turns null, save_changes logs an error and send throws;
//   - a dropped network: nothing at all; messages wait in the kernel connection until it reconnects;
//   - the standard HTML export (ipywidgets' html-manager) and gradwidget's own exported page have no kernel at all.
// So a ping (a custom message Python answers with a pong) every HEARTBEAT_MS tells live from not answering, and a
// send that throws or a dead comm tells gone.

/** Between pings. */
export const HEARTBEAT_MS = 2000;
/** A ping unanswered this long: the kernel is busy, far away or gone. Generous: a hub may be 200 ms away. */
export const ANSWER_MS = 4000;

export const PING = "gradwidget:ping";
export const PONG = "gradwidget:pong";
/** After the kernel answers again: Python sends its whole state back, the truth for everything the page shows. */
export const RESYNC = "gradwidget:resync";

/**
 * The traits the page may change with no kernel: they change only what it shows of numbers it already has.
 * Anything else (blocks, code, eps, x without a table) needs Python to compute.
 */
const PAGE_TRAITS = new Set(["step", "playing", "speed", "lang", "presenter", "predict"]);

/** The standard HTML export (ipywidgets' html-manager) holds its widgets' state in a script of this type. */
const EMBEDDED_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';

/**
 * @typedef {"connecting" | "live" | "offline" | "lost" | "gone"} LinkState
 *   connecting: not known yet, behave as live; live: Python answered lately; offline: no kernel behind this widget
 *   (an exported or saved copy); lost: Python answered once and not lately; gone: its comm is dead for good (the
 *   kernel restarted or shut down): running the cell again is the only way back
 *
 * @typedef {object} HostModel  anywidget's model as a host gives it (the part used here)
 * @property {(name: string) => any} get
 * @property {(name: string, value: any) => void} set
 * @property {(event: string, cb: (...args: any[]) => void) => void} on
 * @property {(event: string, cb: (...args: any[]) => void) => void} off
 * @property {() => void} save_changes
 * @property {(content: any, callbacks?: any, buffers?: any[]) => void} [send]
 * @property {any} [widget_manager]
 * @property {boolean} [offline]  gradwidget's exported page: a model with no kernel behind it, said outright
 */

/** @type {import("./coalesce.js").Timers} */
const REAL_TIMERS = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};

/**
 * @param {HostModel} model
 * @returns {boolean} the host says there is no kernel behind this model, and never will be
 */
export function hostHasNoKernel(model) {
  if (model.offline === true) return true;
  const manager = model.widget_manager;
  if (!manager || typeof manager !== "object" || "kernel" in manager) return false;
  return typeof document !== "undefined" && document.querySelector(EMBEDDED_STATE) !== null;
}

/**
 * @param {HostModel} model
 * @returns {boolean} the host's widget manager had a kernel and has none now (JupyterLab after a shutdown)
 */
function kernelShutDown(model) {
  const manager = model.widget_manager;
  return Boolean(manager && typeof manager === "object" && "kernel" in manager && !manager.kernel);
}

/**
 * @param {HostModel} host
 * @param {{timers?: import("./coalesce.js").Timers, canSlide?: () => boolean}} [options]
 *   canSlide: whether the page can show a new x by itself (a table of every slider position)
 */
export function createLink(host, options = {}) {
  const timers = options.timers ?? REAL_TIMERS;
  const canSlide = options.canSlide ?? (() => false);
  /** @type {LinkState} */
  let state = hostHasNoKernel(host) ? "offline" : "connecting";
  let answeredOnce = false;
  /** The page changed traits while Python could not hear: send them when it answers again. */
  let unsent = false;
  /** @type {any} */
  let answerTimer = null;
  /** @type {any} */
  let pingTimer = null;
  /** @type {Set<(state: LinkState) => void>} */
  const listeners = new Set();

  function become(/** @type {LinkState} */ next) {
    if (next === state || state === "gone") return;
    state = next;
    if (state === "gone") stop();
    for (const listener of [...listeners]) listener(state);
  }

  const live = () => state === "live" || state === "connecting";

  /**
   * Send a custom message, never throwing into the page: a send on a dead comm throws.
   * @param {any} content
   * @returns {boolean} sent
   */
  function sendRaw(content) {
    if (kernelShutDown(host)) {
      become("gone");
      return false;
    }
    try {
      host.send?.(content);
      return true;
    } catch {
      become("gone");
      return false;
    }
  }

  function ping() {
    pingTimer = null;
    if (state === "gone" || hostHasNoKernel(host)) return;
    // armed before sending: a host may answer within send itself
    if (answerTimer === null)
      answerTimer = timers.setTimeout(() => {
        answerTimer = null;
        become(answeredOnce ? "lost" : "offline");
        schedulePing();
      }, ANSWER_MS);
    sendRaw({ type: PING });
  }

  function schedulePing() {
    if (pingTimer === null && state !== "gone") pingTimer = timers.setTimeout(ping, HEARTBEAT_MS);
  }

  function pong() {
    if (answerTimer !== null) timers.clearTimeout(answerTimer);
    answerTimer = null;
    const wasDown = !live();
    answeredOnce = true;
    become("live");
    if (wasDown) resync();
    schedulePing();
  }

  /** Python answers again: first what the page changed meanwhile, then Python's state over everything. */
  function resync() {
    if (unsent) {
      unsent = false;
      save();
    }
    sendRaw({ type: RESYNC });
  }

  function save() {
    if (!live()) {
      unsent = true;
      return;
    }
    if (kernelShutDown(host)) {
      unsent = true;
      become("gone");
      return;
    }
    try {
      host.save_changes();
    } catch {
      unsent = true;
      become("gone");
    }
  }

  /** @param {any} content */
  const onMessage = (content) => {
    if (content && content.type === PONG) pong();
  };
  // JupyterLab: the comm died with a restarted or crashed kernel; nothing will answer for this model again.
  const onCommLive = () => become("gone");
  host.on("msg:custom", onMessage);
  host.on("comm_live_update", onCommLive);

  function stop() {
    if (answerTimer !== null) timers.clearTimeout(answerTimer);
    if (pingTimer !== null) timers.clearTimeout(pingTimer);
    answerTimer = pingTimer = null;
  }

  if (state === "connecting") ping();

  /**
   * @param {string} name
   * @returns {boolean} the page may set this trait now
   */
  const maySet = (name) => live() || PAGE_TRAITS.has(name) || ((name === "x" || name === "values") && canSlide());

  /** The model every part of the page uses: the host's, with writes that never throw and wait for Python. */
  const model = {
    get: (/** @type {string} */ name) => host.get(name),
    set(/** @type {string} */ name, /** @type {any} */ value) {
      if (maySet(name)) host.set(name, value);
    },
    on: (/** @type {string} */ event, /** @type {(...args: any[]) => void} */ cb) => host.on(event, cb),
    off: (/** @type {string} */ event, /** @type {(...args: any[]) => void} */ cb) => host.off(event, cb),
    save_changes: save,
    /** @param {any} content */
    send(content) {
      if (live()) sendRaw(content);
    },
  };

  return {
    model,
    /** @returns {LinkState} */
    state: () => state,
    /** @returns {boolean} Python can carry out edits (blocks, code, eps) now */
    canEdit: live,
    /** @param {(state: LinkState) => void} listener @returns {() => void} unsubscribe */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      stop();
      listeners.clear();
      host.off("msg:custom", onMessage);
      host.off("comm_live_update", onCommLive);
    },
  };
}

/** @typedef {ReturnType<typeof createLink>} Link */
