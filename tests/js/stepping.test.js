// Stepping needs no round trip: every stepping action changes `step` on the page's model first (which redraws from
// the graph the page already has), and only then tells Python. A refusal from Python snaps the step back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createActions } from "../../js/actions.js";
import { gradsAtStep } from "../../js/state.js";
import { FakeModel } from "./fake-model.js";
import { squareExpDiamond } from "./fixtures.js";

function setup() {
  const graph = squareExpDiamond();
  const model = new FakeModel({
    graph,
    step: 0,
    n_steps: graph.steps.length,
    playing: false,
    speed: 2,
    error: "",
  });
  /** What happened, in order: the page drew step k (with the grads it showed), or Python was told. */
  const log = [];
  model.on("change:step", () => {
    const k = model.get("step");
    log.push(["draw", k, gradsAtStep(model.get("graph"), k).get("v0").grad]);
  });
  model.save_changes = () => log.push(["save", model.get("step")]);
  return { graph, model, log, actions: createActions(model) };
}

test("Step, Step back, Run all and Reset draw step k before Python hears of it", () => {
  const { model, log, actions } = setup();
  actions.step();
  actions.step();
  actions.back();
  actions.runAll();
  actions.reset();
  assert.deepEqual(log, [
    ["draw", 1, null],
    ["save", 1],
    ["draw", 2, null],
    ["save", 2],
    ["draw", 1, null],
    ["save", 1],
    ["draw", 4, 250.39260013257694],
    ["save", 4],
    ["draw", 0, null],
    ["save", 0],
  ]);
  assert.equal(model.get("step"), 0);
});

test("Play's timer also draws each step first, then saves", async () => {
  const { model, log } = setup();
  const { acquirePlayer } = await import("../../js/player.js");
  model.set("speed", 10);
  const release = acquirePlayer(model);
  model.set("playing", true);
  await new Promise((resolve) => setTimeout(resolve, 250));
  release();
  const first = log.findIndex((e) => e[0] === "draw");
  assert.ok(first >= 0, "it stepped");
  assert.deepEqual(log[first + 1], ["save", log[first][1]]);
});

test("Python refusing a step sends the old one back: the page snaps back and shows the error", () => {
  const { model, log, actions } = setup();
  actions.runAll();
  // widget.py's set_state: error set, then the refused trait sent back with its old value
  model.set("error", "step must be between 0 and n_steps = 3; got 4.");
  model.set("step", 3);
  assert.deepEqual(log.slice(-1), [["draw", 3, null]]);
  assert.equal(model.get("error"), "step must be between 0 and n_steps = 3; got 4.");
});
