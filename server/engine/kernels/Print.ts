// TF's Print (core/kernels/logging_ops.cc): forwards its first input and logs `message` followed
// by "[<summary>]" per data input (Tensor::SummarizeValue, v1 formatting), at most `first_n`
// times per kernel when first_n >= 0. Goes to the server log (ctx.step.log), never to stdout.

import { getAttrInt, getAttrString } from "../framework/op-def.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { summarizeValue } from "./util/summarize-value.js";

export const printConfig: KernelConfig = {
  op: {
    name: "Print",
    inputs: ["input: T", "data: U"],
    outputs: ["output: T"],
    attrs: [
      "T: type",
      "U: list(type) >= 0",
      "message: string = ''",
      "first_n: int = -1",
      "summarize: int = 3",
    ],
    isStateful: true,
  },
  kernel: cpuKernel("Print", (c) => {
    const message = getAttrString(c.attrs, "message");
    const firstN = getAttrInt(c.attrs, "first_n");
    const summarize = getAttrInt(c.attrs, "summarize");
    let calls = 0;
    return {
      compute(ctx) {
        ctx.setOutput(0, ctx.input(0));
        if (firstN >= 0) {
          if (calls >= firstN) return;
          calls++;
        }
        let msg = message;
        for (let i = 1; i < ctx.numInputs; i++) msg += `[${summarizeValue(ctx.input(i), summarize, false)}]`;
        ctx.step.log("info", msg);
      },
    };
  }),
};
