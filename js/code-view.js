// The Python that builds the graph, beside the picture (issue 4: blocks and code agree). A block stack's code is
// editable: type y = exp(sin(x)) and press Enter or Apply; Python parses it safely and rebuilds the stack, or says
// what is wrong in the error line. A show(y) graph's code is read-only.
import "./code-view.css";
import { createCodeDraft } from "./code-edit.js";
import { h, listen, setText, uniqueId } from "./dom.js";
import { errorIn, translator } from "./i18n.js";

/** @typedef {import("./actions.js").Model} Model */

/**
 * @param {Model} model
 * @param {boolean} editable  a block stack (GradWidget) rather than a show(y) graph
 * @param {{dismissError?: (dismissed: boolean) => void}} [options]  Esc took back the text Python refused: the
 *   widget's error line, which says why, can go (true); a new text was applied: it may come back (false)
 */
export function createCodeView(model, editable, options = {}) {
  const id = uniqueId("gw-code");
  const t = translator(model);
  const code = () => String(model.get("code") ?? "");
  if (!editable) {
    const heading = h("h3", { id, class: "gw-heading" }, [t("code")]);
    const pre = h("pre", { class: "gw-code", role: "region", "aria-labelledby": id, tabindex: 0 });
    const el = h("div", { class: "gw-code-box" }, [heading, pre]);
    const update = () => {
      setText(heading, t("code"));
      setText(pre, code());
      el.hidden = code() === "";
    };
    update();
    return { el, update, events: ["change:code", "change:lang"], destroy() {} };
  }

  const hintId = uniqueId("gw-code-hint");
  const problemId = uniqueId("gw-code-problem");
  const box = h("textarea", {
    id,
    class: "gw-code",
    rows: 1,
    spellcheck: "false",
    autocomplete: "off",
    autocapitalize: "off",
    "aria-describedby": `${problemId} ${hintId}`,
  });
  // Why Python refused the text, right under it (the widget's alert line above says it too, out of sight when
  // the code box is scrolled into view); not a live region, so a screen reader hears it once.
  const problem = h("p", { id: problemId, class: "gw-code-problem" });
  const apply = h("button", { type: "button", class: "gw-code-apply" }, [t("codeApply")]);
  const label = h("label", { for: id, class: "gw-heading" }, [t("code")]);
  const hint = h("p", { id: hintId, class: "gw-code-hint" }, [t("codeHint")]);
  const el = h("div", { class: "gw-code-box" }, [
    label,
    h("div", { class: "gw-code-row" }, [box, apply]),
    problem,
    hint,
  ]);
  const draft = createCodeDraft();

  function update() {
    setText(label, t("code"));
    setText(apply, t("codeApply"));
    setText(hint, t("codeHint"));
    const text = draft.shown(code());
    if (box.value !== text) box.value = text;
    apply.disabled = !draft.dirty(code()) && !draft.invalid();
    box.setAttribute("aria-invalid", draft.invalid() ? "true" : "false");
    setText(problem, draft.invalid() ? errorIn(model) : "");
    problem.hidden = problem.textContent === "";
  }

  function submit() {
    const text = box.value.replace(/\s*\n\s*/g, " ").trim();
    options.dismissError?.(false);
    if (draft.submit(text, code())) {
      model.set("code", text);
      model.save_changes();
    }
    update();
  }

  const onCode = () => {
    draft.codeChanged(code());
    update();
  };
  const onError = () => {
    draft.errorChanged(errorIn(model));
    update();
  };
  const onBlocks = () => {
    draft.accepted();
    update();
  };

  const offs = [
    listen(box, "input", () => {
      draft.edit(box.value, code());
      update();
    }),
    listen(box, "keydown", (/** @type {KeyboardEvent} */ e) => {
      if (e.isComposing || e.keyCode === 229) return; // an IME (Korean, ...) is still composing: Enter is its
      if (e.key === "Enter") {
        e.preventDefault(); // one line of code: Enter applies rather than breaking the line
        e.stopPropagation();
        submit();
      } else if (e.key === "Escape" && draft.dirty(code())) {
        e.preventDefault();
        e.stopPropagation();
        // the error was about the text now taken back (Python keeps its last good stack, shown again)
        if (draft.invalid()) options.dismissError?.(true);
        draft.revert();
        update();
      }
    }),
    listen(apply, "click", submit),
  ];
  model.on("change:code", onCode);
  model.on("change:error", onError);
  model.on("change:blocks", onBlocks);
  update();
  return {
    el,
    update,
    events: /** @type {string[]} */ (["change:lang"]),
    destroy() {
      offs.forEach((off) => off());
      model.off("change:code", onCode);
      model.off("change:error", onError);
      model.off("change:blocks", onBlocks);
    },
  };
}
