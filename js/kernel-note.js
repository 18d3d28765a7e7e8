// The line that says the widget has no kernel behind it (or lost it), why, and how to get it back; and the
// controls only Python can carry out (the stack, the code box, eps, x without a table), disabled while it cannot.
import "./offline.css";
import { h, setText } from "./dom.js";
import { translate } from "./i18n.js";

/** @typedef {import("./link.js").Link} Link */
/** @typedef {import("./link.js").LinkState} LinkState */

/** @type {Record<LinkState, import("./i18n.js").StringKey | null>} */
const NOTES = { connecting: null, live: null, offline: "kernelOffline", lost: "kernelLost", gone: "kernelGone" };

/**
 * @typedef {object} KernelOnly
 * @property {Element | null | undefined} el  a part of the widget already in place in the page
 * @property {() => boolean} [enabled]  whether it works now (default: while Python can carry out edits)
 */

/**
 * @param {{link: Link, lang: () => unknown, root: HTMLElement, regions: KernelOnly[]}} options
 */
export function createKernelNote({ link, lang, root, regions }) {
  const el = h("p", { class: "gw-kernel-note", role: "status" });
  // A disabled fieldset disables every control inside it, including the ones its part draws again later (the stack
  // redraws its buttons on every change), and screen readers announce them as unavailable.
  /** @type {{fieldset: HTMLFieldSetElement, enabled: () => boolean}[]} */
  const wrapped = [];
  /** @param {KernelOnly[]} more */
  function wrap(more) {
    for (const r of more) {
      if (!r.el || !r.el.parentNode) continue;
      const fieldset = /** @type {HTMLFieldSetElement} */ (h("fieldset", { class: "gw-kernel-only" }));
      const part = /** @type {Element} */ (r.el);
      part.replaceWith(fieldset);
      fieldset.append(part);
      wrapped.push({ fieldset, enabled: r.enabled ?? link.canEdit });
    }
  }
  wrap(regions);

  function update() {
    const state = link.state();
    const key = NOTES[state];
    setText(el, key ? translate(lang(), key) : "");
    el.hidden = key === null;
    root.setAttribute("data-kernel", state);
    for (const { fieldset, enabled } of wrapped) fieldset.disabled = !enabled();
  }

  const unsubscribe = link.subscribe(update);
  update();
  return {
    el,
    update,
    /** Parts drawn later (those under the graph, after the first frame): wrapped, and enabled or not, now. */
    add(/** @type {KernelOnly[]} */ more) {
      wrap(more);
      update();
    },
    destroy: unsubscribe,
  };
}
