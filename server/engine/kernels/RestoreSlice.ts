// TF's RestoreSlice (core/kernels/restore_op.cc, RestoreTensor in save_restore_tensor.cc): a slice (shape_and_slice) of one tensor from
// the V1 checkpoint files matching file_pattern in the server's file sandbox.

import { restoreV1Kernel } from "./util/checkpoint-util.js";
import type { KernelConfig } from "./util/kernel-config.js";

export const restoreSliceConfig: KernelConfig = {
  op: {
    name: "RestoreSlice",
    inputs: ["file_pattern: string", "tensor_name: string", "shape_and_slice: string"],
    outputs: ["tensor: dt"],
    attrs: ["dt: type", "preferred_shard: int = -1"],
    isStateful: true,
  },
  kernel: restoreV1Kernel("RestoreSlice", true),
};
