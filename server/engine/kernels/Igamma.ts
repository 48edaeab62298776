// TF's Igamma (core/kernels/cwise_op_igammas.cc): the regularized lower incomplete gamma function P(a, x), element-wise with broadcasting. TF's float kernel
// computes in float32 arithmetic (special-gamma.ts follows it); TF has no half or bfloat16 kernel.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { DOUBLE_ARITH, FLOAT_ARITH, igamma } from "./util/special-gamma.js";

const doubleFns: BinaryFns = { float: (a, x) => igamma(a, x, DOUBLE_ARITH) };
const floatFns: BinaryFns = { float: (a, x) => igamma(a, x, FLOAT_ARITH) };

export function igammaOp(a: Tensor, x: Tensor): Tensor {
  return runWhole(igammaOpJob(a, x));
}

/** igammaOp as an ElementJob (util/element-slices.ts). */
export function igammaOpJob(a: Tensor, x: Tensor): ElementJob<Tensor> {
  return binaryJob("Igamma", a, x, a.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const igammaOpConfig: KernelConfig = {
  op: {
    name: "Igamma",
    inputs: ["a: T", "x: T"],
    outputs: ["z: T"],
    attrs: ["T: {bfloat16, half, float, double}"],
  },
  kernel: cpuKernel("Igamma", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, igammaOpJob(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
