// TF's MatrixSolve (core/kernels/linalg/matrix_solve_op.cc): X with A·X = B (or Aᴴ·X = B with
// adjoint) for each matrix pair of a batch, through a partially pivoted LU factorization of A. An
// exactly zero pivot is TF's INVALID_ARGUMENT "Input matrix is not invertible.".

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  adjointMat,
  cubicWork,
  luDecompose,
  luSolve,
  MatrixOutput,
  matrixSource,
  minAbsPivot,
  readMatrix,
  squareSolver,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

export function matrixSolve(matrix: Tensor, rhs: Tensor, adjoint: boolean): Tensor {
  return drainSync(matrixSolveSlices(matrix, rhs, adjoint));
}

/** matrixSolve in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* matrixSolveSlices(
  matrix: Tensor,
  rhs: Tensor,
  adjoint: boolean,
  pace = new Pace(),
): Slices<Tensor> {
  const [a, b] = squareSolver(matrix, rhs);
  const out = new MatrixOutput(rhs.dtype, rhs.shape);
  if (a.rows === 0 || b.cols === 0) return out.tensor();
  const ms = matrixSource(matrix);
  const rs = matrixSource(rhs);
  for (let k = 0; k < a.count; k++) {
    const m = readMatrix(ms, k, a.rows, a.cols);
    const lu = yield* luDecompose(adjoint ? adjointMat(m) : m, pace);
    if (!(minAbsPivot(lu) > 0)) throw invalidArgument("Input matrix is not invertible.");
    out.write(k, yield* luSolve(lu, readMatrix(rs, k, b.rows, b.cols), pace));
    if (pace.due(a.rows * (a.rows + b.cols))) yield;
  }
  return out.tensor();
}

export const matrixSolveConfig: KernelConfig = {
  op: {
    name: "MatrixSolve",
    inputs: ["matrix: T", "rhs: T"],
    outputs: ["output: T"],
    attrs: ["adjoint: bool = false", "T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("MatrixSolve", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.complex64, T.complex128]);
    const adjoint = getAttrBool(c.attrs, "adjoint");
    return {
      compute: (ctx) =>
        pacedCompute(ctx, cubicWork(ctx.input(0)) + cubicWork(ctx.input(1)), function* () {
          return [yield* matrixSolveSlices(ctx.input(0), ctx.input(1), adjoint)];
        }),
    };
  }),
};
