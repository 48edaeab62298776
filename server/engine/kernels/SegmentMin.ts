// TF's SegmentMin (core/kernels/segment_reduction_ops_impl.h, SegmentReductionOp): output[i] is the
// min of the rows of data whose sorted segment id is i; rows no id names are 0. tf.math.segment_min
// builds it.

import { DataType } from "../framework/types.js";
import { computeJob } from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { sortedSegmentJob } from "./util/segment-reduction.js";

export const segmentMinConfig: KernelConfig = {
  op: {
    name: "SegmentMin",
    inputs: ["data: T", "segment_ids: Tindices"],
    outputs: ["output: T"],
    attrs: ["T: realnumbertype", "Tindices: {int32, int64}"],
  },
  kernel: cpuKernel("SegmentMin", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    checkTypeConstraint(c, "Tindices", [DataType.DT_INT32, DataType.DT_INT64]);
    return { compute: (ctx) => computeJob(ctx, sortedSegmentJob(ctx.input(0), ctx.input(1), "min")) };
  }),
};
