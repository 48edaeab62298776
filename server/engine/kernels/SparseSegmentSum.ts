// TF's SparseSegmentSum (core/kernels/segment_reduction_ops_impl.h, SparseSegmentReductionOpBase):
// output[i] is the sum of the rows data[indices[k]] whose sorted segment_ids[k] is i, over
// last segment id + 1 rows. tf.sparse.segment_sum; sparse_gradient only changes which gradient op
// tf.gradients emits, not this kernel.

import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { computeSparseSegmentReduce } from "./util/sparse-segment-reduction.js";

export const sparseSegmentSumConfig: KernelConfig = {
  op: {
    name: "SparseSegmentSum",
    inputs: ["data: T", "indices: Tidx", "segment_ids: Tsegmentids"],
    outputs: ["output: T"],
    attrs: [
      "T: realnumbertype",
      "Tidx: {int32, int64} = DT_INT32",
      "Tsegmentids: {int32, int64} = DT_INT32",
      "sparse_gradient: bool = false",
    ],
  },
  kernel: cpuKernel("SparseSegmentSum", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    return {
      compute: (ctx) => computeSparseSegmentReduce(ctx, "sum", false),
    };
  }),
};
