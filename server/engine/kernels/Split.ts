// TF's Split (core/kernels/split_op.cc): `num_split` equal slices of `value` along `split_dim`.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, scalarValue, storage, stridedCopy } from "./util/tensor-util.js";

/** Slices `value` along `axis` (already normalised) into pieces of the given sizes. */
export function splitBySizes(value: Tensor, axis: number, sizes: readonly number[]): Tensor[] {
  const strides = stridesOf(value.shape);
  const lanes = lanesOf(value.dtype);
  let start = 0;
  return sizes.map((size) => {
    const shape = value.shape.map((d, i) => (i === axis ? size : d));
    const n = shape.reduce((a, b) => a * b, 1);
    const out = allocIndexable(value.dtype, n, shape);
    stridedCopy(storage(value), strides, start * strides[axis]!, out, 0, shape, lanes);
    start += size;
    return new Tensor(value.dtype, shape, out as unknown as Tensor["data"]);
  });
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
  const axis = checkSplitDim(splitDimOrig, value.rank);
  const size = value.shape[axis]!;
  if (size % numSplit !== 0) {
    throw invalidArgument(
      `Number of ways to split should evenly divide the split dimension, but got split_dim ${axis} (size = ${size}) and num_split ${numSplit}`,
    );
  }
  return splitBySizes(value, axis, new Array<number>(numSplit).fill(size / numSplit));
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
        split(ctx.input(1), scalarValue(dim), numSplit).forEach((t, i) => {
          ctx.setOutput(i, t);
        });
      },
    };
  }),
};
