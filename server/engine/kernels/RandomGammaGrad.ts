// TF's RandomGammaGrad (core/kernels/cwise_op_random_grad.cc): ∂sample/∂alpha for Gamma(alpha, 1) samples (the implicit reparameterization gradient of tf.random.gamma), element-wise with broadcasting. TF's float kernel
// computes in float32 arithmetic (special-gamma.ts follows it); TF has no half or bfloat16 kernel.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { DOUBLE_ARITH, FLOAT_ARITH, gammaSampleDerAlpha } from "./util/special-gamma.js";

const doubleFns: BinaryFns = { float: (a, x) => gammaSampleDerAlpha(a, x, DOUBLE_ARITH) };
const floatFns: BinaryFns = { float: (a, x) => gammaSampleDerAlpha(a, x, FLOAT_ARITH) };

export function randomGammaGrad(a: Tensor, x: Tensor): Tensor {
  return runWhole(randomGammaGradJob(a, x));
}

/** randomGammaGrad as an ElementJob (util/element-slices.ts). */
export function randomGammaGradJob(a: Tensor, x: Tensor): ElementJob<Tensor> {
  return binaryJob("RandomGammaGrad", a, x, a.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const randomGammaGradConfig: KernelConfig = {
  op: {
    name: "RandomGammaGrad",
    inputs: ["alpha: T", "sample: T"],
    outputs: ["output: T"],
    attrs: ["T: {float, double}"],
  },
  kernel: cpuKernel("RandomGammaGrad", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, randomGammaGradJob(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
