// TF's SelfAdjointEigV2 (core/kernels/linalg/self_adjoint_eig_v2_op_impl.h): the eigenvalues, in
// ascending order, and (with compute_v) the unit eigenvectors as columns of each self-adjoint
// matrix of a batch, reading only its lower triangle. Without compute_v, TF 2.21 allocates v as an
// uninitialized scalar; we output a scalar 0.
//
// TF uses Eigen's SelfAdjointEigenSolver (tridiagonalization and implicit QR); this is the cyclic
// Jacobi method in float64 (on the real embedding of a complex Hermitian matrix), which gives the
// same eigenvalues to rounding. Each eigenvector is only defined up to sign (a unit phase for
// complex data; for repeated eigenvalues, up to a rotation within its eigenspace), so vectors can
// differ from TF's by those symmetries; V·diag(e)·Vᴴ reconstructs the input either way. Complex
// eigenvalues come out in the complex dtype with zero imaginary parts, as in TF.
// Non-finite input fails like Eigen's solver does on it, with TF's INVALID_ARGUMENT.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { isComplexType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./kernel-config.js";
import {
  type CVec,
  completeComplexBasis,
  complexColumn,
  fromColumns,
  type Mat,
  MatrixOutput,
  matrixSource,
  orthonormalize,
  readMatrix,
  realEmbedding,
  singleSquareMatrix,
  zeroMat,
} from "./linalg.js";

/** Eigenvalues (ascending) and eigenvectors (columns of v) of the symmetric matrix tril(a). */
export function symmetricEigen(a: Mat): { values: Float64Array; vectors: Mat } {
  const n = a.rows;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      m[i * n + j] = a.re[i * n + j]!;
      m[j * n + i] = a.re[i * n + j]!;
    }
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off === 0) break;
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        // skip entries already negligible against both diagonal entries
        if (Math.abs(apq) <= 1e-300 || Math.abs(apq) <= 1e-17 * Math.sqrt(Math.abs(app * aqq))) {
          continue;
        }
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[x * n + x]! - m[y * n + y]!);
  const values = new Float64Array(n);
  const vectors = zeroMat(n, n);
  order.forEach((src, j) => {
    values[j] = m[src * n + src]!;
    for (let i = 0; i < n; i++) vectors.re[i * n + j] = v[i * n + src]!;
  });
  return { values, vectors };
}

/**
 * Eigenvalues (ascending) and unit eigenvectors of the Hermitian matrix given by a's lower
 * triangle (the imaginary part of the diagonal ignored), through the symmetric real embedding
 * [[Re, -Im], [Im, Re]]: each eigenvalue appears there twice, with eigenvectors [x; y] and
 * [-y; x] that are the same complex eigenvector x + iy up to a factor i, so one complex vector
 * per pair is kept (by complex Gram-Schmidt, which also separates repeated eigenvalues).
 */
export function hermitianEigen(a: Mat): { values: Float64Array; vectors: Mat } {
  const n = a.rows;
  const h = zeroMat(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const r = a.re[i * n + j]!;
      const c = i === j ? 0 : a.im[i * n + j]!;
      h.re[i * n + j] = r;
      h.im[i * n + j] = c;
      h.re[j * n + i] = r;
      h.im[j * n + i] = -c;
    }
  }
  const big = symmetricEigen(realEmbedding(h));
  const values = new Float64Array(n);
  const basis: CVec[] = [];
  for (let j = 0; j < 2 * n && basis.length < n; j++) {
    const q = orthonormalize(complexColumn(big.vectors, j), basis);
    if (q) {
      values[basis.length] = big.values[j]!;
      basis.push(q);
    }
  }
  completeComplexBasis(basis, n, n);
  return { values, vectors: fromColumns(basis, n) };
}

function lowerIsFinite(a: Mat): boolean {
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j <= i; j++) {
      if (!Number.isFinite(a.re[i * a.cols + j]!) || !Number.isFinite(a.im[i * a.cols + j]!)) return false;
    }
  }
  return true;
}

export function selfAdjointEigV2(input: Tensor, computeV: boolean): [Tensor, Tensor] {
  const { batchShape, count, rows: n } = singleSquareMatrix(input);
  const src = matrixSource(input);
  const e = new MatrixOutput(input.dtype, [...batchShape, n]);
  const v = new MatrixOutput(input.dtype, computeV ? input.shape : []);
  for (let b = 0; b < count && n > 0; b++) {
    const a = readMatrix(src, b, n, n);
    if (!lowerIsFinite(a)) {
      throw invalidArgument(
        "Self-adjoint eigen decomposition was not successful. The input might not be valid.",
      );
    }
    const r = isComplexType(input.dtype) ? hermitianEigen(a) : symmetricEigen(a);
    // the eigenvalues of a complex matrix are real: output as real parts of the complex dtype
    e.write(b, { rows: 1, cols: n, re: r.values, im: new Float64Array(n) });
    if (computeV) v.write(b, r.vectors);
  }
  return [e.tensor(), v.tensor()];
}

export const selfAdjointEigV2Config: KernelConfig = {
  op: {
    name: "SelfAdjointEigV2",
    inputs: ["input: T"],
    outputs: ["e: T", "v: T"],
    attrs: ["compute_v: bool = true", "T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("SelfAdjointEigV2", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.complex64, T.complex128]);
    const computeV = getAttrBool(c.attrs, "compute_v");
    return {
      compute(ctx) {
        const [e, v] = selfAdjointEigV2(ctx.input(0), computeV);
        ctx.setOutput(0, e);
        ctx.setOutput(1, v);
      },
    };
  }),
};
