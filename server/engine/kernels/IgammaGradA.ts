// TF's IgammaGradA (core/kernels/cwise_op_igammas.cc): ∂P(a, x)/∂a, the gradient tf.math.igamma's autodiff emits for a, element-wise with broadcasting. TF's float kernel
// computes in float32 arithmetic (special-gamma.ts follows it); TF has no half or bfloat16 kernel.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { DOUBLE_ARITH, FLOAT_ARITH, igammaDerA } from "./util/special-gamma.js";

const doubleFns: BinaryFns = { float: (a, x) => igammaDerA(a, x, DOUBLE_ARITH) };
const floatFns: BinaryFns = { float: (a, x) => igammaDerA(a, x, FLOAT_ARITH) };

export function igammaGradA(a: Tensor, x: Tensor): Tensor {
  return runWhole(igammaGradAJob(a, x));
}

/** igammaGradA as an ElementJob (util/element-slices.ts). */
export function igammaGradAJob(a: Tensor, x: Tensor): ElementJob<Tensor> {
  return binaryJob("IgammaGradA", a, x, a.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const igammaGradAConfig: KernelConfig = {
  op: { name: "IgammaGradA", inputs: ["a: T", "x: T"], outputs: ["z: T"], attrs: ["T: {float, double}"] },
  kernel: cpuKernel("IgammaGradA", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, igammaGradAJob(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
