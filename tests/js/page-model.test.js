import assert from "node:assert/strict";
import { test } from "node:test";
import { createPageModel, decodeEntry, PAGE_FORMAT, PageError, parsePage } from "../../js/page-model.js";

const graph = { nodes: [{ id: "v0", kind: "variable" }], edges: [], steps: [] };
const base64 = (floats) => Buffer.from(new Float64Array(floats).buffer).toString("base64");

test("a saved page's widgets are read by id, and their buffers become DataViews at their paths", () => {
  const text = JSON.stringify({
    format: PAGE_FORMAT,
    widgets: [
      {
        id: "abc",
        state: { graph, numbers: { check_errors: {} }, step: 1 },
        buffers: [{ path: ["numbers", "values"], data: base64([0.5, 2.5]) }],
      },
    ],
  });
  const entries = parsePage(text);
  const state = decodeEntry(entries.get("abc"));
  assert.ok(state.numbers.values instanceof DataView);
  assert.deepEqual([...new Float64Array(state.numbers.values.buffer)], [0.5, 2.5]);
});

test("a cut-short or hand-edited page says what is wrong", () => {
  const problems = [
    [null, /no saved widget state/],
    ['{"format": 1, "widgets": [{"id": "a", "st', /not valid JSON/],
    ["[]", /no "widgets" list/],
    ['{"format": 7, "widgets": []}', /format 7/],
  ];
  for (const [text, message] of problems)
    assert.throws(
      () => parsePage(text),
      (e) => e instanceof PageError && message.test(e.message),
    );
  const bad = [
    [{ id: "a", state: "x" }, /not an object/],
    [
      { id: "a", state: { graph, numbers: {} }, buffers: [{ path: ["nope", "values"], data: "" }] },
      /not in the state/,
    ],
    [
      { id: "a", state: { graph, numbers: {} }, buffers: [{ path: ["numbers", "values"], data: "%%%" }] },
      /base64/,
    ],
    [{ id: "a", state: { graph: { nodes: 3 }, numbers: {} } }, /graph is missing or damaged/],
    [{ id: "a", state: { graph } }, /numbers are missing/],
  ];
  for (const [entry, message] of bad)
    assert.throws(
      () => decodeEntry(entry),
      (e) => e instanceof PageError && message.test(e.message),
    );
});

test("the page model changes, tells its listeners as Backbone does, and has nowhere to send", () => {
  const model = createPageModel({ step: 0, values: [1, 2] });
  const seen = [];
  const onStep = () => seen.push(["step", model.get("step")]);
  model.on("change:step", onStep);
  model.on("change:values", () => seen.push(["values"]));
  model.set("step", 2);
  model.set("step", 2);
  model.set("values", [1, 2]);
  model.set("values", [1, 3]);
  assert.deepEqual(seen, [["step", 2], ["values"]]);
  model.off("change:step", onStep);
  model.set("step", 0);
  assert.equal(seen.length, 2);
  assert.equal(model.offline, true);
  assert.doesNotThrow(() => {
    model.save_changes();
    model.send({ type: "gradwidget:ping" });
  });
});
