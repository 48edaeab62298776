// TF's SparseSparseMinimum (core/kernels/sparse_sparse_binary_op_shared.cc): the element-wise minimum
// of two SparseTensors over the union of their entries; see sparse-sparse-minmax.ts.
// tf.sparse.minimum emits it.

import type { KernelConfig } from "./util/kernel-config.js";
import { sparseSparseMinMaxConfig } from "./util/sparse-sparse-minmax.js";

export const sparseSparseMinimumConfig: KernelConfig = sparseSparseMinMaxConfig("Minimum");
