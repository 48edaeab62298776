// TF's SparseSoftmaxCrossEntropyWithLogits (core/kernels/sparse_xent_op.cc): logits [batch,
// classes] and one class index per row; loss = log Σ exp(l − max) − (l[label] − max), backprop =
// softmax(l) − onehot(label). Out-of-range labels are INVALID_ARGUMENT on CPU, listing every label.

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import { xentJob } from "./SoftmaxCrossEntropyWithLogits.js";
import {
  computeJobOutputs,
  decodedInput,
  ELEMENT_PIECE,
  type ElementJob,
  type ElementPass,
  rowPass,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig, T } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function sparseSoftmaxCrossEntropyWithLogits(features: Tensor, labels: Tensor): [Tensor, Tensor] {
  const [loss, backprop] = runWhole(sparseSoftmaxCrossEntropyJob(features, labels));
  return [loss!, backprop!];
}

/**
 * The loss and backprop as an ElementJob (util/element-slices.ts). The labels are checked when the
 * job is made, before any slice. Rows of at most `wholeRowsUpTo` classes are done whole, each as
 * one loop (a range of rows runs every row as one run does); longer rows, which would make a slice
 * long, go in passes over the elements, as Softmax's. Either way every row sees the same
 * operations in the same order, so the bits are the loop's.
 */
export function sparseSoftmaxCrossEntropyJob(
  features: Tensor,
  labels: Tensor,
  wholeRowsUpTo = ELEMENT_PIECE,
): ElementJob<Tensor[]> {
  if (features.rank !== 2) {
    throw invalidArgument(`logits must be 2-D, but got shape ${shapeString(features.shape)}`);
  }
  if (labels.rank !== 1)
    throw invalidArgument(`labels must be 1-D, but got shape ${shapeString(labels.shape)}`);
  const [rows, cols] = features.shape as [number, number];
  if (labels.shape[0] !== rows) {
    throw invalidArgument(
      `logits and labels must have the same first dimension, got logits shape ${shapeString(features.shape)} and labels shape ${shapeString(labels.shape)}`,
    );
  }
  if (cols === 0) {
    throw invalidArgument(
      `Must have at least one class, but got logits shape ${shapeString(features.shape)}`,
    );
  }
  const idx = readInts(labels);
  for (const v of idx) {
    if (v < 0 || v >= cols) {
      throw invalidArgument(
        `Received a label value of ${v} which is outside the valid range of [0, ${cols}).  Label values: ${idx.join(" ")}`,
      );
    }
  }
  const input = decodedInput(features);
  return xentJob(features.dtype, features.shape, input.passes, (loss, backprop) => {
    const m: SparseXent = { rows, cols, x: input.data, labels: idx, loss, backprop };
    return cols <= wholeRowsUpTo ? [wholeRowsPass(m)] : elementPasses(m);
  });
}

/** The operands and results of a job (loss and backprop in their computeBuffers). */
interface SparseXent {
  readonly rows: number;
  readonly cols: number;
  readonly x: NumericArray;
  readonly labels: readonly number[];
  readonly loss: NumericArray;
  readonly backprop: NumericArray;
}

/** A pass over the rows, each done as one loop that keeps its exps for the backprop. */
function wholeRowsPass({ rows, cols, x, labels, loss, backprop }: SparseXent): ElementPass {
  const exps = new Float64Array(cols);
  const run = (s: number, e: number) => {
    for (let r = s; r < e; r++) {
      const o = r * cols;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < cols; c++) max = Math.max(max, x[o + c]!);
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        exps[c] = Math.exp(x[o + c]! - max);
        sum += exps[c]!;
      }
      const label = labels[r]!;
      loss[r] = Math.log(sum) - (x[o + label]! - max);
      for (let c = 0; c < cols; c++) backprop[o + c] = exps[c]! / sum - (c === label ? 1 : 0);
    }
  };
  // One exp per element and a few additions: about Softmax's three passes.
  return { n: rows, run, cost: 12 * cols };
}

/**
 * Passes over the elements (a range may end inside a row): the row maxima, the row sums of
 * exp(x − max), each in a float64 slot per row added to in the row's order, the losses, then the
 * backprop, which takes the exps again.
 */
function elementPasses({ rows, cols, x, labels, loss, backprop }: SparseXent): ElementPass[] {
  const max = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
  const sum = new Float64Array(rows);
  const maxPart = (r: number, s: number, e: number) => {
    let m = max[r]!;
    for (let i = s; i < e; i++) m = Math.max(m, x[i]!);
    max[r] = m;
  };
  const sumPart = (r: number, s: number, e: number) => {
    const m = max[r]!;
    let acc = sum[r]!;
    for (let i = s; i < e; i++) acc += Math.exp(x[i]! - m);
    sum[r] = acc;
  };
  const lossPass = {
    n: rows,
    run: (s: number, e: number) => {
      for (let r = s; r < e; r++) loss[r] = Math.log(sum[r]!) - (x[r * cols + labels[r]!]! - max[r]!);
    },
  };
  const backpropPart = (r: number, s: number, e: number) => {
    const m = max[r]!;
    const total = sum[r]!;
    const at = r * cols + labels[r]!;
    for (let i = s; i < e; i++) backprop[i] = Math.exp(x[i]! - m) / total - (i === at ? 1 : 0);
  };
  const n = rows * cols;
  return [
    rowPass(n, cols, maxPart),
    rowPass(n, cols, sumPart, 8),
    lossPass,
    rowPass(n, cols, backpropPart, 8),
  ];
}

export const sparseSoftmaxCrossEntropyWithLogitsConfig: KernelConfig = {
  op: {
    name: "SparseSoftmaxCrossEntropyWithLogits",
    inputs: ["features: T", "labels: Tlabels"],
    outputs: ["loss: T", "backprop: T"],
    attrs: ["T: {half, bfloat16, float, double}", "Tlabels: {int32, int64} = int64"],
  },
  kernel: cpuKernel("SparseSoftmaxCrossEntropyWithLogits", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    checkTypeConstraint(c, "Tlabels", [T.int32, T.int64]);
    return {
      compute: (ctx) => computeJobOutputs(ctx, sparseSoftmaxCrossEntropyJob(ctx.input(0), ctx.input(1))),
    };
  }),
};
