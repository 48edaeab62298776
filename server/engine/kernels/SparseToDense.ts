// TF's SparseToDense (core/kernels/sparse_to_dense_op.cc): a dense tensor of `output_shape` filled
// with `default_value`, with `sparse_values` (or one scalar for every index) written at
// `sparse_indices`. With validate_indices (the default, and what tf.sparse.to_dense uses) the indices
// must be in bounds, sorted and unique, checked with TF's IndicesValid wording; without it the last
// write to a repeated index wins and an out-of-bounds index still fails.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
  T,
} from "./util/kernel-config.js";
import { checkIndicesValid, readIndexValues, stridesOf } from "./util/sparse-util.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

function checkShapes(indices: Tensor, outputShape: Tensor, values: Tensor, defaultValue: Tensor): void {
  if (indices.rank > 2) {
    throw invalidArgument(
      `sparse_indices should be a scalar, vector, or matrix, got shape ${shapeString(indices.shape)}`,
    );
  }
  const numElems = indices.rank > 0 ? indices.shape[0]! : 1;
  const numDims = indices.rank > 1 ? indices.shape[1]! : 1;
  if (outputShape.rank !== 1) {
    throw invalidArgument(`output_shape must be rank 1, got shape ${shapeString(outputShape.shape)}`);
  }
  if (outputShape.numElements !== numDims) {
    throw invalidArgument(
      `output_shape has incorrect number of elements: ${outputShape.numElements} should be: ${numDims}`,
    );
  }
  if (values.rank !== 0 && (values.rank !== 1 || values.numElements !== numElems)) {
    throw invalidArgument(
      `sparse_values has incorrect shape ${shapeString(values.shape)}, should be [] or [${numElems}]`,
    );
  }
  if (defaultValue.rank !== 0) throw invalidArgument("default_value should be a scalar.");
}

export function sparseToDense(
  indices: Tensor,
  outputShape: Tensor,
  values: Tensor,
  defaultValue: Tensor,
  validateIndices: boolean,
): Tensor {
  checkShapes(indices, outputShape, values, defaultValue);
  const shape = readInts(outputShape);
  const n = numElements(shape);
  const numElems = indices.rank > 0 ? indices.shape[0]! : 1;
  const rank = shape.length;
  const ix = readIndexValues(indices);
  if (validateIndices) checkIndicesValid({ ix, nnz: numElems, rank }, shape);
  const dt = values.dtype;
  const lanes = lanesOf(dt);
  const out = allocIndexable(dt, n, shape);
  const fill = storage(defaultValue);
  for (let i = 0; i < n; i++) for (let l = 0; l < lanes; l++) out[i * lanes + l] = fill[l];
  const src = storage(values);
  const scalarValue = values.rank === 0;
  const strides = stridesOf(shape);
  for (let e = 0; e < numElems; e++) {
    let offset = 0;
    for (let d = 0; d < rank; d++) {
      const v = ix[e * rank + d]!;
      if (v < 0 || v >= shape[d]!) {
        throw invalidArgument(`Indices are not valid (out of bounds).  Shape: ${shapeString(shape)}`);
      }
      offset += v * strides[d]!;
    }
    const from = scalarValue ? 0 : e;
    for (let l = 0; l < lanes; l++) out[offset * lanes + l] = src[from * lanes + l];
  }
  return new Tensor(dt, shape, out as unknown as Tensor["data"]);
}

export const sparseToDenseConfig: KernelConfig = {
  op: {
    name: "SparseToDense",
    inputs: ["sparse_indices: Tindices", "output_shape: Tindices", "sparse_values: T", "default_value: T"],
    outputs: ["dense: T"],
    attrs: ["validate_indices: bool = true", "T: type", "Tindices: {int32, int64}"],
  },
  kernel: cpuKernel("SparseToDense", (c) => {
    checkTypeConstraint(c, "T", [...REAL_NUMBER_TYPES, T.bool, T.string]);
    const validate = getAttrBool(c.attrs, "validate_indices");
    return {
      compute: (ctx) =>
        ctx.setOutput(0, sparseToDense(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), validate)),
    };
  }),
};
