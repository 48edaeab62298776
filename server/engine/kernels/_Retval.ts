// TensorFlow's _Retval (core/kernels/function_ops.cc): result `index` of the function call whose
// body is running.

import { internal } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const RetvalKernel: KernelConfig = {
  op: { name: "_Retval", inputs: ["input: T"], attrs: ["T: type", "index: int >= 0"], isStateful: true },
  kernel: cpuKernel("_Retval", (c) => {
    const index = getAttrInt(c.attrs, "index");
    return {
      compute(ctx) {
        const rets = ctx.step.callFrame?.rets;
        if (rets === undefined || index >= rets.length)
          throw internal(`_Retval ${c.nodeName}: no result ${index}`);
        rets[index] = ctx.input(0);
      },
    };
  }),
};
