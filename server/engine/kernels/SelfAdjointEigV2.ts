// TF's SelfAdjointEigV2 (core/kernels/linalg/self_adjoint_eig_v2_op_impl.h): the eigenvalues, in
// ascending order, and (with compute_v) the unit eigenvectors as columns of each self-adjoint
// matrix of a batch, reading only its lower triangle. Without compute_v, TF 2.21 allocates v as an
// uninitialized scalar; we output a scalar 0.
//
// TF uses Eigen's SelfAdjointEigenSolver (Householder tridiagonalization and implicit QR); this is
// the same scheme (EISPACK's tred2/tql2) in float64 (on the real embedding of a complex Hermitian
// matrix), which gives the same eigenvalues to rounding. Each eigenvector is only defined up to sign (a unit phase for
// complex data; for repeated eigenvalues, up to a rotation within its eigenspace), so vectors can
// differ from TF's by those symmetries; V·diag(e)·Vᴴ reconstructs the input either way. Complex
// eigenvalues come out in the complex dtype with zero imaginary parts, as in TF.
// Non-finite input fails like Eigen's solver does on it, with TF's INVALID_ARGUMENT.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { isComplexType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  type CVec,
  completeComplexBasis,
  complexColumn,
  cubicWork,
  fromColumns,
  type Mat,
  MatrixOutput,
  matrixSource,
  orthonormalize,
  readMatrix,
  realEmbedding,
  singleSquareMatrix,
  zeroMat,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

/** Eigenvalues (ascending) and eigenvectors (columns of v) of the symmetric matrix tril(a). */
export function* symmetricEigen(a: Mat, pace: Pace): Slices<{ values: Float64Array; vectors: Mat }> {
  const n = a.rows;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      v[i * n + j] = a.re[i * n + j]!;
      v[j * n + i] = a.re[i * n + j]!;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    yield* tridiagonalize(v, d, e, n, pace);
    yield* tridiagonalQl(v, d, e, n, pace);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const values = new Float64Array(n);
  const vectors = zeroMat(n, n);
  order.forEach((src, j) => {
    values[j] = d[src]!;
    for (let i = 0; i < n; i++) vectors.re[i * n + j] = v[i * n + src]!;
  });
  return { values, vectors };
}

/**
 * Householder reduction of the symmetric matrix in v to tridiagonal form (diagonal d, subdiagonal
 * e[1..]), leaving the accumulated orthogonal transformation in v (EISPACK's tred2).
 */
function* tridiagonalize(
  v: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  pace: Pace,
): Slices<void> {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j * n + i] = f;
        g = e[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j]! * d[k]!;
          e[k]! += v[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
    if (pace.due(2 * i * i + 1)) yield;
  }
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1]! * v[k * n + j]!;
        for (let k = 0; k <= i; k++) v[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
    if (pace.due(2 * (i + 1) * (i + 1))) yield;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j]!;
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix (d, e) by the implicit QL method
 * with shifts, applying the rotations to v (EISPACK's tql2). Iterations are capped so that no input
 * can loop forever.
 */
function* tridiagonalQl(
  v: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  pace: Pace,
): Slices<void> {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]!) <= eps * tst1)) m++;
    if (m > l) {
      for (let iter = 0; iter < 60; iter++) {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            const vk1 = v[k * n + i + 1]!;
            const vk = v[k * n + i]!;
            v[k * n + i + 1] = s * vk + c * vk1;
            v[k * n + i] = c * vk - s * vk1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        const converged = !(Math.abs(e[l]!) > eps * tst1);
        if (pace.due((m - l) * (n + 8))) yield;
        if (converged) break;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/**
 * Eigenvalues (ascending) and unit eigenvectors of the Hermitian matrix given by a's lower
 * triangle (the imaginary part of the diagonal ignored), through the symmetric real embedding
 * [[Re, -Im], [Im, Re]]: each eigenvalue appears there twice, with eigenvectors [x; y] and
 * [-y; x] that are the same complex eigenvector x + iy up to a factor i, so one complex vector
 * per pair is kept (by complex Gram-Schmidt, which also separates repeated eigenvalues).
 */
export function* hermitianEigen(a: Mat, pace: Pace): Slices<{ values: Float64Array; vectors: Mat }> {
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
  const big = yield* symmetricEigen(realEmbedding(h), pace);
  const values = new Float64Array(n);
  const basis: CVec[] = [];
  for (let j = 0; j < 2 * n && basis.length < n; j++) {
    const q = orthonormalize(complexColumn(big.vectors, j), basis);
    if (q) {
      values[basis.length] = big.values[j]!;
      basis.push(q);
    }
    if (pace.due(8 * (basis.length + 1) * n)) yield;
  }
  yield* completeComplexBasis(basis, n, n, pace);
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
  return drainSync(selfAdjointEigV2Slices(input, computeV));
}

/** selfAdjointEigV2 in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* selfAdjointEigV2Slices(
  input: Tensor,
  computeV: boolean,
  pace = new Pace(),
): Slices<[Tensor, Tensor]> {
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
    const r = isComplexType(input.dtype) ? yield* hermitianEigen(a, pace) : yield* symmetricEigen(a, pace);
    // the eigenvalues of a complex matrix are real: output as real parts of the complex dtype
    e.write(b, { rows: 1, cols: n, re: r.values, im: new Float64Array(n) });
    if (computeV) v.write(b, r.vectors);
    if (pace.due(n * n)) yield;
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
      // tridiagonalization, then QL iterations that each sweep the eigenvectors: several n³
      compute: (ctx) =>
        pacedCompute(ctx, 4 * cubicWork(ctx.input(0)), () => selfAdjointEigV2Slices(ctx.input(0), computeV)),
    };
  }),
};
