// TF's MaxPoolGradWithArgmax on CPU (core/kernels/maxpooling_op.cc MaxPoolingGradWithArgmaxOp):
// the gradient of MaxPoolWithArgmax, each incoming gradient added at the input position its
// argmax names (per batch entry unless include_batch_in_index). An argmax outside the input
// aborts TF's process (a CHECK); here it is an INVALID_ARGUMENT.

import { invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { ARGMAX_POOL_ATTRS, ARGMAX_POOL_T, argmaxPoolAttrs } from "./MaxPoolWithArgmax.js";
import { cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { type PoolAttrs, poolGeometry } from "./util/pooling-util.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function maxPoolGradWithArgmax(
  input: Tensor,
  grad: Tensor,
  argmax: Tensor,
  a: PoolAttrs,
  includeBatch: boolean,
): Tensor {
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
  const n = input.numElements;
  const perIn = g.inRows * g.inCols * g.depth;
  const perOut = g.outRows * g.outCols * g.depth;
  const arg = argmax.data as BigInt64Array;
  const target = (o: number): number => {
    const b = Math.floor(o / perOut);
    const i = Number(arg[o]!) + (includeBatch ? 0 : b * perIn);
    if (!(i >= b * perIn && i < (b + 1) * perIn)) {
      throw invalidArgument(`Invalid output gradient index: ${i}, ${b * perIn}, ${(b + 1) * perIn}`);
    }
    return i;
  };
  const m = grad.numElements;
  if (input.dtype === DataType.DT_INT64 || input.dtype === DataType.DT_UINT64) {
    const out = allocData(input.dtype, n, input.shape) as BigInt64Array;
    const dy = grad.data as BigInt64Array;
    for (let o = 0; o < m; o++) out[target(o)]! += dy[o]!;
    return new Tensor(input.dtype, input.shape, out);
  }
  const out = computeBuffer(input.dtype, n, input.shape) as NumericArray;
  const dy = numericData(grad);
  for (let o = 0; o < m; o++) {
    const i = target(o);
    out[i] = out[i]! + dy[o]!;
  }
  return finish(input.dtype, input.shape, out);
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
        ctx.setOutput(0, maxPoolGradWithArgmax(ctx.input(0), ctx.input(1), ctx.input(2), a, includeBatch)),
    };
  }),
};
