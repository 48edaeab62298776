// Shared pieces of TF's dense linear-algebra kernels (core/kernels/linalg/linalg_ops_common.cc,
// LinearAlgebraOp): the batch-of-matrices input validation with TF's messages, reading and writing
// one matrix of a batch, and the factorizations the kernels are built on (Eigen's PartialPivLU and
// LLT, triangular substitution).
//
// Matrices are worked on in float64 (re and im planes; im is all zeros for real dtypes) and rounded
// to the output dtype at the end, so float32 results agree with TF's float32 Eigen arithmetic to
// float tolerance rather than bit for bit.

//
// The factorizations are generators (util/slices.ts) that yield inside their outer loops once a
// Pace (util/paced-slices.ts) says about a millisecond of work is done, so a large matrix runs in
// slices; the arithmetic is the same, in the same order, whether the generator is drained at once
// or cut into slices.

import { invalidArgument } from "../../framework/errors.js";
import type { NumericArray, Tensor } from "../../framework/tensor.js";
import { type DataType, isComplexType } from "../../framework/types.js";
import type { Pace } from "./paced-slices.js";
import type { Slices } from "./slices.js";
import { computeBuffer, finish, numericData } from "./tensor-util.js";

/**
 * The order of a kernel's work on the matrices of `t` (count·rows·cols·max(rows, cols), plus
 * `extra` per matrix), for linalgCompute; 0 below rank 2 (the kernel fails at once).
 */
export function cubicWork(t: Tensor, extra = 0): number {
  const r = t.shape.length;
  if (r < 2) return 0;
  const count = t.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const rows = t.shape[r - 2]!;
  const cols = t.shape[r - 1]!;
  return count * (rows * cols * Math.max(rows, cols) + extra);
}

/** One dense row-major matrix: real and imaginary planes of rows·cols float64 values. */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export function zeroMat(rows: number, cols: number): Mat {
  return { rows, cols, re: new Float64Array(rows * cols), im: new Float64Array(rows * cols) };
}

export function identityMat(n: number): Mat {
  const m = zeroMat(n, n);
  for (let i = 0; i < n; i++) m.re[i * n + i] = 1;
  return m;
}

export function copyMat(m: Mat): Mat {
  return { rows: m.rows, cols: m.cols, re: m.re.slice(), im: m.im.slice() };
}

/** The conjugate transpose. */
export function adjointMat(m: Mat): Mat {
  const out = zeroMat(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      out.re[j * m.rows + i] = m.re[i * m.cols + j]!;
      out.im[j * m.rows + i] = -m.im[i * m.cols + j]!;
    }
  }
  return out;
}

/** The batch dimensions and matrix size of a LinearAlgebraOp input (rank >= 2). */
export interface MatrixBatch {
  readonly batchShape: number[];
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

/**
 * LinearAlgebraOp::AnalyzeInputs: the first input must have rank >= 2; every further input the
 * same rank and the same outer dimensions.
 */
export function analyzeInputs(inputs: readonly Tensor[]): MatrixBatch[] {
  const first = inputs[0]!;
  const rank = first.shape.length;
  if (rank < 2) throw invalidArgument(`Input tensor 0 must have rank >= 2, got ${rank}`);
  const batchShape = first.shape.slice(0, -2);
  const count = batchShape.reduce((a, b) => a * b, 1);
  return inputs.map((t, i) => {
    if (i > 0) {
      if (t.shape.length !== rank) throw invalidArgument("All input tensors must have the same rank.");
      for (let d = 0; d < rank - 2; d++) {
        if (t.shape[d] !== batchShape[d]) {
          throw invalidArgument("All input tensors must have the same outer dimensions.");
        }
      }
    }
    return { batchShape, count, rows: t.shape[rank - 2]!, cols: t.shape[rank - 1]! };
  });
}

/** ValidateSingleSquareMatrix. */
export function singleSquareMatrix(input: Tensor): MatrixBatch {
  const b = analyzeInputs([input])[0]!;
  if (b.rows !== b.cols) throw invalidArgument("Input matrix must be square.");
  return b;
}

/** ValidateSquareSolver. */
export function squareSolver(matrix: Tensor, rhs: Tensor): [MatrixBatch, MatrixBatch] {
  const [a, b] = analyzeInputs([matrix, rhs]) as [MatrixBatch, MatrixBatch];
  if (a.rows !== a.cols) throw invalidArgument("First input (lhs) must be a square matrix.");
  if (a.rows !== b.rows) throw invalidArgument("Input matrix and rhs are incompatible.");
  return [a, b];
}

/** A tensor's elements as float64-readable storage (half decoded), with its lanes per element. */
export function matrixSource(t: Tensor): { data: NumericArray; lanes: number } {
  return { data: numericData(t), lanes: isComplexType(t.dtype) ? 2 : 1 };
}

/** Matrix `index` (rows×cols) of a batch. */
export function readMatrix(
  src: { data: NumericArray; lanes: number },
  index: number,
  rows: number,
  cols: number,
): Mat {
  const m = zeroMat(rows, cols);
  const n = rows * cols;
  const base = index * n;
  if (src.lanes === 2) {
    for (let i = 0; i < n; i++) {
      m.re[i] = src.data[2 * (base + i)]!;
      m.im[i] = src.data[2 * (base + i) + 1]!;
    }
  } else {
    for (let i = 0; i < n; i++) m.re[i] = src.data[base + i]!;
  }
  return m;
}

/** An output being filled matrix by matrix. */
export class MatrixOutput {
  private readonly buf: NumericArray;
  private readonly lanes: number;

  constructor(
    private readonly dtype: DataType,
    private readonly shape: readonly number[],
  ) {
    const n = shape.reduce((a, b) => a * b, 1);
    this.lanes = isComplexType(dtype) ? 2 : 1;
    this.buf = computeBuffer(dtype, n, shape) as NumericArray;
  }

  /** Stores m as the index-th block of m.rows·m.cols elements. */
  write(index: number, m: Mat): void {
    const n = m.rows * m.cols;
    const base = index * n;
    if (this.lanes === 2) {
      for (let i = 0; i < n; i++) {
        this.buf[2 * (base + i)] = m.re[i]!;
        this.buf[2 * (base + i) + 1] = m.im[i]!;
      }
    } else {
      for (let i = 0; i < n; i++) this.buf[base + i] = m.re[i]!;
    }
  }

  /** Stores one scalar at element `index`. */
  writeScalar(index: number, re: number, im = 0): void {
    if (this.lanes === 2) {
      this.buf[2 * index] = re;
      this.buf[2 * index + 1] = im;
    } else this.buf[index] = re;
  }

  tensor(): Tensor {
    return finish(this.dtype, this.shape, this.buf);
  }
}

/** Eigen's PartialPivLU: P·A = L·U in place, with the row transpositions it made. */
export interface Lu {
  readonly lu: Mat;
  /** transpositions[k]: the row swapped with row k at step k. */
  readonly transpositions: Int32Array;
  /** The number of actual swaps (the permutation's determinant is (-1)^swaps). */
  readonly swaps: number;
}

const cabs = (re: number, im: number) => (im === 0 ? Math.abs(re) : Math.hypot(re, im));

/**
 * LU factorization with partial pivoting by the largest modulus in the column (the first one on
 * ties); a column that is all zero below the diagonal is left as is, like Eigen's.
 */
export function* luDecompose(a: Mat, pace: Pace): Slices<Lu> {
  const n = a.rows;
  const { re, im } = copyMat(a);
  const transpositions = new Int32Array(n);
  let swaps = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = -1;
    for (let i = k; i < n; i++) {
      const v = cabs(re[i * n + k]!, im[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    transpositions[k] = p;
    if (best !== 0) {
      if (p !== k) {
        swaps++;
        for (let j = 0; j < n; j++) {
          swapAt(re, k * n + j, p * n + j);
          swapAt(im, k * n + j, p * n + j);
        }
      }
      const pr = re[k * n + k]!;
      const pi = im[k * n + k]!;
      const den = pr * pr + pi * pi;
      for (let i = k + 1; i < n; i++) {
        const xr = re[i * n + k]!;
        const xi = im[i * n + k]!;
        if (pi === 0) {
          re[i * n + k] = xr / pr;
          im[i * n + k] = xi / pr;
        } else {
          re[i * n + k] = (xr * pr + xi * pi) / den;
          im[i * n + k] = (xi * pr - xr * pi) / den;
        }
      }
    }
    for (let i = k + 1; i < n; i++) {
      const lr = re[i * n + k]!;
      const li = im[i * n + k]!;
      for (let j = k + 1; j < n; j++) {
        const ur = re[k * n + j]!;
        const ui = im[k * n + j]!;
        re[i * n + j]! -= lr * ur - li * ui;
        im[i * n + j]! -= lr * ui + li * ur;
      }
    }
    if (pace.due((n - k) * (n - k))) yield;
  }
  return { lu: { rows: n, cols: n, re, im }, transpositions, swaps };
}

function swapAt(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** The smallest |U_kk| (TF's exact-singularity check). */
export function minAbsPivot(f: Lu): number {
  const n = f.lu.rows;
  if (n === 0) return Infinity;
  // Eigen's minCoeff: start from the first pivot and take a later one only when it compares
  // smaller, so a NaN pivot after the first is passed over (TF then inverts to NaNs).
  let min = cabs(f.lu.re[0]!, f.lu.im[0]!);
  for (let k = 1; k < n; k++) {
    const v = cabs(f.lu.re[k * n + k]!, f.lu.im[k * n + k]!);
    if (v < min) min = v;
  }
  return min;
}

/** X with A·X = B from A's LU factors. */
export function* luSolve(f: Lu, b: Mat, pace: Pace): Slices<Mat> {
  const x = copyMat(b);
  const n = f.lu.rows;
  const m = b.cols;
  for (let k = 0; k < n; k++) {
    const p = f.transpositions[k]!;
    if (p !== k) {
      for (let j = 0; j < m; j++) {
        swapAt(x.re, k * m + j, p * m + j);
        swapAt(x.im, k * m + j, p * m + j);
      }
    }
  }
  yield* substitute(f.lu, x, true, true, false, pace);
  yield* substitute(f.lu, x, false, false, false, pace);
  return x;
}

/**
 * Solves T·X = B in place in x for the triangle of t (lower or upper, diagonal included unless
 * unitDiagonal). Division by a zero diagonal gives infinities and NaNs, as in Eigen.
 */
export function* substitute(
  t: Mat,
  x: Mat,
  lower: boolean,
  unitDiagonal: boolean,
  real: boolean,
  pace: Pace,
): Slices<void> {
  // Real dtypes take real arithmetic: in the complex formulas, 0·inf in an imaginary part would
  // turn a singular system's ±inf into NaN where TF's real kernel keeps the infinities.
  if (real) {
    yield* substituteReal(t, x, lower, unitDiagonal, pace);
    return;
  }
  const n = t.rows;
  const m = x.cols;
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    const from = lower ? 0 : i + 1;
    const to = lower ? i : n;
    for (let j = 0; j < m; j++) {
      let sr = x.re[i * m + j]!;
      let si = x.im[i * m + j]!;
      for (let k = from; k < to; k++) {
        const ar = t.re[i * n + k]!;
        const ai = t.im[i * n + k]!;
        const br = x.re[k * m + j]!;
        const bi = x.im[k * m + j]!;
        sr -= ar * br - ai * bi;
        si -= ar * bi + ai * br;
      }
      if (!unitDiagonal) {
        const dr = t.re[i * n + i]!;
        const di = t.im[i * n + i]!;
        if (di === 0) {
          sr /= dr;
          si /= dr;
        } else {
          const den = dr * dr + di * di;
          const qr = (sr * dr + si * di) / den;
          si = (si * dr - sr * di) / den;
          sr = qr;
        }
      }
      x.re[i * m + j] = sr;
      x.im[i * m + j] = si;
    }
    if (pace.due((to - from + 1) * m)) yield;
  }
}

function* substituteReal(t: Mat, x: Mat, lower: boolean, unitDiagonal: boolean, pace: Pace): Slices<void> {
  const n = t.rows;
  const m = x.cols;
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    const from = lower ? 0 : i + 1;
    const to = lower ? i : n;
    for (let j = 0; j < m; j++) {
      let sum = x.re[i * m + j]!;
      for (let k = from; k < to; k++) sum -= t.re[i * n + k]! * x.re[k * m + j]!;
      x.re[i * m + j] = unitDiagonal ? sum : sum / t.re[i * n + i]!;
    }
    if (pace.due((to - from + 1) * m)) yield;
  }
}

/** The lower (or upper) triangle of m, zeros elsewhere. */
export function triangle(m: Mat, lower: boolean): Mat {
  const out = zeroMat(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      if (lower ? j <= i : j >= i) {
        out.re[i * m.cols + j] = m.re[i * m.cols + j]!;
        out.im[i * m.cols + j] = m.im[i * m.cols + j]!;
      }
    }
  }
  return out;
}

/**
 * Eigen's LLT on the lower triangle of a (the upper one is never read): L with A = L·Lᴴ, or
 * undefined when a pivot is not positive (a NaN pivot goes through, as in Eigen).
 */
export function* choleskyLower(a: Mat, pace: Pace): Slices<Mat | undefined> {
  const n = a.rows;
  const l = zeroMat(n, n);
  for (let j = 0; j < n; j++) {
    let d = a.re[j * n + j]!;
    for (let k = 0; k < j; k++) {
      const r = l.re[j * n + k]!;
      const i = l.im[j * n + k]!;
      d -= r * r + i * i;
    }
    if (d <= 0) return undefined;
    const djj = Math.sqrt(d);
    l.re[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let sr = a.re[i * n + j]!;
      let si = a.im[i * n + j]!;
      for (let k = 0; k < j; k++) {
        // l_ik · conj(l_jk)
        const ar = l.re[i * n + k]!;
        const ai = l.im[i * n + k]!;
        const br = l.re[j * n + k]!;
        const bi = -l.im[j * n + k]!;
        sr -= ar * br - ai * bi;
        si -= ar * bi + ai * br;
      }
      l.re[i * n + j] = sr / djj;
      l.im[i * n + j] = si / djj;
    }
    if (pace.due((n - j) * (j + 1))) yield;
  }
  return l;
}

/** op(a)·b for op = identity or conjugate transpose. */
export function* matMul(a: Mat, b: Mat, adjointA: boolean, pace: Pace): Slices<Mat> {
  const m = adjointA ? a.cols : a.rows;
  const k = adjointA ? a.rows : a.cols;
  const n = b.cols;
  const out = zeroMat(m, n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const at = adjointA ? p * a.cols + i : i * a.cols + p;
      const ar = a.re[at]!;
      const ai = adjointA ? -a.im[at]! : a.im[at]!;
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < n; j++) {
        const br = b.re[p * n + j]!;
        const bi = b.im[p * n + j]!;
        out.re[i * n + j]! += ar * br - ai * bi;
        out.im[i * n + j]! += ar * bi + ai * br;
      }
    }
    if (pace.due((k + 1) * n)) yield;
  }
  return out;
}

/** A complex vector as real and imaginary parts. */
export interface CVec {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * Orthogonalizes z against the orthonormal vectors in `basis` (two passes of complex Gram-Schmidt)
 * and normalizes it; undefined when less than half of it is left (z was nearly dependent on them).
 */
export function orthonormalize(z: CVec, basis: readonly CVec[]): CVec | undefined {
  const re = z.re.slice();
  const im = z.im.slice();
  const n = re.length;
  const norm0 = Math.sqrt(re.reduce((s, v, i) => s + v * v + im[i]! * im[i]!, 0));
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) {
      // c = <q, z> = Σ conj(q_i)·z_i
      let cr = 0;
      let ci = 0;
      for (let i = 0; i < n; i++) {
        cr += q.re[i]! * re[i]! + q.im[i]! * im[i]!;
        ci += q.re[i]! * im[i]! - q.im[i]! * re[i]!;
      }
      for (let i = 0; i < n; i++) {
        re[i]! -= cr * q.re[i]! - ci * q.im[i]!;
        im[i]! -= cr * q.im[i]! + ci * q.re[i]!;
      }
    }
  }
  const norm = Math.sqrt(re.reduce((s, v, i) => s + v * v + im[i]! * im[i]!, 0));
  if (!(norm > 0.5 * norm0) || norm === 0) return undefined;
  for (let i = 0; i < n; i++) {
    re[i]! /= norm;
    im[i]! /= norm;
  }
  return { re, im };
}

/** Completes an orthonormal set of complex n-vectors to `count` vectors with standard basis vectors. */
export function* completeComplexBasis(basis: CVec[], n: number, count: number, pace: Pace): Slices<void> {
  for (let e = 0; e < n && basis.length < count; e++) {
    const z = { re: new Float64Array(n), im: new Float64Array(n) };
    z.re[e] = 1;
    const q = orthonormalize(z, basis);
    if (q) basis.push(q);
    if (pace.due((basis.length + 1) * n)) yield;
  }
}

/** The real matrix [[Re, -Im], [Im, Re]] representing a complex matrix as a real linear map. */
export function realEmbedding(a: Mat): Mat {
  const m = a.rows;
  const n = a.cols;
  const out = zeroMat(2 * m, 2 * n);
  const w = 2 * n;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const r = a.re[i * n + j]!;
      const c = a.im[i * n + j]!;
      out.re[i * w + j] = r;
      out.re[i * w + n + j] = -c;
      out.re[(m + i) * w + j] = c;
      out.re[(m + i) * w + n + j] = r;
    }
  }
  return out;
}

/** Column j of a real 2n-row matrix read as the complex n-vector x + iy. */
export function complexColumn(m: Mat, j: number): CVec {
  const n = m.rows / 2;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = m.re[i * m.cols + j]!;
    im[i] = m.re[(n + i) * m.cols + j]!;
  }
  return { re, im };
}

/** The matrix whose columns are the given complex vectors. */
export function fromColumns(cols: readonly CVec[], rows: number): Mat {
  const k = cols.length;
  const out = zeroMat(rows, k);
  cols.forEach((c, j) => {
    for (let i = 0; i < rows; i++) {
      out.re[i * k + j] = c.re[i]!;
      out.im[i * k + j] = c.im[i]!;
    }
  });
  return out;
}
