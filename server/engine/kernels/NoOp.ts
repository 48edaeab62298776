// TF's NoOp: does nothing; used for control dependencies.

import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const noOpConfig: KernelConfig = {
  op: { name: "NoOp" },
  kernel: simpleKernel("NoOp", () => {}),
};
