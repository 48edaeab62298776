// TF's PadV2 (core/kernels/pad_op.cc): Pad with a scalar `constant_values` instead of zero.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { padJob, readPaddings } from "./Pad.js";
import { computeJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const padV2Config: KernelConfig = {
  op: {
    name: "PadV2",
    inputs: ["input: T", "paddings: Tpaddings", "constant_values: T"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tpaddings: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("PadV2", () => ({
    compute(ctx) {
      const input = ctx.input(0);
      const value = ctx.input(2);
      if (value.numElements !== 1 || value.rank !== 0) {
        throw invalidArgument(`constant_values must be a scalar. Found: ${shapeString(value.shape)}`);
      }
      return computeJob(ctx, padJob(input, readPaddings(input, ctx.input(1)), value));
    },
  })),
};
