// TF's BroadcastTo (core/kernels/broadcast_to_op.cc): broadcasts `input` to `shape` with numpy
// rules; the output size is checked before allocating.

import { broadcastStrides } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage, stridedCopy } from "./util/tensor-util.js";

export function broadcastTo(input: Tensor, shape: readonly number[]): Tensor {
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
  const n = numElements(shape);
  const out = allocIndexable(input.dtype, n, shape);
  stridedCopy(storage(input), broadcastStrides(input.shape, shape), 0, out, 0, shape, lanesOf(input.dtype));
  return new Tensor(input.dtype, shape, out as unknown as Tensor["data"]);
}

export const broadcastToConfig: KernelConfig = {
  op: {
    name: "BroadcastTo",
    inputs: ["input: T", "shape: Tidx"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tidx: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("BroadcastTo", (ctx) => {
    const s = ctx.input(1);
    if (s.rank !== 1) throw invalidArgument(`Shape must be rank 1 but is rank ${s.rank}`);
    ctx.setOutput(0, broadcastTo(ctx.input(0), readInts(s)));
  }),
};
