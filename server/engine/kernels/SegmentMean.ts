// TF's SegmentMean (core/kernels/segment_reduction_ops_impl.h, SegmentReductionOp): output[i] is
// the mean of the rows of data whose sorted segment id is i (integers truncate, like C++ division);
// rows no id names are 0. tf.math.segment_mean builds it.

import { DataType } from "../framework/types.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { sortedSegmentJob } from "./util/segment-reduction.js";

export const segmentMeanConfig: KernelConfig = {
  op: {
    name: "SegmentMean",
    inputs: ["data: T", "segment_ids: Tindices"],
    outputs: ["output: T"],
    attrs: ["T: numbertype", "Tindices: {int32, int64}"],
  },
  kernel: cpuKernel("SegmentMean", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    checkTypeConstraint(c, "Tindices", [DataType.DT_INT32, DataType.DT_INT64]);
    return {
      compute: (ctx) => computeJob(ctx, sortedSegmentJob(ctx.input(0), ctx.input(1), "sum", true)),
    };
  }),
};
