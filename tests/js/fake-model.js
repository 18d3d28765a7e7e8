// A stand-in for anywidget's model: get/set/on/off/save_changes with Backbone-like change events.

export class FakeModel {
  /** @param {Record<string, any>} state */
  constructor(state) {
    this.state = { ...state };
    /** @type {Record<string, Function[]>} */
    this.handlers = {};
    this.saves = 0;
  }
  get(name) {
    return this.state[name];
  }
  set(name, value) {
    const old = this.state[name];
    this.state[name] = value;
    if (old !== value) for (const cb of [...(this.handlers[`change:${name}`] || [])]) cb();
  }
  on(event, cb) {
    (this.handlers[event] ||= []).push(cb);
  }
  off(event, cb) {
    this.handlers[event] = (this.handlers[event] || []).filter((h) => h !== cb);
  }
  save_changes() {
    this.saves += 1;
  }
  listenerCount() {
    return Object.values(this.handlers).reduce((n, list) => n + list.length, 0);
  }
}
