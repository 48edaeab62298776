// TF's StringSplitV2 (core/kernels/string_split_op.cc, tf.strings.split): Python's str.split on
// bytes. A non-empty sep splits at every occurrence (empty tokens kept, "" gives one empty
// token); an empty sep splits at runs of ASCII whitespace with the ends stripped. After maxsplit
// splits (maxsplit > 0) the rest of the string is the last token as is; unlike Python, in
// whitespace mode that rest keeps its trailing whitespace and may be empty, and maxsplit 0 returns
// the whole string untouched.

import { getAttrInt } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkSplitInputs } from "./StringSplit.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { isAsciiSpace, splitToSparse } from "./util/string-util.js";

function indexOfBytes(s: Uint8Array, sep: Uint8Array, from: number): number {
  outer: for (let i = from; i + sep.length <= s.length; i++) {
    for (let k = 0; k < sep.length; k++) if (s[i + k] !== sep[k]) continue outer;
    return i;
  }
  return -1;
}

function splitOnSep(s: Uint8Array, sep: Uint8Array, maxsplit: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let p = indexOfBytes(s, sep, 0); p >= 0; p = indexOfBytes(s, sep, start)) {
    out.push(s.subarray(start, p));
    start = p + sep.length;
    if (maxsplit > 0 && out.length === maxsplit) break;
  }
  out.push(s.subarray(start));
  return out;
}

function splitOnWhitespace(s: Uint8Array, maxsplit: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const skipSpace = (i: number) => {
    while (i < s.length && isAsciiSpace(s[i]!)) i++;
    return i;
  };
  let i = skipSpace(0);
  while (i < s.length) {
    let j = i;
    while (j < s.length && !isAsciiSpace(s[j]!)) j++;
    out.push(s.subarray(i, j));
    i = skipSpace(j);
    if (maxsplit > 0 && out.length === maxsplit) {
      out.push(s.subarray(i));
      break;
    }
  }
  return out;
}

export function splitV2(s: Uint8Array, sep: Uint8Array, maxsplit: number): Uint8Array[] {
  if (maxsplit === 0) return [s];
  return sep.length === 0 ? splitOnWhitespace(s, maxsplit) : splitOnSep(s, sep, maxsplit);
}

export function stringSplitV2(input: Tensor, sepT: Tensor, maxsplit: number): [Tensor, Tensor, Tensor] {
  const sep = checkSplitInputs(input, sepT, "sep");
  return splitToSparse((input.data as Uint8Array[]).map((s) => splitV2(s, sep, maxsplit)));
}

export const stringSplitV2Config: KernelConfig = {
  op: {
    name: "StringSplitV2",
    inputs: ["input: string", "sep: string"],
    outputs: ["indices: int64", "values: string", "shape: int64"],
    attrs: ["maxsplit: int = -1"],
  },
  kernel: cpuKernel("StringSplitV2", (c) => {
    const maxsplit = getAttrInt(c.attrs, "maxsplit");
    return {
      compute(ctx) {
        for (const [i, t] of stringSplitV2(ctx.input(0), ctx.input(1), maxsplit).entries())
          ctx.setOutput(i, t);
      },
    };
  }),
};
