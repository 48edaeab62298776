// TF's SoftmaxCrossEntropyWithLogits (core/kernels/xent_op.cc): per row of logits (features) and
// label distributions, broadcast together to a matrix, loss = Σ labels·(log Σ exp(l − max) −
// (l − max)) and backprop = softmax(l) − labels.

import { broadcastShapes, broadcastStrides } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function softmaxCrossEntropyWithLogits(features: Tensor, labels: Tensor): [Tensor, Tensor] {
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
  const [rows, cols] = shape as [number, number];
  const fs = broadcastStrides(features.shape, shape);
  const ls = broadcastStrides(labels.shape, shape);
  const x = numericData(features);
  const y = numericData(labels);
  const loss = computeBuffer(features.dtype, rows, [rows]) as NumericArray;
  const backprop = computeBuffer(features.dtype, rows * cols, shape) as NumericArray;
  const e = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const f0 = r * fs[0]!;
    const l0 = r * ls[0]!;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[f0 + c * fs[1]!]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      e[c] = Math.exp(x[f0 + c * fs[1]!]! - max);
      sum += e[c]!;
    }
    const logSum = Math.log(sum);
    let l = 0;
    for (let c = 0; c < cols; c++) {
      const label = y[l0 + c * ls[1]!]!;
      l += label * (logSum - (x[f0 + c * fs[1]!]! - max));
      backprop[r * cols + c] = e[c]! / sum - label;
    }
    loss[r] = l;
  }
  return [finish(features.dtype, [rows], loss), finish(features.dtype, shape, backprop)];
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
    return {
      compute(ctx) {
        const [loss, backprop] = softmaxCrossEntropyWithLogits(ctx.input(0), ctx.input(1));
        ctx.setOutput(0, loss);
        ctx.setOutput(1, backprop);
      },
    };
  }),
};
