// TF's Cholesky (core/kernels/linalg/cholesky_op.cc): the lower-triangular L with A = L·Lᴴ for each
// matrix of a batch, reading only A's lower triangle (Eigen's LLT). TF 2.21 does not fail on a
// matrix that is not positive definite: it fills the lower triangle with Eigen's quiet NaN, which
// is NaN for real dtypes and 0 for complex ones, and leaves the upper triangle uninitialized (we
// write zeros there).

import type { Tensor } from "../framework/tensor.js";
import { isComplexType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  choleskyLower,
  cubicWork,
  MatrixOutput,
  matrixSource,
  readMatrix,
  singleSquareMatrix,
  zeroMat,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

function nanLower(n: number, complex: boolean) {
  const m = zeroMat(n, n);
  if (complex) return m;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) m.re[i * n + j] = Number.NaN;
  }
  return m;
}

export function cholesky(input: Tensor): Tensor {
  return drainSync(choleskySlices(input));
}

/** cholesky in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* choleskySlices(input: Tensor, pace = new Pace()): Slices<Tensor> {
  const { count, rows: n } = singleSquareMatrix(input);
  const src = matrixSource(input);
  const out = new MatrixOutput(input.dtype, input.shape);
  for (let b = 0; b < count && n > 0; b++) {
    const l = yield* choleskyLower(readMatrix(src, b, n, n), pace);
    out.write(b, l ?? nanLower(n, isComplexType(input.dtype)));
    if (pace.due(n * n)) yield;
  }
  return out.tensor();
}

export const choleskyConfig: KernelConfig = {
  op: {
    name: "Cholesky",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("Cholesky", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.complex64, T.complex128]);
    return {
      compute: (ctx) =>
        pacedCompute(ctx, cubicWork(ctx.input(0)) / 3, function* () {
          return [yield* choleskySlices(ctx.input(0))];
        }),
    };
  }),
};
