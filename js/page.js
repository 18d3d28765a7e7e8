// The exported page's own script (gradwidget/export.py inlines it): read the saved state, load the widget's bundle
// from the page itself, and render every widget with a page-side model, so the same render() runs with no kernel.
// It runs from the page's head, before the state and the bundle are parsed, so that a page cut short still says
// what is wrong instead of staying blank.
import { translate } from "./i18n.js";
import { createPageModel, decodeEntry, PageError, parsePage } from "./page-model.js";

const STATE_ID = "gradwidget-state";
const MODULE_ID = "gradwidget-module";
const MOUNTS = ".gradwidget-mount[data-model-id]";

/**
 * Say in the page why a widget (or all of them) cannot be shown.
 * @param {Element} where
 * @param {unknown} lang
 * @param {unknown} error
 */
function showProblem(where, lang, error) {
  const why = error instanceof PageError ? error.message : String(/** @type {any} */ (error)?.message ?? error);
  const p = document.createElement("p");
  p.className = "gradwidget-page-error";
  p.setAttribute("role", "alert");
  p.textContent = translate(lang, "pageBroken", { why });
  where.replaceChildren(p);
  if (!(error instanceof PageError)) console.error(error);
}

/** @returns {Promise<{render: (ctx: {model: any, el: HTMLElement}) => unknown}>} */
async function loadWidget() {
  const source = document.getElementById(MODULE_ID)?.textContent ?? "";
  if (!source.trim()) throw new PageError("the widget's code is missing from the page (the file is cut short?)");
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  try {
    const module = await import(/* @vite-ignore */ url);
    if (typeof module.default?.render !== "function") throw new PageError("the widget's code has no render()");
    return module.default;
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function start() {
  const root = document.documentElement;
  const lang = root.lang;
  const mounts = [...document.querySelectorAll(MOUNTS)];
  const everywhere = (/** @type {unknown} */ error) => {
    if (mounts.length === 0) {
      const banner = document.createElement("div");
      document.body.prepend(banner);
      showProblem(banner, lang, error);
    }
    for (const mount of mounts) showProblem(mount, lang, error);
    root.setAttribute("data-gradwidget", "failed");
  };
  let entries;
  let widget;
  try {
    entries = parsePage(document.getElementById(STATE_ID)?.textContent);
    widget = await loadWidget();
  } catch (error) {
    everywhere(error);
    return;
  }
  let shown = 0;
  for (const mount of mounts) {
    const id = mount.getAttribute("data-model-id") ?? "";
    let state;
    try {
      if (!entries.has(id)) throw new PageError(`no saved state for widget ${id}`);
      state = decodeEntry(entries.get(id));
      const el = document.createElement("div");
      el.className = "gradwidget-view";
      mount.replaceChildren(el);
      widget.render({ model: createPageModel(state), el });
      shown += 1;
    } catch (error) {
      showProblem(mount, state?.lang ?? lang, error);
    }
  }
  // What tests and the benchmark wait for: every widget drawn (or said why not), and when, since the page opened.
  root.setAttribute("data-gradwidget", shown === mounts.length ? "ready" : "failed");
  performance.mark("gradwidget-ready");
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => void start());
else void start();
