// TF's sparse segment reductions (core/kernels/segment_reduction_ops_impl.h,
// SparseSegmentReductionOpBase and SparseSegmentGradOpBase): SparseSegment{Sum,Mean,SqrtN} reduce
// the rows data[indices[i]] into output row segment_ids[i] (ids sorted), optionally over a given
// num_segments; their gradients scatter grad[segment_ids[i]] (scaled by 1/n or 1/√n for the
// segment's n rows) back into row indices[i] of a dense output (Grad) or of one output row per
// distinct index (GradV2, with the sorted distinct indices). These are what tf.sparse.segment_*
// and embedding_lookup_sparse build, and what their gradients emit. Both run as ElementJobs
// (element-slices.ts): ids and indices checked before the first slice, rows folded in TF's order.

import { invalidArgument } from "../../framework/errors.js";
import type { KernelSlices, OpKernelContext } from "../../framework/op-kernel.js";
import { type NumericArray, shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { computeJob, computeJobOutputs, doneJob, type ElementJob, runWhole } from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import {
  type ComputeData,
  combineRow,
  computeOutput,
  copyRow,
  decodedCompute,
  divideRow,
  encodedCompute,
  finishOutput,
  type IndexList,
  readIndices,
  rowSize,
  rowsPass,
  scaleRow,
  walkSegments,
} from "./segment-reduction.js";
import { intVector } from "./tensor-util.js";

export type SparseReduction = "sum" | "mean" | "sqrtn";

/** The shape checks the forward and gradient kernels share (TF's order and wording). */
function checkIndexVectors(indices: Tensor, segmentIds: Tensor): void {
  if (indices.rank !== 1) throw invalidArgument("indices should be a vector.");
  if (segmentIds.rank !== 1) throw invalidArgument("segment_ids should be a vector.");
  if (indices.shape[0] !== segmentIds.shape[0]) {
    throw invalidArgument("segment_ids and indices should have same size.");
  }
}

/**
 * SparseSegment{Sum,Mean,SqrtN}[WithNumSegments]: output[segment_ids[i]] ⊕= data[indices[i]]; the
 * output has num_segments rows, or last id + 1 without it; rows no id names are 0.
 */
export function sparseSegmentReduce(
  data: Tensor,
  indicesT: Tensor,
  segmentIdsT: Tensor,
  numSegmentsT: Tensor | undefined,
  kind: SparseReduction,
): Tensor {
  return runWhole(sparseSegmentReduceJob(data, indicesT, segmentIdsT, numSegmentsT, kind));
}

/**
 * The compute of SparseSegment{Sum,Mean,SqrtN} (inputs data, indices, segment_ids) and their
 * WithNumSegments forms (num_segments as input 3): whole for small work, else in slices.
 */
export function computeSparseSegmentReduce(
  ctx: OpKernelContext,
  kind: SparseReduction,
  withNumSegments: boolean,
): undefined | KernelSlices {
  const numSegments = withNumSegments ? ctx.input(3) : undefined;
  return computeJob(ctx, sparseSegmentReduceJob(ctx.input(0), ctx.input(1), ctx.input(2), numSegments, kind));
}

/** Where each position k of the ids lies: its segment's positions [start, end). */
interface SparseRuns {
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Some segment has more rows than TF sums in one expression (it needs the group row). */
  readonly grouped: boolean;
}

/**
 * Walks the sorted ids as TF's kernel does, checking each segment's ids and then its indices
 * before the next segment's (so the first error is TF's), and records every position's segment.
 */
function sparseRuns(ids: IndexList, rows: number, indices: IndexList, dataRows: number): SparseRuns {
  const runs = { start: new Float64Array(ids.length), end: new Float64Array(ids.length), grouped: false };
  walkSegments(
    ids,
    rows,
    (_id, start, end) => {
      for (let k = start; k < end; k++) {
        const idx = indices[k]!;
        if (idx < 0 || idx >= dataRows) {
          throw invalidArgument(`Bad: indices[${k}] == ${idx} out of range [0, ${dataRows})`);
        }
      }
      runs.start.fill(start, start, end);
      runs.end.fill(end, start, end);
      if (end - start > firstRows(end - start)) runs.grouped = true;
    },
    () => {}, // rows no id names stay zero
  );
  return runs;
}

/**
 * How many of a segment's n rows TF sums left to right before going on in groups of 8: n mod 8,
 * or 8 or 9 when that is 0 or 1 (so the rest is whole groups).
 */
function firstRows(n: number): number {
  const rem = n & 7;
  return Math.min(n, rem === 0 ? 8 : rem === 1 ? 9 : rem);
}

/**
 * sparseSegmentReduce as an ElementJob (element-slices.ts): the ids and indices are walked and
 * checked up front; a pass over the rows data[indices[k]] in order then folds columns [c0, c1) of
 * each into its output row in TF's order: the first rows of a segment (firstRows) left to right,
 * each further group of 8 summed on its own (in a group row) and added, then the mean's or
 * sqrtn's scaling after the segment's last row. Columns are independent, so a range may end
 * inside a row and each output element still sees the whole run's operations. Half and bfloat16
 * accumulate in float and are encoded once by the last pass.
 */
export function sparseSegmentReduceJob(
  data: Tensor,
  indicesT: Tensor,
  segmentIdsT: Tensor,
  numSegmentsT: Tensor | undefined,
  kind: SparseReduction,
): ElementJob<Tensor> {
  if (numSegmentsT !== undefined && numSegmentsT.rank !== 0) {
    throw invalidArgument(`num_segments should be a scalar, not shape ${shapeString(numSegmentsT.shape)}`);
  }
  checkIndexVectors(indicesT, segmentIdsT);
  if (data.rank < 1) throw invalidArgument("Shape must be at least rank 1");
  const indices = readIndices(indicesT);
  const ids = readIndices(segmentIdsT);
  const n = ids.length;
  const last = n > 0 ? ids[n - 1]! : -1;
  const rows = numSegmentsT !== undefined ? readIndices(numSegmentsT)[0]! : last + 1;
  if (rows < 0) throw invalidArgument("segment ids must be >= 0");
  if (numSegmentsT !== undefined && n > 0 && last >= rows) {
    throw invalidArgument("segment ids must be < num_segments");
  }
  const dt = data.dtype;
  const shape = [rows, ...data.shape.slice(1)];
  const out = computeOutput(dt, shape);
  const encoded = encodedCompute(dt, shape, out);
  if (n === 0) return { passes: encoded.passes, result: encoded.result };
  const cols = rowSize(data.shape);
  const runs = sparseRuns(ids, rows, indices, data.shape[0]!);
  const input = decodedCompute(data);
  const group = runs.grouped ? computeOutput(dt, [cols]) : out;
  const fold = (k: number, c0: number, c1: number) => {
    const [start, end] = [runs.start[k]!, runs.end[k]!];
    const [o, src, w] = [ids[k]! * cols + c0, indices[k]! * cols + c0, c1 - c0];
    const j = k - start;
    const first = firstRows(end - start);
    if (j === 0) copyRow(dt, out, o, input.data, src, w);
    else if (j < first) combineRow(dt, "sum", out, o, input.data, src, w, true);
    else if ((j - first) % 8 === 0) copyRow(dt, group, c0, input.data, src, w);
    else {
      combineRow(dt, "sum", group, c0, input.data, src, w, true);
      if ((j - first) % 8 === 7) combineRow(dt, "sum", out, o, group, c0, w, true);
    }
    if (k === end - 1) normalize(dt, kind, out, o, w, end - start);
  };
  return {
    passes: [...input.passes, rowsPass(n, cols, fold), ...encoded.passes],
    result: encoded.result,
  };
}

/** A mean's or sqrtn's scaling of a segment's n summed rows (elements [o, o + w)). */
function normalize(dt: DataType, kind: SparseReduction, out: ComputeData, o: number, w: number, n: number) {
  if (kind === "sum" || n === 1) return;
  const norm = kind === "mean" ? n : Math.sqrt(n);
  // TF scales a segment summed in one expression (up to 9 rows) by the reciprocal of n or √n
  // cast to T, and divides a longer one by n or √n cast to T.
  if (n <= 9) scaleRow(out, o, w, 1 / norm);
  else divideRow(dt, out, o, w, norm);
}

/**
 * The gradient's scale per segment id: 1, 1/n or 1/√n for a segment of n ids, as a T value (TF
 * computes it in double and casts it to T; half and bfloat16 are computed in float). Counted in a
 * map, since grad may have many rows of zero elements.
 */
function segmentScales(
  ids: IndexList,
  segments: number,
  kind: SparseReduction,
  dt: DataType,
): (id: number) => number {
  if (kind === "sum") return () => 1;
  const counts = new Map<number, number>();
  for (const id of ids) {
    if (id < 0 || id >= segments) throw invalidArgument(`Segment id ${id} out of range [0, ${segments}).`);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const round = dt === DataType.DT_DOUBLE ? (v: number) => v : Math.fround;
  return (id) => {
    const c = counts.get(id) ?? 1;
    return round(kind === "mean" ? 1 / c : 1 / Math.sqrt(c));
  };
}

/**
 * SparseSegment{Sum,Mean,SqrtN}Grad (v2 = false): an output of output_dim0 rows with
 * output[indices[i]] += grad[segment_ids[i]] · scale; GradV2 (v2 = true): the same over one row per
 * distinct index, with the sorted distinct indices as a second output.
 */
export function sparseSegmentGrad(
  grad: Tensor,
  indicesT: Tensor,
  segmentIdsT: Tensor,
  dim0T: Tensor,
  kind: SparseReduction,
  v2: boolean,
): Tensor[] {
  return runWhole(sparseSegmentGradJob(grad, indicesT, segmentIdsT, dim0T, kind, v2));
}

/**
 * sparseSegmentGrad as an ElementJob (element-slices.ts): every index and id is checked up front,
 * in the order TF's loop meets them, and each position's output row found; a pass then adds the
 * scaled grad rows in position order, so a row named twice sums in the whole run's order. The
 * outputs are made when the job ends.
 */
export function sparseSegmentGradJob(
  grad: Tensor,
  indicesT: Tensor,
  segmentIdsT: Tensor,
  dim0T: Tensor,
  kind: SparseReduction,
  v2: boolean,
): ElementJob<Tensor[]> {
  checkIndexVectors(indicesT, segmentIdsT);
  if (dim0T.rank !== 0)
    throw invalidArgument(`${v2 ? "dense_output_dim0" : "output_dim0"} should be a scalar.`);
  if (grad.rank < 1) throw invalidArgument("Index must be less than 0, got 0");
  const indices = readIndices(indicesT);
  const ids = readIndices(segmentIdsT);
  const segments = grad.shape[0]!;
  if (ids.length > 0 && ids[ids.length - 1]! + 1 > segments)
    throw invalidArgument("Invalid number of segments");
  const dim0 = readIndices(dim0T)[0]!;
  if (dim0 < 0) throw invalidArgument(`Expected a non-negative size, got ${dim0}`);
  const dt = grad.dtype;
  if (dim0 === 0) {
    // TF returns the empty output without looking at the ids or indices.
    const empty = finishOutput(dt, [0, ...grad.shape.slice(1)], computeOutput(dt, [0]));
    return doneJob(v2 ? [empty, intVector(indicesT.dtype, [])] : [empty]);
  }
  const scaleOf = segmentScales(ids, segments, kind, dt);
  const unique = v2 ? [...new Set(indices)].sort((a, b) => a - b) : [];
  const rowOf = v2 ? new Map(unique.map((v, i) => [v, i])) : undefined;
  const shape = [v2 ? unique.length : dim0, ...grad.shape.slice(1)];
  const cols = rowSize(grad.shape);
  const out = computeOutput(dt, shape) as NumericArray;
  for (let i = 0; i < indices.length; i++) {
    const [idx, id] = [indices[i]!, ids[i]!];
    if (idx < 0 || idx >= dim0) throw invalidArgument(`Index ${idx} out of range [0, ${dim0}).`);
    if (id < 0 || id >= segments) throw invalidArgument(`Segment id ${id} out of range [0, ${segments}).`);
  }
  const input = decodedCompute(grad);
  const inp = input.data as NumericArray;
  const round = out instanceof Float32Array ? Math.fround : (v: number) => v;
  const add = (i: number, c0: number, c1: number) => {
    const idx = indices[i]!;
    const id = ids[i]!;
    const o = (rowOf ? rowOf.get(idx)! : idx) * cols;
    const s = scaleOf(id);
    for (let j = c0; j < c1; j++)
      out[o + j] = out[o + j]! + (s === 1 ? inp[id * cols + j]! : round(inp[id * cols + j]! * s));
  };
  const encoded = encodedCompute(dt, shape, out);
  const result = () => {
    const t = encoded.result();
    return v2 ? [t, intVector(indicesT.dtype, unique)] : [t];
  };
  return { passes: [...input.passes, rowsPass(indices.length, cols, add), ...encoded.passes], result };
}

/**
 * The KernelConfig of SparseSegment{Sum,Mean,SqrtN}Grad (v2 = false) or …GradV2 (v2 = true): the
 * six ops differ only in their reduction and in V2's sorted-indices output.
 */
export function sparseSegmentGradConfig(name: string, kind: SparseReduction, v2: boolean): KernelConfig {
  return {
    op: {
      name,
      inputs: [
        "grad: T",
        "indices: Tidx",
        "segment_ids: Tsegmentids",
        v2 ? "dense_output_dim0: int32" : "output_dim0: int32",
      ],
      outputs: v2 ? ["output: T", "sorted_unique_indices: Tidx"] : ["output: T"],
      attrs: [
        "T: {bfloat16, half, float, double}",
        "Tidx: {int32, int64} = DT_INT32",
        "Tsegmentids: {int32, int64} = DT_INT32",
      ],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", FLOAT_TYPES);
      return {
        compute: (ctx) =>
          computeJobOutputs(
            ctx,
            sparseSegmentGradJob(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), kind, v2),
          ),
      };
    }),
  };
}
