// TF's RegexReplace and StaticRegexReplace (core/kernels/regex_replace_op.cc): replace the first
// or every match of an RE2 pattern (real RE2, see re2.ts) in each string. The rewrite uses RE2's
// \0..\9 and \\.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrString } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { Re2, type Re2Match } from "./util/re2.js";

const dec = new TextDecoder();
const enc = new TextEncoder();

/**
 * Translates an RE2 rewrite (\0..\9, \\) to a replacer function; undefined when it names a group
 * the pattern does not have (RE2's Replace/GlobalReplace then leave the input unchanged, and TF
 * returns it as is).
 */
export function compileRewrite(
  rewrite: string,
  groups: number,
  pattern: string,
): ((m: Re2Match) => string) | undefined {
  const parts: (string | number)[] = [];
  let lit = "";
  for (let i = 0; i < rewrite.length; i++) {
    const c = rewrite[i]!;
    if (c !== "\\") {
      lit += c;
      continue;
    }
    const n = rewrite[++i];
    if (n === "\\") lit += "\\";
    else if (n !== undefined && /[0-9]/.test(n)) {
      const g = Number(n);
      if (g > groups) return undefined;
      parts.push(lit, g);
      lit = "";
    } else {
      throw invalidArgument(
        `Invalid rewrite pattern: ${rewrite} for pattern ${pattern}: invalid rewrite pattern`,
      );
    }
  }
  parts.push(lit);
  return (m) => parts.map((p) => (typeof p === "number" ? (m.groups[p] ?? "") : p)).join("");
}

/**
 * RE2::GlobalReplace: every non-overlapping match, left to right, except that an empty match
 * right where the previous match ended is skipped (String.replace with /g would replace it).
 */
function globalReplace(s: string, re: Re2, replacer: (m: Re2Match) => string): string {
  let out = "";
  let p = 0;
  let lastEnd = -1;
  let count = 0;
  while (p <= s.length) {
    const m = re.exec(s, p);
    if (!m) break;
    if (p < m.index) out += s.slice(p, m.index);
    if (m.index === lastEnd && m.index === m.end) {
      // Step over one character (a whole code point, as RE2 steps over one UTF-8 character).
      if (m.index < s.length) {
        const n = (s.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1;
        out += s.slice(m.index, m.index + n);
        p = m.index + n;
      } else p = m.index + 1;
      continue;
    }
    out += replacer(m);
    p = m.end;
    lastEnd = m.end;
    count++;
  }
  if (count === 0) return s;
  if (p < s.length) out += s.slice(p);
  return out;
}

export function regexReplace(input: Tensor, re: Re2, rewrite: string, global: boolean): Tensor {
  const replacer = compileRewrite(rewrite, re.groupCount, re.pattern);
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_STRING, src.length, input.shape) as Uint8Array[];
  for (let i = 0; i < src.length; i++) {
    if (!replacer) {
      out[i] = src[i]!;
      continue;
    }
    const s = dec.decode(src[i]!);
    if (global) out[i] = enc.encode(globalReplace(s, re, replacer));
    else {
      const m = re.exec(s, 0);
      out[i] = m ? enc.encode(s.slice(0, m.index) + replacer(m) + s.slice(m.end)) : src[i]!;
    }
  }
  return new Tensor(DataType.DT_STRING, input.shape, out);
}

export const regexReplaceConfig: KernelConfig = {
  op: {
    name: "RegexReplace",
    inputs: ["input: string", "pattern: string", "rewrite: string"],
    outputs: ["output: string"],
    attrs: ["replace_global: bool = true"],
  },
  kernel: cpuKernel("RegexReplace", (c) => {
    const global = getAttrBool(c.attrs, "replace_global");
    return {
      compute(ctx) {
        const p = ctx.input(1);
        const r = ctx.input(2);
        if (p.rank !== 0)
          throw invalidArgument(`Pattern must be scalar, but received ${shapeString(p.shape)}`);
        if (r.rank !== 0)
          throw invalidArgument(`Rewrite must be scalar, but received ${shapeString(r.shape)}`);
        const re = Re2.compile(dec.decode((p.data as Uint8Array[])[0]!));
        const rewrite = dec.decode((r.data as Uint8Array[])[0]!);
        ctx.setOutput(0, regexReplace(ctx.input(0), re, rewrite, global));
      },
    };
  }),
};

export const staticRegexReplaceConfig: KernelConfig = {
  op: {
    name: "StaticRegexReplace",
    inputs: ["input: string"],
    outputs: ["output: string"],
    attrs: ["pattern: string", "rewrite: string", "replace_global: bool = true"],
  },
  kernel: cpuKernel("StaticRegexReplace", (c) => {
    // TF compiles the pattern when it builds the kernel; a bad one fails every run.
    const pattern = getAttrString(c.attrs, "pattern");
    const rewrite = getAttrString(c.attrs, "rewrite");
    const global = getAttrBool(c.attrs, "replace_global");
    return {
      compute: (ctx) => ctx.setOutput(0, regexReplace(ctx.input(0), Re2.compile(pattern), rewrite, global)),
    };
  }),
};
