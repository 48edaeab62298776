// TensorProto ⇄ Tensor: TensorFlow's Tensor::FromProto and Tensor::AsProtoTensorContent
// (core/framework/tensor.cc).
//
// Decoding accepts every encoding TF accepts: `tensor_content` (raw little-endian element bytes;
// for DT_STRING the varint32 length of every element followed by all element bytes, TF 2.21's
// layout) or the typed repeated fields (float_val, int_val, …) with TF's fill rules. Encoding
// always produces `tensor_content`, as TF's servers do, except DT_RESOURCE (resource_handle_val).
//
// Aliasing contract: a decoded tensor may share memory with p.tensor_content (a view into the
// request buffer) — callers must keep that buffer immutable. An encoded proto's tensor_content
// may share memory with the tensor's data; tensors are immutable by convention, and a variable's
// buffer is only replaced, never written in place, by the kernels in this package.

import { create, fromBinary } from "@bufbuild/protobuf";
import {
  type ResourceHandleProto,
  ResourceHandleProtoSchema,
} from "../../../gen/tensorflow/core/framework/resource_handle_pb.js";
import { type TensorProto, TensorProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { internal, invalidArgument, unimplemented } from "./errors.js";
import {
  allocData,
  checkAllocation,
  type ResourceHandle,
  shapeString,
  Tensor,
  type TensorData,
} from "./tensor.js";
import { BYTES_PER_ELEMENT, DataType, dataTypeString, isRefType } from "./types.js";

// Raw element bytes are interpreted in host byte order, which must be TF's wire order.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw internal("tfgate requires a little-endian host");
}

/** TF's TensorShape::MaxDimensions(). */
const kMaxDims = 254;
const kMaxElements = (1n << 63n) - 1n;

/**
 * Builds a Tensor from a TensorProto with TF's Tensor::FromProto rules. `what` names the proto in
 * error messages ("feed value 0"). Throws INVALID_ARGUMENT for protos TF rejects, RESOURCE_EXHAUSTED
 * when the tensor exceeds the per-tensor budget (checked before anything is allocated), and
 * UNIMPLEMENTED for valid dtypes this engine cannot hold (variant, float8, int4).
 */
export function tensorFromProto(p: TensorProto, what = "TensorProto"): Tensor {
  const dtype = p.dtype;
  if (dtype === DataType.DT_INVALID || isRefType(dtype) || dataTypeString(dtype).startsWith("unknown")) {
    throw invalidArgument(
      `${what} has invalid dtype ${dataTypeString(dtype)}: expected a valid non-reference type`,
    );
  }
  const shape = shapeFromProto(p, what);
  let n = 1;
  for (const d of shape) n *= d;
  const supported =
    BYTES_PER_ELEMENT[dtype] !== undefined || dtype === DataType.DT_STRING || dtype === DataType.DT_RESOURCE;
  if (!supported) throw unimplemented(`${what}: tensors of dtype ${dataTypeString(dtype)} are not supported`);
  checkAllocation(dtype, n, shape);
  if (n === 0) return new Tensor(dtype, shape, allocData(dtype, 0, shape));
  const data =
    p.tensorContent.length > 0
      ? decodeContent(dtype, p.tensorContent, n, what)
      : decodeFields(dtype, p, n, what);
  return new Tensor(dtype, shape, data);
}

function shapeFromProto(p: TensorProto, what: string): number[] {
  const sp = p.tensorShape;
  if (sp === undefined) return [];
  if (sp.unknownRank)
    throw invalidArgument(`${what} has a shape of unknown rank; a tensor needs a fully defined shape`);
  if (sp.dim.length > kMaxDims) {
    throw invalidArgument(
      `${what} has a shape of rank ${sp.dim.length}, more than the maximum of ${kMaxDims}`,
    );
  }
  let total = 1n;
  const shape: number[] = [];
  for (const d of sp.dim) {
    if (d.size < 0n) {
      throw invalidArgument(`${what} has a shape with dimension ${d.size}: dimensions must be >= 0`);
    }
    total *= d.size;
    if (total > kMaxElements) {
      throw invalidArgument(`${what} has a shape with more than 2**63 - 1 elements`);
    }
    shape.push(Number(d.size));
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidArgument(`${what} has a shape ${shapeString(shape)} with too many elements`);
  }
  return shape;
}

function contentSizeError(what: string, dtype: DataType, got: number, want: number, n: number): never {
  throw invalidArgument(
    `${what}: tensor_content has ${got} bytes but ${n} elements of ${dataTypeString(dtype)} need exactly ${want}`,
  );
}

/** Typed view over raw bytes: aliases when the offset is aligned, copies into fresh storage when not. */
function viewOrCopy<T>(
  content: Uint8Array,
  bytesPer: number,
  count: number,
  make: (buf: ArrayBufferLike, offset: number, length: number) => T,
  alloc: (length: number) => T,
): T {
  if (content.byteOffset % bytesPer === 0) {
    // Aligned: alias the request bytes (no copy).
    return make(content.buffer, content.byteOffset, count);
  }
  // Unaligned: a typed array cannot start here, so copy the bytes into fresh storage.
  const out = alloc(count);
  new Uint8Array((out as unknown as { buffer: ArrayBufferLike }).buffer).set(content);
  return out;
}

function decodeContent(dtype: DataType, content: Uint8Array, n: number, what: string): TensorData {
  if (dtype === DataType.DT_STRING) {
    return decodeStringList(content, n, what, "DT_STRING");
  }
  if (dtype === DataType.DT_RESOURCE) {
    return decodeStringList(content, n, what, "DT_RESOURCE").map((b) => {
      try {
        return handleFromProto(fromBinary(ResourceHandleProtoSchema, b));
      } catch {
        throw invalidArgument(`${what}: tensor_content holds a malformed ResourceHandleProto`);
      }
    });
  }
  const size = BYTES_PER_ELEMENT[dtype]!;
  const want = size * n;
  if (content.length !== want) contentSizeError(what, dtype, content.length, want, n);
  switch (dtype) {
    case DataType.DT_FLOAT:
      return viewOrCopy(
        content,
        4,
        n,
        (b, o, l) => new Float32Array(b, o, l),
        (l) => new Float32Array(l),
      );
    case DataType.DT_COMPLEX64:
      return viewOrCopy(
        content,
        4,
        2 * n,
        (b, o, l) => new Float32Array(b, o, l),
        (l) => new Float32Array(l),
      );
    case DataType.DT_DOUBLE:
      return viewOrCopy(
        content,
        8,
        n,
        (b, o, l) => new Float64Array(b, o, l),
        (l) => new Float64Array(l),
      );
    case DataType.DT_COMPLEX128:
      return viewOrCopy(
        content,
        8,
        2 * n,
        (b, o, l) => new Float64Array(b, o, l),
        (l) => new Float64Array(l),
      );
    case DataType.DT_INT32:
    case DataType.DT_QINT32:
      return viewOrCopy(
        content,
        4,
        n,
        (b, o, l) => new Int32Array(b, o, l),
        (l) => new Int32Array(l),
      );
    case DataType.DT_UINT32:
      return viewOrCopy(
        content,
        4,
        n,
        (b, o, l) => new Uint32Array(b, o, l),
        (l) => new Uint32Array(l),
      );
    case DataType.DT_INT16:
    case DataType.DT_QINT16:
      return viewOrCopy(
        content,
        2,
        n,
        (b, o, l) => new Int16Array(b, o, l),
        (l) => new Int16Array(l),
      );
    case DataType.DT_UINT16:
    case DataType.DT_QUINT16:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      return viewOrCopy(
        content,
        2,
        n,
        (b, o, l) => new Uint16Array(b, o, l),
        (l) => new Uint16Array(l),
      );
    case DataType.DT_INT64:
      return viewOrCopy(
        content,
        8,
        n,
        (b, o, l) => new BigInt64Array(b, o, l),
        (l) => new BigInt64Array(l),
      );
    case DataType.DT_UINT64:
      return viewOrCopy(
        content,
        8,
        n,
        (b, o, l) => new BigUint64Array(b, o, l),
        (l) => new BigUint64Array(l),
      );
    case DataType.DT_INT8:
    case DataType.DT_QINT8:
      // One-byte elements are always aligned: alias.
      return new Int8Array(content.buffer, content.byteOffset, n);
    case DataType.DT_UINT8:
    case DataType.DT_QUINT8:
      return content.subarray(0, n);
    case DataType.DT_BOOL: {
      // Alias when every byte is 0/1 (our bool contract); otherwise copy and normalise (C++ reads
      // any non-zero byte as true).
      for (let i = 0; i < n; i++) {
        if (content[i]! > 1) {
          const out = new Uint8Array(n);
          for (let j = 0; j < n; j++) out[j] = content[j]! !== 0 ? 1 : 0;
          return out;
        }
      }
      return content.subarray(0, n);
    }
    default:
      throw unimplemented(`${what}: tensors of dtype ${dataTypeString(dtype)} are not supported`);
  }
}

/**
 * TF's port::DecodeStringList: n varint32 lengths, then exactly that many bytes in total. The
 * elements alias `content`.
 */
function decodeStringList(content: Uint8Array, n: number, what: string, kind: string): Uint8Array[] {
  // Every element needs at least one length byte: reject before allocating n slots.
  if (content.length < n) {
    throw invalidArgument(
      `${what}: ${kind} tensor_content has ${content.length} bytes, too few for ${n} elements`,
    );
  }
  const sizes = new Array<number>(n);
  let pos = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    let shift = 0;
    let ok = false;
    while (pos < content.length && shift <= 28) {
      const b = content[pos++]!;
      if (shift === 28 && b > 0x0f) break; // more than 32 bits
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        ok = true;
        break;
      }
    }
    if (!ok)
      throw invalidArgument(
        `${what}: ${kind} tensor_content has a malformed varint32 length for element ${i}`,
      );
    sizes[i] = v;
    total += v;
  }
  if (total !== content.length - pos) {
    throw invalidArgument(
      `${what}: ${kind} tensor_content lengths add up to ${total} bytes but ${content.length - pos} bytes follow them`,
    );
  }
  const out = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) {
    out[i] = content.subarray(pos, pos + sizes[i]!);
    pos += sizes[i]!;
  }
  return out;
}

/**
 * TF's FromProtoField: the typed repeated field; no values → zero-filled, fewer than n → the last
 * value repeated, more than n → the extra values ignored.
 */
function fillFrom<T extends { length: number; [i: number]: V; fill(v: V, start?: number): unknown }, V>(
  out: T,
  values: ArrayLike<V>,
  convert: (v: V) => V = (v) => v,
): T {
  const m = Math.min(values.length, out.length);
  for (let i = 0; i < m; i++) out[i] = convert(values[i]!);
  if (values.length > 0 && m < out.length) out.fill(out[m - 1]!, m);
  return out;
}

/** Like fillFrom, for complex pairs (re, im) stored interleaved. */
function fillPairs(out: Float32Array | Float64Array, values: readonly number[], n: number): void {
  const inN = Math.floor(values.length / 2);
  const m = Math.min(inN, n);
  for (let i = 0; i < 2 * m; i++) out[i] = values[i]!;
  if (inN > 0) {
    const re = out[2 * m - 2]!;
    const im = out[2 * m - 1]!;
    for (let i = m; i < n; i++) {
      out[2 * i] = re;
      out[2 * i + 1] = im;
    }
  }
}

function decodeFields(dtype: DataType, p: TensorProto, n: number, what: string): TensorData {
  const data = allocData(dtype, n);
  switch (dtype) {
    case DataType.DT_FLOAT:
      return fillFrom(data as Float32Array, p.floatVal);
    case DataType.DT_DOUBLE:
      return fillFrom(data as Float64Array, p.doubleVal);
    case DataType.DT_INT32:
    case DataType.DT_QINT32:
    case DataType.DT_INT16:
    case DataType.DT_QINT16:
    case DataType.DT_INT8:
    case DataType.DT_QINT8:
    case DataType.DT_UINT8:
    case DataType.DT_QUINT8:
    case DataType.DT_UINT16:
    case DataType.DT_QUINT16:
      // Narrowing stores wrap like C++'s static_cast from int32.
      return fillFrom(data as Int32Array, p.intVal);
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      // half_val carries the raw 16-bit patterns in int32s.
      return fillFrom(data as Uint16Array, p.halfVal);
    case DataType.DT_INT64:
      return fillFrom(data as BigInt64Array, p.int64Val, (v) => BigInt.asIntN(64, v));
    case DataType.DT_UINT32:
      return fillFrom(data as Uint32Array, p.uint32Val);
    case DataType.DT_UINT64:
      return fillFrom(data as BigUint64Array, p.uint64Val, (v) => BigInt.asUintN(64, v));
    case DataType.DT_BOOL:
      return fillFrom(
        data as Uint8Array,
        p.boolVal.map((b): number => (b ? 1 : 0)),
      );
    case DataType.DT_COMPLEX64:
      fillPairs(data as Float32Array, p.scomplexVal, n);
      return data;
    case DataType.DT_COMPLEX128:
      fillPairs(data as Float64Array, p.dcomplexVal, n);
      return data;
    case DataType.DT_STRING:
      return fillFrom(data as Uint8Array[], p.stringVal);
    case DataType.DT_RESOURCE:
      return fillFrom(data as ResourceHandle[], p.resourceHandleVal.map(handleFromProto));
    default:
      throw unimplemented(`${what}: tensors of dtype ${dataTypeString(dtype)} are not supported`);
  }
}

export function handleFromProto(h: ResourceHandleProto): ResourceHandle {
  return {
    device: h.device,
    container: h.container,
    name: h.name,
    hashCode: BigInt.asUintN(64, h.hashCode),
    maybeTypeName: h.maybeTypeName,
  };
}

export function handleToProto(h: ResourceHandle): ResourceHandleProto {
  return create(ResourceHandleProtoSchema, {
    device: h.device,
    container: h.container,
    name: h.name,
    hashCode: BigInt.asUintN(64, h.hashCode),
    maybeTypeName: h.maybeTypeName,
  });
}

/**
 * Encodes a tensor as TF's AsProtoTensorContent does: dtype, tensor_shape (always present, one
 * Dim{size} per dimension), and the elements in tensor_content (raw little-endian bytes; strings as
 * varint32 lengths then bytes). DT_RESOURCE goes to resource_handle_val. Zero-element tensors carry
 * no data field. tensor_content aliases the tensor's storage for fixed-size types.
 */
export function tensorToProto(t: Tensor): TensorProto {
  const p = create(TensorProtoSchema, {
    dtype: t.dtype,
    tensorShape: create(TensorShapeProtoSchema, { dim: t.shape.map((d) => ({ size: BigInt(d) })) }),
  });
  const n = t.numElements;
  if (n === 0) return p;
  if (t.dtype === DataType.DT_STRING) {
    p.tensorContent = encodeStringList(t.data as Uint8Array[], n);
  } else if (t.dtype === DataType.DT_RESOURCE) {
    p.resourceHandleVal = (t.data as ResourceHandle[]).slice(0, n).map(handleToProto);
  } else {
    const size = BYTES_PER_ELEMENT[t.dtype];
    if (size === undefined) throw unimplemented(`Cannot encode tensors of dtype ${dataTypeString(t.dtype)}`);
    const d = t.data as ArrayBufferView;
    p.tensorContent = new Uint8Array(d.buffer, d.byteOffset, size * n);
  }
  return p;
}

/** TF's port::EncodeStringList: varint32 length of each element, then all the bytes. */
export function encodeStringList(strings: readonly Uint8Array[], n = strings.length): Uint8Array {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = strings[i]!.length;
    total += varintSize(len) + len;
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    let v = strings[i]!.length;
    while (v >= 0x80) {
      out[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[pos++] = v;
  }
  for (let i = 0; i < n; i++) {
    out.set(strings[i]!, pos);
    pos += strings[i]!.length;
  }
  return out;
}

function varintSize(v: number): number {
  let s = 1;
  while (v >= 0x80) {
    v >>>= 7;
    s++;
  }
  return s;
}
