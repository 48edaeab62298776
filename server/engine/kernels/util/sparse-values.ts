// Element arithmetic for the tf.sparse kernels, which combine single values rather than whole
// tensors (a sparse value times the dense element it lands on, a group's sum or max). Every numeric
// dtype is read into one JS form — numbers (half/bfloat16 decoded), bigints for 64-bit integers,
// [re, im] pairs for complex — and each operation rounds or wraps its result to the dtype as the
// C++ kernel's T arithmetic does (float32 and half through Math.fround, integers modulo 2^bits).

import { invalidArgument } from "../../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../../framework/float16.js";
import { allocData, type NumericArray, numElements, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString, isComplexType } from "../../framework/types.js";
import { computeBuffer, finish, numericData } from "./tensor-util.js";

export type Scalar = number | bigint | readonly [number, number];

/** Zero-initialised output storage of a dtype, allocated (and charged to the step) up front. */
export interface ScalarBuffer {
  get(i: number): Scalar;
  set(i: number, v: Scalar): void;
  tensor(): Tensor;
}

export interface ScalarOps {
  /** Every element of a tensor of this dtype (for vectors as long as a sparse tensor's values). */
  read(t: Tensor): Scalar[];
  /** Element access to a tensor of this dtype without copying it out (dense operands). */
  reader(t: Tensor): (i: number) => Scalar;
  /** A zero-filled output of `shape`, through the budgeted allocator. */
  buffer(shape: readonly number[]): ScalarBuffer;
  /** A tensor of this dtype holding `values`. */
  write(shape: readonly number[], values: readonly Scalar[]): Tensor;
  readonly zero: Scalar;
  /** Eigen's NumTraits<T>::lowest(): where a max starts (real dtypes only). */
  readonly lowest: Scalar;
  add(a: Scalar, b: Scalar): Scalar;
  mul(a: Scalar, b: Scalar): Scalar;
  /** a / b; integer division truncates (C++), the caller rejects integer zero divisors. */
  div(a: Scalar, b: Scalar): Scalar;
  /** Eigen's scalar max step: `x` replaces `acc` unless x < acc (so a NaN is replaced by what follows). */
  max(acc: Scalar, x: Scalar): Scalar;
  /** std::abs as a real number (complex: the magnitude). */
  abs(a: Scalar): number;
  isZero(a: Scalar): boolean;
}

type N = number;
type C = readonly [number, number];

function roundingFor(dtype: DataType): (x: number) => number {
  switch (dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_COMPLEX64:
      return Math.fround;
    case DataType.DT_HALF:
      return (x) => halfToFloat(floatToHalf(Math.fround(x)));
    case DataType.DT_BFLOAT16:
      return (x) => bfloat16ToFloat(floatToBfloat16(Math.fround(x)));
    case DataType.DT_DOUBLE:
    case DataType.DT_COMPLEX128:
      return (x) => x;
    default: {
      // Integers: a one-element array of the dtype wraps modulo 2^bits like C++.
      const cell = allocData(dtype, 1) as NumericArray;
      return (x) => {
        cell[0] = x;
        return cell[0]!;
      };
    }
  }
}

const LOWEST: Partial<Record<DataType, number>> = {
  [DataType.DT_FLOAT]: -3.4028234663852886e38,
  [DataType.DT_DOUBLE]: -Number.MAX_VALUE,
  [DataType.DT_HALF]: -65504,
  [DataType.DT_BFLOAT16]: -3.3895313892515355e38,
  [DataType.DT_INT32]: -(2 ** 31),
  [DataType.DT_INT16]: -(2 ** 15),
  [DataType.DT_INT8]: -128,
};

function realOps(dtype: DataType): ScalarOps {
  const r = roundingFor(dtype);
  const isInt = !(
    dtype === DataType.DT_FLOAT ||
    dtype === DataType.DT_DOUBLE ||
    dtype === DataType.DT_HALF ||
    dtype === DataType.DT_BFLOAT16
  );
  // 32-bit products can exceed 2^53: Math.imul gives their low 32 bits exactly.
  const mul32 = dtype === DataType.DT_INT32 || dtype === DataType.DT_UINT32;
  return {
    read: (t) => Array.from(numericData(t)),
    reader: (t) => {
      const d = numericData(t);
      return (i) => d[i]!;
    },
    buffer: (shape) => {
      const n = numElements(shape);
      const d = computeBuffer(dtype, n, shape) as NumericArray;
      return {
        get: (i) => d[i]!,
        set: (i, v) => {
          d[i] = v as N;
        },
        tensor: () => finish(dtype, shape, d),
      };
    },
    write: (shape, values) => {
      const n = values.length;
      if (dtype === DataType.DT_HALF || dtype === DataType.DT_BFLOAT16) {
        const out = allocData(dtype, n, shape) as Uint16Array;
        const enc = dtype === DataType.DT_HALF ? floatToHalf : floatToBfloat16;
        for (let i = 0; i < n; i++) out[i] = enc(values[i] as N);
        return new Tensor(dtype, shape, out);
      }
      const out = allocData(dtype, n, shape) as NumericArray;
      for (let i = 0; i < n; i++) out[i] = values[i] as N;
      return new Tensor(dtype, shape, out);
    },
    zero: 0,
    lowest: LOWEST[dtype] ?? 0,
    add: (a, b) => r((a as N) + (b as N)),
    mul: (a, b) => r(mul32 ? Math.imul(a as N, b as N) : (a as N) * (b as N)),
    div: (a, b) => r(isInt ? Math.trunc((a as N) / (b as N)) : (a as N) / (b as N)),
    max: (acc, x) => ((x as N) < (acc as N) ? acc : x),
    abs: (a) => Math.abs(a as N),
    isZero: (a) => a === 0,
  };
}

function bigOps(dtype: DataType): ScalarOps {
  const signed = dtype === DataType.DT_INT64;
  const wrap = (x: bigint) => (signed ? BigInt.asIntN(64, x) : BigInt.asUintN(64, x));
  return {
    read: (t) => Array.from(t.data as BigInt64Array),
    reader: (t) => {
      const d = t.data as BigInt64Array;
      return (i) => d[i]!;
    },
    buffer: (shape) => {
      const d = allocData(dtype, numElements(shape), shape) as BigInt64Array;
      return {
        get: (i) => d[i]!,
        set: (i, v) => {
          d[i] = v as bigint;
        },
        tensor: () => new Tensor(dtype, shape, d),
      };
    },
    write: (shape, values) => {
      const out = allocData(dtype, values.length, shape) as BigInt64Array;
      for (let i = 0; i < values.length; i++) out[i] = values[i] as bigint;
      return new Tensor(dtype, shape, out);
    },
    zero: 0n,
    lowest: signed ? -(2n ** 63n) : 0n,
    add: (a, b) => wrap((a as bigint) + (b as bigint)),
    mul: (a, b) => wrap((a as bigint) * (b as bigint)),
    div: (a, b) => wrap((a as bigint) / (b as bigint)),
    max: (acc, x) => ((x as bigint) < (acc as bigint) ? acc : x),
    abs: (a) => Math.abs(Number(a)),
    isZero: (a) => a === 0n,
  };
}

function complexOps(dtype: DataType): ScalarOps {
  const r = roundingFor(dtype);
  return {
    read: (t) => {
      const d = t.data as Float32Array | Float64Array;
      const out: Scalar[] = [];
      for (let i = 0; i < d.length; i += 2) out.push([d[i]!, d[i + 1]!]);
      return out;
    },
    reader: (t) => {
      const d = t.data as Float32Array | Float64Array;
      return (i) => [d[2 * i]!, d[2 * i + 1]!];
    },
    buffer: (shape) => {
      const d = allocData(dtype, numElements(shape), shape) as Float32Array | Float64Array;
      return {
        get: (i) => [d[2 * i]!, d[2 * i + 1]!],
        set: (i, v) => {
          d[2 * i] = (v as C)[0];
          d[2 * i + 1] = (v as C)[1];
        },
        tensor: () => new Tensor(dtype, shape, d),
      };
    },
    write: (shape, values) => {
      const out = allocData(dtype, values.length, shape) as Float32Array | Float64Array;
      values.forEach((v, i) => {
        out[2 * i] = (v as C)[0];
        out[2 * i + 1] = (v as C)[1];
      });
      return new Tensor(dtype, shape, out);
    },
    zero: [0, 0],
    lowest: [0, 0],
    add: (a, b) => [r((a as C)[0] + (b as C)[0]), r((a as C)[1] + (b as C)[1])],
    mul: (a, b) => {
      const [ar, ai] = a as C;
      const [br, bi] = b as C;
      return [r(ar * br - ai * bi), r(ar * bi + ai * br)];
    },
    div: (a, b) => {
      const [ar, ai] = a as C;
      const [br, bi] = b as C;
      const d = br * br + bi * bi;
      return [r((ar * br + ai * bi) / d), r((ai * br - ar * bi) / d)];
    },
    max: () => {
      throw invalidArgument(`max is not defined for ${dataTypeString(dtype)}`);
    },
    abs: (a) => Math.hypot((a as C)[0], (a as C)[1]),
    isZero: (a) => (a as C)[0] === 0 && (a as C)[1] === 0,
  };
}

/** The element arithmetic of a numeric dtype. */
export function scalarOps(dtype: DataType): ScalarOps {
  if (dtype === DataType.DT_INT64 || dtype === DataType.DT_UINT64) return bigOps(dtype);
  if (isComplexType(dtype)) return complexOps(dtype);
  return realOps(dtype);
}
