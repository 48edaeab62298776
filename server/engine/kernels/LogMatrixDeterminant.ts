// TF's LogMatrixDeterminant (core/kernels/linalg/determinant_op.cc): per matrix of a batch, the
// sign (a unit complex number for complex input; 0 for a singular matrix) and log|det|, from the
// same partially pivoted LU factorization as MatrixDeterminant.

import type { Tensor } from "../framework/tensor.js";
import { DETERMINANT_TYPES, slogdet } from "./MatrixDeterminant.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { MatrixOutput } from "./util/linalg.js";

export function logMatrixDeterminant(input: Tensor): [Tensor, Tensor] {
  const d = slogdet(input);
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
      compute(ctx) {
        const [s, l] = logMatrixDeterminant(ctx.input(0));
        ctx.setOutput(0, s);
        ctx.setOutput(1, l);
      },
    };
  }),
};
