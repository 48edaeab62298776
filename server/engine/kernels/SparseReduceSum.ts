// TF's SparseReduceSum (core/kernels/sparse_reduce_op.cc): the sum of a SparseTensor over
// reduction_axes as a dense tensor; see sparse-reduce.ts.

import { type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { sparseReduceConfig } from "./util/sparse-reduce.js";

export const sparseReduceSumConfig: KernelConfig = sparseReduceConfig(
  "SparseReduceSum",
  "sum",
  false,
  NUMBER_TYPES,
);
