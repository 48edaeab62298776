// TF's UnsortedSegmentSum (core/kernels/segment_reduction_ops_impl.h, UnsortedSegmentReductionOp):
// output[segment_ids[i…], …] += data[i…, …], output shape [num_segments] + data.shape[ids.rank:].
// Negative ids are dropped, as in TF; ids ≥ num_segments are INVALID_ARGUMENT. tf.gradients emits
// it for the gradient of GatherV2 with dense gradients and of the segment ops.

import { DataType } from "../framework/types.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { unsortedSegmentJob } from "./util/segment-reduction.js";

export const unsortedSegmentSumConfig: KernelConfig = {
  op: {
    name: "UnsortedSegmentSum",
    inputs: ["data: T", "segment_ids: Tindices", "num_segments: Tnumsegments"],
    outputs: ["output: T"],
    attrs: ["T: numbertype", "Tindices: {int16, int32, int64}", "Tnumsegments: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("UnsortedSegmentSum", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    // Unlike the other unsorted reductions, TF registers int16 ids for the sum.
    checkTypeConstraint(c, "Tindices", [DataType.DT_INT16, DataType.DT_INT32, DataType.DT_INT64]);
    return {
      compute: (ctx) => computeJob(ctx, unsortedSegmentJob(ctx.input(0), ctx.input(1), ctx.input(2), "sum")),
    };
  }),
};
