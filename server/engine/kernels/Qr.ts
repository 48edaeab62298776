// TF's Qr on CPU (core/kernels/linalg/qr_op_impl.h): Eigen's HouseholderQR of each innermost
// matrix. Column k's reflector is made from rows k.. of column k (Eigen's makeHouseholder: beta
// takes the sign opposite to the pivot's real part, a zero tail gives tau = 0) and applied to
// the trailing columns; Q is the product of the reflectors applied to the identity in reverse
// order, R the upper triangle of the reduced matrix. Arithmetic is float64, rounded once, so
// float32 results match TF's to float32 rounding (TF computes in the dtype).

import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { cubicWork } from "./util/linalg.js";
import {
  allocMatrices,
  batchDims,
  type CMatrix,
  cmatrix,
  matrixValues,
  readMatrix,
  writeMatrix,
} from "./util/linalg-util.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";
import { finish } from "./util/tensor-util.js";

/** Smallest normal float64: Eigen's threshold for a zero reflector tail. */
const TINY = 2.2250738585072014e-308;

export interface Reflectors {
  /** The reduced matrix: R on and above the diagonal, the essential parts below it. */
  readonly a: CMatrix;
  readonly tauRe: Float64Array;
  readonly tauIm: Float64Array;
}

/** Reflector k from column k of `a` (rows k..), stored in place; returns tau. */
function makeHouseholder(a: CMatrix, k: number): [number, number] {
  const { rows, cols, re, im } = a;
  const p = k * cols + k;
  let tail = 0;
  for (let i = k + 1; i < rows; i++) tail += re[i * cols + k]! ** 2 + im[i * cols + k]! ** 2;
  const c0r = re[p]!;
  const c0i = im[p]!;
  if (tail <= TINY && c0i * c0i <= TINY) {
    for (let i = k + 1; i < rows; i++) re[i * cols + k] = im[i * cols + k] = 0;
    im[p] = 0;
    return [0, 0];
  }
  let beta = Math.sqrt(c0r * c0r + c0i * c0i + tail);
  if (c0r >= 0) beta = -beta;
  // essential = tail / (c0 - beta)
  const dr = c0r - beta;
  const di = c0i;
  const den = dr * dr + di * di;
  for (let i = k + 1; i < rows; i++) {
    const x = re[i * cols + k]!;
    const y = im[i * cols + k]!;
    re[i * cols + k] = (x * dr + y * di) / den;
    im[i * cols + k] = (y * dr - x * di) / den;
  }
  re[p] = beta;
  im[p] = 0;
  // tau = conj((beta - c0) / beta)
  return [(beta - c0r) / beta, c0i / beta];
}

/**
 * Applies I - tau·v·vᴴ (v = [1; essential of column k of `h`, rows k+1..]) to rows k.. and
 * columns c0.. of `m`.
 */
function applyLeft(h: CMatrix, k: number, tr: number, ti: number, m: CMatrix, c0: number): void {
  if (tr === 0 && ti === 0) return;
  const hc = h.cols;
  const { rows, cols, re, im } = m;
  for (let j = c0; j < cols; j++) {
    // tmp = vᴴ·column + top
    let sr = re[k * cols + j]!;
    let si = im[k * cols + j]!;
    for (let i = k + 1; i < rows; i++) {
      const vr = h.re[i * hc + k]!;
      const vi = h.im[i * hc + k]!;
      const xr = re[i * cols + j]!;
      const xi = im[i * cols + j]!;
      sr += vr * xr + vi * xi;
      si += vr * xi - vi * xr;
    }
    const ur = tr * sr - ti * si;
    const ui = tr * si + ti * sr;
    re[k * cols + j] = re[k * cols + j]! - ur;
    im[k * cols + j] = im[k * cols + j]! - ui;
    for (let i = k + 1; i < rows; i++) {
      const vr = h.re[i * hc + k]!;
      const vi = h.im[i * hc + k]!;
      re[i * cols + j] = re[i * cols + j]! - (vr * ur - vi * ui);
      im[i * cols + j] = im[i * cols + j]! - (vr * ui + vi * ur);
    }
  }
}

export function* householderQr(a: CMatrix, pace: Pace): Slices<Reflectors> {
  const size = Math.min(a.rows, a.cols);
  const tauRe = new Float64Array(size);
  const tauIm = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const [tr, ti] = makeHouseholder(a, k);
    tauRe[k] = tr;
    tauIm[k] = ti;
    if (a.rows - k > 1) applyLeft(a, k, tr, ti, a, k + 1);
    else if (a.rows - k === 1) scaleRow(a, k, k + 1, 1 - tr, -ti);
    if (pace.due(2 * (a.rows - k) * (a.cols - k))) yield;
  }
  return { a, tauRe, tauIm };
}

/** Eigen's one-row reflector: the row times (1 - tau). */
function scaleRow(m: CMatrix, r: number, c0: number, sr: number, si: number): void {
  for (let j = c0; j < m.cols; j++) {
    const p = r * m.cols + j;
    const x = m.re[p]!;
    const y = m.im[p]!;
    m.re[p] = x * sr - y * si;
    m.im[p] = x * si + y * sr;
  }
}

/** Q (rows x qCols) = H₀ᴴ…Hₙ₋₁ᴴ applied to the first qCols columns of the identity. */
export function* qrQ(f: Reflectors, qCols: number, pace: Pace): Slices<CMatrix> {
  const rows = f.a.rows;
  const q = cmatrix(rows, qCols);
  for (let i = 0; i < Math.min(rows, qCols); i++) q.re[i * qCols + i] = 1;
  for (let k = f.tauRe.length - 1; k >= 0; k--) {
    // Eigen's householderQ() uses the conjugated coefficients.
    const tr = f.tauRe[k]!;
    const ti = -f.tauIm[k]!;
    if (rows - k > 1) applyLeft(f.a, k, tr, ti, q, 0);
    else scaleRow(q, k, 0, 1 - tr, -ti);
    if (pace.due(2 * (rows - k) * qCols)) yield;
  }
  return q;
}

function upperPart(a: CMatrix, rRows: number): CMatrix {
  const r = cmatrix(rRows, a.cols);
  for (let i = 0; i < rRows; i++) {
    for (let j = i; j < a.cols; j++) {
      r.re[i * a.cols + j] = a.re[i * a.cols + j]!;
      r.im[i * a.cols + j] = a.im[i * a.cols + j]!;
    }
  }
  return r;
}

export function qr(input: Tensor, fullMatrices: boolean): [Tensor, Tensor] {
  return drainSync(qrSlices(input, fullMatrices));
}

/** qr in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* qrSlices(input: Tensor, fullMatrices: boolean, pace = new Pace()): Slices<[Tensor, Tensor]> {
  const { rows, cols } = batchDims(input);
  const minSize = Math.min(rows, cols);
  const qCols = fullMatrices ? rows : minSize;
  const rRows = fullMatrices ? rows : minSize;
  const lead = input.shape.slice(0, -2);
  const qShape = [...lead, rows, qCols];
  const rShape = [...lead, rRows, cols];
  const qOut = allocMatrices(input.dtype, qShape);
  const rOut = allocMatrices(input.dtype, rShape);
  const values = matrixValues(input);
  const nBatch = lead.reduce((x, y) => x * y, 1);
  for (let b = 0; b < nBatch; b++) {
    const f = yield* householderQr(readMatrix(input, values, b, rows, cols), pace);
    writeMatrix(input.dtype, qOut, b, yield* qrQ(f, qCols, pace));
    writeMatrix(input.dtype, rOut, b, upperPart(f.a, rRows));
    if (pace.due(rows * (cols + qCols) + 1)) yield;
  }
  return [
    finish(input.dtype, qShape, qOut as unknown as Float32Array),
    finish(input.dtype, rShape, rOut as unknown as Float32Array),
  ];
}

export const qrConfig: KernelConfig = {
  op: {
    name: "Qr",
    inputs: ["input: T"],
    outputs: ["q: T", "r: T"],
    attrs: ["full_matrices: bool = false", "T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("Qr", (c) => {
    checkTypeConstraint(c, "T", [T.double, T.float, T.half, T.complex64, T.complex128]);
    const full = getAttrBool(c.attrs, "full_matrices");
    return {
      // the reflectors, then Q from them: about twice the matrix's cubic work
      compute: (ctx) => pacedCompute(ctx, 2 * cubicWork(ctx.input(0)), () => qrSlices(ctx.input(0), full)),
    };
  }),
};
