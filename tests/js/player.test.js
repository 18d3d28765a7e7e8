import assert from "node:assert/strict";
import { test } from "node:test";
import { acquirePlayer, intervalMs } from "../../js/player.js";
import { FakeModel } from "./fake-model.js";

test("intervalMs follows speed, clamped to 0.25..10 steps/s", () => {
  assert.equal(intervalMs(2), 500);
  assert.equal(intervalMs(100), 100);
  assert.equal(intervalMs(0), 4000);
  assert.equal(intervalMs("junk"), 1000);
});

test("playing advances step at speed until the end, then stops", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const model = new FakeModel({ step: 0, n_steps: 3, playing: false, speed: 2 });
  const release = acquirePlayer(model);
  model.set("playing", true);
  t.mock.timers.tick(499);
  assert.equal(model.get("step"), 0);
  t.mock.timers.tick(1);
  assert.equal(model.get("step"), 1);
  t.mock.timers.tick(500);
  t.mock.timers.tick(500);
  assert.equal(model.get("step"), 3);
  assert.equal(model.get("playing"), false);
  t.mock.timers.tick(5000);
  assert.equal(model.get("step"), 3);
  release();
  assert.equal(model.listenerCount(), 0);
});

test("two views share one player: play does not go twice as fast", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const model = new FakeModel({ step: 0, n_steps: 10, playing: false, speed: 1 });
  const releaseA = acquirePlayer(model);
  const releaseB = acquirePlayer(model);
  model.set("playing", true);
  t.mock.timers.tick(1000);
  assert.equal(model.get("step"), 1);
  releaseA();
  t.mock.timers.tick(1000);
  assert.equal(model.get("step"), 2, "still playing while a view remains");
  releaseB();
  t.mock.timers.tick(5000);
  assert.equal(model.get("step"), 2, "the last view's cleanup stops the timer");
  assert.equal(model.listenerCount(), 0);
});

test("pausing stops the timer", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const model = new FakeModel({ step: 0, n_steps: 5, playing: true, speed: 1 });
  const release = acquirePlayer(model);
  t.mock.timers.tick(1000);
  assert.equal(model.get("step"), 1);
  model.set("playing", false);
  t.mock.timers.tick(5000);
  assert.equal(model.get("step"), 1);
  release();
});
