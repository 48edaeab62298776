// TF's GuaranteeConst (core/kernels/guarantee_const_op.cc): an identity promising the runtime that
// its input is constant during the step (a stateful op, so graph optimisers keep it).

import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const guaranteeConstConfig: KernelConfig = {
  op: {
    name: "GuaranteeConst",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: type"],
    isStateful: true,
  },
  kernel: simpleKernel("GuaranteeConst", (ctx) => ctx.setOutput(0, ctx.input(0))),
};
