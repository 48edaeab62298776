// What the tf.sparse kernels share (TF's core/util/sparse/sparse_tensor.{h,cc} and the checks its
// kernels repeat). A SparseTensor reaches a kernel as three tensors: int64 indices [N, rank], values
// [N] and an int64 dense_shape [rank]. Here indices are read into JS numbers (row-major, N·rank),
// rows are compared lexicographically (TF's DimComparator), and TF's IndicesValid check and the
// output tensors of a sparse result are built.

import { invalidArgument } from "../../framework/errors.js";
import { allocData, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { allocIndexable, intVector, lanesOf, readInts, storage } from "./tensor-util.js";

/** A sparse tensor's indices as numbers: row i, dimension d is at ix[i * rank + d]. */
export interface SparseIndices {
  readonly ix: number[];
  readonly nnz: number;
  readonly rank: number;
}

/** Reads an int64 (or int32) index matrix [N, rank]; the caller has checked it is a matrix. */
export function readIndexMatrix(t: Tensor): SparseIndices {
  return { ix: readIndexValues(t), nnz: t.shape[0] ?? 0, rank: t.shape[1] ?? 0 };
}

/**
 * An int64 (or int32) tensor's values as numbers. int64 is read through a 32-bit view of its
 * little-endian storage: reading a BigInt64Array element allocates a BigInt, which for the millions
 * of indices of a large SparseTensor costs more than the kernel's own work.
 */
export function readIndexValues(t: Tensor): number[] {
  const d = t.data;
  if (!(d instanceof BigInt64Array)) return readInts(t);
  const words = new Int32Array(d.buffer, d.byteOffset, d.length * 2);
  const out = new Array<number>(d.length);
  for (let i = 0; i < d.length; i++) out[i] = words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
  return out;
}

/** -1, 0 or 1 as row a of `x` sorts before, equal to or after row b of `y` (lexicographic). */
export function compareRows(x: SparseIndices, a: number, y: SparseIndices, b: number, rank = x.rank): number {
  for (let d = 0; d < rank; d++) {
    const u = x.ix[a * x.rank + d]!;
    const v = y.ix[b * y.rank + d]!;
    if (u !== v) return u < v ? -1 : 1;
  }
  return 0;
}

/**
 * The row order that sorts the indices lexicographically over `dims` (all dimensions by default),
 * as TF's SparseTensor::Reorder. Stable, so rows with equal keys keep their input order.
 */
export function sortedOrder(s: SparseIndices, dims?: readonly number[]): number[] {
  const order = Array.from({ length: s.nnz }, (_, i) => i);
  const keys = dims ?? Array.from({ length: s.rank }, (_, d) => d);
  order.sort((a, b) => {
    for (const d of keys) {
      const u = s.ix[a * s.rank + d]!;
      const v = s.ix[b * s.rank + d]!;
      if (u !== v) return u < v ? -1 : 1;
    }
    return a - b;
  });
  return order;
}

/** "indices[n] = [i,j]" as TF's IndicesValid prints a row. */
function rowText(s: SparseIndices, n: number): string {
  return `indices[${n}] = [${s.ix.slice(n * s.rank, n * s.rank + s.rank).join(",")}]`;
}

/**
 * TF's SparseTensor::IndicesValid in standard order: every index within `shape`, rows strictly
 * increasing. The first bad row fails with TF's wording (out of bounds, out of order, repeated).
 */
export function checkIndicesValid(s: SparseIndices, shape: readonly number[]): void {
  const { ix, rank } = s;
  for (let n = 0; n < s.nnz; n++) {
    let inBounds = true;
    for (let d = 0; d < rank; d++) {
      const v = ix[n * rank + d]!;
      if (v < 0 || v >= shape[d]!) inBounds = false;
    }
    if (!inBounds) {
      throw invalidArgument(`${rowText(s, n)} is out of bounds: need 0 <= index < [${shape.join(",")}]`);
    }
    if (n === 0) continue;
    const c = compareRows(s, n, s, n - 1);
    if (c < 0) {
      throw invalidArgument(
        `${rowText(s, n)} is out of order. Many sparse ops require sorted indices.\n` +
          "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n",
      );
    }
    if (c === 0) throw invalidArgument(`${rowText(s, n)} is repeated`);
  }
}

/**
 * TF's SparseTensor::Create checks for kernels that build one from their inputs: values a vector
 * with one element per index row, indices a matrix whose width is the shape's rank.
 */
export function checkSparseTensorCreate(indices: Tensor, values: Tensor, rank: number): void {
  if (values.rank !== 1) {
    throw invalidArgument(`vals must be a vec, but got: ${shapeString(values.shape)}`);
  }
  const rows = indices.rank > 0 ? indices.shape[0]! : 1;
  if (rows !== values.shape[0]) {
    throw invalidArgument(
      `indices and values rows (indexing dimension) must match. (indices = ${rows}, values = ${values.shape[0]})`,
    );
  }
  if (indices.rank !== 2) {
    throw invalidArgument(`indices must be a matrix, but got: ${shapeString(indices.shape)}`);
  }
  if (indices.shape[1] !== rank) throw invalidArgument("Order length must be SparseTensor rank.");
}

/** An int64 matrix [rows, cols] of the given numbers. */
export function int64Matrix(values: readonly number[], rows: number, cols: number): Tensor {
  const data = allocData(DataType.DT_INT64, rows * cols, [rows, cols]) as BigInt64Array;
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
  return new Tensor(DataType.DT_INT64, [rows, cols], data);
}

/** An int64 vector of the given numbers. */
export function int64Vector(values: readonly number[]): Tensor {
  return intVector(DataType.DT_INT64, values);
}

/** The index rows of `s` listed in `rows`, as a new int64 matrix. */
export function gatherIndexRows(s: SparseIndices, rows: readonly number[]): Tensor {
  const out: number[] = [];
  for (const r of rows) for (let d = 0; d < s.rank; d++) out.push(s.ix[r * s.rank + d]!);
  return int64Matrix(out, rows.length, s.rank);
}

/**
 * values[rows[i]] for every i (any dtype; -1 leaves the element at its zero value), as a new
 * vector tensor.
 */
export function gatherValues(values: Tensor, rows: readonly number[]): Tensor {
  const lanes = lanesOf(values.dtype);
  const src = storage(values);
  const out = allocIndexable(values.dtype, rows.length, [rows.length]);
  rows.forEach((r, i) => {
    if (r < 0) return;
    for (let l = 0; l < lanes; l++) out[i * lanes + l] = src[r * lanes + l];
  });
  return new Tensor(values.dtype, [rows.length], out as unknown as Tensor["data"]);
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

/** TF's "Input x should be a vector but received shape [..]"-style rank check. */
export function requireRank(t: Tensor, rank: number, message: () => string): void {
  if (t.rank !== rank) throw invalidArgument(message());
}

/**
 * TF's ValidateSparseTensor (core/kernels/sparse_utils.cc) without index validation, as SparseReorder
 * and SparseSlice run it: indices a matrix, values and shape vectors, and their sizes consistent.
 */
export function validateSparseTensor(indices: Tensor, values: Tensor, shape: Tensor): void {
  if (indices.rank !== 2) throw invalidArgument(`Sparse indices must be rank 2 but is rank ${indices.rank}`);
  if (values.rank !== 1) throw invalidArgument(`Sparse values must be rank 1 but is rank ${values.rank}`);
  if (shape.rank !== 1) throw invalidArgument(`Sparse shape must be rank 1 but is rank ${shape.rank}`);
  if (indices.shape[0] !== values.shape[0]) {
    throw invalidArgument(
      `Number of elements in indices (${indices.shape[0]}) and values (${values.shape[0]}) do not match`,
    );
  }
  if (indices.shape[1] !== shape.shape[0]) {
    throw invalidArgument(`Index rank (${indices.shape[1]}) and shape rank (${shape.shape[0]}) do not match`);
  }
}

/**
 * TF's ValidateSparseTensor with unordered index validation: every index row inside `shape`, in
 * any order. The first row outside fails with TF's "Sparse index tuple" message.
 */
export function checkIndicesInBounds(s: SparseIndices, shape: readonly number[]): void {
  for (let n = 0; n < s.nnz; n++) {
    const row = s.ix.slice(n * s.rank, n * s.rank + s.rank);
    if (row.some((v, d) => v < 0 || v >= shape[d]!)) {
      throw invalidArgument(`Sparse index tuple indices[${n}, :] = [${row.join(", ")}] is out of bounds`);
    }
  }
}
