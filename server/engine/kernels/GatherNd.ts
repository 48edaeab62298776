// TF's GatherNd (core/kernels/gather_nd_op.cc): slices of `params` addressed by the innermost
// dimension of `indices`. Out-of-range indices fail (TF's CPU behaviour) with TF's message.

import { invalidArgument } from "../framework/errors.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, storage } from "./util/tensor-util.js";

/** Index values of an int16/int32/int64 tensor as JS numbers. */
export function readIndexValues(t: Tensor): number[] {
  const d = t.data;
  if (d instanceof BigInt64Array) return Array.from(d, (v) => Number(v));
  return Array.from(d as Int16Array | Int32Array);
}

/** "[0,1]"-style position of the bad index (TF's SliceDebugString for the leading dims). */
export function indexPosition(batchShape: readonly number[], i: number): string {
  if (batchShape.length === 0) return "";
  const pos: number[] = new Array(batchShape.length).fill(0);
  let rem = i;
  for (let d = batchShape.length - 1; d >= 0; d--) {
    pos[d] = rem % batchShape[d]!;
    rem = Math.floor(rem / batchShape[d]!);
  }
  return `[${pos.join(",")}]`;
}

export function gatherNd(params: Tensor, indices: Tensor, nodeName: string): Tensor {
  if (indices.rank < 1) {
    throw invalidArgument(`indices must be at least a vector; got shape ${shapeString(indices.shape)}`);
  }
  const k = indices.shape[indices.rank - 1]!;
  if (k > params.rank) {
    throw invalidArgument(
      `index innermost dimension length must be <= params rank; saw: ${k} vs. ${params.rank}`,
    );
  }
  const batch = indices.shape.slice(0, -1);
  const sliceShape = params.shape.slice(k);
  const sliceSize = sliceShape.reduce((a, b) => a * b, 1);
  const outShape = [...batch, ...sliceShape];
  const n = numElements(outShape);
  const out = allocIndexable(params.dtype, n, outShape);
  const lanes = lanesOf(params.dtype);
  const idx = readIndexValues(indices);
  const src = storage(params);
  const nBatch = batch.reduce((a, b) => a * b, 1);
  const paramStrides: number[] = [];
  let acc = sliceSize;
  for (let d = k - 1; d >= 0; d--) {
    paramStrides[d] = acc;
    acc *= params.shape[d]!;
  }
  for (let b = 0; b < nBatch; b++) {
    let offset = 0;
    for (let d = 0; d < k; d++) {
      const v = idx[b * k + d]!;
      if (v < 0 || v >= params.shape[d]!) {
        const bad = idx.slice(b * k, b * k + k);
        throw invalidArgument(
          `indices${indexPosition(batch, b)} = [${bad.join(", ")}] does not index into param shape ${shapeString(params.shape)}, node name: ${nodeName}`,
        );
      }
      offset += v * paramStrides[d]!;
    }
    for (let j = 0; j < sliceSize * lanes; j++) out[b * sliceSize * lanes + j] = src[offset * lanes + j];
  }
  return new Tensor(params.dtype, outShape, out as unknown as Tensor["data"]);
}

export const gatherNdConfig: KernelConfig = {
  op: {
    name: "GatherNd",
    inputs: ["params: Tparams", "indices: Tindices"],
    outputs: ["output: Tparams"],
    attrs: ["Tparams: type", "Tindices: {int16, int32, int64}", "bad_indices_policy: string = ''"],
  },
  kernel: simpleKernel("GatherNd", (ctx) =>
    ctx.setOutput(0, gatherNd(ctx.input(0), ctx.input(1), ctx.nodeName)),
  ),
};
