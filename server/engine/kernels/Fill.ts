// TF's Fill, ZerosLike and OnesLike (core/kernels/constant_op.cc): tensors filled with one value
// (ZerosLike of a DT_VARIANT scalar: the value's zeros, e.g. a TensorList of zeros).
// The shape comes from data, so the allocation budget is checked before anything is allocated.

import { invalidArgument } from "../framework/errors.js";
import { allocData, numElements, shapeString, Tensor, type VariantValue } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { zerosLikeVariant } from "./util/tensor-list.js";
import { lanesOf, readInts } from "./util/tensor-util.js";

export function fill(dims: readonly number[], value: Tensor): Tensor {
  return runWhole(fillJob(dims, value));
}

/** fill as an ElementJob (util/element-slices.ts): allocated now, written whole or in slices. */
export function fillJob(dims: readonly number[], value: Tensor): ElementJob<Tensor> {
  for (const d of dims) if (d < 0) throw invalidArgument(`Dimension ${d} must be >= 0`);
  const n = numElements(dims);
  const data = allocData(value.dtype, n, dims);
  const lanes = lanesOf(value.dtype);
  const src = value.data as unknown as { [i: number]: unknown };
  const dst = data as unknown as { [i: number]: unknown; fill?: (v: unknown, s: number, e: number) => void };
  const result = () => new Tensor(value.dtype, dims, data);
  if (lanes === 1 && typeof dst.fill === "function") {
    const v = src[0];
    return oneLoop(n, (s, e) => dst.fill!(v, s, e), result);
  }
  return oneLoop(
    n * lanes,
    (s, e) => {
      for (let i = s; i < e; i++) dst[i] = src[i % lanes];
    },
    result,
  );
}

export const fillConfig: KernelConfig = {
  op: {
    name: "Fill",
    inputs: ["dims: index_type", "value: T"],
    outputs: ["output: T"],
    attrs: ["T: type", "index_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Fill", () => ({
    compute(ctx) {
      const dims = ctx.input(0);
      const value = ctx.input(1);
      if (dims.rank !== 1)
        throw invalidArgument(`dims must represent a vector, got shape ${shapeString(dims.shape)}`);
      if (value.rank !== 0)
        throw invalidArgument(`value must represent a scalar, got shape ${shapeString(value.shape)}`);
      // Fresh storage, this output's alone: a sole reader may write over it, and a fetch of it
      // may give it back to the pool once answered (docs/architecture.md, "Tensor bytes").
      return computeJob(ctx, fillJob(readInts(dims), value), true);
    },
  })),
};

export function zerosLike(x: Tensor): Tensor {
  if (x.dtype === DataType.DT_VARIANT) {
    // TF's ZerosLike of a variant applies the value's ZEROS_LIKE op (a list: zeros of each element).
    if (x.rank !== 0) {
      throw invalidArgument("ZerosLike non-scalar Tensor with dtype=DT_VARIANT is not supported.");
    }
    return new Tensor(x.dtype, [], [zerosLikeVariant((x.data as VariantValue[])[0]!)]);
  }
  return Tensor.zeros(x.dtype, x.shape);
}

export function onesLike(x: Tensor): Tensor {
  return runWhole(onesLikeJob(x));
}

/** onesLike as an ElementJob (util/element-slices.ts): allocated now, written whole or in slices. */
export function onesLikeJob(x: Tensor): ElementJob<Tensor> {
  const t = Tensor.zeros(x.dtype, x.shape);
  const d = t.data;
  const n = x.numElements;
  const result = () => t;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array)
    return oneLoop(n, (s, e) => d.fill(1n, s, e), result);
  if (Array.isArray(d)) throw invalidArgument("OnesLike is not defined for this dtype");
  const values = d as Exclude<typeof d, BigInt64Array | BigUint64Array | unknown[]>;
  if (lanesOf(x.dtype) === 2) {
    // Complex: real parts 1, imaginary parts left 0.
    return oneLoop(
      n,
      (s, e) => {
        for (let i = s; i < e; i++) values[2 * i] = 1;
      },
      result,
    );
  }
  const one = x.dtype === DataType.DT_HALF ? 0x3c00 : x.dtype === DataType.DT_BFLOAT16 ? 0x3f80 : 1;
  return oneLoop(n, (s, e) => values.fill(one, s, e), result);
}

export const zerosLikeConfig: KernelConfig = {
  op: { name: "ZerosLike", inputs: ["x: T"], outputs: ["y: T"], attrs: ["T: type"] },
  kernel: simpleKernel("ZerosLike", (ctx) => ctx.setOutput(0, zerosLike(ctx.input(0)))),
};

export const onesLikeConfig: KernelConfig = {
  op: {
    name: "OnesLike",
    inputs: ["x: T"],
    outputs: ["y: T"],
    attrs: [
      "T: {bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, int64, uint64, complex64, complex128, bool}",
    ],
  },
  kernel: cpuKernel("OnesLike", () => ({ compute: (ctx) => computeJob(ctx, onesLikeJob(ctx.input(0))) })),
};
