// TF's SparseSegmentSqrtNGrad (core/kernels/segment_reduction_ops_impl.h, SparseSegmentGradOpBase):
// output[indices[i]] += grad[segment_ids[i]] / √n (n: the segment's number of ids), over a dense
// output of output_dim0 rows. tf.gradients emits it for tf.sparse.segment_sqrt_n (and so for
// embedding_lookup_sparse).

import type { KernelConfig } from "./util/kernel-config.js";
import { sparseSegmentGradConfig } from "./util/sparse-segment-reduction.js";

export const sparseSegmentSqrtNGradConfig: KernelConfig = sparseSegmentGradConfig(
  "SparseSegmentSqrtNGrad",
  "sqrtn",
  false,
);
