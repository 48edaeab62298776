// TF's SparseSparseMaximum (core/kernels/sparse_sparse_binary_op_shared.cc): the element-wise maximum
// of two SparseTensors over the union of their entries; see sparse-sparse-minmax.ts.
// tf.sparse.maximum emits it.

import type { KernelConfig } from "./util/kernel-config.js";
import { sparseSparseMinMaxConfig } from "./util/sparse-sparse-minmax.js";

export const sparseSparseMaximumConfig: KernelConfig = sparseSparseMinMaxConfig("Maximum");
