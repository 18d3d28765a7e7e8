import assert from "node:assert/strict";
import { test } from "node:test";
import { createActions } from "../../js/actions.js";
import { FakeModel } from "./fake-model.js";

const base = { step: 0, n_steps: 3, playing: false, speed: 1, x: 0.5, blocks: ["square", "exp", "square"] };

test("stepping is clamped to 0..n_steps and saves once per action", () => {
  const model = new FakeModel(base);
  const a = createActions(model);
  a.back();
  assert.equal(model.get("step"), 0);
  assert.equal(model.saves, 0, "nothing changed, nothing sent");
  a.step();
  a.step();
  assert.equal(model.get("step"), 2);
  assert.equal(model.saves, 2);
  a.runAll();
  assert.equal(model.get("step"), 3);
  a.step();
  assert.equal(model.get("step"), 3);
  a.reset();
  assert.equal(model.get("step"), 0);
});

test("a manual step pauses playback", () => {
  const model = new FakeModel({ ...base, playing: true, step: 1 });
  createActions(model).step();
  assert.equal(model.get("step"), 2);
  assert.equal(model.get("playing"), false);
});

test("Play toggles, restarts from 0 at the end, and does nothing with no steps", () => {
  const model = new FakeModel(base);
  const a = createActions(model);
  a.togglePlay();
  assert.equal(model.get("playing"), true);
  a.togglePlay();
  assert.equal(model.get("playing"), false);
  model.set("step", 3);
  a.togglePlay();
  assert.equal(model.get("step"), 0);
  assert.equal(model.get("playing"), true);
  const empty = new FakeModel({ ...base, n_steps: 0 });
  createActions(empty).togglePlay();
  assert.equal(empty.get("playing"), false);
});

test("block edits set a new blocks array", () => {
  const model = new FakeModel(base);
  const a = createActions(model);
  const before = model.get("blocks");
  a.add("sin");
  assert.deepEqual(model.get("blocks"), ["square", "exp", "square", "sin"]);
  assert.deepEqual(before, ["square", "exp", "square"], "never mutates the trait's array in place");
  a.remove(1);
  assert.deepEqual(model.get("blocks"), ["square", "square", "sin"]);
  a.move(2, 0);
  assert.deepEqual(model.get("blocks"), ["sin", "square", "square"]);
});

test("n_steps is never written", () => {
  const model = new FakeModel(base);
  const a = createActions(model);
  const writes = [];
  const set = model.set.bind(model);
  model.set = (name, value) => {
    writes.push(name);
    set(name, value);
  };
  a.step();
  a.runAll();
  a.togglePlay();
  a.reset();
  a.setX(1);
  a.setSpeed(2);
  assert.ok(!writes.includes("n_steps"));
});

test("setLeaf replaces one value of a GraphWidget's values", () => {
  const model = new FakeModel({ values: [1, 2, 3] });
  const before = model.get("values");
  createActions(model).setLeaf(1, 5);
  assert.deepEqual(model.get("values"), [1, 5, 3]);
  assert.deepEqual(before, [1, 2, 3]);
});
