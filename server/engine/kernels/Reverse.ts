// TF's Reverse (core/kernels/reverse_op.cc): the v1 form of ReverseV2 with a bool mask per dim.

import { invalidArgument } from "../framework/errors.js";
import { reverseJob } from "./ReverseV2.js";
import { computeJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const reverseConfig: KernelConfig = {
  op: {
    name: "Reverse",
    inputs: ["tensor: T", "dims: bool"],
    outputs: ["output: T"],
    attrs: [
      "T: {uint8, int8, uint16, int16, uint32, int32, uint64, int64, bool, bfloat16, half, float, double, complex64, complex128, string}",
    ],
  },
  kernel: cpuKernel("Reverse", () => ({
    compute(ctx) {
      const x = ctx.input(0);
      const dims = ctx.input(1);
      if (dims.rank !== 1) throw invalidArgument(`'dims' must be 1-dimension, not ${dims.rank}`);
      if (x.rank !== dims.shape[0]) {
        throw invalidArgument(
          `'dims' must have the same number of values as 'input' has dimensions. 'input' has ${x.rank}'dims' has ${dims.shape[0]} values`,
        );
      }
      return computeJob(
        ctx,
        reverseJob(
          x,
          Array.from(dims.data as Uint8Array, (v) => v !== 0),
        ),
      );
    },
  })),
};
