// TF's GatherNd (core/kernels/gather_nd_op.cc): slices of `params` addressed by the innermost
// dimension of `indices`. Out-of-range indices fail (TF's CPU behaviour) with TF's message.

import { invalidArgument } from "../framework/errors.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, oneLoop, rowCopyPass, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
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
  return runWhole(gatherNdJob(params, indices, nodeName));
}

/**
 * gatherNd as an ElementJob (util/element-slices.ts): every index is checked and the output
 * allocated now, so a bad index fails before the first slice with the whole run's message; the
 * pass copies the addressed slices over any range of output values.
 */
export function gatherNdJob(params: Tensor, indices: Tensor, nodeName: string): ElementJob<Tensor> {
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
  const out = allocIndexable(params.dtype, numElements(outShape), outShape);
  const offsets = sliceOffsets(params, indices, k, sliceSize, nodeName);
  const lanes = lanesOf(params.dtype);
  const pass = rowCopyPass(
    out,
    storage(params),
    offsets.length,
    sliceSize * lanes,
    (b) => offsets[b]! * lanes,
  );
  return oneLoop(
    pass.n,
    pass.run,
    () => new Tensor(params.dtype, outShape, out as unknown as Tensor["data"]),
  );
}

/** Element offset into params of each index row's slice; the first bad row fails with TF's message. */
function sliceOffsets(
  params: Tensor,
  indices: Tensor,
  k: number,
  sliceSize: number,
  nodeName: string,
): number[] {
  const batch = indices.shape.slice(0, -1);
  const nBatch = batch.reduce((a, b) => a * b, 1);
  const idx = readIndexValues(indices);
  const paramStrides: number[] = [];
  let acc = sliceSize;
  for (let d = k - 1; d >= 0; d--) {
    paramStrides[d] = acc;
    acc *= params.shape[d]!;
  }
  const offsets = new Array<number>(nBatch);
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
    offsets[b] = offset;
  }
  return offsets;
}

export const gatherNdConfig: KernelConfig = {
  op: {
    name: "GatherNd",
    inputs: ["params: Tparams", "indices: Tindices"],
    outputs: ["output: Tparams"],
    attrs: ["Tparams: type", "Tindices: {int16, int32, int64}", "bad_indices_policy: string = ''"],
  },
  kernel: cpuKernel("GatherNd", () => ({
    compute: (ctx) => computeJob(ctx, gatherNdJob(ctx.input(0), ctx.input(1), ctx.nodeName)),
  })),
};
