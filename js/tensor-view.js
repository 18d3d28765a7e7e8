// Every value of a large array, opened from its node's "all N" button: a table of its values beside its grad at
// the current step, under the graph. It follows the steps and the sliders while open; Esc or Close shuts it and
// gives the focus back to the button. The numbers are Python's (the merged row), only formatted (tensor.js).
import "./tensor-view.css";
import { h, listen, setText } from "./dom.js";
import { translate } from "./i18n.js";
import { gradsAtStep } from "./state.js";
import { expandedRows, shapeText } from "./tensor.js";

/** @typedef {import("./state.js").Graph} Graph */

/**
 * @param {{focusNode?: (id: string) => void}} [options]  focusNode: give the focus back to a node's button on close
 */
export function createTensorView(options = {}) {
  const title = h("p", { class: "gw-tensor-title", id: "" });
  const close = h("button", { type: "button", class: "gw-tensor-close" });
  const note = h("p", { class: "gw-tensor-note" });
  const table = h("table", {});
  const el = h("section", { class: "gw-tensor", role: "region", hidden: true, tabindex: -1 }, [
    h("div", { class: "gw-tensor-bar" }, [title, close]),
    note,
    h("div", { class: "gw-tensor-scroll" }, [table]),
  ]);
  /** @type {string | null} */
  let open = null;
  let key = "";

  function shut() {
    const id = open;
    open = null;
    el.hidden = true;
    key = "";
    if (id) options.focusNode?.(id);
  }
  const offs = [
    listen(close, "click", shut),
    listen(el, "keydown", (/** @type {KeyboardEvent} */ e) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      shut();
    }),
  ];

  /**
   * Open the view on a node (it draws at the next update).
   * @param {string} id
   */
  function show(id) {
    open = id;
    key = "";
    el.hidden = false;
  }

  /**
   * @param {Graph} graph
   * @param {number} step
   * @param {unknown} lang
   */
  function update(graph, step, lang) {
    if (open === null) return;
    const node = graph.nodes.find((n) => n.id === open && n.kind === "variable");
    if (!node) return shut(); // the graph changed under it
    const t = (/** @type {import("./i18n.js").StringKey} */ k, /** @type {any} */ p = {}) => translate(lang, k, p);
    const state = gradsAtStep(graph, step).get(node.id);
    const grad = state ? state.grad : null;
    const nextKey = JSON.stringify([lang, node.id, node.value, grad]);
    if (nextKey === key) return;
    key = nextKey;
    const shape = shapeText(node.shape);
    const label = String(node.label);
    setText(title, t("tensorTitle", { name: label, shape }));
    setText(close, t("tensorClose"));
    el.setAttribute("aria-label", t("tensorTitle", { name: label, shape }));
    const values = expandedRows(node.value, node.shape);
    const grads = grad === null ? null : expandedRows(grad, node.shape);
    setText(
      note,
      values.shown < values.total ? t("tensorCut", { shown: values.shown, total: values.total, name: label }) : "",
    );
    note.hidden = values.shown >= values.total;
    // one row per row of the array: its index, its values, then its grads (— until backprop reaches it)
    const columns = Array.from({ length: values.columns }, (_, c) => c);
    const head = h("tr", {}, [
      h("th", { scope: "col" }, ["#"]),
      ...columns.map((c) =>
        h("th", { scope: "col" }, [values.columns > 1 ? `${t("tensorValue")} [${c}]` : t("tensorValue")]),
      ),
      ...columns.map((c) =>
        h("th", { scope: "col" }, [values.columns > 1 ? `${t("tensorGrad")} [${c}]` : t("tensorGrad")]),
      ),
    ]);
    const body = values.rows.map((row, r) =>
      h("tr", {}, [
        h("th", { scope: "row" }, [row.index]),
        ...row.cells.map((cell) => h("td", {}, [cell])),
        ...columns.map((c) => h("td", { class: "grad" }, [grads ? grads.rows[r].cells[c] : "\u2014"])),
      ]),
    );
    table.replaceChildren(h("thead", {}, [head]), h("tbody", {}, body));
  }

  return {
    el,
    show,
    update,
    /** The node whose values are open, or null. */
    openNode: () => open,
    destroy: () => offs.forEach((off) => off()),
  };
}
