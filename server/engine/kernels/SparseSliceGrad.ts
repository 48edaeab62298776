// TF's SparseSliceGrad (core/kernels/sparse_slice_grad_op.cc): the gradient of SparseSlice's
// values. The input entries and the slice's entries (shifted back by input_start) are walked in
// order; each input entry that is the next slice entry takes its gradient, the others get 0. A slice
// entry never reached is TF's INTERNAL error. tf.gradients of tf.sparse.slice emits it.

import { internal, invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { readIndexValues } from "./util/sparse-util.js";
import { type Scalar, scalarOps } from "./util/sparse-values.js";
import { readInts } from "./util/tensor-util.js";

function checkInputs(grad: Tensor, inIx: Tensor, start: Tensor, outIx: Tensor): void {
  if (inIx.rank !== 2 || outIx.rank !== 2 || grad.rank !== 1 || start.rank !== 1) {
    throw invalidArgument(
      "Input and output indices should be matrices and backprop_val_grad and input_start should be vectors " +
        `but received shapes: ${shapeString(inIx.shape)}, ${shapeString(outIx.shape)}, ${shapeString(grad.shape)}, ${shapeString(start.shape)}`,
    );
  }
  if (inIx.shape[1] !== outIx.shape[1]) {
    throw invalidArgument(
      `The input and output should have the same ndims: got: ${inIx.shape[1]} and ${outIx.shape[1]}`,
    );
  }
  if (outIx.shape[0]! > inIx.shape[0]!) {
    throw invalidArgument(
      `# rows of output_indices should be not greater than of input_indices, got ${outIx.shape[0]} and ${inIx.shape[0]}`,
    );
  }
  if (grad.numElements !== outIx.shape[0]) {
    throw invalidArgument(
      `# elements of backprop_val_grad and # rows of output_indices should match (#nnz of sum): got ${grad.numElements} and ${outIx.shape[0]}`,
    );
  }
  if (start.numElements !== inIx.shape[1]) {
    throw invalidArgument(
      `Expected input_start to be a vector of length ${inIx.shape[1]} but got length ${start.numElements}`,
    );
  }
}

export function sparseSliceGrad(grad: Tensor, inIxT: Tensor, startT: Tensor, outIxT: Tensor): Tensor {
  checkInputs(grad, inIxT, startT, outIxT);
  const ops = scalarOps(grad.dtype);
  const g = ops.read(grad);
  const inIx = readIndexValues(inIxT);
  const outIx = readIndexValues(outIxT);
  const start = readInts(startT);
  const rank = inIxT.shape[1]!;
  const nIn = inIxT.shape[0]!;
  const nOut = outIxT.shape[0]!;
  const out = new Array<Scalar>(nIn).fill(ops.zero);
  let j = 0;
  for (let i = 0; i < nIn && j < nOut; i++) {
    let same = true;
    for (let d = 0; d < rank && same; d++) same = inIx[i * rank + d]! - start[d]! === outIx[j * rank + d];
    if (same) out[i] = g[j++]!;
  }
  if (j !== nOut) {
    throw internal(`Elements of backprop_val_grad aren't all propagated. Num elements:${nOut}, used: ${j}`);
  }
  return ops.write([nIn], out);
}

export const sparseSliceGradConfig: KernelConfig = {
  op: {
    name: "SparseSliceGrad",
    inputs: ["backprop_val_grad: T", "input_indices: int64", "input_start: int64", "output_indices: int64"],
    outputs: ["val_grad: T"],
    attrs: ["T: numbertype"],
  },
  kernel: cpuKernel("SparseSliceGrad", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, sparseSliceGrad(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3))),
    };
  }),
};
