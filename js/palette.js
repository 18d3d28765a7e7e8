// The palette (one Add button per block) and the stack (the blocks in order, each removable and movable by
// buttons, mouse drag and drop, or Alt+ArrowUp/Down). Every edit just sets `blocks`; Python rebuilds the graph.
import "./palette.css";
import { blockNames, dropIndex } from "./blocks.js";
import { h, listen, setText, uniqueId } from "./dom.js";
import { translator } from "./i18n.js";

/** @typedef {import("./actions.js").Model} Model */
/** @typedef {import("./actions.js").Actions} Actions */

/** Rows made at once: more than the stack's box shows. */
const ROWS_AT_ONCE = 30;

/**
 * Run `work` when the browser is idle (soon, where it cannot say).
 * @param {(deadline: {timeRemaining: () => number}) => void} work
 * @returns {number}
 */
function whenIdle(work) {
  if (typeof requestIdleCallback === "function") return requestIdleCallback(work, { timeout: 500 });
  return /** @type {number} */ (/** @type {unknown} */ (setTimeout(() => work({ timeRemaining: () => 8 }), 16)));
}

/**
 * @param {Model} model
 * @param {Actions} actions
 */
export function createBlockEditor(model, actions) {
  const t = translator(model);
  const paletteId = uniqueId("gw-palette");
  const stackId = uniqueId("gw-stack");
  const palette = h("div", { class: "gw-palette-buttons", role: "group", "aria-labelledby": paletteId });
  const stack = h("ol", { class: "gw-stack", "aria-labelledby": stackId });
  const empty = h("p", { class: "gw-stack-empty" });
  const paletteHeading = h("h3", { id: paletteId, class: "gw-heading" });
  const stackHeading = h("h3", { id: stackId, class: "gw-heading" });
  const el = h("div", { class: "gw-blocks" }, [
    h("div", { class: "gw-palette" }, [paletteHeading, palette]),
    h("div", { class: "gw-stack-box" }, [stackHeading, stack, empty]),
  ]);

  let paletteKey = "";
  let stackKey = "";
  /** Where focus should land after the next redraw of the stack (a moved block keeps focus). */
  /** @type {{index: number, part: "row" | "up" | "down" | "remove"} | null} */
  let pendingFocus = null;
  /** @type {(() => void)[]} */
  let paletteOffs = [];

  function drawPalette(/** @type {string[]} */ names) {
    paletteOffs.forEach((off) => off());
    paletteOffs = [];
    palette.replaceChildren();
    for (const name of names) {
      const b = h(
        "button",
        { type: "button", class: "gw-add", "aria-label": t("add", { name }), "data-block": name },
        [h("span", { class: "gw-glyph", "aria-hidden": "true" }, ["+"]), name],
      );
      paletteOffs.push(listen(b, "click", () => actions.add(name)));
      palette.append(b);
    }
  }

  function clearDropMarks() {
    for (const li of stack.children) li.classList.remove("drop-before", "drop-after", "dragging");
  }

  /** The blocks the stack shows now. */
  /** @type {string[]} */
  let shown = [];

  /**
   * One block's row. Rows carry no listeners of their own: the stack's listen for them all (a stack of hundreds
   * of blocks would otherwise add thousands).
   * @param {string[]} blocks
   * @param {number} i
   * @param {unknown} lang
   */
  function makeRow(blocks, i, lang) {
    const name = blocks[i];
    const names = blockNames(i, name, lang);
    const button = (
      /** @type {string} */ part,
      /** @type {string} */ label,
      /** @type {string} */ tip,
      /** @type {string} */ glyph,
    ) =>
      h("button", { type: "button", class: `gw-${part}`, "data-part": part, "aria-label": label, title: tip }, [
        glyph,
      ]);
    const up = button("up", names.up, t("moveUp"), "\u2191");
    const down = button("down", names.down, t("moveDown"), "\u2193");
    const remove = button("remove", names.remove, t("remove"), "\u2715");
    up.disabled = i === 0;
    down.disabled = i === blocks.length - 1;
    return h(
      "li",
      {
        class: "gw-stack-item",
        tabindex: 0,
        draggable: "true",
        "data-index": i,
        "data-block": name,
        "aria-label": names.row,
        title: t("dragHint"),
      },
      [
        h("span", { class: "gw-handle", "aria-hidden": "true" }, ["\u2807"]),
        h("span", { class: "gw-stack-index", "aria-hidden": "true" }, [`${i + 1}.`]),
        h("span", { class: "gw-stack-name" }, [name]),
        h("span", { class: "gw-stack-buttons" }, [up, down, remove]),
      ],
    );
  }

  /** The rows past the first ones, still to be made once the browser is idle. */
  let unmade = 0;
  /** @type {number | null} */
  let idleHandle = null;

  /**
   * The stack's rows: the first ones now, the others (a stack of hundreds) when the browser is idle, so the list
   * never delays the widget's first paint; its box shows a few rows anyway.
   * @param {string[]} blocks
   */
  function drawStack(blocks) {
    shown = blocks;
    empty.hidden = blocks.length > 0;
    cancelIdle();
    const first = Math.min(blocks.length, ROWS_AT_ONCE);
    stack.replaceChildren(...blocks.slice(0, first).map((_, i) => makeRow(blocks, i, model.get("lang"))));
    unmade = blocks.length - first;
    if (unmade > 0) idleHandle = whenIdle(makeMore);
  }

  /** @param {{timeRemaining: () => number}} deadline */
  function makeMore(deadline) {
    idleHandle = null;
    const lang = model.get("lang");
    /** @type {HTMLElement[]} */
    const rows = [];
    let i = shown.length - unmade;
    while (i < shown.length && (rows.length < ROWS_AT_ONCE || deadline.timeRemaining() > 2)) {
      rows.push(makeRow(shown, i++, lang));
    }
    stack.append(...rows);
    unmade = shown.length - i;
    if (unmade > 0) idleHandle = whenIdle(makeMore);
  }

  /** Make every row up to `index` now (focus is going there). @param {number} index */
  function makeRowsTo(index) {
    const lang = model.get("lang");
    for (let i = stack.children.length; i <= index && i < shown.length; i++) stack.append(makeRow(shown, i, lang));
    unmade = shown.length - stack.children.length;
  }

  function cancelIdle() {
    if (idleHandle === null) return;
    (typeof cancelIdleCallback === "function" ? cancelIdleCallback : clearTimeout)(idleHandle);
    idleHandle = null;
  }

  /**
   * The row an event happened in, and its index.
   * @param {Event} e
   * @returns {{li: HTMLElement, i: number} | null}
   */
  function rowOf(e) {
    const li = /** @type {HTMLElement | null} */ (/** @type {Element} */ (e.target).closest?.(".gw-stack-item"));
    if (!li || li.parentElement !== stack) return null;
    return { li, i: Number(li.getAttribute("data-index")) };
  }

  /**
   * @param {number} i
   * @param {number} to
   * @param {"row" | "up" | "down"} part  what keeps focus after the move
   */
  function moveTo(i, to, part) {
    if (to < 0 || to >= shown.length) return;
    pendingFocus = { index: to, part };
    actions.move(i, to);
  }

  /** @type {number | null} */
  let dragFrom = null;
  const stackOffs = [
    listen(stack, "click", (/** @type {MouseEvent} */ e) => {
      const row = rowOf(e);
      const part = /** @type {Element} */ (e.target).closest?.("button")?.getAttribute("data-part");
      if (!row || !part) return;
      const { i } = row;
      if (part === "up") moveTo(i, i - 1, i - 1 === 0 ? "down" : "up");
      else if (part === "down") moveTo(i, i + 1, i + 1 === shown.length - 1 ? "up" : "down");
      else if (part === "remove") {
        pendingFocus = { index: Math.min(i, shown.length - 2), part: "remove" };
        actions.remove(i);
      }
    }),
    listen(stack, "keydown", (/** @type {KeyboardEvent} */ e) => {
      const row = rowOf(e);
      if (!row || e.target !== row.li || !e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
      e.preventDefault();
      e.stopPropagation();
      moveTo(row.i, e.key === "ArrowUp" ? row.i - 1 : row.i + 1, "row");
    }),
    listen(stack, "dragstart", (/** @type {DragEvent} */ e) => {
      const row = rowOf(e);
      if (!row) return;
      dragFrom = row.i;
      row.li.classList.add("dragging");
      if (e.dataTransfer) {
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", String(row.i));
      }
    }),
    listen(stack, "dragover", (/** @type {DragEvent} */ e) => {
      const row = rowOf(e);
      if (dragFrom === null || !row) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
      const rect = row.li.getBoundingClientRect();
      const before = e.clientY < rect.top + rect.height / 2;
      row.li.classList.toggle("drop-before", before);
      row.li.classList.toggle("drop-after", !before);
    }),
    listen(stack, "dragleave", (/** @type {DragEvent} */ e) =>
      rowOf(e)?.li.classList.remove("drop-before", "drop-after"),
    ),
    listen(stack, "drop", (/** @type {DragEvent} */ e) => {
      const row = rowOf(e);
      if (dragFrom === null || !row) return;
      e.preventDefault();
      const rect = row.li.getBoundingClientRect();
      const from = dragFrom;
      dragFrom = null;
      clearDropMarks();
      actions.move(from, dropIndex(from, row.i, e.clientY < rect.top + rect.height / 2));
    }),
    listen(stack, "dragend", () => {
      dragFrom = null;
      clearDropMarks();
    }),
  ];

  function applyPendingFocus() {
    if (!pendingFocus) return;
    const { index, part } = pendingFocus;
    pendingFocus = null;
    makeRowsTo(index);
    const li = /** @type {HTMLElement | undefined} */ (stack.children[index]);
    if (!li) {
      // The last block went: keep focus inside the widget so its shortcuts still work.
      /** @type {HTMLElement | null} */ (palette.querySelector("button"))?.focus();
      return;
    }
    const target = part === "row" ? li : li.querySelector(`.gw-${part}`);
    const focusable = target instanceof HTMLButtonElement && target.disabled ? li : target;
    if (focusable instanceof HTMLElement) focusable.focus();
  }

  function update() {
    const names = /** @type {string[]} */ (model.get("palette") || []);
    const blocks = /** @type {string[]} */ (model.get("blocks") || []);
    const lang = model.get("lang");
    setText(paletteHeading, t("addHeading"));
    setText(stackHeading, t("stackHeading"));
    setText(empty, t("noBlocks"));
    const pk = JSON.stringify([lang, names]);
    if (pk !== paletteKey) {
      paletteKey = pk;
      drawPalette(names);
    }
    const sk = JSON.stringify([lang, blocks]);
    if (sk !== stackKey) {
      stackKey = sk;
      drawStack(blocks);
      applyPendingFocus();
    }
  }

  update();
  return {
    el,
    update,
    destroy() {
      cancelIdle();
      stackOffs.forEach((off) => off());
      paletteOffs.forEach((off) => off());
    },
  };
}
