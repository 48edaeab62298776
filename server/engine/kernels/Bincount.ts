// TF's Bincount (core/kernels/bincount_op.cc): bins[v] counts (or sums the weights of) the
// occurrences of v in arr, for v < size. TF 1.x's tf.math.bincount built it; TF 2.21's builds
// DenseBincount.

import { bincountJob } from "./util/bincount-op.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

export const bincountConfig: KernelConfig = {
  op: {
    name: "Bincount",
    inputs: ["arr: int32", "size: int32", "weights: T"],
    outputs: ["bins: T"],
    attrs: ["T: {int32, int64, float, double}"],
  },
  kernel: cpuKernel("Bincount", (c) => {
    checkTypeConstraint(c, "T", [T.int32, T.int64, T.float, T.double]);
    return { compute: (ctx) => computeJob(ctx, bincountJob(ctx.input(0), ctx.input(1), ctx.input(2))) };
  }),
};
