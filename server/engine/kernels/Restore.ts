// TF's Restore (core/kernels/restore_op.cc, RestoreTensor in save_restore_tensor.cc): one tensor from
// the V1 checkpoint files matching file_pattern in the server's file sandbox.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { openV1Checkpoint, restoreV1 } from "./util/checkpoint-util.js";
import { stepFiles } from "./util/file-ops.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const utf8 = new TextDecoder();

export const restoreConfig: KernelConfig = {
  op: {
    name: "Restore",
    inputs: ["file_pattern: string", "tensor_name: string"],
    outputs: ["tensor: dt"],
    attrs: ["dt: type", "preferred_shard: int = -1"],
    isStateful: true,
  },
  kernel: cpuKernel("Restore", (c) => {
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
        const files = stepFiles(ctx, "Restore");
        const p = utf8.decode((pattern.data as Uint8Array[])[0]!);
        const name = utf8.decode((names.data as Uint8Array[])[0]!);
        const spec = "";
        ctx.setOutput(0, restoreV1(ctx, openV1Checkpoint(files, p), p, name, spec, dt));
      },
    };
  }),
};
