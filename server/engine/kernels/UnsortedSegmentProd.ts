// TF's UnsortedSegmentProd (core/kernels/segment_reduction_ops_impl.h, UnsortedSegmentReductionOp):
// output[segment_ids[i…], …] is the prod of the data rows with that id, over num_segments rows;
// a segment no id names is 1. Negative ids are dropped. tf.math.unsorted_segment_prod.

import { DataType } from "../framework/types.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { unsortedSegmentJob } from "./util/segment-reduction.js";

export const unsortedSegmentProdConfig: KernelConfig = {
  op: {
    name: "UnsortedSegmentProd",
    inputs: ["data: T", "segment_ids: Tindices", "num_segments: Tnumsegments"],
    outputs: ["output: T"],
    attrs: ["T: numbertype", "Tindices: {int32, int64}", "Tnumsegments: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("UnsortedSegmentProd", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    checkTypeConstraint(c, "Tindices", [DataType.DT_INT32, DataType.DT_INT64]);
    return {
      compute: (ctx) => computeJob(ctx, unsortedSegmentJob(ctx.input(0), ctx.input(1), ctx.input(2), "prod")),
    };
  }),
};
