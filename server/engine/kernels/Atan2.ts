// TF's Atan2 (core/kernels/cwise_op_atan2.cc): the angle of (x, y), i.e. atan(y / x) in the right
// quadrant, with broadcasting. The op's inputs are named y, x (in that order).

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";

export const atan2Fns: BinaryFns = { float: Math.atan2, floatExpr: "Math.atan2(a, b)" };

export function atan2(y: Tensor, x: Tensor): Tensor {
  return runWhole(atan2Job(y, x));
}

/** atan2 as an ElementJob (util/element-slices.ts). */
export function atan2Job(y: Tensor, x: Tensor): ElementJob<Tensor> {
  return binaryJob("Atan2", y, x, atan2Fns);
}

export const atan2Config: KernelConfig = {
  op: {
    name: "Atan2",
    inputs: ["y: T", "x: T"],
    outputs: ["z: T"],
    attrs: ["T: {bfloat16, half, float, double}"],
  },
  kernel: cpuKernel("Atan2", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, atan2Job(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
