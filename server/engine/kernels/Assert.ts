// TF's Assert (core/kernels/logging_ops.cc): fails the step with INVALID_ARGUMENT "assertion
// failed: [...] [...]" when the condition is false, summarising up to `summarize` values per input.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { summarizeValue } from "./util/summarize-value.js";

/** One data input as AssertOp writes it: "[" + Tensor::SummarizeValue(summarize) + "]" (nested). */
export function summarize(t: Tensor, max: number): string {
  return `[${summarizeValue(t, max, false)}]`;
}

export const assertConfig: KernelConfig = {
  op: {
    name: "Assert",
    inputs: ["condition: bool", "data: T"],
    attrs: ["T: list(type) >= 1", "summarize: int = 3"],
    isStateful: true,
  },
  kernel: cpuKernel("Assert", (c) => {
    const max = getAttrInt(c.attrs, "summarize");
    return {
      compute(ctx) {
        const cond = ctx.input(0);
        if (cond.rank !== 0 || cond.dtype !== DataType.DT_BOOL) {
          throw invalidArgument(`In[0] should be a scalar: ${shapeString(cond.shape)}`);
        }
        if ((cond.data as Uint8Array)[0]) return;
        const parts: string[] = [];
        for (let i = 1; i < ctx.numInputs; i++) parts.push(summarize(ctx.input(i), max));
        throw invalidArgument(`assertion failed: ${parts.join(" ")}`);
      },
    };
  }),
};
