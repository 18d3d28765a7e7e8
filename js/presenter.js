// Presenter mode, for a projector: larger type (root class gw-presenter), and the numbers the current step
// produced stay hidden until revealed, so a class can say them first. Click a node (or the card) to reveal it,
// Reveal (or the R key) for everything; a new step hides again.
import "./presenter.css";
import { h, listen, setText } from "./dom.js";
import { translate } from "./i18n.js";

/** @typedef {import("./actions.js").Model} Model */

/**
 * @param {Model} model
 * @param {HTMLElement} root   the widget's root: gets gw-presenter and gw-conceal
 * @param {HTMLElement} graphEl  the graph view (nodes are g[data-node-id])
 * @param {HTMLElement} cardEl   the derivative card
 * @param {HTMLElement} strip  the graph's strip: gets what is hidden, how to show it, and Reveal
 */
export function createPresenter(model, root, graphEl, cardEl, strip) {
  const button = h("button", { type: "button", class: "gw-reveal", "aria-pressed": "false" });
  const note = h("span", { class: "gw-reveal-note" });
  const el = h("span", { class: "gw-reveal-box" }, [note, button]);
  strip.append(el);
  let revealedAll = false;
  let cardRevealed = false;
  /** @type {Set<string>} */
  const revealedNodes = new Set();
  let shownStep = model.get("step");

  /** Reveal state belongs to one step: moving on hides the new step's numbers again. */
  function resetIfMoved() {
    const k = model.get("step");
    if (k === shownStep) return;
    shownStep = k;
    revealedAll = false;
    cardRevealed = false;
    revealedNodes.clear();
  }

  function apply() {
    resetIfMoved();
    const lang = model.get("lang");
    const on = Boolean(model.get("presenter"));
    // Predict first asks about the next step, and the class needs this step's numbers to answer it: the question
    // hides what is to come, so nothing else is hidden then.
    const concealed = on && !revealedAll && !model.get("predict");
    root.classList.toggle("gw-presenter", on);
    root.classList.toggle("gw-conceal", concealed);
    cardEl.classList.toggle("gw-revealed", cardRevealed);
    for (const g of graphEl.querySelectorAll("g.gw-revealed")) {
      if (!revealedNodes.has(g.getAttribute("data-node-id") || "")) g.classList.remove("gw-revealed");
    }
    for (const id of revealedNodes) {
      graphEl.querySelector(`g[data-node-id="${CSS.escape(id)}"]`)?.classList.add("gw-revealed");
    }
    el.hidden = !on || Boolean(model.get("predict")); // nothing to reveal while predicting
    setText(button, translate(lang, revealedAll ? "hide" : "reveal"));
    button.setAttribute("aria-pressed", revealedAll ? "true" : "false");
    setText(note, concealed ? translate(lang, "revealHint") : "");
  }

  function toggleAll() {
    resetIfMoved();
    revealedAll = !revealedAll;
    if (!revealedAll) {
      cardRevealed = false;
      revealedNodes.clear();
    }
    apply();
  }

  const offs = [
    listen(button, "click", toggleAll),
    listen(graphEl, "click", (/** @type {MouseEvent} */ e) => {
      if (!model.get("presenter")) return;
      const g = /** @type {Element} */ (e.target).closest?.("g[data-node-id]");
      if (!g) return;
      resetIfMoved();
      revealedNodes.add(g.getAttribute("data-node-id") || "");
      apply();
    }),
    listen(cardEl, "click", () => {
      if (!model.get("presenter")) return;
      resetIfMoved();
      cardRevealed = true;
      apply();
    }),
    listen(root, "keydown", (/** @type {KeyboardEvent} */ e) => {
      if (!model.get("presenter") || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key !== "r" && e.key !== "R") return;
      const target = /** @type {HTMLElement} */ (e.target);
      if (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      e.preventDefault();
      e.stopPropagation();
      toggleAll();
    }),
  ];

  apply();
  return {
    apply,
    destroy() {
      offs.forEach((off) => off());
      el.remove();
    },
  };
}
