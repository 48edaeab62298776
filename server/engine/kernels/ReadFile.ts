// TF's ReadFile (core/kernels/whole_file_read_ops.cc): a file's whole contents as one string. The
// path resolves inside the operator's file sandbox (--files-root); without one the op is refused.

import { readFileSync } from "node:fs";
import { invalidArgument } from "../framework/errors.js";
import { fileError, requireFileSandbox } from "../framework/file-sandbox.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./kernel-config.js";

export const readFileConfig: KernelConfig = {
  op: { name: "ReadFile", inputs: ["filename: string"], outputs: ["contents: string"] },
  kernel: simpleKernel("ReadFile", (ctx) => {
    const files = requireFileSandbox(ctx.step.files, "ReadFile");
    const input = ctx.input(0);
    if (input.shape.length !== 0) {
      throw invalidArgument(
        `Input filename tensor must be scalar, but had shape: ${shapeString(input.shape)}`,
      );
    }
    const path = new TextDecoder().decode((input.data as Uint8Array[])[0]);
    const host = files.resolveForRead(path);
    let contents: Uint8Array;
    try {
      contents = readFileSync(host);
    } catch (e) {
      throw fileError(e, path);
    }
    const out = allocData(DataType.DT_STRING, 1, []) as Uint8Array[];
    out[0] = contents;
    ctx.setOutput(0, new Tensor(DataType.DT_STRING, [], out));
  }),
};
