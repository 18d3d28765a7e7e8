// Graphs shaped like what gradwidget's Python side sends (rules as the blocks declare them).

/** x -> Square -> a -> Exp -> b -> Square -> y at x = 0.5 (the book's chain). */
export function chainGraph() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x", role: "input", value: 0.5 },
      { id: "f0", kind: "function", label: "Square", block: "square", rule: "2 * x" },
      { id: "v1", kind: "variable", label: "a", role: "intermediate", value: 0.25 },
      { id: "f1", kind: "function", label: "Exp", block: "exp", rule: "exp(x)" },
      { id: "v2", kind: "variable", label: "b", role: "intermediate", value: 1.2840254166877414 },
      { id: "f2", kind: "function", label: "Square", block: "square", rule: "2 * x" },
      { id: "v3", kind: "variable", label: "y", role: "output", value: 1.6487212707001282 },
    ],
    edges: [
      ["v0", "f0"],
      ["f0", "v1"],
      ["v1", "f1"],
      ["f1", "v2"],
      ["v2", "f2"],
      ["f2", "v3"],
    ],
    output: "v3",
    steps: [
      { function: "f2", gys: [1.0], gxs: [2.568050833375483], inputs: ["v2"], outputs: ["v3"], error: null },
      {
        function: "f1",
        gys: [2.568050833375483],
        gxs: [3.297442541400256],
        inputs: ["v1"],
        outputs: ["v2"],
        error: null,
      },
      {
        function: "f0",
        gys: [3.297442541400256],
        gxs: [3.297442541400256],
        inputs: ["v0"],
        outputs: ["v1"],
        error: null,
      },
    ],
  };
}

/** x feeds two branches: a = square(x), b = exp(x), y = a + b (x at 1). */
export function diamondGraph() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x", role: "input", value: 1 },
      { id: "f0", kind: "function", label: "Square", block: "square", rule: "2 * x" },
      { id: "f1", kind: "function", label: "Exp", block: "exp", rule: "exp(x)" },
      { id: "v1", kind: "variable", label: "a", role: "intermediate", value: 1 },
      { id: "v2", kind: "variable", label: "b", role: "intermediate", value: Math.E },
      { id: "f2", kind: "function", label: "Add", block: "add", rule: ["1", "1"] },
      { id: "v3", kind: "variable", label: "y", role: "output", value: 1 + Math.E },
    ],
    edges: [
      ["v0", "f0"],
      ["v0", "f1"],
      ["f0", "v1"],
      ["f1", "v2"],
      ["v1", "f2"],
      ["v2", "f2"],
      ["f2", "v3"],
    ],
    output: "v3",
    steps: [
      { function: "f2", gys: [1], gxs: [1, 1], inputs: ["v1", "v2"], outputs: ["v3"], error: null },
      { function: "f1", gys: [1], gxs: [Math.E], inputs: ["v0"], outputs: ["v2"], error: null },
      { function: "f0", gys: [1], gxs: [2], inputs: ["v0"], outputs: ["v1"], error: null },
    ],
  };
}
