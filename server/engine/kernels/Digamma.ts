// TF's Digamma (core/kernels/cwise_op_digamma.cc): ψ(x), the derivative of log Γ, element-wise.
// TF's float and half kernels compute in float32 arithmetic (Eigen's digamma<float>), which
// special-math.ts's digammaFloat reproduces; TF has no bfloat16 kernel.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type UnaryFns, unaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { digammaFloat, digamma as digammaScalar } from "./util/special-math.js";

const doubleFns: UnaryFns = { float: digammaScalar };
const floatFns: UnaryFns = { float: digammaFloat };

export function digamma(x: Tensor): Tensor {
  return runWhole(digammaJob(x));
}

/** digamma as an ElementJob (util/element-slices.ts). */
export function digammaJob(x: Tensor): ElementJob<Tensor> {
  return unaryJob("Digamma", x, x.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const digammaConfig: KernelConfig = {
  op: { name: "Digamma", inputs: ["x: T"], outputs: ["y: T"], attrs: ["T: {bfloat16, half, float, double}"] },
  kernel: cpuKernel("Digamma", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.half]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, digammaJob(ctx.input(0)));
      },
    };
  }),
};
