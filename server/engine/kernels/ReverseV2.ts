// TF's ReverseV2 (core/kernels/reverse_op.cc): reverses the listed axes.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole, stridedCopyJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

/** Reverses `x` along the dimensions flagged in `axes`. */
export function reverse(x: Tensor, axes: readonly boolean[]): Tensor {
  return runWhole(reverseJob(x, axes));
}

/** reverse as an ElementJob (util/element-slices.ts): allocated now, copied whole or in slices. */
export function reverseJob(x: Tensor, axes: readonly boolean[]): ElementJob<Tensor> {
  const strides = stridesOf(x.shape);
  let offset = 0;
  const srcStrides = strides.map((s, d) => {
    if (!axes[d]) return s;
    offset += (x.shape[d]! - 1) * s;
    return -s;
  });
  return stridedCopyJob(x, srcStrides, offset, x.shape);
}

export function reverseV2(x: Tensor, axisTensor: Tensor): Tensor {
  return runWhole(reverseV2Job(x, axisTensor));
}

/** reverseV2 as an ElementJob (util/element-slices.ts). */
export function reverseV2Job(x: Tensor, axisTensor: Tensor): ElementJob<Tensor> {
  if (axisTensor.rank !== 1) {
    throw invalidArgument(`'dims' must be 1-dimension, not ${axisTensor.rank}`);
  }
  const rank = x.rank;
  const axes = new Array<boolean>(rank).fill(false);
  readInts(axisTensor).forEach((a, i) => {
    const canon = a < 0 ? rank + a : a;
    if (!(canon >= 0 && canon < rank)) {
      throw invalidArgument(`'axis'[${i}] = ${a} is out of valid range [0, ${rank - 1}`);
    }
    if (axes[canon]) throw invalidArgument(`axis ${canon} specified more than once.`);
    axes[canon] = true;
  });
  return reverseJob(x, axes);
}

export const reverseV2Config: KernelConfig = {
  op: {
    name: "ReverseV2",
    inputs: ["tensor: T", "axis: Tidx"],
    outputs: ["output: T"],
    attrs: [
      "Tidx: {int32, int64} = DT_INT32",
      "T: {uint8, int8, uint16, int16, int32, uint32, int64, uint64, bool, bfloat16, half, float, double, complex64, complex128, string}",
    ],
  },
  kernel: cpuKernel("ReverseV2", () => ({
    compute: (ctx) => computeJob(ctx, reverseV2Job(ctx.input(0), ctx.input(1))),
  })),
};
