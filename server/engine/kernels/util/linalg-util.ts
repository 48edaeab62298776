// Shared pieces of TF's batched linear-algebra kernels (core/kernels/linalg/linalg_ops_common.cc
// LinearAlgebraOp): the innermost two dimensions are the matrices, the rest a batch; matrices
// are computed in float64 (real and imaginary parts apart) and rounded once into the dtype.

import { invalidArgument } from "../../framework/errors.js";
import { allocData, type NumericArray, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { finish, isHalfLike, lanesOf, numericData } from "./tensor-util.js";

/** A dense row-major matrix of float64 parts (im is all zeros for real dtypes). */
export interface CMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export function cmatrix(rows: number, cols: number): CMatrix {
  return { rows, cols, re: new Float64Array(rows * cols), im: new Float64Array(rows * cols) };
}

/** TF's ValidateSingleMatrix rank check, then the batch size and the matrix dims. */
export function batchDims(t: Tensor, index = 0): { batch: number; rows: number; cols: number } {
  if (t.rank < 2) throw invalidArgument(`Input tensor ${index} must have rank >= 2, got ${t.rank}`);
  const rows = t.shape[t.rank - 2]!;
  const cols = t.shape[t.rank - 1]!;
  return { batch: rows * cols === 0 ? 0 : t.numElements / (rows * cols), rows, cols };
}

/** Matrix `b` of a batched tensor (real or complex) as float64 parts. */
export function readMatrix(t: Tensor, values: NumericArray, b: number, rows: number, cols: number): CMatrix {
  const m = cmatrix(rows, cols);
  const n = rows * cols;
  if (lanesOf(t.dtype) === 2) {
    for (let i = 0; i < n; i++) {
      m.re[i] = values[2 * (b * n + i)]!;
      m.im[i] = values[2 * (b * n + i) + 1]!;
    }
  } else {
    for (let i = 0; i < n; i++) m.re[i] = values[b * n + i]!;
  }
  return m;
}

/** A tensor's values as numbers (half/bfloat16 decoded). */
export function matrixValues(t: Tensor): NumericArray {
  return numericData(t);
}

/** Output storage for `count` matrices of `rows x cols` (float32 for half-like dtypes). */
export function allocMatrices(dtype: DataType, shape: readonly number[]): NumericArray {
  const n = shape.reduce((a, b) => a * b, 1);
  if (isHalfLike(dtype)) {
    allocData(dtype, n, shape); // budget in the dtype's own size
    return allocData(DataType.DT_FLOAT, n, shape) as NumericArray;
  }
  return allocData(dtype, n, shape) as NumericArray;
}

/** Stores matrix `m` as batch entry `b` of `out`. */
export function writeMatrix(dtype: DataType, out: NumericArray, b: number, m: CMatrix): void {
  const n = m.rows * m.cols;
  if (lanesOf(dtype) === 2) {
    for (let i = 0; i < n; i++) {
      out[2 * (b * n + i)] = m.re[i]!;
      out[2 * (b * n + i) + 1] = m.im[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) out[b * n + i] = m.re[i]!;
  }
}

/** The complex dtypes' storage has two lanes; everything else here is real. */
export const isComplexMatrix = (t: Tensor): boolean => lanesOf(t.dtype) === 2;

/**
 * Eigen's PartialPivLU in place on a square matrix: row k's pivot is the first row (from k) of
 * largest |a[i][k]|; returns the row permutation and the number of swaps. L (unit diagonal) is
 * below the diagonal, U on and above it.
 */
export function luInPlace(a: CMatrix): { perm: number[]; swaps: number } {
  const n = a.rows;
  const { re, im } = a;
  const perm = Array.from({ length: n }, (_, i) => i);
  let swaps = 0;
  for (let k = 0; k < n; k++) {
    let best = -1;
    let p = k;
    for (let i = k; i < n; i++) {
      const v = Math.hypot(re[i * n + k]!, im[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      swaps++;
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
      for (let j = 0; j < n; j++) {
        [re[k * n + j], re[p * n + j]] = [re[p * n + j]!, re[k * n + j]!];
        [im[k * n + j], im[p * n + j]] = [im[p * n + j]!, im[k * n + j]!];
      }
    }
    const pr = re[k * n + k]!;
    const pi = im[k * n + k]!;
    if (pr === 0 && pi === 0) continue; // a zero pivot: Eigen leaves the column as is
    const den = pr * pr + pi * pi;
    for (let i = k + 1; i < n; i++) {
      const xr = re[i * n + k]!;
      const xi = im[i * n + k]!;
      const lr = (xr * pr + xi * pi) / den;
      const li = (xi * pr - xr * pi) / den;
      re[i * n + k] = lr;
      im[i * n + k] = li;
      for (let j = k + 1; j < n; j++) {
        const ur = re[k * n + j]!;
        const ui = im[k * n + j]!;
        re[i * n + j] = re[i * n + j]! - (lr * ur - li * ui);
        im[i * n + j] = im[i * n + j]! - (lr * ui + li * ur);
      }
    }
  }
  return { perm, swaps };
}

/** True when some U pivot is exactly zero (TF's "not invertible" guard; NaN pivots pass). */
export function hasZeroPivot(lu: CMatrix): boolean {
  for (let k = 0; k < lu.rows; k++) {
    if (lu.re[k * lu.cols + k] === 0 && lu.im[k * lu.cols + k] === 0) return true;
  }
  return false;
}

/** The conjugate transpose. */
export function adjointOf(m: CMatrix): CMatrix {
  const t = cmatrix(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      t.re[j * m.rows + i] = m.re[i * m.cols + j]!;
      t.im[j * m.rows + i] = -m.im[i * m.cols + j]!;
    }
  }
  return t;
}

/**
 * Solves T·X = B in place of B for a triangular T (lower: forward substitution, else backward),
 * reading only T's triangle. A zero diagonal divides by zero (inf/NaN), as TF does.
 */
export function triangularSolveInPlace(t: CMatrix, b: CMatrix, lower: boolean): void {
  if (!t.im.some((v) => v !== 0) && !b.im.some((v) => v !== 0)) {
    realTriangularSolve(t, b, lower);
    return;
  }
  const n = t.rows;
  const m = b.cols;
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    const dr = t.re[i * n + i]!;
    const di = t.im[i * n + i]!;
    const den = dr * dr + di * di;
    for (let c = 0; c < m; c++) {
      let xr = b.re[i * m + c]!;
      let xi = b.im[i * m + c]!;
      const from = lower ? 0 : i + 1;
      const to = lower ? i : n;
      for (let k = from; k < to; k++) {
        const tr = t.re[i * n + k]!;
        const ti = t.im[i * n + k]!;
        const yr = b.re[k * m + c]!;
        const yi = b.im[k * m + c]!;
        xr -= tr * yr - ti * yi;
        xi -= tr * yi + ti * yr;
      }
      if (di === 0) {
        b.re[i * m + c] = xr / dr;
        b.im[i * m + c] = xi / dr;
      } else {
        b.re[i * m + c] = (xr * dr + xi * di) / den;
        b.im[i * m + c] = (xi * dr - xr * di) / den;
      }
    }
  }
}

/** triangularSolveInPlace for real values (no imaginary parts to turn inf into NaN). */
function realTriangularSolve(t: CMatrix, b: CMatrix, lower: boolean): void {
  const n = t.rows;
  const m = b.cols;
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    const from = lower ? 0 : i + 1;
    const to = lower ? i : n;
    for (let c = 0; c < m; c++) {
      let x = b.re[i * m + c]!;
      for (let k = from; k < to; k++) x -= t.re[i * n + k]! * b.re[k * m + c]!;
      b.re[i * m + c] = x / t.re[i * n + i]!;
    }
  }
}

/** Solves A·X = B from A's LU factors (B rows permuted first); returns X. */
export function luSolve(lu: CMatrix, perm: readonly number[], b: CMatrix): CMatrix {
  const n = lu.rows;
  const x = cmatrix(n, b.cols);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < b.cols; c++) {
      x.re[i * b.cols + c] = b.re[perm[i]! * b.cols + c]!;
      x.im[i * b.cols + c] = b.im[perm[i]! * b.cols + c]!;
    }
  }
  // Unit lower triangle: forward substitution without division.
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < b.cols; c++) {
      let xr = x.re[i * b.cols + c]!;
      let xi = x.im[i * b.cols + c]!;
      for (let k = 0; k < i; k++) {
        const lr = lu.re[i * n + k]!;
        const li = lu.im[i * n + k]!;
        const yr = x.re[k * b.cols + c]!;
        const yi = x.im[k * b.cols + c]!;
        xr -= lr * yr - li * yi;
        xi -= lr * yi + li * yr;
      }
      x.re[i * b.cols + c] = xr;
      x.im[i * b.cols + c] = xi;
    }
  }
  triangularSolveInPlace(lu, x, false);
  return x;
}

export function identity(n: number): CMatrix {
  const m = cmatrix(n, n);
  for (let i = 0; i < n; i++) m.re[i * n + i] = 1;
  return m;
}

/** LinearAlgebraOp's square check. */
export function checkSquare(rows: number, cols: number): void {
  if (rows !== cols) throw invalidArgument("Input matrix must be square.");
}

/** Dtypes TF's CPU linear-algebra kernels (Eigen) are registered for. */
export const LINALG_KERNEL_TYPES: readonly DataType[] = [
  DataType.DT_FLOAT,
  DataType.DT_DOUBLE,
  DataType.DT_COMPLEX64,
  DataType.DT_COMPLEX128,
];

/**
 * Runs `f` on every innermost square matrix of `input` (TF's LinearAlgebraOp over a single
 * square input); `outDims` gives each output matrix's shape from the input's n.
 */
export function mapSquareMatrices(
  input: Tensor,
  outDims: (n: number) => number[],
  f: (m: CMatrix) => CMatrix,
): Tensor {
  const { rows, cols } = batchDims(input);
  checkSquare(rows, cols);
  const lead = input.shape.slice(0, -2);
  const shape = [...lead, ...outDims(rows)];
  const out = allocMatrices(input.dtype, shape);
  const values = matrixValues(input);
  const nBatch = lead.reduce((x, y) => x * y, 1);
  for (let b = 0; b < nBatch; b++)
    writeMatrix(input.dtype, out, b, f(readMatrix(input, values, b, rows, cols)));
  return finish(input.dtype, shape, out as unknown as Float32Array);
}
