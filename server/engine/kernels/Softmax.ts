// TF's Softmax and LogSoftmax (core/kernels/softmax_op_functor.h): over the last dimension, computed
// stably as exp(x - max) / Σ exp(x - max).

import { invalidArgument } from "../framework/errors.js";
import type { NumericArray, Tensor } from "../framework/tensor.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  rowPass,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export function softmax(logits: Tensor, log = false): Tensor {
  return runWhole(softmaxJob(logits, log));
}

/**
 * softmax as an ElementJob (util/element-slices.ts). Each row's steps are passes over all elements
 * in order: the row maxima, the row sums of exp(x - max) (each accumulated in a float64 slot in
 * the row's element order, as one loop's local would be), then the outputs. A row sees the same
 * operations in the same order as when it is done in one go, so slices may cut a row anywhere.
 */
export function softmaxJob(logits: Tensor, log = false): ElementJob<Tensor> {
  if (logits.rank < 1) throw invalidArgument(`logits must have >= 1 dimension, got ${"[]"}`);
  const depth = logits.shape[logits.rank - 1]!;
  const n = logits.numElements;
  const input = decodedInput(logits);
  const x = input.data;
  const out = computeBuffer(logits.dtype, n, logits.shape) as NumericArray;
  const encoded = encodedOutput(logits.dtype, logits.shape, out);
  if (depth === 0 || n === 0) return { passes: [], result: encoded.result };
  const rows = n / depth;
  const max = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
  const sum = new Float64Array(rows);
  const maxPass = rowPass(n, depth, (r, s, e) => {
    let m = max[r]!;
    for (let i = s; i < e; i++) m = Math.max(m, x[i]!);
    max[r] = m;
  });
  const sumPass = rowPass(
    n,
    depth,
    (r, s, e) => {
      const m = max[r]!;
      let acc = sum[r]!;
      for (let i = s; i < e; i++) acc += Math.exp(x[i]! - m);
      sum[r] = acc;
    },
    8,
  );
  const outPass = rowPass(
    n,
    depth,
    log
      ? (r, s, e) => {
          const m = max[r]!;
          const ls = Math.log(sum[r]!);
          for (let i = s; i < e; i++) out[i] = x[i]! - m - ls;
        }
      : (r, s, e) => {
          const m = max[r]!;
          const total = sum[r]!;
          for (let i = s; i < e; i++) out[i] = Math.exp(x[i]! - m) / total;
        },
    log ? 1 : 8,
  );
  return { passes: [...input.passes, maxPass, sumPass, outPass, ...encoded.passes], result: encoded.result };
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
      return { compute: (ctx) => computeJob(ctx, softmaxJob(ctx.input(0), name === "LogSoftmax")) };
    }),
  };
}

export const softmaxConfig = config("Softmax");
export const logSoftmaxConfig = config("LogSoftmax");
