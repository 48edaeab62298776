// TF's Identity family (core/kernels/identity_op.cc): Identity, RefIdentity, StopGradient,
// PreventGradient, Snapshot. All forward their input; Snapshot copies it (TF's Snapshot guarantees a
// buffer that later in-place updates of the input cannot change — our variables replace buffers,
// but copying keeps the contract explicit).

import { cpuKernel, type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { copyTensor } from "./util/tensor-util.js";

export const identityConfig: KernelConfig = {
  op: { name: "Identity", inputs: ["input: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: simpleKernel("Identity", (ctx) => ctx.setOutput(0, ctx.input(0))),
};

/** RefIdentity forwards the reference itself (TF1 while loops over ref loop variables emit it). */
export const refIdentityConfig: KernelConfig = {
  op: {
    name: "RefIdentity",
    inputs: ["input: Ref(T)"],
    outputs: ["output: Ref(T)"],
    attrs: ["T: type"],
    allowsUninitializedInput: true,
  },
  kernel: cpuKernel("RefIdentity", () => ({
    compute: (ctx) => ctx.setOutputRef(0, ctx.inputRef(0)),
  })),
};

export const stopGradientConfig: KernelConfig = {
  op: { name: "StopGradient", inputs: ["input: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: simpleKernel("StopGradient", (ctx) => ctx.setOutput(0, ctx.input(0))),
};

export const preventGradientConfig: KernelConfig = {
  op: {
    name: "PreventGradient",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: type", "message: string = ''"],
  },
  kernel: simpleKernel("PreventGradient", (ctx) => ctx.setOutput(0, ctx.input(0))),
};

export const snapshotConfig: KernelConfig = {
  op: { name: "Snapshot", inputs: ["input: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: simpleKernel("Snapshot", (ctx) => ctx.setOutput(0, copyTensor(ctx.input(0)))),
};
