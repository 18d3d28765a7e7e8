// The derivative card: what the current backward step computed, as the Function's local rule and the chain rule
// with today's numbers (gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297), then upstream × local = downstream.
// cardContent is pure (tested in node); createCard only lays that out. The numbers are Python's, never recomputed.
import "./card.css";
import { h } from "./dom.js";
import { translate } from "./i18n.js";
import { TIMES, formatCardNumber, mathElement, mi, mn, mo, mrow, nameMath, ruleMath, ruleText } from "./mathml.js";
import { currentStep, nodesById, stepCount } from "./state.js";

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
 *
 * @typedef {{kind: "none", text: string}
 *   | {kind: "step", title: string, name: string, error: string | null, inputs: CardInput[]}} CardContent
 */

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
  if (step.error) return { kind: "step", title, name, error: String(step.error), inputs: [] };
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
  const inputs = labels.map((/** @type {string} */ input, /** @type {number} */ i) => {
    const gxName = labels.length === 1 ? "gx" : `gx${i}`;
    const gx = next ? "?" : formatCardNumber(gxs[i]);
    const target = `\u2192 ${input}.grad`;
    const rule = rules ? rules[i] : null;
    const local = rule && card.locals ? (next ? "?" : formatCardNumber(card.locals[i])) : null;
    /** @type {string[]} */
    let lines;
    if (!rule) {
      lines = [translate(lang, "noRule", { name }), `gy = ${gy}, ${gxName} = ${gx} ${target}`];
    } else {
      const symbolic = ruleText(rule, null, TIMES);
      const filled = ruleText(rule, names, TIMES);
      lines = [
        `${name}: ${gxName} = ${symbolic}\u00b7gy = ${filled} \u00d7 ${gy} = ${gx} ${target}`,
        `${words.upstream} \u00d7 ${words.local} = ${words.downstream}: ${gy} \u00d7 ${local} = ${gx}`,
      ];
    }
    return { input: String(input), gxName, gy, gx, local, rule, names, lines };
  });
  return { kind: "step", title, name, error: null, inputs };
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
  const rows = input.rule
    ? [
        row(nameMath(input.gxName), [ruleMath(input.rule, null, TIMES), mo("\u00b7"), mi("gy")]),
        row(null, [ruleMath(input.rule, input.names, TIMES), mo("\u00d7"), gy]),
        row(null, [secret(mn(input.gx))]),
      ]
    : [row(mi("gy"), [mn(input.gy)]), row(nameMath(input.gxName), [secret(mn(input.gx))])];
  return { tag: "mtable", children: rows, attrs: { class: "gw-derivation" } };
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
      const block = [formula, h("p", { class: "gw-sr-only" }, [input.lines[input.rule ? 0 : 1]])];
      if (!input.rule) {
        block.unshift(h("p", { class: "gw-card-norule" }, [translate(lang, "noRule", { name: content.name })]));
      } else {
        const local = mathElement([ruleMath(input.rule)], { class: "gw-math gw-math-inline" });
        block.push(
          h("div", { class: "gw-chain", "aria-hidden": "true" }, [
            chip(translate(lang, "upstream"), "gy", input.gy, "gw-chip-up", false),
            h("span", { class: "gw-chain-op" }, ["\u00d7"]),
            chip(translate(lang, "local"), local, input.local ?? "?", "gw-chip-local", true),
            h("span", { class: "gw-chain-op" }, ["="]),
            chip(translate(lang, "downstream"), input.gxName, input.gx, "gw-chip-down", true),
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
