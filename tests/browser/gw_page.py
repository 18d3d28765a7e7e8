"""Drive gradwidget in a real page: open a notebook, run it, find the widget's parts, read numbers off them.

The widget's DOM hooks (from js/): the root `.gradwidget` (focusable, data-lm-suppress-shortcuts); the graph's
nodes `g[data-node-id]` with `data-kind` "variable" (v0 = x ... ) or "function" (f0 = first block ...);
variables carry `data-value` and `data-grad` (formatted, "" while pending) and `data-grad-value` (full
precision); the Function being processed has `aria-current="step"`; `.gw-counter` says "Step k / n";
the error line is `role="alert"`.
"""

import ast
import json
import math
import re
import shutil

import numpy as np
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

WAIT_MS = 20_000  # generous but bounded: a kernel on a busy 2-core machine
RUN_ALL_MS = 60_000  # opening a notebook, starting its kernel and running every cell

MINUS = "\u2212"


# --- numbers ------------------------------------------------------------------------------------------------


def parse_shown(text):
    """A number as the widget shows it ("1.234", "\u22120.5", "2.5e+5", "\u221e", "NaN") as a float."""
    text = (text or "").strip().replace(MINUS, "-")
    if text in ("\u221e", "+\u221e"):
        return math.inf
    if text == "-\u221e":
        return -math.inf
    return float(text)  # "NaN" parses too


def chain(x):
    """y = exp(x^2)^2 forward and every grad by the chain rule: numpy's answer, not the widget's."""
    x = np.float64(x)
    a = np.square(x)
    b = np.exp(a)
    y = np.square(b)
    gy = np.float64(1.0)
    gb = 2 * b * gy  # Square: d(b^2)/db
    ga = np.exp(a) * gb  # Exp
    gx = 2 * x * ga  # Square: d(x^2)/dx
    values = {"v0": x, "v1": a, "v2": b, "v3": y}
    grads = {"v3": gy, "v2": gb, "v1": ga, "v0": gx}
    return values, grads


def close(actual, expected, rel):
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-12)


# --- opening a notebook -------------------------------------------------------------------------------------


def copy_notebook(server, example, name):
    """A fresh copy of an example under a new name, so each test gets its own kernel session."""
    target = server.root / name
    shutil.copy(server.root / example, target)
    return name


def open_and_run_all(page, server, path, app):
    """Open `path` in JupyterLab (app="lab") or Notebook 7 (app="notebook") and run every cell.

    Needs the server's --expose-app-in-browser: waits for window.jupyterapp, the notebook's context and
    session, then runs `notebook:run-all-cells` and waits for it to finish. The notebook panel is kept in
    window.__gwPanel for `kernel_eval` and `run_cell`.
    """
    if app == "lab":
        workspace = path.replace(".", "-")
        page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{path}")
    else:
        page.goto(f"{server.url}/notebooks/{path}")
    wait_for_panel(page, path)
    result = page.evaluate(
        """async (ms) => {
            const panel = window.__gwPanel;
            const timeout = new Promise((resolve) => setTimeout(() => resolve("timed out"), ms));
            const run = (async () => {
                await panel.context.ready;
                await panel.sessionContext.ready;
                window.jupyterapp.shell.activateById(panel.id);
                const ok = await window.jupyterapp.commands.execute("notebook:run-all-cells");
                if (ok !== false) return "ok";
                const errors = [];
                panel.content.widgets.forEach((cell, i) => {
                    const outputs = cell.model.outputs ? cell.model.outputs.toJSON() : [];
                    for (const o of outputs) {
                        if (o.output_type === "error") errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
                    }
                });
                return `a cell failed: ${errors.join("; ") || "(no error output)"}`;
            })();
            return Promise.race([run, timeout]);
        }""",
        RUN_ALL_MS,
    )
    assert result == "ok", f"running every cell of {path} in {app}: {result}"


def wait_for_panel(page, path):
    """Wait until the page's JupyterLab or Notebook 7 (window.jupyterapp, from --expose-app-in-browser) has
    the notebook `path` open with a session, and keep its panel in window.__gwPanel."""
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=RUN_ALL_MS)
    page.wait_for_function(
        """(path) => {
            for (const w of window.jupyterapp.shell.widgets("main")) {
                if (w.context && w.context.path === path && w.sessionContext) {
                    window.__gwPanel = w;
                    return true;
                }
            }
            return false;
        }""",
        arg=path,
        timeout=RUN_ALL_MS,
    )


def open_voila(page, server):
    page.goto(f"{server.url}/")


def kernel_eval(page, expression, code=""):
    """Run `code` in the notebook's kernel, then evaluate `expression` there; return its value via JSON.

    Goes through the notebook's own kernel connection (the same websocket the widget's comm uses), so every
    message the page sent before is handled first.
    """
    reply = page.evaluate(
        """async ({code, expression}) => {
            const kernel = window.__gwPanel.sessionContext.session.kernel;
            const future = kernel.requestExecute({
                code, silent: false, store_history: false,
                user_expressions: {r: `__import__("json").dumps(${expression})`},
            });
            const msg = await future.done;
            const c = msg.content;
            if (c.status !== "ok") return {error: `${c.ename}: ${c.evalue}`};
            const r = c.user_expressions.r;
            if (r.status !== "ok") return {error: `${r.ename}: ${r.evalue}`};
            return {text: r.data["text/plain"]};
        }""",
        {"code": code, "expression": expression},
    )
    assert "error" not in reply, f"kernel: {expression!r} failed: {reply['error']}"
    return json.loads(ast.literal_eval(reply["text"]))


def run_cell(page, code):
    """Append a code cell with `code` to the open notebook, run it, and return a locator for that cell."""
    index = page.evaluate(
        """async (code) => {
            const app = window.jupyterapp;
            const notebook = window.__gwPanel.content;
            notebook.activeCellIndex = notebook.widgets.length - 1;
            await app.commands.execute("notebook:insert-cell-below");
            const cell = notebook.activeCell;
            cell.model.sharedModel.setSource(code);
            cell.node.setAttribute("data-gw-test-cell", "");
            await app.commands.execute("notebook:run-cell");
            return notebook.activeCellIndex;
        }""",
        code,
    )
    assert index >= 0
    return page.locator("[data-gw-test-cell]")


# --- waiting on the page ------------------------------------------------------------------------------------


def set_range(slider, value):
    """Move an <input type=range> like a hand would (value + input and change events); return the value it
    took."""
    taken = slider.evaluate(
        """(el, v) => {
            el.value = String(v);
            el.dispatchEvent(new Event("input", {bubbles: true}));
            el.dispatchEvent(new Event("change", {bubbles: true}));
            return el.value;
        }""",
        value,
    )
    return float(taken)


def wait_for_number(root, selector, attribute, expected, rel, absolute=1e-12):
    """Wait in the page until `selector` (inside `root`) has `attribute` within max(absolute, rel·|expected|)
    of `expected`, read as a number as the widget writes it (real minus sign, \u221e).

    A MutationObserver rather than polling, so a value that is right only briefly is still seen. Raises
    PlaywrightError after WAIT_MS; the callers say what was there instead.
    """
    root.evaluate(
        """(root, a) => new Promise((resolve, reject) => {
            const parse = (t) => {
                t = (t || "").trim().replaceAll("\\u2212", "-");
                if (t === "\\u221e") return Infinity;
                if (t === "-\\u221e") return -Infinity;
                return t === "" ? NaN : Number(t);
            };
            const ok = () => {
                const el = root.querySelector(a.selector);
                if (!el) return false;
                const v = parse(el.getAttribute(a.attribute));
                return Math.abs(v - a.expected) <= Math.max(a.absolute, a.rel * Math.abs(a.expected));
            };
            if (ok()) return resolve(true);
            const observer = new MutationObserver(() => {
                if (ok()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
            });
            observer.observe(root, {subtree: true, attributes: true, childList: true});
            const timer = setTimeout(() => {
                observer.disconnect();
                reject(new Error("timeout"));
            }, a.ms);
        })""",
        {
            "selector": selector,
            "attribute": attribute,
            "expected": float(expected),
            "rel": rel,
            "absolute": absolute,
            "ms": WAIT_MS,
        },
    )


# --- the widget ---------------------------------------------------------------------------------------------


class Widget:
    """Locators and checks for one gradwidget view on the page."""

    def __init__(self, page, root=None):
        self.page = page
        self.root = root if root is not None else page.locator(".gradwidget").first
        self.slider = self.root.get_by_role("slider", name="x")
        self.step_button = self.root.get_by_role("button", name="Step", exact=True)
        self.back_button = self.root.get_by_role("button", name="Step back", exact=True)
        self.reset_button = self.root.get_by_role("button", name="Reset", exact=True)
        self.run_all_button = self.root.get_by_role("button", name="Run all", exact=True)
        self.counter = self.root.locator(".gw-counter")
        self.alert = self.root.get_by_role("alert")
        self.live = self.root.locator('[aria-live="polite"]')

    def wait_visible(self):
        """Wait for the widget to be drawn (graph nodes present), and scroll it into view."""
        expect(self.root).to_be_attached(timeout=RUN_ALL_MS)
        expect(self.node("v0")).to_be_attached(timeout=WAIT_MS)
        self.root.scroll_into_view_if_needed()
        expect(self.root).to_be_visible(timeout=WAIT_MS)
        return self

    def node(self, node_id):
        return self.root.locator(f'g[data-node-id="{node_id}"]')

    def screenshot(self, path):
        """Save the widget as the learner sees it: its top scrolled to the top of what scrolls it, and the
        part of that scroller's view it then covers. An element screenshot of a widget taller than the window
        stitches frames scrolled apart, and where an inner panel scrolls (JupyterLab, Notebook 7, marimo) the
        front end's bars and the widget's own sticky controls land on top of its graph."""
        self.root.evaluate("(el) => el.scrollIntoView({block: 'start', inline: 'nearest'})")
        two_frames = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
        self.page.evaluate(two_frames)
        box = self.root.evaluate(
            """(el) => {
              const r = el.getBoundingClientRect();
              let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
              for (let p = el.parentElement; p; p = p.parentElement) {
                if (!/(auto|scroll)/.test(getComputedStyle(p).overflowY)) continue;
                const q = p.getBoundingClientRect();
                [left, top, right, bottom] = [Math.max(left, q.left), Math.max(top, q.top),
                                              Math.min(right, q.right), Math.min(bottom, q.bottom)];
              }
              [left, top] = [Math.max(left, 0), Math.max(top, 0)];
              [right, bottom] = [Math.min(right, innerWidth), Math.min(bottom, innerHeight)];
              return {x: left, y: top, width: right - left, height: bottom - top};
            }"""
        )
        self.page.screenshot(path=path, clip=box)

    @property
    def function_nodes(self):
        return self.root.locator('g[data-kind="function"]')

    @property
    def variable_nodes(self):
        return self.root.locator('g[data-kind="variable"]')

    def set_x(self, x):
        """Move the slider like a hand would (value + input event); return the value the slider took."""
        return set_range(self.slider, x)

    def expect_counter(self, k, n):
        expect(self.counter).to_have_text(f"Step {k} / {n}", timeout=WAIT_MS)

    def wait_number(self, node_id, attribute, expected, rel):
        """Wait until the node's attribute, read as a number, is within `rel` of `expected`."""
        selector = f'g[data-node-id="{node_id}"]'
        try:
            self.root.locator(selector).wait_for(state="attached", timeout=WAIT_MS)
            wait_for_number(self.root, selector, attribute, expected, rel)
        except PlaywrightError:
            actual = self.root.locator(selector).get_attribute(attribute, timeout=1000)
            raise AssertionError(
                f"{node_id} {attribute} = {actual!r}, expected about {float(expected)!r} (rel {rel})"
            ) from None

    def expect_values(self, values):
        """Each variable's shown value (data-value and its text) is numpy's, to 4 significant digits."""
        for node_id, expected in values.items():
            self.wait_number(node_id, "data-value", expected, rel=1e-3)
            shown = self.node(node_id).locator("text.value").text_content()
            assert close(parse_shown(shown), float(expected), 1e-3), (node_id, shown, float(expected))

    def expect_step(self, k, grads, n=3):
        """After k backward steps of the 3-block chain: exactly f(n-k) is current, and exactly the variables
        backprop reached (y, then each step's input) show their grad, equal to numpy's chain rule."""
        self.expect_counter(k, n)
        current = self.root.locator('[aria-current="step"]')
        if k == 0:
            expect(current).to_have_count(0, timeout=WAIT_MS)
        else:
            expect(current).to_have_count(1, timeout=WAIT_MS)
            expect(current).to_have_attribute("data-node-id", f"f{n - k}")
            expect(current).to_have_attribute("data-kind", "function")
        reached = {f"v{n - j}" for j in range(k + 1)} if k else set()  # y, then the input of each step
        for j in range(n + 1):
            node_id = f"v{j}"
            node = self.node(node_id)
            if node_id in reached:
                self.wait_number(node_id, "data-grad-value", grads[node_id], rel=1e-9)
                shown = node.get_attribute("data-grad")
                assert close(parse_shown(shown), float(grads[node_id]), 1e-3), (node_id, shown)
                expect(node).to_have_class(_has("computed"))
                expect(node).not_to_have_class(_has("pending"))
            else:
                expect(node).to_have_attribute("data-grad", "", timeout=WAIT_MS)
                expect(node).to_have_class(_has("pending"))
        # the buttons follow the step
        (expect(self.back_button).to_be_disabled if k == 0 else expect(self.back_button).to_be_enabled)()
        (expect(self.step_button).to_be_disabled if k == n else expect(self.step_button).to_be_enabled)()


def _has(cls):
    """A class regex for to_have_class: `cls` among the element's classes."""
    return re.compile(rf"(^|\s){re.escape(cls)}(\s|$)")
