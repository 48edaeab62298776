// TF's Cross (core/kernels/cross_op.cc): the 3-vector cross product along the innermost
// dimension of two same-shaped tensors.

import { failedPrecondition, invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export function cross(a: Tensor, b: Tensor): Tensor {
  return runWhole(crossJob(a, b));
}

/** cross as an ElementJob (util/element-slices.ts): one pass over the 3-vectors. */
export function crossJob(a: Tensor, b: Tensor): ElementJob<Tensor> {
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
    const run = (s: number, e: number) => {
      for (let i = 3 * s; i < 3 * e; i += 3) {
        out[i] = x[i + 1]! * y[i + 2]! - x[i + 2]! * y[i + 1]!;
        out[i + 1] = x[i + 2]! * y[i]! - x[i]! * y[i + 2]!;
        out[i + 2] = x[i]! * y[i + 1]! - x[i + 1]! * y[i]!;
      }
    };
    return oneLoop(n / 3, run, () => new Tensor(a.dtype, a.shape, out), 24);
  }
  const [xIn, yIn] = [decodedInput(a), decodedInput(b)];
  const [x, y] = [xIn.data, yIn.data];
  const out = computeBuffer(a.dtype, n, a.shape) as NumericArray;
  const encoded = encodedOutput(a.dtype, a.shape, out);
  // Integer products wrap like C++ (the typed output wraps the exact JS result).
  const mul =
    a.dtype === DataType.DT_INT32 || a.dtype === DataType.DT_UINT32
      ? Math.imul
      : (p: number, q: number) => p * q;
  const run = (s: number, e: number) => {
    for (let i = 3 * s; i < 3 * e; i += 3) {
      out[i] = mul(x[i + 1]!, y[i + 2]!) - mul(x[i + 2]!, y[i + 1]!);
      out[i + 1] = mul(x[i + 2]!, y[i]!) - mul(x[i]!, y[i + 2]!);
      out[i + 2] = mul(x[i]!, y[i + 1]!) - mul(x[i + 1]!, y[i]!);
    }
  };
  return {
    passes: [...xIn.passes, ...yIn.passes, { n: n / 3, run, cost: 6 }, ...encoded.passes],
    result: encoded.result,
  };
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
    return { compute: (ctx) => computeJob(ctx, crossJob(ctx.input(0), ctx.input(1))) };
  }),
};
