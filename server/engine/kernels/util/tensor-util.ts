// Small tensor helpers shared by kernels: reading index vectors, half/bfloat16 through float32,
// element-wise copies. Everything allocates through the framework's budgeted allocData.

import { invalidArgument } from "../../framework/errors.js";
import {
  bfloat16ArrayToFloat32,
  float32ToBfloat16Array,
  float32ToHalfArray,
  halfArrayToFloat32,
} from "../../framework/float16.js";
import {
  allocData,
  checkAllocation,
  copyStorage,
  type NumericArray,
  numElements,
  shapeString,
  Tensor,
} from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";

/** Reads an int32/int64 tensor's elements as JS numbers (TF index and shape inputs). */
export function readInts(t: Tensor): number[] {
  if (t.dtype === DataType.DT_INT32) return Array.from(t.data as Int32Array);
  if (t.dtype === DataType.DT_INT64) return Array.from(t.data as BigInt64Array, (v) => Number(v));
  throw invalidArgument(`Expected an int32 or int64 tensor, got ${dataTypeString(t.dtype)}`);
}

/** A new int32 or int64 vector tensor holding `values`. */
export function intVector(dtype: DataType, values: readonly number[]): Tensor {
  const data = allocData(dtype, values.length);
  if (dtype === DataType.DT_INT64) {
    for (let i = 0; i < values.length; i++) (data as BigInt64Array)[i] = BigInt(values[i]!);
  } else {
    for (let i = 0; i < values.length; i++) (data as Int32Array)[i] = values[i]!;
  }
  return new Tensor(dtype, [values.length], data);
}

export function isHalfLike(dtype: DataType): boolean {
  return dtype === DataType.DT_HALF || dtype === DataType.DT_BFLOAT16;
}

/**
 * The elements of a real-valued, non-64-bit tensor as a numeric array: half/bfloat16 decoded to a
 * fresh Float32Array, everything else the tensor's own storage (borrowed, do not write).
 */
export function numericData(t: Tensor): NumericArray {
  if (t.dtype === DataType.DT_HALF) return halfArrayToFloat32(t.data as Uint16Array);
  if (t.dtype === DataType.DT_BFLOAT16) return bfloat16ArrayToFloat32(t.data as Uint16Array);
  return t.data as NumericArray;
}

/** Wraps float32 results as a tensor of `dtype`, encoding half/bfloat16 bit patterns. */
export function fromFloat32(dtype: DataType, shape: readonly number[], values: Float32Array): Tensor {
  if (dtype === DataType.DT_HALF) return new Tensor(dtype, shape, float32ToHalfArray(values));
  if (dtype === DataType.DT_BFLOAT16) return new Tensor(dtype, shape, float32ToBfloat16Array(values));
  return new Tensor(dtype, shape, values);
}

/**
 * Storage to compute results of `dtype` into: Float32Array for half/bfloat16 (finish with
 * fromFloat32), the dtype's own storage otherwise.
 */
export function computeBuffer(dtype: DataType, n: number, shape: readonly number[]) {
  if (isHalfLike(dtype)) {
    checkAllocation(dtype, n, shape); // the limit in the dtype's own size, without allocating
    return allocData(DataType.DT_FLOAT, n, shape);
  }
  return allocData(dtype, n, shape);
}

/** Finishes a computeBuffer into a tensor. */
export function finish(
  dtype: DataType,
  shape: readonly number[],
  data: ReturnType<typeof computeBuffer>,
): Tensor {
  if (isHalfLike(dtype)) return fromFloat32(dtype, shape, data as Float32Array);
  return new Tensor(dtype, shape, data);
}

/** A tensor with the same data and a new shape (TF's Tensor::CopyFrom with shape; shares storage). */
export function withShape(t: Tensor, shape: readonly number[]): Tensor {
  if (numElements(shape) !== t.numElements) {
    throw invalidArgument(`Cannot reshape ${shapeString(t.shape)} to ${shapeString(shape)}`);
  }
  return new Tensor(t.dtype, shape, t.data);
}

/** A deep copy of a tensor's storage (strings and handles are shared, being immutable). */
export function copyTensor(t: Tensor): Tensor {
  return new Tensor(t.dtype, t.shape, copyStorage(t.data));
}

/** Normalises a possibly negative axis against rank; undefined when out of [-rank, rank). */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** Values per element in storage: 2 for complex (re, im), 1 otherwise. */
export function lanesOf(dtype: DataType): number {
  return dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128 ? 2 : 1;
}

export type Indexable = { [i: number]: unknown; readonly length: number };

/**
 * dst[dstOffset + i] = src[srcOffset + Σ idx[d]·srcStrides[d]] for the row-major indices i of
 * `shape` (strides in elements; `lanes` storage values per element). Works for every storage kind.
 */
export function stridedCopy(
  src: Indexable,
  srcStrides: readonly number[],
  srcOffset: number,
  dst: Indexable,
  dstOffset: number,
  shape: readonly number[],
  lanes = 1,
): void {
  let total = 1;
  for (const d of shape) total *= d;
  stridedCopyRange(src, srcStrides, srcOffset, dst, dstOffset, shape, lanes, 0, total);
}

/**
 * The part of stridedCopy that writes the row-major output indices [start, end) of `shape`: a copy
 * cut into consecutive ranges writes what one whole copy writes (docs/architecture.md, "Long
 * kernels in slices").
 */
export function stridedCopyRange(
  src: Indexable,
  srcStrides: readonly number[],
  srcOffset: number,
  dst: Indexable,
  dstOffset: number,
  shape: readonly number[],
  lanes: number,
  start: number,
  end: number,
): void {
  if (start >= end) return;
  const rank = shape.length;
  if (rank === 0) {
    for (let l = 0; l < lanes; l++) dst[dstOffset * lanes + l] = src[srcOffset * lanes + l];
    return;
  }
  // The multi-index of `start` and its source position.
  const idx = new Array<number>(rank).fill(0);
  let s = srcOffset;
  let rem = start;
  for (let d = rank - 1; d >= 0; d--) {
    idx[d] = rem % shape[d]!;
    rem = Math.floor(rem / shape[d]!);
    s += idx[d]! * srcStrides[d]!;
  }
  const inner = shape[rank - 1]!;
  const step = srcStrides[rank - 1]!;
  for (let o = start; o < end; ) {
    const j0 = idx[rank - 1]!;
    const len = Math.min(inner - j0, end - o);
    const at = dstOffset + o;
    if (lanes === 1) {
      for (let j = 0; j < len; j++) dst[at + j] = src[s + j * step];
    } else {
      for (let j = 0; j < len; j++) {
        for (let l = 0; l < lanes; l++) dst[(at + j) * lanes + l] = src[(s + j * step) * lanes + l];
      }
    }
    o += len;
    if (o >= end) break;
    // The row is done (a range ends either at `end` or at a row's end): carry into the outer dimensions.
    s -= j0 * step;
    idx[rank - 1] = 0;
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      s += srcStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      s -= srcStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** Fresh storage for n elements of dtype, as an indexable (budget-checked). */
export function allocIndexable(dtype: DataType, n: number, shape: readonly number[]): Indexable {
  return allocData(dtype, n, shape) as unknown as Indexable;
}

/** A tensor's storage as an indexable. */
export function storage(t: Tensor): Indexable {
  return t.data as unknown as Indexable;
}

/** The first element of a real tensor as a JS number (scalars of any real dtype). */
export function scalarValue(t: Tensor): number {
  const d = t.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Number(d[0]);
  return numericData(t)[0]!;
}

const utf8 = new TextDecoder();

/** Element values as display strings (TF's SummarizeValue style). */
export function valuesOfTensor(t: Tensor): string[] {
  const d = t.data;
  if (t.dtype === DataType.DT_STRING) return (d as Uint8Array[]).map((b) => utf8.decode(b));
  if (t.dtype === DataType.DT_RESOURCE) return (d as { name: string }[]).map((h) => `<resource ${h.name}>`);
  if (t.dtype === DataType.DT_BOOL) return Array.from(d as Uint8Array, (v) => (v ? "1" : "0"));
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Array.from(d, (v) => v.toString());
  if (lanesOf(t.dtype) === 2) {
    const a = d as Float64Array;
    const out: string[] = [];
    for (let i = 0; i < a.length; i += 2) out.push(`(${a[i]},${a[i + 1]})`);
    return out;
  }
  return Array.from(numericData(t), (v) => String(v));
}
