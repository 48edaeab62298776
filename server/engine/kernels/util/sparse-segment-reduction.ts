// TF's sparse segment reductions (core/kernels/segment_reduction_ops_impl.h,
// SparseSegmentReductionOpBase and SparseSegmentGradOpBase): SparseSegment{Sum,Mean,SqrtN} reduce
// the rows data[indices[i]] into output row segment_ids[i] (ids sorted), optionally over a given
// num_segments; their gradients scatter grad[segment_ids[i]] (scaled by 1/n or 1/√n for the
// segment's n rows) back into row indices[i] of a dense output (Grad) or of one output row per
// distinct index (GradV2, with the sorted distinct indices). These are what tf.sparse.segment_*
// and embedding_lookup_sparse build, and what their gradients emit.

import { invalidArgument } from "../../framework/errors.js";
import { type NumericArray, shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import {
  type ComputeData,
  combineRow,
  computeInput,
  computeOutput,
  copyRow,
  divideRow,
  finishOutput,
  type IndexList,
  readIndices,
  rowSize,
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
 * Sums rows data[indices[start..end)] into out row `row`, checking each index, in TF's order: the
 * first (n mod 8) rows (8 or 9 when that is 0 or 1) left to right, then each further group of 8
 * summed on its own and added. Half and bfloat16 accumulate in float and are rounded once.
 */
function reduceRows(
  dt: DataType,
  out: ComputeData,
  row: number,
  inp: ComputeData,
  indices: IndexList,
  start: number,
  end: number,
  dataRows: number,
  cols: number,
): void {
  for (let k = start; k < end; k++) {
    const idx = indices[k]!;
    if (idx < 0 || idx >= dataRows) {
      throw invalidArgument(`Bad: indices[${k}] == ${idx} out of range [0, ${dataRows})`);
    }
  }
  const o = row * cols;
  const sumInto = (target: ComputeData, at: number, from: number, to: number) => {
    copyRow(dt, target, at, inp, indices[from]! * cols, cols);
    for (let k = from + 1; k < to; k++)
      combineRow(dt, "sum", target, at, inp, indices[k]! * cols, cols, true);
  };
  const n = end - start;
  const rem = n & 7;
  const first = Math.min(n, rem === 0 ? 8 : rem === 1 ? 9 : rem);
  sumInto(out, o, start, start + first);
  if (first >= n) return;
  const group = computeOutput(dt, [cols]);
  for (let k = start + first; k < end; k += 8) {
    sumInto(group, 0, k, k + 8);
    combineRow(dt, "sum", out, o, group, 0, cols, true);
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
  if (n === 0) return finishOutput(dt, shape, out);
  const cols = rowSize(data.shape);
  const inp = computeInput(data);
  walkSegments(
    ids,
    rows,
    (id, start, end) => {
      reduceRows(dt, out, id, inp, indices, start, end, data.shape[0]!, cols);
      const count = end - start;
      if (kind === "sum" || count === 1) return;
      const norm = kind === "mean" ? count : Math.sqrt(count);
      // TF scales a segment summed in one expression (up to 9 rows) by the reciprocal of n or √n
      // cast to T, and divides a longer one by n or √n cast to T.
      if (count <= 9) scaleRow(out, id * cols, cols, 1 / norm);
      else divideRow(dt, out, id * cols, cols, norm);
    },
    () => {}, // rows no id names stay zero
  );
  return finishOutput(dt, shape, out);
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
    return v2 ? [empty, intVector(indicesT.dtype, [])] : [empty];
  }
  const scaleOf = segmentScales(ids, segments, kind, dt);
  const unique = v2 ? [...new Set(indices)].sort((a, b) => a - b) : [];
  const rowOf = v2 ? new Map(unique.map((v, i) => [v, i])) : undefined;
  const shape = [v2 ? unique.length : dim0, ...grad.shape.slice(1)];
  const cols = rowSize(grad.shape);
  const out = computeOutput(dt, shape) as NumericArray;
  const inp = computeInput(grad) as NumericArray;
  const round = out instanceof Float32Array ? Math.fround : (v: number) => v;
  for (let i = 0; i < indices.length; i++) {
    const idx = indices[i]!;
    const id = ids[i]!;
    if (idx < 0 || idx >= dim0) throw invalidArgument(`Index ${idx} out of range [0, ${dim0}).`);
    if (id < 0 || id >= segments) throw invalidArgument(`Segment id ${id} out of range [0, ${segments}).`);
    const o = (rowOf ? rowOf.get(idx)! : idx) * cols;
    const s = scaleOf(id);
    for (let j = 0; j < cols; j++)
      out[o + j] = out[o + j]! + (s === 1 ? inp[id * cols + j]! : round(inp[id * cols + j]! * s));
  }
  const result = finishOutput(dt, shape, out as ComputeData);
  if (!v2) return [result];
  return [result, intVector(indicesT.dtype, unique)];
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
        compute(ctx) {
          const outputs = sparseSegmentGrad(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), kind, v2);
          outputs.forEach((t, i) => {
            ctx.setOutput(i, t);
          });
        },
      };
    }),
  };
}
