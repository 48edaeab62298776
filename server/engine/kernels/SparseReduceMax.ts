// TF's SparseReduceMax (core/kernels/sparse_reduce_op.cc): the max of a SparseTensor over
// reduction_axes as a dense tensor; see sparse-reduce.ts.

import { type KernelConfig, REAL_NUMBER_TYPES } from "./util/kernel-config.js";
import { sparseReduceConfig } from "./util/sparse-reduce.js";

export const sparseReduceMaxConfig: KernelConfig = sparseReduceConfig(
  "SparseReduceMax",
  "max",
  false,
  REAL_NUMBER_TYPES,
);
