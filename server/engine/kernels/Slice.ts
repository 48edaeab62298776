// TF's Slice (core/kernels/slice_op.cc): the sub-tensor starting at `begin` with `size` elements per
// dimension (size -1 = to the end).

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole, stridedCopyJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function slice(x: Tensor, begin: readonly number[], sizeIn: readonly number[]): Tensor {
  return runWhole(sliceJob(x, begin, sizeIn));
}

/** slice as an ElementJob (util/element-slices.ts): allocated now, copied whole or in slices. */
export function sliceJob(x: Tensor, begin: readonly number[], sizeIn: readonly number[]): ElementJob<Tensor> {
  const rank = x.rank;
  if (begin.length !== rank || sizeIn.length !== rank) {
    throw invalidArgument(
      `Expected begin and size arguments to be 1-D tensors of size ${rank}, but got shapes [${begin.length}] and [${sizeIn.length}] instead.`,
    );
  }
  const size = sizeIn.map((s, i) => (s === -1 ? x.shape[i]! - begin[i]! : s));
  for (let i = 0; i < rank; i++) {
    const b = begin[i]!;
    const s = size[i]!;
    if (x.shape[i] === 0 && b === 0 && s === 0) continue;
    if (!(b >= 0 && b <= x.shape[i]!)) {
      throw invalidArgument(`Expected begin[${i}] in [0, ${x.shape[i]}], but got ${b}`);
    }
    if (!(s >= 0 && b + s <= x.shape[i]!)) {
      throw invalidArgument(`Expected size[${i}] in [0, ${x.shape[i]! - b}], but got ${sizeIn[i]}`);
    }
  }
  const strides = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, i) => acc + b * strides[i]!, 0);
  return stridedCopyJob(x, strides, offset, size);
}

export const sliceConfig: KernelConfig = {
  op: {
    name: "Slice",
    inputs: ["input: T", "begin: Index", "size: Index"],
    outputs: ["output: T"],
    attrs: ["T: type", "Index: {int32, int64}"],
  },
  kernel: cpuKernel("Slice", () => ({
    compute(ctx) {
      const b = ctx.input(1);
      const s = ctx.input(2);
      if (b.rank !== 1 || s.rank !== 1) {
        throw invalidArgument(
          `Expected begin and size arguments to be 1-D tensors of size ${ctx.input(0).rank}, but got shapes ${shapeString(b.shape)} and ${shapeString(s.shape)} instead.`,
        );
      }
      return computeJob(ctx, sliceJob(ctx.input(0), readInts(b), readInts(s)));
    },
    // The slice is always copied out of the input.
    keepsNoInput: true,
  })),
};
