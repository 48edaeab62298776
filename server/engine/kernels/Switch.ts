// TensorFlow's Switch / RefSwitch (core/kernels/control_flow_ops.cc): forwards `data` to
// output_true or output_false by `pred`; the other output stays dead.

import { invalidArgument } from "../framework/errors.js";
import type { OpKernel } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const switchKernel: OpKernel = {
  compute(ctx) {
    const pred = ctx.input(1);
    if (pred.rank !== 0) {
      throw invalidArgument(
        `The second input must be a scalar, but it has shape ${JSON.stringify(pred.shape).replace(/ /g, "")}`,
      );
    }
    const port = (pred.data as Uint8Array)[0] ? 1 : 0;
    ctx.setOutput(port, ctx.input(0));
  },
};

export const SwitchKernel: KernelConfig = {
  op: {
    name: "Switch",
    inputs: ["data: T", "pred: bool"],
    outputs: ["output_false: T", "output_true: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("Switch", () => switchKernel),
};

export const RefSwitchKernel: KernelConfig = {
  op: {
    name: "RefSwitch",
    inputs: ["data: Ref(T)", "pred: bool"],
    outputs: ["output_false: Ref(T)", "output_true: Ref(T)"],
    attrs: ["T: type"],
    allowsUninitializedInput: true,
  },
  kernel: cpuKernel("RefSwitch", () => ({
    compute(ctx) {
      const pred = ctx.input(1);
      const port = (pred.data as Uint8Array)[0] ? 1 : 0;
      ctx.setOutputRef(port, ctx.inputRef(0));
    },
  })),
};
