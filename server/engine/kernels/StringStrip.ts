// TF's StringStrip (core/kernels/string_strip_op.cc): removes leading and trailing ASCII
// whitespace (absl::StripAsciiWhitespace) from each string.

import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { isAsciiSpace } from "./util/string-util.js";

export function stripAscii(s: Uint8Array): Uint8Array {
  let a = 0;
  let b = s.length;
  while (a < b && isAsciiSpace(s[a]!)) a++;
  while (b > a && isAsciiSpace(s[b - 1]!)) b--;
  return s.subarray(a, b);
}

export function stringStrip(input: Tensor): Tensor {
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_STRING, src.length, input.shape) as Uint8Array[];
  for (let i = 0; i < src.length; i++) out[i] = stripAscii(src[i]!);
  return new Tensor(DataType.DT_STRING, input.shape, out);
}

export const stringStripConfig: KernelConfig = {
  op: { name: "StringStrip", inputs: ["input: string"], outputs: ["output: string"] },
  kernel: simpleKernel("StringStrip", (ctx) => ctx.setOutput(0, stringStrip(ctx.input(0)))),
};
