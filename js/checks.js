// The gradient check: per Function, backprop's gx beside numerical_diff's (Python computes both, with the gy the
// node really received, at the chosen eps). flaggedFunctions says which disagree: the graph view puts a ⚠ on those
// nodes, and on no other.
import "./checks.css";
import { h, listen, setText, uniqueId } from "./dom.js";
import { translate } from "./i18n.js";
import { formatNumber, formatValue, nodesById } from "./state.js";

/** @typedef {import("./state.js").Graph} Graph */

/** The eps values offered: the decades of the error curve, 1e-1 ... 1e-12 (Python accepts 1e-12 ... 0.1). */
export const EPS_CHOICES = Array.from({ length: 12 }, (_, i) => Number(`1e-${i + 1}`));

/**
 * @typedef {object} CheckRow
 * @property {string} function  the Function node's id
 * @property {string} name      its label (Square)
 * @property {string} input     the input's label, or "" when the check itself failed
 * @property {string} backprop
 * @property {string} numerical
 * @property {string} error     relative error, 2 digits
 * @property {boolean} flagged
 * @property {string | null} failure  why the check could not run
 */

/**
 * One row per input of every checked Function, in backward order (the order the steps run).
 * @param {Graph} graph
 * @returns {CheckRow[]}
 */
export function checkRows(graph) {
  const byId = nodesById(graph);
  /** @type {CheckRow[]} */
  const rows = [];
  for (const step of graph.steps) {
    const check = /** @type {any} */ (step).check;
    if (!check) continue;
    const name = String(byId.get(step.function)?.label ?? step.function);
    const base = { function: step.function, name, backprop: "", numerical: "", error: "", flagged: false };
    if (check.error) {
      rows.push({ ...base, input: "", failure: String(check.error) });
      continue;
    }
    (check.inputs || []).forEach((/** @type {any} */ r, /** @type {number} */ i) => {
      const id = (step.inputs || [])[i];
      rows.push({
        ...base,
        input: String(/** @type {any} */ (step).card?.inputs?.[i] ?? byId.get(id)?.label ?? id ?? ""),
        backprop: formatValue(r.backprop, 10),
        numerical: formatValue(r.numerical, 10),
        error: formatNumber(r.error, 2),
        flagged: Boolean(r.flagged),
        failure: null,
      });
    });
  }
  return rows;
}

/**
 * How many Functions were checked, and how many disagree: the summary, without the table's rows (a chain of a
 * thousand blocks would format every number for a table that is closed).
 * @param {Graph} graph
 * @returns {{checked: number, bad: number}}
 */
export function checkCounts(graph) {
  const checked = new Set();
  const bad = new Set();
  for (const step of graph.steps) {
    const check = /** @type {any} */ (step).check;
    if (!check) continue;
    checked.add(step.function);
    if (check.flagged) bad.add(step.function);
  }
  return { checked: checked.size, bad: bad.size };
}

/**
 * The Functions whose backward disagrees with numerical_diff: id -> label.
 * @param {Graph} graph
 * @returns {Map<string, string>}
 */
export function flaggedFunctions(graph) {
  const byId = nodesById(graph);
  /** @type {Map<string, string>} */
  const flagged = new Map();
  for (const step of graph.steps) {
    const check = /** @type {any} */ (step).check;
    if (check && check.flagged)
      flagged.set(step.function, String(byId.get(step.function)?.label ?? step.function));
  }
  return flagged;
}

/**
 * The gradient check panel: a one-line summary, the eps picker and the table.
 * @param {(eps: number) => void} setEps
 */
export function createChecks(setEps) {
  const epsId = uniqueId("gw-eps");
  const intro = h("p", { class: "gw-check-intro" });
  const summary = h("p", { class: "gw-check-summary" });
  const epsLabel = h("label", { for: epsId, class: "gw-eps-label" }, ["eps"]);
  const select = h("select", { id: epsId, class: "gw-eps", "aria-label": "eps" });
  const table = h("table", { class: "gw-check-table" });
  const el = h("div", { class: "gw-checks" }, [
    intro,
    h("div", { class: "gw-check-bar" }, [summary, h("span", { class: "gw-eps-field" }, [epsLabel, select])]),
    h("div", { class: "gw-table-scroll" }, [table]),
  ]);
  const off = listen(select, "change", () => setEps(Number(select.value)));
  let key = "";

  /**
   * @param {Graph} graph
   * @param {unknown} lang
   * @param {unknown} eps
   * @param {boolean} open  the table itself is built only while its section is open (a 1,000-block chain)
   * @param {unknown} tolerance  the relative error above which Python flags a node
   */
  function update(graph, lang, eps, open, tolerance) {
    const t = (/** @type {import("./i18n.js").StringKey} */ k, /** @type {any} */ p = {}) => translate(lang, k, p);
    setText(intro, t("checkIntro", { tol: formatNumber(Number(tolerance ?? 1e-4)) }));
    const e = Number(eps);
    const choices =
      EPS_CHOICES.includes(e) || !Number.isFinite(e) ? EPS_CHOICES : [...EPS_CHOICES, e].sort((a, b) => b - a);
    const optionsKey = choices.join(",");
    if (select.getAttribute("data-options") !== optionsKey) {
      select.setAttribute("data-options", optionsKey);
      select.replaceChildren(...choices.map((c) => h("option", { value: String(c) }, [formatNumber(c, 6)])));
    }
    if (Number.isFinite(e) && select.value !== String(e)) select.value = String(e);

    const { checked, bad } = checkCounts(graph);
    setText(
      summary,
      checked === 0
        ? t("checkNone")
        : bad
          ? t("checkSomeBad", { bad, n: checked })
          : t("checkAllGood", { n: checked }),
    );
    summary.classList.toggle("bad", bad > 0);
    if (!open) return;
    const rows = checkRows(graph);
    const nextKey = JSON.stringify([lang, rows]);
    if (nextKey === key) return;
    key = nextKey;
    const head = h(
      "tr",
      {},
      [t("colFunction"), t("colInput"), t("colBackprop"), t("colNumerical"), t("colError"), t("colStatus")].map(
        (text) => h("th", { scope: "col" }, [text]),
      ),
    );
    const body = rows.map((r) =>
      h(
        "tr",
        {
          class: r.flagged ? "flagged" : "",
          "data-function": r.function,
          "data-flagged": r.flagged ? "true" : "false",
        },
        r.failure
          ? [
              h("th", { scope: "row" }, [r.name]),
              h("td", { colspan: 5 }, [t("checkFailed", { error: r.failure })]),
            ]
          : [
              h("th", { scope: "row" }, [r.name]),
              h("td", {}, [r.input]),
              h("td", { class: "num" }, [r.backprop]),
              h("td", { class: "num" }, [r.numerical]),
              h("td", { class: "num" }, [r.error]),
              h("td", { class: r.flagged ? "status bad" : "status" }, [
                r.flagged ? t("disagree") : `\u2713 ${t("agree")}`,
              ]),
            ],
      ),
    );
    table.replaceChildren(h("thead", {}, [head]), h("tbody", {}, body));
  }

  return { el, update, destroy: off };
}
