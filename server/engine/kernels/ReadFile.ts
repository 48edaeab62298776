// TF's ReadFile (core/kernels/whole_file_read_ops.cc): a file's whole contents as one string. The
// path resolves inside the operator's file sandbox (--files-root); without one the op is refused.

import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { scalarStringInput, stepFiles } from "./util/file-ops.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const readFileConfig: KernelConfig = {
  op: { name: "ReadFile", inputs: ["filename: string"], outputs: ["contents: string"] },
  kernel: simpleKernel("ReadFile", (ctx) => {
    const files = stepFiles(ctx, "ReadFile");
    const path = scalarStringInput(ctx, 0, "Input filename tensor");
    const out = allocData(DataType.DT_STRING, 1, []) as Uint8Array[];
    out[0] = files.readFile(path);
    ctx.setOutput(0, new Tensor(DataType.DT_STRING, [], out));
  }),
};
