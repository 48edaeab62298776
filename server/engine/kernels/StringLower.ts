// TF's StringLower (core/kernels/string_lower_op.cc): lower-cases each string. With encoding ''
// only ASCII letters change, byte by byte; with 'utf-8' TF goes through ICU's UnicodeString: the
// bytes are decoded up to the first NUL (ICU's char* constructor), malformed sequences become
// U+FFFD, and the full Unicode case mapping applies (JS's toLowerCase/toUpperCase are the same
// locale-independent mapping, final sigma included).

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export type CaseDirection = "lower" | "upper";

const dec = new TextDecoder();
const enc = new TextEncoder();

function asciiCase(s: Uint8Array, dir: CaseDirection): Uint8Array {
  const out = new Uint8Array(s);
  const [lo, hi, delta] = dir === "lower" ? [0x41, 0x5a, 32] : [0x61, 0x7a, -32];
  for (let i = 0; i < out.length; i++) if (out[i]! >= lo && out[i]! <= hi) out[i]! += delta;
  return out;
}

function unicodeCase(s: Uint8Array, dir: CaseDirection): Uint8Array {
  const nul = s.indexOf(0);
  const text = dec.decode(nul < 0 ? s : s.subarray(0, nul));
  return enc.encode(dir === "lower" ? text.toLowerCase() : text.toUpperCase());
}

/** TF accepts exactly '' and 'utf-8' (case-sensitive). */
export function checkCaseEncoding(encoding: string): void {
  if (encoding !== "" && encoding !== "utf-8") {
    throw invalidArgument(`only utf-8 or '' (no encoding) is supported, received ${encoding}`);
  }
}

export function changeCase(input: Tensor, dir: CaseDirection, encoding: string): Tensor {
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_STRING, src.length, input.shape) as Uint8Array[];
  for (let i = 0; i < src.length; i++) {
    out[i] = encoding === "" ? asciiCase(src[i]!, dir) : unicodeCase(src[i]!, dir);
  }
  return new Tensor(DataType.DT_STRING, input.shape, out);
}

/** The KernelConfig of StringLower or StringUpper. */
export function caseOpConfig(name: string, dir: CaseDirection): KernelConfig {
  return {
    op: { name, inputs: ["input: string"], outputs: ["output: string"], attrs: ["encoding: string = ''"] },
    kernel: cpuKernel(name, (c) => {
      const encoding = getAttrString(c.attrs, "encoding");
      // TF checks the encoding when it builds the kernel, so every run of the node fails.
      checkCaseEncoding(encoding);
      return { compute: (ctx) => ctx.setOutput(0, changeCase(ctx.input(0), dir, encoding)) };
    }),
  };
}

export const stringLowerConfig: KernelConfig = caseOpConfig("StringLower", "lower");
