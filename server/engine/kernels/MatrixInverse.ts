// TF's MatrixInverse on CPU (core/kernels/linalg/matrix_inverse_op.cc): the inverse (of the
// adjoint, when `adjoint`) of each innermost matrix from Eigen's partial-pivoting LU; an exactly
// zero pivot is "not invertible".

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  adjointOf,
  hasZeroPivot,
  identity,
  LINALG_KERNEL_TYPES,
  luInPlace,
  luSolve,
  mapSquareMatrices,
} from "./linalg-util.js";

export function matrixInverse(input: Tensor, adjoint: boolean): Tensor {
  return mapSquareMatrices(
    input,
    (n) => [n, n],
    (m) => {
      const a = adjoint ? adjointOf(m) : m;
      if (a.rows === 0) return a;
      const { perm } = luInPlace(a);
      if (hasZeroPivot(a)) throw invalidArgument("Input is not invertible.");
      return luSolve(a, perm, identity(a.rows));
    },
  );
}

export const matrixInverseConfig: KernelConfig = {
  op: {
    name: "MatrixInverse",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["adjoint: bool = false", "T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("MatrixInverse", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    const adjoint = getAttrBool(c.attrs, "adjoint");
    return { compute: (ctx) => ctx.setOutput(0, matrixInverse(ctx.input(0), adjoint)) };
  }),
};
