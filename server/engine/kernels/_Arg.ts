// TensorFlow's _Arg (core/kernels/function_ops.cc): argument `index` of the function call whose
// body is running.

import { internal } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const ArgKernel: KernelConfig = {
  op: { name: "_Arg", outputs: ["output: T"], attrs: ["T: type", "index: int >= 0"], isStateful: true },
  kernel: cpuKernel("_Arg", (c) => {
    const index = getAttrInt(c.attrs, "index");
    return {
      compute(ctx) {
        const args = ctx.step.callFrame?.args;
        // Outside a function call (a graph sent by a client with a bare _Arg) there is no frame:
        // TF's kernel answers INTERNAL "no call frame" (core/kernels/function_ops.cc).
        if (args === undefined) throw internal("no call frame");
        if (index >= args.length) throw internal(`_Arg ${c.nodeName}: no argument ${index}`);
        ctx.setOutput(0, args[index]!);
      },
    };
  }),
};
