// TF's RestoreSlice (core/kernels/restore_op.cc): a slice of one tensor from V1 checkpoint files.
// Declared with TF's definition; refused when run (checkpoint-util.ts v1CheckpointRefusal): tfgate
// reads V2 only.

import { v1CheckpointRefusal } from "./util/checkpoint-util.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const restoreSliceConfig: KernelConfig = {
  op: {
    name: "RestoreSlice",
    inputs: ["file_pattern: string", "tensor_name: string", "shape_and_slice: string"],
    outputs: ["tensor: dt"],
    attrs: ["dt: type", "preferred_shard: int = -1"],
    isStateful: true,
  },
  kernel: simpleKernel("RestoreSlice", () => v1CheckpointRefusal("RestoreSlice")),
};
