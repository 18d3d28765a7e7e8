"""What drawing the graph's nodes costs the browser, apart from the widget: 70 nodes (what a first view holds
at 1,400 px) drawn into a bare page in one frame, timed from the frame's start to the task after its paint, as
bench/latency.py times the widget. Each variant draws one part of a node, or the same texts another way, so
the figures say which part of a first frame the nodes in view cost and which drawing would cost less.

    python bench/node_cost.py [--rounds 2]

Prints ms per frame, p50 of 25 (and the script's share): compare rows of one run, not runs of different days.
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "browser"))

import launch  # noqa: E402  (Debian's Chromium, as the browser tests launch it)

NODES = 70

# A variable node's parts as graph-view.js draws them (layout.js SIZES), in a grid; `variant` says which.
FRAME_JS = """
async ([variant, nodes]) => {
  const NS = "http://www.w3.org/2000/svg";
  const make = (tag, attrs = {}, kids = []) => {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    for (const kid of kids) el.append(typeof kid === "string" ? document.createTextNode(kid) : kid);
    return el;
  };
  const html = (tag, style, kids = []) => {
    const el = document.createElement(tag);
    el.style.cssText = style;
    for (const kid of kids) el.append(typeof kid === "string" ? document.createTextNode(kid) : kid);
    return el;
  };
  const LINES = [["a", 25, 18], ["0.4794", 50, 18], ["grad: \\u2014", 80, 16]];
  const anchor = variant.includes("start") ? {} : {"text-anchor": "middle"};
  const node = (i) => {
    const x = 130 * (i % 10), y = 120 * Math.floor(i / 10);
    const kids = [];
    if (variant === "rects")
      kids.push(
        make("rect", {x, y, width: 116, height: 96, rx: 16, fill: "white", stroke: "gray"}),
        make("rect", {x: x + 8, y: y + 60, width: 100, height: 28, rx: 6, fill: "none", stroke: "gray",
                      "stroke-dasharray": "4 3"}));
    if (variant.startsWith("texts"))
      for (const [t, dy, size] of LINES)
        kids.push(make("text", {x: x + 58, y: y + dy, "font-size": size, ...anchor}, [t]));
    if (variant === "one text, tspans")
      kids.push(make("text", {"text-anchor": "middle"}, LINES.map(([t, dy, size]) =>
        make("tspan", {x: x + 58, y: y + dy, "font-size": size}, [t]))));
    if (variant === "edges, arrowheads")
      kids.push(make("path", {d: `M${x + 116},${y + 48}L${x + 130},${y + 48}`, stroke: "gray",
                              "marker-end": "url(#m)"}));
    if (variant === "foreignObject html") {
      const box = html("div", "text-align:center;line-height:25px", LINES.map(([t, , size]) =>
        html("div", `font-size:${size}px`, [t])));
      kids.push(make("foreignObject", {x, y, width: 116, height: 96}, [box]));
    }
    return make("g", {}, kids);
  };
  const htmlNode = (i) => html("div",
    `position:absolute;left:${130 * (i % 10)}px;top:${120 * Math.floor(i / 10)}px;` +
    "width:116px;text-align:center;line-height:25px",
    LINES.map(([t, , size]) => html("div", `font-size:${size}px`, [t])));
  const style = document.createElement("style");
  style.textContent = {
    "texts, optimizeSpeed": "text { text-rendering: optimizeSpeed; }",
    "texts, monospace": "text { font-family: monospace; }",
    "texts, tabular-nums": "text { font-variant-numeric: tabular-nums; }",
    "texts, no kerning": "text { font-kerning: none; }",
  }[variant] ?? "";
  document.head.replaceChildren(style);
  const svgRoot = make("svg", {width: 1400, height: 900}, [make("defs", {}, [make("marker",
    {id: "m", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 11, markerHeight: 11,
     markerUnits: "userSpaceOnUse", orient: "auto"}, [make("path", {d: "M0,0L10,5L0,10z"})])])]);
  const htmlRoot = html("div", "position:relative;width:1400px;height:900px");
  const root = variant === "html lines" ? htmlRoot : svgRoot;
  document.body.replaceChildren(root);
  const frames = [];
  for (let rep = 0; rep < 25; rep++) {
    const layer = variant === "html lines" ? html("div", "") : make("g");
    root.replaceChildren(...(root === svgRoot ? [svgRoot.firstChild] : []), layer);
    await new Promise((r) => setTimeout(r, 30));
    frames.push(await new Promise((resolve) => requestAnimationFrame(() => {
      const t0 = performance.now();
      for (let i = 0; i < nodes; i++) layer.append(variant === "html lines" ? htmlNode(i) : node(i));
      const script = performance.now() - t0;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve([performance.now() - t0, script]);
      channel.port2.postMessage(null);
    })));
  }
  frames.sort((a, b) => a[0] - b[0]);
  return frames[12];
}
"""

VARIANTS = (
    "nothing",
    "rects",
    "edges, arrowheads",
    "texts",
    "texts, start-anchored",
    "texts, optimizeSpeed",
    "texts, monospace",
    "texts, tabular-nums",
    "texts, no kerning",
    "one text, tspans",
    "foreignObject html",
    "html lines",
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="times each variant is measured, in turn")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(f"{NODES} nodes drawn in one frame, on a bare page: frame start -> after its paint, p50 of 25 (ms)")
    print(f"{'variant':<24} {'frame':>7} {'script':>7}")
    with sync_playwright() as p:
        browser = launch.launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto("about:blank")
            for _ in range(args.rounds):
                for variant in VARIANTS:
                    frame, script = page.evaluate(FRAME_JS, [variant, NODES if variant != "nothing" else 0])
                    print(f"{variant:<24} {frame:>7.1f} {script:>7.1f}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
