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
import { cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

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

/** Element values of x as JS numbers (complex: real parts; 64-bit ints: nearest double). */
function realValues(x: Tensor): ArrayLike<number> {
  if (isComplexType(x.dtype)) {
    const d = x.data as Float64Array;
    const out = new Float64Array(x.numElements);
    for (let i = 0; i < out.length; i++) out[i] = d[2 * i]!;
    return out;
  }
  if (isBig(x.dtype)) return Float64Array.from(x.data as BigInt64Array, (v) => Number(v));
  return numericData(x);
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
  const from = x.dtype;
  if (from === to) return x;
  const n = x.numElements;
  const shape = x.shape;
  if (to === DataType.DT_BOOL) {
    const out = allocData(to, n, shape) as Uint8Array;
    if (isComplexType(from)) {
      const d = x.data as Float64Array;
      for (let i = 0; i < n; i++) out[i] = d[2 * i] !== 0 || d[2 * i + 1] !== 0 ? 1 : 0;
    } else if (isBig(from)) {
      const d = x.data as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = d[i] !== 0n ? 1 : 0;
    } else {
      const d = numericData(x);
      for (let i = 0; i < n; i++) out[i] = d[i] !== 0 ? 1 : 0;
    }
    return new Tensor(to, shape, out);
  }
  if (isComplexType(to)) {
    const out = allocData(to, n, shape) as Float64Array;
    if (isComplexType(from)) {
      out.set(x.data as Float64Array);
    } else {
      const v = realValues(x);
      for (let i = 0; i < n; i++) out[2 * i] = v[i]!;
    }
    return new Tensor(to, shape, out);
  }
  if (isBig(to)) {
    const out = allocData(to, n, shape) as BigInt64Array;
    if (isBig(from)) {
      // Same 64 bits, other signedness.
      const src = x.data as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = src[i]!;
    } else if (isFloatish(from) || isComplexType(from)) {
      const v = realValues(x);
      for (let i = 0; i < n; i++) out[i] = floatToBig(v[i]!, to);
    } else {
      const v = numericData(x);
      for (let i = 0; i < n; i++) out[i] = BigInt(v[i]!);
    }
    return new Tensor(to, shape, out);
  }
  const v = realValues(x);
  if (to === DataType.DT_BFLOAT16 && truncate && from !== DataType.DT_HALF) {
    const out = allocData(to, n, shape) as Uint16Array;
    for (let i = 0; i < n; i++) out[i] = float32Bits(v[i]!) >>> 16;
    return new Tensor(to, shape, out);
  }
  const out = computeBuffer(to, n, shape) as NumericArray;
  if (isFloatish(to)) {
    for (let i = 0; i < n; i++) out[i] = v[i]!;
  } else if (isFloatish(from) || isComplexType(from)) {
    for (let i = 0; i < n; i++) out[i] = floatToInt(v[i]!, to);
  } else if (isBig(from)) {
    // Wrap 64-bit integers to the narrower width exactly.
    const src = x.data as BigInt64Array;
    for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(32, src[i]!));
  } else {
    for (let i = 0; i < n; i++) out[i] = v[i]!;
  }
  return finish(to, shape, out);
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
    return { compute: (ctx) => ctx.setOutput(0, cast(ctx.input(0), dst, truncate)) };
  }),
};
