// TensorFlow's BCast (core/util/bcast.h): numpy-style broadcasting of two shapes.
//
// Shapes are aligned on their last dimension; each pair of dimensions must be equal or one of them
// must be 1 (a 1 stretches to the other size, including to 0). Anything else is TF's
// INVALID_ARGUMENT "Incompatible shapes: [2] vs. [3]" (the text BinaryOpShared reports).

import { invalidArgument } from "./errors.js";
import { shapeString } from "./tensor.js";

/** The broadcast result shape of x and y, or TF's "Incompatible shapes" error. */
export function broadcastShapes(x: readonly number[], y: readonly number[]): number[] {
  const rank = Math.max(x.length, y.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const dx = i < rank - x.length ? 1 : x[i - (rank - x.length)]!;
    const dy = i < rank - y.length ? 1 : y[i - (rank - y.length)]!;
    if (dx === dy) out[i] = dx;
    else if (dx === 1) out[i] = dy;
    else if (dy === 1) out[i] = dx;
    else throw incompatibleShapes(x, y);
  }
  return out;
}

export function incompatibleShapes(x: readonly number[], y: readonly number[]): Error {
  return invalidArgument(`Incompatible shapes: ${shapeString(x)} vs. ${shapeString(y)}`);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * Strides of `inShape` read as `outShape` (right-aligned): 0 on broadcast dimensions, so that
 * offset = Σ index[d] · stride[d] addresses the input element for an output index.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const own = stridesOf(inShape);
  const out = new Array<number>(rank).fill(0);
  const lead = rank - inShape.length;
  for (let i = 0; i < inShape.length; i++) {
    out[lead + i] = inShape[i] === 1 && outShape[lead + i] !== 1 ? 0 : own[i]!;
  }
  return out;
}

/**
 * Calls body(outOffset, aOffset, bOffset, count, aStep, bStep) for runs of `count` consecutive
 * output elements whose inputs advance by aStep / bStep, walking the output in row-major order.
 * The innermost dimension is the run, so the per-element work stays in the caller's tight loop.
 */
export function forEachBroadcastRun(
  outShape: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
  body: (o: number, a: number, b: number, count: number, aStep: number, bStep: number) => void,
): void {
  let total = 1;
  for (const d of outShape) total *= d;
  forEachBroadcastRunIn(outShape, aStrides, bStrides, 0, total, body);
}

/**
 * forEachBroadcastRun restricted to output elements [start, end): the same runs in the same order,
 * the first and last cut at the range's ends. Consecutive ranges together make exactly the walk of
 * forEachBroadcastRun (how sliced kernels walk a huge tensor in pieces, util/element-slices.ts).
 */
export function forEachBroadcastRunIn(
  outShape: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
  start: number,
  end: number,
  body: (o: number, a: number, b: number, count: number, aStep: number, bStep: number) => void,
): void {
  const rank = outShape.length;
  if (end <= start) return;
  if (rank === 0) {
    body(0, 0, 0, 1, 0, 0);
    return;
  }
  const inner = outShape[rank - 1]!;
  const aStep = aStrides[rank - 1]!;
  const bStep = bStrides[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let row = Math.floor(start / inner);
  let j = start - row * inner;
  let a = 0;
  let b = 0;
  for (let d = rank - 2; d >= 0; d--) {
    const q = row % outShape[d]!;
    row = (row - q) / outShape[d]!;
    idx[d] = q;
    a += q * aStrides[d]!;
    b += q * bStrides[d]!;
  }
  for (let o = start; o < end; j = 0) {
    const count = Math.min(inner - j, end - o);
    body(o, a + j * aStep, b + j * bStep, count, aStep, bStep);
    o += count;
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      a += aStrides[d]!;
      b += bStrides[d]!;
      if (idx[d]! < outShape[d]!) break;
      a -= aStrides[d]! * outShape[d]!;
      b -= bStrides[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * TF's BroadcastGradientArgs (BCast::grad_x_reduce_idx / grad_y_reduce_idx): for each input, the
 * dimensions of the broadcast result it must be summed over to get its gradient. A dimension that
 * is 1 (or missing) on a side is reduced for that side, also when both sides are 1, as TF does.
 */
export function broadcastGradientArgs(x: readonly number[], y: readonly number[]): [number[], number[]] {
  const rank = broadcastShapes(x, y).length;
  const rx: number[] = [];
  const ry: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dx = i < rank - x.length ? 1 : x[i - (rank - x.length)]!;
    const dy = i < rank - y.length ? 1 : y[i - (rank - y.length)]!;
    if (dx === 1) rx.push(i);
    if (dy === 1) ry.push(i);
  }
  return [rx, ry];
}
