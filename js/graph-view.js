// The graph as an SVG picture. Laid out once per graph shape and viewport width (layout is the slow part); a new
// step or new values only touch classes, attributes and text. A big graph is drawn only where the view is (and a
// viewport around it), more as the view pans: a first draw of a thousand nodes then costs what fifty cost.
import "./graph-view.css";
import "./contributions.css";
import { flaggedFunctions } from "./checks.js";
import { CONTRIBUTION, contributionRows, multiUses, rowText, sumText } from "./contributions.js";
import { cancelIdle, createWriter, h, svg, uniqueId, whenIdle } from "./dom.js";
import { translate } from "./i18n.js";
import { edgePath, layoutGraph, ruleLines, ruleTitle, SIZES, shorten, shortenLine, wrapText } from "./layout.js";
import {
  currentStep,
  failureKey,
  failures,
  formatValue,
  gradsAtStep,
  sameStructure,
  wireNumber,
} from "./state.js";
import { columnOffsets, firstValues, matrixCells, shapeList, shapeText, tensorBox, tensorKind } from "./tensor.js";
import { createWidthBounds, fitTexts } from "./text-fit.js";
import { visibleRect, ZOOM } from "./viewport.js";
import { createZoom } from "./zoom.js";

/** @typedef {import("./state.js").Graph} Graph */
/** @typedef {import("./state.js").GraphNode} GraphNode */
/** @typedef {import("./layout.js").Segment} Segment */
/** @typedef {import("./viewport.js").Rect} Rect */

/**
 * @typedef {object} VariableParts
 * @property {"variable"} kind
 * @property {SVGElement} g
 * @property {SVGElement} value
 * @property {SVGElement} grad
 * @property {SVGElement[]} rows  a variable used more than once: one per grad it receives
 * @property {string} label
 * @property {TensorParts | null} tensor  an array: its rows of values and grads (small) or its summary (large)
 *
 * @typedef {object} TensorParts
 * @property {"small" | "large"} kind
 * @property {SVGElement[]} values  one text per row of a small array; the first values of a large one
 * @property {SVGElement[]} grads
 * @property {SVGElement | null} more  the "all N" button of a large array
 *
 * @typedef {object} FunctionParts
 * @property {"function"} kind
 * @property {SVGElement} g
 * @property {SVGElement | null} error
 * @property {SVGElement | null} flag  the ⚠ badge, made when the gradient check first flags the node
 * @property {string} label
 * @property {number} room  width its rule and error lines may take
 */

/**
 * Graphs with up to this many nodes are drawn whole: the first view's nodes in the first frame, the rest while the
 * page is idle. Larger ones are drawn where the view is and in a margin around it.
 */
export const DRAW_ALL_MAX_NODES = 300;
/** How far around the view a big graph is drawn, in viewports on each side: a pan seldom reaches undrawn parts.
 * Drawn once the main thread is idle: the frame that shows the view draws only what it shows. */
const DRAW_AHEAD = 0.25;
/**
 * Nodes of a graph drawn whole that are drawn in one idle time: the browser renders them in the next frame, which
 * stays short (about 20 ms for these many on a slow laptop) should the learner act then.
 */
const IDLE_NODES = 40;

/** Width to lay out for while the widget is not in the page (ResizeObserver missing): the zoom's own fallback. */
const FALLBACK_WIDTH = 800;
/** How far a rule's raised and lowered pieces move from the baseline, in user units. */
const SHIFT = { sup: -6, sub: 4 };

/**
 * The limits a drawing is laid out and first shown within: a notebook's, or presenter mode's, which lets a small
 * graph grow to the widget's width and a viewport take half the screen.
 * @param {boolean} presenter
 * @returns {import("./viewport.js").Limits}
 */
export function viewLimits(presenter) {
  if (!presenter) return ZOOM;
  const screen = typeof window === "object" ? window.innerHeight : 0;
  return {
    natural: 2.4,
    readable: 0.6, // a projector's screen is large: names stay readable smaller than in a notebook
    comfortable: 1,
    // what is left of a projector's screen beside the header, the card and the plot
    maxHeight: Math.round(Math.min(560, Math.max(200, 0.32 * screen))),
  };
}

/**
 * @param {Rect} a
 * @param {Rect} b
 */
function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * @param {{x: number, y: number}[]} points
 * @returns {Rect} the smallest rectangle holding them (a line along an axis gets a unit of thickness)
 */
function extent(points) {
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x);
    bottom = Math.max(bottom, p.y);
  }
  return { x: left, y: top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
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

/**
 * One line of a rule as SVG text: raised and lowered pieces as smaller tspans moved off the baseline and back.
 * @param {Segment[]} line
 * @param {number} x
 * @param {number} y
 */
function ruleText(line, x, y) {
  let offset = 0;
  const pieces = line.map((s) => {
    const target = s.shift ? SHIFT[s.shift] : 0;
    const dy = target - offset;
    offset = target;
    return s.shift || dy ? svg("tspan", { class: s.shift ?? null, dy: dy || null }, [s.text]) : s.text;
  });
  return svg("text", { class: "rule", x, y }, pieces);
}

/** What one drawing learned of text widths serves every other on the page: the fonts are the page's. */
const bounds = createWidthBounds();

/**
 * @param {{onDrawn?: () => void, onExpand?: (id: string) => void}} [options]  onDrawn: called after nodes were
 *   drawn or redrawn (presenter mode marks the nodes it revealed); onExpand: the learner asked to see every value of
 *   a large array's node (its "all N" button)
 */
export function createGraphView(options = {}) {
  const markerId = uniqueId("gw-arrow");
  const el = h("div", { class: "gw-graph" });
  const root = svg("svg", {
    class: "gw-svg",
    role: "group",
    "aria-label": "Computational graph",
    xmlns: "http://www.w3.org/2000/svg",
  });
  el.append(root);
  const zoom = createZoom(el, root, { onView: drawInView, onResize: relayoutFor });
  const write = createWriter();
  // A large array's "all N" button, by click or by Enter / Space (kept from the widget's own keys)
  const expandFrom = (/** @type {Event} */ e) => {
    const button = /** @type {Element} */ (e.target).closest?.("[data-expand]");
    const id = button?.getAttribute("data-expand");
    if (!id) return false;
    e.preventDefault();
    e.stopPropagation();
    options.onExpand?.(id);
    return true;
  };
  root.addEventListener("click", expandFrom);
  root.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => {
    if (e.key === "Enter" || e.key === " ") expandFrom(e);
  });

  /** What update() was last asked to draw. */
  /** @type {{graph: Graph, step: number, lang: unknown, presenter: boolean} | null} */
  let latest = null;
  /** What the drawing was laid out for: a new layout is needed when the structure, a failure or presenter changes. */
  /** @type {{graph: Graph, failed: string, presenter: boolean} | null} */
  let laidOut = null;
  /** @type {import("./layout.js").Layout | null} */
  let layout = null;
  /** @type {Rect | null} */
  let content = null;
  /** The layers nodes and edges are drawn into. */
  let edgeLayer = svg("g");
  let nodeLayer = svg("g");
  /** Whether every node is drawn (when the page is idle, those out of the first view), or only near the view. */
  let drawAll = true;
  /** The last node drawn, by its place in the graph's nodes: the page keeps them in that order (see place). */
  let lastPlaced = -1;
  /** Variables used more than once, and the Functions they feed (from the graph's shape). */
  /** @type {Map<string, string[]>} */
  let uses = new Map();
  /** @type {string | null} */
  let lastCurrent = null;
  /** @type {Map<string, VariableParts | FunctionParts>} */
  let parts = new Map();
  /** The edges drawn at each node: a Function's are drawn active while it is the current step. */
  /** @type {Map<string, SVGElement[]>} */
  let edgesOf = new Map();
  /** @type {Set<number>} */
  let drawnEdges = new Set();
  /** The layout's edges at each node, by index: drawn with the first of their two nodes, or across a view. */
  /** @type {Map<string, number[]>} */
  let edgesAt = new Map();
  /** Each edge's extent, in the layout's order: an edge may cross a view that holds neither of its ends. */
  /** @type {Rect[]} */
  let edgeBoxes = [];
  /** The Functions whose forward or backward failed: they get room for the message. */
  /** @type {Map<string, string>} */
  let failed = new Map();
  /** Texts that must fit their node, and the width each may take. */
  /** @type {Map<SVGElement, number>} */
  let rooms = new Map();
  /** Whether every text was fitted while the drawing was rendered (with real text metrics). */
  let fitted = false;
  /** @type {ReturnType<typeof stepState> | null} */
  let state = null;
  /** Texts of nodes just drawn, to fit with the next paint. */
  /** @type {[SVGElement, number][]} */
  let unfitted = [];
  /** Whether the graph is a chain, which wraps: its layout then depends on the viewport's width. */
  let wraps = false;
  /** The first update came before the viewport had a width: the drawing waits for it. */
  let pendingBuild = false;
  /** The view around which to draw once the page is idle: its margin (a big graph) or the rest of the graph. */
  /** @type {{view: import("./viewport.js").View, size: import("./viewport.js").Size} | null} */
  let ahead = null;
  /** @type {number | null} */
  let aheadHandle = null;

  // anywidget may render before `el` is in the document, and a hidden tab has no text metrics: fit again once the
  // drawing gets a size. Only then: the observer also reports the size the first draw already fitted at, and
  // measuring a thousand texts again would double that draw's cost.
  const resizes =
    typeof ResizeObserver === "function"
      ? new ResizeObserver(() => {
          if (!fitted) fitted = fitTexts(root, rooms, bounds);
        })
      : null;

  resizes?.observe(root);

  /** Fit the texts of nodes just drawn and those whose text changed. */
  function fit(/** @type {[SVGElement, number][]} */ changed) {
    const texts = unfitted.length > 0 ? [...unfitted, ...changed] : changed;
    unfitted = [];
    if (!fitTexts(root, texts, bounds)) fitted = false;
  }

  /**
   * Set a text that must fit; remember it for fitting when it changed.
   * @param {SVGElement} text
   * @param {string} value
   * @param {[SVGElement, number][]} changed
   */
  function setFitted(text, value, changed) {
    if (write.text(text, value)) changed.push([text, /** @type {number} */ (rooms.get(text))]);
  }

  /**
   * Whether `graph` needs a new layout: true for the first graph, and when its structure, its failures (a failed
   * Function gets room for its message) or presenter mode changed since the last layout.
   * @param {Graph} graph
   * @param {boolean} presenter
   */
  function needsLayout(graph, presenter) {
    const failed = failureKey(graph);
    const before = laidOut;
    laidOut = { graph, failed, presenter };
    if (!before) return true;
    return before.presenter !== presenter || before.failed !== failed || !sameStructure(before.graph, graph);
  }

  /**
   * Lay the graph out for a viewport `width` wide and start a new drawing: the layers, and every node unless the
   * graph is big (then drawInView draws what the first view shows).
   * @param {Graph} graph
   * @param {number} width
   * @param {boolean} presenter
   */
  function build(graph, width, presenter) {
    const limits = viewLimits(presenter);
    zoom.setLimits(limits);
    uses = multiUses(graph);
    failed = failures(graph);
    layout = layoutGraph(graph, { width, ...limits }, { failed, uses });
    wraps = layout.wrapped;
    root.replaceChildren();
    lastCurrent = null;
    parts = new Map();
    edgesOf = new Map();
    drawnEdges = new Set();
    edgesAt = new Map();
    edgeBoxes = [];
    layout.edges.forEach((e, i) => {
      for (const end of [e.from, e.to]) {
        const list = edgesAt.get(end);
        if (list) list.push(i);
        else edgesAt.set(end, [i]);
      }
      edgeBoxes.push(extent(e.points));
    });
    rooms = new Map();
    unfitted = [];
    fitted = true;
    ahead = null; // what was left to draw around the last drawing's view: its margin, or the rest of it
    lastPlaced = -1;
    drawAll = layout.nodes.size <= DRAW_ALL_MAX_NODES;
    root.setAttribute("data-node-count", String(layout.nodes.size));
    // A Function's node keeps an empty band above its box (to stay centred on its rank); crop what no node uses.
    const functions = new Set(graph.nodes.filter((n) => n.kind === "function").map((n) => n.id));
    let top = layout.height;
    for (const [id, b] of layout.nodes) {
      top = Math.min(top, functions.has(id) ? b.y + (b.height - SIZES.functionBox) / 2 : b.y);
    }
    top = layout.nodes.size > 0 ? Math.max(0, top - SIZES.padding) : 0;
    content = { x: 0, y: top, width: layout.width, height: Math.max(1, layout.height - top) };

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
    edgeLayer = svg("g", { class: "edges", "aria-hidden": "true" });
    nodeLayer = svg("g", { class: "nodes" });
    root.append(
      svg("defs", {}, [arrow(markerId, "gw-marker"), arrow(`${markerId}-active`, "gw-marker active")]),
      edgeLayer,
      nodeLayer,
    );
  }

  /**
   * Put a node just drawn into the page in the graph's order, whichever were drawn first, so that a screen reader
   * meets them as the forward pass runs: x, Square, a, ...
   * @param {SVGElement} g
   * @param {number} index  the node's place in the graph's nodes
   */
  function place(g, index) {
    const nodes = latest?.graph.nodes ?? [];
    if (index > lastPlaced) {
      nodeLayer.append(g); // drawn in order: the common case, and all of a first frame
      lastPlaced = index;
      return;
    }
    for (let j = index + 1; j <= lastPlaced; j++) {
      const next = parts.get(nodes[j].id);
      if (next) return nodeLayer.insertBefore(g, next.g);
    }
  }

  /**
   * Draw one node (and the edges at it), in the drawing's own coordinates.
   * @param {GraphNode} node
   * @param {number} index  its place in the graph's nodes
   */
  function drawNode(node, index) {
    const box = layout?.nodes.get(node.id);
    if (!box || parts.has(node.id)) return false;
    const label = String(node.label ?? "");
    const common = { "data-node-id": node.id, "data-kind": node.kind, role: "group" };
    // A node's parts are placed in the drawing's own coordinates, not under a translate() on the node: Chromium
    // neither skips SVG out of view nor reuses its earlier painting under a transform, so one changed number
    // would repaint all of a big graph.
    const x = (/** @type {number} */ dx) => +(box.x + dx).toFixed(1);
    const y = (/** @type {number} */ dy) => +(box.y + dy).toFixed(1);
    const mid = box.width / 2;
    // A label that may be drawn larger in the overview without leaving its box.
    const grows = Array.from(shorten(label)).length * SIZES.charWidth * (24 / 18) + 12 <= box.width;
    const labelClass = grows ? "label grows" : "label";
    if (node.kind === "variable" && tensorKind(node.shape) !== "scalar") {
      drawTensor(node, index, box, label, labelClass, common);
    } else if (node.kind === "variable") {
      const labelText = svg("text", { class: labelClass, x: x(mid), y: y(25) }, [shorten(label)]);
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
      place(g, index);
      parts.set(node.id, { kind: "variable", g, value, grad, rows, label, tensor: null });
      room(labelText, box.width - 20);
      room(value, box.width - 20);
      room(grad, box.width - 22);
      for (const row of rows) room(row, box.width - 22);
    } else {
      const top = (box.height - SIZES.functionBox) / 2;
      const bottom = top + SIZES.functionBox;
      const width = box.width + 2 * SIZES.rankGap - 8;
      const lines = ruleLines(node.rule).map((line) => shortenLine(line, SIZES.maxRuleChars));
      const rules = lines.map((line, i) => ruleText(line, x(mid), y(bottom + 18 + i * SIZES.ruleLineHeight)));
      const ruleBand = Math.max(SIZES.band, lines.length * SIZES.ruleLineHeight + 6);
      const error = failed.has(node.id)
        ? svg("text", { class: "error-text", x: x(mid), y: y(bottom + ruleBand + 16) })
        : null;
      const labelText = svg("text", { class: labelClass, x: x(mid), y: y(top + 31) }, [shorten(label)]);
      const by = node.recorded_by;
      const named = by ? translate(latest?.lang, "recordedBy", { name: label, by: String(by) }) : label;
      const title = lines.length > 0 ? `${named}: ${ruleTitle(node.rule)}` : named;
      const kind = by ? "node function recorded" : "node function";
      const g = svg(
        "g",
        { ...common, class: kind, "data-block": node.block || "", "data-recorded-by": by || null },
        [
          svg("title", {}, [title]),
          svg("rect", { class: "box", x: x(0), y: y(top), width: box.width, height: SIZES.functionBox, rx: 4 }),
          labelText,
          ...rules,
          error,
        ],
      );
      place(g, index);
      parts.set(node.id, { kind: "function", g, error, flag: null, label, room: width });
      room(labelText, box.width - 12);
      for (const rule of rules) room(rule, width);
    }
    const edges = /** @type {import("./layout.js").Layout} */ (layout).edges;
    for (const i of edgesAt.get(node.id) ?? []) if (!drawnEdges.has(i)) drawEdge(edges[i], i);
    return true;
  }

  /**
   * Draw an array's node: its label and shape, then a small array's rows of values and (in the grad box) of grads,
   * or a large one's first values and grad with an "all N" button that opens every value (tensor-view.js).
   * @param {GraphNode} node
   * @param {number} index
   * @param {import("./layout.js").NodeBox} box
   * @param {string} label
   * @param {string} labelClass
   * @param {Record<string, string>} common
   */
  function drawTensor(node, index, box, label, labelClass, common) {
    const x = (/** @type {number} */ dx) => +(box.x + dx).toFixed(1);
    const y = (/** @type {number} */ dy) => +(box.y + dy).toFixed(1);
    const mid = box.width / 2;
    const t = tensorBox(node.shape, 0);
    const shape = shapeText(node.shape);
    const values = t.valueRows.map((at) => svg("text", { class: "value tensor-row", x: x(mid), y: y(at) }));
    const grads = t.gradRows.map((at) => svg("text", { class: "grad tensor-row", x: x(mid), y: y(at) }));
    const size = shapeList(node.shape).reduce((a, b) => a * b, 1);
    const t0 = (/** @type {import("./i18n.js").StringKey} */ k, /** @type {any} */ p) =>
      translate(latest?.lang, k, p);
    const more = t.button
      ? svg(
          "g",
          {
            class: "tensor-more",
            role: "button",
            tabindex: 0,
            "data-expand": node.id,
            "aria-label": t0("tensorExpand", { n: size, name: label, shape }),
          },
          [
            svg("rect", { x: x(12), y: y(t.button.y), width: box.width - 24, height: t.button.height, rx: 12 }),
            svg("text", { x: x(mid), y: y(t.button.y + 17), "aria-hidden": "true" }, [
              `${t0("tensorMore", { n: size })} \u2922`,
            ]),
          ],
        )
      : null;
    const rows = (uses.get(node.id) ?? []).map((_, i) =>
      svg("text", {
        class: "contribution",
        x: x(14),
        y: y(t.height + i * CONTRIBUTION.rowHeight + 13),
      }),
    );
    const g = svg("g", { ...common, class: `node variable tensor role-${node.role || "intermediate"}` }, [
      svg("title", {}, [`${label} (${shape})`]),
      svg("rect", { class: "box", x: x(0), y: y(0), width: box.width, height: box.height, rx: 16 }),
      svg("text", { class: labelClass, x: x(mid), y: y(25) }, [shorten(label)]),
      svg("text", { class: "shape", x: x(mid), y: y(43) }, [shape]),
      ...values,
      svg("rect", {
        class: "grad-box",
        x: x(8),
        y: y(t.gradTop),
        width: box.width - 16,
        height: t.gradBottom - t.gradTop,
        rx: 6,
      }),
      svg("text", { class: "grad-caption", x: x(mid), y: y(t.caption) }),
      ...grads,
      more,
      rows.length > 0 && svg("g", { class: "contributions" }, rows),
    ]);
    place(g, index);
    const caption = /** @type {SVGElement} */ (g.querySelector(".grad-caption"));
    parts.set(node.id, {
      kind: "variable",
      g,
      value: values[0],
      grad: caption,
      rows,
      label,
      tensor: { kind: t.kind, values, grads, more },
    });
    // a small array's rows are laid out cell by cell (paintTensor); a large one's first values are fitted
    const fitted = t.kind === "large" ? [...values, ...grads] : [];
    for (const text of [...fitted, caption, ...rows]) room(text, box.width - 20);
  }

  /**
   * A text that must fit `width` user units: squeezed when it is wider.
   * @param {SVGElement} text
   * @param {number} width
   */
  function room(text, width) {
    rooms.set(text, width);
    unfitted.push([text, width]);
  }

  /**
   * @param {import("./layout.js").EdgePath} e
   * @param {number} i
   */
  function drawEdge(e, i) {
    drawnEdges.add(i);
    const active = lastCurrent !== null && (e.from === lastCurrent || e.to === lastCurrent);
    const path = svg("path", {
      class: `edge${active ? " active" : ""}${e.hub ? " hub" : ""}`,
      d: edgePath(e.points),
      "data-from": e.from,
      "data-to": e.to,
      "marker-end": `url(#${markerId}${active ? "-active" : ""})`,
    });
    edgeLayer.append(path);
    for (const end of [e.from, e.to]) {
      const list = edgesOf.get(end);
      if (list) list.push(path);
      else edgesOf.set(end, [path]);
    }
  }

  /**
   * Everything a node's look depends on at this step, worked out once per update.
   * @param {Graph} graph
   * @param {number} step
   * @param {unknown} lang
   */
  function stepState(graph, step, lang) {
    const t = (/** @type {import("./i18n.js").StringKey} */ k, /** @type {any} */ p = {}) => translate(lang, k, p);
    const current = currentStep(graph, step);
    return {
      t,
      lang,
      step,
      grads: gradsAtStep(graph, step),
      current,
      fresh: new Set(current ? current.inputs : []),
      done: new Set(graph.steps.slice(0, Math.max(0, step - 1)).map((s) => s.function)),
      failed: failures(graph),
      flagged: flaggedFunctions(graph),
      received: contributionRows(graph, step, uses),
      gradWord: t("gradLabel"),
      pendingWord: t("gradPending"),
    };
  }

  /**
   * Bring one drawn node up to date.
   * @param {GraphNode} node
   * @param {ReturnType<typeof stepState>} s
   * @param {[SVGElement, number][]} changed
   */
  function paint(node, s, changed) {
    const p = parts.get(node.id);
    if (!p) return;
    if (p.kind === "variable") {
      const state = s.grads.get(node.id);
      const grad = state ? state.grad : null;
      const valueText = formatValue(node.value);
      const gradText = grad === null ? "" : formatValue(grad);
      if (p.tensor) paintTensor(node, p.tensor, p.grad, grad, s, changed);
      else {
        setFitted(p.value, valueText || "\u2014", changed);
        setFitted(p.grad, `${s.gradWord}: ${grad === null ? "\u2014" : gradText}`, changed);
      }
      const rows = s.received.get(node.id) ?? [];
      rows.forEach((row, i) => {
        if (!p.rows[i]) return;
        setFitted(p.rows[i], rowText(row, s.lang), changed);
        write.classes(p.rows[i], { arrived: row.arrived, latest: row.arrived && row.step === s.step });
      });
      const sum = sumText(rows, s.lang);
      write.attrs(p.g, {
        "data-value": valueText,
        "data-grad": gradText,
        "data-grad-value": wireNumber(grad),
        "data-contributions": state ? String(state.contributions.length) : "0",
        "data-contribution-values": state ? state.contributions.map((c) => formatValue(c.value)).join(",") : "",
        "aria-label": `${p.label}${p.tensor ? ` (${s.t("tensorShape", { shape: shapeText(node.shape) })})` : ""} = ${valueText}, ${s.gradWord} ${grad === null ? s.pendingWord : gradText}${sum ? ` (${sum})` : ""}`,
      });
      write.classes(p.g, {
        pending: grad === null,
        computed: grad !== null,
        fresh: s.fresh.has(node.id) && grad !== null,
      });
    } else {
      const isCurrent = s.current !== null && s.current.function === node.id;
      const failure = s.failed.get(node.id);
      const flagged = s.flagged.get(node.id);
      write.classes(p.g, {
        current: isCurrent,
        done: s.done.has(node.id),
        failed: failure !== undefined,
        flagged: flagged !== undefined,
      });
      write.attrs(p.g, {
        "aria-current": isCurrent ? "step" : null,
        "aria-label": `${p.label}${isCurrent ? s.t("currentStep") : ""}${failure ? s.t("backwardFailed", { error: failure }) : ""}`,
        "data-error": failure ?? null,
        "data-flagged": flagged !== undefined ? "true" : null,
      });
      if (p.error && p.error.getAttribute("data-shown") !== (failure ?? ""))
        showError(p.error, failure ?? "", p.room);
      paintFlag(node, p, flagged === undefined ? null : s.t("flagged", { name: flagged }));
    }
  }

  /**
   * An array's node: a small one row by row (value and grad), a large one its first values.
   * @param {GraphNode} node
   * @param {TensorParts} t
   * @param {SVGElement} caption
   * @param {import("./state.js").Value | null} grad
   * @param {ReturnType<typeof stepState>} s
   * @param {[SVGElement, number][]} changed
   */
  function paintTensor(node, t, caption, grad, s, changed) {
    if (t.kind === "small") {
      // a column per tspan, each centred on its own x: the numbers line up as a matrix's do
      const box = /** @type {import("./layout.js").NodeBox} */ (layout?.nodes.get(node.id));
      const xs = columnOffsets(node.shape).map((dx) => +(box.x + box.width / 2 + dx).toFixed(1));
      const cells = (/** @type {SVGElement} */ el, /** @type {string[]} */ row) => {
        const text = row.join("\t");
        if (el.getAttribute("data-cells") === text) return;
        el.setAttribute("data-cells", text);
        el.replaceChildren(...row.map((cell, c) => svg("tspan", { x: row.length > 1 ? xs[c] : null }, [cell])));
      };
      matrixCells(node.value, node.shape).forEach((row, i) => t.values[i] && cells(t.values[i], row));
      const rows = grad === null ? [] : matrixCells(grad, node.shape);
      t.grads.forEach((el, i) => cells(el, rows[i] ?? (i === 0 ? ["\u2014"] : [])));
      setFitted(caption, s.gradWord, changed);
    } else {
      setFitted(t.values[0], firstValues(node.value), changed);
      setFitted(t.grads[0], grad === null ? "\u2014" : firstValues(grad), changed);
      setFitted(caption, s.gradWord, changed);
      if (t.more) {
        const shape = shapeText(node.shape);
        const n = shapeList(node.shape).reduce((a, b) => a * b, 1);
        write.attrs(t.more, { "aria-label": s.t("tensorExpand", { n, name: String(node.label), shape }) });
        write.text(/** @type {Element} */ (t.more.lastChild), `${s.t("tensorMore", { n })} \u2922`);
      }
    }
  }

  /**
   * The ⚠ badge at the top-right corner of a Function whose backward disagrees with numerical_diff.
   * @param {GraphNode} node
   * @param {FunctionParts} p
   * @param {string | null} label  its accessible name; null: not flagged
   */
  function paintFlag(node, p, label) {
    if (label === null) {
      p.flag?.remove();
      p.flag = null;
      return;
    }
    if (!p.flag) {
      const box = /** @type {import("./layout.js").NodeBox} */ (layout?.nodes.get(node.id));
      p.flag = svg("g", { class: "gw-flag", role: "img" }, [
        svg("title"),
        svg("circle", { cx: box.shape.x + box.width - 2, cy: box.shape.y + 2, r: 13 }),
        svg("text", { x: box.shape.x + box.width - 2, y: box.shape.y + 7.5, "aria-hidden": "true" }, ["\u26a0"]),
      ]);
      p.g.append(p.flag);
    }
    write.attrs(p.flag, { "aria-label": label });
    write.text(/** @type {Element} */ (p.flag.firstChild), label);
  }

  /**
   * Paint every drawn node for `latest`, fit what changed, and keep the current step in view.
   * @param {ReturnType<typeof stepState>} [worked]  stepState for `latest`, when the caller has it
   */
  function paintAll(worked) {
    if (!latest || !layout) return;
    const { graph, step, lang } = latest;
    state = worked ?? stepState(graph, step, lang);
    /** @type {[SVGElement, number][]} */
    const changed = [];
    for (const node of graph.nodes) paint(node, state, changed);
    fit(changed);
    markCurrent();
  }

  /** Mark the current step's Function and edges, and keep it in view, when the step moved to another Function. */
  function markCurrent() {
    if (!state) return;
    const active = state.current ? state.current.function : null;
    if (active !== lastCurrent) {
      if (lastCurrent !== null) markEdges(lastCurrent, false);
      if (active !== null) markEdges(active, true);
      lastCurrent = active;
      if (state.current) revealStep(state.current);
    }
  }

  /**
   * Draw what the view shows that is not drawn yet, and bring it up to date; once the page is idle, the rest of a
   * graph drawn whole, or a big graph's margin around the view (so that a pan seldom meets undrawn parts).
   * @param {import("./viewport.js").View} view
   * @param {import("./viewport.js").Size} size
   */
  function drawInView(view, size) {
    if (!latest || !layout || !state || parts.size === layout.nodes.size) return;
    drawIn(visibleRect(view, size));
    ahead = { view, size };
    aheadHandle ??= whenIdle(drawAhead);
  }

  function drawAhead() {
    aheadHandle = null;
    if (!ahead || !layout) return;
    if (!drawAll) {
      drawIn(visibleRect(ahead.view, ahead.size, DRAW_AHEAD));
      ahead = null;
      return;
    }
    // some of the rest, and more in the next idle time (until none is left to draw)
    if (drawIn(null, IDLE_NODES) > 0 && parts.size < layout.nodes.size) aheadHandle = whenIdle(drawAhead);
    else ahead = null;
  }

  /**
   * Draw the nodes in `around` (every node, for null) that are not drawn yet, and bring them up to date.
   * @param {Rect | null} around
   * @param {number} [most]  draw no more nodes than this
   * @returns {number} how many it drew
   */
  function drawIn(around, most = Infinity) {
    if (!latest || !layout || !state) return 0;
    const { graph } = latest;
    /** @type {GraphNode[]} */
    const drawn = [];
    for (let i = 0; i < graph.nodes.length; i++) {
      const node = graph.nodes[i];
      const box = layout.nodes.get(node.id);
      if (!box || parts.has(node.id) || (around && !overlaps(box, around))) continue;
      if (drawNode(node, i)) drawn.push(node);
      if (drawn.length >= most) break;
    }
    // a wrapped chain's way on to its next row, or a long route, across the view while its ends are out of it
    if (around) {
      const edges = layout.edges;
      edgeBoxes.forEach((b, i) => {
        if (!drawnEdges.has(i) && overlaps(b, around)) drawEdge(edges[i], i);
      });
    }
    if (drawn.length === 0) return 0;
    /** @type {[SVGElement, number][]} */
    const changed = [];
    for (const node of drawn) paint(node, state, changed);
    fit(changed);
    options.onDrawn?.();
    return drawn.length;
  }

  /**
   * The viewport's width changed: a wrapped chain is laid out again when its rows would change.
   * @param {number} width
   * @returns {boolean} whether it drew the graph anew (the zoom then has a new first view already)
   */
  function relayoutFor(width) {
    if (!latest) return false;
    if (!pendingBuild) {
      if (!wraps || !layout) return false;
      const limits = viewLimits(latest.presenter);
      const next = layoutGraph(latest.graph, { width, ...limits }, { failed, uses });
      if (next.width === layout.width && next.height === layout.height) return false; // the same rows
    }
    pendingBuild = false;
    redraw(width);
    return true;
  }

  /**
   * Lay out and draw `latest` anew, for a viewport `width` wide, from its first view.
   * @param {number} width
   */
  function redraw(width) {
    if (!latest) return;
    build(latest.graph, width, latest.presenter);
    state = stepState(latest.graph, latest.step, latest.lang);
    zoom.setContent(/** @type {Rect} */ (content), layout?.cuts); // the first view: a big graph draws what it shows
    markCurrent(); // the nodes drawn for the first view are painted already
    options.onDrawn?.();
  }

  /**
   * Draw `graph` as it is after `step` backward steps. Re-lays out only when the graph's shape changed.
   * @param {Graph} graph
   * @param {number} step
   * @param {unknown} [lang]  "en" or "ko", for the words (numbers and names stay as they are)
   * @param {{presenter?: boolean}} [view]
   */
  function update(graph, step, lang = "en", view = {}) {
    const presenter = Boolean(view.presenter);
    latest = { graph, step, lang, presenter };
    root.setAttribute("aria-label", translate(lang, "graph"));
    zoom.setLang(lang);
    if (needsLayout(graph, presenter)) {
      const width = zoom.width();
      // Laid out for the viewport's real width, which the zoom's resize observer reports in the same frame, before
      // it is painted: reading it here would lay the whole page out an extra time.
      if (width === null && resizes) {
        pendingBuild = true;
        return;
      }
      redraw(width ?? FALLBACK_WIDTH);
      return;
    }
    if (pendingBuild) return;
    paintAll();
    options.onDrawn?.();
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
    const rects = ids.map((id) => layout?.nodes.get(id)).filter((b) => b !== undefined);
    if (rects.length === 0) return;
    zoom.reveal(extent(rects.flatMap((b) => [b, { x: b.x + b.width, y: b.y + b.height }])));
  }

  function destroy() {
    if (aheadHandle !== null) cancelIdle(aheadHandle);
    ahead = null;
    resizes?.disconnect();
    zoom.destroy();
  }

  /** The start of the graph's strip: others may put a word about the drawing there (presenter mode does). */
  return { el, update, strip: zoom.lead, destroy };
}
