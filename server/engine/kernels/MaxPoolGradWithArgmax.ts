// TF's MaxPoolGradWithArgmax on CPU (core/kernels/maxpooling_op.cc MaxPoolingGradWithArgmaxOp):
// the gradient of MaxPoolWithArgmax, each incoming gradient added at the input position its
// argmax names (per batch entry unless include_batch_in_index). An argmax outside the input
// aborts TF's process (a CHECK); here it is an INVALID_ARGUMENT.

import { invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { ARGMAX_POOL_ATTRS, ARGMAX_POOL_T, argmaxPoolAttrs } from "./MaxPoolWithArgmax.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./util/element-slices.js";
import { cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { type PoolAttrs, poolGeometry } from "./util/pooling-util.js";
import { computeBuffer } from "./util/tensor-util.js";

export function maxPoolGradWithArgmax(
  input: Tensor,
  grad: Tensor,
  argmax: Tensor,
  a: PoolAttrs,
  includeBatch: boolean,
): Tensor {
  return runWhole(maxPoolGradWithArgmaxJob(input, grad, argmax, a, includeBatch));
}

/**
 * maxPoolGradWithArgmax as an ElementJob (util/element-slices.ts): shapes and every argmax checked
 * now (the first bad one reported, as the loop that checked while adding did), then the gradients
 * added in output order over any range of them, so positions named several times take their
 * gradients in one run's order.
 */
export function maxPoolGradWithArgmaxJob(
  input: Tensor,
  grad: Tensor,
  argmax: Tensor,
  a: PoolAttrs,
  includeBatch: boolean,
): ElementJob<Tensor> {
  const g = poolGeometry(input.shape, a);
  const outShape = [g.batch, g.outRows, g.outCols, g.depth];
  if (!sameShape(grad.shape, outShape)) {
    throw invalidArgument(
      `Expected grad shape to be ${shapeString(outShape)}, but got ${shapeString(grad.shape)}`,
    );
  }
  if (!sameShape(argmax.shape, outShape)) {
    throw invalidArgument(
      `Expected argmax shape to be ${shapeString(outShape)}, but got ${shapeString(argmax.shape)}`,
    );
  }
  const perIn = g.inRows * g.inCols * g.depth;
  const perOut = g.outRows * g.outCols * g.depth;
  // The int64 argmax read as its two 32-bit words (the value Number() gives, without a BigInt each).
  const arg = argmax.data as BigInt64Array;
  const words = new Int32Array(arg.buffer, arg.byteOffset, arg.length * 2);
  const target = (o: number): number =>
    words[2 * o + 1]! * 4294967296 +
    (words[2 * o]! >>> 0) +
    (includeBatch ? 0 : Math.floor(o / perOut) * perIn);
  const m = grad.numElements;
  for (let o = 0; o < m; o++) {
    const b = Math.floor(o / perOut);
    const i = target(o);
    if (!(i >= b * perIn && i < (b + 1) * perIn)) {
      throw invalidArgument(`Invalid output gradient index: ${i}, ${b * perIn}, ${(b + 1) * perIn}`);
    }
  }
  const n = input.numElements;
  if (input.dtype === DataType.DT_INT64 || input.dtype === DataType.DT_UINT64) {
    const out = allocData(input.dtype, n, input.shape) as BigInt64Array;
    const dy = grad.data as BigInt64Array;
    const add = (s: number, e: number) => {
      for (let o = s; o < e; o++) out[target(o)]! += dy[o]!;
    };
    // A BigInt addition allocates: ~30 ns an element on the loaded test machine.
    return oneLoop(m, add, () => new Tensor(input.dtype, input.shape, out), 8);
  }
  const out = computeBuffer(input.dtype, n, input.shape) as NumericArray;
  const encoded = encodedOutput(input.dtype, input.shape, out);
  const dy = decodedInput(grad);
  // Each addition rounds to the output's storage (float32 for half/bfloat16, encoded at the end).
  const add = (s: number, e: number) => {
    for (let o = s; o < e; o++) {
      const i = target(o);
      out[i] = out[i]! + dy.data[o]!;
    }
  };
  return { passes: [...dy.passes, { n: m, run: add }, ...encoded.passes], result: encoded.result };
}

export const maxPoolGradWithArgmaxConfig: KernelConfig = {
  op: {
    name: "MaxPoolGradWithArgmax",
    inputs: ["input: T", "grad: T", "argmax: Targmax"],
    outputs: ["output: T"],
    attrs: [...ARGMAX_POOL_ATTRS, "Targmax: {int32, int64}", ARGMAX_POOL_T],
  },
  kernel: cpuKernel("MaxPoolGradWithArgmax", (c) => {
    // TF's CPU kernel reads argmax as int64 only.
    const { a, includeBatch } = argmaxPoolAttrs(c, [T.int64]);
    return {
      compute: (ctx) =>
        computeJob(ctx, maxPoolGradWithArgmaxJob(ctx.input(0), ctx.input(1), ctx.input(2), a, includeBatch)),
    };
  }),
};
