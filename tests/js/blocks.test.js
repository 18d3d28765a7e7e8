import assert from "node:assert/strict";
import { test } from "node:test";
import { addBlock, blockNames, dropIndex, moveBlock, removeBlock } from "../../js/blocks.js";

test("addBlock appends without mutating", () => {
  const before = ["square"];
  assert.deepEqual(addBlock(before, "exp"), ["square", "exp"]);
  assert.deepEqual(before, ["square"]);
});

test("removeBlock drops one index, ignores out-of-range", () => {
  assert.deepEqual(removeBlock(["square", "exp", "square"], 1), ["square", "square"]);
  assert.deepEqual(removeBlock(["square"], 3), ["square"]);
});

test("moveBlock moves to the given index and clamps", () => {
  const b = ["a", "b", "c"];
  assert.deepEqual(moveBlock(b, 0, 2), ["b", "c", "a"]);
  assert.deepEqual(moveBlock(b, 2, 0), ["c", "a", "b"]);
  assert.deepEqual(moveBlock(b, 1, 0), ["b", "a", "c"]);
  assert.deepEqual(moveBlock(b, 0, -1), ["a", "b", "c"]);
  assert.deepEqual(moveBlock(b, 2, 9), ["a", "b", "c"]);
  assert.deepEqual(b, ["a", "b", "c"]);
});

test("dropIndex turns 'over row, upper/lower half' into a target index", () => {
  // drag a (0) below c (2): lands last
  assert.deepEqual(moveBlock(["a", "b", "c"], 0, dropIndex(0, 2, false)), ["b", "c", "a"]);
  // drag c (2) above a (0): lands first
  assert.deepEqual(moveBlock(["a", "b", "c"], 2, dropIndex(2, 0, true)), ["c", "a", "b"]);
  // drag a onto its own upper half: stays
  assert.deepEqual(moveBlock(["a", "b", "c"], 0, dropIndex(0, 0, true)), ["a", "b", "c"]);
  // drag a above c: between b and c
  assert.deepEqual(moveBlock(["a", "b", "c"], 0, dropIndex(0, 2, true)), ["b", "a", "c"]);
});

test("blockNames counts from 1", () => {
  assert.deepEqual(blockNames(1, "exp"), {
    row: "Block 2: exp",
    remove: "Remove block 2 (exp)",
    up: "Move up block 2 (exp)",
    down: "Move down block 2 (exp)",
  });
});
