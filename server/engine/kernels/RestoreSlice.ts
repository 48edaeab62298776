// TF's RestoreSlice (core/kernels/restore_op.cc, RestoreTensor in save_restore_tensor.cc): a slice (shape_and_slice) of one tensor from
// the V1 checkpoint files matching file_pattern in the server's file sandbox.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { openV1Checkpoint, restoreV1 } from "./util/checkpoint-util.js";
import { stepFiles } from "./util/file-ops.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const utf8 = new TextDecoder();

export const restoreSliceConfig: KernelConfig = {
  op: {
    name: "RestoreSlice",
    inputs: ["file_pattern: string", "tensor_name: string", "shape_and_slice: string"],
    outputs: ["tensor: dt"],
    attrs: ["dt: type", "preferred_shard: int = -1"],
    isStateful: true,
  },
  kernel: cpuKernel("RestoreSlice", (c) => {
    const dt = getAttrType(c.attrs, "dt");
    return {
      compute(ctx) {
        const pattern = ctx.input(0);
        if (pattern.numElements !== 1) {
          throw invalidArgument(
            `Input 0 (file_pattern) must be a string scalar; got a tensor of ${pattern.numElements} elements`,
          );
        }
        const names = ctx.input(1);
        if (names.numElements < 1) {
          throw invalidArgument("Input 1 (file_pattern) must be a have at least 1 elements");
        }
        const files = stepFiles(ctx, "RestoreSlice");
        const p = utf8.decode((pattern.data as Uint8Array[])[0]!);
        const name = utf8.decode((names.data as Uint8Array[])[0]!);
        const spec = utf8.decode((ctx.input(2).data as Uint8Array[])[0] ?? new Uint8Array(0));
        ctx.setOutput(0, restoreV1(ctx, openV1Checkpoint(files, p), p, name, spec, dt));
      },
    };
  }),
};
