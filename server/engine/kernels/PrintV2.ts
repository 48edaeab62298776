// TF's PrintV2 (core/kernels/logging_ops.cc): writes a scalar string to an output stream. Every
// stream goes to the server log (ctx.step.log); "file://" streams are refused with
// PERMISSION_DENIED because no op touches the server's filesystem.

import { invalidArgument, permissionDenied } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { MAX_MESSAGE_CHARS } from "../worker/step-log.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const STREAMS = ["stdout", "stderr", "log(info)", "log(warning)", "log(error)"];
const dec = new TextDecoder();

/**
 * What the log keeps of a string: all of it when short, else only the head the step log would keep
 * anyway (worker/step-log.ts), decoded from a prefix of the bytes, so a 100 MB string is never
 * turned into text whole.
 */
function logText(bytes: Uint8Array, end: string): string {
  const keep = MAX_MESSAGE_CHARS - 100;
  // UTF-8 takes at most 4 bytes a character: this prefix holds every character that is kept.
  if (bytes.length <= keep) return `${dec.decode(bytes)}${end}`;
  const head = dec.decode(bytes.subarray(0, keep * 4)).slice(0, keep);
  return `${head}… (${bytes.length} bytes in all, the rest not logged)`;
}

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
        ctx.step.log(level, logText((input.data as Uint8Array[])[0]!, end));
      },
    };
  }),
};
