// TF's StackPushV2 (core/kernels/stack.cc StackPushOp): pushes `elem` and outputs it. swap_memory
// is accepted; there is no device memory to swap from on CPU.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrType } from "../framework/op-def.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { stackFromInput } from "./util/stack.js";

export const stackPushV2Config: KernelConfig = {
  op: {
    name: "StackPushV2",
    inputs: ["handle: resource", "elem: T"],
    outputs: ["output: T"],
    attrs: ["T: type", "swap_memory: bool = false"],
    isStateful: true,
  },
  kernel: cpuKernel("StackPushV2", (c) => {
    const t = getAttrType(c.attrs, "T");
    getAttrBool(c.attrs, "swap_memory");
    return {
      compute(ctx) {
        const stack = stackFromInput(ctx);
        // TF prints both DataType enums as numbers here.
        if (t !== stack.elemType) throw invalidArgument(`Must have type ${stack.elemType} but got ${t}`);
        const value = ctx.input(1);
        stack.push(value);
        ctx.setOutput(0, value);
      },
    };
  }),
};
