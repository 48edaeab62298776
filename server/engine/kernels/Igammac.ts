// TF's Igammac (core/kernels/cwise_op_igammas.cc): the regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), element-wise with broadcasting. TF's float kernel
// computes in float32 arithmetic (special-gamma.ts follows it); TF has no half or bfloat16 kernel.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { DOUBLE_ARITH, FLOAT_ARITH, igammac } from "./util/special-gamma.js";

const doubleFns: BinaryFns = { float: (a, x) => igammac(a, x, DOUBLE_ARITH) };
const floatFns: BinaryFns = { float: (a, x) => igammac(a, x, FLOAT_ARITH) };

export function igammacOp(a: Tensor, x: Tensor): Tensor {
  return runWhole(igammacOpJob(a, x));
}

/** igammacOp as an ElementJob (util/element-slices.ts). */
export function igammacOpJob(a: Tensor, x: Tensor): ElementJob<Tensor> {
  return binaryJob("Igammac", a, x, a.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const igammacOpConfig: KernelConfig = {
  op: {
    name: "Igammac",
    inputs: ["a: T", "x: T"],
    outputs: ["z: T"],
    attrs: ["T: {bfloat16, half, float, double}"],
  },
  kernel: cpuKernel("Igammac", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, igammacOpJob(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
