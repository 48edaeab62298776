// TF's RaggedBincount (core/kernels/bincount_op.cc): one row of bins per row of a ragged tensor
// (row splits and flat values): counts, sums of weights, or presence with binary_output.
// tf.math.bincount builds it for a RaggedTensor with axis=-1.

import { getAttrBool } from "../framework/op-def.js";
import { raggedBincount } from "./util/bincount-op.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

export const raggedBincountConfig: KernelConfig = {
  op: {
    name: "RaggedBincount",
    inputs: ["splits: int64", "values: Tidx", "size: Tidx", "weights: T"],
    outputs: ["output: T"],
    attrs: ["Tidx: {int32, int64}", "T: {int32, int64, float, double}", "binary_output: bool = false"],
  },
  kernel: cpuKernel("RaggedBincount", (c) => {
    checkTypeConstraint(c, "T", [T.int32, T.int64, T.float, T.double]);
    const binary = getAttrBool(c.attrs, "binary_output");
    return {
      compute: (ctx) =>
        ctx.setOutput(0, raggedBincount(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), binary)),
    };
  }),
};
