// TF's MatrixInverse (core/kernels/linalg/matrix_inverse_op.cc): the inverse (or, with adjoint, the
// inverse of the conjugate transpose) of each matrix of a batch, through a partially pivoted LU
// factorization. An exactly zero pivot is TF's INVALID_ARGUMENT "Input is not invertible."; the
// half kernel computes in float32 in TF and in float64 here.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  adjointMat,
  cubicWork,
  identityMat,
  luDecompose,
  luSolve,
  MatrixOutput,
  matrixSource,
  minAbsPivot,
  readMatrix,
  singleSquareMatrix,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

export function matrixInverse(input: Tensor, adjoint: boolean): Tensor {
  return drainSync(matrixInverseSlices(input, adjoint));
}

/** matrixInverse in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* matrixInverseSlices(input: Tensor, adjoint: boolean, pace = new Pace()): Slices<Tensor> {
  const { count, rows: n } = singleSquareMatrix(input);
  const src = matrixSource(input);
  const out = new MatrixOutput(input.dtype, input.shape);
  if (n === 0) return out.tensor();
  for (let b = 0; b < count; b++) {
    const a = readMatrix(src, b, n, n);
    const lu = yield* luDecompose(adjoint ? adjointMat(a) : a, pace);
    if (!(minAbsPivot(lu) > 0)) throw invalidArgument("Input is not invertible.");
    out.write(b, yield* luSolve(lu, identityMat(n), pace));
    if (pace.due(n * n)) yield;
  }
  return out.tensor();
}

export const matrixInverseConfig: KernelConfig = {
  op: {
    name: "MatrixInverse",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["adjoint: bool = false", "T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("MatrixInverse", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float, T.double, T.complex64, T.complex128]);
    const adjoint = getAttrBool(c.attrs, "adjoint");
    return {
      compute: (ctx) =>
        pacedCompute(ctx, cubicWork(ctx.input(0)), function* () {
          return [yield* matrixInverseSlices(ctx.input(0), adjoint)];
        }),
    };
  }),
};
