// TensorFlow's Tensor (tensorflow/core/framework/tensor.h): a dtype, a shape and a typed buffer.
//
// Storage per dtype (row-major, little-endian like TF on x86):
//   float32 Float32Array, float64 Float64Array, int8/16/32 Int8/16/32Array, uint8/16/32
//   Uint8/16/32Array, int64 BigInt64Array, uint64 BigUint64Array, bool Uint8Array (0/1),
//   half and bfloat16 Uint16Array (raw bit patterns), complex64 Float32Array and complex128
//   Float64Array with interleaved (re, im) pairs, qint*/quint* as their integer storage,
//   string an array of byte strings (Uint8Array), resource an array of ResourceHandle.
// Tensors are immutable by convention once produced, except through a ref (VariableV2) or a
// resource (the variable's own buffer), exactly as in TF.

import { invalidArgument, resourceExhausted } from "./errors.js";
import { DataType, dataTypeString } from "./types.js";

/** A handle to a resource living in a device's ResourceMgr (TF's ResourceHandle). */
export interface ResourceHandle {
  readonly device: string;
  readonly container: string;
  readonly name: string;
  readonly hashCode: bigint;
  readonly maybeTypeName: string;
}

export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;
export type BigIntArray = BigInt64Array | BigUint64Array;
export type TensorData = NumericArray | BigIntArray | Uint8Array[] | ResourceHandle[];

/** Process-wide allocation limit for one tensor, in bytes (see setMaxTensorBytes). */
let maxTensorBytes = 2 ** 31;

/** Sets the largest tensor any kernel may allocate (an engine option). */
export function setMaxTensorBytes(bytes: number): void {
  maxTensorBytes = bytes;
}

export function getMaxTensorBytes(): number {
  return maxTensorBytes;
}

/** "[2,3]" like TF's TensorShape::DebugString. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/**
 * Number of elements of a shape. Throws INVALID_ARGUMENT for negative dims and for products that
 * overflow int64 (TF's TensorShape checks).
 */
export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw invalidArgument(`Dimension ${d} must be >= 0`);
    }
    n *= d;
  }
  if (n > Number.MAX_SAFE_INTEGER) {
    throw invalidArgument(`Shape ${shapeString(shape)} would have more than 2**63 - 1 elements`);
  }
  return n;
}

function elementBytes(dtype: DataType): number {
  switch (dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_INT32:
    case DataType.DT_UINT32:
    case DataType.DT_QINT32:
      return 4;
    case DataType.DT_DOUBLE:
    case DataType.DT_INT64:
    case DataType.DT_UINT64:
    case DataType.DT_COMPLEX64:
      return 8;
    case DataType.DT_COMPLEX128:
      return 16;
    case DataType.DT_INT16:
    case DataType.DT_UINT16:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
    case DataType.DT_QINT16:
    case DataType.DT_QUINT16:
      return 2;
    case DataType.DT_INT8:
    case DataType.DT_UINT8:
    case DataType.DT_BOOL:
    case DataType.DT_QINT8:
    case DataType.DT_QUINT8:
      return 1;
    default:
      // Strings and resources are one JS object each (~100 bytes of heap with its header), so
      // budget them as such: an array of millions of them must not exhaust a worker's heap.
      return 128;
  }
}

/** Throws RESOURCE_EXHAUSTED when a tensor of this dtype and element count exceeds the budget. */
export function checkAllocation(dtype: DataType, n: number, shape?: readonly number[]): void {
  const bytes = n * elementBytes(dtype);
  if (bytes > maxTensorBytes) {
    throw resourceExhausted(
      `OOM when allocating tensor with shape${shape ? shapeString(shape) : `[${n}]`} and type ${dataTypeString(dtype)}: ` +
        `${bytes} bytes exceeds the per-tensor limit of ${maxTensorBytes} bytes`,
    );
  }
}

/**
 * Tensors of at least this many bytes live in a SharedArrayBuffer, so handing them to another
 * thread (a fetch going back to the RPC thread, a cross-device edge between worker threads) shares
 * the memory instead of copying it. Safe because a tensor is never written after it is produced:
 * variable updates replace the held tensor (see kernels/variables.ts), they do not write into it.
 * Small tensors stay in ordinary ArrayBuffers, which are cheaper to allocate.
 */
export const sharedTensorMinBytes = 64 * 1024;

type TypedCtor<T> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike): T;
  readonly BYTES_PER_ELEMENT: number;
};

function typed<T>(ctor: TypedCtor<T>, length: number): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  return bytes >= sharedTensorMinBytes ? new ctor(new SharedArrayBuffer(bytes)) : new ctor(length);
}

/** Allocates zeroed storage for n elements of dtype (after checking the budget). */
export function allocData(dtype: DataType, n: number, shape?: readonly number[]): TensorData {
  checkAllocation(dtype, n, shape);
  switch (dtype) {
    case DataType.DT_FLOAT:
      return typed(Float32Array, n);
    case DataType.DT_DOUBLE:
      return typed(Float64Array, n);
    case DataType.DT_INT32:
    case DataType.DT_QINT32:
      return typed(Int32Array, n);
    case DataType.DT_UINT32:
      return typed(Uint32Array, n);
    case DataType.DT_INT16:
    case DataType.DT_QINT16:
      return typed(Int16Array, n);
    case DataType.DT_UINT16:
    case DataType.DT_QUINT16:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      return typed(Uint16Array, n);
    case DataType.DT_INT8:
    case DataType.DT_QINT8:
      return typed(Int8Array, n);
    case DataType.DT_UINT8:
    case DataType.DT_QUINT8:
    case DataType.DT_BOOL:
      return typed(Uint8Array, n);
    case DataType.DT_INT64:
      return typed(BigInt64Array, n);
    case DataType.DT_UINT64:
      return typed(BigUint64Array, n);
    case DataType.DT_COMPLEX64:
      return typed(Float32Array, 2 * n);
    case DataType.DT_COMPLEX128:
      return typed(Float64Array, 2 * n);
    case DataType.DT_STRING: {
      const empty = new Uint8Array(0);
      return Array.from({ length: n }, () => empty);
    }
    case DataType.DT_RESOURCE:
      return Array.from({ length: n }, () => emptyResourceHandle);
    default:
      throw invalidArgument(`Unsupported dtype ${dataTypeString(dtype)}`);
  }
}

const emptyResourceHandle: ResourceHandle = {
  device: "",
  container: "",
  name: "",
  hashCode: 0n,
  maybeTypeName: "",
};

export class Tensor {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  readonly data: TensorData;

  /** Wraps existing storage (borrowed, not copied). The length must match the shape. */
  constructor(dtype: DataType, shape: readonly number[], data: TensorData) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  /** A new zero-filled tensor. */
  static zeros(dtype: DataType, shape: readonly number[]): Tensor {
    return new Tensor(dtype, shape, allocData(dtype, numElements(shape), shape));
  }

  get numElements(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** TF's DebugString-like summary: "Tensor<type: float shape: [2,3]>". */
  toString(): string {
    return `Tensor<type: ${dataTypeString(this.dtype)} shape: ${shapeString(this.shape)}>`;
  }
}

/** True when the two shapes are identical. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Scalar helpers used by kernels and tests. */
export function scalar(dtype: DataType, value: number | bigint | boolean | string): Tensor {
  const t = Tensor.zeros(dtype, []);
  setFlat(t, 0, value);
  return t;
}

/** Creates a tensor from a flat JS array of values (numbers, bigints, booleans or strings). */
export function fromValues(
  dtype: DataType,
  shape: readonly number[],
  values: readonly (number | bigint | boolean | string)[],
): Tensor {
  const t = Tensor.zeros(dtype, shape);
  if (values.length !== t.numElements) {
    throw invalidArgument(
      `Expected ${t.numElements} values for shape ${shapeString(shape)}, got ${values.length}`,
    );
  }
  for (let i = 0; i < values.length; i++) setFlat(t, i, values[i]!);
  return t;
}

const textEncoder = new TextEncoder();

function setFlat(t: Tensor, i: number, v: number | bigint | boolean | string): void {
  const d = t.data;
  if (t.dtype === DataType.DT_STRING) {
    (d as Uint8Array[])[i] = typeof v === "string" ? textEncoder.encode(v) : textEncoder.encode(String(v));
  } else if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    d[i] = typeof v === "bigint" ? v : BigInt(typeof v === "boolean" ? Number(v) : Number(v));
  } else if (t.dtype === DataType.DT_COMPLEX64 || t.dtype === DataType.DT_COMPLEX128) {
    (d as Float32Array)[2 * i] = Number(v);
    (d as Float32Array)[2 * i + 1] = 0;
  } else if (t.dtype === DataType.DT_HALF || t.dtype === DataType.DT_BFLOAT16) {
    throw invalidArgument("use the float16 helpers to build half/bfloat16 tensors");
  } else {
    (d as NumericArray)[i] = typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
  }
}
