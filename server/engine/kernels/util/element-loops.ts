// Whole-array loops of the hot element-wise ops, compiled from each op's element expression once
// per array type and operand shape.
//
// Why generated: V8 keeps type feedback per function literal, and every closure made from one
// literal shares it. A loop written once for Float32Array and Float64Array (the two arrays float
// dtypes compute in) therefore sees both types, and its element loads and stores turn polymorphic:
// a float32 Neg over 1M elements took 5.6 ms instead of 3.0 (docs/benchmarks.md, "Element-wise
// loops"). A loop per op and type needs its own literal, and writing each by hand would repeat
// every op's loop twice, or more with the scalar forms. `new Function` gives each (expression,
// array type, form) its own literal from one expression. The expressions are constants of the op
// modules, never anything a client sends.
//
// The loop body is unrolled eight times: V8 checks for interrupts and the loop bound once per
// iteration, and on a loop this small that is half its time (1.4 ms instead of 3.0 for the same
// Neg). Each element is read before its own slot is written, so `out` may be `x` itself (TF's
// forward_input): the results are those of the element function, element by element.

/** The storage floating-point elements compute in (half and bfloat16 through float32). */
export type FloatArray = Float32Array | Float64Array;

/** out[i] = f(x[i]) over the whole of `out`. */
export type UnaryLoop = (x: FloatArray, out: FloatArray) => void;

/** out[i] = f(x[i], y[i]), or with one operand a single element broadcast over the other. */
export type BinaryLoop = (x: FloatArray, y: FloatArray, out: FloatArray) => void;

/** How a binary loop indexes its operands: both whole, or x's or y's single element throughout. */
export type BinaryForm = "same" | "scalarX" | "scalarY";

const UNROLL = 8;

/** Loops compiled so far; null where code cannot be generated (see compile). */
const compiled = new Map<string, UnaryLoop | BinaryLoop | null>();

/**
 * The loop for `expr` of `a` (the element of x), specialized to x's array type; undefined when
 * the process may not generate code, and the caller's per-element loop serves instead.
 */
export function unaryLoop(expr: string, x: FloatArray): UnaryLoop | undefined {
  return cached(`1|${kindOf(x)}|${expr}`, () => compile(["x", "out"], "", (k) => `const a = x[${k}];`, expr));
}

/** The loop for `expr` of `a` and `b` (x's and y's elements), specialized to the array type (or undefined, as unaryLoop). */
export function binaryLoop(expr: string, x: FloatArray, form: BinaryForm): BinaryLoop | undefined {
  const key = `2|${kindOf(x)}|${form}|${expr}`;
  return cached(key, () => {
    const before = form === "scalarX" ? "const a = x[0];" : form === "scalarY" ? "const b = y[0];" : "";
    const load =
      form === "scalarX"
        ? (k: string) => `const b = y[${k}];`
        : form === "scalarY"
          ? (k: string) => `const a = x[${k}];`
          : (k: string) => `const a = x[${k}], b = y[${k}];`;
    return compile(["x", "y", "out"], before, load, expr);
  });
}

function kindOf(x: FloatArray): "f32" | "f64" {
  return x instanceof Float32Array ? "f32" : "f64";
}

function cached<L extends UnaryLoop | BinaryLoop>(key: string, build: () => L | undefined): L | undefined {
  let loop = compiled.get(key) as L | null | undefined;
  if (loop === undefined) {
    loop = build() ?? null;
    compiled.set(key, loop);
  }
  return loop ?? undefined;
}

/**
 * A fresh function literal: `before`, then out[i] = expr for every i, `load` binding a and b.
 * Undefined when code generation is refused (`node --disallow-code-generation-from-strings`, which
 * some deployments set): the kernels then run their per-element loops, slower but the same.
 */
function compile<L>(
  params: readonly string[],
  before: string,
  load: (index: string) => string,
  expr: string,
): L | undefined {
  const element = (index: string) => `{ ${load(index)} out[${index}] = ${expr}; }`;
  const unrolled = Array.from({ length: UNROLL }, (_, k) => element(k === 0 ? "i" : `i + ${k}`)).join("\n");
  const source = `"use strict";
${before}
const n = out.length;
let i = 0;
for (; i + ${UNROLL} <= n; i += ${UNROLL}) {
${unrolled}
}
for (; i < n; i++) ${element("i")}`;
  try {
    return new Function(...params, source) as L;
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}
