// TF's ResourceGather (core/kernels/resource_variable_ops.cc ResourceGatherOp): rows of a resource
// variable picked by indices (tf.nn.embedding_lookup on a resource variable), with batch_dims.
// Out-of-range indices are INVALID_ARGUMENT on CPU with TF's "indices[i] = j is not in [0, n)".

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { readIndexValues } from "./GatherNd.js";
import {
  computeJob,
  doneJob,
  type ElementJob,
  oneLoop,
  rowCopyPass,
  runWhole,
} from "./util/element-slices.js";
import { ALL_TYPES, checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkVarDtype, indexNotInRange } from "./util/scatter-functor.js";
import { allocIndexable, lanesOf, storage } from "./util/tensor-util.js";
import { handleFromInput, initializedVar } from "./util/variables.js";

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * What TF 2.21 leaves unchecked (its kernel aborts the process): batch_dims must leave params an
 * axis to gather from, and the batch dimensions of indices must be params'. The texts are GatherV2's.
 */
function checkBatchDims(params: Tensor, indices: Tensor, batchDims: number): void {
  if (batchDims === 0) return;
  if (batchDims >= params.rank) {
    throw invalidArgument(`batch_dims (${batchDims}) must be less than rank(params) (${params.rank}).`);
  }
  if (batchDims > indices.rank) {
    throw invalidArgument(
      `batch_dims (${batchDims}) must be less than or equal to rank(indices) (${indices.rank}).`,
    );
  }
  for (let i = 0; i < batchDims; i++) {
    if (params.shape[i] !== indices.shape[i]) {
      throw invalidArgument(
        `params.shape[${i}]: ${params.shape[i]} should be equal to indices.shape[${i}]: ${indices.shape[i]}`,
      );
    }
  }
}

/**
 * params[b..., indices[b..., i...], ...]: the leading batch_dims of params and indices are shared.
 * As in TF, an index is offset by its batch and checked against the batch-flattened dimension,
 * and the message names the offset index and params' first dimension.
 */
export function resourceGather(params: Tensor, indices: Tensor, batchDims: number): Tensor {
  return runWhole(resourceGatherJob(params, indices, batchDims));
}

/**
 * resourceGather as an ElementJob (util/element-slices.ts): indices checked and output allocated
 * now. A variable's value is never written in place (updates make a new tensor, variables.ts), so
 * slices read the value the step looked up even if another step assigns meanwhile.
 */
export function resourceGatherJob(params: Tensor, indices: Tensor, batchDims: number): ElementJob<Tensor> {
  if (batchDims < 0) throw invalidArgument(`batch_dims is negative (${batchDims})`);
  if (params.rank < 1) throw invalidArgument("params must be at least 1 dimensional");
  if (params.rank < batchDims) {
    throw invalidArgument(
      `params must have at least ${batchDims} (batch_dims) dimensions but it has shape ${shapeString(params.shape)}`,
    );
  }
  checkBatchDims(params, indices, batchDims);
  const outShape = [
    ...params.shape.slice(0, batchDims),
    ...indices.shape.slice(batchDims),
    ...params.shape.slice(batchDims + 1),
  ];
  const out = allocIndexable(params.dtype, numElements(outShape), outShape);
  const result = () => new Tensor(params.dtype, outShape, out as unknown as Tensor["data"]);
  const idx = readIndexValues(indices);
  if (idx.length === 0) return doneJob(result());
  const batchSize = product(params.shape.slice(0, batchDims));
  const perBatch = idx.length / batchSize;
  const stride = params.shape[batchDims]!;
  const rows = product(params.shape.slice(0, batchDims + 1));
  const adjusted = batchDims === 0 ? idx : idx.map((v, i) => v + stride * Math.floor(i / perBatch));
  adjusted.forEach((row, i) => {
    if (row < 0 || row >= rows) throw indexNotInRange(indices, adjusted, i, params.shape[0]!);
  });
  const width = product(params.shape.slice(batchDims + 1)) * lanesOf(params.dtype);
  const pass = rowCopyPass(out, storage(params), adjusted.length, width, (r) => adjusted[r]! * width);
  return oneLoop(pass.n, pass.run, result);
}

export const resourceGatherConfig: KernelConfig = {
  op: {
    name: "ResourceGather",
    inputs: ["resource: resource", "indices: Tindices"],
    outputs: ["output: dtype"],
    attrs: [
      "batch_dims: int = 0",
      "validate_indices: bool = true",
      "dtype: type",
      "Tindices: {int32, int64}",
    ],
    isStateful: true,
  },
  kernel: cpuKernel("ResourceGather", (c) => {
    const dtype = checkTypeConstraint(c, "dtype", ALL_TYPES);
    const batchDims = getAttrInt(c.attrs, "batch_dims");
    return {
      compute(ctx) {
        const params = initializedVar(ctx, handleFromInput(ctx, 0)).value;
        checkVarDtype(params, dtype);
        return computeJob(ctx, resourceGatherJob(params, ctx.input(1), batchDims));
      },
    };
  }),
};
