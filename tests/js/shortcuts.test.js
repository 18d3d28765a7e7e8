import assert from "node:assert/strict";
import { test } from "node:test";
import { actionForKey } from "../../js/shortcuts.js";

test("keys map to actions on the widget root", () => {
  const on = (key) => actionForKey({ key, targetTag: "DIV" });
  assert.equal(on("ArrowRight"), "step");
  assert.equal(on("n"), "step");
  assert.equal(on("ArrowLeft"), "back");
  assert.equal(on("p"), "back");
  assert.equal(on("Home"), "reset");
  assert.equal(on("End"), "runAll");
  assert.equal(on("k"), "togglePlay");
  assert.equal(on(" "), "togglePlay");
  assert.equal(on("x"), null);
});

test("keys are left alone in inputs that use them, and with modifiers", () => {
  assert.equal(actionForKey({ key: "ArrowRight", targetTag: "INPUT", targetType: "range" }), null);
  assert.equal(actionForKey({ key: "n", targetTag: "INPUT", targetType: "text" }), null);
  assert.equal(actionForKey({ key: "ArrowLeft", targetTag: "SELECT" }), null);
  assert.equal(actionForKey({ key: "n", targetTag: "DIV", targetEditable: true }), null);
  assert.equal(actionForKey({ key: "ArrowRight", altKey: true, targetTag: "LI" }), null);
  assert.equal(actionForKey({ key: "n", ctrlKey: true, targetTag: "DIV" }), null);
});

test("Space on a button presses the button, not Play", () => {
  assert.equal(actionForKey({ key: " ", targetTag: "BUTTON" }), null);
  assert.equal(actionForKey({ key: "k", targetTag: "BUTTON" }), "togglePlay");
  assert.equal(actionForKey({ key: "ArrowRight", targetTag: "BUTTON" }), "step");
});

test("Space opens a section and ticks a checkbox, not Play", () => {
  assert.equal(actionForKey({ key: " ", targetTag: "SUMMARY" }), null);
  assert.equal(actionForKey({ key: " ", targetTag: "INPUT", targetType: "checkbox" }), null);
  assert.equal(actionForKey({ key: " ", targetTag: "DIV" }), "togglePlay");
  assert.equal(actionForKey({ key: "ArrowRight", targetTag: "SUMMARY" }), "step");
});
