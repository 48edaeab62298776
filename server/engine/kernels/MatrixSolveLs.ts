// TF's MatrixSolveLs (core/kernels/linalg/matrix_solve_ls_op_impl.h): least-squares solutions of
// A·X = B for each matrix pair of a batch, with an optional L2 regularizer. The fast path solves the
// normal equations (AᴴA + λI)X = AᴴB (or, for wide A, X = Aᴴ(AAᴴ + λI)⁻¹B) by Cholesky, as TF does,
// and fails like TF when the Gramian is not positive definite. fast=false is TF's minimum-norm
// solution of a possibly rank-deficient system (a complete orthogonal decomposition in TF); here it
// comes from the SVD pseudo-inverse (real dtypes), which is the same solution up to rounding.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { isComplexType } from "../framework/types.js";
import { realSvd } from "./Svd.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  adjointMat,
  analyzeInputs,
  choleskyLower,
  cubicWork,
  type Mat,
  type MatrixBatch,
  MatrixOutput,
  matMul,
  matrixSource,
  readMatrix,
  substitute,
  zeroMat,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

function* choleskySolve(g: Mat, b: Mat, message: string, pace: Pace): Slices<Mat> {
  const l = yield* choleskyLower(g, pace);
  if (!l) throw invalidArgument(message);
  const x = { rows: b.rows, cols: b.cols, re: b.re.slice(), im: b.im.slice() };
  yield* substitute(l, x, true, false, false, pace);
  yield* substitute(adjointMat(l), x, false, false, false, pace);
  return x;
}

function regularize(g: Mat, l2: number): Mat {
  if (l2 > 0) for (let i = 0; i < g.rows; i++) g.re[i * g.cols + i]! += l2;
  return g;
}

function* fastSolve(a: Mat, b: Mat, l2: number, pace: Pace): Slices<Mat> {
  if (a.rows >= a.cols) {
    const g = regularize(yield* matMul(a, a, true, pace), l2);
    return yield* choleskySolve(
      g,
      yield* matMul(a, b, true, pace),
      "Input matrix was rank deficient or ill-conditioned. Try setting fast=False or provide a larger l2_regularizer > 0.",
      pace,
    );
  }
  const g = regularize(yield* matMul(a, adjointMat(a), false, pace), l2);
  const z = yield* choleskySolve(
    g,
    b,
    "Input matrix was rank deficient or ill-conditioned. Try setting fast=False or provide an l2_regularizer > 0.",
    pace,
  );
  return yield* matMul(a, z, true, pace);
}

/** The minimum-norm least-squares solution through the SVD (singular values below the rank
 * threshold of a rank-revealing factorization treated as zero). */
function* minNormSolve(a: Mat, b: Mat, pace: Pace): Slices<Mat> {
  const { s, u, v } = yield* realSvd(a, false, pace);
  const p = s.length;
  const tol = (s[0] ?? 0) * Number.EPSILON * Math.max(a.rows, a.cols);
  const utb = yield* matMul(u, b, true, pace);
  const scaled = zeroMat(p, b.cols);
  for (let i = 0; i < p; i++) {
    const inv = s[i]! > tol ? 1 / s[i]! : 0;
    for (let j = 0; j < b.cols; j++) scaled.re[i * b.cols + j] = utb.re[i * b.cols + j]! * inv;
  }
  return yield* matMul(v, scaled, false, pace);
}

export function matrixSolveLs(matrix: Tensor, rhs: Tensor, l2: Tensor, fast: boolean): Tensor {
  return drainSync(matrixSolveLsSlices(matrix, rhs, l2, fast));
}

/** matrixSolveLs in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* matrixSolveLsSlices(
  matrix: Tensor,
  rhs: Tensor,
  l2: Tensor,
  fast: boolean,
  pace = new Pace(),
): Slices<Tensor> {
  const [a, b] = analyzeInputs([matrix, rhs]) as [MatrixBatch, MatrixBatch];
  if (a.rows !== b.rows) throw invalidArgument("Input matrix and rhs are incompatible.");
  const out = new MatrixOutput(matrix.dtype, [...a.batchShape, a.cols, b.cols]);
  const ms = matrixSource(matrix);
  const rs = matrixSource(rhs);
  for (let k = 0; k < a.count; k++) {
    if (l2.shape.length !== 0) {
      throw invalidArgument(`l2_regularizer must be scalar, got shape ${shapeString(l2.shape)}`);
    }
    const lambda = (l2.data as Float64Array)[0]!;
    if (!(lambda >= 0)) throw invalidArgument("l2_regularizer must be >= 0.");
    if (a.rows === 0 || a.cols === 0 || b.cols === 0) continue;
    const am = readMatrix(ms, k, a.rows, a.cols);
    const bm = readMatrix(rs, k, b.rows, b.cols);
    const x =
      fast || isComplexType(matrix.dtype)
        ? yield* fastSolve(am, bm, lambda, pace)
        : yield* minNormSolve(am, bm, pace);
    out.write(k, x);
    if (pace.due(a.rows * (a.cols + b.cols))) yield;
  }
  return out.tensor();
}

export const matrixSolveLsConfig: KernelConfig = {
  op: {
    name: "MatrixSolveLs",
    inputs: ["matrix: T", "rhs: T", "l2_regularizer: double"],
    outputs: ["output: T"],
    attrs: ["T: {double, float, half, complex64, complex128}", "fast: bool = true"],
  },
  kernel: cpuKernel("MatrixSolveLs", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.complex64, T.complex128]);
    const fast = getAttrBool(c.attrs, "fast");
    return {
      compute: (ctx) =>
        // the SVD path's sweeps make it several times the normal equations' work
        pacedCompute(ctx, (fast ? 1 : 8) * cubicWork(ctx.input(0)) + cubicWork(ctx.input(1)), function* () {
          return [yield* matrixSolveLsSlices(ctx.input(0), ctx.input(1), ctx.input(2), fast)];
        }),
    };
  }),
};
