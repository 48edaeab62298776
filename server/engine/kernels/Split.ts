// TF's Split (core/kernels/split_op.cc): `num_split` equal slices of `value` along `split_dim`.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { computeJobOutputs, type ElementJob, runWhole, stridedCopiesJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { scalarValue } from "./util/tensor-util.js";

/** Slices `value` along `axis` (already normalised) into pieces of the given sizes. */
export function splitBySizes(value: Tensor, axis: number, sizes: readonly number[]): Tensor[] {
  return runWhole(splitBySizesJob(value, axis, sizes));
}

/** splitBySizes as an ElementJob (util/element-slices.ts): every piece allocated up front. */
export function splitBySizesJob(value: Tensor, axis: number, sizes: readonly number[]): ElementJob<Tensor[]> {
  const strides = stridesOf(value.shape);
  let start = 0;
  const parts = sizes.map((size) => {
    const shape = value.shape.map((d, i) => (i === axis ? size : d));
    const part = { srcStrides: strides, srcOffset: start * strides[axis]!, shape };
    start += size;
    return part;
  });
  return stridedCopiesJob(value, parts);
}

/** TF's check of a split_dim against the input rank; returns the normalised axis. */
export function checkSplitDim(splitDimOrig: number, rank: number): number {
  const splitDim = splitDimOrig < 0 ? splitDimOrig + rank : splitDimOrig;
  if (!(splitDim >= 0 && splitDim < rank)) {
    throw invalidArgument(
      `-input rank(-${rank}) <= split_dim < input rank (${rank}), but got ${splitDimOrig}`,
    );
  }
  return splitDim;
}

export function split(value: Tensor, splitDimOrig: number, numSplit: number): Tensor[] {
  return runWhole(splitJob(value, splitDimOrig, numSplit));
}

/** split as an ElementJob (util/element-slices.ts): shapes checked and every output allocated now. */
export function splitJob(value: Tensor, splitDimOrig: number, numSplit: number): ElementJob<Tensor[]> {
  const axis = checkSplitDim(splitDimOrig, value.rank);
  const size = value.shape[axis]!;
  if (size % numSplit !== 0) {
    throw invalidArgument(
      `Number of ways to split should evenly divide the split dimension, but got split_dim ${axis} (size = ${size}) and num_split ${numSplit}`,
    );
  }
  return splitBySizesJob(value, axis, new Array<number>(numSplit).fill(size / numSplit));
}

export const splitConfig: KernelConfig = {
  op: {
    name: "Split",
    inputs: ["split_dim: int32", "value: T"],
    outputs: ["output: num_split * T"],
    attrs: ["num_split: int >= 1", "T: type"],
  },
  kernel: cpuKernel("Split", (c) => {
    const numSplit = getAttrInt(c.attrs, "num_split");
    return {
      compute(ctx) {
        const dim = ctx.input(0);
        if (dim.rank !== 0) throw invalidArgument(`split_dim must be a scalar but has rank ${dim.rank}`);
        return computeJobOutputs(ctx, splitJob(ctx.input(1), scalarValue(dim), numSplit));
      },
    };
  }),
};
