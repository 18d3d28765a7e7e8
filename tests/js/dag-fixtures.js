// DAGs shaped like what show(y) sends (taken from the Python side's output; cards and checks left out).

/** x = Variable(2.0); a = square(x); y = square(a) + exp(a): a feeds two branches. */
export function squareExpDiamond() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x", role: "input", value: 2.0 },
      { id: "v1", kind: "variable", label: "a", role: "intermediate", value: 4.0 },
      { id: "v2", kind: "variable", label: "b", role: "intermediate", value: 16.0 },
      { id: "v3", kind: "variable", label: "c", role: "intermediate", value: 54.598150033144236 },
      { id: "v4", kind: "variable", label: "y", role: "output", value: 70.59815003314424 },
      { id: "f0", kind: "function", label: "Square", block: "square", rule: "2 * x", error: null },
      { id: "f1", kind: "function", label: "Square", block: "square", rule: "2 * x", error: null },
      { id: "f2", kind: "function", label: "Exp", block: "exp", rule: "exp(x)", error: null },
      { id: "f3", kind: "function", label: "Add", block: "add", rule: ["1", "1"], error: null },
    ],
    edges: [
      ["v0", "f0"],
      ["f0", "v1"],
      ["v1", "f1"],
      ["f1", "v2"],
      ["v1", "f2"],
      ["f2", "v3"],
      ["v2", "f3"],
      ["v3", "f3"],
      ["f3", "v4"],
    ],
    output: "v4",
    steps: [
      { function: "f3", gys: [1.0], gxs: [1.0, 1.0], inputs: ["v2", "v3"], outputs: ["v4"], error: null },
      { function: "f1", gys: [1.0], gxs: [8.0], inputs: ["v1"], outputs: ["v2"], error: null },
      { function: "f2", gys: [1.0], gxs: [54.598150033144236], inputs: ["v1"], outputs: ["v3"], error: null },
      { function: "f0", gys: [62.598150033144236], gxs: [250.39260013257694], inputs: ["v0"], outputs: ["v1"] },
    ],
  };
}

/** z = x*y + sin(x) with leaves x = 1 and y = 2: two leaves, x used twice, a two-input Mul. */
export function twoLeaves() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x", role: "input", value: 1.0 },
      { id: "v1", kind: "variable", label: "y", role: "input", value: 2.0 },
      { id: "v2", kind: "variable", label: "a", role: "intermediate", value: 2.0 },
      { id: "v3", kind: "variable", label: "b", role: "intermediate", value: 0.8414709848078965 },
      { id: "v4", kind: "variable", label: "z", role: "output", value: 2.8414709848078967 },
      { id: "f0", kind: "function", label: "Mul", block: "mul", rule: ["x1", "x0"], error: null },
      { id: "f1", kind: "function", label: "Sin", block: "sin", rule: "cos(x)", error: null },
      { id: "f2", kind: "function", label: "Add", block: "add", rule: ["1", "1"], error: null },
    ],
    edges: [
      ["v0", "f0"],
      ["v1", "f0"],
      ["f0", "v2"],
      ["v0", "f1"],
      ["f1", "v3"],
      ["v2", "f2"],
      ["v3", "f2"],
      ["f2", "v4"],
    ],
    output: "v4",
    steps: [
      { function: "f2", gys: [1.0], gxs: [1.0, 1.0], inputs: ["v2", "v3"], outputs: ["v4"], error: null },
      { function: "f0", gys: [1.0], gxs: [2.0, 1.0], inputs: ["v0", "v1"], outputs: ["v2"], error: null },
      { function: "f1", gys: [1.0], gxs: [0.5403023058681398], inputs: ["v0"], outputs: ["v3"], error: null },
    ],
  };
}

/** y = x * x: one Function takes the same variable twice (two edges v0 -> f0). */
export function squareByMul() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x", role: "input", value: 3.0 },
      { id: "v1", kind: "variable", label: "y", role: "output", value: 9.0 },
      { id: "f0", kind: "function", label: "Mul", block: "mul", rule: ["x1", "x0"], error: null },
    ],
    edges: [
      ["v0", "f0"],
      ["v0", "f0"],
      ["f0", "v1"],
    ],
    output: "v1",
    steps: [{ function: "f0", gys: [1.0], gxs: [3.0, 3.0], inputs: ["v0", "v0"], outputs: ["v1"], error: null }],
  };
}
