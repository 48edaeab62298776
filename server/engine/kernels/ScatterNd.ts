// TF's ScatterNd (core/kernels/scatter_nd_op.cc): a zero tensor of `shape` with `updates` added at
// the slices addressed by `indices` (duplicates accumulate). Out-of-range indices fail like TF's
// CPU kernel. The output size is validated before allocating.

import { invalidArgument } from "../framework/errors.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { indexPosition, readIndexValues } from "./GatherNd.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { computeBuffer, finish, lanesOf, numericData } from "./util/tensor-util.js";

export function scatterNd(indices: Tensor, updates: Tensor, shape: readonly number[]): Tensor {
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
  const lanes = lanesOf(dt);
  const isBig = dt === DataType.DT_INT64 || dt === DataType.DT_UINT64;
  const isString = dt === DataType.DT_STRING || dt === DataType.DT_RESOURCE;
  if (isString) throw invalidArgument(`ScatterNd does not support ${shapeString(shape)} of this dtype`);
  const out = (isBig ? Tensor.zeros(dt, shape).data : computeBuffer(dt, outN, shape)) as
    | Float32Array
    | BigInt64Array;
  const src = (isBig ? updates.data : numericData(updates)) as Float32Array | BigInt64Array;
  // TF's functor skips out-of-range slices and reports the last one.
  let bad = -1;
  for (let b = 0; b < nBatch; b++) {
    let offset = 0;
    for (let d = 0; d < k; d++) {
      const v = idx[b * k + d]!;
      if (v < 0 || v >= shape[d]!) bad = b;
      offset += v * strides[d]!;
    }
    if (bad === b) continue;
    const base = offset * lanes;
    const from = b * sliceSize * lanes;
    if (isBig) {
      const o = out as BigInt64Array;
      const s = src as BigInt64Array;
      for (let j = 0; j < sliceSize; j++) o[base + j] = o[base + j]! + s[from + j]!;
    } else if (dt === DataType.DT_BOOL) {
      const o = out as unknown as Uint8Array;
      const s = src as unknown as Uint8Array;
      for (let j = 0; j < sliceSize; j++) o[base + j] = o[base + j]! | s[from + j]!;
    } else {
      const o = out as Float32Array;
      const s = src as Float32Array;
      for (let j = 0; j < sliceSize * lanes; j++) o[base + j] = o[base + j]! + s[from + j]!;
    }
  }
  if (bad >= 0) {
    throw invalidArgument(
      `indices${indexPosition(batch, bad)} = [${idx.slice(bad * k, bad * k + k).join(", ")}] does not index into shape ${shapeString(shape)}`,
    );
  }
  return isBig ? new Tensor(dt, shape, out) : finish(dt, shape, out as Float32Array);
}

export const scatterNdConfig: KernelConfig = {
  op: {
    name: "ScatterNd",
    inputs: ["indices: Tindices", "updates: T", "shape: Tindices"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tindices: {int16, int32, int64}", "bad_indices_policy: string = ''"],
  },
  kernel: simpleKernel("ScatterNd", (ctx) => {
    const shape = ctx.input(2);
    if (shape.rank !== 1) {
      throw invalidArgument(`Shape must be a 1-D tensor. Got: ${shapeString(shape.shape)}`);
    }
    ctx.setOutput(0, scatterNd(ctx.input(0), ctx.input(1), readIndexValues(shape)));
  }),
};
