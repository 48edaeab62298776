// TF's SparseSoftmaxCrossEntropyWithLogits (core/kernels/sparse_xent_op.cc): logits [batch,
// classes] and one class index per row; loss = log Σ exp(l − max) − (l[label] − max), backprop =
// softmax(l) − onehot(label). Out-of-range labels are INVALID_ARGUMENT on CPU, listing every label.

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData, readInts } from "./util/tensor-util.js";

export function sparseSoftmaxCrossEntropyWithLogits(features: Tensor, labels: Tensor): [Tensor, Tensor] {
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
  const x = numericData(features);
  const loss = computeBuffer(features.dtype, rows, [rows]) as NumericArray;
  const backprop = computeBuffer(features.dtype, rows * cols, features.shape) as NumericArray;
  const e = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[o + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      e[c] = Math.exp(x[o + c]! - max);
      sum += e[c]!;
    }
    const label = idx[r]!;
    loss[r] = Math.log(sum) - (x[o + label]! - max);
    for (let c = 0; c < cols; c++) backprop[o + c] = e[c]! / sum - (c === label ? 1 : 0);
  }
  return [finish(features.dtype, [rows], loss), finish(features.dtype, features.shape, backprop)];
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
      compute(ctx) {
        const [loss, backprop] = sparseSoftmaxCrossEntropyWithLogits(ctx.input(0), ctx.input(1));
        ctx.setOutput(0, loss);
        ctx.setOutput(1, backprop);
      },
    };
  }),
};
