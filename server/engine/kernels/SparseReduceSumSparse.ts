// TF's SparseReduceSumSparse (core/kernels/sparse_reduce_op.cc): the sum of a SparseTensor over
// reduction_axes as a SparseTensor (indices, values, shape); see sparse-reduce.ts.

import { type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { sparseReduceConfig } from "./util/sparse-reduce.js";

export const sparseReduceSumSparseConfig: KernelConfig = sparseReduceConfig(
  "SparseReduceSumSparse",
  "sum",
  true,
  NUMBER_TYPES,
);
