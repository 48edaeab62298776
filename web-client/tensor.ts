// Tensors for JavaScript callers: typed arrays with a shape, to and from TensorFlow's TensorProto
// (the wire form of feeds and fetches). Browser-safe: no Node APIs, never imports server code.
//
// Fetched tensors arrive as TensorFlow sends them (tensor_content: raw little-endian bytes; strings
// as varint lengths then bytes); `fromTensorProto` also reads the typed *_val fields.

import { create } from "@bufbuild/protobuf";
import { type TensorProto, TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";

export { DataType };

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

/** The TypedArray (or array) type each dtype is read into. */
function emptyValues(dtype: DataType, n: number): TensorValues {
  switch (dtype) {
    case DataType.DT_FLOAT:
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
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
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
      throw new Error(
        `tfgate web client: dtype ${Object.entries(DataType).find(([, v]) => v === dtype)?.[0] ?? dtype} is not supported`,
      );
  }
}

const numElements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Builds a tensor. `values` may be a TypedArray, a flat array, or a nested array (its shape is
 * inferred when `shape` is omitted). The dtype defaults from the values: Float32Array → float,
 * BigInt64Array → int64, numbers → float, booleans → bool, strings → string.
 */
export function tensor(values: unknown, shape?: readonly number[], dtype?: DataType): Tensor {
  const inferredShape: number[] = [];
  let flat: unknown[] | ArrayLike<unknown> = values as ArrayLike<unknown>;
  if (ArrayBuffer.isView(values)) {
    inferredShape.push((values as unknown as ArrayLike<unknown>).length);
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
  const first = (flat as ArrayLike<unknown>)[0];
  const dt =
    dtype ??
    (values instanceof Float64Array
      ? DataType.DT_FLOAT
      : values instanceof Int32Array
        ? DataType.DT_INT32
        : values instanceof BigInt64Array
          ? DataType.DT_INT64
          : typeof first === "boolean"
            ? DataType.DT_BOOL
            : typeof first === "string"
              ? DataType.DT_STRING
              : typeof first === "bigint"
                ? DataType.DT_INT64
                : DataType.DT_FLOAT);
  const n = numElements(s);
  if ((flat as ArrayLike<unknown>).length !== n) {
    throw new Error(
      `tfgate web client: ${(flat as ArrayLike<unknown>).length} values do not fill shape [${s.join(",")}]`,
    );
  }
  const out = emptyValues(dt, n);
  for (let i = 0; i < n; i++) {
    const v = (flat as ArrayLike<unknown>)[i];
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = BigInt(v as number | bigint);
    else if (Array.isArray(out)) (out as unknown[])[i] = dt === DataType.DT_BOOL ? Boolean(v) : String(v);
    else (out as Float32Array)[i] = Number(v);
  }
  return { dtype: dt, shape: [...s], values: out };
}

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
export function toTensorProto(t: Tensor): TensorProto {
  const tensorShape = { dim: t.shape.map((d) => ({ size: BigInt(d) })) };
  let content: Uint8Array;
  if (t.dtype === DataType.DT_STRING) {
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
  } else if (t.dtype === DataType.DT_BOOL) {
    content = Uint8Array.from(t.values as boolean[], (b) => (b ? 1 : 0));
  } else {
    const v = t.values as Exclude<TensorValues, boolean[] | string[]>;
    content = new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  }
  return create(TensorProtoSchema, { dtype: t.dtype, tensorShape, tensorContent: content });
}

/** Decodes a fetched TensorProto (tensor_content or typed value fields). */
export function fromTensorProto(p: TensorProto): Tensor {
  const shape = (p.tensorShape?.dim ?? []).map((d) => Number(d.size));
  const n = numElements(shape);
  const out = emptyValues(p.dtype, n);
  const c = p.tensorContent;
  if (n === 0) return { dtype: p.dtype, shape, values: out };
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
    } else {
      const typed = out as Exclude<TensorValues, boolean[] | string[]>;
      new Uint8Array(typed.buffer).set(c.subarray(0, typed.byteLength));
    }
    return { dtype: p.dtype, shape, values: out };
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
                  : p.dtype === DataType.DT_HALF || p.dtype === DataType.DT_BFLOAT16
                    ? p.halfVal
                    : p.intVal;
  // TF's rule: fewer values than elements repeat the last one; none means zeros.
  for (let i = 0; i < n && typedField.length > 0; i++) {
    const v = typedField[Math.min(i, typedField.length - 1)];
    if (Array.isArray(out)) (out as unknown[])[i] = v;
    else if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = BigInt(v as bigint);
    else (out as Float32Array)[i] = Number(v);
  }
  return { dtype: p.dtype, shape, values: out };
}
