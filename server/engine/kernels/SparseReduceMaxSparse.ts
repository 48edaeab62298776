// TF's SparseReduceMaxSparse (core/kernels/sparse_reduce_op.cc): the max of a SparseTensor over
// reduction_axes as a SparseTensor (indices, values, shape); see sparse-reduce.ts.

import { type KernelConfig, REAL_NUMBER_TYPES } from "./util/kernel-config.js";
import { sparseReduceConfig } from "./util/sparse-reduce.js";

export const sparseReduceMaxSparseConfig: KernelConfig = sparseReduceConfig(
  "SparseReduceMaxSparse",
  "max",
  true,
  REAL_NUMBER_TYPES,
);
