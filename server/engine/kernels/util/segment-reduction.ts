// What TF's segment reductions share (core/kernels/segment_reduction_ops_impl.h): the element
// arithmetic of sum, product, min and max over rows of every dtype they register, the sorted
// reduction (Segment{Sum,Mean,Prod,Min,Max}) and the unsorted one (UnsortedSegment{Sum,Prod,Min,
// Max}), each with TF's checks and messages.
//
// Rows are computed in the dtype's own arithmetic: float32 rounds every operation (Float32Array
// stores), half and bfloat16 are held in float32 and rounded to their own precision after every
// operation (TF's Eigen::half arithmetic; the sparse reductions instead accumulate them in float and
// round once, see combineRow), integers wrap like C++ (typed-array stores, Math.imul for 32-bit
// products), 64-bit integers in BigInt storage.
// min/max follow Eigen's scalar rule (a data value replaces the accumulator unless the accumulator
// strictly wins), so a NaN is kept only until a later value replaces it — TF's CPU result for every
// unsorted reduction; the sorted ones also reproduce the SIMD packets of TF's CPU build, which skip
// NaNs (floatMinMax).

import { invalidArgument } from "../../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../../framework/float16.js";
import {
  allocData,
  type BigIntArray,
  type NumericArray,
  shapeString,
  Tensor,
} from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import {
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./element-slices.js";
import { computeBuffer, finish, numericData } from "./tensor-util.js";

export type Reducer = "sum" | "prod" | "min" | "max";

/** A buffer of values computed in a dtype's arithmetic (see file comment). */
export type ComputeData = NumericArray | BigIntArray;

/** Index values as JS numbers: int16/int32 storage itself (borrowed), int64 converted. */
export type IndexList = ArrayLike<number> & Iterable<number>;

/** Reads an int16/int32/int64 index tensor's elements as JS numbers. */
export function readIndices(t: Tensor): IndexList {
  if (t.dtype === DataType.DT_INT32 || t.dtype === DataType.DT_INT16)
    return t.data as Int32Array | Int16Array;
  if (t.dtype === DataType.DT_INT64) {
    const src = t.data as BigInt64Array;
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Number(src[i]!);
    return out;
  }
  throw invalidArgument(`Expected an integer index tensor, got ${dataTypeString(t.dtype)}`);
}

const isComplex = (dt: DataType) => dt === DataType.DT_COMPLEX64 || dt === DataType.DT_COMPLEX128;
const isBig = (dt: DataType) => dt === DataType.DT_INT64 || dt === DataType.DT_UINT64;
/** Values per element in compute storage. */
export const lanes = (dt: DataType): number => (isComplex(dt) ? 2 : 1);

/** A tensor's values in compute form (half/bfloat16 decoded to float32; borrowed otherwise). */
export function computeInput(t: Tensor): ComputeData {
  if (isBig(t.dtype) || isComplex(t.dtype)) return t.data as ComputeData;
  return numericData(t);
}

/** Zeroed compute storage for a result of `dtype` and `shape` (charged to the step). */
export function computeOutput(dtype: DataType, shape: readonly number[]): ComputeData {
  let n = 1;
  for (const d of shape) n *= d;
  if (isBig(dtype) || isComplex(dtype)) return allocData(dtype, n, shape) as ComputeData;
  return computeBuffer(dtype, n, shape) as NumericArray;
}

/** The tensor a compute buffer holds. */
export function finishOutput(dtype: DataType, shape: readonly number[], data: ComputeData): Tensor {
  if (isBig(dtype) || isComplex(dtype)) return new Tensor(dtype, shape, data);
  return finish(dtype, shape, data as NumericArray);
}

const F32_MAX = 3.4028234663852886e38;
const BF16_MAX = 3.3895313892515355e38;

/** numeric_limits<T>::lowest() or max() in compute terms. */
function limit(dtype: DataType, high: boolean): number | bigint {
  const s = high ? 1 : -1;
  switch (dtype) {
    case DataType.DT_FLOAT:
      return s * F32_MAX;
    case DataType.DT_DOUBLE:
      return s * Number.MAX_VALUE;
    case DataType.DT_HALF:
      return s * 65504;
    case DataType.DT_BFLOAT16:
      return s * BF16_MAX;
    case DataType.DT_INT8:
      return high ? 127 : -128;
    case DataType.DT_INT16:
      return high ? 32767 : -32768;
    case DataType.DT_INT32:
      return high ? 2147483647 : -2147483648;
    case DataType.DT_UINT8:
      return high ? 255 : 0;
    case DataType.DT_UINT16:
      return high ? 65535 : 0;
    case DataType.DT_UINT32:
      return high ? 4294967295 : 0;
    case DataType.DT_INT64:
      return high ? 2n ** 63n - 1n : -(2n ** 63n);
    case DataType.DT_UINT64:
      return high ? 2n ** 64n - 1n : 0n;
    default:
      throw invalidArgument(`No limits for ${dataTypeString(dtype)}`);
  }
}

/** The value an empty unsorted segment holds: 0, 1, lowest() for max, max() for min. */
function identity(dtype: DataType, r: Reducer): number | bigint {
  if (r === "min" || r === "max") return limit(dtype, r === "min");
  const v = r === "prod" ? 1 : 0;
  return isBig(dtype) ? BigInt(v) : v;
}

/** Sets elements [from, to) (element indices) to the reducer's identity (complex: re = v, im = 0). */
export function fillIdentity(dtype: DataType, r: Reducer, out: ComputeData, from: number, to: number): void {
  const v = identity(dtype, r);
  if (isComplex(dtype)) {
    for (let i = from; i < to; i++) {
      (out as NumericArray)[2 * i] = v as number;
      (out as NumericArray)[2 * i + 1] = 0;
    }
    return;
  }
  (out as { fill(v: number | bigint, a: number, b: number): unknown }).fill(v, from, to);
}

/**
 * out[o..o+n) = out ⊕ in[i..i+n) elementwise (n elements; offsets in elements). Half and bfloat16
 * results are rounded to the dtype after each operation unless `accumulateInFloat`.
 */
export function combineRow(
  dtype: DataType,
  r: Reducer,
  out: ComputeData,
  o: number,
  inp: ComputeData,
  i: number,
  n: number,
  accumulateInFloat = false,
): void {
  if (isComplex(dtype)) {
    combineComplex(dtype, r, out as NumericArray, o, inp as NumericArray, i, n);
    return;
  }
  if (isBig(dtype)) {
    const a = out as BigIntArray;
    const b = inp as BigIntArray;
    for (let j = 0; j < n; j++) a[o + j] = reduceBig(r, a[o + j]!, b[i + j]!);
    return;
  }
  combineNumbers(r, dtype, out as NumericArray, o, inp as NumericArray, i, n);
  const round16 = accumulateInFloat ? undefined : roundTo16(dtype);
  if (round16) for (let j = o; j < o + n; j++) (out as NumericArray)[j] = round16(out[j] as number);
}

const roundHalf = (v: number) => halfToFloat(floatToHalf(v));
const roundBfloat16 = (v: number) => bfloat16ToFloat(floatToBfloat16(v));

/** Rounding of a float32 value to half or bfloat16 precision; undefined for other dtypes. */
function roundTo16(dtype: DataType): ((v: number) => number) | undefined {
  if (dtype === DataType.DT_HALF) return roundHalf;
  if (dtype === DataType.DT_BFLOAT16) return roundBfloat16;
  return undefined;
}

/** combineRow for number storage, one loop per reducer (rows can be long: embeddings). */
function combineNumbers(
  r: Reducer,
  dtype: DataType,
  a: NumericArray,
  o: number,
  b: NumericArray,
  i: number,
  n: number,
): void {
  const d = i - o;
  const end = o + n;
  if (r === "sum") {
    for (let j = o; j < end; j++) a[j] = a[j]! + b[j + d]!;
  } else if (r === "prod") {
    const imul = dtype === DataType.DT_INT32 || dtype === DataType.DT_UINT32;
    for (let j = o; j < end; j++) a[j] = imul ? Math.imul(a[j]!, b[j + d]!) : a[j]! * b[j + d]!;
  } else if (r === "max") {
    for (let j = o; j < end; j++) {
      const x = a[j]!;
      const y = b[j + d]!;
      // biome-ignore lint/complexity/useMathMinMax: Math.max propagates every NaN; Eigen's rule does not
      a[j] = y < x ? x : y;
    }
  } else {
    for (let j = o; j < end; j++) {
      const x = a[j]!;
      const y = b[j + d]!;
      // biome-ignore lint/complexity/useMathMinMax: Math.min propagates every NaN; Eigen's rule does not
      a[j] = x < y ? x : y;
    }
  }
}

function reduceBig(r: Reducer, x: bigint, y: bigint): bigint {
  if (r === "sum") return x + y;
  if (r === "prod") return x * y;
  if (r === "max") return y < x ? x : y;
  return x < y ? x : y;
}

function combineComplex(
  dtype: DataType,
  r: Reducer,
  a: NumericArray,
  o: number,
  b: NumericArray,
  i: number,
  n: number,
): void {
  const round = dtype === DataType.DT_COMPLEX64 ? Math.fround : (v: number) => v;
  for (let j = 0; j < n; j++) {
    const p = 2 * (o + j);
    const q = 2 * (i + j);
    if (r === "sum") {
      a[p] = a[p]! + b[q]!;
      a[p + 1] = a[p + 1]! + b[q + 1]!;
    } else {
      const [xr, xi, yr, yi] = [a[p]!, a[p + 1]!, b[q]!, b[q + 1]!];
      a[p] = round(xr * yr) - round(xi * yi);
      a[p + 1] = round(xr * yi) + round(xi * yr);
    }
  }
}

/** out[o..o+n) = in[i..i+n) (element offsets). */
export function copyRow(
  dtype: DataType,
  out: ComputeData,
  o: number,
  inp: ComputeData,
  i: number,
  n: number,
): void {
  const l = lanes(dtype);
  const a = out as NumericArray;
  const b = inp as NumericArray;
  const [dst, src] = [o * l, i * l];
  // An element loop: a subarray view per row costs more than copying a short row.
  for (let j = 0; j < n * l; j++) a[dst + j] = b[src + j]!;
}

/**
 * out[o..o+n) /= divisor in T's arithmetic: integers truncate toward zero (C++ division), floats
 * divide by the divisor rounded to T (`static_cast<T>(count)` or of a square root).
 */
export function divideRow(dtype: DataType, out: ComputeData, o: number, n: number, divisor: number): void {
  if (isBig(dtype)) {
    const a = out as BigIntArray;
    const d = BigInt(divisor);
    for (let j = o; j < o + n; j++) a[j] = a[j]! / d;
    return;
  }
  const a = out as NumericArray;
  const isInt = !(a instanceof Float32Array || a instanceof Float64Array);
  const d = a instanceof Float32Array ? Math.fround(divisor) : divisor;
  const l = lanes(dtype);
  for (let j = o * l; j < (o + n) * l; j++) a[j] = isInt ? Math.trunc(a[j]! / d) : a[j]! / d;
}

/** out[o..o+n) *= factor cast to T (floating dtypes only; half and bfloat16 scale in float32). */
export function scaleRow(out: ComputeData, o: number, n: number, factor: number): void {
  const a = out as NumericArray;
  const f = a instanceof Float32Array ? Math.fround(factor) : factor;
  for (let j = o; j < o + n; j++) a[j] = a[j]! * f;
}

/** TF's SegmentReductionValidationHelper: data at least rank 1, ids a vector as long as dim 0. */
function checkSorted(data: Tensor, ids: Tensor): void {
  if (data.rank < 1) throw invalidArgument("input must be at least rank 1");
  if (ids.rank !== 1) throw invalidArgument("segment_ids should be a vector.");
  if (ids.shape[0] !== data.shape[0]) {
    throw invalidArgument("segment_ids should be the same size as dimension 0 of input.");
  }
}

/** "Segment id … out of range" for a sorted reduction whose ids walk out of [0, rows). */
export function sortedIdOutOfRange(id: number, rows: number): Error {
  return invalidArgument(
    `Segment id ${id} out of range [0, ${rows}), possibly because 'segment_ids' input is not sorted.`,
  );
}

/**
 * Walks sorted segment ids the way TF's sorted kernels do, calling `segment(id, start, end)` for
 * each run of equal ids and `gap(from, to)` for output rows no id names (including the tail up to
 * `rows`). Throws TF's errors for decreasing ids and ids outside [0, rows).
 */
export function walkSegments(
  ids: IndexList,
  rows: number,
  segment: (id: number, start: number, end: number) => void,
  gap: (from: number, to: number) => void,
): void {
  let uninitialized = 0;
  let start = 0;
  while (start < ids.length) {
    const id = ids[start]!;
    let end = start + 1;
    while (end < ids.length && ids[end] === id) end++;
    if (end < ids.length && !(id < ids[end]!)) throw invalidArgument("segment ids are not increasing");
    if (id < 0 || id >= rows) throw sortedIdOutOfRange(id, rows);
    if (id > uninitialized) gap(uninitialized, id);
    segment(id, start, end);
    uninitialized = id + 1;
    start = end;
  }
  if (rows > uninitialized) gap(uninitialized, rows);
}

/** Product of a shape's dims from `from` on (elements per row). */
export function rowSize(shape: readonly number[], from = 1): number {
  let n = 1;
  for (let i = from; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/**
 * TF's SegmentReductionOp: rows of `data` with equal (sorted) ids reduced into output row id; the
 * output has last id + 1 rows, rows no id names hold 0 (1 for a product). `mean` divides each
 * segment by its row count.
 */
export function sortedSegmentReduce(data: Tensor, segmentIds: Tensor, r: Reducer, mean = false): Tensor {
  return runWhole(sortedSegmentJob(data, segmentIds, r, mean));
}

/** Where input row k goes in a sorted reduction: its segment's output row and row range. */
interface SegmentRuns {
  readonly id: Float64Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

/** Every input row's segment, found (and every id checked, with TF's errors) before any work. */
function segmentRuns(ids: IndexList, rows: number, gapRows: Uint8Array): SegmentRuns {
  const runs = {
    id: new Float64Array(ids.length),
    start: new Float64Array(ids.length),
    end: new Float64Array(ids.length),
  };
  walkSegments(
    ids,
    rows,
    (id, start, end) => {
      runs.id.fill(id, start, end);
      runs.start.fill(start, start, end);
      runs.end.fill(end, start, end);
    },
    (from, to) => gapRows.fill(1, from, to),
  );
  return runs;
}

/**
 * sortedSegmentReduce as an ElementJob (util/element-slices.ts): the ids are walked and checked up
 * front; then a pass fills the product's identity into rows no id names, and a pass over the input
 * elements in row order folds each into its output element. Every output element sees its
 * segment's rows in the same order as the whole run (start value, rows start..end-1, then the
 * mean's division), so cutting the pass anywhere gives the same bits.
 */
export function sortedSegmentJob(
  data: Tensor,
  segmentIds: Tensor,
  r: Reducer,
  mean = false,
): ElementJob<Tensor> {
  checkSorted(data, segmentIds);
  const ids = readIndices(segmentIds);
  const rows = ids.length > 0 ? ids[ids.length - 1]! + 1 : 0;
  if (rows < 0) throw invalidArgument("segment ids must be >= 0");
  const dt = data.dtype;
  const shape = [rows, ...data.shape.slice(1)];
  const out = computeOutput(dt, shape);
  const encoded = encodedCompute(dt, shape, out);
  if (ids.length === 0) return { passes: encoded.passes, result: encoded.result };
  if (rows === 0) throw invalidArgument("segment ids must be >= 0");
  const gapRows = new Uint8Array(rows);
  const runs = segmentRuns(ids, rows, gapRows);
  const cols = rowSize(data.shape);
  const input = decodedCompute(data);
  const passes: ElementPass[] = [...input.passes];
  // computeOutput is zeroed: only a product's gaps need a value (1).
  if (r === "prod")
    passes.push(
      rowsPass(rows, cols, (row, c0, c1) => {
        if (gapRows[row]) fillIdentity(dt, "prod", out, row * cols + c0, row * cols + c1);
      }),
    );
  const fold = sortedFold(dt, r, mean, out, input.data, runs, cols);
  passes.push(rowsPass(ids.length, cols, fold));
  return { passes: [...passes, ...encoded.passes], result: encoded.result };
}

/** Columns [c0, c1) of input row k folded into its segment's output row (see sortedSegmentJob). */
function sortedFold(
  dt: DataType,
  r: Reducer,
  mean: boolean,
  out: ComputeData,
  inp: ComputeData,
  runs: SegmentRuns,
  cols: number,
): (k: number, c0: number, c1: number) => void {
  const minMax = (r === "min" || r === "max") && isFloat(dt);
  return (k, c0, c1) => {
    const [id, start, end] = [runs.id[k]!, runs.start[k]!, runs.end[k]!];
    const o = id * cols;
    if (end - start === 1) {
      copyRow(dt, out, o + c0, inp, k * cols + c0, c1 - c0);
      return;
    }
    if (minMax) {
      floatMinMaxRow(
        dt,
        r as "min" | "max",
        out as NumericArray,
        o,
        inp as NumericArray,
        k,
        k === start,
        cols,
        c0,
        c1,
      );
      return;
    }
    // Eigen's reducers start from the identity (so a sum of -0s is +0).
    if (k === start) fillIdentity(dt, r, out, o + c0, o + c1);
    combineRow(dt, r, out, o + c0, inp, k * cols + c0, c1 - c0);
    if (mean && k === end - 1) divideRow(dt, out, o + c0, c1 - c0, end - start);
  };
}

/**
 * A pass over `rows` rows of `cols` elements that calls `part(row, c0, c1)` for the columns of
 * each row inside the range, in row order; ranges may end inside a row.
 */
export function rowsPass(
  rows: number,
  cols: number,
  part: (row: number, c0: number, c1: number) => void,
): ElementPass {
  const run = (start: number, end: number) => {
    for (let i = start; i < end; ) {
      const row = Math.floor(i / cols);
      const c0 = i - row * cols;
      const c1 = Math.min(cols, c0 + (end - i));
      part(row, c0, c1);
      i += c1 - c0;
    }
  };
  return { n: rows * cols, run };
}

/** A tensor's values in compute form (computeInput), with the pass decoding half/bfloat16. */
export function decodedCompute(t: Tensor): { data: ComputeData; passes: ElementPass[] } {
  if (isBig(t.dtype) || isComplex(t.dtype)) return { data: t.data as ComputeData, passes: [] };
  return decodedInput(t);
}

/** finishOutput as a pass encoding half/bfloat16 and the tensor it makes. */
export function encodedCompute(
  dtype: DataType,
  shape: readonly number[],
  out: ComputeData,
): { passes: ElementPass[]; result: () => Tensor } {
  if (isBig(dtype) || isComplex(dtype)) return { passes: [], result: () => new Tensor(dtype, shape, out) };
  return encodedOutput(dtype, shape, out as NumericArray);
}

const isFloat = (dt: DataType) =>
  dt === DataType.DT_FLOAT ||
  dt === DataType.DT_DOUBLE ||
  dt === DataType.DT_HALF ||
  dt === DataType.DT_BFLOAT16;

/**
 * The min/max of a float dtype's segment as Eigen's reducer computes it on TF's (AVX) CPU build,
 * here input row k's columns [c0, c1) folded in (`first`: the segment's first row, which starts
 * the output at ±infinity): the leading columns in SIMD packets (8 floats, 4 doubles) whose
 * max/min instructions skip a NaN, the remaining columns one by one with the scalar rule of
 * combineRow, where a NaN stays until a later value replaces it. Columns are independent, so
 * rows visited in order give each output element the whole run's steps.
 */
function floatMinMaxRow(
  dt: DataType,
  r: "min" | "max",
  out: NumericArray,
  o: number,
  inp: NumericArray,
  k: number,
  first: boolean,
  cols: number,
  c0: number,
  c1: number,
): void {
  const packet = dt === DataType.DT_DOUBLE ? 4 : 8;
  const packed = cols - (cols % packet);
  if (first) out.fill(r === "max" ? -Infinity : Infinity, o + c0, o + c1);
  const row = k * cols;
  for (let c = c0; c < Math.min(c1, packed); c++) {
    const t = inp[row + c]!;
    if (r === "max" ? t > out[o + c]! : t < out[o + c]!) out[o + c] = t;
  }
  const s0 = Math.max(c0, packed);
  if (c1 > s0) combineRow(dt, r, out, o + s0, inp, row + s0, c1 - s0);
}

/**
 * TF's UnsortedSegmentReductionOp: output[ids[i…], …] ⊕= data[i…, …] over an output of
 * num_segments rows that starts at the reducer's identity. Negative ids are skipped; ids ≥
 * num_segments are INVALID_ARGUMENT naming the id's position in segment_ids.
 */
export function unsortedSegmentReduce(
  data: Tensor,
  segmentIds: Tensor,
  numSegmentsT: Tensor,
  r: Reducer,
): Tensor {
  return runWhole(unsortedSegmentJob(data, segmentIds, numSegmentsT, r));
}

/**
 * unsortedSegmentReduce as an ElementJob (util/element-slices.ts): every id is checked up front,
 * then a pass fills the identity and a pass over the input elements in row order folds each into
 * its output element, so each output element sees its rows in the whole run's order.
 */
export function unsortedSegmentJob(
  data: Tensor,
  segmentIds: Tensor,
  numSegmentsT: Tensor,
  r: Reducer,
): ElementJob<Tensor> {
  if (numSegmentsT.rank !== 0) {
    throw invalidArgument(`num_segments should be a scalar, not shape ${shapeString(numSegmentsT.shape)}`);
  }
  const prefix = segmentIds.shape;
  if (!(prefix.length <= data.rank && prefix.every((d, i) => data.shape[i] === d))) {
    throw invalidArgument(
      `data.shape = ${shapeString(data.shape)} does not start with segment_ids.shape = ${shapeString(prefix)}`,
    );
  }
  const numSegments = readIndices(numSegmentsT)[0]!;
  if (numSegments < 0) throw invalidArgument(`Input num_segments == ${numSegments} must not be negative.`);
  const dt = data.dtype;
  const shape = [numSegments, ...data.shape.slice(prefix.length)];
  const cols = rowSize(data.shape, prefix.length);
  const out = computeOutput(dt, shape);
  const encoded = encodedCompute(dt, shape, out);
  const fill: ElementPass = { n: numSegments * cols, run: (s, e) => fillIdentity(dt, r, out, s, e) };
  if (data.numElements === 0) return { passes: [fill, ...encoded.passes], result: encoded.result };
  const ids = readIndices(segmentIds);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= numSegments) {
      throw invalidArgument(
        `segment_ids${sliceString(prefix, i)} = ${id} is out of range [0, ${numSegments})`,
      );
    }
  }
  const input = decodedCompute(data);
  // Negative ids are skipped.
  const fold = rowsPass(ids.length, cols, (i, c0, c1) => {
    const id = ids[i]!;
    if (id >= 0) combineRow(dt, r, out, id * cols + c0, input.data, i * cols + c0, c1 - c0);
  });
  return { passes: [...input.passes, fill, fold, ...encoded.passes], result: encoded.result };
}

/** TF's SliceDebugString: the multi-index of flat position i in `shape`, as "[1,2]". */
function sliceString(shape: readonly number[], i: number): string {
  const idx: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(rest % shape[d]!);
    rest = Math.floor(rest / shape[d]!);
  }
  return `[${idx.join(",")}]`;
}
