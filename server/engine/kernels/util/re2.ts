// RE2 for the regex kernels: Google's RE2 compiled to WebAssembly (the re2-wasm package), the same
// library TensorFlow links. Patterns therefore have RE2's exact syntax, its error texts (TF puts
// them after "Invalid pattern: <p>, error: ") and its linear-time matching: no pattern can
// backtrack catastrophically and stall a worker, which JS's RegExp could.
//
// The low-level wrapper is used directly (not re2-wasm's RegExp look-alike, which rewrites the
// pattern from JS syntax first); its WebAssembly objects are not garbage-collected, so compiled
// patterns live in a small cache and are freed when evicted.

import { createRequire } from "node:module";
import { invalidArgument, resourceExhausted } from "../../framework/errors.js";

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

/**
 * re2-wasm's module has a fixed 16 MiB heap (no growth): compiled patterns and the string being
 * matched live there, and running out aborts the call. Patterns and inputs are bounded well below
 * that (measured: 10 K-character patterns and 3 M-character inputs fit, 50 K and 6 M do not), so
 * hostile sizes get a clear error instead of an abort.
 */
const maxPatternLength = 8 * 1024;
const maxInputLength = 1 << 20;

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
    if (pattern.length > maxPatternLength) {
      throw invalidArgument(
        `Invalid pattern: ${pattern.slice(0, 64)}…, error: pattern too large - compile failed ` +
          `(${pattern.length} characters; at most ${maxPatternLength})`,
      );
    }
    const Ctor = wasmCtor();
    const re = wasm(() => new Ctor(pattern, false, false, false));
    if (!re.ok()) {
      const why = re.error();
      re.delete();
      throw invalidArgument(`Invalid pattern: ${pattern}, error: ${why}`);
    }
    // Anchored at both ends for FullMatch; `(?:p)` keeps alternations inside the anchors.
    const full = wasm(() => new Ctor(`\\A(?:${pattern})\\z`, false, false, false));
    // An empty alternative always matches "", so the match reports every group (as undefined).
    const probe = wasm(() => new Ctor(`(?:${pattern})|`, false, false, false));
    const groupCount = probe.match("", 0, true).groups.length;
    probe.delete();
    const compiled = new Re2(pattern, re, full, groupCount);
    // Evict the least recently used before adding, keeping the compiled programs' share of the
    // heap bounded (by count and by total pattern length).
    while (cache.size > 0 && (cache.size >= cacheLimit || cachedChars + pattern.length > cacheCharLimit)) {
      const [oldest, evicted] = cache.entries().next().value as [string, Re2];
      cache.delete(oldest);
      cachedChars -= oldest.length;
      evicted.free();
    }
    cache.set(pattern, compiled);
    cachedChars += pattern.length;
    return compiled;
  }

  /** Frees the compiled patterns in the WebAssembly heap. */
  free(): void {
    this.re.delete();
    this.full.delete();
  }

  /** The leftmost match starting at or after UTF-16 index `start`, or undefined. */
  exec(input: string, start = 0): Re2Match | undefined {
    checkInput(input);
    const m = wasm(() => this.re.match(input, start, true));
    if (m.index < 0) return undefined;
    return { index: m.index, end: m.index + m.match.length, groups: [m.match, ...m.groups] };
  }

  /** RE2::FullMatch: the whole input matches. */
  fullMatch(input: string): boolean {
    checkInput(input);
    return wasm(() => this.full.match(input, 0, false)).index >= 0;
  }
}

const cacheLimit = 32;
const cacheCharLimit = 32 * 1024;
let cachedChars = 0;
const cache = new Map<string, Re2>();

function checkInput(input: string): void {
  if (input.length > maxInputLength) {
    throw resourceExhausted(
      `A regex input of ${input.length} characters is longer than the ${maxInputLength} the regex engine ` +
        "(RE2 compiled to WebAssembly, with a fixed 16 MiB heap) can match",
    );
  }
}

/**
 * Runs a call into the WebAssembly module. An abort there (its heap exhausted) becomes
 * RESOURCE_EXHAUSTED, and the cached patterns are freed so the heap recovers.
 */
function wasm<T>(call: () => T): T {
  try {
    return call();
  } catch (e) {
    // Emscripten's abort throws a RuntimeError (not always this realm's WebAssembly.RuntimeError).
    if (!(e instanceof Error) || e.name !== "RuntimeError") throw e;
    for (const r of cache.values()) r.free();
    cache.clear();
    cachedChars = 0;
    throw resourceExhausted(
      `The regex engine ran out of memory (RE2 compiled to WebAssembly, 16 MiB heap): ${e.message.slice(0, 80)}`,
    );
  }
}
