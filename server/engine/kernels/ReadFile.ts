// TF's ReadFile (core/kernels/whole_file_read_ops.cc): placeable so graphs containing it can be
// created, but refused when run: no tfgate op reads the server's filesystem.

import { permissionDenied } from "../framework/errors.js";
import { type KernelConfig, simpleKernel } from "./kernel-config.js";

export const readFileConfig: KernelConfig = {
  op: { name: "ReadFile", inputs: ["filename: string"], outputs: ["contents: string"] },
  kernel: simpleKernel("ReadFile", () => {
    throw permissionDenied(
      "ReadFile is not allowed: tfgate ops never read the server's filesystem; feed the contents instead",
    );
  }),
};
