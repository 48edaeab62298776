// TF's LeftShift (core/kernels/cwise_op_left_shift.cc): x << y with y clamped to [0, bits - 1];
// bits shifted past the width are dropped (the typed output wraps).

import { BITWISE_TYPE_ATTR, BITWISE_TYPES, bitWidth, clampShift, clampShiftBig } from "./util/bitwise.js";
import { binaryJob } from "./util/cwise.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const leftShiftConfig: KernelConfig = {
  op: { name: "LeftShift", inputs: ["x: T", "y: T"], outputs: ["z: T"], attrs: [BITWISE_TYPE_ATTR] },
  kernel: cpuKernel("LeftShift", (c) => {
    const bits = bitWidth(checkTypeConstraint(c, "T", BITWISE_TYPES));
    const fns = {
      float: (a: number, y: number) => a << clampShift(y, bits),
      bigint: (a: bigint, y: bigint) => a << clampShiftBig(y, bits),
    };
    return { compute: (ctx) => computeJob(ctx, binaryJob("LeftShift", ctx.input(0), ctx.input(1), fns)) };
  }),
};
