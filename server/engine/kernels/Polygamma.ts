// TF's Polygamma (core/kernels/cwise_op_polygamma.cc): ψ⁽ᵃ⁾(x), the a-th derivative of digamma,
// with broadcasting (NaN unless a is a non-negative integer). Digamma's gradient is
// Polygamma(1, x). The float kernel computes in float32 arithmetic, as TF's does.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { polygammaFloat, polygamma as polygammaScalar } from "./util/special-math.js";

const doubleFns: BinaryFns = { float: polygammaScalar };
const floatFns: BinaryFns = { float: polygammaFloat };

export function polygamma(a: Tensor, x: Tensor): Tensor {
  return runWhole(polygammaJob(a, x));
}

/** polygamma as an ElementJob (util/element-slices.ts). */
export function polygammaJob(a: Tensor, x: Tensor): ElementJob<Tensor> {
  return binaryJob("Polygamma", a, x, a.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const polygammaConfig: KernelConfig = {
  op: { name: "Polygamma", inputs: ["a: T", "x: T"], outputs: ["z: T"], attrs: ["T: {float, double}"] },
  kernel: cpuKernel("Polygamma", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, polygammaJob(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
