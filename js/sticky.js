// Keep the widget's header (the sliders and the step buttons) in view while the learner scrolls through a widget
// taller than the window, to the graph's far end, the card or the palette. CSS position: sticky cannot do it here:
// an element sticks only inside its nearest scrolling ancestor, and JupyterLab's output areas clip (overflow auto
// and hidden) without scrolling. So on each scroll the header is moved down with a transform by as much as the
// widget's top has gone out of sight, never past the widget's end.

/**
 * How far to move the header down: by how much the widget's top is above the top of what can be seen, within the
 * widget (its end stays below the header), and not at all when the header would take too much of the window.
 * @param {{top: number, height: number}} widget  the widget's box (viewport coordinates)
 * @param {number} header  the header's height
 * @param {number} seenTop  the top of what can be seen: the window's, or a scrolling container's below it
 * @param {number} seenHeight  how much can be seen from there
 * @param {number} [room]  kept free under the header at the widget's end
 * @returns {number} CSS pixels, 0 when the header is where it belongs
 */
export function stickOffset(widget, header, seenTop, seenHeight, room = 0) {
  if (header > 0.4 * seenHeight) return 0; // many sliders: holding them would hide what they drive
  const out = seenTop - widget.top;
  return Math.max(0, Math.min(out, widget.height - header - room));
}

/**
 * @param {HTMLElement} root  the widget
 * @param {HTMLElement} header  its first child: moved, and marked gw-stuck while moved
 */
export function createSticky(root, header) {
  /** The ancestors that clip the widget (JupyterLab's notebook, its output areas), nearest first. */
  /** @type {Element[] | null} */
  let clippers = null;
  let frame = 0;
  let shown = 0;

  function findClippers() {
    /** @type {Element[]} */
    const found = [];
    /** @type {Node | null} */
    let node = root.parentNode;
    const doc = root.ownerDocument;
    while (node) {
      // the page's own overflow is the window's, which is measured as such
      if (node === doc.body || node === doc.documentElement) break;
      if (node instanceof Element) {
        const style = getComputedStyle(node);
        if (style.overflowY !== "visible" || style.overflowX !== "visible") found.push(node);
        node = node.parentNode;
      } else if (node instanceof ShadowRoot)
        node = node.host; // marimo draws widgets in a shadow root
      else node = null;
    }
    return found;
  }

  function place() {
    frame = 0;
    if (!root.isConnected) return;
    clippers ??= findClippers();
    const box = root.getBoundingClientRect();
    let seenTop = 0;
    let seenBottom = window.innerHeight;
    for (const el of clippers) {
      const r = el.getBoundingClientRect();
      seenTop = Math.max(seenTop, r.top);
      seenBottom = Math.min(seenBottom, r.bottom);
    }
    // the header's own height, without the shift: offsetHeight ignores transforms
    const offset = Math.round(
      stickOffset(box, header.offsetHeight, seenTop, seenBottom - seenTop, header.offsetHeight / 2),
    );
    if (offset === shown) return;
    shown = offset;
    header.style.transform = offset > 0 ? `translateY(${offset}px)` : "";
    header.classList.toggle("gw-stuck", offset > 0);
  }

  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(place);
  };
  // Scroll events do not bubble, but every one passes the document in the capture phase, whichever element
  // scrolled (JupyterLab's notebook panel, the page in Voila).
  const doc = root.ownerDocument;
  doc.addEventListener("scroll", schedule, { capture: true, passive: true });
  window.addEventListener("resize", schedule, { passive: true });

  return {
    destroy() {
      doc.removeEventListener("scroll", schedule, { capture: true });
      window.removeEventListener("resize", schedule);
      if (frame !== 0) cancelAnimationFrame(frame);
    },
  };
}
