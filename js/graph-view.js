// The graph as an SVG picture. Built once per graph shape (layout is the slow part); a new step or new values only
// touch classes, attributes and text.
import "./contributions.css";
import { CONTRIBUTION, contributionRows, multiUses, rowText, sumText } from "./contributions.js";
import { createWriter, h, svg, uniqueId } from "./dom.js";
import { translate } from "./i18n.js";
import { layoutGraph, ruleText, ruleTitle, SIZES, shorten, wrapText } from "./layout.js";
import { currentStep, failures, formatValue, gradsAtStep, structureKey, wireNumber } from "./state.js";
import { createWidthBounds, fitTexts } from "./text-fit.js";
import { createZoom } from "./zoom.js";

/** @typedef {import("./state.js").Graph} Graph */

/**
 * @typedef {object} VariableParts
 * @property {"variable"} kind
 * @property {SVGElement} g
 * @property {SVGElement} value
 * @property {SVGElement} grad
 * @property {SVGElement[]} rows  a variable used more than once: one per grad it receives
 * @property {string} label
 *
 * @typedef {object} FunctionParts
 * @property {"function"} kind
 * @property {SVGElement} g
 * @property {SVGElement | null} error
 * @property {string} label
 * @property {number} room  width its rule and error lines may take
 */

/**
 * @param {{x: number, y: number}[]} points
 * @returns {string} an SVG path through the points, with rounded bends
 */
export function edgePath(points) {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  let d = `M${first.x.toFixed(1)},${first.y.toFixed(1)}`;
  if (rest.length === 1) return `${d}L${rest[0].x.toFixed(1)},${rest[0].y.toFixed(1)}`;
  // Quadratic through midpoints: smooth, and still passes the first and last point.
  for (let i = 0; i < rest.length - 1; i++) {
    const c = rest[i];
    const n = rest[i + 1];
    const mx = i === rest.length - 2 ? n.x : (c.x + n.x) / 2;
    const my = i === rest.length - 2 ? n.y : (c.y + n.y) / 2;
    d += `Q${c.x.toFixed(1)},${c.y.toFixed(1)} ${mx.toFixed(1)},${my.toFixed(1)}`;
  }
  return d;
}

/**
 * Write a failed backward's message under its node, wrapped into a few lines.
 * @param {SVGElement} el  the error <text>
 * @param {string} message  "" to clear
 * @param {number} room
 */
function showError(el, message, room) {
  el.setAttribute("data-shown", message);
  const x = el.getAttribute("x");
  const lines = message ? wrapText(`\u26a0 ${message}`, room / SIZES.ruleCharWidth, SIZES.errorLines) : [];
  el.replaceChildren(
    ...lines.map((line, i) => svg("tspan", { x, dy: i === 0 ? 0 : SIZES.errorLineHeight }, [line])),
  );
}

/** What one drawing learned of text widths serves every other on the page: the fonts are the page's. */
const bounds = createWidthBounds();

export function createGraphView() {
  const markerId = uniqueId("gw-arrow");
  const el = h("div", { class: "gw-graph" });
  const root = svg("svg", {
    class: "gw-svg",
    role: "group",
    "aria-label": "Computational graph",
    xmlns: "http://www.w3.org/2000/svg",
  });
  el.append(root);
  const zoom = createZoom(el, root);

  let key = "";
  /** Variables used more than once, and the Functions they feed (from the graph's shape). */
  /** @type {Map<string, string[]>} */
  let uses = new Map();
  /** @type {Map<string, import("./layout.js").NodeBox>} */
  let boxes = new Map();
  /** @type {string | null} */
  let lastCurrent = null;
  /** @type {Map<string, VariableParts | FunctionParts>} */
  let parts = new Map();
  /** The edges at each node: a Function's are drawn active while it is the current step. */
  /** @type {Map<string, SVGElement[]>} */
  let edgesOf = new Map();
  /** Texts that must fit their node, and the width each may take. */
  /** @type {Map<SVGElement, number>} */
  let rooms = new Map();
  /** Whether every text was fitted while the drawing was rendered (with real text metrics). */
  let fitted = false;
  const fitAll = () => {
    fitted = fitTexts(root, rooms, bounds);
  };
  // anywidget may render before `el` is in the document, and a hidden tab has no text metrics: fit again once the
  // drawing gets a size. Only then: the observer also reports the size the first draw already fitted at, and
  // measuring a thousand texts again would double that draw's cost.
  const resizes =
    typeof ResizeObserver === "function"
      ? new ResizeObserver(() => {
          if (!fitted) fitAll();
        })
      : null;
  resizes?.observe(root);

  const write = createWriter();

  /**
   * Set a text that must fit; remember it for fitting when it changed.
   * @param {SVGElement} el
   * @param {string} text
   * @param {[SVGElement, number][]} changed
   */
  function setFitted(el, text, changed) {
    if (write.text(el, text)) changed.push([el, /** @type {number} */ (rooms.get(el))]);
  }

  /**
   * @param {Graph} graph
   * @returns {import("./viewport.js").Rect} the drawing's extent, for the zoom
   */
  function build(graph) {
    const layout = layoutGraph(graph);
    root.replaceChildren();
    uses = multiUses(graph);
    boxes = layout.nodes;
    lastCurrent = null;
    parts = new Map();
    edgesOf = new Map();
    rooms = new Map();
    // A Function's node keeps an empty band above its box (to stay centred on its rank); crop what no node uses.
    const functions = new Set(graph.nodes.filter((n) => n.kind === "function").map((n) => n.id));
    let top = layout.height;
    for (const [id, b] of layout.nodes) {
      top = Math.min(top, functions.has(id) ? b.y + (b.height - SIZES.functionBox) / 2 : b.y);
    }
    top = layout.nodes.size > 0 ? Math.max(0, top - SIZES.padding) : 0;

    const arrow = (/** @type {string} */ id, /** @type {string} */ cls) =>
      svg(
        "marker",
        {
          id,
          class: cls,
          viewBox: "0 0 10 10",
          refX: 9,
          refY: 5,
          markerWidth: 11,
          markerHeight: 11,
          markerUnits: "userSpaceOnUse",
          orient: "auto",
        },
        [svg("path", { d: "M0,0L10,5L0,10z" })],
      );
    root.append(svg("defs", {}, [arrow(markerId, "gw-marker"), arrow(`${markerId}-active`, "gw-marker active")]));

    const edgeLayer = svg("g", { class: "edges", "aria-hidden": "true" });
    for (const e of layout.edges) {
      const path = svg("path", {
        class: "edge",
        d: edgePath(e.points),
        "data-from": e.from,
        "data-to": e.to,
        "marker-end": `url(#${markerId})`,
      });
      edgeLayer.append(path);
      for (const end of [e.from, e.to]) {
        const list = edgesOf.get(end);
        if (list) list.push(path);
        else edgesOf.set(end, [path]);
      }
    }
    root.append(edgeLayer);

    const failedNodes = failures(graph);
    const nodeLayer = svg("g", { class: "nodes" });
    for (const node of graph.nodes) {
      const box = layout.nodes.get(node.id);
      if (!box) continue;
      const label = String(node.label ?? "");
      const common = { "data-node-id": node.id, "data-kind": node.kind, role: "group" };
      // A node's parts are placed in the drawing's own coordinates, not under a translate() on the node: Chromium
      // neither skips SVG out of view nor reuses its earlier painting under a transform, so one changed number
      // would repaint all of a big graph.
      const x = (/** @type {number} */ dx) => +(box.x + dx).toFixed(1);
      const y = (/** @type {number} */ dy) => +(box.y + dy).toFixed(1);
      const mid = box.width / 2;
      if (node.kind === "variable") {
        const labelText = svg("text", { class: "label", x: x(mid), y: y(25) }, [shorten(label)]);
        const value = svg("text", { class: "value", x: x(mid), y: y(50) });
        const grad = svg("text", { class: "grad", x: x(mid), y: y(80) });
        // One row per use, under the grad box: each grad this variable receives, and the step that sends it.
        const rows = (uses.get(node.id) ?? []).map((_, i) =>
          svg("text", {
            class: "contribution",
            x: x(14),
            y: y(CONTRIBUTION.top + i * CONTRIBUTION.rowHeight + 13),
          }),
        );
        const g = svg("g", { ...common, class: `node variable role-${node.role || "intermediate"}` }, [
          svg("title", {}, [label]),
          svg("rect", { class: "box", x: x(0), y: y(0), width: box.width, height: box.height, rx: 16 }),
          labelText,
          value,
          svg("rect", { class: "grad-box", x: x(8), y: y(60), width: box.width - 16, height: 28, rx: 6 }),
          grad,
          rows.length > 0 && svg("g", { class: "contributions" }, rows),
        ]);
        nodeLayer.append(g);
        parts.set(node.id, { kind: "variable", g, value, grad, rows, label });
        rooms
          .set(labelText, box.width - 20)
          .set(value, box.width - 20)
          .set(grad, box.width - 22);
        for (const row of rows) rooms.set(row, box.width - 22);
      } else {
        const top = (box.height - SIZES.functionBox) / 2;
        const bottom = top + SIZES.functionBox;
        const room = box.width + 2 * SIZES.rankGap - 8;
        const rule = ruleText(node.rule)
          ? svg("text", { class: "rule", x: x(mid), y: y(bottom + 18) }, [shorten(ruleText(node.rule), 40)])
          : null;
        const failed = failedNodes.has(node.id);
        const error = failed
          ? svg("text", { class: "error-text", x: x(mid), y: y(bottom + SIZES.band + 16) })
          : null;
        const labelText = svg("text", { class: "label", x: x(mid), y: y(top + 31) }, [shorten(label)]);
        const g = svg("g", { ...common, class: "node function", "data-block": node.block || "" }, [
          svg("title", {}, [ruleText(node.rule) ? `${label}: ${ruleTitle(node.rule)}` : label]),
          svg("rect", { class: "box", x: x(0), y: y(top), width: box.width, height: SIZES.functionBox, rx: 4 }),
          labelText,
          rule,
          error,
        ]);
        nodeLayer.append(g);
        parts.set(node.id, { kind: "function", g, error, label, room });
        rooms.set(labelText, box.width - 12);
        if (rule) rooms.set(rule, room);
      }
    }
    root.append(nodeLayer);
    return { x: 0, y: top, width: layout.width, height: Math.max(1, layout.height - top) };
  }

  /**
   * Draw `graph` as it is after `step` backward steps. Re-lays out only when the graph's shape changed.
   * @param {Graph} graph
   * @param {number} step
   * @param {unknown} [lang]  "en" or "ko", for the words (numbers and names stay as they are)
   */
  function update(graph, step, lang = "en") {
    const t = (/** @type {import("./i18n.js").StringKey} */ k, /** @type {any} */ p = {}) => translate(lang, k, p);
    root.setAttribute("aria-label", t("graph"));
    zoom.setLang(lang);
    const nextKey = structureKey(graph);
    /** @type {import("./viewport.js").Rect | null} */
    let content = null;
    if (nextKey !== key) {
      key = nextKey;
      content = build(graph);
    }
    /** @type {[SVGElement, number][]} */
    const changed = [];
    const grads = gradsAtStep(graph, step);
    const current = currentStep(graph, step);
    const fresh = new Set(current ? current.inputs : []);
    const done = new Set(graph.steps.slice(0, Math.max(0, step - 1)).map((s) => s.function));
    const failed = failures(graph);
    const received = contributionRows(graph, step, uses);
    const gradWord = t("gradLabel");
    const pendingWord = t("gradPending");

    for (const node of graph.nodes) {
      const p = parts.get(node.id);
      if (!p) continue;
      if (p.kind === "variable") {
        const state = grads.get(node.id);
        const grad = state ? state.grad : null;
        const valueText = formatValue(node.value);
        const gradText = grad === null ? "" : formatValue(grad);
        setFitted(p.value, valueText || "\u2014", changed);
        setFitted(p.grad, `${gradWord}: ${grad === null ? "\u2014" : gradText}`, changed);
        const rows = received.get(node.id) ?? [];
        rows.forEach((row, i) => {
          if (!p.rows[i]) return;
          setFitted(p.rows[i], rowText(row, lang), changed);
          write.classes(p.rows[i], { arrived: row.arrived, latest: row.arrived && row.step === step });
        });
        const sum = sumText(rows, lang);
        write.attrs(p.g, {
          "data-value": valueText,
          "data-grad": gradText,
          "data-grad-value": wireNumber(grad),
          "data-contributions": state ? String(state.contributions.length) : "0",
          "data-contribution-values": state ? state.contributions.map((c) => formatValue(c.value)).join(",") : "",
          "aria-label": `${p.label} = ${valueText}, ${gradWord} ${grad === null ? pendingWord : gradText}${sum ? ` (${sum})` : ""}`,
        });
        write.classes(p.g, {
          pending: grad === null,
          computed: grad !== null,
          fresh: fresh.has(node.id) && grad !== null,
        });
      } else {
        const isCurrent = current !== null && current.function === node.id;
        const failure = failed.get(node.id);
        write.classes(p.g, { current: isCurrent, done: done.has(node.id), failed: failure !== undefined });
        write.attrs(p.g, {
          "aria-current": isCurrent ? "step" : null,
          "aria-label": `${p.label}${isCurrent ? t("currentStep") : ""}${failure ? t("backwardFailed", { error: failure }) : ""}`,
          "data-error": failure ?? null,
        });
        if (p.error && p.error.getAttribute("data-shown") !== (failure ?? ""))
          showError(p.error, failure ?? "", p.room);
      }
    }
    if (content) {
      fitAll();
      zoom.setContent(content); // with the width its resize observer reported: no layout is read here
    } else if (!fitTexts(root, changed, bounds)) fitted = false;
    const active = current ? current.function : null;
    if (active !== lastCurrent) {
      if (lastCurrent !== null) markEdges(lastCurrent, false);
      if (active !== null) markEdges(active, true);
      lastCurrent = active;
      if (current) revealStep(current);
    }
  }

  /**
   * Draw the edges into and out of a Function as active (it is the current step) or not.
   * @param {string} id
   * @param {boolean} on
   */
  function markEdges(id, on) {
    for (const path of edgesOf.get(id) ?? []) {
      path.classList.toggle("active", on);
      path.setAttribute("marker-end", `url(#${markerId}${on ? "-active" : ""})`);
    }
  }

  /**
   * Keep the step being taken in view: its Function, the grads it reads and the ones it sends.
   * @param {import("./state.js").BackwardStep} s
   */
  function revealStep(s) {
    const ids = [s.function, ...(s.inputs || []), ...(s.outputs || [])];
    const rects = ids.map((id) => boxes.get(id)).filter((b) => b !== undefined);
    if (rects.length === 0) return;
    const x = Math.min(...rects.map((b) => b.x));
    const y = Math.min(...rects.map((b) => b.y));
    const right = Math.max(...rects.map((b) => b.x + b.width));
    const bottom = Math.max(...rects.map((b) => b.y + b.height));
    zoom.reveal({ x, y, width: right - x, height: bottom - y });
  }

  function destroy() {
    resizes?.disconnect();
    zoom.destroy();
  }

  return { el, update, destroy };
}
