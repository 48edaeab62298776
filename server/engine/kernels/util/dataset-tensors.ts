// The tensor copies tf.data's kernels make (core/kernels/data/dataset_utils.cc, batch_util.cc): a
// row of a tensor along its first dimension (TensorSliceDataset), rows stacked into a batch
// (BatchDataset) and rows padded into a batch (PaddedBatchDataset). Storage comes from allocData,
// so each copy is checked against the tensor limit and charged to the step computing it.

import { allocData, Tensor, type TensorData } from "../../framework/tensor.js";
import type { DataType } from "../../framework/types.js";
import { lanesOf } from "./tensor-util.js";

type Indexable = { [i: number]: unknown; readonly length: number };

const rowSize = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function copyRange(src: TensorData, from: number, dst: TensorData, to: number, n: number): void {
  const s = src as unknown as Indexable;
  const d = dst as unknown as Indexable;
  if (ArrayBuffer.isView(src) && ArrayBuffer.isView(dst)) {
    (dst as Uint8Array).set((src as Uint8Array).subarray(from, from + n), to);
    return;
  }
  for (let i = 0; i < n; i++) d[to + i] = s[from + i];
}

/** Row i of t along dimension 0 (TF's MaybeCopySubSlice / batch_util::CopySliceToElement). */
export function sliceRow(t: Tensor, i: number): Tensor {
  const shape = t.shape.slice(1);
  const lanes = lanesOf(t.dtype);
  const n = rowSize(shape);
  const data = allocData(t.dtype, n, shape);
  copyRange(t.data, i * n * lanes, data, 0, n * lanes);
  return new Tensor(t.dtype, shape, data);
}

/** Stacks same-shaped tensors into [rows.length, ...shape] (TF's batch_util::CopyElementToSlice). */
export function stackRows(dtype: DataType, rowShape: readonly number[], rows: readonly Tensor[]): Tensor {
  const shape = [rows.length, ...rowShape];
  const lanes = lanesOf(dtype);
  const n = rowSize(rowShape) * lanes;
  const data = allocData(dtype, rows.length * rowSize(rowShape), shape);
  rows.forEach((r, i) => {
    copyRange(r.data, 0, data, i * n, n);
  });
  return new Tensor(dtype, shape, data);
}

/**
 * Rows of one rank padded to `padded` (each dimension at least the row's) and stacked, the padding
 * filled with `padValue` (a scalar of the dtype); TF's batch_util::CopyElementToLargerSlice.
 */
export function padRows(
  dtype: DataType,
  padded: readonly number[],
  rows: readonly Tensor[],
  padValue: Tensor,
): Tensor {
  const shape = [rows.length, ...padded];
  const lanes = lanesOf(dtype);
  const size = rowSize(padded);
  const data = allocData(dtype, rows.length * size, shape);
  const d = data as unknown as Indexable;
  const pv = padValue.data as unknown as Indexable;
  for (let k = 0; k < rows.length * size; k++) for (let l = 0; l < lanes; l++) d[k * lanes + l] = pv[l];
  const strides = padded.map((_, i) => rowSize(padded.slice(i + 1)));
  rows.forEach((r, b) => {
    copyInto(r, data, b * size, strides, lanes);
  });
  return new Tensor(dtype, shape, data);
}

/** Copies row r into a larger row starting at `base`, whose dimensions have `strides`. */
function copyInto(r: Tensor, dst: TensorData, base: number, strides: readonly number[], lanes: number): void {
  const rank = r.rank;
  const n = r.numElements;
  if (n === 0) return;
  if (rank === 0) {
    copyRange(r.data, 0, dst, base * lanes, lanes);
    return;
  }
  const inner = r.shape[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; o += inner) {
    let at = base;
    for (let k = 0; k < rank - 1; k++) at += idx[k]! * strides[k]!;
    copyRange(r.data, o * lanes, dst, at * lanes, inner * lanes);
    for (let k = rank - 2; k >= 0; k--) {
      idx[k]!++;
      if (idx[k]! < r.shape[k]!) break;
      idx[k] = 0;
    }
  }
}
