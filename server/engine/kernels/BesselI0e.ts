// TF's BesselI0e (core/kernels/cwise_op_bessel.cc): exp(-|x|)·I0(x), the exponentially scaled
// modified Bessel function of the first kind of order 0, element-wise (Cephes' Chebyshev
// expansions, as Eigen evaluates them; float32 arithmetic for the float and half kernels; TF has no
// bfloat16 kernel).

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type UnaryFns, unaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { DOUBLE_ARITH, FLOAT_ARITH, besselI0e as scalar } from "./util/special-gamma.js";

const doubleFns: UnaryFns = { float: (x) => scalar(x, DOUBLE_ARITH) };
const floatFns: UnaryFns = { float: (x) => scalar(x, FLOAT_ARITH) };

export function besselI0e(x: Tensor): Tensor {
  return runWhole(besselI0eJob(x));
}

/** besselI0e as an ElementJob (util/element-slices.ts). */
export function besselI0eJob(x: Tensor): ElementJob<Tensor> {
  return unaryJob("BesselI0e", x, x.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const besselI0eConfig: KernelConfig = {
  op: {
    name: "BesselI0e",
    inputs: ["x: T"],
    outputs: ["y: T"],
    attrs: ["T: {bfloat16, half, float, double}"],
  },
  kernel: cpuKernel("BesselI0e", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float, T.double]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, besselI0eJob(ctx.input(0)));
      },
    };
  }),
};
