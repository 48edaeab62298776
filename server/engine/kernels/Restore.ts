// TF's Restore (core/kernels/restore_op.cc, RestoreTensor in save_restore_tensor.cc): one tensor from
// the V1 checkpoint files matching file_pattern in the server's file sandbox.

import { restoreV1Kernel } from "./util/checkpoint-util.js";
import type { KernelConfig } from "./util/kernel-config.js";

export const restoreConfig: KernelConfig = {
  op: {
    name: "Restore",
    inputs: ["file_pattern: string", "tensor_name: string"],
    outputs: ["tensor: dt"],
    attrs: ["dt: type", "preferred_shard: int = -1"],
    isStateful: true,
  },
  kernel: restoreV1Kernel("Restore", false),
};
