import assert from "node:assert/strict";
import { test } from "node:test";
import { createActions } from "../../js/actions.js";
import { graphX } from "../../js/coalesce.js";
import { graphReader, mergeNumbers } from "../../js/state.js";
import {
  createShownModel,
  nearestPosition,
  positionForKey,
  readTables,
  rowNumbers,
  tableNote,
  usable,
} from "../../js/table.js";
import { FakeModel } from "./fake-model.js";
import { fixture } from "./fixtures.js";

/** A clock whose time moves only when the test says so. */
function fakeClock() {
  let id = 0;
  /** @type {Map<number, () => void>} */
  const timers = new Map();
  return {
    setTimeout: (/** @type {() => void} */ fn) => (timers.set(++id, fn), id),
    clearTimeout: (/** @type {number} */ handle) => timers.delete(handle),
  };
}

test("a position snaps to the nearest grid x, ends included", () => {
  const xs = new Float64Array([-2, -1.98, -1.96, 0, 0.5, 2]);
  assert.equal(nearestPosition(xs, -5), 0);
  assert.equal(nearestPosition(xs, -1.975), 1);
  assert.equal(nearestPosition(xs, 0.3), 4);
  assert.equal(nearestPosition(xs, 0.2), 3);
  assert.equal(nearestPosition(xs, 9), 5);
  assert.equal(nearestPosition(xs, NaN), 0);
  assert.equal(nearestPosition(new Float64Array(0), 1), -1);
});

test("arrows move one grid step, Page Up / Page Down a tenth of the range, Home and End the ends", () => {
  const [{ xs }] = readTables(fixture("chain").tables); // -2 ... 2 in steps of 0.02
  const at = (/** @type {number} */ x) => nearestPosition(xs, x);
  const key = (/** @type {number} */ x, /** @type {string} */ k) =>
    xs[/** @type {number} */ (positionForKey(xs, at(x), k))];
  assert.equal(key(0.5, "ArrowRight"), 0.52);
  assert.equal(key(0.5, "ArrowUp"), 0.52);
  assert.equal(key(0.5, "ArrowLeft"), 0.48);
  assert.equal(key(0.5, "ArrowDown"), 0.48);
  assert.equal(key(0.5, "PageUp"), 0.9);
  assert.equal(key(0.5, "PageDown"), 0.1);
  assert.equal(key(1.9, "PageUp"), 2);
  assert.equal(key(0.5, "Home"), -2);
  assert.equal(key(0.5, "End"), 2);
  assert.equal(key(2, "ArrowRight"), 2, "the end stays the end");
  assert.equal(positionForKey(xs, at(0.5), "a"), null, "other keys are not the slider's");
  // 500 presses of → went from 0.5 to 1.0 in Voila before; now 25 do
  let p = at(0.5);
  for (let i = 0; i < 25; i++) p = /** @type {number} */ (positionForKey(xs, p, "ArrowRight"));
  assert.equal(xs[p], 1);
  const tiny = new Float64Array([0, 1, 2]); // a tenth of the range is under one position: still moves one
  assert.equal(positionForKey(tiny, 1, "PageUp"), 2);
});

test("a table is used only in the graph's layout, and only while the other sliders are where it holds them", () => {
  const [table] = readTables(fixture("chain").tables);
  const width = fixture("chain").graph.layout.width;
  assert.ok(usable(table, width, [0.5], 0));
  assert.ok(!usable(table, width + 1, [0.5], 0), "another layout: the rows do not fit");
  const held = { ...table, held: [null, 1.5, -1] };
  assert.ok(usable(held, width, [0.3, 1.5, -1], 0));
  assert.ok(!usable(held, width, [0.3, 1.6, -1], 0), "y was moved since: the kernel answers instead");
  assert.ok(!usable({ ...table, rows: null }, width, [0.5], 0));
  assert.ok(!usable(undefined, width, [0.5], 0));
  const [broken] = readTables([{ ...fixture("chain").tables[0], width: 7 }]);
  assert.equal(broken.rows, null, "rows that do not add up to the grid are not read");
  assert.equal(broken.note, "broken");
  assert.match(tableNote([["x", broken]], "en"), /^x's positions computed ahead did not arrive whole/);
  const truncated = { ...fixture("chain").tables[0] };
  truncated.rows = new DataView(truncated.rows.buffer, truncated.rows.byteOffset, 800);
  assert.equal(readTables([truncated])[0].note, "broken");
  assert.deepEqual(readTables("junk"), []);
});

test("the note says which slider moves on a coarser grid, or waits for Python, in both languages", () => {
  const [table] = readTables(fixture("chain").tables);
  assert.equal(tableNote([["x", table]], "en"), "");
  const coarse = { ...table, note: /** @type {"coarse"} */ ("coarse"), step: 0.1 };
  const live = { ...table, note: /** @type {"live"} */ ("live") };
  assert.match(tableNote([["x", coarse]], "en"), /^x moves in steps of 0\.1 here/);
  assert.match(tableNote([["x", live]], "en"), /^x waits for Python at each move/);
  assert.match(tableNote([["x", coarse]], "ko"), /0\.1 간격/);
  assert.match(
    tableNote(
      [
        ["x", live],
        ["y", live],
      ],
      "ko",
    ),
    /^x, y을\(를\) 움직일 때마다/,
  );
});

/** A GradWidget's model with the chain fixture's state, and a kernel that answers only when told. */
function chainModel() {
  const { graph, numbers, tables } = fixture("chain");
  const model = new FakeModel({ x: 0.5, x_min: -2, x_max: 2, error: "", graph, numbers, tables, n_steps: 3 });
  const sent = [];
  model.save_changes = () => sent.push(model.get("x"));
  return { model, sent };
}

test("a move shows its row at once, the kernel follows, and its answer takes over when it comes", () => {
  const { model, sent } = chainModel();
  const shown = createShownModel(model);
  const picture = graphReader(shown);
  const drawn = [];
  shown.on("change:numbers", () => drawn.push(graphX(picture())));
  const actions = createActions(model, { shown, timers: fakeClock() });
  const [table] = readTables(model.get("tables"));

  assert.equal(actions.setX(0.7013), 0.7, "the slider snaps to the grid");
  assert.deepEqual(drawn, [0.7], "drawn at once, from the table, before any answer");
  assert.equal(shown.get("x"), 0.7);
  assert.deepEqual(sent, [0.7], "the kernel is told");
  const p = nearestPosition(table.xs, 0.7);
  assert.equal(picture().nodes.find((n) => n.id === "v3")?.value, table.rows?.[p * table.width + 3]);

  actions.setX(0.9); // while 0.7 is on its way: shown at once, sent once 0.7 is answered
  assert.deepEqual(drawn, [0.7, 0.9]);
  assert.deepEqual(sent, [0.7]);
  const answer = (/** @type {number} */ x) => rowNumbers(/** @type {any} */ (table), nearestPosition(table.xs, x));
  model.set("numbers", answer(0.7)); // the kernel's answer for 0.7: 0.9 stays shown, and goes next
  assert.equal(graphX(picture()), 0.9, "an older answer never replaces the newer move");
  assert.deepEqual(sent, [0.7, 0.9]);
  model.set("x", 0.9);
  model.set("numbers", answer(0.9));
  assert.equal(shown.previewing(), null, "the kernel caught up: its own numbers are shown");
  assert.equal(graphX(picture()), 0.9);
  actions.destroy();
  shown.destroy();
});

test("a move that Python refuses, or a new graph, drops what the table showed", () => {
  const { model } = chainModel();
  const shown = createShownModel(model);
  const actions = createActions(model, { shown, timers: fakeClock() });
  actions.setX(-1);
  assert.equal(shown.get("x"), -1);
  model.set("error", "x = -1 is not allowed today"); // refused (the old x comes back too)
  model.set("x", 0.5);
  assert.equal(shown.previewing(), null);
  assert.equal(shown.get("x"), 0.5);

  actions.setX(1);
  assert.equal(shown.get("x"), 1);
  let redrawn = 0;
  shown.on("change:numbers", () => redrawn++);
  const other = fixture("diamond");
  model.set("graph", other.graph); // a new graph (its numbers come in the same message)
  assert.equal(shown.previewing(), null, "a preview for another graph is never shown");
  assert.equal(redrawn, 1, "and what it changed is drawn again");
  assert.equal(shown.get("numbers"), model.get("numbers"));
  actions.destroy();
  shown.destroy();
});

test("with no usable table (too slow to compute ahead, or another slider moved) each move waits for Python", () => {
  const { model, sent } = chainModel();
  model.set("tables", [{ ...fixture("chain").tables[0], rows: null, note: "live" }]);
  const shown = createShownModel(model);
  const actions = createActions(model, { shown, timers: fakeClock() });
  assert.equal(actions.setX(0.7013), 0.7, "still on the grid");
  assert.equal(shown.previewing(), null);
  assert.deepEqual(sent, [0.7]);
  actions.destroy();
  shown.destroy();
});

test("show(y): a leaf's table is painted from while the others are where it holds them; a release is sent", () => {
  const { graph, numbers } = fixture("twoLeaves");
  const chainTable = fixture("chain").tables[0]; // stand-in rows are not needed here: held values are
  const model = new FakeModel({ names: ["x", "y"], values: [1, 2], error: "", graph, numbers, n_steps: 3 });
  const messages = [];
  model.send = (content) => messages.push(content);
  const width = graph.layout.width;
  const xs = readTables([chainTable])[0].xs;
  const rows = new Float64Array(xs.length * width).fill(7);
  model.set("tables", [
    { leaf: "v0", xs: Array.from(xs), step: 0.02, held: [null, 2], width, rows: Array.from(rows), errors: {} },
    { leaf: "v1", xs: Array.from(xs), step: 0.02, held: [1, null], width, rows: Array.from(rows), errors: {} },
  ]);
  const shown = createShownModel(model);
  const actions = createActions(model, { shown, timers: fakeClock() });
  assert.equal(actions.setLeaf(0, 0.51), 0.52);
  assert.deepEqual(shown.get("values"), [0.52, 2]);
  assert.equal(mergeNumbers(model.get("graph"), shown.get("numbers")).nodes[2].value, 7, "the table's row");
  actions.release(0);
  assert.deepEqual(messages, [{ type: "release", slider: 0, values: [0.52, 2] }]);
  shown.clear();
  actions.setLeaf(1, 1.5); // y's table holds x at 1, but x is at 0.52 now: the kernel answers
  assert.equal(shown.previewing(), null);
  actions.destroy();
  shown.destroy();
});
