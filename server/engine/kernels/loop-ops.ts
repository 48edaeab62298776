// TensorFlow's v1 while-loop primitives: Enter, Exit, NextIteration, LoopCond (and Ref variants).
// They are declared so graphs containing loops can be created and placed; running a loop needs
// frames in the executor, which reports UNIMPLEMENTED for these ops until frames land.

import { unimplemented } from "../framework/errors.js";
import type { KernelRegistration } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";

function notYet(op: string): KernelRegistration["create"] {
  return () => ({
    compute() {
      throw unimplemented(
        `${op}: v1 while loops (Enter/Exit/NextIteration frames) are not supported by tfgate yet`,
      );
    },
  });
}

export const EnterKernel: KernelConfig = {
  op: {
    name: "Enter",
    inputs: ["data: T"],
    outputs: ["output: T"],
    attrs: ["T: type", "frame_name: string", "is_constant: bool = false", "parallel_iterations: int = 10"],
  },
  kernel: cpuKernel("Enter", notYet("Enter")),
};

export const RefEnterKernel: KernelConfig = {
  op: {
    name: "RefEnter",
    inputs: ["data: Ref(T)"],
    outputs: ["output: Ref(T)"],
    attrs: ["T: type", "frame_name: string", "is_constant: bool = false", "parallel_iterations: int = 10"],
  },
  kernel: cpuKernel("RefEnter", notYet("RefEnter")),
};

export const ExitKernel: KernelConfig = {
  op: { name: "Exit", inputs: ["data: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: cpuKernel("Exit", notYet("Exit")),
};

export const NextIterationKernel: KernelConfig = {
  op: { name: "NextIteration", inputs: ["data: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: cpuKernel("NextIteration", notYet("NextIteration")),
};

export const LoopCondKernel: KernelConfig = {
  op: { name: "LoopCond", inputs: ["input: bool"], outputs: ["output: bool"] },
  kernel: cpuKernel("LoopCond", notYet("LoopCond")),
};
