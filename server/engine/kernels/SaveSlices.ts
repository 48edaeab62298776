// TF's SaveSlices (core/kernels/save_op.cc, SaveTensors in save_restore_tensor.cc): tensors or
// slices of them (shapes_and_slices) as one V1 checkpoint file in the server's file sandbox.

import { saveV1 } from "./util/checkpoint-util.js";
import { stepFiles } from "./util/file-ops.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const saveSlicesConfig: KernelConfig = {
  op: {
    name: "SaveSlices",
    inputs: ["filename: string", "tensor_names: string", "shapes_and_slices: string", "data: T"],
    attrs: ["T: list(type) >= 1"],
    isStateful: true,
  },
  kernel: simpleKernel("SaveSlices", (ctx) => saveV1(ctx, true, stepFiles(ctx, "SaveSlices"))),
};
