// TensorFlow's ControlTrigger: does nothing; the executor never treats it as dead, so it can
// join control edges from both branches of a cond.

import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const ControlTriggerKernel: KernelConfig = {
  op: { name: "ControlTrigger" },
  kernel: cpuKernel("ControlTrigger", () => ({ compute() {} })),
};
