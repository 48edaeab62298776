// TF's RegexReplace (core/kernels/regex_replace_op.cc): replaces the first or every match of an
// RE2 pattern. Patterns run on JS RegExp after translating the RE2 syntax JS lacks ((?i) style
// leading flags, (?P<name>, \A, \z); RE2 rejects backreferences and lookaround, and so do we
// (INVALID_ARGUMENT), which also keeps every pattern free of catastrophic backtracking sources
// RE2 would not have. The rewrite uses RE2's \0..\9 and \\.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";

const dec = new TextDecoder();
const enc = new TextEncoder();

/** Translates an RE2 pattern to a JS RegExp, or throws INVALID_ARGUMENT like TF's RE2 check. */
export function compileRe2(pattern: string, global: boolean): RegExp {
  const bad = (why: string) => invalidArgument(`Invalid pattern: ${pattern}, error: ${why}`);
  let flags = global ? "g" : "";
  let body = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === "U") throw bad("invalid perl operator: (?U");
      if (!flags.includes(f)) flags += f;
    }
    body = body.slice(lead[0].length);
  }
  // Walk the pattern once, outside character classes, rejecting what RE2 rejects.
  let out = "";
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\") {
      const n = body[i + 1];
      if (n === undefined) throw bad("trailing \\");
      if (!inClass && /[1-9]/.test(n)) throw bad(`invalid escape sequence: \\${n}`);
      if (!inClass && n === "A") out += "^";
      else if (!inClass && n === "z") out += "$(?![\\s\\S])";
      else if (n === "C" || n === "Z") throw bad(`invalid escape sequence: \\${n}`);
      else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (body[i + 1] === "^") out += body[++i];
      if (body[i + 1] === "]") out += body[++i];
      continue;
    }
    if (c === "(" && body[i + 1] === "?") {
      const rest = body.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest))
        throw bad(`invalid perl operator: (?${rest.slice(0, rest[0] === "<" ? 2 : 1)}`);
      if (rest.startsWith("P<")) {
        out += "(?<";
        i += 3;
        continue;
      }
      if (!/^(:|<[A-Za-z_])/.test(rest)) throw bad(`invalid or unsupported Perl syntax: (?${rest[0] ?? ""}`);
    }
    out += c;
  }
  // `$` in RE2 without (?m) matches only at the very end (like \z); JS's `$` does the same
  // without the m flag.
  try {
    return new RegExp(out, `${flags}u`);
  } catch {
    try {
      return new RegExp(out, flags);
    } catch (e) {
      throw bad((e as Error).message.replace(/^Invalid regular expression: /, ""));
    }
  }
}

/**
 * Translates an RE2 rewrite (\0..\9, \\) to a replacer function; undefined when it names a group
 * the pattern does not have (RE2's Replace/GlobalReplace then leave the input unchanged, and TF
 * returns it as is).
 */
export function compileRewrite(
  rewrite: string,
  groups: number,
  pattern: string,
): ((m: string[]) => string) | undefined {
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
  return (m) => parts.map((p) => (typeof p === "number" ? (m[p] ?? "") : p)).join("");
}

/**
 * RE2::GlobalReplace: like String.replace with /g, except that an empty match right where the
 * previous match ended is skipped (JS would replace it).
 */
function globalReplace(s: string, re: RegExp, replacer: (m: string[]) => string): string {
  let out = "";
  let p = 0;
  let lastEnd = -1;
  let count = 0;
  while (p <= s.length) {
    re.lastIndex = p;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (p < start) out += s.slice(p, start);
    if (start === lastEnd && start === end) {
      if (p < s.length) {
        const n = (s.codePointAt(p) ?? 0) > 0xffff ? 2 : 1;
        out += s.slice(p, p + n);
        p += n;
      } else p++;
      continue;
    }
    out += replacer(m as unknown as string[]);
    p = end;
    lastEnd = end;
    count++;
  }
  if (count === 0) return s;
  if (p < s.length) out += s.slice(p);
  return out;
}

export function regexReplace(input: Tensor, pattern: string, rewrite: string, global: boolean): Tensor {
  const re = compileRe2(pattern, true);
  const groups = new RegExp(`${re.source}|`, re.flags.replace("g", "")).exec("")!.length - 1;
  const replacer = compileRewrite(rewrite, groups, pattern);
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
      re.lastIndex = 0;
      const m = re.exec(s);
      out[i] = m
        ? enc.encode(
            s.slice(0, m.index) + replacer(m as unknown as string[]) + s.slice(m.index + m[0].length),
          )
        : src[i]!;
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
          throw invalidArgument(`Replacement pattern must be scalar, but received ${shapeString(r.shape)}`);
        const pattern = dec.decode((p.data as Uint8Array[])[0]!);
        const rewrite = dec.decode((r.data as Uint8Array[])[0]!);
        ctx.setOutput(0, regexReplace(ctx.input(0), pattern, rewrite, global));
      },
    };
  }),
};
