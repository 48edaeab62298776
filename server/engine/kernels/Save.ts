// TF's Save (core/kernels/save_op.cc, SaveTensors in save_restore_tensor.cc): the named tensors as
// one V1 checkpoint file (framework/tensor-bundle/v1-checkpoint.ts) in the server's file sandbox.

import { saveV1 } from "./util/checkpoint-util.js";
import { stepFiles } from "./util/file-ops.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const saveConfig: KernelConfig = {
  op: {
    name: "Save",
    inputs: ["filename: string", "tensor_names: string", "data: T"],
    attrs: ["T: list(type) >= 1"],
    isStateful: true,
  },
  kernel: simpleKernel("Save", (ctx) => saveV1(ctx, false, stepFiles(ctx, "Save"))),
};
