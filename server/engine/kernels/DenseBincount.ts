// TF's DenseBincount (core/kernels/bincount_op.cc): per vector (or per row of a matrix) input,
// bins[v] counts or sums the weights of the occurrences of v < size; binary_output marks presence
// instead. tf.math.bincount builds it.

import { getAttrBool } from "../framework/op-def.js";
import { denseBincountJob } from "./util/bincount-op.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

export const denseBincountConfig: KernelConfig = {
  op: {
    name: "DenseBincount",
    inputs: ["input: Tidx", "size: Tidx", "weights: T"],
    outputs: ["output: T"],
    attrs: ["Tidx: {int32, int64}", "T: {int32, int64, float, double}", "binary_output: bool = false"],
  },
  kernel: cpuKernel("DenseBincount", (c) => {
    checkTypeConstraint(c, "T", [T.int32, T.int64, T.float, T.double]);
    const binary = getAttrBool(c.attrs, "binary_output");
    return {
      compute: (ctx) => computeJob(ctx, denseBincountJob(ctx.input(0), ctx.input(1), ctx.input(2), binary)),
    };
  }),
};
