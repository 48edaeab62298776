// TF's SparseSegmentSumGrad (core/kernels/segment_reduction_ops_impl.h, SparseSegmentGradOpBase):
// output[indices[i]] += grad[segment_ids[i]] (n: the segment's number of ids), over a dense output
// of output_dim0 rows. tf.gradients emits it for tf.sparse.segment_sum (and so for
// embedding_lookup_sparse).

import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { sparseSegmentGrad } from "./sparse-segment-reduction.js";

export const sparseSegmentSumGradConfig: KernelConfig = {
  op: {
    name: "SparseSegmentSumGrad",
    inputs: ["grad: T", "indices: Tidx", "segment_ids: Tsegmentids", "output_dim0: int32"],
    outputs: ["output: T"],
    attrs: [
      "T: {bfloat16, half, float, double}",
      "Tidx: {int32, int64} = DT_INT32",
      "Tsegmentids: {int32, int64} = DT_INT32",
    ],
  },
  kernel: cpuKernel("SparseSegmentSumGrad", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          sparseSegmentGrad(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), "sum", false)[0]!,
        ),
    };
  }),
};
