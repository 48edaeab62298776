// TF's MatrixSolve on CPU (core/kernels/linalg/matrix_solve_op.cc): X with A·X = B (Aᴴ·X = B when
// `adjoint`) for each innermost matrix pair, from Eigen's partial-pivoting LU; an exactly zero
// pivot is "not invertible".

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  adjointOf,
  allocMatrices,
  cmatrix,
  hasZeroPivot,
  LINALG_KERNEL_TYPES,
  luInPlace,
  luSolve,
  matrixValues,
  readMatrix,
  writeMatrix,
} from "./linalg-util.js";
import { finish } from "./tensor-util.js";

/** LinearAlgebraOp's checks for two inputs with equal batch dimensions. */
function checkPair(a: Tensor, b: Tensor): void {
  if (a.rank < 2) throw invalidArgument(`Input tensor 0 must have rank >= 2, got ${a.rank}`);
  if (b.rank !== a.rank) throw invalidArgument("All input tensors must have the same rank.");
  for (let d = 0; d < a.rank - 2; d++) {
    if (a.shape[d] !== b.shape[d])
      throw invalidArgument("All input tensors must have the same outer dimensions.");
  }
  const n = a.shape[a.rank - 1]!;
  if (a.shape[a.rank - 2] !== n) throw invalidArgument("First input (lhs) must be a square matrix.");
  if (b.shape[b.rank - 2] !== n) throw invalidArgument("Input matrix and rhs are incompatible.");
}

export function matrixSolve(matrix: Tensor, rhs: Tensor, adjoint: boolean): Tensor {
  checkPair(matrix, rhs);
  const n = matrix.shape[matrix.rank - 1]!;
  const k = rhs.shape[rhs.rank - 1]!;
  const out = allocMatrices(rhs.dtype, rhs.shape);
  const av = matrixValues(matrix);
  const bv = matrixValues(rhs);
  const nBatch = matrix.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  for (let b = 0; b < nBatch; b++) {
    if (n === 0 || k === 0) continue;
    const m = readMatrix(matrix, av, b, n, n);
    const a = adjoint ? adjointOf(m) : m;
    const { perm } = luInPlace(a);
    if (hasZeroPivot(a)) throw invalidArgument("Input matrix is not invertible.");
    const x = luSolve(a, perm, readMatrix(rhs, bv, b, n, k));
    writeMatrix(rhs.dtype, out, b, n === 0 ? cmatrix(0, k) : x);
  }
  return finish(rhs.dtype, rhs.shape, out as unknown as Float32Array);
}

export const matrixSolveConfig: KernelConfig = {
  op: {
    name: "MatrixSolve",
    inputs: ["matrix: T", "rhs: T"],
    outputs: ["output: T"],
    attrs: ["adjoint: bool = false", "T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("MatrixSolve", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    const adjoint = getAttrBool(c.attrs, "adjoint");
    return { compute: (ctx) => ctx.setOutput(0, matrixSolve(ctx.input(0), ctx.input(1), adjoint)) };
  }),
};
