// TF's SoftmaxCrossEntropyWithLogits (core/kernels/xent_op.cc): per row of logits (features) and
// label distributions, broadcast together to a matrix, loss = Σ labels·(log Σ exp(l − max) −
// (l − max)) and backprop = softmax(l) − labels.

import { broadcastShapes, broadcastStrides } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import {
  computeJobOutputs,
  decodedInput,
  ELEMENT_PIECE,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  rowPass,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export function softmaxCrossEntropyWithLogits(features: Tensor, labels: Tensor): [Tensor, Tensor] {
  const [loss, backprop] = runWhole(softmaxCrossEntropyJob(features, labels));
  return [loss!, backprop!];
}

/**
 * The loss and backprop as an ElementJob (util/element-slices.ts). Rows of at most `wholeRowsUpTo`
 * classes are done whole, each as one loop (a range of rows runs every row as one run does);
 * longer rows, which would make a slice long, go in passes over the elements, as Softmax's. Either
 * way every row sees the same operations in the same order, so the bits are the loop's.
 */
export function softmaxCrossEntropyJob(
  features: Tensor,
  labels: Tensor,
  wholeRowsUpTo = ELEMENT_PIECE,
): ElementJob<Tensor[]> {
  const shape = matrixShape(features, labels);
  const [rows, cols] = shape as [number, number];
  const [f0, f1] = broadcastStrides(features.shape, shape) as [number, number];
  const [l0, l1] = broadcastStrides(labels.shape, shape) as [number, number];
  const xIn = decodedInput(features);
  const yIn = decodedInput(labels);
  return xentJob(features.dtype, shape, [...xIn.passes, ...yIn.passes], (loss, backprop) => {
    const m: XentMatrix = {
      rows,
      cols,
      x: xIn.data,
      y: yIn.data,
      strides: [f0, f1, l0, l1],
      backprop,
      lossSum: new Float64Array(rows),
    };
    const lossPass = {
      n: rows,
      run: (s: number, e: number) => {
        for (let r = s; r < e; r++) loss[r] = m.lossSum[r]!;
      },
    };
    return [...(cols <= wholeRowsUpTo ? [wholeRowsPass(m)] : elementPasses(m)), lossPass];
  });
}

/**
 * The job both softmax cross-entropy kernels make over a [rows, cols] matrix: after the passes
 * that decode its inputs, the passes of `work` fill the loss and backprop buffers it is given,
 * then both are encoded to `dtype`.
 */
export function xentJob(
  dtype: DataType,
  shape: readonly number[],
  inputPasses: readonly ElementPass[],
  work: (loss: NumericArray, backprop: NumericArray) => ElementPass[],
): ElementJob<Tensor[]> {
  const [rows, cols] = shape as [number, number];
  const loss = computeBuffer(dtype, rows, [rows]) as NumericArray;
  const backprop = computeBuffer(dtype, rows * cols, shape) as NumericArray;
  const lossOut = encodedOutput(dtype, [rows], loss);
  const backpropOut = encodedOutput(dtype, shape, backprop);
  return {
    passes: [...inputPasses, ...work(loss, backprop), ...lossOut.passes, ...backpropOut.passes],
    result: () => [lossOut.result(), backpropOut.result()],
  };
}

/** The operands and results of a job: features x and labels y read through their broadcast strides. */
interface XentMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly x: NumericArray;
  readonly y: NumericArray;
  /** Row and column strides of x, then of y. */
  readonly strides: readonly [number, number, number, number];
  readonly backprop: NumericArray;
  /** Each row's loss, summed in float64. */
  readonly lossSum: Float64Array;
}

/** A pass over the rows, each done as one loop that keeps its exps for the backprop. */
function wholeRowsPass(m: XentMatrix): ElementPass {
  const { rows, cols, x, y, backprop, lossSum } = m;
  const [f0, f1, l0, l1] = m.strides;
  const exps = new Float64Array(cols);
  const run = (s: number, e: number) => {
    for (let r = s; r < e; r++) {
      const fr = r * f0;
      const lr = r * l0;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < cols; c++) max = Math.max(max, x[fr + c * f1]!);
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        exps[c] = Math.exp(x[fr + c * f1]! - max);
        sum += exps[c]!;
      }
      const logSum = Math.log(sum);
      let l = 0;
      for (let c = 0; c < cols; c++) {
        const label = y[lr + c * l1]!;
        l += label * (logSum - (x[fr + c * f1]! - max));
        backprop[r * cols + c] = exps[c]! / sum - label;
      }
      lossSum[r] = l;
    }
  };
  // One exp per element and a few additions: about Softmax's three passes.
  return { n: rows, run, cost: Math.max(1, 12 * cols) };
}

/**
 * Passes over the matrix's elements (a range may end inside a row): the row maxima, the row sums
 * of exp(x − max), then the backprop and the loss terms, which take the exps again, each row's
 * maximum and sums in its float64 slots, added to in the row's order.
 */
function elementPasses(m: XentMatrix): ElementPass[] {
  const { rows, cols, x, y, backprop, lossSum } = m;
  const [f0, f1, l0, l1] = m.strides;
  const max = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
  const sum = new Float64Array(rows);
  // Element i of the matrix is row r, column i − r·cols.
  const xAt = (r: number, i: number) => x[r * f0 + (i - r * cols) * f1]!;
  const yAt = (r: number, i: number) => y[r * l0 + (i - r * cols) * l1]!;
  const maxPart = (r: number, s: number, e: number) => {
    let mx = max[r]!;
    for (let i = s; i < e; i++) mx = Math.max(mx, xAt(r, i));
    max[r] = mx;
  };
  const sumPart = (r: number, s: number, e: number) => {
    const mx = max[r]!;
    let acc = sum[r]!;
    for (let i = s; i < e; i++) acc += Math.exp(xAt(r, i) - mx);
    sum[r] = acc;
  };
  const outPart = (r: number, s: number, e: number) => {
    const mx = max[r]!;
    const total = sum[r]!;
    const logSum = Math.log(total);
    let l = lossSum[r]!;
    for (let i = s; i < e; i++) {
      const label = yAt(r, i);
      l += label * (logSum - (xAt(r, i) - mx));
      backprop[i] = Math.exp(xAt(r, i) - mx) / total - label;
    }
    lossSum[r] = l;
  };
  const n = rows * cols;
  return [rowPass(n, cols, maxPart), rowPass(n, cols, sumPart, 8), rowPass(n, cols, outPart, 8)];
}
/** The [rows, cols] the features and labels broadcast to, with TF's errors. */
function matrixShape(features: Tensor, labels: Tensor): readonly number[] {
  let shape: readonly number[] = features.shape;
  if (!sameShape(features.shape, labels.shape)) {
    try {
      shape = broadcastShapes(features.shape, labels.shape);
    } catch {
      throw invalidArgument(
        `logits and labels must be broadcastable: logits_size=${shapeString(features.shape)} labels_size=${shapeString(labels.shape)}`,
      );
    }
  }
  if (shape.length !== 2) {
    throw invalidArgument(
      "logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional",
    );
  }
  return shape;
}

export const softmaxCrossEntropyWithLogitsConfig: KernelConfig = {
  op: {
    name: "SoftmaxCrossEntropyWithLogits",
    inputs: ["features: T", "labels: T"],
    outputs: ["loss: T", "backprop: T"],
    attrs: ["T: {half, bfloat16, float, double}"],
  },
  kernel: cpuKernel("SoftmaxCrossEntropyWithLogits", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return { compute: (ctx) => computeJobOutputs(ctx, softmaxCrossEntropyJob(ctx.input(0), ctx.input(1))) };
  }),
};
