// RE2 for the regex kernels: Google's RE2 compiled to WebAssembly (the re2-wasm package), the same
// library TensorFlow links. Patterns therefore have RE2's exact syntax, its error texts (TF puts
// them after "Invalid pattern: <p>, error: ") and its linear-time matching: no pattern can
// backtrack catastrophically and stall a worker, which JS's RegExp could.
//
// The low-level wrapper is used directly (not re2-wasm's RegExp look-alike, which rewrites the
// pattern from JS syntax first); its WebAssembly objects are not garbage-collected, so compiled
// patterns live in a small cache and are freed when evicted.

import { createRequire } from "node:module";
import { invalidArgument } from "../framework/errors.js";

interface WasmMatch {
  readonly match: string;
  /** UTF-16 index of the match in the input, -1 when there is none. */
  readonly index: number;
  readonly groups: readonly (string | undefined)[];
}

interface WrappedRE2 {
  ok(): boolean;
  error(): string;
  match(input: string, start: number, captures: boolean): WasmMatch;
  delete(): void;
}

type WrappedRE2Ctor = new (
  pattern: string,
  ignoreCase: boolean,
  multiline: boolean,
  dotAll: boolean,
) => WrappedRE2;

const require = createRequire(import.meta.url);
let ctor: WrappedRE2Ctor | undefined;
function wasmCtor(): WrappedRE2Ctor {
  ctor ??= (require("re2-wasm/build/wasm/re2.js") as { WrappedRE2: WrappedRE2Ctor }).WrappedRE2;
  return ctor;
}

/** A match: the whole match at [0], groups after it (undefined when a group did not take part). */
export interface Re2Match {
  readonly index: number;
  readonly end: number;
  readonly groups: readonly (string | undefined)[];
}

/** One compiled RE2 pattern with RE2's default options (case-sensitive, `.` not matching \n). */
export class Re2 {
  private constructor(
    readonly pattern: string,
    private readonly re: WrappedRE2,
    private readonly full: WrappedRE2,
    /** Number of capturing groups (RE2::NumberOfCapturingGroups). */
    readonly groupCount: number,
  ) {}

  /** Compiles `pattern`, or throws TF's INVALID_ARGUMENT "Invalid pattern: …, error: …". */
  static compile(pattern: string): Re2 {
    const cached = cache.get(pattern);
    if (cached) {
      cache.delete(pattern);
      cache.set(pattern, cached);
      return cached;
    }
    const Ctor = wasmCtor();
    const re = new Ctor(pattern, false, false, false);
    if (!re.ok()) {
      const why = re.error();
      re.delete();
      throw invalidArgument(`Invalid pattern: ${pattern}, error: ${why}`);
    }
    // Anchored at both ends for FullMatch; `(?:p)` keeps alternations inside the anchors.
    const full = new Ctor(`\\A(?:${pattern})\\z`, false, false, false);
    // An empty alternative always matches "", so the match reports every group (as undefined).
    const probe = new Ctor(`(?:${pattern})|`, false, false, false);
    const groupCount = probe.match("", 0, true).groups.length;
    probe.delete();
    const compiled = new Re2(pattern, re, full, groupCount);
    cache.set(pattern, compiled);
    if (cache.size > cacheLimit) {
      const [oldest, evicted] = cache.entries().next().value as [string, Re2];
      cache.delete(oldest);
      evicted.re.delete();
      evicted.full.delete();
    }
    return compiled;
  }

  /** The leftmost match starting at or after UTF-16 index `start`, or undefined. */
  exec(input: string, start = 0): Re2Match | undefined {
    const m = this.re.match(input, start, true);
    if (m.index < 0) return undefined;
    return { index: m.index, end: m.index + m.match.length, groups: [m.match, ...m.groups] };
  }

  /** RE2::FullMatch: the whole input matches. */
  fullMatch(input: string): boolean {
    return this.full.match(input, 0, false).index >= 0;
  }
}

const cacheLimit = 64;
const cache = new Map<string, Re2>();
