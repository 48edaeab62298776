// TF's StackCloseV2 (core/kernels/stack.cc StackCloseOp): empties the stack and marks it closed.

import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { stackFromInput } from "./util/stack.js";

export const stackCloseV2Config: KernelConfig = {
  op: {
    name: "StackCloseV2",
    inputs: ["handle: resource"],
    isStateful: true,
  },
  kernel: cpuKernel("StackCloseV2", () => ({
    compute(ctx) {
      stackFromInput(ctx).close();
    },
  })),
};
