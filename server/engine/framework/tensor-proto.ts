// TensorProto ⇄ Tensor: TensorFlow's Tensor::FromProto and Tensor::AsProtoTensorContent
// (core/framework/tensor.cc).
//
// Decoding accepts every encoding TF accepts: `tensor_content` (raw little-endian element bytes;
// for DT_STRING the varint32 length of every element followed by all element bytes, TF 2.21's
// layout) or the typed repeated fields (float_val, int_val, …) with TF's fill rules. Encoding
// always produces `tensor_content`, as TF's servers do, except DT_RESOURCE (resource_handle_val).
//
// Aliasing contract (docs/architecture.md, "Tensor bytes"): a tensor decoded without `own` may
// share memory with p.tensor_content (a view into the request buffer), so callers must keep that
// buffer immutable while the tensor lives; feeds are decoded with `own` (one byte copy). An encoded
// proto's tensor_content is a view of the tensor's storage (no copy); tensors are immutable once
// produced, and a variable's buffer is only replaced, never written in place, by the kernels in
// this package, so the view stays valid for as long as a response holds it.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import {
  type ResourceHandleProto,
  ResourceHandleProtoSchema,
} from "../../../gen/tensorflow/core/framework/resource_handle_pb.js";
import {
  type TensorProto,
  TensorProtoSchema,
  type VariantTensorDataProto,
  VariantTensorDataProtoSchema,
} from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { internal, invalidArgument, isTfError, unimplemented } from "./errors.js";
import { copyIntoShared } from "./shared-copy.js";
import {
  allocData,
  checkAllocation,
  type ResourceHandle,
  shapeString,
  storageView,
  Tensor,
  type TensorData,
  type VariantValue,
} from "./tensor.js";
import { BYTES_PER_ELEMENT, DataType, dataTypeString, isRefType } from "./types.js";
import {
  EMPTY_VARIANT,
  isOptionalValue,
  isTensorList,
  OPTIONAL_TYPE_NAME,
  type PartialShape,
  TENSOR_LIST_TYPE_NAME,
  TensorList,
} from "./variant.js";

// Raw element bytes are interpreted in host byte order, which must be TF's wire order.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw internal("tfgate requires a little-endian host");
}

/** TF's TensorShape::MaxDimensions(). */
const kMaxDims = 254;
const kMaxElements = (1n << 63n) - 1n;

/** How a decoded tensor relates to the proto's memory. */
export interface DecodeOptions {
  /**
   * The tensor must not depend on memory the caller may reuse. Bytes in ordinary memory are copied
   * once into storage the engine owns (shared memory when large); bytes in a SharedArrayBuffer,
   * which a transport hands over for good (docs/architecture.md, "Tensor bytes"), are adopted
   * without a copy when aligned and when the tensor is at least half of that buffer (a small
   * view must not keep a large request alive). Feeds are decoded so: afterwards the engine holds
   * nothing of a request's ordinary memory, and a large feed reaches a worker thread with at most
   * one copy.
   */
  readonly own?: boolean;
}

/**
 * Builds a Tensor from a TensorProto with TF's Tensor::FromProto rules. `what` names the proto in
 * error messages ("feed value 0"). Throws INVALID_ARGUMENT for protos TF rejects, RESOURCE_EXHAUSTED
 * when the tensor exceeds the per-tensor budget (checked before anything is allocated), and
 * UNIMPLEMENTED for valid dtypes this engine cannot hold (variant, float8, int4).
 */
export function tensorFromProto(p: TensorProto, what = "TensorProto", options: DecodeOptions = {}): Tensor {
  const own = options.own ?? false;
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
    BYTES_PER_ELEMENT[dtype] !== undefined ||
    dtype === DataType.DT_STRING ||
    dtype === DataType.DT_RESOURCE ||
    dtype === DataType.DT_VARIANT;
  if (!supported) throw unimplemented(`${what}: tensors of dtype ${dataTypeString(dtype)} are not supported`);
  checkAllocation(dtype, n, shape);
  if (n === 0) return new Tensor(dtype, shape, allocData(dtype, 0, shape));
  const data =
    p.tensorContent.length > 0
      ? decodeContent(dtype, p.tensorContent, n, what, own)
      : decodeFields(dtype, p, n, what, own);
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

/**
 * The elements of a fixed-size dtype from raw little-endian bytes (exactly n elements' worth):
 * aliasing `content` when its offset suits the storage's alignment (and, with `own`, when it may be
 * adopted); otherwise (a typed array cannot start at a misaligned offset) copied once, as bytes,
 * into fresh storage (allocData: shared memory when large, so the tensor can go on to a worker
 * thread without another copy). Never element by element: the bytes arrive bit for bit, NaN
 * payloads included.
 */
function decodeRaw(dtype: DataType, content: Uint8Array, n: number, own: boolean): TensorData {
  const size = BYTES_PER_ELEMENT[dtype]!;
  // Complex storage is one float per part: its alignment is half the element size.
  const align = dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128 ? size / 2 : size;
  if (content.byteOffset % align === 0 && (!own || adoptable(content))) {
    const view = storageView(dtype, content.buffer, content.byteOffset, n);
    if (view !== undefined) return view;
  }
  const out = allocData(dtype, n) as ArrayBufferView;
  copyIntoShared(new Uint8Array(out.buffer, out.byteOffset, out.byteLength), 0, content);
  return out as TensorData;
}

/** Shared memory a transport handed over, mostly this tensor's bytes (see DecodeOptions.own). */
function adoptable(content: Uint8Array): boolean {
  return content.buffer instanceof SharedArrayBuffer && 2 * content.byteLength >= content.buffer.byteLength;
}

function decodeContent(
  dtype: DataType,
  content: Uint8Array,
  n: number,
  what: string,
  own: boolean,
): TensorData {
  if (dtype === DataType.DT_VARIANT) {
    throw invalidArgument(
      `${what}: a DT_VARIANT tensor carries its values in variant_val, not tensor_content`,
    );
  }
  if (dtype === DataType.DT_STRING) {
    // Owned: one copy of the whole content, which the elements then alias.
    return decodeStringList(own ? content.slice() : content, n, what, "DT_STRING");
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
  const size = BYTES_PER_ELEMENT[dtype];
  if (size === undefined)
    throw unimplemented(`${what}: tensors of dtype ${dataTypeString(dtype)} are not supported`);
  const want = size * n;
  if (content.length !== want) contentSizeError(what, dtype, content.length, want, n);
  if (dtype !== DataType.DT_BOOL) return decodeRaw(dtype, content, n, own);
  // Our bool contract is one byte 0/1; C++ reads any non-zero byte as true, so others become 1
  // (in a copy: the request's bytes are never written).
  if (!hasNonBoolByte(content)) return decodeRaw(dtype, content, n, own);
  const out = allocData(dtype, n) as Uint8Array;
  for (let i = 0; i < n; i++) out[i] = content[i]! !== 0 ? 1 : 0;
  return out;
}

/** True when some byte is neither 0 nor 1; reads four bytes at a time where aligned. */
function hasNonBoolByte(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const head = Math.min(n, (4 - (bytes.byteOffset % 4)) % 4);
  for (let i = 0; i < head; i++) if (bytes[i]! > 1) return true;
  const words = (n - head) >>> 2;
  if (words > 0) {
    // head < 4 - offset % 4 only when the tensor ends first: then there are no words to read.
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + head, words);
    for (let i = 0; i < words; i++) if ((w[i]! & 0xfefefefe) !== 0) return true;
  }
  for (let i = head + 4 * words; i < n; i++) if (bytes[i]! > 1) return true;
  return false;
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

function decodeFields(dtype: DataType, p: TensorProto, n: number, what: string, own: boolean): TensorData {
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
      // string_val elements are views of the proto's bytes: owned, each is copied.
      return fillFrom(data as Uint8Array[], own ? p.stringVal.map((b) => b.slice()) : p.stringVal);
    case DataType.DT_RESOURCE:
      return fillFrom(data as ResourceHandle[], p.resourceHandleVal.map(handleFromProto));
    case DataType.DT_VARIANT:
      if (p.variantVal.length !== n && p.variantVal.length !== 0) {
        throw invalidArgument(`${what}: ${p.variantVal.length} variant values for ${n} elements`);
      }
      return fillFrom(
        data as VariantValue[],
        p.variantVal.map((v) => variantFromProto(v, what, own)),
      );
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
 * varint32 lengths then bytes). DT_RESOURCE goes to resource_handle_val, DT_VARIANT to variant_val
 * (TF's Variant::Encode; a TensorList as TensorList::Encode writes it). Zero-element tensors carry
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
  } else if (t.dtype === DataType.DT_VARIANT) {
    p.variantVal = (t.data as VariantValue[]).slice(0, n).map(variantToProto);
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

// --- variants ------------------------------------------------------------------------------------
// TF's TensorList::Encode/Decode: the set elements as tensors, and metadata holding varint64s (the
// number of unset elements, their indices, the element dtype, max_num_elements as uint64) followed
// by the element shape as a serialized TensorShapeProto.

function variantToProto(v: VariantValue): VariantTensorDataProto {
  if (v === EMPTY_VARIANT) return create(VariantTensorDataProtoSchema, {});
  if (isOptionalValue(v)) {
    // TF's OptionalVariant::Encode: the values as tensors, metadata one byte saying whether any.
    return create(VariantTensorDataProtoSchema, {
      typeName: OPTIONAL_TYPE_NAME,
      metadata: Uint8Array.of(v.values === undefined ? 0 : 1),
      tensors: (v.values ?? []).map(tensorToProto),
    });
  }
  if (!isTensorList(v)) throw unimplemented(`Cannot encode a variant of type ${v.typeName}`);
  const unset = v.tensors.flatMap((t, i) => (t === undefined ? [i] : []));
  const w = new BinaryWriter();
  w.uint64(unset.length);
  for (const i of unset) w.uint64(i);
  w.uint64(v.elementDtype);
  w.uint64(BigInt.asUintN(64, BigInt(v.maxNumElements)));
  const shape = create(TensorShapeProtoSchema, {
    unknownRank: v.elementShape === undefined,
    dim: (v.elementShape ?? []).map((d) => ({ size: BigInt(d) })),
  });
  const head = w.finish();
  const tail = toBinary(TensorShapeProtoSchema, shape);
  const metadata = new Uint8Array(head.length + tail.length);
  metadata.set(head);
  metadata.set(tail, head.length);
  return create(VariantTensorDataProtoSchema, {
    typeName: TENSOR_LIST_TYPE_NAME,
    metadata,
    tensors: v.tensors.flatMap((t) => (t === undefined ? [] : [tensorToProto(t)])),
  });
}

function variantFromProto(p: VariantTensorDataProto, what: string, own: boolean): VariantValue {
  if (p.typeName === "") return EMPTY_VARIANT;
  if (p.typeName !== TENSOR_LIST_TYPE_NAME) {
    throw unimplemented(`${what}: variants of type ${p.typeName} are not supported`);
  }
  try {
    const r = new BinaryReader(p.metadata);
    const numUnset = Number(r.uint64());
    const unset = new Set<number>();
    for (let i = 0; i < numUnset; i++) unset.add(Number(r.uint64()));
    const elementDtype = Number(r.uint64()) as DataType;
    const maxNumElements = Number(BigInt.asIntN(64, BigInt(r.uint64())));
    const shapeProto = fromBinary(TensorShapeProtoSchema, p.metadata.subarray(r.pos));
    const elementShape: PartialShape = shapeProto.unknownRank
      ? undefined
      : shapeProto.dim.map((d) => Number(d.size));
    const set = p.tensors.map((t, i) => tensorFromProto(t, `${what} element ${i}`, { own }));
    checkAllocation(DataType.DT_VARIANT, set.length + unset.size);
    const tensors: (Tensor | undefined)[] = [];
    for (let next = 0; tensors.length < set.length + unset.size; ) {
      tensors.push(unset.has(tensors.length) ? undefined : set[next++]);
    }
    return new TensorList(elementDtype, elementShape, tensors, maxNumElements);
  } catch (e) {
    if (isTfError(e)) throw e;
    throw invalidArgument(`${what}: malformed TensorList variant`);
  }
}
