// TF's MatrixSolveLs on CPU (core/kernels/linalg/matrix_solve_ls_op_impl.h): least-squares
// solutions of A·X = B per innermost matrix pair. fast=true solves the (l2-regularised) normal
// equations with a Cholesky factorisation, the first kind (AᴴA + λI)·X = AᴴB when A has at least
// as many rows as columns, else the second kind X = Aᴴ·(AAᴴ + λI)⁻¹·B. fast=false is TF's complete
// orthogonal decomposition, computed here from Householder QR: the same least-squares (or, for
// wide A, minimum-norm) solution for full-rank A; a rank-deficient A may differ.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { lltFactor } from "./Cholesky.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  adjointOf,
  allocMatrices,
  type CMatrix,
  cmatrix,
  LINALG_KERNEL_TYPES,
  matrixValues,
  readMatrix,
  triangularSolveInPlace,
  writeMatrix,
} from "./linalg-util.js";
import { householderQr, qrQ } from "./Qr.js";
import { finish } from "./tensor-util.js";

/** a·b for complex matrices. */
function matmul(a: CMatrix, b: CMatrix): CMatrix {
  const c = cmatrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const xr = a.re[i * a.cols + k]!;
      const xi = a.im[i * a.cols + k]!;
      if (xr === 0 && xi === 0) continue;
      for (let j = 0; j < b.cols; j++) {
        const yr = b.re[k * b.cols + j]!;
        const yi = b.im[k * b.cols + j]!;
        c.re[i * b.cols + j] = c.re[i * b.cols + j]! + xr * yr - xi * yi;
        c.im[i * b.cols + j] = c.im[i * b.cols + j]! + xr * yi + xi * yr;
      }
    }
  }
  return c;
}

/** Solves L·Lᴴ·X = B in place of B. */
function cholSolve(l: CMatrix, b: CMatrix): void {
  triangularSolveInPlace(l, b, true);
  triangularSolveInPlace(adjointOf(l), b, false);
}

function fastSolve(a: CMatrix, b: CMatrix, l2: number): CMatrix {
  const tall = a.rows >= a.cols;
  const ah = adjointOf(a);
  const gram = tall ? matmul(ah, a) : matmul(a, ah);
  if (l2 > 0)
    for (let i = 0; i < gram.rows; i++) gram.re[i * gram.cols + i] = gram.re[i * gram.cols + i]! + l2;
  const l = lltFactor(gram);
  if (!l) {
    throw invalidArgument(
      "Input matrix was rank deficient or ill-conditioned. Try setting fast=False or provide " +
        (tall ? "a larger l2_regularizer > 0." : "an l2_regularizer > 0."),
    );
  }
  if (tall) {
    const x = matmul(ah, b);
    cholSolve(l, x);
    return x;
  }
  const z = cmatrix(b.rows, b.cols);
  z.re.set(b.re);
  z.im.set(b.im);
  cholSolve(l, z);
  return matmul(ah, z);
}

/** Least squares (tall A) or minimum norm (wide A) through Householder QR. */
function qrSolve(a: CMatrix, b: CMatrix): CMatrix {
  const tall = a.rows >= a.cols;
  const f = householderQr(tall ? a : adjointOf(a));
  const n = Math.min(a.rows, a.cols);
  const q = qrQ(f, n);
  const r = cmatrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      r.re[i * n + j] = f.a.re[i * f.a.cols + j]!;
      r.im[i * n + j] = f.a.im[i * f.a.cols + j]!;
    }
  }
  if (tall) {
    // R·X = Qᴴ·B
    const x = matmul(adjointOf(q), b);
    triangularSolveInPlace(r, x, false);
    return x;
  }
  // A = Rᴴ·Qᴴ: Rᴴ·Z = B, X = Q·Z.
  const z = cmatrix(b.rows, b.cols);
  z.re.set(b.re);
  z.im.set(b.im);
  triangularSolveInPlace(adjointOf(r), z, true);
  return matmul(q, z);
}

export function matrixSolveLs(matrix: Tensor, rhs: Tensor, l2T: Tensor, fast: boolean): Tensor {
  if (matrix.rank < 2) throw invalidArgument(`Input tensor 0 must have rank >= 2, got ${matrix.rank}`);
  if (rhs.rank !== matrix.rank) throw invalidArgument("All input tensors must have the same rank.");
  for (let d = 0; d < matrix.rank - 2; d++) {
    if (matrix.shape[d] !== rhs.shape[d]) {
      throw invalidArgument("All input tensors must have the same outer dimensions.");
    }
  }
  const rows = matrix.shape[matrix.rank - 2]!;
  const cols = matrix.shape[matrix.rank - 1]!;
  if (rhs.shape[rhs.rank - 2] !== rows) throw invalidArgument("Input matrix and rhs are incompatible.");
  if (l2T.rank !== 0)
    throw invalidArgument(`l2_regularizer must be scalar, got shape ${shapeString(l2T.shape)}`);
  const l2 = (l2T.data as Float64Array)[0]!;
  if (!(l2 >= 0)) throw invalidArgument("l2_regularizer must be >= 0.");
  const k = rhs.shape[rhs.rank - 1]!;
  const shape = [...matrix.shape.slice(0, -2), cols, k];
  const out = allocMatrices(rhs.dtype, shape);
  const av = matrixValues(matrix);
  const bv = matrixValues(rhs);
  const nBatch = matrix.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  for (let b = 0; b < nBatch; b++) {
    if (rows === 0 || cols === 0 || k === 0) continue; // zeros, as TF leaves them
    const a = readMatrix(matrix, av, b, rows, cols);
    const y = readMatrix(rhs, bv, b, rows, k);
    writeMatrix(rhs.dtype, out, b, fast ? fastSolve(a, y, l2) : qrSolve(a, y));
  }
  return finish(rhs.dtype, shape, out as unknown as Float32Array);
}

export const matrixSolveLsConfig: KernelConfig = {
  op: {
    name: "MatrixSolveLs",
    inputs: ["matrix: T", "rhs: T", "l2_regularizer: double"],
    outputs: ["output: T"],
    attrs: ["T: {double, float, half, complex64, complex128}", "fast: bool = true"],
  },
  kernel: cpuKernel("MatrixSolveLs", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    const fast = getAttrBool(c.attrs, "fast");
    return {
      compute: (ctx) => ctx.setOutput(0, matrixSolveLs(ctx.input(0), ctx.input(1), ctx.input(2), fast)),
    };
  }),
};
