// TF's SparseAddGrad (core/kernels/sparse_add_grad_op.cc): the gradient of SparseAdd's values.
// The operands' indices and the sum's are walked together in lexicographic order, and each sum
// entry's gradient goes to the operand entries it came from (both, where both had one); operand
// entries that did not reach the sum get 0. tf.gradients of tf.sparse.add emits it.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { SPARSE_ADD_TYPES } from "./SparseAdd.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { compareRows, readIndexMatrix, type SparseIndices } from "./util/sparse-util.js";
import { type Scalar, scalarOps } from "./util/sparse-values.js";

function checkInputs(grad: Tensor, aIx: Tensor, bIx: Tensor, sumIx: Tensor): void {
  if (grad.rank !== 1) {
    throw invalidArgument(
      `Input backprop_val_grad should be a vector but received shape: ${shapeString(grad.shape)}`,
    );
  }
  if (aIx.rank !== 2 || bIx.rank !== 2 || sumIx.rank !== 2) {
    throw invalidArgument(
      `Input indices should be matrices but received shapes: ${shapeString(aIx.shape)} and ${shapeString(bIx.shape)} and ${shapeString(sumIx.shape)}`,
    );
  }
  if (aIx.shape[1] !== bIx.shape[1] || bIx.shape[1] !== sumIx.shape[1]) {
    throw invalidArgument(
      `The densified operands should have the same ndims; for A, B, sum got: ${aIx.shape[1]}${bIx.shape[1]}${sumIx.shape[1]}`,
    );
  }
  if (grad.numElements !== sumIx.shape[0]) {
    throw invalidArgument(
      `# elements of backprop_val_grad and # rows of sum_indices should match (#nnz of sum): got ${grad.numElements} and ${sumIx.shape[0]}`,
    );
  }
}

export function sparseAddGrad(grad: Tensor, aIx: Tensor, bIx: Tensor, sumIx: Tensor): [Tensor, Tensor] {
  checkInputs(grad, aIx, bIx, sumIx);
  const a = readIndexMatrix(aIx);
  const b = readIndexMatrix(bIx);
  const sum = readIndexMatrix(sumIx);
  const ops = scalarOps(grad.dtype);
  const g = ops.read(grad);
  const aGrad = new Array<Scalar>(a.nnz).fill(ops.zero);
  const bGrad = new Array<Scalar>(b.nnz).fill(ops.zero);
  let i = 0;
  let j = 0;
  let k = 0;
  // An operand entry takes the current sum entry's gradient when their indices are equal.
  const match = (s: SparseIndices, row: number, out: Scalar[]) => {
    if (compareRows(s, row, sum, k) === 0) out[row] = g[k++]!;
  };
  while (i < a.nnz && j < b.nnz && k < sum.nnz) {
    const c = compareRows(a, i, b, j);
    if (c < 0) match(a, i++, aGrad);
    else if (c > 0) match(b, j++, bGrad);
    else {
      aGrad[i++] = g[k]!;
      bGrad[j++] = g[k++]!;
    }
  }
  while (i < a.nnz && k < sum.nnz) match(a, i++, aGrad);
  while (j < b.nnz && k < sum.nnz) match(b, j++, bGrad);
  return [ops.write([a.nnz], aGrad), ops.write([b.nnz], bGrad)];
}

export const sparseAddGradConfig: KernelConfig = {
  op: {
    name: "SparseAddGrad",
    inputs: ["backprop_val_grad: T", "a_indices: int64", "b_indices: int64", "sum_indices: int64"],
    outputs: ["a_val_grad: T", "b_val_grad: T"],
    attrs: ["T: numbertype"],
  },
  kernel: cpuKernel("SparseAddGrad", (c) => {
    checkTypeConstraint(c, "T", SPARSE_ADD_TYPES);
    return {
      compute: (ctx) => {
        const [da, db] = sparseAddGrad(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3));
        ctx.setOutput(0, da);
        ctx.setOutput(1, db);
      },
    };
  }),
};
