// TF's WriteFile (core/kernels/whole_file_read_ops.cc): placeable, refused when run: no tfgate
// op writes to the server's filesystem.

import { permissionDenied } from "../framework/errors.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const writeFileConfig: KernelConfig = {
  op: { name: "WriteFile", inputs: ["filename: string", "contents: string"], isStateful: true },
  kernel: simpleKernel("WriteFile", () => {
    throw permissionDenied(
      "WriteFile is not allowed: tfgate ops never write to the server's filesystem; fetch the contents instead",
    );
  }),
};
