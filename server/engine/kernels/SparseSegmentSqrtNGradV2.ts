// TF's SparseSegmentSqrtNGradV2 (core/kernels/segment_reduction_ops_impl.h,
// SparseSegmentGradOpBase): output[indices[i]] += grad[segment_ids[i]] / √n (n: the segment's
// number of ids), over one output row per distinct index, with the sorted distinct indices.
// tf.gradients emits it for tf.sparse.segment_sqrt_n(..., sparse_gradient=True).

import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { sparseSegmentGrad } from "./sparse-segment-reduction.js";

export const sparseSegmentSqrtNGradV2Config: KernelConfig = {
  op: {
    name: "SparseSegmentSqrtNGradV2",
    inputs: ["grad: T", "indices: Tidx", "segment_ids: Tsegmentids", "dense_output_dim0: int32"],
    outputs: ["output: T", "sorted_unique_indices: Tidx"],
    attrs: [
      "T: {bfloat16, half, float, double}",
      "Tidx: {int32, int64} = DT_INT32",
      "Tsegmentids: {int32, int64} = DT_INT32",
    ],
  },
  kernel: cpuKernel("SparseSegmentSqrtNGradV2", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute: (ctx) => {
        const [output, sortedUniqueIndices] = sparseSegmentGrad(
          ctx.input(0),
          ctx.input(1),
          ctx.input(2),
          ctx.input(3),
          "sqrtn",
          true,
        );
        ctx.setOutput(0, output!);
        ctx.setOutput(1, sortedUniqueIndices!);
      },
    };
  }),
};
