// Texts that must fit their node: a number like −1.235e+100 or a long rule is squeezed into its box. DOM-light: it
// needs only an element's text, class, parent and the two SVG text metrics, so node tests pass stand-ins.
import { setAttrs } from "./dom.js";

/**
 * Text widths without a layout. Reading a text's width makes the browser lay the page out first, which on each new
 * x cost more than the rest of the redraw. So every character's advance is remembered per text style, from texts
 * measured for real, and a text's width is taken as the sum of its characters' (kerning, the only difference, is
 * nil between tabular digits and a fraction of a unit elsewhere). A text clearly narrower than its room fits, one
 * clearly wider is squeezed; only one within the margin of its room, or with a character not seen yet, is measured.
 */
export function createWidthBounds() {
  /** @type {Map<string, Map<string, number>>} style -> character -> widest advance seen */
  const advances = new Map();
  const MARGIN = 2; // user units

  /** @param {SVGElement} el */
  const styleOf = (el) => `${el.getAttribute("class")} ${el.parentElement?.getAttribute("data-kind") ?? ""}`;

  return {
    /**
     * What is known of `el`'s text against `room`, from the characters learned so far.
     * @param {SVGElement} el
     * @param {number} room
     * @returns {"fits" | "overflows" | "unsure"}
     */
    judge(el, room) {
      const known = advances.get(styleOf(el));
      if (!known) return "unsure";
      let width = 0;
      for (const ch of el.textContent ?? "") {
        const advance = known.get(ch);
        if (advance === undefined) return "unsure";
        width += advance;
      }
      if (width <= room - MARGIN) return "fits";
      return width >= room + MARGIN ? "overflows" : "unsure";
    },
    /**
     * Learn each character's advance from a text just laid out (getSubStringLength reads the layout already made).
     * @param {SVGElement} el
     */
    learn(el) {
      const text = /** @type {SVGTextContentElement} */ (/** @type {unknown} */ (el));
      const style = styleOf(el);
      const known = advances.get(style) ?? new Map();
      advances.set(style, known);
      const chars = [...(el.textContent ?? "")];
      if (chars.every((ch) => known.has(ch))) return; // nothing new: spare the reads
      let i = 0;
      for (const ch of chars) {
        const advance = text.getSubStringLength(i, ch.length);
        known.set(ch, Math.max(advance, known.get(ch) ?? 0));
        i += ch.length;
      }
    },
  };
}

/**
 * Squeeze texts into their room (in user units) where they are wider: a number like −1.235e+100, a long rule.
 * Texts judged from their characters need no layout; the others are measured, all reads before all writes,
 * so the browser lays the drawing out once, not once per text. Does nothing while the drawing is not rendered (no
 * metrics yet): the caller fits again when it gets a size.
 * @param {SVGElement} svgRoot
 * @param {Iterable<[SVGElement, number]>} texts
 * @param {ReturnType<typeof createWidthBounds>} bounds
 * @returns {boolean} whether it fitted them: false while the drawing is not rendered
 */
export function fitTexts(svgRoot, texts, bounds) {
  /** @type {[SVGElement, number][]} */
  const unsure = [];
  for (const [el, room] of texts) {
    const judged = bounds.judge(el, room);
    if (judged === "overflows") squeeze(el, room);
    else if (el.hasAttribute("textLength")) {
      el.removeAttribute("textLength");
      el.removeAttribute("lengthAdjust");
    }
    if (judged === "unsure") unsure.push([el, room]);
  }
  if (unsure.length === 0) return true;
  if (!svgRoot.isConnected || svgRoot.getClientRects().length === 0) return false;
  const widths = unsure.map(([el]) => {
    bounds.learn(el);
    return /** @type {SVGTextContentElement} */ (/** @type {unknown} */ (el)).getComputedTextLength();
  });
  unsure.forEach(([el, room], i) => {
    if (widths[i] > room) squeeze(el, room);
  });
  return true;
}

/**
 * @param {SVGElement} el
 * @param {number} room
 */
function squeeze(el, room) {
  setAttrs(el, { textLength: room.toFixed(1), lengthAdjust: "spacingAndGlyphs" });
}
