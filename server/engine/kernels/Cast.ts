// TF's Cast (core/kernels/cast_op.cc): converts between numeric, bool, half/bfloat16 and complex
// dtypes with C++ static_cast semantics: float→int truncates toward zero (NaN and out-of-range
// values give the integer minimum, as x86 does), int→narrower int wraps, x→bool is x != 0,
// complex→real keeps the real part, real→complex has a zero imaginary part. Truncate=true makes
// float→bfloat16 truncate the mantissa instead of rounding to nearest-even.

import { unimplemented } from "../framework/errors.js";
import { float32Bits } from "../framework/float16.js";
import { getAttrBool, getAttrType } from "../framework/op-def.js";
import { allocData, type NumericArray, Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString, isComplexType } from "../framework/types.js";
import {
  computeJob,
  decodedInput,
  doneJob,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./util/element-slices.js";
import { cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

const INT_RANGE: Partial<Record<number, [number, number]>> = {
  [DataType.DT_INT8]: [-(2 ** 31), 2 ** 31],
  [DataType.DT_INT16]: [-(2 ** 31), 2 ** 31],
  [DataType.DT_INT32]: [-(2 ** 31), 2 ** 31],
  [DataType.DT_UINT8]: [-(2 ** 31), 2 ** 31],
  [DataType.DT_UINT16]: [-(2 ** 31), 2 ** 31],
  // uint32 converts through a 64-bit truncation on x86-64.
  [DataType.DT_UINT32]: [-(2 ** 63), 2 ** 63],
};

function isFloatish(dt: DataType): boolean {
  return (
    dt === DataType.DT_FLOAT ||
    dt === DataType.DT_DOUBLE ||
    dt === DataType.DT_HALF ||
    dt === DataType.DT_BFLOAT16
  );
}

function isBig(dt: DataType): boolean {
  return dt === DataType.DT_INT64 || dt === DataType.DT_UINT64;
}

/**
 * Element values of x as JS numbers (complex: real parts; 64-bit ints: nearest double), with the
 * pass that computes them when they are not x's own storage.
 */
function realValues(x: Tensor): { data: ArrayLike<number>; passes: ElementPass[] } {
  if (isComplexType(x.dtype)) {
    const d = x.data as Float64Array;
    const out = new Float64Array(x.numElements);
    const run = (s: number, e: number) => {
      for (let i = s; i < e; i++) out[i] = d[2 * i]!;
    };
    return { data: out, passes: [{ n: out.length, run }] };
  }
  if (isBig(x.dtype)) {
    const d = x.data as BigInt64Array;
    const out = new Float64Array(d.length);
    const run = (s: number, e: number) => {
      for (let i = s; i < e; i++) out[i] = Number(d[i]!);
    };
    return { data: out, passes: [{ n: out.length, run }] };
  }
  return decodedInput(x);
}

/** float → integer of dtype `to` (static_cast on x86-64). */
function floatToInt(v: number, to: DataType): number {
  const r = INT_RANGE[to]!;
  if (Number.isNaN(v) || v < r[0] || v >= r[1]) return to === DataType.DT_UINT32 ? 0 : -(2 ** 31);
  return Math.trunc(v);
}

function floatToBig(v: number, to: DataType): bigint {
  if (Number.isNaN(v) || v < -(2 ** 63) || v >= 2 ** 63) {
    if (to === DataType.DT_UINT64 && v >= 0 && v < 2 ** 64) return BigInt(Math.trunc(v));
    return -(1n << 63n);
  }
  return BigInt(Math.trunc(v));
}

export function cast(x: Tensor, to: DataType, truncate = false): Tensor {
  return runWhole(castJob(x, to, truncate));
}

type Run = (s: number, e: number) => void;

/** cast as an ElementJob (util/element-slices.ts): allocated now, converted whole or in slices. */
export function castJob(x: Tensor, to: DataType, truncate = false): ElementJob<Tensor> {
  const from = x.dtype;
  if (from === to) return doneJob(x);
  const n = x.numElements;
  const shape = x.shape;
  if (to === DataType.DT_BOOL) return castToBool(x);
  if (isComplexType(to)) {
    const out = allocData(to, n, shape) as Float64Array;
    const result = () => new Tensor(to, shape, out);
    if (isComplexType(from))
      return oneLoop(2 * n, (s, e) => out.set((x.data as Float64Array).subarray(s, e), s), result);
    const v = realValues(x);
    const run: Run = (s, e) => {
      for (let i = s; i < e; i++) out[2 * i] = v.data[i]!;
    };
    return { passes: [...v.passes, { n, run }], result };
  }
  if (isBig(to)) return castToBig(x, to);
  const v = realValues(x);
  if (to === DataType.DT_BFLOAT16 && truncate && from !== DataType.DT_HALF) {
    const out = allocData(to, n, shape) as Uint16Array;
    const run: Run = (s, e) => {
      for (let i = s; i < e; i++) out[i] = float32Bits(v.data[i]!) >>> 16;
    };
    return { passes: [...v.passes, { n, run }], result: () => new Tensor(to, shape, out) };
  }
  const out = computeBuffer(to, n, shape) as NumericArray;
  let run: Run;
  let passes = v.passes;
  if (isFloatish(to)) {
    run = (s, e) => {
      for (let i = s; i < e; i++) out[i] = v.data[i]!;
    };
  } else if (isFloatish(from) || isComplexType(from)) {
    run = (s, e) => {
      for (let i = s; i < e; i++) out[i] = floatToInt(v.data[i]!, to);
    };
  } else if (isBig(from)) {
    // Wrap 64-bit integers to the narrower width exactly (from the 64-bit values themselves).
    const src = x.data as BigInt64Array;
    run = (s, e) => {
      for (let i = s; i < e; i++) out[i] = Number(BigInt.asIntN(32, src[i]!));
    };
    passes = [];
  } else {
    run = (s, e) => {
      for (let i = s; i < e; i++) out[i] = v.data[i]!;
    };
  }
  const encoded = encodedOutput(to, shape, out);
  return { passes: [...passes, { n, run }, ...encoded.passes], result: encoded.result };
}

function castToBool(x: Tensor): ElementJob<Tensor> {
  const n = x.numElements;
  const out = allocData(DataType.DT_BOOL, n, x.shape) as Uint8Array;
  const result = () => new Tensor(DataType.DT_BOOL, x.shape, out);
  if (isComplexType(x.dtype)) {
    const d = x.data as Float64Array;
    return oneLoop(
      n,
      (s, e) => {
        for (let i = s; i < e; i++) out[i] = d[2 * i] !== 0 || d[2 * i + 1] !== 0 ? 1 : 0;
      },
      result,
    );
  }
  if (isBig(x.dtype)) {
    const d = x.data as BigInt64Array;
    return oneLoop(
      n,
      (s, e) => {
        for (let i = s; i < e; i++) out[i] = d[i] !== 0n ? 1 : 0;
      },
      result,
    );
  }
  const v = decodedInput(x);
  const run: Run = (s, e) => {
    for (let i = s; i < e; i++) out[i] = v.data[i] !== 0 ? 1 : 0;
  };
  return { passes: [...v.passes, { n, run }], result };
}

function castToBig(x: Tensor, to: DataType): ElementJob<Tensor> {
  const from = x.dtype;
  const n = x.numElements;
  const out = allocData(to, n, x.shape) as BigInt64Array;
  const result = () => new Tensor(to, x.shape, out);
  if (isBig(from)) {
    // Same 64 bits, other signedness.
    const src = x.data as BigInt64Array;
    return oneLoop(
      n,
      (s, e) => {
        for (let i = s; i < e; i++) out[i] = src[i]!;
      },
      result,
    );
  }
  if (isFloatish(from) || isComplexType(from)) {
    const v = realValues(x);
    const run: Run = (s, e) => {
      for (let i = s; i < e; i++) out[i] = floatToBig(v.data[i]!, to);
    };
    return { passes: [...v.passes, { n, run }], result };
  }
  const v = decodedInput(x);
  const run: Run = (s, e) => {
    for (let i = s; i < e; i++) out[i] = BigInt(v.data[i]!);
  };
  return { passes: [...v.passes, { n, run }], result };
}

const castable = new Set<DataType>(POD_TYPES);

export const castConfig: KernelConfig = {
  op: {
    name: "Cast",
    inputs: ["x: SrcT"],
    outputs: ["y: DstT"],
    attrs: ["SrcT: type", "DstT: type", "Truncate: bool = false"],
  },
  kernel: cpuKernel("Cast", (c) => {
    const src = getAttrType(c.attrs, "SrcT");
    const dst = getAttrType(c.attrs, "DstT");
    const truncate = getAttrBool(c.attrs, "Truncate");
    if (src !== dst && (!castable.has(src) || !castable.has(dst))) {
      throw unimplemented(`Cast ${dataTypeString(src)} to ${dataTypeString(dst)} is not supported`);
    }
    return { compute: (ctx) => computeJob(ctx, castJob(ctx.input(0), dst, truncate)) };
  }),
};
