// What TF's Bincount and DenseBincount kernels share (core/kernels/bincount_op.cc): counting (or
// summing weights of) the values of an index tensor into `size` bins, values ≥ size dropped.

import { invalidArgument } from "../../framework/errors.js";
import {
  allocData,
  type BigIntArray,
  type NumericArray,
  shapeString,
  Tensor,
} from "../../framework/tensor.js";
import { type ElementJob, oneLoop, runWhole } from "./element-slices.js";
import { readInts } from "./tensor-util.js";

/** Reads the `size` input: a non-negative scalar. */
export function readBinCount(size: Tensor): number {
  if (size.rank !== 0) throw invalidArgument(`Shape must be rank 0 but is rank ${size.rank}`);
  const n = readInts(size)[0]!;
  if (n < 0) throw invalidArgument(`size (${n}) must be non-negative`);
  return n;
}

/**
 * Adds the values of arr[from..to) into bins[offset..offset+size): weight w[i] (or 1 without
 * weights), or sets the bin to 1 when `binary`.
 */
export function fillBins(
  bins: NumericArray | BigIntArray,
  offset: number,
  size: number,
  arr: readonly number[],
  from: number,
  to: number,
  weights: Tensor | undefined,
  binary: boolean,
): void {
  const big = bins instanceof BigInt64Array;
  const w = weights?.data as NumericArray | BigIntArray | undefined;
  for (let i = from; i < to; i++) {
    const v = arr[i]!;
    if (v >= size) continue;
    const b = offset + v;
    if (big) {
      const a = bins as BigInt64Array;
      a[b] = binary ? 1n : a[b]! + (w ? (w as BigInt64Array)[i]! : 1n);
    } else {
      const a = bins as NumericArray;
      a[b] = binary ? 1 : a[b]! + (w ? (w as NumericArray)[i]! : 1);
    }
  }
}

/** TF's Bincount: arr (any shape, flattened) into `size` bins of dtype T. */
export function bincount(arrT: Tensor, sizeT: Tensor, weights: Tensor): Tensor {
  return runWhole(bincountJob(arrT, sizeT, weights));
}

/**
 * bincount as an ElementJob (util/element-slices.ts): every value checked now, then added into
 * its bin in order over ranges of the values (float sums keep one run's order).
 */
export function bincountJob(arrT: Tensor, sizeT: Tensor, weights: Tensor): ElementJob<Tensor> {
  const dtype = weights.dtype;
  const size = readBinCount(sizeT);
  const arr = readInts(arrT);
  if (arr.some((v) => v < 0)) throw invalidArgument("Input arr must be non-negative!");
  const weighted = weights.numElements > 0;
  if (weighted && weights.numElements !== arr.length) {
    throw invalidArgument("Input indices and weights must have the same size.");
  }
  const bins = allocData(dtype, size, [size]) as NumericArray | BigIntArray;
  const w = weighted ? weights : undefined;
  const run = (s: number, e: number) => fillBins(bins, 0, size, arr, s, e, w, false);
  return oneLoop(arr.length, run, () => new Tensor(dtype, [size], bins), 2);
}

/**
 * TF's DenseBincount: a vector (or scalar) input into [size] bins, a matrix into [rows, size]
 * (one row of bins per row); weights of the input's shape or empty; binary_output counts presence.
 */
export function denseBincount(input: Tensor, sizeT: Tensor, weights: Tensor, binary: boolean): Tensor {
  return runWhole(denseBincountJob(input, sizeT, weights, binary));
}

/**
 * denseBincount as an ElementJob (util/element-slices.ts): every value checked now, then added
 * into its row's bin in order over ranges of the values (a range may end inside a row).
 */
export function denseBincountJob(
  input: Tensor,
  sizeT: Tensor,
  weights: Tensor,
  binary: boolean,
): ElementJob<Tensor> {
  if (input.rank > 2) throw invalidArgument(`Shape must be at most rank 2 but is rank ${input.rank}`);
  const size = readBinCount(sizeT);
  const weighted = weights.numElements > 0;
  if (weighted && shapeString(weights.shape) !== shapeString(input.shape)) {
    throw invalidArgument(
      "`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case it acts as all " +
        `weights equal to 1. Received ${shapeString(weights.shape)}`,
    );
  }
  const arr = readInts(input);
  const negative = arr.find((v) => v < 0);
  if (negative !== undefined) {
    throw invalidArgument(
      input.rank === 2
        ? `Input 'in' must be non-negative! Negative input value found: ${negative}`
        : "Input arr must be non-negative!",
    );
  }
  const dtype = weights.dtype;
  const rows = input.rank === 2 ? input.shape[0]! : 1;
  const cols = input.rank === 2 ? input.shape[1]! : arr.length;
  const shape = input.rank === 2 ? [rows, size] : [size];
  const bins = allocData(dtype, rows * size, shape) as NumericArray | BigIntArray;
  const w = weighted ? weights : undefined;
  const run = (start: number, end: number) => {
    for (let i = start; i < end; ) {
      const r = Math.floor(i / cols);
      const rowEnd = Math.min(end, (r + 1) * cols);
      fillBins(bins, r * size, size, arr, i, rowEnd, w, binary);
      i = rowEnd;
    }
  };
  // Rows of an empty input add nothing (and there may be very many of them): no pass at all.
  return oneLoop(arr.length, run, () => new Tensor(dtype, shape, bins), 2);
}

/** Weights, if any, must give one weight per value (TF reads past the end of shorter ones). */
function checkWeights(weights: Tensor, values: number): Tensor | undefined {
  if (weights.numElements === 0) return undefined;
  if (weights.numElements !== values) {
    throw invalidArgument(
      `weights must have as many elements as values (${values}), got ${weights.numElements}`,
    );
  }
  return weights;
}

/**
 * TF's RaggedBincount: one row of `size` bins per row of a ragged tensor given by its row splits
 * and flat values. Splits must start at 0 and end at the number of values.
 */
export function raggedBincount(
  splitsT: Tensor,
  valuesT: Tensor,
  sizeT: Tensor,
  weights: Tensor,
  binary: boolean,
): Tensor {
  const size = readBinCount(sizeT);
  const splits = readInts(splitsT);
  const values = readInts(valuesT);
  if (splits.length === 0) throw invalidArgument("Splits must be non-empty");
  if (splits[0] !== 0) throw invalidArgument(`Splits must start with 0, not with ${splits[0]}`);
  const last = splits[splits.length - 1]!;
  if (last !== values.length) {
    throw invalidArgument(
      `Splits must end with the number of values, got ${last} instead of ${values.length}`,
    );
  }
  const w = checkWeights(weights, values.length);
  const rows = splits.length - 1;
  const dtype = weights.dtype;
  const bins = allocData(dtype, rows * size, [rows, size]) as NumericArray | BigIntArray;
  let split = 0;
  for (let i = 0; i < values.length; i++) {
    // The row of value i: the last split ≤ i (TF's walk, which also tolerates unsorted splits).
    while (i >= splits[split]!) split++;
    if (values[i]! < 0) throw invalidArgument("Input must be non-negative");
    fillBins(bins, (split - 1) * size, size, values, i, i + 1, w, binary);
  }
  return new Tensor(dtype, [rows, size], bins);
}

/**
 * TF's SparseBincount: the values of a SparseTensor into `size` bins, one row of bins per index of
 * the first dimension (a single row for a 1-D SparseTensor). Negative values are ignored.
 */
export function sparseBincount(
  indicesT: Tensor,
  valuesT: Tensor,
  denseShapeT: Tensor,
  sizeT: Tensor,
  weights: Tensor,
  binary: boolean,
): Tensor {
  const size = readBinCount(sizeT);
  const values = readInts(valuesT);
  const nnz = indicesT.rank > 0 ? indicesT.shape[0]! : 0;
  const rank = indicesT.rank > 1 ? indicesT.shape[1]! : 1;
  if (nnz !== values.length) {
    throw invalidArgument(
      `Number of elements in indices (${nnz}) and values (${values.length}) do not match`,
    );
  }
  const denseShape = readInts(denseShapeT);
  if (rank !== denseShape.length) {
    throw invalidArgument(`Index rank (${rank}) and shape rank (${denseShape.length}) do not match`);
  }
  const indices = readInts(indicesT);
  for (let i = 0; i < nnz; i++) {
    const tuple = indices.slice(i * rank, (i + 1) * rank);
    if (tuple.some((v, d) => v < 0 || v >= denseShape[d]!)) {
      throw invalidArgument(`Sparse index tuple indices[${i}, :] = [${tuple.join(", ")}] is out of bounds`);
    }
  }
  const w = checkWeights(weights, nnz);
  const oneRow = denseShape.length === 1;
  const rows = oneRow ? 1 : denseShape[0]!;
  const shape = oneRow ? [size] : [rows, size];
  const dtype = weights.dtype;
  const bins = allocData(dtype, rows * size, shape) as NumericArray | BigIntArray;
  for (let i = 0; i < nnz; i++) {
    if (values[i]! < 0) continue;
    fillBins(bins, oneRow ? 0 : indices[i * rank]! * size, size, values, i, i + 1, w, binary);
  }
  return new Tensor(dtype, shape, bins);
}
