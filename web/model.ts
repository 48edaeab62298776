// The demo's model and data, without the DOM: a 2-D binary classifier (one tanh hidden layer, a
// sigmoid output, cross-entropy loss) built with the web client's GraphBuilder and trained with
// GradientDescent, and three small datasets drawn from a seeded generator. The graph also holds
// TF1-style summaries (ScalarSummary of the loss, HistogramSummary of the per-example losses,
// merged with MergeSummary), fetched as a serialized tensorflow.Summary.

import { attr, DataType, GradientDescent, GraphBuilder, type Output, tensor } from "../web-client/index.js";

export type DatasetKind = "circles" | "xor" | "blobs";

export interface Dataset {
  /** Points, row-major [n, 2], in [-1, 1]². */
  readonly x: Float32Array;
  /** Labels 0 or 1, [n, 1]. */
  readonly y: Float32Array;
  readonly n: number;
}

/** A small deterministic generator (mulberry32), so runs and tests repeat exactly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeDataset(kind: DatasetKind, n: number, seed: number): Dataset {
  const rand = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    let px: number;
    let py: number;
    if (kind === "circles") {
      const r = label === 1 ? 0.3 * rand() : 0.55 + 0.35 * rand();
      const a = 2 * Math.PI * rand();
      px = r * Math.cos(a);
      py = r * Math.sin(a);
    } else if (kind === "xor") {
      px = (rand() * 2 - 1) * 0.9;
      py = (rand() * 2 - 1) * 0.9;
      if (Math.abs(px) < 0.08) px += Math.sign(px || 1) * 0.08;
      if (Math.abs(py) < 0.08) py += Math.sign(py || 1) * 0.08;
      y[i] = px * py > 0 ? 1 : 0;
      x[2 * i] = px;
      x[2 * i + 1] = py;
      continue;
    } else {
      const c = label === 1 ? 0.4 : -0.4;
      px = c + 0.2 * gauss();
      py = c + 0.2 * gauss();
    }
    x[2 * i] = Math.max(-1, Math.min(1, px));
    x[2 * i + 1] = Math.max(-1, Math.min(1, py));
    y[i] = label;
  }
  return { x, y, n };
}

export interface ModelOptions {
  readonly hidden: number;
  readonly learningRate: number;
  readonly seed: number;
  /**
   * Device for the output layer and the loss (e.g. "/device:CPU:1"); the hidden layer and the
   * gradients stay on the default device, so each step crosses devices (_Send/_Recv).
   */
  readonly outputDevice?: string;
}

/** Tensor and op names the page feeds, fetches and runs. */
export interface Model {
  readonly graph: GraphBuilder;
  readonly x: string;
  readonly y: string;
  readonly probability: string;
  readonly loss: string;
  readonly train: string;
  readonly init: string;
  /** The merged summary (a scalar string holding a serialized tensorflow.Summary). */
  readonly summary: string;
}

/** A TF summary op (tag input, value input, serialized Summary output) on float values. */
function summaryOp(g: GraphBuilder, type: string, tag: string, values: Output): Output {
  const t = g.constant(tensor([tag], [], DataType.DT_STRING), { name: `${tag}/tag` });
  return g.addOp(type, [t, values], {
    name: tag,
    attrs: { T: attr.type(DataType.DT_FLOAT) },
    outputs: [[DataType.DT_STRING, []]],
  }).outputs[0]!;
}

/**
 * x [-1, 2] → tanh(x·W1 + b1) [-1, hidden] → sigmoid(h·W2 + b2) [-1, 1];
 * loss = -mean(y·log(p + ε) + (1 − y)·log(1 − p + ε)); GradientDescent(learningRate).
 */
export function buildModel(options: ModelOptions): Model {
  const g = new GraphBuilder();
  const rand = rng(options.seed);
  const init = (rows: number, cols: number) => {
    // Glorot uniform.
    const limit = Math.sqrt(6 / (rows + cols));
    return tensor(
      Float32Array.from({ length: rows * cols }, () => (rand() * 2 - 1) * limit),
      [rows, cols],
    );
  };
  const x = g.placeholder("x", DataType.DT_FLOAT, [-1, 2]);
  const y = g.placeholder("y", DataType.DT_FLOAT, [-1, 1]);
  const h = options.hidden;
  const hidden = g.nameScope("hidden", () => {
    const w = g.variable("weights", init(2, h));
    const b = g.variable("biases", tensor(new Float32Array(h), [h]));
    return g.tanh(g.add(g.matmul(x, w), b));
  });
  const [p, loss, perExample] = g.device(options.outputDevice ?? "", () => {
    const p = g.nameScope("output", () => {
      const w = g.variable("weights", init(h, 1));
      const b = g.variable("biases", tensor(new Float32Array(1), [1]));
      return g.sigmoid(g.add(g.matmul(hidden, w), b), "probability");
    });
    const loss = g.nameScope("loss", () => {
      const eps = 1e-6;
      const pos = g.mul(y, g.log(g.add(p, eps)));
      const neg = g.mul(g.sub(1, y), g.log(g.add(g.sub(1, p), eps)));
      const sum = g.add(pos, neg);
      return [g.neg(g.mean(sum), "cross_entropy"), g.neg(sum, "per_example")] as const;
    });
    return [p, ...loss] as const;
  });
  const summary = g.nameScope("summaries", () => {
    const scalar = summaryOp(g, "ScalarSummary", "loss", loss);
    const histogram = summaryOp(g, "HistogramSummary", "per_example_loss", perExample);
    return g.addOp("MergeSummary", [scalar, histogram], {
      name: "merged",
      attrs: { N: attr.i(2) },
      outputs: [[DataType.DT_STRING, []]],
    }).outputs[0]!;
  });
  const train = new GradientDescent(options.learningRate).minimize(loss);
  const initOp = g.globalVariablesInitializer();
  return {
    graph: g,
    x: x.name,
    y: y.name,
    probability: p.name,
    loss: loss.name,
    train: train.name,
    init: initOp.name,
    summary: summary.name,
  };
}
