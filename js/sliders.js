// The input sliders: one for x (GradWidget), or one per leaf of the graph (GraphWidget, made by show(y)). Each is an
// <input type="range"> named by its variable, with the number beside it in an <output>. A slider moves on the grid
// Python worked its table out on (table.js): a drag snaps to it, and the keys step along it the same way in every
// front end (JupyterLab's own shortcuts would swallow the arrows, the browser's own step would be a thousandth).
import "./sliders.css";
import { h, listen, setText, uniqueId } from "./dom.js";
import { describeInputs, describeX, formatNumber } from "./state.js";
import { nearestPosition, positionForKey, sliderStep, tableNote } from "./table.js";

/** @typedef {import("./actions.js").Model} Model */
/** @typedef {import("./actions.js").Actions} Actions */
/** @typedef {import("./state.js").Graph} Graph */
/** @typedef {import("./table.js").SliderTable} SliderTable */

/**
 * One labelled range input on a grid.
 * @param {string} name  the variable's label: the input's accessible name
 * @param {(value: number) => number} onInput  the slider moved to value; returns the x it snapped to
 * @param {() => void} onRelease  the learner let go of it (a drag ended, a key was pressed)
 * @param {() => SliderTable | undefined} table  the slider's grid
 */
function slider(name, onInput, onRelease, table) {
  const id = uniqueId("gw-slider");
  // step="any": the page snaps to the grid itself, which need not be evenly spaced at its ends
  const input = h("input", { type: "range", id, class: "gw-x", "aria-label": name, step: "any" });
  // aria-hidden: the range already announces its value; an <output> is a live region and would repeat it.
  const output = h("output", { for: id, class: "gw-x-value", "aria-hidden": "true" });
  const el = h("div", { class: "gw-slider" }, [
    h("label", { for: id, class: "gw-x-label" }, [name]),
    input,
    output,
  ]);
  /** @param {number} value */
  function moved(value) {
    const x = onInput(value);
    if (Number(input.value) !== x) input.value = String(x);
    setText(output, formatNumber(x));
  }
  const offs = [
    listen(input, "input", () => moved(Number(input.value))),
    listen(input, "change", onRelease),
    listen(input, "keydown", (/** @type {KeyboardEvent} */ e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const grid = table()?.xs;
      const lo = Number(input.min);
      const hi = Number(input.max);
      const xs = grid && grid.length > 1 ? grid : evenGrid(lo, hi, sliderStep(lo, hi));
      const target = positionForKey(xs, nearestPosition(xs, Number(input.value)), e.key);
      if (target === null) return;
      e.preventDefault(); // the browser's own step, and the page's scrolling
      e.stopPropagation(); // and the notebook's shortcuts and the widget's step keys
      moved(xs[target]);
      onRelease();
    }),
  ];
  return {
    el,
    /** @param {unknown} min @param {unknown} max @param {unknown} value */
    set(min, max, value) {
      const lo = Number(min);
      const hi = Number(max);
      const v = Number(value);
      // min/max before value, or the browser clamps the value to the old range.
      input.min = String(lo);
      input.max = String(hi);
      // the grid's round step (its ends may be closer), for whoever drives the slider from outside (tests)
      input.setAttribute("data-grid-step", String(table()?.step || sliderStep(lo, hi)));
      if (Number(input.value) !== v) input.value = String(v);
      setText(output, formatNumber(v));
    },
    destroy: () => offs.forEach((off) => off()),
  };
}

/**
 * @param {number} lo
 * @param {number} hi
 * @param {number} step
 * @returns {number[]}
 */
function evenGrid(lo, hi, step) {
  if (!(hi > lo) || !(step > 0)) return [lo];
  const count = Math.min(100000, Math.floor((hi - lo) / step + 1e-9));
  return [...Array.from({ length: count }, (_, k) => lo + k * step), hi];
}

/**
 * The x slider of a GradWidget: traits x, x_min, x_max.
 * @param {Model} model
 * @param {Actions} actions
 */
export function createXSlider(model, actions) {
  const x = slider(
    "x",
    actions.setX,
    () => actions.release(0),
    () => actions.table(0),
  );
  const note = h("p", { class: "gw-slider-note" });
  const el = h("div", { class: "gw-sliders" }, [x.el, note]);
  const update = () => {
    x.set(model.get("x_min"), model.get("x_max"), model.get("x"));
    setText(note, tableNote([["x", actions.table(0)]], model.get("lang")));
  };
  update();
  return {
    el,
    update,
    events: ["change:x", "change:x_min", "change:x_max", "change:tables", "change:lang"],
    /** @param {Graph} graph */
    describe: (graph) => describeX(graph, model.get("x")),
    destroy: x.destroy,
  };
}

/**
 * One slider per leaf of a GraphWidget: traits names, values, ranges ([min, max] per leaf).
 * @param {Model} model
 * @param {Actions} actions
 */
export function createLeafSliders(model, actions) {
  const list = h("div", { class: "gw-slider-list" });
  const note = h("p", { class: "gw-slider-note" });
  const el = h("div", { class: "gw-sliders" }, [list, note]);
  /** @type {ReturnType<typeof slider>[]} */
  let sliders = [];
  let namesKey = "";

  function update() {
    const names = /** @type {string[]} */ (model.get("names") || []);
    const values = /** @type {number[]} */ (model.get("values") || []);
    const ranges = /** @type {number[][]} */ (model.get("ranges") || []);
    const key = JSON.stringify(names);
    if (key !== namesKey) {
      namesKey = key;
      sliders.forEach((s) => s.destroy());
      sliders = names.map((name, i) =>
        slider(
          name,
          (value) => actions.setLeaf(i, value),
          () => actions.release(i),
          () => actions.table(i),
        ),
      );
      list.replaceChildren(...sliders.map((s) => s.el));
    }
    sliders.forEach((s, i) => {
      const [min, max] = ranges[i] || [-2, 2];
      s.set(min, max, values[i]);
    });
    setText(
      note,
      tableNote(
        names.map((name, i) => [name, actions.table(i)]),
        model.get("lang"),
      ),
    );
  }

  update();
  return {
    el,
    update,
    events: ["change:names", "change:values", "change:ranges", "change:tables", "change:lang"],
    /** @param {Graph} graph */
    describe(graph) {
      const names = /** @type {string[]} */ (model.get("names") || []);
      const values = /** @type {number[]} */ (model.get("values") || []);
      return describeInputs(
        graph,
        names.map((name, i) => [name, values[i]]),
      );
    },
    destroy: () => sliders.forEach((s) => s.destroy()),
  };
}
