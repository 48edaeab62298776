// TF's SaveSlices (core/kernels/save_op.cc): slices of tensors into a V1 checkpoint. Declared with
// TF's definition; refused when run (checkpoint-util.ts v1CheckpointRefusal): tfgate writes V2 only.

import { v1CheckpointRefusal } from "./util/checkpoint-util.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const saveSlicesConfig: KernelConfig = {
  op: {
    name: "SaveSlices",
    inputs: ["filename: string", "tensor_names: string", "shapes_and_slices: string", "data: T"],
    attrs: ["T: list(type) >= 1"],
    isStateful: true,
  },
  kernel: simpleKernel("SaveSlices", () => v1CheckpointRefusal("SaveSlices")),
};
