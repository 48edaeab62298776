// TF's Zeta (core/kernels/cwise_op_zeta.cc): the Hurwitz zeta function ζ(x, q) = Σₖ (k + q)^-x,
// with broadcasting (Polygamma's building block). The float kernel computes in float32
// arithmetic, as TF's does.

import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { zetaFloat, zeta as zetaScalar } from "./util/special-math.js";

const doubleFns: BinaryFns = { float: zetaScalar };
const floatFns: BinaryFns = { float: zetaFloat };

export function zeta(x: Tensor, q: Tensor): Tensor {
  return runWhole(zetaJob(x, q));
}

/** zeta as an ElementJob (util/element-slices.ts). */
export function zetaJob(x: Tensor, q: Tensor): ElementJob<Tensor> {
  return binaryJob("Zeta", x, q, x.dtype === DataType.DT_DOUBLE ? doubleFns : floatFns);
}

export const zetaConfig: KernelConfig = {
  op: { name: "Zeta", inputs: ["x: T", "q: T"], outputs: ["z: T"], attrs: ["T: {float, double}"] },
  kernel: cpuKernel("Zeta", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, zetaJob(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
