// TF's SparseReorder (core/kernels/sparse_reorder_op.cc): a SparseTensor's entries sorted into
// standard (row-major) order, indices and values together. Indices are not checked against the
// shape, as in TF. tf.sparse.reorder emits it; its gradient gathers through the permutation (the
// Python gradient builds that from Range, SparseReorder, InvertPermutation and GatherV2).

import type { Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import {
  gatherIndexRows,
  gatherValues,
  readIndexMatrix,
  sortedOrder,
  validateSparseTensor,
} from "./util/sparse-util.js";

export function sparseReorder(indices: Tensor, values: Tensor, shape: Tensor): [Tensor, Tensor] {
  validateSparseTensor(indices, values, shape);
  const s = readIndexMatrix(indices);
  const order = sortedOrder(s);
  return [gatherIndexRows(s, order), gatherValues(values, order)];
}

export const sparseReorderConfig: KernelConfig = {
  op: {
    name: "SparseReorder",
    inputs: ["input_indices: int64", "input_values: T", "input_shape: int64"],
    outputs: ["output_indices: int64", "output_values: T"],
    attrs: ["T: type"],
  },
  kernel: simpleKernel("SparseReorder", (ctx) => {
    const [indices, values] = sparseReorder(ctx.input(0), ctx.input(1), ctx.input(2));
    ctx.setOutput(0, indices);
    ctx.setOutput(1, values);
  }),
};
