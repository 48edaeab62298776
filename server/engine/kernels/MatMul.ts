// TF's MatMul (core/kernels/matmul_op_impl.h, the legacy-matmul path of BaseBatchMatMulOp):
// product = op(a) · op(b) for rank-2 a and b, op = transpose when transpose_a/transpose_b.
//
// float32 products of at least ORT_MIN_MACS multiply-adds run on onnxruntime over the intra-op
// thread pool (util/ort.ts), those of at least XNN_MIN_MACS on XNNPACK (xnn.ts) once the thread
// has loaded it, both accumulating in float32 like TF's Eigen contraction (util/dense-kernel.ts). Other real floating types and
// smaller products run a register-tiled loop over row-major storage accumulating in float64 (so
// results are the correctly rounded float64 sums, at least as accurate as Eigen's). Integers wrap
// like C++; int64/complex use straightforward loops.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { allocData, type NumericArray, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, isComplexType } from "../framework/types.js";
import { denseKernel } from "./util/dense-kernel.js";
import {
  COMPLEX_TYPES,
  checkTypeConstraint,
  cpuKernel,
  FLOAT_TYPES,
  INT_TYPES,
  type KernelConfig,
} from "./util/kernel-config.js";
import { ortMatMulSlices } from "./util/ort-matmul.js";
import {
  COPY_PIECE_ELEMENTS,
  drainSync,
  float64Operand,
  JS_PIECE_MACS,
  outputSlices,
  rowsPerPiece,
  type Slices,
  transposePart,
  XNN_PIECE_MACS,
} from "./util/slices.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";
import { useXnn, type XnnKernels } from "./util/xnn.js";

/** Row-major transpose of an r×c matrix stored in `src` (interleave = 2 for complex). */
function transposeData<A extends { length: number; [i: number]: unknown }>(
  src: A,
  r: number,
  c: number,
  make: (n: number) => A,
  interleave = 1,
): A {
  const out = make(r * c * interleave);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      for (let k = 0; k < interleave; k++)
        out[(j * r + i) * interleave + k] = src[(i * c + j) * interleave + k];
    }
  }
  return out;
}

/**
 * out[m×n] = a · bᵀ for real numbers, where a is m×k and bt is n×k (both row-major float64): each
 * output is a dot product of two contiguous rows. 4×4 register tiles reuse every loaded element
 * four times; float64 accumulation.
 */
export function matMulFloat(
  a: Float64Array,
  bt: Float64Array,
  out: NumericArray,
  m: number,
  k: number,
  n: number,
): void {
  matMulFloatBlock(a, bt, out, 0, m, 0, n, k, n);
}

/**
 * The block of rows [i0, i1) and columns [j0, j1) of matMulFloat's product: each element is the
 * same float64 sum, in the same order, whichever block computes it (tiles and edges alike add the
 * k products from first to last).
 */
export function matMulFloatBlock(
  a: Float64Array,
  bt: Float64Array,
  out: NumericArray,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  k: number,
  n: number,
): void {
  const m4 = i1 - ((i1 - i0) % 4);
  const n4 = j1 - ((j1 - j0) % 4);
  for (let i = i0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = j0; j < n4; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!;
        const x1 = a[a1 + p]!;
        const x2 = a[a2 + p]!;
        const x3 = a[a3 + p]!;
        const y0 = bt[b0 + p]!;
        const y1 = bt[b1 + p]!;
        const y2 = bt[b2 + p]!;
        const y3 = bt[b3 + p]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      let o = i * n + j;
      out[o] = s00;
      out[o + 1] = s01;
      out[o + 2] = s02;
      out[o + 3] = s03;
      o += n;
      out[o] = s10;
      out[o + 1] = s11;
      out[o + 2] = s12;
      out[o + 3] = s13;
      o += n;
      out[o] = s20;
      out[o + 1] = s21;
      out[o + 2] = s22;
      out[o + 3] = s23;
      o += n;
      out[o] = s30;
      out[o + 1] = s31;
      out[o + 2] = s32;
      out[o + 3] = s33;
    }
  }
  // Edges: the last m % 4 rows (all columns) and the last n % 4 columns of the tiled rows.
  const dot = (i: number, j: number) => {
    let s = 0;
    const ai = i * k;
    const bj = j * k;
    for (let p = 0; p < k; p++) s += a[ai + p]! * bt[bj + p]!;
    out[i * n + j] = s;
  };
  for (let i = i0; i < m4; i++) for (let j = n4; j < j1; j++) dot(i, j);
  for (let i = m4; i < i1; i++) for (let j = j0; j < j1; j++) dot(i, j);
}

/**
 * matMulFloat in pieces of about JS_PIECE_MACS multiply-adds: blocks of 4 rows and as many
 * columns as fit (whole multiples of 4), so even one row of a huge product is cut.
 */
function* matMulFloatSlices(
  a: Float64Array,
  bt: Float64Array,
  out: NumericArray,
  m: number,
  k: number,
  n: number,
): Slices<void> {
  const rows = Math.ceil(rowsPerPiece(k * n, JS_PIECE_MACS) / 4) * 4;
  const cols = rows > 4 ? n : Math.max(4, Math.floor(JS_PIECE_MACS / (4 * k * 4)) * 4);
  for (let i0 = 0; i0 < m; i0 += rows) {
    for (let j0 = 0; j0 < n; j0 += cols) {
      matMulFloatBlock(a, bt, out, i0, Math.min(m, i0 + rows), j0, Math.min(n, j0 + cols), k, n);
      yield;
    }
  }
}

/** 8–32-bit integers: products and sums wrap mod 2^32 like C++ (then the output array narrows). */
function* matMulInt(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  out: NumericArray,
  m: number,
  k: number,
  n: number,
): Slices<void> {
  const acc = new Int32Array(n);
  const rows = rowsPerPiece(k * n, JS_PIECE_MACS);
  for (let i = 0; i < m; i++) {
    if (i % rows === rows - 1) yield;
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      const bo = p * n;
      for (let j = 0; j < n; j++) acc[j] = (acc[j]! + Math.imul(av, b[bo + j]!)) | 0;
    }
    for (let j = 0; j < n; j++) out[i * n + j] = acc[j]!;
  }
}

function* matMulBig(
  a: BigInt64Array,
  b: BigInt64Array,
  out: BigInt64Array,
  m: number,
  k: number,
  n: number,
): Slices<void> {
  // BigInt arithmetic is some 50 times slower than float64.
  const rows = rowsPerPiece(k * n, JS_PIECE_MACS / 64);
  for (let i = 0; i < m; i++) {
    if (i % rows === rows - 1) yield;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      if (av === 0n) continue;
      const bo = p * n;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + av * b[bo + j]!;
    }
  }
}

function* matMulComplex(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  m: number,
  k: number,
  n: number,
): Slices<void> {
  const acc = new Float64Array(2 * n);
  const rows = rowsPerPiece(4 * k * n, JS_PIECE_MACS);
  for (let i = 0; i < m; i++) {
    if (i % rows === rows - 1) yield;
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const ar = a[2 * (i * k + p)]!;
      const ai = a[2 * (i * k + p) + 1]!;
      const bo = 2 * p * n;
      for (let j = 0; j < n; j++) {
        const br = b[bo + 2 * j]!;
        const bi = b[bo + 2 * j + 1]!;
        acc[2 * j]! += ar * br - ai * bi;
        acc[2 * j + 1]! += ar * bi + ai * br;
      }
    }
    out.set(acc, 2 * i * n);
  }
}

/** Validates MatMul shapes with TF's messages; returns [m, k, n]. */
export function matMulShapes(
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
): [number, number, number] {
  if (a.rank !== b.rank) {
    throw invalidArgument(
      `In[0] and In[1] has different ndims: ${shapeString(a.shape)} vs. ${shapeString(b.shape)}`,
    );
  }
  if (a.rank !== 2) throw invalidArgument(`In[0] and In[1] ndims must be == 2: ${a.rank}`);
  const [d0, d1] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [d2, d3] = transposeB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (d1 !== d2) {
    // TF 2.21's MatMul kernel (observed); BatchMatMul uses the same words.
    throw invalidArgument(
      `Matrix size-incompatible: In[0]: ${shapeString(a.shape)}, In[1]: ${shapeString(b.shape)}`,
    );
  }
  return [d0, d1, d3];
}

/**
 * op(a) · op(b) for float32 a and b on XNNPACK, in row slices over one packed B (gemmSeries): the
 * transposes happen while the operands are written into the wasm heap (XNNPACK's fast path takes
 * untransposed operands). Undefined when the heap cannot hold them.
 */
function* matMulXnn(
  x: XnnKernels,
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  m: number,
  k: number,
  n: number,
): Slices<Tensor | undefined> {
  const shape = [m, n];
  const out = allocData(DataType.DT_FLOAT, m * n, shape) as Float32Array;
  const ad = a.data as Float32Array;
  const bd = b.data as Float32Array;
  // Panels of B's columns keep a piece short even when one row of the product is long; each
  // panel is packed once and meets A in blocks of rows (at least XNN_MIN_ROWS: XNNPACK streams its
  // packed panel once per few rows, so single rows would multiply the memory traffic).
  const rows =
    Math.ceil(Math.max(XNN_MIN_ROWS, rowsPerPiece(k * n, XNN_PIECE_MACS)) / XNN_MIN_ROWS) * XNN_MIN_ROWS;
  const panel =
    rowsPerPiece(k * rows, XNN_PIECE_MACS) >= n
      ? n
      : Math.max(256, Math.floor(XNN_PIECE_MACS / (k * rows) / 64) * 64);
  for (let j0 = 0; j0 < n; j0 += panel) {
    const ok = yield* matMulXnnPanel(
      x,
      ad,
      bd,
      transposeA,
      transposeB,
      m,
      k,
      n,
      j0,
      Math.min(n, j0 + panel),
      rows,
      out,
    );
    if (!ok) return undefined;
  }
  return new Tensor(DataType.DT_FLOAT, shape, out);
}

/** Rows of A per XNNPACK call, at the least (see matMulXnn). */
const XNN_MIN_ROWS = 8;

/**
 * Columns [j0, j1) of op(a) · op(b) on XNNPACK, `rows` rows per call, into out (m×n). False when
 * the heap cannot hold the operands.
 */
function* matMulXnnPanel(
  x: XnnKernels,
  ad: Float32Array,
  bd: Float32Array,
  transposeA: boolean,
  transposeB: boolean,
  m: number,
  k: number,
  n: number,
  j0: number,
  j1: number,
  rows: number,
  out: Float32Array,
): Slices<boolean> {
  const w = j1 - j0;
  const series = x.gemmSeries(k, w);
  if (series === undefined) return false;
  try {
    // The panel of op(b) is k×w: rows j0..j1 of b (n×k) transposed, or columns j0..j1 of b (k×n).
    const step = rowsPerPiece(w, COPY_PIECE_ELEMENTS);
    for (let p0 = 0; p0 < k; p0 += step) {
      const p1 = Math.min(k, p0 + step);
      series.fillB((v) => {
        if (transposeB) transposePart(bd, k, j0, j1, p0, p1, v.subarray(p0 * w), w);
        else for (let p = p0; p < p1; p++) v.set(bd.subarray(p * n + j0, p * n + j1), p * w);
      });
      yield;
    }
    for (let r0 = 0; r0 < m; r0 += rows) {
      const r = Math.min(rows, m - r0);
      const ok = series.gemm(
        r,
        // op(a) rows [r0, r0 + r): columns of a (k×m) when transposed.
        (v) =>
          transposeA
            ? transposePart(ad, m, 0, k, r0, r0 + r, v, k)
            : v.set(ad.subarray(r0 * k, (r0 + r) * k)),
        (v) => {
          if (w === n) out.set(v, r0 * n);
          else for (let i = 0; i < r; i++) out.set(v.subarray(i * w, (i + 1) * w), (r0 + i) * n + j0);
        },
      );
      if (!ok) return false;
      yield;
    }
  } finally {
    series.release();
  }
  return true;
}

/** Multiply-adds of a MatMul or BatchMatMul node's per-matrix product (for xnnKernel). */
export function matMulMacs(a: Tensor, b: Tensor, transposeB: boolean): number {
  const ar = a.shape.slice(-2);
  const br = b.shape.slice(-2);
  if (ar.length !== 2 || br.length !== 2) return 0;
  return ar[0]! * ar[1]! * br[transposeB ? 0 : 1]!;
}

/**
 * TF's MatMul. float32 products of at least XNN_MIN_MACS multiply-adds use XNNPACK when this thread
 * has loaded it (see xnnKernel), so results depend on that only in float32 rounding.
 */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return drainSync(matMulSlices(a, b, transposeA, transposeB));
}

/** matMul as slices of about a millisecond each (util/slices.ts). */
// long-function: one branch per element type, each a few lines; splitting them would only move the dispatch.
export function* matMulSlices(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Slices<Tensor> {
  const [m, k, n] = matMulShapes(a, b, transposeA, transposeB);
  const dt = a.dtype;
  const shape = [m, n];
  if (dt === DataType.DT_FLOAT) {
    const x = useXnn(m * k * n);
    const t = x && (yield* matMulXnn(x, a, b, transposeA, transposeB, m, k, n));
    if (t !== undefined) return t;
  }
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const make = (len: number) =>
      (dt === DataType.DT_INT64 ? new BigInt64Array(len) : new BigUint64Array(len)) as BigInt64Array;
    const out = allocData(dt, m * n, shape) as BigInt64Array;
    let ad = a.data as BigInt64Array;
    let bd = b.data as BigInt64Array;
    if (transposeA) ad = transposeData(ad, a.shape[0]!, a.shape[1]!, make);
    if (transposeB) bd = transposeData(bd, b.shape[0]!, b.shape[1]!, make);
    yield* matMulBig(ad, bd, out, m, k, n);
    return new Tensor(dt, shape, out);
  }
  if (isComplexType(dt)) {
    const make = (len: number) => new Float64Array(len);
    const out = allocData(dt, m * n, shape) as Float64Array;
    let ad = Float64Array.from(a.data as Float64Array);
    let bd = Float64Array.from(b.data as Float64Array);
    if (transposeA) ad = transposeData(ad, a.shape[0]!, a.shape[1]!, make, 2);
    if (transposeB) bd = transposeData(bd, b.shape[0]!, b.shape[1]!, make, 2);
    const acc = new Float64Array(2 * m * n);
    yield* matMulComplex(ad, bd, acc, m, k, n);
    (out as Float64Array).set(acc);
    return new Tensor(dt, shape, out);
  }
  const out = computeBuffer(dt, m * n, shape) as NumericArray;
  const av = numericData(a);
  const bv = numericData(b);
  const [ar, ac] = [a.shape[0]!, a.shape[1]!];
  const [br, bc] = [b.shape[0]!, b.shape[1]!];
  if (
    dt === DataType.DT_FLOAT ||
    dt === DataType.DT_DOUBLE ||
    dt === DataType.DT_HALF ||
    dt === DataType.DT_BFLOAT16
  ) {
    // a as m×k and b as n×k (transposed), both float64 row-major.
    const af = yield* float64Operand(av, ar, ac, transposeA);
    const bt = yield* float64Operand(bv, br, bc, !transposeB);
    yield* matMulFloatSlices(af, bt, out, m, k, n);
  } else {
    const ai = transposeA ? yield* float64Operand(av, ar, ac, true) : av;
    const bi = transposeB ? yield* float64Operand(bv, br, bc, true) : bv;
    yield* matMulInt(ai, bi, out, m, k, n);
  }
  return finish(dt, shape, out);
}

export const matMulConfig: KernelConfig = {
  op: {
    name: "MatMul",
    inputs: ["a: T", "b: T"],
    outputs: ["product: T"],
    attrs: [
      "transpose_a: bool = false",
      "transpose_b: bool = false",
      "T: {bfloat16, half, float, double, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128}",
      "grad_a: bool = false",
      "grad_b: bool = false",
    ],
  },
  kernel: cpuKernel("MatMul", (c) => {
    const dt = checkTypeConstraint(c, "T", [...FLOAT_TYPES, ...INT_TYPES, ...COMPLEX_TYPES]);
    const ta = getAttrBool(c.attrs, "transpose_a");
    const tb = getAttrBool(c.attrs, "transpose_b");
    return denseKernel(dt === DataType.DT_FLOAT, {
      macs: (ctx) => matMulMacs(ctx.input(0), ctx.input(1), tb),
      compute: (ctx) => outputSlices(ctx, matMulSlices(ctx.input(0), ctx.input(1), ta, tb)),
      native: (ctx, rt) => {
        const [a, b] = [ctx.input(0), ctx.input(1)];
        const [m, k, n] = matMulShapes(a, b, ta, tb);
        return ortMatMulSlices(rt, a, b, ta, tb, m, k, n);
      },
    });
  }),
};
