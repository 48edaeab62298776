// TF's SparseDenseCwiseAdd (core/kernels/sparse_dense_binary_op_shared.cc): a SparseTensor's values
// added to the dense tensor broadcast to its shape; see sparse-dense-cwise.ts.

import type { KernelConfig } from "./util/kernel-config.js";
import { sparseDenseCwiseConfig } from "./util/sparse-dense-cwise.js";

export const sparseDenseCwiseAddConfig: KernelConfig = sparseDenseCwiseConfig("Add");
