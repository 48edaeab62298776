// Tensors for JavaScript callers: typed arrays with a shape, to and from TensorFlow's TensorProto
// (the wire form of feeds and fetches). Browser-safe: no Node APIs, never imports server code.
//
// Fetched tensors arrive as TensorFlow sends them (tensor_content: raw little-endian bytes; strings
// as varint lengths then bytes); `fromTensorProto` also reads the typed *_val fields.

import { create } from "@bufbuild/protobuf";
import { type TensorProto, TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";

export { DataType };

/**
 * Flat row-major values. Half and bfloat16 tensors hold their numbers in a Float32Array (a
 * Uint16Array of raw bit patterns is also accepted when encoding).
 */
export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | boolean[]
  | string[];

/** A tensor on the JavaScript side: dtype, shape and flat row-major values. */
export interface Tensor {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  readonly values: TensorValues;
}

/** One element: numbers for float and ≤32-bit integer types, bigint for 64-bit integers. */
export type Scalar = number | bigint | boolean | string;
/** A scalar or an arbitrarily nested array of them (`[[1, 2], [3, 4]]`). */
export type NestedArray<T = Scalar> = T | readonly NestedArray<T>[];

/** TensorFlow's short dtype names (`tf.float32.name`, …), accepted wherever a DataType is. */
export const dtypeNames = {
  float32: DataType.DT_FLOAT,
  float64: DataType.DT_DOUBLE,
  float16: DataType.DT_HALF,
  half: DataType.DT_HALF,
  bfloat16: DataType.DT_BFLOAT16,
  int8: DataType.DT_INT8,
  int16: DataType.DT_INT16,
  int32: DataType.DT_INT32,
  int64: DataType.DT_INT64,
  uint8: DataType.DT_UINT8,
  uint16: DataType.DT_UINT16,
  uint32: DataType.DT_UINT32,
  uint64: DataType.DT_UINT64,
  bool: DataType.DT_BOOL,
  string: DataType.DT_STRING,
} as const satisfies Record<string, DataType>;
export type DTypeName = keyof typeof dtypeNames;
export type DTypeLike = DataType | DTypeName;

/** A tensor spelled out: values (flat or nested), with an optional dtype and shape. */
export interface TensorInit {
  readonly values: NestedArray | ArrayLike<Scalar>;
  readonly dtype?: DTypeLike;
  readonly shape?: readonly number[];
}

/** Anything `tensor()` (and a Session's feeds) accept. */
export type TensorInput = Tensor | TensorInit | ArrayBufferView | NestedArray;

const dtypeName = (dtype: DataType): string =>
  Object.entries(DataType).find(([, v]) => v === dtype)?.[0] ?? String(dtype);

export function toDataType(dtype: DTypeLike): DataType {
  return typeof dtype === "string" ? dtypeNames[dtype] : dtype;
}

/** The array type each dtype is held in. */
function emptyValues(dtype: DataType, n: number): TensorValues {
  switch (dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      return new Float32Array(n);
    case DataType.DT_DOUBLE:
      return new Float64Array(n);
    case DataType.DT_INT8:
      return new Int8Array(n);
    case DataType.DT_INT16:
      return new Int16Array(n);
    case DataType.DT_INT32:
      return new Int32Array(n);
    case DataType.DT_UINT8:
      return new Uint8Array(n);
    case DataType.DT_UINT16:
      return new Uint16Array(n);
    case DataType.DT_UINT32:
      return new Uint32Array(n);
    case DataType.DT_INT64:
      return new BigInt64Array(n);
    case DataType.DT_UINT64:
      return new BigUint64Array(n);
    case DataType.DT_BOOL:
      return new Array<boolean>(n).fill(false);
    case DataType.DT_STRING:
      return new Array<string>(n).fill("");
    default:
      throw new Error(`tfgate web client: dtype ${dtypeName(dtype)} is not supported`);
  }
}

const numElements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * A tensor with its values: `values` is the flat TypedArray (or boolean[] / string[]);
 * `toArray()` gives nested arrays, `scalar()` the single element.
 */
export class HostTensor implements Tensor {
  constructor(
    readonly dtype: DataType,
    readonly shape: readonly number[],
    readonly values: TensorValues,
  ) {}

  /** Number of elements. */
  get size(): number {
    return this.values.length;
  }

  /** TensorFlow's name of the dtype ("float32", "int64", …). */
  get dtypeName(): string {
    return Object.entries(dtypeNames).find(([, v]) => v === this.dtype)?.[0] ?? dtypeName(this.dtype);
  }

  /** Nested arrays in the tensor's shape (the element itself for a scalar), like numpy's tolist(). */
  toArray(): NestedArray {
    const v = this.values as ArrayLike<Scalar>;
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return v[offset]!;
      const stride = numElements(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The only element of a one-element tensor (numpy's item()); throws otherwise. */
  scalar(): Scalar {
    if (this.values.length !== 1) {
      throw new Error(`tfgate web client: scalar() of a tensor of shape [${this.shape.join(",")}]`);
    }
    return (this.values as ArrayLike<Scalar>)[0]!;
  }
}

function isTensorObject(x: unknown): x is Tensor | TensorInit {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x) && "values" in x;
}

/** The dtype TensorFlow's tf.constant would give these values. */
function inferDType(values: unknown, first: unknown): DataType {
  if (values instanceof Float32Array) return DataType.DT_FLOAT;
  if (values instanceof Float64Array) return DataType.DT_DOUBLE;
  if (values instanceof Int8Array) return DataType.DT_INT8;
  if (values instanceof Int16Array) return DataType.DT_INT16;
  if (values instanceof Int32Array) return DataType.DT_INT32;
  if (values instanceof Uint8Array || values instanceof Uint8ClampedArray) return DataType.DT_UINT8;
  if (values instanceof Uint16Array) return DataType.DT_UINT16;
  if (values instanceof Uint32Array) return DataType.DT_UINT32;
  if (values instanceof BigInt64Array) return DataType.DT_INT64;
  if (values instanceof BigUint64Array) return DataType.DT_UINT64;
  switch (typeof first) {
    case "boolean":
      return DataType.DT_BOOL;
    case "string":
      return DataType.DT_STRING;
    case "bigint":
      return DataType.DT_INT64;
    default:
      // JavaScript numbers become float32, as tf.constant does with Python floats in TF1 graphs.
      return DataType.DT_FLOAT;
  }
}

/**
 * Builds a tensor. `values` may be a scalar, a TypedArray, a flat or nested array (its shape is
 * inferred when `shape` is omitted), a `{ values, dtype?, shape? }` object or a Tensor. The dtype
 * defaults from the values as tf.constant infers it: Float32Array → float32, Float64Array →
 * float64, Int32Array → int32, BigInt64Array → int64, …; JS numbers → float32, bigint → int64,
 * boolean → bool, string → string. Values are converted to the dtype when they differ.
 */
export function tensor(
  values: TensorInput | readonly unknown[],
  shape?: readonly number[],
  dtype?: DTypeLike,
): HostTensor {
  if (isTensorObject(values)) {
    if (values instanceof HostTensor && shape === undefined && dtype === undefined) return values;
    return tensor(
      values.values as NestedArray,
      shape ?? values.shape,
      dtype ?? (values.dtype as DTypeLike | undefined),
    );
  }
  const inferredShape: number[] = [];
  let flat: ArrayLike<unknown>;
  if (ArrayBuffer.isView(values)) {
    if (values instanceof DataView) throw new Error("tfgate web client: a DataView is not a tensor");
    flat = values as unknown as ArrayLike<unknown>;
    inferredShape.push(flat.length);
  } else if (Array.isArray(values)) {
    let level: unknown = values;
    while (Array.isArray(level)) {
      inferredShape.push(level.length);
      level = level[0];
    }
    flat = (values as unknown[]).flat(Number.POSITIVE_INFINITY);
  } else {
    flat = [values];
  }
  const s = shape ?? inferredShape;
  const dt = dtype === undefined ? inferDType(values, flat[0]) : toDataType(dtype);
  const n = numElements(s);
  if (flat.length !== n) {
    throw new Error(`tfgate web client: ${flat.length} values do not fill shape [${s.join(",")}]`);
  }
  const out = emptyValues(dt, n);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) out[i] = BigInt(flat[i] as number | bigint);
  } else if (dt === DataType.DT_BOOL) {
    for (let i = 0; i < n; i++) (out as boolean[])[i] = Boolean(flat[i]);
  } else if (dt === DataType.DT_STRING) {
    for (let i = 0; i < n; i++) (out as string[])[i] = String(flat[i]);
  } else if (
    (dt === DataType.DT_HALF || dt === DataType.DT_BFLOAT16) &&
    (values instanceof Uint16Array || values instanceof Int16Array)
  ) {
    // Raw 16-bit patterns, as TensorFlow stores them.
    const decode = dt === DataType.DT_HALF ? halfToFloat : bfloat16ToFloat;
    for (let i = 0; i < n; i++) (out as Float32Array)[i] = decode((flat[i] as number) & 0xffff);
  } else {
    const o = out as Exclude<TensorValues, boolean[] | string[] | BigInt64Array | BigUint64Array>;
    for (let i = 0; i < n; i++) o[i] = Number(flat[i]);
    // Half and bfloat16 values are what the wire can hold.
    if (dt === DataType.DT_HALF) for (let i = 0; i < n; i++) o[i] = halfToFloat(floatToHalf(o[i]!));
    if (dt === DataType.DT_BFLOAT16)
      for (let i = 0; i < n; i++) o[i] = bfloat16ToFloat(floatToBfloat16(o[i]!));
  }
  return new HostTensor(dt, [...s], out);
}

// --- 16-bit floats ---------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of a number, rounding to nearest even (as Eigen::half does). */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    const m = mant | 0x800000; // subnormal: shift the implicit 1 in
    const shift = 14 - e;
    let h = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // may carry into the exponent, correctly
  return sign | h;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits (the top half of a float32), rounding to nearest even as TensorFlow does. */
export function floatToBfloat16(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  if (Number.isNaN(x)) return 0x7fc0;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bfloat16ToFloat(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

// --- TensorProto ---------------------------------------------------------------------------

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

function varint(n: number, out: number[]): void {
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

/** Encodes a tensor as TensorFlow's clients do: tensor_content with little-endian bytes. */
export function toTensorProto(input: TensorInput): TensorProto {
  const t = tensor(input);
  const dtype = t.dtype;
  const tensorShape = { dim: t.shape.map((d) => ({ size: BigInt(d) })) };
  let content: Uint8Array;
  if (dtype === DataType.DT_STRING) {
    const parts = (t.values as string[]).map((s) => utf8.encode(s));
    const header: number[] = [];
    for (const p of parts) varint(p.length, header);
    content = new Uint8Array(header.length + parts.reduce((a, p) => a + p.length, 0));
    content.set(header);
    let o = header.length;
    for (const p of parts) {
      content.set(p, o);
      o += p.length;
    }
  } else if (dtype === DataType.DT_BOOL) {
    content = Uint8Array.from(t.values as boolean[], (b) => (b ? 1 : 0));
  } else if (
    (dtype === DataType.DT_HALF || dtype === DataType.DT_BFLOAT16) &&
    !(t.values instanceof Uint16Array)
  ) {
    const encode = dtype === DataType.DT_HALF ? floatToHalf : floatToBfloat16;
    const bits = Uint16Array.from(t.values as ArrayLike<number>, (x) => encode(Number(x)));
    content = new Uint8Array(bits.buffer);
  } else {
    const v = t.values as Exclude<TensorValues, boolean[] | string[]>;
    content = new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  }
  return create(TensorProtoSchema, { dtype, tensorShape, tensorContent: content });
}

/** Decodes a fetched TensorProto (tensor_content or typed value fields). */
export function fromTensorProto(p: TensorProto): HostTensor {
  const shape = (p.tensorShape?.dim ?? []).map((d) => Number(d.size));
  const n = numElements(shape);
  const out = emptyValues(p.dtype, n);
  const c = p.tensorContent;
  const half = p.dtype === DataType.DT_HALF || p.dtype === DataType.DT_BFLOAT16;
  const decode16 = p.dtype === DataType.DT_HALF ? halfToFloat : bfloat16ToFloat;
  if (n === 0) return new HostTensor(p.dtype, shape, out);
  if (c.length > 0) {
    if (p.dtype === DataType.DT_STRING) {
      const lengths: number[] = [];
      let o = 0;
      for (let i = 0; i < n; i++) {
        let len = 0;
        let shift = 0;
        for (;;) {
          const b = c[o++]!;
          len |= (b & 0x7f) << shift;
          if (b < 0x80) break;
          shift += 7;
        }
        lengths.push(len);
      }
      const strings = out as string[];
      for (let i = 0; i < n; i++) {
        strings[i] = utf8d.decode(c.subarray(o, o + lengths[i]!));
        o += lengths[i]!;
      }
    } else if (p.dtype === DataType.DT_BOOL) {
      const bools = out as boolean[];
      for (let i = 0; i < n; i++) bools[i] = c[i] !== 0;
    } else if (half) {
      const floats = out as Float32Array;
      for (let i = 0; i < n; i++) floats[i] = decode16(c[2 * i]! | (c[2 * i + 1]! << 8));
    } else {
      const typed = out as Exclude<TensorValues, boolean[] | string[]>;
      new Uint8Array(typed.buffer).set(c.subarray(0, typed.byteLength));
    }
    return new HostTensor(p.dtype, shape, out);
  }
  const typedField: ArrayLike<unknown> =
    p.dtype === DataType.DT_FLOAT
      ? p.floatVal
      : p.dtype === DataType.DT_DOUBLE
        ? p.doubleVal
        : p.dtype === DataType.DT_INT64
          ? p.int64Val
          : p.dtype === DataType.DT_UINT64
            ? p.uint64Val
            : p.dtype === DataType.DT_UINT32
              ? p.uint32Val
              : p.dtype === DataType.DT_BOOL
                ? p.boolVal
                : p.dtype === DataType.DT_STRING
                  ? p.stringVal.map((b) => utf8d.decode(b))
                  : half
                    ? p.halfVal.map(decode16)
                    : p.intVal;
  // TF's rule: fewer values than elements repeat the last one; none means zeros.
  for (let i = 0; i < n && typedField.length > 0; i++) {
    const v = typedField[Math.min(i, typedField.length - 1)];
    if (Array.isArray(out)) (out as unknown[])[i] = v;
    else if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = BigInt(v as bigint);
    else (out as Float32Array)[i] = Number(v);
  }
  return new HostTensor(p.dtype, shape, out);
}
