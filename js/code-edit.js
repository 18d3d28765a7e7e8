// Pure, DOM-free: what the code box shows while the learner edits a block stack's code. Their text is never lost
// to a redraw: it stays while they type, and stays (marked invalid) when Python refuses it, so they can fix the
// typo; once Python accepts it, the box shows Python's own code for the new stack.
//
// Python refuses code in set_state: it sets `error`, then sends the old `code` back. Either event alone tells us.

export function createCodeDraft() {
  /** The learner's text while it differs from the model's code; null: show the model's. */
  /** @type {string | null} */
  let draft = null;
  /** What was applied, and the code before it, until Python's answer. */
  /** @type {{text: string, before: string} | null} */
  let submitted = null;
  let invalid = false;

  /** @param {{text: string, before: string}} s */
  function refused(s) {
    draft = s.text;
    invalid = true;
    submitted = null;
  }

  return {
    /** @param {string} code  the model's @returns {string} what the box shows */
    shown: (code) => draft ?? code,
    /** @returns {boolean} Python refused the text shown */
    invalid: () => invalid,
    /** @param {string} code @returns {boolean} the text differs from the model's code */
    dirty: (code) => draft !== null && draft !== code,
    /**
     * The learner typed.
     * @param {string} text
     * @param {string} code  the model's
     */
    edit(text, code) {
      draft = text === code ? null : text;
      invalid = false;
    },
    /** Escape: back to the model's code. */
    revert() {
      draft = null;
      invalid = false;
    },
    /**
     * Enter or Apply.
     * @param {string} text
     * @param {string} code  the model's, before
     * @returns {boolean} there is something to send
     */
    submit(text, code) {
      draft = null;
      if (text.trim() === code.trim()) return false;
      submitted = { text, before: code };
      return true;
    },
    /** @param {string} code  the model's code changed */
    codeChanged(code) {
      if (!submitted || code === submitted.text) return; // our own write (or its echo): no answer yet
      if (code === submitted.before) refused(submitted);
      else this.accepted();
    },
    /**
     * A new stack arrived (Python took the code, or the palette changed the blocks): the box shows the new stack's
     * code. Text refused earlier described a stack that is gone, and would leave the box disagreeing with it.
     */
    accepted() {
      draft = null;
      submitted = null;
      invalid = false;
    },
    /** @param {string} error  the model's error changed */
    errorChanged(error) {
      if (submitted && error) refused(submitted);
    },
  };
}
