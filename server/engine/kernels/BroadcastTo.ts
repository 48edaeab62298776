// TF's BroadcastTo (core/kernels/broadcast_to_op.cc): broadcasts `input` to `shape` with numpy
// rules; the output size is checked before allocating.

import { broadcastStrides } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole, stridedCopyJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function broadcastTo(input: Tensor, shape: readonly number[]): Tensor {
  return runWhole(broadcastToJob(input, shape));
}

/** broadcastTo as an ElementJob (util/element-slices.ts): allocated now, copied whole or in slices. */
export function broadcastToJob(input: Tensor, shape: readonly number[]): ElementJob<Tensor> {
  for (const d of shape) if (d < 0) throw invalidArgument(`Dimension ${d} must be >= 0`);
  if (input.rank > shape.length) {
    throw invalidArgument(
      `Rank of input (${input.rank}) must be no greater than rank of output shape (${shape.length}).`,
    );
  }
  const lead = shape.length - input.rank;
  for (let i = 0; i < input.rank; i++) {
    const a = input.shape[i]!;
    const b = shape[lead + i]!;
    if (a !== b && a !== 1) {
      throw invalidArgument(`Incompatible shapes: ${shapeString(input.shape)} vs. ${shapeString(shape)}`);
    }
  }
  return stridedCopyJob(input, broadcastStrides(input.shape, shape), 0, shape);
}

export const broadcastToConfig: KernelConfig = {
  op: {
    name: "BroadcastTo",
    inputs: ["input: T", "shape: Tidx"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tidx: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("BroadcastTo", () => ({
    compute(ctx) {
      const s = ctx.input(1);
      if (s.rank !== 1) throw invalidArgument(`Shape must be rank 1 but is rank ${s.rank}`);
      return computeJob(ctx, broadcastToJob(ctx.input(0), readInts(s)));
    },
  })),
};
