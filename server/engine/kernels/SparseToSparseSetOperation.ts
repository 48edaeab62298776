// TF's SparseToSparseSetOperation (core/kernels/set_kernels.cc): tf.sets operations between two
// SparseTensors, row by row along the last dimension; see set-ops.ts.

import type { KernelConfig } from "./util/kernel-config.js";
import { setOperationConfig, sparseToSparseSetOperation } from "./util/set-ops.js";

export const sparseToSparseSetOperationConfig: KernelConfig = setOperationConfig(
  "SparseToSparseSetOperation",
  [
    "set1_indices: int64",
    "set1_values: T",
    "set1_shape: int64",
    "set2_indices: int64",
    "set2_values: T",
    "set2_shape: int64",
  ],
  (op, inputs, validate) => sparseToSparseSetOperation(op, inputs, validate),
);
