// TensorFlow's coefficient-wise op machinery (core/kernels/cwise_ops_common.h): BinaryOp with
// BCast broadcasting and UnaryOp, over every storage kind a Tensor has.
//
// Real dtypes compute in JS doubles and store into the output's typed array, which rounds (float32)
// or wraps (integers) exactly like C++ for + - * and comparisons; ops that need more (int32
// multiply, 64-bit integers, integer division) supply their own functions. half and bfloat16
// compute through float32 as Eigen does. complex dtypes use (re, im) functions.

import { broadcastShapes, broadcastStrides, forEachBroadcastRunIn } from "../../framework/bcast.js";
import { invalidArgument } from "../../framework/errors.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { allocData, type NumericArray, numElements, sameShape, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString, isComplexType } from "../../framework/types.js";
import { type BinaryForm, type BinaryLoop, binaryLoop, type FloatArray, unaryLoop } from "./element-loops.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import { computeBuffer, isHalfLike } from "./tensor-util.js";

type Indexable<V> = { [i: number]: V; readonly length: number };

// Hot ops also give their float element function as an expression (`floatExpr`), which
// element-loops.ts compiles into a whole-array loop per array type: the generic loops call `float`
// once per element through a function value that every op shares, which V8 cannot inline, and
// that call is most of the time of a large element-wise op (10 ns per float32 element against
// about 1.5 ns for the compiled loop; docs/benchmarks.md, "Element-wise loops"). The results are
// the same: the expression is the element function's, applied to the same values and stored into
// the same typed array.

export interface BinaryFns {
  /** Floating point (and, unless `int` is given, 8–32-bit integer) elements. */
  readonly float: (a: number, b: number) => number;
  /** 8–32-bit integer elements (result is wrapped by the output's typed array). */
  readonly int?: (a: number, b: number) => number;
  /** int64/uint64 elements (result wrapped to 64 bits by the output's typed array). */
  readonly bigint?: (a: bigint, b: bigint) => bigint;
  /** int64/uint64 elements for ops with a non-64-bit output (comparisons). */
  readonly bigintToNumber?: (a: bigint, b: bigint) => number;
  /** complex elements: writes the result's (re, im) into out[0], out[1]. */
  readonly complex?: (ar: number, ai: number, br: number, bi: number, out: Float64Array) => void;
  /** complex elements for ops with a real output (comparisons). */
  readonly complexToNumber?: (ar: number, ai: number, br: number, bi: number) => number;
  /** bool elements (0/1). */
  readonly bool?: (a: number, b: number) => number;
  /** string elements. */
  readonly string?: (a: Uint8Array, b: Uint8Array) => Uint8Array;
  /** `float` as an expression of `a` and `b`, for whole-array loops (element-loops.ts). */
  readonly floatExpr?: string;
}

type RangeRun = (start: number, end: number) => void;

/** Which compiled loop serves operands of these lengths for an output of n, if any does. */
function binaryForm(xLength: number, yLength: number, n: number): BinaryForm | undefined {
  if (xLength === n && yLength === n) return "same";
  if (xLength === n && yLength === 1) return "scalarY";
  if (xLength === 1 && yLength === n) return "scalarX";
  return undefined;
}

/** A compiled loop over output ranges; the whole range passes the arrays themselves (a subarray costs more than a small op). */
function binaryArrayRun(
  array: BinaryLoop,
  form: BinaryForm,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
): RangeRun {
  const n = out.length;
  const part = (t: FloatArray, s: number, e: number, whole: boolean) => (whole ? t : t.subarray(s, e));
  return (s, e) => {
    if (s === 0 && e === n) return array(a, b, out);
    array(part(a, s, e, form === "scalarX"), part(b, s, e, form === "scalarY"), out.subarray(s, e));
  };
}

/** out[i] = f(a[i'], b[i'']) with broadcasting, over output ranges (row-major, in order). */
function loop<A, B, O>(
  a: Indexable<A>,
  b: Indexable<B>,
  out: Indexable<O>,
  outShape: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
  f: (x: A, y: B) => O,
): RangeRun {
  const n = out.length;
  if (a.length === n && b.length === n) {
    return (s, e) => {
      for (let i = s; i < e; i++) out[i] = f(a[i]!, b[i]!);
    };
  }
  // The scalar is read when the loop runs: a half/bfloat16 input is decoded by an earlier pass.
  if (b.length === 1 && a.length === n) {
    return (s, e) => {
      const y = b[0]!;
      for (let i = s; i < e; i++) out[i] = f(a[i]!, y);
    };
  }
  if (a.length === 1 && b.length === n) {
    return (s, e) => {
      const x = a[0]!;
      for (let i = s; i < e; i++) out[i] = f(x, b[i]!);
    };
  }
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  return (s, e) =>
    forEachBroadcastRunIn(outShape, as, bs, s, e, (o, ai, bi, count, aStep, bStep) => {
      for (let j = 0; j < count; j++) out[o + j] = f(a[ai + j * aStep]!, b[bi + j * bStep]!);
    });
}

function complexLoop(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  outShape: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
  write: (o: number, ar: number, ai: number, br: number, bi: number) => void,
): RangeRun {
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  return (s, e) =>
    forEachBroadcastRunIn(outShape, as, bs, s, e, (o, ai, bi, count, aStep, bStep) => {
      for (let j = 0; j < count; j++) {
        const x = 2 * (ai + j * aStep);
        const y = 2 * (bi + j * bStep);
        write(o + j, a[x]!, a[x + 1]!, b[y]!, b[y + 1]!);
      }
    });
}

/** Inputs and output of `dt` compute in a FloatArray (float, double, half, bfloat16). */
function isFloatCompute(dt: DataType, outDtype: DataType): boolean {
  return outDtype === dt && (dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE || isHalfLike(dt));
}

function unsupported(op: string, dtype: DataType): never {
  throw invalidArgument(`${op} does not support dtype ${dataTypeString(dtype)}`);
}

/** A job of one loop over n output elements that makes a tensor of out. */
function tensorJob(dt: DataType, shape: readonly number[], out: Tensor["data"], run: RangeRun) {
  return oneLoop(numElements(shape), run, () => new Tensor(dt, shape, out));
}

/**
 * x (op) y with TF's broadcasting. `outDtype` is the result dtype (x's dtype for arithmetic, bool
 * for comparisons). Both inputs must have the same dtype (the graph guarantees it).
 */
export function binaryOp(
  op: string,
  x: Tensor,
  y: Tensor,
  fns: BinaryFns,
  outDtype: DataType = x.dtype,
): Tensor {
  return runWhole(binaryJob(op, x, y, fns, outDtype));
}

/**
 * binaryOp as an ElementJob (element-slices.ts): allocated now, computed whole or in slices.
 * `into`: a same-shape float input the executor says nothing else reads (TF's forward_input); the
 * result is written over its storage. Element i of both inputs is read before element i is
 * written, in every range, so the values are those of a fresh output.
 */
export function binaryJob(
  op: string,
  x: Tensor,
  y: Tensor,
  fns: BinaryFns,
  outDtype: DataType = x.dtype,
  into?: Tensor,
): ElementJob<Tensor> {
  const shape = broadcastShapes(x.shape, y.shape);
  const n = numElements(shape);
  const dt = x.dtype;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const a = x.data as BigInt64Array;
    const b = y.data as BigInt64Array;
    if (outDtype === dt) {
      if (!fns.bigint) unsupported(op, dt);
      const out = allocData(dt, n, shape) as BigInt64Array;
      return tensorJob(dt, shape, out, loop(a, b, out, shape, x.shape, y.shape, fns.bigint));
    }
    if (!fns.bigintToNumber) unsupported(op, dt);
    const out = allocData(outDtype, n, shape) as NumericArray;
    return tensorJob(outDtype, shape, out, loop(a, b, out, shape, x.shape, y.shape, fns.bigintToNumber));
  }
  if (isComplexType(dt)) return complexBinaryJob(op, x, y, fns, outDtype, shape);
  if (dt === DataType.DT_STRING) {
    const f = fns.string ?? unsupported(op, dt);
    const out = allocData(dt, n, shape) as Uint8Array[];
    const run = loop(x.data as Uint8Array[], y.data as Uint8Array[], out, shape, x.shape, y.shape, f);
    return tensorJob(dt, shape, out, run);
  }
  let f: (a: number, b: number) => number;
  if (dt === DataType.DT_BOOL) f = fns.bool ?? unsupported(op, dt);
  else if (dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE || isHalfLike(dt)) f = fns.float;
  else if (dt === DataType.DT_RESOURCE) unsupported(op, dt);
  else f = fns.int ?? fns.float;
  const a = decodedInput(x);
  const b = decodedInput(y);
  const out = (into?.data ?? computeBuffer(outDtype, n, shape)) as NumericArray;
  let run: RangeRun;
  const form =
    fns.floatExpr === undefined || !isFloatCompute(dt, outDtype)
      ? undefined
      : binaryForm(a.data.length, b.data.length, n);
  const array = form === undefined ? undefined : binaryLoop(fns.floatExpr!, a.data as FloatArray, form);
  if (array !== undefined) {
    run = binaryArrayRun(array, form!, a.data as FloatArray, b.data as FloatArray, out as FloatArray);
  } else run = loop(a.data, b.data, out, shape, x.shape, y.shape, f);
  const encoded = encodedOutput(outDtype, shape, out);
  return { passes: [...a.passes, ...b.passes, { n, run }, ...encoded.passes], result: encoded.result };
}

function complexBinaryJob(
  op: string,
  x: Tensor,
  y: Tensor,
  fns: BinaryFns,
  outDtype: DataType,
  shape: number[],
): ElementJob<Tensor> {
  const dt = x.dtype;
  const n = numElements(shape);
  const a = x.data as Float64Array;
  const b = y.data as Float64Array;
  if (outDtype === dt) {
    const f = fns.complex ?? unsupported(op, dt);
    const out = allocData(dt, n, shape) as Float64Array;
    const tmp = new Float64Array(2);
    const run = complexLoop(a, b, shape, x.shape, y.shape, (o, ar, ai, br, bi) => {
      f(ar, ai, br, bi, tmp);
      out[2 * o] = tmp[0]!;
      out[2 * o + 1] = tmp[1]!;
    });
    return tensorJob(dt, shape, out, run);
  }
  const f = fns.complexToNumber ?? unsupported(op, dt);
  const out = allocData(outDtype, n, shape) as NumericArray;
  const run = complexLoop(a, b, shape, x.shape, y.shape, (o, ar, ai, br, bi) => {
    out[o] = f(ar, ai, br, bi);
  });
  return tensorJob(outDtype, shape, out, run);
}

export interface UnaryFns {
  readonly float: (a: number) => number;
  /** `float` as an expression of `a`, for whole-array loops (element-loops.ts). */
  readonly floatExpr?: string;
  readonly int?: (a: number) => number;
  readonly bigint?: (a: bigint) => bigint;
  readonly complex?: (re: number, im: number, out: Float64Array) => void;
  readonly bool?: (a: number) => number;
}

/** f(x) element-wise; the result has x's dtype unless outDtype says otherwise. */
export function unaryOp(op: string, x: Tensor, fns: UnaryFns, outDtype: DataType = x.dtype): Tensor {
  return runWhole(unaryJob(op, x, fns, outDtype));
}

/**
 * unaryOp as an ElementJob (element-slices.ts): allocated now, computed whole or in slices.
 * `into`: x itself when nothing else reads it (TF's forward_input); f(x) is written over x's
 * storage, each element read before it is written.
 */
export function unaryJob(
  op: string,
  x: Tensor,
  fns: UnaryFns,
  outDtype: DataType = x.dtype,
  into?: Tensor,
): ElementJob<Tensor> {
  const dt = x.dtype;
  const n = x.numElements;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const f = fns.bigint ?? unsupported(op, dt);
    const a = x.data as BigInt64Array;
    const out = allocData(dt, n, x.shape) as BigInt64Array;
    return tensorJob(dt, x.shape, out, (s, e) => {
      for (let i = s; i < e; i++) out[i] = f(a[i]!);
    });
  }
  if (isComplexType(dt)) {
    const f = fns.complex ?? unsupported(op, dt);
    const a = x.data as Float64Array;
    const out = allocData(dt, n, x.shape) as Float64Array;
    const tmp = new Float64Array(2);
    return tensorJob(dt, x.shape, out, (s, e) => {
      for (let i = s; i < e; i++) {
        f(a[2 * i]!, a[2 * i + 1]!, tmp);
        out[2 * i] = tmp[0]!;
        out[2 * i + 1] = tmp[1]!;
      }
    });
  }
  let f: (a: number) => number;
  if (dt === DataType.DT_BOOL) f = fns.bool ?? unsupported(op, dt);
  else if (dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE || isHalfLike(dt)) f = fns.float;
  else if (dt === DataType.DT_STRING || dt === DataType.DT_RESOURCE) unsupported(op, dt);
  else f = fns.int ?? fns.float;
  const a = decodedInput(x);
  const ad = a.data;
  const out = (into?.data ?? computeBuffer(outDtype, n, x.shape)) as NumericArray;
  let run: RangeRun;
  const array =
    fns.floatExpr !== undefined && isFloatCompute(dt, outDtype)
      ? unaryLoop(fns.floatExpr, ad as FloatArray)
      : undefined;
  if (array !== undefined) {
    const [fa, od] = [ad as FloatArray, out as FloatArray];
    run = (s, e) => (s === 0 && e === n ? array(fa, od) : array(fa.subarray(s, e), od.subarray(s, e)));
  } else
    run = (s, e) => {
      for (let i = s; i < e; i++) out[i] = f(ad[i]!);
    };
  const encoded = encodedOutput(outDtype, x.shape, out);
  return { passes: [...a.passes, { n, run }, ...encoded.passes], result: encoded.result };
}

export interface CwiseSpec<F> {
  readonly name: string;
  /** The op's "T: {...}" attr (REGISTER_OP text). */
  readonly typeAttr: string;
  /** Dtypes TF has CPU kernels for (the kernel's TypeConstraint). */
  readonly kernelTypes: readonly DataType[];
  readonly fns: F;
  /** Fixed output dtype (bool for comparisons); default the input dtype. */
  readonly outType?: "bool";
  readonly isCommutative?: boolean;
  readonly isAggregate?: boolean;
  /** Argument names when the op's differ from x/y (Relu: features -> activations). */
  readonly argNames?: readonly [string, string];
}

/** A broadcasting binary op "x: T, y: T -> z: T|bool". */
export function binaryConfig(spec: CwiseSpec<BinaryFns>): KernelConfig {
  const out = spec.outType === "bool" ? "z: bool" : "z: T";
  return {
    op: {
      name: spec.name,
      inputs: ["x: T", "y: T"],
      outputs: [out],
      attrs: [spec.typeAttr],
      isCommutative: spec.isCommutative ?? false,
      isAggregate: spec.isAggregate ?? false,
    },
    kernel: cpuKernel(spec.name, (c) => {
      checkTypeConstraint(c, "T", spec.kernelTypes);
      const outDtype = spec.outType === "bool" ? DataType.DT_BOOL : undefined;
      return {
        compute(ctx: OpKernelContext) {
          const x = ctx.input(0);
          const y = ctx.input(1);
          // Only without broadcasting: the result then has each input's shape and storage size.
          const into =
            outDtype === undefined && inPlaceDtype(x.dtype) && sameShape(x.shape, y.shape)
              ? (ctx.forwardableInput(0) ?? ctx.forwardableInput(1))
              : undefined;
          // The result's storage is fresh, or an input's that nothing else reads: owned either way.
          return computeJob(ctx, binaryJob(spec.name, x, y, spec.fns, outDtype, into), true);
        },
        keepsNoInput: true,
      };
    }),
  };
}

/** Dtypes whose elements a unary op may compute in place (storage is the compute type). */
function inPlaceDtype(dt: DataType): boolean {
  return dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE;
}

/** A unary op "x: T -> y: T". */
export function unaryConfig(spec: CwiseSpec<UnaryFns>): KernelConfig {
  return {
    op: {
      name: spec.name,
      inputs: [`${spec.argNames?.[0] ?? "x"}: T`],
      outputs: [`${spec.argNames?.[1] ?? "y"}: ${spec.outType === "bool" ? "bool" : "T"}`],
      attrs: [spec.typeAttr],
    },
    kernel: cpuKernel(spec.name, (c) => {
      checkTypeConstraint(c, "T", spec.kernelTypes);
      const outDtype = spec.outType === "bool" ? DataType.DT_BOOL : undefined;
      return {
        compute(ctx: OpKernelContext) {
          const x = ctx.input(0);
          const into = outDtype === undefined && inPlaceDtype(x.dtype) ? ctx.forwardableInput(0) : undefined;
          // The result's storage is fresh, or the input's that nothing else reads: owned either way.
          return computeJob(ctx, unaryJob(spec.name, x, spec.fns, outDtype, into), true);
        },
        keepsNoInput: true,
      };
    }),
  };
}

/** TF's error for integer division or modulo by zero (BinaryOpShared::SetComputeError). */
export function integerDivisionByZero(): Error {
  return invalidArgument("Integer division by zero");
}

/** Complex helpers. */
export const complexMath = {
  add: (ar: number, ai: number, br: number, bi: number, o: Float64Array) => {
    o[0] = ar + br;
    o[1] = ai + bi;
  },
  sub: (ar: number, ai: number, br: number, bi: number, o: Float64Array) => {
    o[0] = ar - br;
    o[1] = ai - bi;
  },
  mul: (ar: number, ai: number, br: number, bi: number, o: Float64Array) => {
    o[0] = ar * br - ai * bi;
    o[1] = ar * bi + ai * br;
  },
  div: (ar: number, ai: number, br: number, bi: number, o: Float64Array) => {
    const d = br * br + bi * bi;
    o[0] = (ar * br + ai * bi) / d;
    o[1] = (ai * br - ar * bi) / d;
  },
};
