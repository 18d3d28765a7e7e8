import assert from "node:assert/strict";
import { test } from "node:test";
import { ANSWER_MS, createLink, HEARTBEAT_MS, PING, PONG, RESYNC } from "../../js/link.js";
import { FakeModel } from "./fake-model.js";

/** A clock the test moves by hand. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  /** @type {Map<number, {at: number, fn: () => void}>} */
  const pending = new Map();
  return {
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(id) {
      pending.delete(id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}

/** A host model whose kernel answers pings while `answering` is true; send throws once `dead`. */
class Host extends FakeModel {
  constructor(state = {}) {
    super({ step: 0, n_steps: 3, blocks: ["square"], ...state });
    this.sent = [];
    this.answering = true;
    this.dead = false;
  }
  send(content) {
    if (this.dead) throw new Error("Cannot send");
    this.sent.push(content);
    if (this.answering && content.type === PING) this.reply({ type: PONG });
  }
  reply(content) {
    for (const cb of [...(this.handlers["msg:custom"] || [])]) cb(content, []);
  }
  fire(event) {
    for (const cb of [...(this.handlers[event] || [])]) cb();
  }
}

test("a kernel that answers its ping is live, and edits go through", () => {
  const host = new Host();
  const link = createLink(host, { timers: fakeTimers() });
  assert.equal(link.state(), "live");
  link.model.set("blocks", ["exp"]);
  link.model.save_changes();
  assert.deepEqual(host.get("blocks"), ["exp"]);
  assert.equal(host.saves, 1);
});

test("no answer: offline if Python never answered, lost if it did; a late answer resyncs", () => {
  const timers = fakeTimers();
  const silent = new Host();
  silent.answering = false;
  const never = createLink(silent, { timers });
  assert.equal(never.state(), "connecting");
  timers.advance(ANSWER_MS);
  assert.equal(never.state(), "offline");

  const host = new Host();
  const link = createLink(host, { timers });
  const seen = [];
  link.subscribe((state) => seen.push(state));
  host.answering = false;
  timers.advance(HEARTBEAT_MS + ANSWER_MS);
  assert.equal(link.state(), "lost");
  // while lost: the page steps on (its own numbers), edits that need Python are refused, nothing is sent
  link.model.set("step", 2);
  link.model.set("blocks", ["exp"]);
  link.model.save_changes();
  assert.equal(host.get("step"), 2);
  assert.deepEqual(host.get("blocks"), ["square"], "an edit Python must compute is refused");
  assert.equal(host.saves, 0);
  // the kernel answers again: the page's own changes go first, then a request for Python's whole state
  host.answering = true;
  timers.advance(HEARTBEAT_MS);
  assert.equal(link.state(), "live");
  assert.equal(host.saves, 1);
  assert.equal(host.sent.at(-1).type, RESYNC);
  assert.deepEqual(seen, ["lost", "live"]);
  link.destroy();
  never.destroy();
});

test("a dead comm (restart, crash) or a send that throws (shutdown) is gone for good, and never throws", () => {
  const timers = fakeTimers();
  const restarted = new Host();
  const link = createLink(restarted, { timers });
  restarted.fire("comm_live_update");
  assert.equal(link.state(), "gone");
  restarted.answering = true;
  timers.advance(10 * HEARTBEAT_MS);
  assert.equal(link.state(), "gone", "no ping brings a dead comm back");

  const shutDown = new Host();
  const other = createLink(shutDown, { timers });
  shutDown.dead = true;
  assert.doesNotThrow(() => timers.advance(HEARTBEAT_MS));
  assert.equal(other.state(), "gone");
  assert.doesNotThrow(() => other.model.send({ type: "anything" }));
  assert.doesNotThrow(() => other.model.save_changes());
});

test("a widget manager whose kernel went away (JupyterLab after a shutdown) is gone before any write", () => {
  const host = new Host();
  host.widget_manager = { kernel: {} };
  const link = createLink(host, { timers: fakeTimers() });
  assert.equal(link.state(), "live");
  host.widget_manager.kernel = null;
  host.save_changes = () => assert.fail("save_changes on a shut-down kernel logs an error in JupyterLab");
  link.model.set("step", 1);
  link.model.save_changes();
  assert.equal(link.state(), "gone");
  assert.equal(host.get("step"), 1);
});

test("a page that says it has no kernel is offline at once and sends nothing", () => {
  const host = new Host();
  host.offline = true;
  const timers = fakeTimers();
  const link = createLink(host, { timers });
  assert.equal(link.state(), "offline");
  timers.advance(10 * HEARTBEAT_MS);
  assert.deepEqual(host.sent, []);
  link.model.set("x", 1.5);
  assert.equal(host.get("x"), undefined, "no table: x needs Python");
  const sliding = createLink(host, { timers, canSlide: () => true });
  sliding.model.set("x", 1.5);
  assert.equal(host.get("x"), 1.5, "with a table the page shows any x itself");
});

test("destroy leaves no listener and no timer", () => {
  const host = new Host();
  const timers = fakeTimers();
  const before = host.listenerCount();
  const link = createLink(host, { timers });
  link.destroy();
  assert.equal(host.listenerCount(), before);
  const sent = host.sent.length;
  timers.advance(10 * HEARTBEAT_MS);
  assert.equal(host.sent.length, sent);
});

test("the standard HTML export (ipywidgets' html-manager, no kernel) is offline at once", () => {
  const host = new Host();
  host.widget_manager = { loadClass() {} }; // a manager with no kernel at all
  const saved = globalThis.document;
  globalThis.document = /** @type {any} */ ({ querySelector: (s) => (s.includes("widget-state") ? {} : null) });
  try {
    const link = createLink(host, { timers: fakeTimers() });
    assert.equal(link.state(), "offline");
    assert.deepEqual(host.sent, [], "no ping: nobody could answer");
  } finally {
    globalThis.document = saved;
  }
  const live = createLink(host, { timers: fakeTimers() });
  assert.equal(live.state(), "live", "without the page's saved state script it is some other host: ask it");
});
