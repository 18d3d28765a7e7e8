import assert from "node:assert/strict";
import { test } from "node:test";
import { createActions } from "../../js/actions.js";
import { ANSWER_TIMEOUT_MS, coalesceTrait, createCoalescer, graphValues, graphX } from "../../js/coalesce.js";
import { floatArray, mergeNumbers } from "../../js/state.js";
import { FakeModel } from "./fake-model.js";
import { fixture } from "./fixtures.js";

/** A clock whose time moves only when the test says so. */
class FakeClock {
  constructor() {
    this.now = 0;
    /** @type {{at: number, fn: () => void, id: number}[]} */
    this.timers = [];
    this.nextId = 1;
  }
  setTimeout = (fn, ms) => {
    const id = this.nextId++;
    this.timers.push({ at: this.now + ms, fn, id });
    return id;
  };
  clearTimeout = (id) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  /** Run everything due up to now + ms, in time order. */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = end;
  }
}

// A GradWidget's shape, sent once, and its numbers at x, sent for every x (as widget.py does): the real chain's
// graph, and its row at x = 0.5 with the input's value set to x (only the x matters to the coalescer).
const { graph: SHAPE, numbers: AT_HALF } = fixture("chain");
const X_AT = SHAPE.layout.columns.values.offset;
const numbersAt = (x) => {
  const row = Float64Array.from(floatArray(AT_HALF.row));
  row[X_AT] = x;
  return { row: new DataView(row.buffer), errors: {} };
};
/** The x the page shows: its input node's value in the merged picture. */
const shownX = (model) => graphX(mergeNumbers(model.get("graph"), model.get("numbers")));

/**
 * A GradWidget's model with a kernel behind it: every save_changes is one message; the kernel handles them in
 * order, each taking `latency` ms, and answers with new numbers (or, outside [x_min, x_max], an error and the old
 * x sent back), as widget.py does.
 */
function kernelModel(clock, latency, { answer = true } = {}) {
  const model = new FakeModel({ x: 0, x_min: -2, x_max: 2, error: "", graph: SHAPE, numbers: numbersAt(0) });
  const sent = [];
  const shown = []; // the x of every graph the page received, in order
  let pythonX = 0;
  let busyUntil = 0;
  model.save_changes = () => {
    const x = model.get("x");
    sent.push(x);
    const start = Math.max(clock.now, busyUntil);
    busyUntil = start + latency;
    clock.setTimeout(() => {
      if (!answer) return;
      if (x < -2 || x > 2) {
        model.set("error", `x = ${x} is outside the slider's range`);
        model.set("x", pythonX);
        return;
      }
      pythonX = x;
      model.set("error", "");
      model.set("numbers", numbersAt(x));
    }, busyUntil - clock.now);
  };
  model.on("change:numbers", () => shown.push(shownX(model)));
  return { model, sent, shown };
}

test("a burst of 100 moves in one second sends a few values, in order, and ends showing the last", () => {
  const clock = new FakeClock();
  const { model, sent, shown } = kernelModel(clock, 35);
  const live = coalesceTrait(model, "x", graphX, { timers: clock });
  const moves = Array.from({ length: 100 }, (_, i) => i / 50 - 1); // each x once, so a shown x names its move
  for (const x of moves) {
    live.request(x);
    clock.advance(10);
  }
  const last = moves[moves.length - 1];
  // The last move waits at most for the answer already on its way (under one round trip), then takes one.
  clock.advance(2 * 35 - 10);
  assert.equal(shownX(model), last, "the final x's values are shown");
  assert.ok(sent.length < 40, `only the latest x is sent while one is in flight (${sent.length} sent)`);
  assert.deepEqual(shown, sent, "every graph shown answers the values sent, in the order sent");
  // never an older x after a newer one: each shown graph is for a later move than the one before
  const moveIndex = shown.map((x) => moves.indexOf(x));
  for (let i = 1; i < moveIndex.length; i++)
    assert.ok(moveIndex[i] > moveIndex[i - 1], `${shown[i]} after ${shown[i - 1]}`);
  assert.equal(live.busy(), false);
  live.destroy();
  assert.equal(model.listenerCount(), 1, "only the test's own listener is left");
});

test("the last move is sent as soon as the answer for the one in flight arrives", () => {
  const clock = new FakeClock();
  const { model, sent } = kernelModel(clock, 50);
  const live = coalesceTrait(model, "x", graphX, { timers: clock });
  live.request(0.1);
  clock.advance(5);
  live.request(0.2);
  live.request(0.3);
  assert.deepEqual(sent, [0.1], "0.2 and 0.3 wait; 0.3 replaces 0.2");
  assert.equal(live.current(), 0.3);
  clock.advance(45);
  assert.deepEqual(sent, [0.1, 0.3]);
  clock.advance(50);
  assert.equal(shownX(model), 0.3);
});

test("moving back to the value in flight drops the waiting one", () => {
  const clock = new FakeClock();
  const { model, sent } = kernelModel(clock, 50);
  const live = coalesceTrait(model, "x", graphX, { timers: clock });
  live.request(0.1);
  live.request(0.2);
  live.request(0.1);
  clock.advance(200);
  assert.deepEqual(sent, [0.1]);
  live.request(0.1);
  assert.deepEqual(sent, [0.1], "the model already has it: nothing to send");
});

test("a refused value (error, old x sent back) counts as the answer: the waiting value goes next", () => {
  const clock = new FakeClock();
  const { model, sent } = kernelModel(clock, 20);
  const live = coalesceTrait(model, "x", graphX, { timers: clock });
  live.request(5); // outside [-2, 2]
  live.request(1);
  clock.advance(20);
  assert.equal(model.get("error"), "x = 5 is outside the slider's range");
  assert.deepEqual(sent, [5, 1]);
  clock.advance(20);
  assert.equal(shownX(model), 1);
  assert.equal(model.get("error"), "");
});

test("a lost answer never freezes the slider: after the timeout the latest value is sent", () => {
  const clock = new FakeClock();
  const { model, sent } = kernelModel(clock, 20, { answer: false });
  const live = coalesceTrait(model, "x", graphX, { timers: clock });
  live.request(0.1);
  live.request(0.2);
  clock.advance(ANSWER_TIMEOUT_MS - 1);
  assert.deepEqual(sent, [0.1]);
  clock.advance(1);
  assert.deepEqual(sent, [0.1, 0.2]);
  clock.advance(ANSWER_TIMEOUT_MS);
  assert.equal(live.busy(), false);
  live.request(0.3);
  assert.deepEqual(sent, [0.1, 0.2, 0.3]);
});

test("a late answer for an older value is not taken as the answer for the newer one", () => {
  const clock = new FakeClock();
  const sends = [];
  const c = createCoalescer({ send: (v) => sends.push(v), timeoutMs: 100, timers: clock });
  c.request(1);
  c.request(2);
  clock.advance(100); // 1 timed out: 2 goes
  assert.deepEqual(sends, [1, 2]);
  c.request(3);
  c.graphArrived(1); // the kernel finally answers 1
  assert.deepEqual(sends, [1, 2], "still waiting for 2");
  c.graphArrived(2);
  assert.deepEqual(sends, [1, 2, 3]);
  c.graphArrived(undefined); // a graph whose input cannot be read: take it as the answer
  assert.equal(c.busy(), false);
  c.destroy();
});

test("actions.setX and setLeaf go through the coalescer; two sliders moved during one request are combined", () => {
  const clock = new FakeClock();
  const { graph, numbers } = fixture("twoLeaves"); // z = x*y + sin(x): sliders x and y
  const model = new FakeModel({ names: ["x", "y"], values: [1, 2], error: "", graph, numbers });
  const saved = [];
  model.save_changes = () => saved.push(model.get("values"));
  const actions = createActions(model, { timers: clock });
  actions.setLeaf(0, 1.5);
  actions.setLeaf(1, 2.5);
  actions.setLeaf(0, 1.75);
  assert.deepEqual(saved, [[1.5, 2]]);
  const { offset } = graph.layout.columns.values; // the answer: the row with x and y where they were sent
  const answer = ([x, y]) => {
    const row = Float64Array.from(floatArray(numbers.row));
    row.set([x, y], offset);
    return { row: Array.from(row), errors: {} }; // a JSON list reads as bytes do (Colab)
  };
  model.set("numbers", answer([1.5, 2]));
  assert.deepEqual(saved, [
    [1.5, 2],
    [1.75, 2.5],
  ]);
  model.set("numbers", answer([1.75, 2.5]));
  actions.destroy();
  assert.equal(model.listenerCount(), 0);
});

test("graphValues reads each slider's leaf by name, in order; graphX the input node", () => {
  const graph = {
    nodes: [
      { id: "v0", kind: "variable", label: "x", role: "input", value: 1 },
      { id: "v1", kind: "variable", label: "x", role: "input", value: 2 },
      { id: "v2", kind: "variable", label: "w", role: "input", value: [1, 2] },
      { id: "v3", kind: "variable", label: "y", role: "output", value: 3 },
    ],
  };
  assert.deepEqual(graphValues(graph, ["x", "x"]), [1, 2]);
  assert.equal(graphValues(graph, ["x", "q"]), undefined);
  assert.equal(graphX(graph), 1);
  assert.equal(graphX({}), undefined);
  assert.equal(graphX(null), undefined);
});
