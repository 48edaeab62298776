// TF's MatchingFiles (core/kernels/matching_files_op.cc): every path in the server's file sandbox
// matching any of the glob patterns (file-ops.ts globFiles), all sorted together.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { compareBytes } from "../framework/tensor-bundle/coding.js";
import { DataType } from "../framework/types.js";
import { globFiles, stepFiles } from "./util/file-ops.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

export const matchingFilesConfig: KernelConfig = {
  op: { name: "MatchingFiles", inputs: ["pattern: string"], outputs: ["filenames: string"] },
  kernel: simpleKernel("MatchingFiles", (ctx) => {
    const patterns = ctx.input(0);
    if (patterns.rank > 1) {
      throw invalidArgument(
        `Input patterns tensor must be scalar or vector, but had shape: ${shapeString(patterns.shape)}`,
      );
    }
    const files = stepFiles(ctx, "MatchingFiles");
    const out: Uint8Array[] = [];
    for (const p of patterns.data as Uint8Array[]) {
      for (const path of globFiles(files, dec.decode(p))) out.push(enc.encode(path));
    }
    out.sort(compareBytes);
    ctx.setOutput(0, new Tensor(DataType.DT_STRING, [out.length], out));
  }),
};
