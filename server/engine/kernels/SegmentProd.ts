// TF's SegmentProd (core/kernels/segment_reduction_ops_impl.h, SegmentReductionOp): output[i] is
// the prod of the rows of data whose sorted segment id is i; rows no id names are 1.
// tf.math.segment_prod builds it, and its own gradient.

import { DataType } from "../framework/types.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { sortedSegmentJob } from "./util/segment-reduction.js";

export const segmentProdConfig: KernelConfig = {
  op: {
    name: "SegmentProd",
    inputs: ["data: T", "segment_ids: Tindices"],
    outputs: ["output: T"],
    attrs: ["T: numbertype", "Tindices: {int32, int64}"],
  },
  kernel: cpuKernel("SegmentProd", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    checkTypeConstraint(c, "Tindices", [DataType.DT_INT32, DataType.DT_INT64]);
    return { compute: (ctx) => computeJob(ctx, sortedSegmentJob(ctx.input(0), ctx.input(1), "prod")) };
  }),
};
