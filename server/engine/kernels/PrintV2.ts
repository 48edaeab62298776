// TF's PrintV2 (core/kernels/logging_ops.cc): writes a scalar string to an output stream. Every
// stream goes to the server log (ctx.step.log); "file://" streams are refused with
// PERMISSION_DENIED because no op touches the server's filesystem.

import { invalidArgument, permissionDenied } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const STREAMS = ["stdout", "stderr", "log(info)", "log(warning)", "log(error)"];
const dec = new TextDecoder();

export const printV2Config: KernelConfig = {
  op: {
    name: "PrintV2",
    inputs: ["input: string"],
    attrs: ["output_stream: string = 'stderr'", "end: string = '\\n'"],
    isStateful: true,
  },
  kernel: cpuKernel("PrintV2", (c) => {
    const stream = getAttrString(c.attrs, "output_stream");
    // The default end is a newline, which a log line already implies.
    const rawEnd = getAttrString(c.attrs, "end");
    const end = rawEnd === "\n" ? "" : rawEnd;
    const isFile = stream.startsWith("file://");
    if (!isFile && !STREAMS.includes(stream)) {
      throw invalidArgument(
        `Unknown output stream: ${stream}, Valid streams are: ${STREAMS.join(", ")}, file://<filename>`,
      );
    }
    const level = stream === "log(warning)" ? "warn" : stream === "log(error)" ? "error" : "info";
    return {
      compute(ctx) {
        const input = ctx.input(0);
        if (input.rank !== 0) {
          throw invalidArgument(`Input is expected to be scalar, but got ${shapeString(input.shape)}`);
        }
        if (isFile) {
          throw permissionDenied(
            `PrintV2 to ${stream} is refused: tfgate ops never write to the server's filesystem`,
          );
        }
        const text = dec.decode((input.data as Uint8Array[])[0]!);
        ctx.step.log(level, `${text}${end}`);
      },
    };
  }),
};
