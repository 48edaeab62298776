// TF's Softmax and LogSoftmax (core/kernels/softmax_op_functor.h): over the last dimension, computed
// stably as exp(x - max) / Σ exp(x - max).

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function softmax(logits: Tensor, log = false): Tensor {
  if (logits.rank < 1) throw invalidArgument(`logits must have >= 1 dimension, got ${"[]"}`);
  const depth = logits.shape[logits.rank - 1]!;
  const n = logits.numElements;
  const x = numericData(logits);
  const out = computeBuffer(logits.dtype, n, logits.shape);
  for (let base = 0; depth > 0 && base < n; base += depth) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < depth; j++) max = Math.max(max, x[base + j]!);
    let sum = 0;
    for (let j = 0; j < depth; j++) sum += Math.exp(x[base + j]! - max);
    if (log) {
      const ls = Math.log(sum);
      for (let j = 0; j < depth; j++) out[base + j] = x[base + j]! - max - ls;
    } else {
      for (let j = 0; j < depth; j++) out[base + j] = Math.exp(x[base + j]! - max) / sum;
    }
  }
  return finish(logits.dtype, logits.shape, out);
}

function config(name: "Softmax" | "LogSoftmax"): KernelConfig {
  return {
    op: {
      name,
      inputs: ["logits: T"],
      outputs: [name === "Softmax" ? "softmax: T" : "logsoftmax: T"],
      attrs: ["T: {half, bfloat16, float, double}"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", FLOAT_TYPES);
      return { compute: (ctx) => ctx.setOutput(0, softmax(ctx.input(0), name === "LogSoftmax")) };
    }),
  };
}

export const softmaxConfig = config("Softmax");
export const logSoftmaxConfig = config("LogSoftmax");
