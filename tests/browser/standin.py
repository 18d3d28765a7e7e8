"""The fast path without Jupyter: a real Python widget drawn by the shipped bundle in a bare page.

The page's model is a stand-in with anywidget's model API (get/set/on/off/save_changes/send). Each
save_changes and custom message goes to the Python widget through `page.expose_function`, as the comm would
carry it (set_state, the custom message handler), and the widget's updates come back as its comm would send
them (state with binary buffers), applied in a later task, as a kernel's answer is. `hold()` keeps the answers
in the page until `flush()`: a kernel far away, or gone.

    page_widget = StandIn(page, GradWidget(blocks=[...]))
    root = page_widget.mount()
"""

import base64
import json

from ipywidgets.widgets.widget import _remove_buffers
from launch import REPO

STATIC = REPO / "gradwidget" / "static"
ORIGIN = "http://gw.standin"

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/widget.css"></head><body><div id="gw"></div>
<script type="module">
import widget from "/widget.js";
const decode = ({state, buffer_paths, buffers}) => {
  buffer_paths.forEach((path, i) => {
    const bytes = Uint8Array.from(atob(buffers[i]), (c) => c.charCodeAt(0));
    let parent = state;
    for (const key of path.slice(0, -1)) parent = parent[key];
    parent[path[path.length - 1]] = new DataView(bytes.buffer);
  });
  return state;
};
window.gwMount = (initial) => {
  const state = decode(initial);
  const listeners = new Map();
  const fire = (keys) => keys.forEach((k) => [...(listeners.get(`change:${k}`) || [])].forEach((cb) => cb()));
  let dirty = {};
  window.gwHeld = [];
  window.gwHolding = false;
  window.gwPending = 0; // messages sent to Python and not yet answered
  // the kernel's updates, all set before any change event fires (as Backbone's set does)
  const apply = (messages) => {
    for (const message of messages) {
      if (message.method !== "update") continue;
      const changes = decode(message);
      Object.assign(state, changes);
      fire(Object.keys(changes));
    }
  };
  const answer = (messages) => {
    window.gwPending -= 1;
    if (window.gwHolding) window.gwHeld.push(messages);
    else apply(messages);
  };
  window.gwApply = apply;
  window.gwFlush = () => {
    const held = window.gwHeld;
    window.gwHeld = [];
    held.forEach(apply);
  };
  window.gwModel = {
    get: (k) => state[k],
    set: (k, v) => { state[k] = v; dirty[k] = v; fire([k]); },
    on: (e, cb) => { if (!listeners.has(e)) listeners.set(e, new Set()); listeners.get(e).add(cb); },
    off: (e, cb) => listeners.get(e)?.delete(cb),
    save_changes: () => {
      const sent = dirty;
      dirty = {};
      window.gwPending += 1;
      window.gwSave(sent).then(answer);
    },
    send: (content) => { window.gwPending += 1; window.gwSend(content).then(answer); },
  };
  window.gwCleanup = widget.render({model: window.gwModel, el: document.getElementById("gw")});
};
window.gwReady = true;
</script></body></html>"""


def _encoded(msg, buffers):
    return {
        "method": msg.get("method"),
        "state": msg.get("state", {}),
        "buffer_paths": msg.get("buffer_paths", []),
        "buffers": [base64.b64encode(bytes(b)).decode("ascii") for b in buffers or ()],
    }


class StandIn:
    """One Python widget in a page of its own, its page model wired to it (see the module's docstring)."""

    def __init__(self, page, widget):
        self.page = page
        self.widget = widget
        self.outbox = []
        widget._send = lambda msg, buffers=None: self.outbox.append(_encoded(msg, buffers))
        files = {
            "/": ("text/html", PAGE.encode()),
            "/widget.js": ("text/javascript", (STATIC / "widget.js").read_bytes()),
            "/widget.css": ("text/css", (STATIC / "widget.css").read_bytes()),
        }

        def serve(route):
            path = "/" + route.request.url.split("://", 1)[1].split("/", 1)[1]
            kind, body = files.get(path, ("text/plain", b""))
            route.fulfill(status=200 if path in files else 404, content_type=kind, body=body)

        page.route(f"{ORIGIN}/**", serve)
        page.expose_function("gwSave", self._save)
        page.expose_function("gwSend", self._custom)

    def _answers(self):
        sent, self.outbox = self.outbox, []
        return json.loads(json.dumps(sent))

    def _save(self, changes):
        self.widget.set_state(changes)
        return self._answers()

    def _custom(self, content):
        self.widget._handle_custom_msg(content, [])
        return self._answers()

    def initial_state(self):
        """The widget's whole state as gwMount takes it (JSON, binary buffers base64)."""
        full = self.widget.get_state()
        state = {k: v for k, v in full.items() if not k.startswith("_") and k not in ("layout", "tooltip")}
        state, paths, buffers = _remove_buffers(state)
        initial = {"state": state, "buffer_paths": paths, "buffers": buffers, "method": "update"}
        return json.loads(json.dumps(_encoded(initial, buffers)))

    def mount(self):
        """Open the page and draw the widget from its whole state; return the widget's root locator."""
        self.page.goto(f"{ORIGIN}/")
        self.page.wait_for_function("() => window.gwReady === true")
        self.page.evaluate("(s) => window.gwMount(s)", self.initial_state())
        root = self.page.locator(".gradwidget")
        root.locator('g[data-node-id="v0"]').wait_for(state="attached")
        return root

    def screenshot(self, path):
        """Save the whole widget as a window tall enough to hold it shows it. An element screenshot of a
        widget taller than the window renders what is out of the window as the window does not: the sticky
        controls stay where the scroll left them, over the card, and the stack's rows out of view are blank
        boxes (content-visibility). The window grows for the shot, at the same width, and is put back."""
        size = self.page.viewport_size
        root = self.page.locator(".gradwidget")
        bottom = root.evaluate("(el) => Math.ceil(el.getBoundingClientRect().bottom + scrollY)")
        self.page.set_viewport_size({"width": size["width"], "height": max(size["height"], bottom + 16)})
        self.page.evaluate("() => scrollTo(0, 0)")
        two_frames = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
        self.page.evaluate(two_frames)
        root.screenshot(path=path)
        self.page.set_viewport_size(size)

    def push(self):
        """Send the page what the widget sent by itself (a change made in Python), as the comm would."""
        self.page.evaluate("(messages) => window.gwApply(messages)", self._answers())

    def hold(self):
        """Keep the kernel's answers in the page, as if it were far away or gone."""
        self.page.evaluate("() => { window.gwHolding = true; }")

    def flush(self):
        """Let every held answer arrive, in order, and answer at once from now on."""
        self.page.evaluate("() => { window.gwHolding = false; window.gwFlush(); }")

    def settle(self):
        """Wait until every message the page sent has been answered (and, unless held, applied)."""
        self.page.wait_for_function("() => window.gwPending === 0")
