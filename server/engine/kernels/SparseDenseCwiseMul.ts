// TF's SparseDenseCwiseMul (core/kernels/sparse_dense_binary_op_shared.cc): a SparseTensor's values
// multiplied by the dense tensor broadcast to its shape; see sparse-dense-cwise.ts.

import type { KernelConfig } from "./util/kernel-config.js";
import { sparseDenseCwiseConfig } from "./util/sparse-dense-cwise.js";

export const sparseDenseCwiseMulConfig: KernelConfig = sparseDenseCwiseConfig("Mul");
