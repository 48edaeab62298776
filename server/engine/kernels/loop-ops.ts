// TensorFlow's v1 while-loop primitives: Enter, RefEnter, Exit, RefExit, NextIteration,
// RefNextIteration and LoopCond (core/kernels/control_flow_ops.cc). Each forwards its input; the
// executor gives Enter, Exit and NextIteration their meaning (moving values between frames and
// iterations, see executor.ts), so their kernels here only run when a test calls them directly.

import type { OpKernel } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const forward: OpKernel = {
  compute(ctx) {
    ctx.setOutput(0, ctx.input(0));
  },
};

const forwardRef: OpKernel = {
  compute(ctx) {
    ctx.setOutputRef(0, ctx.inputRef(0));
  },
};

const enterAttrs = [
  "T: type",
  "frame_name: string",
  "is_constant: bool = false",
  "parallel_iterations: int = 10",
];

export const EnterKernel: KernelConfig = {
  op: { name: "Enter", inputs: ["data: T"], outputs: ["output: T"], attrs: enterAttrs },
  kernel: cpuKernel("Enter", () => forward),
};

export const RefEnterKernel: KernelConfig = {
  op: { name: "RefEnter", inputs: ["data: Ref(T)"], outputs: ["output: Ref(T)"], attrs: enterAttrs },
  kernel: cpuKernel("RefEnter", () => forwardRef),
};

export const ExitKernel: KernelConfig = {
  op: { name: "Exit", inputs: ["data: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: cpuKernel("Exit", () => forward),
};

export const RefExitKernel: KernelConfig = {
  op: { name: "RefExit", inputs: ["data: Ref(T)"], outputs: ["output: Ref(T)"], attrs: ["T: type"] },
  kernel: cpuKernel("RefExit", () => forwardRef),
};

export const NextIterationKernel: KernelConfig = {
  op: { name: "NextIteration", inputs: ["data: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: cpuKernel("NextIteration", () => forward),
};

export const RefNextIterationKernel: KernelConfig = {
  op: { name: "RefNextIteration", inputs: ["data: Ref(T)"], outputs: ["output: Ref(T)"], attrs: ["T: type"] },
  kernel: cpuKernel("RefNextIteration", () => forwardRef),
};

export const LoopCondKernel: KernelConfig = {
  op: { name: "LoopCond", inputs: ["input: bool"], outputs: ["output: bool"] },
  kernel: cpuKernel("LoopCond", () => forward),
};
