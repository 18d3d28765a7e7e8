// Pure keyboard map for the widget root: which action a keydown asks for, or null to let it through.

/** @typedef {"step" | "back" | "reset" | "runAll" | "togglePlay"} Action */

/**
 * @typedef {object} KeyInfo
 * @property {string} key
 * @property {boolean} [altKey]
 * @property {boolean} [ctrlKey]
 * @property {boolean} [metaKey]
 * @property {string} [targetTag]   tagName of the focused element, upper case ("INPUT", "BUTTON", ...)
 * @property {string} [targetType]  its `type` (for INPUT)
 * @property {boolean} [targetEditable]  contentEditable
 */

/** Inputs that use the arrow keys (or letters) themselves. */
const OWN_KEYS_INPUTS = new Set(["", "text", "range", "number", "search", "email", "url", "tel", "password"]);

/**
 * @param {KeyInfo} e
 * @returns {Action | null}
 */
export function actionForKey(e) {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  const tag = (e.targetTag || "").toUpperCase();
  if (e.targetEditable || tag === "TEXTAREA" || tag === "SELECT") return null;
  if (tag === "INPUT" && OWN_KEYS_INPUTS.has((e.targetType || "").toLowerCase())) return null;
  switch (e.key) {
    case "ArrowRight":
    case "n":
    case "N":
      return "step";
    case "ArrowLeft":
    case "p":
    case "P":
      return "back";
    case "Home":
      return "reset";
    case "End":
      return "runAll";
    case "k":
    case "K":
      return "togglePlay";
    case " ":
    case "Spacebar":
      // Space presses a focused button, opens a section's summary, ticks a checkbox; don't steal those.
      if (tag === "BUTTON" || tag === "SUMMARY") return null;
      if (tag === "INPUT" && ["checkbox", "radio"].includes((e.targetType || "").toLowerCase())) return null;
      return "togglePlay";
    default:
      return null;
  }
}
