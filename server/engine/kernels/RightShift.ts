// TF's RightShift (core/kernels/cwise_op_right_shift.cc): x >> y with y clamped to [0, bits - 1],
// arithmetic for signed dtypes, logical for unsigned ones.

import { BITWISE_TYPE_ATTR, BITWISE_TYPES, bitWidth, clampShift, clampShiftBig } from "./util/bitwise.js";
import { binaryJob } from "./util/cwise.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const rightShiftConfig: KernelConfig = {
  op: { name: "RightShift", inputs: ["x: T", "y: T"], outputs: ["z: T"], attrs: [BITWISE_TYPE_ATTR] },
  kernel: cpuKernel("RightShift", (c) => {
    const bits = bitWidth(checkTypeConstraint(c, "T", BITWISE_TYPES));
    const fns = {
      // uint32 values above 2^31 are non-negative JS numbers: shift them logically.
      float: (a: number, y: number) =>
        a > 0x7fffffff ? a >>> clampShift(y, bits) : a >> clampShift(y, bits),
      bigint: (a: bigint, y: bigint) => a >> clampShiftBig(y, bits),
    };
    return { compute: (ctx) => computeJob(ctx, binaryJob("RightShift", ctx.input(0), ctx.input(1), fns)) };
  }),
};
