// TF's RegexFullMatch and StaticRegexFullMatch (core/kernels/regex_full_match_op.cc): whether each
// whole string matches an RE2 pattern (real RE2, see re2.ts).

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { Re2 } from "./util/re2.js";

const dec = new TextDecoder();

export function regexFullMatch(input: Tensor, re: Re2): Tensor {
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_BOOL, src.length, input.shape) as Uint8Array;
  for (let i = 0; i < src.length; i++) out[i] = re.fullMatch(dec.decode(src[i]!)) ? 1 : 0;
  return new Tensor(DataType.DT_BOOL, input.shape, out);
}

export const regexFullMatchConfig: KernelConfig = {
  op: { name: "RegexFullMatch", inputs: ["input: string", "pattern: string"], outputs: ["output: bool"] },
  kernel: cpuKernel("RegexFullMatch", () => ({
    compute(ctx) {
      const p = ctx.input(1);
      if (p.rank !== 0) throw invalidArgument(`Pattern must be scalar, but received ${shapeString(p.shape)}`);
      ctx.setOutput(0, regexFullMatch(ctx.input(0), Re2.compile(dec.decode((p.data as Uint8Array[])[0]!))));
    },
  })),
};

export const staticRegexFullMatchConfig: KernelConfig = {
  op: {
    name: "StaticRegexFullMatch",
    inputs: ["input: string"],
    outputs: ["output: bool"],
    attrs: ["pattern: string"],
  },
  kernel: cpuKernel("StaticRegexFullMatch", (c) => {
    const pattern = getAttrString(c.attrs, "pattern");
    return { compute: (ctx) => ctx.setOutput(0, regexFullMatch(ctx.input(0), Re2.compile(pattern))) };
  }),
};
