// TF's DenseToSparseSetOperation (core/kernels/set_kernels.cc): tf.sets operations between a dense
// tensor and a SparseTensor, row by row along the last dimension; see set-ops.ts.

import type { KernelConfig } from "./util/kernel-config.js";
import { denseToSparseSetOperation, setOperationConfig } from "./util/set-ops.js";

export const denseToSparseSetOperationConfig: KernelConfig = setOperationConfig(
  "DenseToSparseSetOperation",
  ["set1: T", "set2_indices: int64", "set2_values: T", "set2_shape: int64"],
  (op, [set1, indices, values, shape], validate) =>
    denseToSparseSetOperation(op, set1!, indices!, values!, shape!, validate),
);
