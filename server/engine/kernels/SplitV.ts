// TF's SplitV (core/kernels/split_v_op.cc): slices of `value` along `split_dim` with explicit
// sizes, at most one of which may be -1 (inferred).

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkSplitDim, splitBySizesJob } from "./Split.js";
import { computeJobOutputs, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { scalarValue } from "./util/tensor-util.js";

function readSizes(t: Tensor): number[] {
  const d = t.data;
  if (d instanceof BigInt64Array) return Array.from(d, (v) => Number(v));
  return Array.from(d as Int32Array | Int8Array);
}

export function splitV(value: Tensor, sizesTensor: Tensor, splitDimOrig: number, numSplit: number): Tensor[] {
  return runWhole(splitVJob(value, sizesTensor, splitDimOrig, numSplit));
}

/** splitV as an ElementJob (util/element-slices.ts): sizes checked and every output allocated now. */
export function splitVJob(
  value: Tensor,
  sizesTensor: Tensor,
  splitDimOrig: number,
  numSplit: number,
): ElementJob<Tensor[]> {
  if (sizesTensor.rank !== 1 || sizesTensor.numElements !== numSplit) {
    throw invalidArgument(
      `size of the split_tensor must be 1-D and have the same elements as outputs got ${sizesTensor.rank} -D and ${sizesTensor.numElements} elements`,
    );
  }
  const axis = checkSplitDim(splitDimOrig, value.rank);
  const sizes = readSizes(sizesTensor);
  const inputSize = value.shape[axis]!;
  let neg = -1;
  let determined = 0;
  sizes.forEach((s, d) => {
    if (s === -1) {
      if (neg !== -1) throw invalidArgument("There can only be one -1 in the input.");
      neg = d;
    } else {
      if (s < 0) throw invalidArgument(`Split size at index ${d} must be >= 0. Got: ${s}`);
      determined += s;
    }
  });
  if (!((neg === -1 && determined === inputSize) || (neg >= 0 && determined <= inputSize))) {
    throw invalidArgument(
      `Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified.  Got: ${determined}`,
    );
  }
  if (neg >= 0) sizes[neg] = inputSize - determined;
  return splitBySizesJob(value, axis, sizes);
}

export const splitVConfig: KernelConfig = {
  op: {
    name: "SplitV",
    inputs: ["value: T", "size_splits: Tlen", "split_dim: int32"],
    outputs: ["output: num_split * T"],
    attrs: ["num_split: int >= 1", "T: type", "Tlen: {int8, int32, int64} = DT_INT64"],
  },
  kernel: cpuKernel("SplitV", (c) => {
    const numSplit = getAttrInt(c.attrs, "num_split");
    return {
      compute(ctx) {
        const dim = ctx.input(2);
        if (dim.rank !== 0) throw invalidArgument(`split_dim must be a scalar but has rank ${dim.rank}`);
        return computeJobOutputs(ctx, splitVJob(ctx.input(0), ctx.input(1), scalarValue(dim), numSplit));
      },
    };
  }),
};
