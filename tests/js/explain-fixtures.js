// Graphs and card texts exactly as gradwidget's Python side sends and prints them (generated from a real widget).

/** square(exp(square(x))) at x = 0.5, with cards and checks. */
export function chainWithCards() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x", role: "input", value: 0.5 },
      { id: "v1", kind: "variable", label: "a", role: "intermediate", value: 0.25 },
      { id: "v2", kind: "variable", label: "b", role: "intermediate", value: 1.2840254166877414 },
      { id: "v3", kind: "variable", label: "y", role: "output", value: 1.648721270700128 },
      { id: "f0", kind: "function", label: "Square", block: "square", rule: "2 * x", error: null },
      { id: "f1", kind: "function", label: "Exp", block: "exp", rule: "exp(x)", error: null },
      { id: "f2", kind: "function", label: "Square", block: "square", rule: "2 * x", error: null },
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
      {
        function: "f2",
        gys: [1.0],
        gxs: [2.568050833375483],
        inputs: ["v2"],
        outputs: ["v3"],
        error: null,
        card: {
          rules: [{ op: "*", args: [{ num: 2 }, { name: "x" }] }],
          names: { x0: 1.2840254166877414, x: 1.2840254166877414, y: 1.648721270700128 },
          locals: [2.568050833375483],
          gy: 1.0,
          gxs: [2.568050833375483],
          inputs: ["b"],
        },
        check: {
          inputs: [
            {
              backprop: 2.568050833375483,
              numerical: 2.5680508333758567,
              error: 1.456058072659755e-13,
              flagged: false,
            },
          ],
          flagged: false,
          error: null,
        },
      },
      {
        function: "f1",
        gys: [2.568050833375483],
        gxs: [3.297442541400256],
        inputs: ["v1"],
        outputs: ["v2"],
        error: null,
        card: {
          rules: [{ call: "exp", args: [{ name: "x" }] }],
          names: { x0: 0.25, x: 0.25, y: 1.2840254166877414 },
          locals: [1.2840254166877414],
          gy: 2.568050833375483,
          gxs: [3.297442541400256],
          inputs: ["a"],
        },
        check: {
          inputs: [
            {
              backprop: 3.297442541400256,
              numerical: 3.2974425468967894,
              error: 1.666908027187163e-9,
              flagged: false,
            },
          ],
          flagged: false,
          error: null,
        },
      },
      {
        function: "f0",
        gys: [3.297442541400256],
        gxs: [3.297442541400256],
        inputs: ["v0"],
        outputs: ["v1"],
        error: null,
        card: {
          rules: [{ op: "*", args: [{ num: 2 }, { name: "x" }] }],
          names: { x0: 0.5, x: 0.5, y: 0.25 },
          locals: [1.0],
          gy: 3.297442541400256,
          gxs: [3.297442541400256],
          inputs: ["x"],
        },
        check: {
          inputs: [
            {
              backprop: 3.297442541400256,
              numerical: 3.297442541400075,
              error: 5.4813482309299796e-14,
              flagged: false,
            },
          ],
          flagged: false,
          error: null,
        },
      },
    ],
  };
}

/** Python's w.card at each step (0..n), en and ko. */
export const chainWithCardsCards = {
  en: [
    "No step yet: press Step to start backprop at y, where dy/dy = 1.",
    "Square: gx = 2·x·gy = 2 × 1.284 × 1 = 2.568 → b.grad\nupstream × local derivative = downstream: 1 × 2.568 = 2.568",
    "Exp: gx = exp(x)·gy = exp(0.25) × 2.568 = 3.297 → a.grad\nupstream × local derivative = downstream: 2.568 × 1.284 = 3.297",
    "Square: gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297 → x.grad\nupstream × local derivative = downstream: 3.297 × 1 = 3.297",
  ],
  ko: [
    "아직 단계가 없습니다. 단계 버튼을 눌러 y에서 역전파를 시작하세요 (dy/dy = 1).",
    "Square: gx = 2·x·gy = 2 × 1.284 × 1 = 2.568 → b.grad\n상류 × 국소 미분 = 하류: 1 × 2.568 = 2.568",
    "Exp: gx = exp(x)·gy = exp(0.25) × 2.568 = 3.297 → a.grad\n상류 × 국소 미분 = 하류: 2.568 × 1.284 = 3.297",
    "Square: gx = 2·x·gy = 2 × 0.5 × 3.297 = 3.297 → x.grad\n상류 × 국소 미분 = 하류: 3.297 × 1 = 3.297",
  ],
};

/** tanh(pow(div(x0, x1), 3)) at x0 = 3, x1 = 2: rules 1 − y², c·x^(c−1), and a two-input Div. */
export function tanhPowDiv() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x0", role: "input", value: 3.0 },
      { id: "v1", kind: "variable", label: "x1", role: "input", value: 2.0 },
      { id: "v2", kind: "variable", label: "a", role: "intermediate", value: 1.5 },
      { id: "v3", kind: "variable", label: "b", role: "intermediate", value: 3.375 },
      { id: "v4", kind: "variable", label: "y", role: "output", value: 0.997660979469889 },
      { id: "f0", kind: "function", label: "Div", block: "div", rule: ["1 / x1", "-x0 / x1**2"], error: null },
      { id: "f1", kind: "function", label: "Pow", block: "pow", rule: "c * x ** (c - 1)", error: null },
      { id: "f2", kind: "function", label: "Tanh", block: "tanh", rule: "1 - y**2", error: null },
    ],
    edges: [
      ["v0", "f0"],
      ["v1", "f0"],
      ["f0", "v2"],
      ["v2", "f1"],
      ["f1", "v3"],
      ["v3", "f2"],
      ["f2", "v4"],
    ],
    output: "v4",
    steps: [
      {
        function: "f2",
        gys: [1.0],
        gxs: [0.0046725700431817785],
        inputs: ["v3"],
        outputs: ["v4"],
        error: null,
        card: {
          rules: [{ op: "-", args: [{ num: 1 }, { op: "**", args: [{ name: "y" }, { num: 2 }] }] }],
          names: { x0: 3.375, x: 3.375, y: 0.997660979469889 },
          locals: [0.0046725700431817785],
          gy: 1.0,
          gxs: [0.0046725700431817785],
          inputs: ["b"],
        },
        check: {
          inputs: [
            {
              backprop: 0.0046725700431817785,
              numerical: 0.004672570073638305,
              error: 6.518152902995839e-9,
              flagged: false,
            },
          ],
          flagged: false,
          error: null,
        },
      },
      {
        function: "f1",
        gys: [0.0046725700431817785],
        gxs: [0.031539847791477005],
        inputs: ["v2"],
        outputs: ["v3"],
        error: null,
        card: {
          rules: [
            {
              op: "*",
              args: [
                { name: "c" },
                { op: "**", args: [{ name: "x" }, { op: "-", args: [{ name: "c" }, { num: 1 }] }] },
              ],
            },
          ],
          names: { x0: 1.5, x: 1.5, y: 3.375, c: 3.0 },
          locals: [6.75],
          gy: 0.0046725700431817785,
          gxs: [0.031539847791477005],
          inputs: ["a"],
        },
        check: {
          inputs: [
            {
              backprop: 0.031539847791477005,
              numerical: 0.03153984783820993,
              error: 1.4817104802345443e-9,
              flagged: false,
            },
          ],
          flagged: false,
          error: null,
        },
      },
      {
        function: "f0",
        gys: [0.031539847791477005],
        gxs: [0.015769923895738502, -0.023654885843607754],
        inputs: ["v0", "v1"],
        outputs: ["v2"],
        error: null,
        card: {
          rules: [
            { op: "/", args: [{ num: 1 }, { name: "x1" }] },
            {
              op: "/",
              args: [
                { op: "neg", args: [{ name: "x0" }] },
                { op: "**", args: [{ name: "x1" }, { num: 2 }] },
              ],
            },
          ],
          names: { x0: 3.0, x1: 2.0, x: 3.0, y: 1.5 },
          locals: [0.5, -0.75],
          gy: 0.031539847791477005,
          gxs: [0.015769923895738502, -0.023654885843607754],
          inputs: ["x0", "x1"],
        },
        check: {
          inputs: [
            {
              backprop: 0.015769923895738502,
              numerical: 0.01576992389576426,
              error: 1.6333099856126705e-12,
              flagged: false,
            },
            {
              backprop: -0.023654885843607754,
              numerical: -0.02365488590273107,
              error: 2.499412493306549e-9,
              flagged: false,
            },
          ],
          flagged: false,
          error: null,
        },
      },
    ],
  };
}

/** Python's w.card at each step (0..n), en and ko. */
export const tanhPowDivCards = {
  en: [
    "No step yet: press Step to start backprop at y, where dy/dy = 1.",
    "Tanh: gx = (1 − y^2)·gy = (1 − 0.9977^2) × 1 = 0.004673 → b.grad\nupstream × local derivative = downstream: 1 × 0.004673 = 0.004673",
    "Pow: gx = c·x^(c − 1)·gy = 3 × 1.5^(3 − 1) × 0.004673 = 0.03154 → a.grad\nupstream × local derivative = downstream: 0.004673 × 6.75 = 0.03154",
    "Div: gx0 = 1 / x1·gy = 1 / 2 × 0.03154 = 0.01577 → x0.grad\nupstream × local derivative = downstream: 0.03154 × 0.5 = 0.01577\nDiv: gx1 = −x0 / x1^2·gy = −3 / 2^2 × 0.03154 = −0.02365 → x1.grad\nupstream × local derivative = downstream: 0.03154 × −0.75 = −0.02365",
  ],
  ko: [
    "아직 단계가 없습니다. 단계 버튼을 눌러 y에서 역전파를 시작하세요 (dy/dy = 1).",
    "Tanh: gx = (1 − y^2)·gy = (1 − 0.9977^2) × 1 = 0.004673 → b.grad\n상류 × 국소 미분 = 하류: 1 × 0.004673 = 0.004673",
    "Pow: gx = c·x^(c − 1)·gy = 3 × 1.5^(3 − 1) × 0.004673 = 0.03154 → a.grad\n상류 × 국소 미분 = 하류: 0.004673 × 6.75 = 0.03154",
    "Div: gx0 = 1 / x1·gy = 1 / 2 × 0.03154 = 0.01577 → x0.grad\n상류 × 국소 미분 = 하류: 0.03154 × 0.5 = 0.01577\nDiv: gx1 = −x0 / x1^2·gy = −3 / 2^2 × 0.03154 = −0.02365 → x1.grad\n상류 × 국소 미분 = 하류: 0.03154 × −0.75 = −0.02365",
  ],
};

/** A learner's Cube (no rule) then BadExp whose backward returns gy: flagged, on that node only. */
export function noRuleBroken() {
  return {
    nodes: [
      { id: "v0", kind: "variable", label: "x0", role: "input", value: -0.5 },
      { id: "v1", kind: "variable", label: "a", role: "intermediate", value: -0.125 },
      { id: "v2", kind: "variable", label: "y", role: "output", value: 0.8824969025845953 },
      { id: "f0", kind: "function", label: "Cube", block: "cube", rule: null, error: null },
      { id: "f1", kind: "function", label: "BadExp", block: "badexp", rule: null, error: null },
    ],
    edges: [
      ["v0", "f0"],
      ["f0", "v1"],
      ["v1", "f1"],
      ["f1", "v2"],
    ],
    output: "v2",
    steps: [
      {
        function: "f1",
        gys: [1.0],
        gxs: [1.0],
        inputs: ["v1"],
        outputs: ["v2"],
        error: null,
        card: {
          rules: null,
          names: { x0: -0.125, x: -0.125, y: 0.8824969025845953 },
          locals: null,
          gy: 1.0,
          gxs: [1.0],
          inputs: ["a"],
        },
        check: {
          inputs: [{ backprop: 1.0, numerical: 0.8824969040555075, error: 0.11750309594449249, flagged: true }],
          flagged: true,
          error: null,
        },
      },
      {
        function: "f0",
        gys: [1.0],
        gxs: [0.75],
        inputs: ["v0"],
        outputs: ["v1"],
        error: null,
        card: {
          rules: null,
          names: { x0: -0.5, x: -0.5, y: -0.125 },
          locals: null,
          gy: 1.0,
          gxs: [0.75],
          inputs: ["x0"],
        },
        check: {
          inputs: [
            { backprop: 0.75, numerical: 0.7500000099999043, error: 1.3333205620922786e-8, flagged: false },
          ],
          flagged: false,
          error: null,
        },
      },
    ],
  };
}

/** Python's w.card at each step (0..n), en and ko. */
export const noRuleBrokenCards = {
  en: [
    "No step yet: press Step to start backprop at y, where dy/dy = 1.",
    'No rule to show for BadExp: give the class one (rule = "3 * x**2") or pass rule= to register_block. These numbers are backprop\'s.\ngy = 1, gx = 1 → a.grad',
    'No rule to show for Cube: give the class one (rule = "3 * x**2") or pass rule= to register_block. These numbers are backprop\'s.\ngy = 1, gx = 0.75 → x0.grad',
  ],
  ko: [
    "아직 단계가 없습니다. 단계 버튼을 눌러 y에서 역전파를 시작하세요 (dy/dy = 1).",
    'BadExp에는 보여 줄 규칙이 없습니다: 클래스에 rule을 적거나 (rule = "3 * x**2") register_block에 rule=을 넘기세요. 이 값은 역전파가 계산한 것입니다.\ngy = 1, gx = 1 → a.grad',
    'Cube에는 보여 줄 규칙이 없습니다: 클래스에 rule을 적거나 (rule = "3 * x**2") register_block에 rule=을 넘기세요. 이 값은 역전파가 계산한 것입니다.\ngy = 1, gx = 0.75 → x0.grad',
  ],
};

// The same two graphs as Python sends them now: the shape (`graph`, once) and the numbers (`numbers`, for every
// new input; lists here, float64 buffers in the page). state.js mergeNumbers turns each into the picture above.

/** chainWithCards on the wire. */
export function chainWire() {
  return {
    graph: {
      nodes: [
        { id: "v0", kind: "variable", label: "x", role: "input" },
        { id: "v1", kind: "variable", label: "a", role: "intermediate" },
        { id: "v2", kind: "variable", label: "b", role: "intermediate" },
        { id: "v3", kind: "variable", label: "y", role: "output" },
        { id: "f0", kind: "function", label: "Square", block: "square", rule: "2 * x", error: null },
        { id: "f1", kind: "function", label: "Exp", block: "exp", rule: "exp(x)", error: null },
        { id: "f2", kind: "function", label: "Square", block: "square", rule: "2 * x", error: null },
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
      inputs: ["v0"],
      steps: [
        {
          function: "f2",
          inputs: ["v2"],
          outputs: ["v3"],
          error: null,
          card: { rules: [{ op: "*", args: [{ num: 2 }, { name: "x" }] }], inputs: ["b"], constants: {} },
        },
        {
          function: "f1",
          inputs: ["v1"],
          outputs: ["v2"],
          error: null,
          card: { rules: [{ call: "exp", args: [{ name: "x" }] }], inputs: ["a"], constants: {} },
        },
        {
          function: "f0",
          inputs: ["v0"],
          outputs: ["v1"],
          error: null,
          card: { rules: [{ op: "*", args: [{ num: 2 }, { name: "x" }] }], inputs: ["x"], constants: {} },
        },
      ],
    },
    numbers: {
      values: [0.5, 0.25, 1.2840254166877414, 1.648721270700128],
      gys: [1.0, 2.568050833375483, 3.297442541400256],
      gxs: [2.568050833375483, 3.297442541400256, 3.297442541400256],
      locals: [2.568050833375483, 1.2840254166877414, 1.0],
      numerical: [2.5680508333758567, 3.2974425468967894, 3.297442541400075],
      errors: [1.456058072659755e-13, 1.666908027187163e-9, 5.4813482309299796e-14],
      flagged: [0.0, 0.0, 0.0],
      check_errors: {},
    },
  };
}

/** tanhPowDiv on the wire. */
export function tanhPowDivWire() {
  return {
    graph: {
      nodes: [
        { id: "v0", kind: "variable", label: "x0", role: "input" },
        { id: "v1", kind: "variable", label: "x1", role: "input" },
        { id: "v2", kind: "variable", label: "a", role: "intermediate" },
        { id: "v3", kind: "variable", label: "b", role: "intermediate" },
        { id: "v4", kind: "variable", label: "y", role: "output" },
        { id: "f0", kind: "function", label: "Div", block: "div", rule: ["1 / x1", "-x0 / x1**2"], error: null },
        { id: "f1", kind: "function", label: "Pow", block: "pow", rule: "c * x ** (c - 1)", error: null },
        { id: "f2", kind: "function", label: "Tanh", block: "tanh", rule: "1 - y**2", error: null },
      ],
      edges: [
        ["v0", "f0"],
        ["v1", "f0"],
        ["f0", "v2"],
        ["v2", "f1"],
        ["f1", "v3"],
        ["v3", "f2"],
        ["f2", "v4"],
      ],
      output: "v4",
      inputs: ["v0", "v1"],
      steps: [
        {
          function: "f2",
          inputs: ["v3"],
          outputs: ["v4"],
          error: null,
          card: {
            rules: [{ op: "-", args: [{ num: 1 }, { op: "**", args: [{ name: "y" }, { num: 2 }] }] }],
            inputs: ["b"],
            constants: {},
          },
        },
        {
          function: "f1",
          inputs: ["v2"],
          outputs: ["v3"],
          error: null,
          card: {
            rules: [
              {
                op: "*",
                args: [
                  { name: "c" },
                  { op: "**", args: [{ name: "x" }, { op: "-", args: [{ name: "c" }, { num: 1 }] }] },
                ],
              },
            ],
            inputs: ["a"],
            constants: { c: 3.0 },
          },
        },
        {
          function: "f0",
          inputs: ["v0", "v1"],
          outputs: ["v2"],
          error: null,
          card: {
            rules: [
              { op: "/", args: [{ num: 1 }, { name: "x1" }] },
              {
                op: "/",
                args: [
                  { op: "neg", args: [{ name: "x0" }] },
                  { op: "**", args: [{ name: "x1" }, { num: 2 }] },
                ],
              },
            ],
            inputs: ["x0", "x1"],
            constants: {},
          },
        },
      ],
    },
    numbers: {
      values: [3.0, 2.0, 1.5, 3.375, 0.997660979469889],
      gys: [1.0, 0.0046725700431817785, 0.031539847791477005],
      gxs: [0.0046725700431817785, 0.031539847791477005, 0.015769923895738502, -0.023654885843607754],
      locals: [0.0046725700431817785, 6.75, 0.5, -0.75],
      numerical: [0.004672570073638305, 0.03153984783820993, 0.01576992389576426, -0.02365488590273107],
      errors: [6.518152902995839e-9, 1.4817104802345443e-9, 1.6333099856126705e-12, 2.499412493306549e-9],
      flagged: [0.0, 0.0, 0.0, 0.0],
      check_errors: {},
    },
  };
}
