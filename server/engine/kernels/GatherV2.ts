// TF's GatherV2 (core/kernels/gather_op.cc): slices of params along `axis` picked by indices
// with batch_dims. Out-of-range indices are INVALID_ARGUMENT on CPU, as in TF.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { numElements, Tensor } from "../framework/tensor.js";
import { indexPosition } from "./GatherNd.js";
import { computeJob, type ElementJob, oneLoop, rowCopyPass, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** TF's batch_dims checks (gather_op.cc); returns batch_dims made non-negative. */
function checkBatchDims(params: Tensor, indices: Tensor, axis: number, batchDimsIn: number): number {
  if (batchDimsIn === 0) return 0;
  if (batchDimsIn < -indices.rank || batchDimsIn > indices.rank) {
    throw invalidArgument(
      `Expected batch_dims in the range [${-indices.rank}, ${indices.rank}], but got ${batchDimsIn}`,
    );
  }
  const batchDims = batchDimsIn < 0 ? batchDimsIn + indices.rank : batchDimsIn;
  if (batchDims >= params.rank) {
    throw invalidArgument(`batch_dims (${batchDims}) must be less than rank(params) (${params.rank}).`);
  }
  if (axis < batchDims) {
    throw invalidArgument(`batch_dims (${batchDims}) must be less than or equal to axis (${axis}).`);
  }
  for (let i = 0; i < batchDims; i++) {
    if (params.shape[i] !== indices.shape[i]) {
      throw invalidArgument(
        `params.shape[${i}]: ${params.shape[i]} should be equal to indices.shape[${i}]: ${indices.shape[i]}`,
      );
    }
  }
  return batchDims;
}

/**
 * params[b..., o..., indices[b..., n...], i...]: the leading batch_dims dimensions of params and
 * indices are shared, and each batch gathers along `axis` with its own indices.
 */
export function gather(params: Tensor, indices: Tensor, axisIn: number, batchDimsIn = 0): Tensor {
  return runWhole(gatherJob(params, indices, axisIn, batchDimsIn));
}

/** gather as an ElementJob (util/element-slices.ts): indices checked and output allocated now. */
export function gatherJob(
  params: Tensor,
  indices: Tensor,
  axisIn: number,
  batchDimsIn = 0,
): ElementJob<Tensor> {
  const rank = params.rank;
  if (axisIn < -rank || axisIn >= rank) {
    throw invalidArgument(`Expected axis in the range [${-rank}, ${rank}), but got ${axisIn}`);
  }
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  const batchDims = checkBatchDims(params, indices, axis, batchDimsIn);
  const idx = readInts(indices);
  const limit = params.shape[axis]!;
  const batches = product(params.shape.slice(0, batchDims));
  const outer = product(params.shape.slice(batchDims, axis));
  const inner = product(params.shape.slice(axis + 1));
  const perBatch = product(indices.shape.slice(batchDims));
  const shape = [
    ...params.shape.slice(0, axis),
    ...indices.shape.slice(batchDims),
    ...params.shape.slice(axis + 1),
  ];
  const lanes = lanesOf(params.dtype);
  idx.forEach((v, i) => {
    if (v < 0 || v >= limit) {
      // TF's SliceDebugString: no position for a scalar index, "[i,j]" for a multi-dim one.
      throw invalidArgument(`indices${indexPosition(indices.shape, i)} = ${v} is not in [0, ${limit})`);
    }
  });
  const out = allocIndexable(params.dtype, numElements(shape), shape);
  const src = storage(params);
  const chunk = inner * lanes;
  // Output rows in (batch, outer, index) order, each a row of params along `axis`.
  const pass = rowCopyPass(out, src, batches * outer * perBatch, chunk, (r) => {
    const ba = Math.floor(r / perBatch);
    const b = Math.floor(ba / outer);
    return (ba * limit + idx[b * perBatch + (r - ba * perBatch)]!) * chunk;
  });
  return oneLoop(pass.n, pass.run, () => new Tensor(params.dtype, shape, out as unknown as Tensor["data"]));
}

export const gatherV2Config: KernelConfig = {
  op: {
    name: "GatherV2",
    inputs: ["params: Tparams", "indices: Tindices", "axis: Taxis"],
    outputs: ["output: Tparams"],
    attrs: [
      "batch_dims: int = 0",
      "Tparams: type",
      "Tindices: {int16, int32, int64}",
      "Taxis: {int32, int64}",
    ],
  },
  kernel: cpuKernel("GatherV2", (c) => {
    const batchDims = getAttrInt(c.attrs, "batch_dims");
    return {
      compute: (ctx) =>
        computeJob(ctx, gatherJob(ctx.input(0), ctx.input(1), readInts(ctx.input(2))[0]!, batchDims)),
    };
  }),
};
