// TF's SparseSegmentSumGradV2 (core/kernels/segment_reduction_ops_impl.h, SparseSegmentGradOpBase):
// output[indices[i]] += grad[segment_ids[i]] (n: the segment's number of ids), over one output row
// per distinct index, with the sorted distinct indices. tf.gradients emits it for
// tf.sparse.segment_sum(..., sparse_gradient=True).

import type { KernelConfig } from "./util/kernel-config.js";
import { sparseSegmentGradConfig } from "./util/sparse-segment-reduction.js";

export const sparseSegmentSumGradV2Config: KernelConfig = sparseSegmentGradConfig(
  "SparseSegmentSumGradV2",
  "sum",
  true,
);
