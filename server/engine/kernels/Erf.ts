// TF's Erf (core/kernels/cwise_op_erf.cc): the error function, element-wise.
//
// TF's double kernel (Eigen's erf for |x| > 1: 1 - erfc(x) from exp(-x²) and x² split into two
// doubles) returns NaN once x² overflows, so erf(±inf) and erf(±1e300) are NaN in TF 2.21
// (observed); tfgate returns the same.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type UnaryFns, unaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { erf as erfScalar } from "./util/special-math.js";

const floatFns: UnaryFns = { float: erfScalar };
const doubleFns: UnaryFns = { float: (x) => (x * x === Infinity ? Number.NaN : erfScalar(x)) };

export function erf(x: Tensor): Tensor {
  return runWhole(erfJob(x));
}

/** erf as an ElementJob (util/element-slices.ts). */
export function erfJob(x: Tensor): ElementJob<Tensor> {
  return unaryJob("Erf", x, x.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const erfConfig: KernelConfig = {
  op: { name: "Erf", inputs: ["x: T"], outputs: ["y: T"], attrs: ["T: {bfloat16, half, float, double}"] },
  kernel: cpuKernel("Erf", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, erfJob(ctx.input(0)));
      },
    };
  }),
};
