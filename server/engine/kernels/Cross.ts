// TF's Cross (core/kernels/cross_op.cc): the 3-vector cross product along the innermost
// dimension of two same-shaped tensors.

import { failedPrecondition, invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function cross(a: Tensor, b: Tensor): Tensor {
  if (!sameShape(a.shape, b.shape)) {
    throw invalidArgument(
      `Both inputs must be of same shape: ${shapeString(a.shape)} vs. ${shapeString(b.shape)}`,
    );
  }
  if (a.rank < 1) throw invalidArgument(`Input must be at least 1D${shapeString(a.shape)}`);
  if (a.shape[a.rank - 1] !== 3) {
    throw failedPrecondition("Cross-products are only defined for 3-element vectors.");
  }
  const n = a.numElements;
  if (a.dtype === DataType.DT_INT64 || a.dtype === DataType.DT_UINT64) {
    const x = a.data as BigInt64Array;
    const y = b.data as BigInt64Array;
    const out = allocData(a.dtype, n, a.shape) as BigInt64Array;
    for (let i = 0; i < n; i += 3) {
      out[i] = x[i + 1]! * y[i + 2]! - x[i + 2]! * y[i + 1]!;
      out[i + 1] = x[i + 2]! * y[i]! - x[i]! * y[i + 2]!;
      out[i + 2] = x[i]! * y[i + 1]! - x[i + 1]! * y[i]!;
    }
    return new Tensor(a.dtype, a.shape, out);
  }
  const x = numericData(a);
  const y = numericData(b);
  const out = computeBuffer(a.dtype, n, a.shape) as NumericArray;
  // Integer products wrap like C++ (the typed output wraps the exact JS result).
  const mul =
    a.dtype === DataType.DT_INT32 || a.dtype === DataType.DT_UINT32
      ? Math.imul
      : (p: number, q: number) => p * q;
  for (let i = 0; i < n; i += 3) {
    out[i] = mul(x[i + 1]!, y[i + 2]!) - mul(x[i + 2]!, y[i + 1]!);
    out[i + 1] = mul(x[i + 2]!, y[i]!) - mul(x[i]!, y[i + 2]!);
    out[i + 2] = mul(x[i]!, y[i + 1]!) - mul(x[i + 1]!, y[i]!);
  }
  return finish(a.dtype, a.shape, out);
}

export const crossConfig: KernelConfig = {
  op: {
    name: "Cross",
    inputs: ["a: T", "b: T"],
    outputs: ["product: T"],
    attrs: ["T: {float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64}"],
  },
  kernel: cpuKernel("Cross", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    return { compute: (ctx) => ctx.setOutput(0, cross(ctx.input(0), ctx.input(1))) };
  }),
};
