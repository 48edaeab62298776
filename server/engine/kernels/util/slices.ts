// Helpers for sliced kernels (KernelSlices in framework/op-kernel.ts; docs/architecture.md,
// "Sliced kernels"). A kernel's work is written once, as a generator that yields between pieces of
// about a millisecond; run at once it is the plain synchronous kernel (drainSync), returned from
// compute it is cut into slices by the executor. Both run the same arithmetic in the same order, so
// results are bit-identical whichever way it ran.

import { internal } from "../../framework/errors.js";
import type { KernelSlices, OpKernelContext } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";

/** A kernel's work as slices, returning its result. */
export type Slices<T> = Generator<void | Promise<unknown>, T, undefined>;

/**
 * Work units per slice piece: about a millisecond of multiply-adds in the float64 JS loops and on
 * XNNPACK (measured on this 2-core VM: ~1 and ~9 G multiply-adds/s), and of element visits in
 * copies and transposes.
 */
export const JS_PIECE_MACS = 2 ** 20;
export const XNN_PIECE_MACS = 2 ** 23;
export const COPY_PIECE_ELEMENTS = 2 ** 20;

/** Runs slices to the end here and now; they must not wait for anything. */
export function drainSync<T>(g: Slices<T>): T {
  while (true) {
    const r = g.next();
    if (r.done) return r.value;
    if (r.value !== undefined) throw internal("A kernel waited for something where it cannot wait");
  }
}

/** The slices of a kernel whose result is its output 0 (`owned` as OpKernelContext.setOutput's). */
export function* outputSlices(ctx: OpKernelContext, g: Slices<Tensor>, owned = false): KernelSlices {
  ctx.setOutput(0, yield* g, owned);
}

/** Rows per piece when one row costs `rowWork` units and a piece `pieceWork` (at least one). */
export function rowsPerPiece(rowWork: number, pieceWork: number): number {
  return Math.max(1, Math.floor(pieceWork / Math.max(1, rowWork)));
}

/**
 * Part of a transpose: for rows i in [i0, i1) and columns j in [c0, c1) of the row-major matrix
 * `src` with c columns, dst[(j - c0)·stride + (i - i0)] = src[i·c + j]. In tiles, so both sides
 * stay in cache.
 */
export function transposePart(
  src: ArrayLike<number>,
  c: number,
  i0: number,
  i1: number,
  c0: number,
  c1: number,
  dst: { [i: number]: number },
  stride: number,
): void {
  const T = 32;
  for (let ib = i0; ib < i1; ib += T) {
    const ie = Math.min(i1, ib + T);
    for (let jb = c0; jb < c1; jb += T) {
      const je = Math.min(c1, jb + T);
      for (let i = ib; i < ie; i++) {
        const s = i * c;
        const d = i - i0 - c0 * stride;
        for (let j = jb; j < je; j++) dst[j * stride + d] = src[s + j]!;
      }
    }
  }
}

/**
 * The r×c matrix `src` as float64, row-major, or its transpose (c×r) when `transpose`, in pieces.
 * Plain scratch (uncharged), as the kernels' operand copies have always been.
 */
export function* float64Operand(
  src: ArrayLike<number>,
  r: number,
  c: number,
  transpose: boolean,
): Slices<Float64Array> {
  const out = new Float64Array(r * c);
  const rows = rowsPerPiece(c, COPY_PIECE_ELEMENTS);
  for (let i0 = 0; i0 < r; i0 += rows) {
    const i1 = Math.min(r, i0 + rows);
    if (transpose) transposePart(src, c, i0, i1, 0, c, out.subarray(i0), r);
    else for (let i = i0 * c; i < i1 * c; i++) out[i] = src[i]!;
    yield;
  }
  return out;
}

/** Slices that wait for `p` (one yield) and return its value, or throw its error. */
export function* settle<T>(p: Promise<T>): Slices<T> {
  const box: { done?: { value: T } | { error: unknown } } = {};
  yield p.then(
    (value) => {
      box.done = { value };
    },
    (error: unknown) => {
      box.done = { error };
    },
  );
  const done = box.done;
  if (done === undefined) throw internal("A kernel resumed before the promise it waited for settled");
  if ("error" in done) throw done.error;
  return done.value;
}
