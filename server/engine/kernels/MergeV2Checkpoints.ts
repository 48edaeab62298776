// TF's MergeV2Checkpoints (core/kernels/save_restore_v2_ops.cc): the last step of a sharded save,
// merging the per-shard checkpoints into one under destination_prefix and (delete_old_dirs) removing
// the shards' temporary directories when they are empty.

import { invalidArgument, isTfError } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { mergeBundles } from "../framework/tensor-bundle/bundle.js";
import { dirname } from "../framework/tensor-bundle/naming.js";
import { stepFiles } from "./util/file-ops.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const utf8 = new TextDecoder();

export const mergeV2CheckpointsConfig: KernelConfig = {
  op: {
    name: "MergeV2Checkpoints",
    inputs: ["checkpoint_prefixes: string", "destination_prefix: string"],
    attrs: ["delete_old_dirs: bool = true", "allow_missing_files: bool = false"],
    isStateful: true,
  },
  kernel: cpuKernel("MergeV2Checkpoints", (c) => {
    const deleteOldDirs = getAttrBool(c.attrs, "delete_old_dirs");
    const allowMissing = getAttrBool(c.attrs, "allow_missing_files");
    return {
      compute(ctx) {
        const prefixesT = ctx.input(0);
        const destT = ctx.input(1);
        if (prefixesT.rank !== 1) {
          throw invalidArgument(
            `Input checkpoint_prefixes should be an 1-D tensor, got ${shapeString(prefixesT.shape)} instead.`,
          );
        }
        if (destT.rank !== 0) {
          throw invalidArgument(
            `Input destination_prefix should be a scalar tensor, got ${shapeString(destT.shape)} instead.`,
          );
        }
        const prefixes = (prefixesT.data as Uint8Array[]).map((p) => utf8.decode(p));
        const merged = utf8.decode((destT.data as Uint8Array[])[0]!);
        const files = stepFiles(ctx, "MergeV2Checkpoints");
        mergeBundles(files, prefixes, merged, allowMissing);
        if (!deleteOldDirs) return;
        const mergedDir = dirname(merged);
        for (const p of prefixes) {
          const dir = dirname(p);
          if (dir === mergedDir) continue;
          try {
            files.removeDir(dir);
          } catch (e) {
            // As in TF: only the first shard's delete succeeds, the others find it gone.
            if (!isTfError(e)) throw e;
          }
        }
      },
    };
  }),
};
