// The derivative card: what the current backward step computed, as the Function's local rule and the chain rule
// with today's numbers (gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297), then upstream × local = downstream.
// cardContent is pure (tested in node); createCard only lays that out. The numbers are Python's, never recomputed.
import "./card.css";
import { h } from "./dom.js";
import { translate } from "./i18n.js";
import { TIMES, formatCardNumber, mathElement, mi, mn, mo, mrow, nameMath, ruleMath, ruleText } from "./mathml.js";
import { currentStep, nodesById, stepCount } from "./state.js";
import { arrayMath, arrayRuleMath, fillArrayRule, namedInputs, pythonShape, shapeList } from "./tensor.js";

/** @typedef {import("./state.js").Graph} Graph */
/** @typedef {import("./mathml.js").MathNode} MathNode */
/** @typedef {import("./mathml.js").RuleTree} RuleTree */

/**
 * @typedef {object} CardInput  what one input of the Function received
 * @property {string} input   its label (x, a, ...)
 * @property {string} gxName  gx, or gx0 / gx1 for a two-input Function
 * @property {string} gy      formatted
 * @property {string} gx      formatted
 * @property {string | null} local  the local derivative's value, formatted (null without a rule)
 * @property {RuleTree | null} rule
 * @property {Record<string, unknown>} names  what the rule's names stand for today
 * @property {string[]} lines  the card as text, as Python's w.card writes it
 * @property {ArrayCard | null} [array]  a block on arrays: its array rule (gx0 = gy·x1ᵀ) and what fills it
 * @property {number[] | null} [sumTo]  an elementwise input that was broadcast: the shape its grad is summed to
 *
 * @typedef {object} ArrayCard  what fills a block's array rule
 * @property {string} template
 * @property {number} index
 * @property {string[]} labels
 * @property {number[][]} shapes
 * @property {unknown[]} values
 * @property {unknown} gy
 * @property {unknown} gx
 *
 * @typedef {{kind: "none", text: string}
 *   | {kind: "step", title: string, order: string | null, name: string, error: string | null,
 *      inputs: CardInput[]}} CardContent
 */

/**
 * A value's shape, read from its nested lists' lengths ([] for a number).
 * @param {unknown} value
 * @returns {number[]}
 */
function shapeOfValue(value) {
  /** @type {number[]} */
  const shape = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

/**
 * The card of step k; with `next` (predict first), the card of the step the learner is asked about, k + 1: its
 * rule and what goes into it, its results as "?". Those numbers are not in the page's text at all, not merely
 * hidden, so neither the card nor a screen reader gives the answer away.
 * @param {Graph} graph
 * @param {number} k  the step shown (0 = none yet)
 * @param {unknown} lang
 * @param {boolean} [next]
 * @returns {CardContent}
 */
export function cardContent(graph, k, lang, next = false) {
  if (graph.steps.length === 0) return { kind: "none", text: translate(lang, "cardEmpty") }; // as Python's w.card
  const shown = next ? k + 1 : k;
  const step = next ? (k < stepCount(graph) ? graph.steps[k] : null) : currentStep(graph, k);
  if (!step) return { kind: "none", text: translate(lang, "cardNone") };
  const byId = nodesById(graph);
  const fn = byId.get(step.function);
  const name = fn ? String(fn.label) : step.function;
  const title = translate(lang, next ? "cardNext" : "cardTitle", { k: shown, n: stepCount(graph), name });
  // at second order, which backward recorded this Function (as Python's w.card says first)
  const by = fn?.recorded_by;
  const second = graph.order === 2;
  const notes = [
    second ? translate(lang, "cardSecondOrder") : "",
    by
      ? translate(lang, "cardOrderRecorded", { name, by })
      : second
        ? translate(lang, "cardOrderForward", { name })
        : "",
  ].filter(Boolean);
  const order = notes.length ? notes.join(" ") : null;
  if (step.error) return { kind: "step", title, order, name, error: String(step.error), inputs: [] };
  const card = /** @type {any} */ (step).card || null;
  const labels =
    card && Array.isArray(card.inputs) ? card.inputs : step.inputs.map((id) => byId.get(id)?.label ?? id);
  const gxs = card && Array.isArray(card.gxs) ? card.gxs : step.gxs || [];
  const gyRaw = card ? card.gy : (step.gys || [])[0];
  const gy = gyRaw === null || gyRaw === undefined ? "?" : formatCardNumber(gyRaw);
  const rules = card && Array.isArray(card.rules) ? card.rules : null;
  const names = (card && card.names) || {};
  const words = {
    upstream: translate(lang, "upstream"),
    local: translate(lang, "local"),
    downstream: translate(lang, "downstream"),
  };
  const arrayRules = card && Array.isArray(card.array_rules) ? card.array_rules : null;
  const shapes = step.inputs.map((id) => shapeList(byId.get(id)?.shape));
  const values = step.inputs.map((_, i) => names[`x${i}`] ?? null);
  const inputs = labels.map((/** @type {string} */ input, /** @type {number} */ i) => {
    const gxName = labels.length === 1 ? "gx" : `gx${i}`;
    const gx = next ? "?" : formatCardNumber(gxs[i]);
    const target = `\u2192 ${input}.grad`;
    const rule = rules ? rules[i] : null;
    const local = rule && card.locals ? (next ? "?" : formatCardNumber(card.locals[i])) : null;
    const sumTo = card && Array.isArray(card.sum_to) && Array.isArray(card.sum_to[i]) ? card.sum_to[i] : null;
    /** @type {string[]} */
    let lines;
    if (arrayRules && typeof arrayRules[i] === "string") {
      const template = arrayRules[i];
      const symbolic = fillArrayRule(template, i, labels, shapes);
      const filled = fillArrayRule(template, i, labels, shapes, values, gyRaw);
      const shown = namedInputs(template).map((k) => `${labels[k]} ${pythonShape(shapes[k])}`);
      const gyShape = pythonShape(shapeOfValue(gyRaw));
      const gxShape = pythonShape(shapes[i]);
      lines = [
        `${name}: ${gxName} = ${symbolic} = ${filled} = ${gx} ${target}`,
        `${translate(lang, "shapes")}: ${[`gy ${gyShape}`, ...shown].join(", ")} \u2192 ${gxName} ${gxShape}`,
      ];
      const array = { template, index: i, labels, shapes, values, gy: gyRaw, gx: next ? null : gxs[i] };
      return { input: String(input), gxName, gy, gx, local: null, rule: null, names, lines, array, sumTo: null };
    }
    if (!rule) {
      lines = [translate(lang, "noRule", { name }), `gy = ${gy}, ${gxName} = ${gx} ${target}`];
    } else {
      let symbolic = `${ruleText(rule, null, TIMES)}\u00b7gy`;
      let filled = `${ruleText(rule, names, TIMES)} \u00d7 ${gy}`;
      let downstream = `${gy} \u00d7 ${local}`;
      if (sumTo) {
        // broadcast in the forward: the grad is summed back to the input's shape (step 40)
        symbolic = `sum_to(${symbolic}, ${pythonShape(sumTo)})`;
        filled = `sum_to(${filled}, ${pythonShape(sumTo)})`;
        downstream += `, sum_to ${pythonShape(sumTo)}`;
      }
      lines = [
        `${name}: ${gxName} = ${symbolic} = ${filled} = ${gx} ${target}`,
        `${words.upstream} \u00d7 ${words.local} = ${words.downstream}: ${downstream} = ${gx}`,
      ];
    }
    return { input: String(input), gxName, gy, gx, local, rule, names, lines, array: null, sumTo };
  });
  return { kind: "step", title, order, name, error: null, inputs };
}

/**
 * The chain rule for one input as MathML data, a derivation with its equals signs aligned:
 *   gx = rule·gy
 *      = rule with today's numbers × gy
 *      = gx
 * (gy = …, gx = … without a rule). The result carries class gw-secret, which presenter mode hides until revealed.
 * @param {CardInput} input
 * @returns {MathNode}  an mtable
 */
export function cardMath(input) {
  const secret = (/** @type {MathNode} */ node) => mrow([node], { class: "gw-secret" });
  // gy is already formatted; a negative one is bracketed after the ×.
  const gy = input.gy.startsWith("\u2212") ? mrow([mo("("), mn(input.gy), mo(")")]) : mn(input.gy);
  const row = (/** @type {MathNode | null} */ left, /** @type {MathNode[]} */ right) => ({
    tag: "mtr",
    children: [
      { tag: "mtd", children: left ? [left] : [] },
      { tag: "mtd", children: [mo("=")] },
      { tag: "mtd", children: [mrow(right)] },
    ],
  });
  if (input.array) {
    const { template, index, labels, shapes, values, gy: gyValue, gx } = input.array;
    return {
      tag: "mtable",
      attrs: { class: "gw-derivation" },
      children: [
        row(nameMath(input.gxName), [arrayRuleMath(template, index, labels, shapes)]),
        row(null, [arrayRuleMath(template, index, labels, shapes, values, gyValue)]),
        row(null, [secret(gx === null || gx === undefined ? mn("?") : arrayMath(gx))]),
      ],
    };
  }
  const summed = (/** @type {MathNode[]} */ inner) =>
    input.sumTo ? [mi("sum_to"), mo("("), ...inner, mo(","), mn(pythonShape(input.sumTo)), mo(")")] : inner;
  const rows = input.rule
    ? [
        row(nameMath(input.gxName), summed([ruleMath(input.rule, null, TIMES), mo("\u00b7"), mi("gy")])),
        row(null, summed([ruleMath(input.rule, input.names, TIMES), mo("\u00d7"), gy])),
        row(null, [secret(mn(input.gx))]),
      ]
    : [row(mi("gy"), [mn(input.gy)]), row(nameMath(input.gxName), [secret(mn(input.gx))])];
  return { tag: "mtable", children: rows, attrs: { class: "gw-derivation" } };
}

/**
 * An operator and the chip after it, which wrap to a new line together: a line never ends in × or =.
 * @param {string} op
 * @param {HTMLElement} chipEl
 */
function term(op, chipEl) {
  return h("span", { class: "gw-chain-term" }, [h("span", { class: "gw-chain-op" }, [op]), chipEl]);
}

/**
 * One box of "upstream × local = downstream": a small label over a number.
 * @param {string} label
 * @param {Node | string} caption  a word, or a small formula
 * @param {string} value
 * @param {string} cls
 * @param {boolean} secret  presenter mode hides the number until revealed
 */
function chip(label, caption, value, cls, secret) {
  return h("span", { class: `gw-chip ${cls}` }, [
    h("span", { class: "gw-chip-label" }, [label, " ", caption]),
    h("span", { class: secret ? "gw-chip-value gw-secret" : "gw-chip-value" }, [value]),
  ]);
}

export function createCard() {
  const el = h("div", { class: "gw-card" });

  /**
   * @param {Graph} graph
   * @param {number} k
   * @param {unknown} lang
   * @param {boolean} [next]  predict first: the card of the step asked about, without its results
   */
  function update(graph, k, lang, next = false) {
    const content = cardContent(graph, k, lang, next);
    el.setAttribute("data-step", String(next ? k + 1 : k));
    el.toggleAttribute("data-preview", next);
    if (content.kind === "none") {
      el.replaceChildren(h("p", { class: "gw-card-none" }, [content.text]));
      return;
    }
    /** @type {Node[]} */
    const parts = [h("p", { class: "gw-card-title" }, [content.title])];
    if (content.order) parts.push(h("p", { class: "gw-card-order" }, [content.order]));
    if (content.error) {
      parts.push(
        h("p", { class: "gw-card-error" }, [
          translate(lang, "cardFailed", { name: content.name, error: content.error }),
        ]),
      );
    }
    for (const input of content.inputs) {
      const formula = h("div", { class: "gw-card-formula", "aria-hidden": "true" }, [
        mathElement([cardMath(input)], { display: "block", class: "gw-math" }),
        h("span", { class: "gw-card-target" }, [`\u2192 ${input.input}.grad`]),
      ]);
      /** @type {Node[]} */
      const block = [formula, h("p", { class: "gw-sr-only" }, [input.lines[input.rule || input.array ? 0 : 1]])];
      if (input.array) {
        // the shapes line stays visible: a learner checks gy·Wᵀ by its shapes before its numbers
        block.push(h("p", { class: "gw-card-shapes" }, [input.lines[1]]));
      } else if (!input.rule) {
        block.unshift(h("p", { class: "gw-card-norule" }, [translate(lang, "noRule", { name: content.name })]));
      } else {
        const local = mathElement([ruleMath(input.rule)], { class: "gw-math gw-math-inline" });
        block.push(
          h("div", { class: "gw-chain", "aria-hidden": "true" }, [
            chip(translate(lang, "upstream"), "gy", input.gy, "gw-chip-up", false),
            term("\u00d7", chip(translate(lang, "local"), local, input.local ?? "?", "gw-chip-local", true)),
            term("=", chip(translate(lang, "downstream"), input.gxName, input.gx, "gw-chip-down", true)),
          ]),
          h("p", { class: "gw-sr-only" }, [input.lines[1]]),
        );
      }
      parts.push(h("div", { class: "gw-card-input", "data-input": input.input }, block));
    }
    el.replaceChildren(...parts);
  }

  return { el, update };
}
