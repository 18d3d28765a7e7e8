// The palette (one Add button per block) and the stack (the blocks in order, each removable and movable by
// buttons, mouse drag and drop, or Alt+ArrowUp/Down). Every edit just sets `blocks`; Python rebuilds the graph.
import { blockNames, dropIndex } from "./blocks.js";
import { h, listen, setText, uniqueId } from "./dom.js";
import { translator } from "./i18n.js";

/** @typedef {import("./actions.js").Model} Model */
/** @typedef {import("./actions.js").Actions} Actions */

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
  /** @type {number | null} */
  let dragFrom = null;

  /** @type {(() => void)[]} */
  let rowOffs = [];
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

  /**
   * @param {string[]} blocks
   */
  function drawStack(blocks) {
    rowOffs.forEach((off) => off());
    rowOffs = [];
    stack.replaceChildren();
    empty.hidden = blocks.length > 0;
    blocks.forEach((name, i) => {
      const names = blockNames(i, name, model.get("lang"));
      const up = h("button", { type: "button", class: "gw-up", "aria-label": names.up, title: t("moveUp") }, [
        "\u2191",
      ]);
      const down = h(
        "button",
        { type: "button", class: "gw-down", "aria-label": names.down, title: t("moveDown") },
        ["\u2193"],
      );
      const remove = h(
        "button",
        { type: "button", class: "gw-remove", "aria-label": names.remove, title: t("remove") },
        ["\u2715"],
      );
      up.disabled = i === 0;
      down.disabled = i === blocks.length - 1;
      const li = h(
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
      const moveTo = (/** @type {number} */ to, /** @type {"row" | "up" | "down"} */ part) => {
        if (to < 0 || to >= blocks.length) return;
        pendingFocus = { index: to, part };
        actions.move(i, to);
      };
      rowOffs.push(
        listen(up, "click", () => moveTo(i - 1, i - 1 === 0 ? "down" : "up")),
        listen(down, "click", () => moveTo(i + 1, i + 1 === blocks.length - 1 ? "up" : "down")),
        listen(remove, "click", () => {
          pendingFocus = { index: Math.min(i, blocks.length - 2), part: "remove" };
          actions.remove(i);
        }),
        listen(li, "keydown", (/** @type {KeyboardEvent} */ e) => {
          if (e.target !== li || !e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
          e.preventDefault();
          e.stopPropagation();
          moveTo(e.key === "ArrowUp" ? i - 1 : i + 1, "row");
        }),
        listen(li, "dragstart", (/** @type {DragEvent} */ e) => {
          dragFrom = i;
          li.classList.add("dragging");
          if (e.dataTransfer) {
            e.dataTransfer.effectAllowed = "move";
            e.dataTransfer.setData("text/plain", String(i));
          }
        }),
        listen(li, "dragover", (/** @type {DragEvent} */ e) => {
          if (dragFrom === null) return;
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
          const rect = li.getBoundingClientRect();
          const before = e.clientY < rect.top + rect.height / 2;
          li.classList.toggle("drop-before", before);
          li.classList.toggle("drop-after", !before);
        }),
        listen(li, "dragleave", () => li.classList.remove("drop-before", "drop-after")),
        listen(li, "drop", (/** @type {DragEvent} */ e) => {
          if (dragFrom === null) return;
          e.preventDefault();
          const rect = li.getBoundingClientRect();
          const from = dragFrom;
          dragFrom = null;
          clearDropMarks();
          actions.move(from, dropIndex(from, i, e.clientY < rect.top + rect.height / 2));
        }),
        listen(li, "dragend", () => {
          dragFrom = null;
          clearDropMarks();
        }),
      );
      stack.append(li);
    });
  }

  function applyPendingFocus() {
    if (!pendingFocus) return;
    const { index, part } = pendingFocus;
    pendingFocus = null;
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
      rowOffs.forEach((off) => off());
      paletteOffs.forEach((off) => off());
    },
  };
}
