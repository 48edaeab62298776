// TF's WriteFile (core/kernels/whole_file_read_ops.cc): writes one scalar string as a file in the
// server's file sandbox, creating its directory as TF does; the file is replaced atomically.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { dirname } from "../framework/tensor-bundle/naming.js";
import { scalarStringInput, stepFiles } from "./util/file-ops.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const writeFileConfig: KernelConfig = {
  op: { name: "WriteFile", inputs: ["filename: string", "contents: string"], isStateful: true },
  kernel: simpleKernel("WriteFile", (ctx) => {
    const files = stepFiles(ctx, "WriteFile");
    const name = scalarStringInput(ctx, 0, "Input filename tensor");
    const contents = ctx.input(1);
    if (contents.rank !== 0) {
      throw invalidArgument(`Contents tensor must be scalar, but had shape: ${shapeString(contents.shape)}`);
    }
    files.makeDirs(dirname(name));
    files.writeAtomic(name, (contents.data as Uint8Array[])[0]!);
  }),
};
