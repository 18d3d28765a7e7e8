// Checks shared by the layout tests of chains and of DAGs.
import assert from "node:assert/strict";

/** @param {import("../../js/layout.js").Layout} layout */
export function assertNoOverlap(layout) {
  const boxes = [...layout.nodes.entries()];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [ida, a] = boxes[i];
      const [idb, b] = boxes[j];
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      assert.ok(apart, `${ida} and ${idb} overlap`);
    }
  }
}
