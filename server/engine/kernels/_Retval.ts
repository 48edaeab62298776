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
        // Outside a function call (a graph sent by a client with a bare _Retval) there is no frame:
        // TF's kernel answers INTERNAL "no call frame" (core/kernels/function_ops.cc).
        if (rets === undefined) throw internal("no call frame");
        if (index >= rets.length) throw internal(`_Retval ${c.nodeName}: no result ${index}`);
        rets[index] = ctx.input(0);
      },
    };
  }),
};
