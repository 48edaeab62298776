// TF's Erfc (core/kernels/cwise_op_erfc.cc): the complementary error function 1 - erf(x),
// element-wise.
//
// For |x| > 1 TF's kernels (Eigen's erfc) evaluate exp(-x²) and flush results below the smallest
// normal number to zero (erfc(10) is 0 in float, erfc(27) 0 in double; observed with TF 2.21).
// The float kernel (also used for half and bfloat16) takes exp of the float32-rounded x², whose
// rounding error is up to x²·2⁻²⁴ relative — about 60 ulp of the result near x = 9 — so tfgate
// applies the same rounding: erfc(x)·exp(x² - fl(x²)) for x > 1 (for x < -1 the result is 2 - that
// term, where the error vanishes).

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type UnaryFns, unaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { erfc as erfcScalar } from "./util/special-math.js";

const MIN_NORMAL_FLOAT = 2 ** -126;
const MIN_NORMAL_DOUBLE = 2 ** -1022;

const floatFns: UnaryFns = {
  float: (x) => {
    let r = erfcScalar(x);
    if (x > 1 && Number.isFinite(x)) r *= Math.exp(x * x - Math.fround(x * x));
    return Math.abs(r) < MIN_NORMAL_FLOAT ? 0 : r;
  },
};
const doubleFns: UnaryFns = {
  float: (x) => {
    const r = erfcScalar(x);
    return Math.abs(r) < MIN_NORMAL_DOUBLE ? 0 : r;
  },
};

export function erfc(x: Tensor): Tensor {
  return runWhole(erfcJob(x));
}

/** erfc as an ElementJob (util/element-slices.ts). */
export function erfcJob(x: Tensor): ElementJob<Tensor> {
  return unaryJob("Erfc", x, x.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const erfcConfig: KernelConfig = {
  op: { name: "Erfc", inputs: ["x: T"], outputs: ["y: T"], attrs: ["T: {bfloat16, half, float, double}"] },
  kernel: cpuKernel("Erfc", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, erfcJob(ctx.input(0)));
      },
    };
  }),
};
