// Texts that must fit their node: a number like −1.235e+100 or a long rule is squeezed into its box. DOM-light: it
// needs only an element's text, class, parent and the two SVG text metrics, so node tests pass stand-ins.
import { setAttrs } from "./dom.js";

/**
 * Upper bounds on text widths without a layout. Reading a text's width makes the browser lay the page out first,
 * which on each new x cost more than the rest of the redraw; but a number usually fits its box by far. So every
 * character's advance is remembered per text style, from texts measured for real, and a text whose characters
 * add up to clearly less than its room fits (kerning and ligatures only narrow a text; the margin covers the
 * rest). Only a text that may not fit, or has a character not seen yet, is measured.
 */
export function createWidthBounds() {
  /** @type {Map<string, Map<string, number>>} style -> character -> widest advance seen */
  const advances = new Map();
  const MARGIN = 2; // user units

  /** @param {SVGElement} el */
  const styleOf = (el) => `${el.getAttribute("class")} ${el.parentElement?.getAttribute("data-kind") ?? ""}`;

  return {
    /**
     * Whether `el`'s text surely fits `room`, from what was learned so far.
     * @param {SVGElement} el
     * @param {number} room
     */
    fits(el, room) {
      const known = advances.get(styleOf(el));
      if (!known) return false;
      let width = 0;
      for (const ch of el.textContent ?? "") {
        const advance = known.get(ch);
        if (advance === undefined) return false;
        width += advance;
      }
      return width <= room - MARGIN;
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
 * Texts that surely fit are only cleared of any old squeeze; the others are measured, all reads before all writes,
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
    if (el.hasAttribute("textLength")) {
      el.removeAttribute("textLength");
      el.removeAttribute("lengthAdjust");
    }
    if (!bounds.fits(el, room)) unsure.push([el, room]);
  }
  if (unsure.length === 0) return true;
  if (!svgRoot.isConnected || svgRoot.getClientRects().length === 0) return false;
  const widths = unsure.map(([el]) => {
    bounds.learn(el);
    return /** @type {SVGTextContentElement} */ (/** @type {unknown} */ (el)).getComputedTextLength();
  });
  unsure.forEach(([el, room], i) => {
    if (widths[i] > room) setAttrs(el, { textLength: room.toFixed(1), lengthAdjust: "spacingAndGlyphs" });
  });
  return true;
}
