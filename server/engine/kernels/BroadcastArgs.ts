// TF's BroadcastArgs (core/kernels/bcast_ops.cc, BCastArgsOp): the shape two shapes broadcast to
// (tf.broadcast_dynamic_shape), or TF's "Incompatible shapes" error.

import { broadcastShapes } from "../framework/bcast.js";
import { checkShapeVectors } from "./BroadcastGradientArgs.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { intVector, readInts } from "./util/tensor-util.js";

export const broadcastArgsConfig: KernelConfig = {
  op: {
    name: "BroadcastArgs",
    inputs: ["s0: T", "s1: T"],
    outputs: ["r0: T"],
    attrs: ["T: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("BroadcastArgs", (ctx) => {
    const s0 = ctx.input(0);
    const s1 = ctx.input(1);
    checkShapeVectors(s0, s1);
    ctx.setOutput(0, intVector(s0.dtype, broadcastShapes(readInts(s0), readInts(s1))));
  }),
};
