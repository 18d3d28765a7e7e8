// What the page's tests read: real widgets' data as Python sends it (fixtures.generated.json, written by
// make_fixtures.py and checked against Python by tests/test_js_fixtures.py), never a hand copy that could drift.
// A "picture" is the graph as the page draws it: the `graph` trait merged with the `numbers` trait (state.js).
import { readFileSync } from "node:fs";
import { mergeNumbers } from "../../js/state.js";

const FIXTURES = JSON.parse(readFileSync(new URL("./fixtures.generated.json", import.meta.url), "utf8"));

/** @returns {any} {"base64": ...} buffers as the DataViews the widget manager hands the page */
function withBuffers(value) {
  if (Array.isArray(value)) return value.map(withBuffers);
  if (value && typeof value === "object") {
    if (typeof value.base64 === "string" && Object.keys(value).length === 1) {
      const bytes = Buffer.from(value.base64, "base64");
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBuffers(v)]));
  }
  return value;
}

/**
 * One fixture, fresh (tests may change it): graph, numbers (bytes), numbers_json (Colab's form), tables,
 * python (what Python says about the same numbers), positions (per grid position, a fresh run there).
 * @param {string} name
 * @returns {any}
 */
export function fixture(name) {
  if (!(name in FIXTURES)) throw new Error(`no fixture ${name}: see tests/js/make_fixtures.py`);
  return withBuffers(structuredClone(FIXTURES[name]));
}

/** @param {string} name */
export function picture(name) {
  const { graph, numbers } = fixture(name);
  return mergeNumbers(graph, numbers);
}

/** @param {string} name @returns {any} Python's own view: values, steps, checks, cards, eps_curve */
export const python = (name) => fixture(name).python;

/** square(exp(square(x))) at x = 0.5, with cards and checks (GradWidget). */
export const chainGraph = () => picture("chain");
export const chainWithCards = chainGraph;
/** Python's w.card at each step (0..n), en and ko. */
export const chainWithCardsCards = python("chain").cards;
/** x feeds two branches: y = square(x) + exp(x) at x = 1. */
export const diamondGraph = () => picture("diamond");
/** tanh(pow(div(x0, x1), 3)) at x0 = 3, x1 = 2: rules 1 − y², c·x^(c−1), and a two-input Div. */
export const tanhPowDiv = () => picture("tanhPowDiv");
export const tanhPowDivCards = python("tanhPowDiv").cards;
/** A learner's Cube (no rule) then BadExp whose backward returns gy: flagged, on that node only. */
export const noRuleBroken = () => picture("noRuleBroken");
export const noRuleBrokenCards = python("noRuleBroken").cards;
/** x = 2; a = square(x); y = square(a) + exp(a): a feeds two branches. */
export const squareExpDiamond = () => picture("squareExpDiamond");
/** z = x*y + sin(x) with leaves x = 1 and y = 2: two leaves, x used twice, a two-input Mul. */
export const twoLeaves = () => picture("twoLeaves");
/** y = x * x: one Function takes the same variable twice (two edges v0 -> f0). */
export const squareByMul = () => picture("squareByMul");
