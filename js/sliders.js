// The input sliders: one for x (GradWidget), or one per leaf of the graph (GraphWidget, made by show(y)).
// Each is an <input type="range"> named by its variable, with the number beside it in an <output>.
import "./sliders.css";
import { h, listen, setText, uniqueId } from "./dom.js";
import { describeInputs, describeX, formatNumber } from "./state.js";

/** @typedef {import("./actions.js").Model} Model */
/** @typedef {import("./actions.js").Actions} Actions */
/** @typedef {import("./state.js").Graph} Graph */

/**
 * @param {number} min
 * @param {number} max
 * @returns {number} the slider's step: a round power of ten, at most a thousandth of the range, so that
 *   values like 0.5 or 1.5 sit on the slider exactly (a step of range/1000 = 0.0045 would snap 1.5 to 1.501)
 */
export function sliderStep(min, max) {
  const span = max - min;
  if (!(Number.isFinite(span) && span > 0)) return 0.001;
  return 10 ** Math.floor(Math.log10(span / 1000));
}

/**
 * One labelled range input.
 * @param {string} name  the variable's label: the input's accessible name
 * @param {(value: number) => void} onInput
 */
function slider(name, onInput) {
  const id = uniqueId("gw-slider");
  const input = h("input", { type: "range", id, class: "gw-x", "aria-label": name });
  // aria-hidden: the range already announces its value; an <output> is a live region and would repeat it.
  const output = h("output", { for: id, class: "gw-x-value", "aria-hidden": "true" });
  const el = h("div", { class: "gw-slider" }, [
    h("label", { for: id, class: "gw-x-label" }, [name]),
    input,
    output,
  ]);
  const off = listen(input, "input", () => {
    const value = Number(input.value);
    setText(output, formatNumber(value));
    onInput(value);
  });
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
      input.step = String(sliderStep(lo, hi));
      if (Number(input.value) !== v) input.value = String(v);
      setText(output, formatNumber(v));
    },
    destroy: off,
  };
}

/**
 * The x slider of a GradWidget: traits x, x_min, x_max.
 * @param {Model} model
 * @param {Actions} actions
 */
export function createXSlider(model, actions) {
  const x = slider("x", actions.setX);
  const update = () => x.set(model.get("x_min"), model.get("x_max"), model.get("x"));
  update();
  return {
    el: x.el,
    update,
    events: ["change:x", "change:x_min", "change:x_max"],
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
  const el = h("div", { class: "gw-sliders" });
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
      sliders = names.map((name, i) => slider(name, (value) => actions.setLeaf(i, value)));
      el.replaceChildren(...sliders.map((s) => s.el));
    }
    sliders.forEach((s, i) => {
      const [min, max] = ranges[i] || [-2, 2];
      s.set(min, max, values[i]);
    });
  }

  update();
  return {
    el,
    update,
    events: ["change:names", "change:values", "change:ranges"],
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
