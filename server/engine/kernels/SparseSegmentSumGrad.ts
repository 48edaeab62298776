// TF's SparseSegmentSumGrad (core/kernels/segment_reduction_ops_impl.h, SparseSegmentGradOpBase):
// output[indices[i]] += grad[segment_ids[i]] (n: the segment's number of ids), over a dense output
// of output_dim0 rows. tf.gradients emits it for tf.sparse.segment_sum (and so for
// embedding_lookup_sparse).

import type { KernelConfig } from "./util/kernel-config.js";
import { sparseSegmentGradConfig } from "./util/sparse-segment-reduction.js";

export const sparseSegmentSumGradConfig: KernelConfig = sparseSegmentGradConfig(
  "SparseSegmentSumGrad",
  "sum",
  false,
);
