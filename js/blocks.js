// Pure edits of the block stack. Each returns a new array (never mutates) so the page can hand it straight to
// model.set("blocks", ...); Python validates it and is the one that rebuilds the graph.
import { translate } from "./i18n.js";

/**
 * @param {string[]} blocks
 * @param {string} name
 * @returns {string[]}
 */
export function addBlock(blocks, name) {
  return [...blocks, name];
}

/**
 * @param {string[]} blocks
 * @param {number} index
 * @returns {string[]}
 */
export function removeBlock(blocks, index) {
  if (index < 0 || index >= blocks.length) return [...blocks];
  return blocks.filter((_, i) => i !== index);
}

/**
 * Move the block at `from` so that it ends up at index `to` (clamped to the list).
 * @param {string[]} blocks
 * @param {number} from
 * @param {number} to
 * @returns {string[]}
 */
export function moveBlock(blocks, from, to) {
  const next = [...blocks];
  if (from < 0 || from >= next.length) return next;
  const target = Math.min(next.length - 1, Math.max(0, to));
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item);
  return next;
}

/**
 * Where a dragged block lands when dropped on the row `over`, in its upper (`before` true) or lower half.
 * @param {number} from  index being dragged
 * @param {number} over  index of the row under the pointer
 * @param {boolean} before
 * @returns {number} the index to pass to moveBlock
 */
export function dropIndex(from, over, before) {
  const slot = before ? over : over + 1; // a gap between rows, 0..n
  return slot > from ? slot - 1 : slot;
}

/**
 * Accessible names of a stack row's buttons (1-based numbering, as people count).
 * @param {number} index
 * @param {string} name
 * @param {unknown} [lang]  "en" or "ko"
 */
export function blockNames(index, name, lang = "en") {
  const which = { n: index + 1, name };
  return {
    row: translate(lang, "blockRow", which),
    remove: translate(lang, "blockRemove", which),
    up: translate(lang, "blockUp", which),
    down: translate(lang, "blockDown", which),
  };
}
