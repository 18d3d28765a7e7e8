import assert from "node:assert/strict";
import { test } from "node:test";
import { createCodeDraft } from "../../js/code-edit.js";

const OLD = "y = square(exp(square(x)))";

test("the box follows the model's code until the learner types", () => {
  const d = createCodeDraft();
  assert.equal(d.shown(OLD), OLD);
  assert.equal(d.dirty(OLD), false);
  d.edit("y = exp(", OLD);
  assert.equal(d.shown("y = x"), "y = exp(", "a code change from elsewhere does not wipe what is being typed");
  assert.equal(d.dirty(OLD), true);
  d.edit(OLD, OLD);
  assert.equal(d.dirty(OLD), false, "typed back to the model's code: nothing to apply");
  d.edit("junk", OLD);
  d.revert();
  assert.equal(d.shown(OLD), OLD);
});

test("accepted: the box shows Python's code for the new stack", () => {
  const d = createCodeDraft();
  d.edit("exp(sin(x))", OLD);
  assert.equal(d.submit("exp(sin(x))", OLD), true);
  assert.equal(d.shown(OLD), OLD, "until Python answers, the model's code");
  d.codeChanged("y = exp(sin(x))");
  assert.equal(d.shown("y = exp(sin(x))"), "y = exp(sin(x))");
  assert.equal(d.invalid(), false);
});

test("refused (error, then the old code sent back): the learner's text stays, marked invalid, to fix", () => {
  const d = createCodeDraft();
  d.edit("y = exq(x)", OLD);
  assert.equal(d.submit("y = exq(x)", OLD), true);
  d.codeChanged("y = exq(x)"); // the page's own write fires change:code first
  d.errorChanged("Unknown block 'exq'. Did you mean 'exp'?");
  d.codeChanged(OLD);
  assert.equal(d.shown(OLD), "y = exq(x)");
  assert.equal(d.invalid(), true);
  d.edit("y = exp(x)", OLD);
  assert.equal(d.invalid(), false, "typing clears the mark");
});

test("refused with the same error as before (no error event): the old code coming back is enough", () => {
  const d = createCodeDraft();
  d.submit("y = exq(x)", OLD);
  d.codeChanged(OLD);
  assert.equal(d.shown(OLD), "y = exq(x)");
  assert.equal(d.invalid(), true);
});

test("applying the code already there sends nothing", () => {
  const d = createCodeDraft();
  assert.equal(d.submit(` ${OLD} `, OLD), false);
  d.errorChanged("some standing error");
  assert.equal(d.invalid(), false);
});

test("code Python keeps as typed (the stack it already had, or no rewrite) is settled by the new blocks", () => {
  const d = createCodeDraft();
  d.submit("y = square(x)", OLD);
  d.codeChanged("y = square(x)");
  d.accepted(); // change:blocks
  d.errorChanged("a later, unrelated error");
  assert.equal(d.invalid(), false);
  assert.equal(d.shown("y = square(x)"), "y = square(x)");
});

test("after a refused edit, a palette change shows the new stack's code: the refused text describes a stack gone", () => {
  const d = createCodeDraft();
  d.submit("y = x**2", OLD);
  d.errorChanged("That is not a stack of blocks");
  d.codeChanged(OLD);
  assert.equal(d.invalid(), true);
  d.accepted(); // change:blocks: the learner removed every block
  assert.equal(d.shown("y = x"), "y = x");
  assert.equal(d.invalid(), false);
  assert.equal(d.dirty("y = x"), false);
});
