// TF's SparseTensorDenseAdd (core/kernels/sparse_tensor_dense_add_op.cc): a dense tensor plus a
// SparseTensor of the same shape (no broadcasting), the dense result. Repeated indices add up; an
// index outside the dense shape fails with TF's message. tf.sparse.add(sparse, dense) emits it, and
// so do the gradients of SparseDenseCwiseMul/Div.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { readIndexValues, stridesOf } from "./util/sparse-util.js";
import { scalarOps } from "./util/sparse-values.js";
import { readInts } from "./util/tensor-util.js";

function checkInputs(indices: Tensor, values: Tensor, shapeT: Tensor, b: Tensor): void {
  if (indices.rank !== 2) {
    throw invalidArgument(
      `Input a_indices should be a matrix but received shape: ${shapeString(indices.shape)}`,
    );
  }
  if (values.rank !== 1 || shapeT.rank !== 1) {
    throw invalidArgument(
      `Inputs a_values and a_shape should be vectors but received shapes: ${shapeString(values.shape)} and ${shapeString(shapeT.shape)}`,
    );
  }
  const [nnz, ndims] = indices.shape as [number, number];
  if (values.numElements !== nnz) {
    throw invalidArgument(`Dimensions ${nnz} and ${values.numElements} are not compatible`);
  }
  if (shapeT.numElements !== ndims) {
    throw invalidArgument(`Dimensions ${ndims} and ${shapeT.numElements} are not compatible`);
  }
  if (shapeT.numElements !== b.rank) {
    throw invalidArgument(`Two operands have different ranks; received: ${shapeT.numElements} and ${b.rank}`);
  }
  readInts(shapeT).forEach((d, i) => {
    if (d !== b.shape[i]) {
      throw invalidArgument(
        `Dimension ${i} does not equal (no broadcasting is supported): sparse side ${d} vs dense side ${b.shape[i]}`,
      );
    }
  });
  if (ndims < 1 || ndims > 5) {
    throw invalidArgument(
      `Only tensors with ranks between 1 and 5 are currently supported.  Tensor rank: ${ndims}`,
    );
  }
}

export function sparseTensorDenseAdd(indices: Tensor, values: Tensor, shapeT: Tensor, b: Tensor): Tensor {
  checkInputs(indices, values, shapeT, b);
  const ops = scalarOps(b.dtype);
  const out = ops.buffer(b.shape);
  const dense = ops.reader(b);
  for (let i = 0; i < b.numElements; i++) out.set(i, dense(i));
  const sv = ops.read(values);
  const ix = readIndexValues(indices);
  const rank = b.rank;
  const strides = stridesOf(b.shape);
  sv.forEach((v, i) => {
    let at = 0;
    for (let d = 0; d < rank; d++) {
      const k = ix[i * rank + d]!;
      if (k < 0 || k >= b.shape[d]!) {
        throw invalidArgument(
          `Sparse tensor has an invalid index on dimension ${d}: a_indices(${i},${d}) = ${k}, dense tensor shape: ${b.shape.join(" ")}`,
        );
      }
      at += k * strides[d]!;
    }
    out.set(at, ops.add(out.get(at), v));
  });
  return out.tensor();
}

export const sparseTensorDenseAddConfig: KernelConfig = {
  op: {
    name: "SparseTensorDenseAdd",
    inputs: ["a_indices: Tindices", "a_values: T", "a_shape: Tindices", "b: T"],
    outputs: ["output: T"],
    attrs: ["T: numbertype", "Tindices: {int32, int64}"],
  },
  kernel: cpuKernel("SparseTensorDenseAdd", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, sparseTensorDenseAdd(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3))),
    };
  }),
};
