// TF's SparseSegmentMeanWithNumSegments (core/kernels/segment_reduction_ops_impl.h,
// SparseSegmentReductionOpBase): output[i] is the mean of the rows data[indices[k]] whose sorted
// segment_ids[k] is i, over num_segments rows. tf.sparse.segment_mean; sparse_gradient only changes
// which gradient op tf.gradients emits, not this kernel.

import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeSparseSegmentReduce } from "./util/sparse-segment-reduction.js";

export const sparseSegmentMeanWithNumSegmentsConfig: KernelConfig = {
  op: {
    name: "SparseSegmentMeanWithNumSegments",
    inputs: ["data: T", "indices: Tidx", "segment_ids: Tsegmentids", "num_segments: Tnumsegments"],
    outputs: ["output: T"],
    attrs: [
      "T: {bfloat16, half, float, double}",
      "Tidx: {int32, int64} = DT_INT32",
      "Tnumsegments: {int32, int64} = DT_INT32",
      "Tsegmentids: {int32, int64} = DT_INT32",
      "sparse_gradient: bool = false",
    ],
  },
  kernel: cpuKernel("SparseSegmentMeanWithNumSegments", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute: (ctx) => computeSparseSegmentReduce(ctx, "mean", true),
    };
  }),
};
