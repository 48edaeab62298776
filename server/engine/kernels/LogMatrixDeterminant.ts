// TF's LogMatrixDeterminant (core/kernels/linalg/determinant_op.cc): per matrix of a batch, the
// sign (a unit complex number for complex input; 0 for a singular matrix) and log|det|, from the
// same partially pivoted LU factorization as MatrixDeterminant.

import type { Tensor } from "../framework/tensor.js";
import { DETERMINANT_TYPES, slogdet } from "./MatrixDeterminant.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { cubicWork, MatrixOutput } from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

export function logMatrixDeterminant(input: Tensor): [Tensor, Tensor] {
  return drainSync(logMatrixDeterminantSlices(input));
}

/** logMatrixDeterminant in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* logMatrixDeterminantSlices(input: Tensor, pace = new Pace()): Slices<[Tensor, Tensor]> {
  const d = yield* slogdet(input, pace);
  const sign = new MatrixOutput(input.dtype, d.batchShape);
  const logAbs = new MatrixOutput(input.dtype, d.batchShape);
  d.logAbs.forEach((l, b) => {
    sign.writeScalar(b, d.signRe[b]!, d.signIm[b]!);
    logAbs.writeScalar(b, l, 0);
  });
  return [sign.tensor(), logAbs.tensor()];
}

export const logMatrixDeterminantConfig: KernelConfig = {
  op: {
    name: "LogMatrixDeterminant",
    inputs: ["input: T"],
    outputs: ["sign: T", "log_abs_determinant: T"],
    attrs: ["T: {half, float, double, complex64, complex128}"],
  },
  kernel: cpuKernel("LogMatrixDeterminant", (c) => {
    checkTypeConstraint(c, "T", DETERMINANT_TYPES);
    return {
      compute: (ctx) =>
        pacedCompute(ctx, cubicWork(ctx.input(0)), () => logMatrixDeterminantSlices(ctx.input(0))),
    };
  }),
};
