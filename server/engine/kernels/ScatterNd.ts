// TF's ScatterNd (core/kernels/scatter_nd_op.cc): a zero tensor of `shape` with `updates` added at
// the slices addressed by `indices` (duplicates accumulate). Out-of-range indices fail like TF's
// CPU kernel. The output size is validated before allocating.

import { invalidArgument } from "../framework/errors.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { indexPosition, readIndexValues } from "./GatherNd.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, lanesOf } from "./util/tensor-util.js";

export function scatterNd(indices: Tensor, updates: Tensor, shape: readonly number[]): Tensor {
  return runWhole(scatterNdJob(indices, updates, shape));
}

/**
 * scatterNd as an ElementJob (util/element-slices.ts): shapes and every index checked and the
 * output allocated now; the pass adds the update rows in order over any range of update values.
 */
export function scatterNdJob(indices: Tensor, updates: Tensor, shape: readonly number[]): ElementJob<Tensor> {
  for (const d of shape) if (d < 0) throw invalidArgument(`Dimension ${d} must be >= 0`);
  const outN = numElements(shape);
  if (indices.rank < 1) {
    throw invalidArgument(`Indices shape must have rank at least one. Found:${shapeString(indices.shape)}`);
  }
  const k = indices.shape[indices.rank - 1]!;
  if (k > shape.length) {
    throw invalidArgument(
      `Output must have rank at least ${k} (the last dimension of indices). Got: ${shape.length}`,
    );
  }
  const batch = indices.shape.slice(0, -1);
  const want = [...batch, ...shape.slice(k)];
  if (shapeString(want) !== shapeString(updates.shape)) {
    throw invalidArgument(
      `Dimensions [0,${batch.length}) of indices[shape=${shapeString(indices.shape)}] must match dimensions [0,${batch.length}) of updates[shape=${shapeString(updates.shape)}]`,
    );
  }
  const sliceSize = shape.slice(k).reduce((a, b) => a * b, 1);
  const strides: number[] = [];
  let acc = sliceSize;
  for (let d = k - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d]!;
  }
  const idx = readIndexValues(indices);
  const nBatch = batch.reduce((a, b) => a * b, 1);
  const dt = updates.dtype;
  const isBig = dt === DataType.DT_INT64 || dt === DataType.DT_UINT64;
  const isString = dt === DataType.DT_STRING || dt === DataType.DT_RESOURCE;
  if (isString) throw invalidArgument(`ScatterNd does not support ${shapeString(shape)} of this dtype`);
  // TF's functor skips out-of-range slices and reports the last one; here every slice is checked
  // before any is added, with the same message.
  const offsets = new Float64Array(nBatch);
  let bad = -1;
  for (let b = 0; b < nBatch; b++) {
    let offset = 0;
    for (let d = 0; d < k; d++) {
      const v = idx[b * k + d]!;
      if (v < 0 || v >= shape[d]!) bad = b;
      offset += v * strides[d]!;
    }
    offsets[b] = offset;
  }
  if (bad >= 0) {
    throw invalidArgument(
      `indices${indexPosition(batch, bad)} = [${idx.slice(bad * k, bad * k + k).join(", ")}] does not index into shape ${shapeString(shape)}`,
    );
  }
  const out = (isBig ? Tensor.zeros(dt, shape).data : computeBuffer(dt, outN, shape)) as
    | Float32Array
    | BigInt64Array;
  const input = isBig ? { data: updates.data as BigInt64Array, passes: [] } : decodedInput(updates);
  const encoded = isBig
    ? { passes: [], result: () => new Tensor(dt, shape, out) }
    : encodedOutput(dt, shape, out as Float32Array);
  const add = addSlices(
    dt,
    out,
    input.data as Float32Array | BigInt64Array,
    offsets,
    sliceSize * lanesOf(dt),
  );
  return { passes: [...input.passes, add, ...encoded.passes], result: encoded.result };
}

/**
 * The pass adding update row b (`width` storage values) at output element offsets[b], in row order
 * over any range of update values, so each output value sums its rows in one run's order.
 */
function addSlices(
  dt: DataType,
  out: Float32Array | BigInt64Array,
  src: Float32Array | BigInt64Array,
  offsets: Float64Array,
  width: number,
): ElementPass {
  const lanes = lanesOf(dt);
  const run = (start: number, end: number) => {
    for (let i = start; i < end; ) {
      const b = Math.floor(i / width);
      const j0 = i - b * width;
      const j1 = Math.min(width, j0 + (end - i));
      const base = offsets[b]! * lanes;
      const from = b * width;
      if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
        const o = out as BigInt64Array;
        const s = src as BigInt64Array;
        for (let j = j0; j < j1; j++) o[base + j] = o[base + j]! + s[from + j]!;
      } else if (dt === DataType.DT_BOOL) {
        const o = out as unknown as Uint8Array;
        const s = src as unknown as Uint8Array;
        for (let j = j0; j < j1; j++) o[base + j] = o[base + j]! | s[from + j]!;
      } else {
        const o = out as Float32Array;
        const s = src as Float32Array;
        for (let j = j0; j < j1; j++) o[base + j] = o[base + j]! + s[from + j]!;
      }
      i += j1 - j0;
    }
  };
  return { n: offsets.length * width, run };
}

export const scatterNdConfig: KernelConfig = {
  op: {
    name: "ScatterNd",
    inputs: ["indices: Tindices", "updates: T", "shape: Tindices"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tindices: {int16, int32, int64}", "bad_indices_policy: string = ''"],
  },
  kernel: cpuKernel("ScatterNd", () => ({
    compute(ctx) {
      const shape = ctx.input(2);
      if (shape.rank !== 1) {
        throw invalidArgument(`Shape must be a 1-D tensor. Got: ${shapeString(shape.shape)}`);
      }
      return computeJob(ctx, scatterNdJob(ctx.input(0), ctx.input(1), readIndexValues(shape)));
    },
  })),
};
