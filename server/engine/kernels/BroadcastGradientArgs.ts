// TF's BroadcastGradientArgs (core/kernels/bcast_ops.cc): for gradients of broadcasting ops, the
// dimensions each input must be summed over.

import { broadcastGradientArgs } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { intVector, readInts } from "./util/tensor-util.js";

/** Both shape inputs of BroadcastArgs / BroadcastGradientArgs must be vectors (TF's text). */
export function checkShapeVectors(...shapes: readonly Tensor[]): void {
  shapes.forEach((s, i) => {
    if (s.rank !== 1) throw invalidArgument(`In[${i}] must be a vector.${shapeString(s.shape)}`);
  });
}

export const broadcastGradientArgsConfig: KernelConfig = {
  op: {
    name: "BroadcastGradientArgs",
    inputs: ["s0: T", "s1: T"],
    outputs: ["r0: T", "r1: T"],
    attrs: ["T: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("BroadcastGradientArgs", (ctx) => {
    const s0 = ctx.input(0);
    const s1 = ctx.input(1);
    checkShapeVectors(s0, s1);
    const [r0, r1] = broadcastGradientArgs(readInts(s0), readInts(s1));
    ctx.setOutput(0, intVector(s0.dtype, r0));
    ctx.setOutput(1, intVector(s0.dtype, r1));
  }),
};
