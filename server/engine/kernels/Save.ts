// TF's Save (core/kernels/save_op.cc): a V1 checkpoint of the named tensors. Declared with TF's
// definition; refused when run (checkpoint-util.ts v1CheckpointRefusal): tfgate writes V2 only.

import { v1CheckpointRefusal } from "./util/checkpoint-util.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const saveConfig: KernelConfig = {
  op: {
    name: "Save",
    inputs: ["filename: string", "tensor_names: string", "data: T"],
    attrs: ["T: list(type) >= 1"],
    isStateful: true,
  },
  kernel: simpleKernel("Save", () => v1CheckpointRefusal("Save")),
};
