// Node's loader hooks for the unit tests: a module's stylesheet (import "./card.css") is the bundler's business,
// so under node it loads as an empty module and the module's pure functions can be tested.

/** @param {string} url @param {object} context @param {Function} nextLoad */
export async function load(url, context, nextLoad) {
  if (url.endsWith(".css")) return { format: "module", source: "", shortCircuit: true };
  return nextLoad(url, context);
}
