import assert from "node:assert/strict";
import { test } from "node:test";
import { intervalMs, startPlayer } from "../../js/player.js";
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
  const stop = startPlayer(model);
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
  stop();
  assert.equal(model.listenerCount(), 0);
});

/** What anywidget gives each view: a proxy of its own over the one model (its listeners are its own). */
function viewProxy(model) {
  return {
    get: (name) => model.get(name),
    set: (name, value) => model.set(name, value),
    on: (event, cb) => model.on(event, cb),
    off: (event, cb) => model.off(event, cb),
    save_changes: () => model.save_changes(),
  };
}

test("one player over a model proxy plays at speed, and its stop leaves no listener", (t) => {
  // widget.js's initialize starts it once per model, with a proxy; two views of one widget playing once is
  // tested in a real JupyterLab (tests/browser/test_playback.py), since render needs a page
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const model = new FakeModel({ step: 0, n_steps: 10, playing: false, speed: 1 });
  const cleanup = startPlayer(viewProxy(model));
  model.set("playing", true);
  t.mock.timers.tick(1000);
  assert.equal(model.get("step"), 1);
  for (let i = 0; i < 3; i++) t.mock.timers.tick(1000);
  assert.equal(model.get("step"), 4, "one step a second");
  cleanup();
  t.mock.timers.tick(5000);
  assert.equal(model.get("step"), 4, "the model's cleanup stops the timer");
  assert.equal(model.listenerCount(), 0);
});

test("pausing stops the timer", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const model = new FakeModel({ step: 0, n_steps: 5, playing: true, speed: 1 });
  const stop = startPlayer(model);
  t.mock.timers.tick(1000);
  assert.equal(model.get("step"), 1);
  model.set("playing", false);
  t.mock.timers.tick(5000);
  assert.equal(model.get("step"), 1);
  stop();
});
