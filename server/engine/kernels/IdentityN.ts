// TF's IdentityN: forwards a list of tensors of any types.

import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const identityNConfig: KernelConfig = {
  op: { name: "IdentityN", inputs: ["input: T"], outputs: ["output: T"], attrs: ["T: list(type) >= 1"] },
  kernel: simpleKernel("IdentityN", (ctx) => {
    for (let i = 0; i < ctx.numInputs; i++) ctx.setOutput(i, ctx.input(i));
  }),
};
