// Shared pieces of TF's batched linear-algebra kernels (core/kernels/linalg/linalg_ops_common.cc
// LinearAlgebraOp): the innermost two dimensions are the matrices, the rest a batch; matrices
// are computed in float64 (real and imaginary parts apart) and rounded once into the dtype.

import { invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
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

export { finish };
