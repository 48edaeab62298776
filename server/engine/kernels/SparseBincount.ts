// TF's SparseBincount (core/kernels/bincount_op.cc): the values of a SparseTensor counted (or
// weighted, or marked with binary_output) into one row of bins per first-dimension index.
// tf.math.bincount builds it for a SparseTensor with axis=-1.

import { getAttrBool } from "../framework/op-def.js";
import { sparseBincount } from "./util/bincount-op.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

export const sparseBincountConfig: KernelConfig = {
  op: {
    name: "SparseBincount",
    inputs: ["indices: int64", "values: Tidx", "dense_shape: int64", "size: Tidx", "weights: T"],
    outputs: ["output: T"],
    attrs: ["Tidx: {int32, int64}", "T: {int32, int64, float, double}", "binary_output: bool = false"],
  },
  kernel: cpuKernel("SparseBincount", (c) => {
    checkTypeConstraint(c, "T", [T.int32, T.int64, T.float, T.double]);
    const binary = getAttrBool(c.attrs, "binary_output");
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          sparseBincount(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4), binary),
        ),
    };
  }),
};
