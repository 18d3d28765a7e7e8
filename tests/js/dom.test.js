import assert from "node:assert/strict";
import { test } from "node:test";
import { afterPaint, createWriter } from "../../js/dom.js";

/** An element that logs every write it gets: enough of one for createWriter. */
function fakeElement() {
  /** @type {string[]} */
  const log = [];
  const fake = {
    set textContent(/** @type {string} */ text) {
      log.push(`text ${text}`);
    },
    setAttribute: (/** @type {string} */ name, /** @type {string} */ value) => log.push(`set ${name}=${value}`),
    removeAttribute: (/** @type {string} */ name) => log.push(`remove ${name}`),
    classList: {
      toggle: (/** @type {string} */ name, /** @type {boolean} */ on) => log.push(`class ${name} ${on}`),
    },
  };
  return { el: /** @type {Element} */ (/** @type {unknown} */ (fake)), log };
}

test("the writer writes only what differs from its last write to that element", () => {
  const write = createWriter();
  const a = fakeElement();
  const b = fakeElement();

  assert.equal(write.text(a.el, "0.5"), true);
  assert.equal(write.text(a.el, "0.5"), false);
  assert.equal(write.text(b.el, "0.5"), true, "each element has its own record");
  assert.equal(write.text(a.el, "\u22120.7"), true);

  write.attrs(a.el, { "data-value": "0.5", "aria-current": null });
  write.attrs(a.el, { "data-value": "0.5", "aria-current": "step" });
  write.attrs(a.el, { "data-value": "", "aria-current": "step" });
  write.attrs(a.el, { "data-value": "", "aria-current": null });

  write.classes(a.el, { pending: true, fresh: false });
  write.classes(a.el, { pending: true, fresh: true });
  write.classes(a.el, { pending: false, fresh: true });

  assert.deepEqual(a.log, [
    "text 0.5",
    "text \u22120.7",
    "set data-value=0.5",
    "remove aria-current",
    "set aria-current=step",
    "set data-value=",
    "remove aria-current",
    "class pending true",
    "class fresh false",
    "class fresh true",
    "class pending false",
  ]);
  assert.deepEqual(b.log, ["text 0.5"]);
});

test("a text, an attribute and a class of the same name are recorded apart", () => {
  const write = createWriter();
  const a = fakeElement();
  write.attrs(a.el, { x: "1" });
  write.classes(a.el, { x: true });
  assert.equal(write.text(a.el, "1"), true);
  assert.deepEqual(a.log, ["set x=1", "class x true", "text 1"]);
});

test("afterPaint runs its work once, later; cancelled, never", async () => {
  /** @type {string[]} */
  const ran = [];
  afterPaint(() => ran.push("kept"));
  const cancel = afterPaint(() => ran.push("cancelled"));
  cancel();
  assert.deepEqual(ran, [], "not in the task that asked");
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(ran, ["kept"]);
});
