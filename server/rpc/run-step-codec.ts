// Hand-written protobuf encoding of RunStepResponse and RunCallableResponse, the two answers that
// carry tensors. TF's gRPC server does the same for RecvTensor (tensorflow/core/distributed_runtime/
// rpc/grpc_tensor_coding.cc): it writes the few bytes of message framing itself and hands each
// tensor's content to the transport as a buffer of its own, so a fetched tensor is never copied into
// a serialized message. Here the result is a list of chunks: small chunks hold the framing (tags,
// lengths, names, dtypes, shapes, status) and every `tensor_content` of at least `viewMinBytes` is
// its own chunk, a view of the engine's bytes. The bytes are exactly protobuf-es `toBinary`'s (fields
// in number order, proto3 defaults left out); parts this module has no reason to hand-code (the
// repeated *_val fields of string, resource and variant tensors, RunMetadata, unknown fields) are
// encoded by `toBinary` and placed where it would put them. docs/benchmarks.md has the measurements.

import { toBinary } from "@bufbuild/protobuf";
import { type TensorProto, TensorProtoSchema } from "../../gen/tensorflow/core/framework/tensor_pb.js";
import {
  type TensorShapeProto,
  TensorShapeProtoSchema,
} from "../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { type RunMetadata, RunMetadataSchema } from "../../gen/tensorflow/core/protobuf/config_pb.js";
import {
  type RunCallableResponse,
  RunCallableResponseSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import type { NamedTensorProto } from "../../gen/tensorflow/core/protobuf/named_tensor_pb.js";

/** A serialized message as the chunks to write, in order, and their total length. */
export interface EncodedMessage {
  readonly chunks: readonly Uint8Array[];
  readonly byteLength: number;
}

/** Tensor contents at least this long are passed on as views; shorter ones are copied (cheaper). */
export const viewMinBytes = 512;

const wireVarint = 0;
const wireLengthDelimited = 2;

/** Bytes of the varint encoding of a non-negative integer below 2^53. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Bytes of an int32 or enum field's value: negative values take ten (sign-extended to 64 bits). */
function int32Size(n: number): number {
  return n < 0 ? 10 : varintSize(n);
}

function int64Size(n: bigint): number {
  let v = BigInt.asUintN(64, n);
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

const lengthDelimitedSize = (length: number): number => 1 + varintSize(length) + length;

/** The part of a tensor's encoding worked out before writing: sizes, and what toBinary encodes. */
interface TensorPlan {
  readonly tensor: TensorProto;
  readonly shapeSize: number;
  /** The shape's bytes when it has fields this module leaves to toBinary. */
  readonly shapeBytes: Uint8Array | undefined;
  /** Fields 5..18 and unknown fields, as toBinary writes them after tensor_content. */
  readonly tail: Uint8Array | undefined;
  readonly size: number;
}

function hasUnknown(m: { readonly $unknown?: readonly unknown[] | undefined }): boolean {
  return m.$unknown !== undefined && m.$unknown.length > 0;
}

function shapeIsPlain(shape: TensorShapeProto): boolean {
  if (hasUnknown(shape)) return false;
  for (const dim of shape.dim) if (hasUnknown(dim)) return false;
  return true;
}

function plainShapeSize(shape: TensorShapeProto): number {
  let size = 0;
  for (const dim of shape.dim) {
    let dimSize = 0;
    if (dim.size !== 0n) dimSize += 1 + int64Size(dim.size);
    if (dim.name !== "") dimSize += lengthDelimitedSize(Buffer.byteLength(dim.name));
    size += lengthDelimitedSize(dimSize);
  }
  if (shape.unknownRank) size += 2;
  return size;
}

/** True when a field after tensor_content is set, so toBinary must encode the tail. */
function hasTail(t: TensorProto): boolean {
  return (
    t.floatVal.length > 0 ||
    t.doubleVal.length > 0 ||
    t.intVal.length > 0 ||
    t.stringVal.length > 0 ||
    t.scomplexVal.length > 0 ||
    t.int64Val.length > 0 ||
    t.boolVal.length > 0 ||
    t.dcomplexVal.length > 0 ||
    t.halfVal.length > 0 ||
    t.resourceHandleVal.length > 0 ||
    t.variantVal.length > 0 ||
    t.uint32Val.length > 0 ||
    t.uint64Val.length > 0 ||
    t.float8Val.length > 0 ||
    hasUnknown(t)
  );
}

const emptyBytes = new Uint8Array(0);

function planTensor(t: TensorProto): TensorPlan {
  let shapeBytes: Uint8Array | undefined;
  let shapeSize = 0;
  if (t.tensorShape !== undefined) {
    if (shapeIsPlain(t.tensorShape)) shapeSize = plainShapeSize(t.tensorShape);
    else {
      shapeBytes = toBinary(TensorShapeProtoSchema, t.tensorShape);
      shapeSize = shapeBytes.length;
    }
  }
  const tail = hasTail(t)
    ? toBinary(TensorProtoSchema, {
        ...t,
        dtype: 0,
        tensorShape: undefined,
        versionNumber: 0,
        tensorContent: emptyBytes,
      })
    : undefined;
  let size = 0;
  if (t.dtype !== 0) size += 1 + int32Size(t.dtype);
  if (t.tensorShape !== undefined) size += lengthDelimitedSize(shapeSize);
  if (t.versionNumber !== 0) size += 1 + int32Size(t.versionNumber);
  if (t.tensorContent.length > 0) size += lengthDelimitedSize(t.tensorContent.length);
  if (tail !== undefined) size += tail.length;
  return { tensor: t, shapeSize, shapeBytes, tail, size };
}

/**
 * Writes into one preallocated buffer of exactly the framing's size, and splits the output where a
 * tensor content goes in as a view.
 */
class ChunkWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly buffer: Buffer;
  private start = 0;
  private offset = 0;

  constructor(smallBytes: number) {
    this.buffer = Buffer.allocUnsafe(smallBytes);
  }

  varint(n: number): void {
    while (n >= 0x80) {
      this.buffer[this.offset++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buffer[this.offset++] = n;
  }

  int32(n: number): void {
    if (n >= 0) this.varint(n);
    else this.int64(BigInt(n));
  }

  int64(n: bigint): void {
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      this.buffer[this.offset++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.offset++] = Number(v);
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  copy(bytes: Uint8Array): void {
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  string(field: number, s: string): void {
    const length = Buffer.byteLength(s);
    this.tag(field, wireLengthDelimited);
    this.varint(length);
    this.offset += this.buffer.write(s, this.offset, "utf8");
  }

  /** Bytes that become their own chunk (no copy). */
  view(bytes: Uint8Array): void {
    if (this.offset > this.start) this.chunks.push(this.buffer.subarray(this.start, this.offset));
    this.chunks.push(bytes);
    this.start = this.offset;
  }

  finish(): Uint8Array[] {
    if (this.offset !== this.buffer.length) {
      throw new Error(`run-step-codec: wrote ${this.offset} framing bytes, planned ${this.buffer.length}`);
    }
    if (this.offset > this.start) this.chunks.push(this.buffer.subarray(this.start, this.offset));
    return this.chunks;
  }
}

function writeShape(w: ChunkWriter, shape: TensorShapeProto): void {
  for (const dim of shape.dim) {
    const nameLength = dim.name === "" ? 0 : Buffer.byteLength(dim.name);
    const dimSize =
      (dim.size !== 0n ? 1 + int64Size(dim.size) : 0) +
      (dim.name !== "" ? lengthDelimitedSize(nameLength) : 0);
    w.tag(2, wireLengthDelimited);
    w.varint(dimSize);
    if (dim.size !== 0n) {
      w.tag(1, wireVarint);
      w.int64(dim.size);
    }
    if (dim.name !== "") w.string(2, dim.name);
  }
  if (shape.unknownRank) {
    w.tag(3, wireVarint);
    w.varint(1);
  }
}

/** Writes the tensor's fields (not its own tag and length). */
function writeTensor(w: ChunkWriter, plan: TensorPlan): void {
  const t = plan.tensor;
  if (t.dtype !== 0) {
    w.tag(1, wireVarint);
    w.int32(t.dtype);
  }
  if (t.tensorShape !== undefined) {
    w.tag(2, wireLengthDelimited);
    w.varint(plan.shapeSize);
    if (plan.shapeBytes !== undefined) w.copy(plan.shapeBytes);
    else writeShape(w, t.tensorShape);
  }
  if (t.versionNumber !== 0) {
    w.tag(3, wireVarint);
    w.int32(t.versionNumber);
  }
  if (t.tensorContent.length > 0) {
    w.tag(4, wireLengthDelimited);
    w.varint(t.tensorContent.length);
    if (t.tensorContent.length >= viewMinBytes) w.view(t.tensorContent);
    else w.copy(t.tensorContent);
  }
  if (plan.tail !== undefined) w.copy(plan.tail);
}

/** Bytes of a tensor's encoding that go to the framing buffer (all but its views). */
function framingBytes(plan: TensorPlan): number {
  const content = plan.tensor.tensorContent.length;
  return content >= viewMinBytes ? plan.size - content : plan.size;
}

/** One repeated tensor-carrying field element: a NamedTensorProto, or a bare TensorProto. */
interface ElementPlan {
  readonly size: number;
  readonly framing: number;
  write(w: ChunkWriter): void;
}

function planBareTensor(field: number, t: TensorProto): ElementPlan {
  const plan = planTensor(t);
  const outer = 1 + varintSize(plan.size);
  return {
    size: outer + plan.size,
    framing: outer + framingBytes(plan),
    write(w) {
      w.tag(field, wireLengthDelimited);
      w.varint(plan.size);
      writeTensor(w, plan);
    },
  };
}

function planNamedTensor(field: number, named: NamedTensorProto): ElementPlan {
  const nameSize = named.name === "" ? 0 : lengthDelimitedSize(Buffer.byteLength(named.name));
  const plan = named.tensor === undefined ? undefined : planTensor(named.tensor);
  const inner = nameSize + (plan === undefined ? 0 : lengthDelimitedSize(plan.size));
  const outer = 1 + varintSize(inner);
  const views = plan === undefined ? 0 : plan.size - framingBytes(plan);
  return {
    size: outer + inner,
    framing: outer + inner - views,
    write(w) {
      w.tag(field, wireLengthDelimited);
      w.varint(inner);
      if (named.name !== "") w.string(1, named.name);
      if (plan !== undefined) {
        w.tag(2, wireLengthDelimited);
        w.varint(plan.size);
        writeTensor(w, plan);
      }
    },
  };
}

/** Field 2 holding an empty RunMetadata: what nearly every step answers. */
const emptyMetadataBytes = Uint8Array.of((2 << 3) | wireLengthDelimited, 0);

/** The RunMetadata fields isEmptyRunMetadata looks at (run-step-codec.test.ts checks the schema has no other). */
export const runMetadataFieldNames = [
  "stepStats",
  "costGraph",
  "partitionGraphs",
  "functionGraphs",
  "sessionMetadata",
] as const;

/** True when `md` would encode to zero bytes; checked field by field, far cheaper than toBinary. */
export function isEmptyRunMetadata(md: RunMetadata): boolean {
  return (
    md.stepStats === undefined &&
    md.costGraph === undefined &&
    md.partitionGraphs.length === 0 &&
    md.functionGraphs.length === 0 &&
    md.sessionMetadata === undefined &&
    (md.$unknown === undefined || md.$unknown.length === 0)
  );
}

/** Field 2 of both responses: RunMetadata, encoded by toBinary (it is rare and small). */
function metadataBytes(res: RunStepResponse | RunCallableResponse): Uint8Array | undefined {
  if (res.metadata === undefined) return undefined;
  // Shared: assemble() only copies what it is given.
  if (isEmptyRunMetadata(res.metadata)) return emptyMetadataBytes;
  const body = toBinary(RunMetadataSchema, res.metadata);
  const out = Buffer.allocUnsafe(lengthDelimitedSize(body.length));
  const w = new ChunkWriter(out.length);
  w.tag(2, wireLengthDelimited);
  w.varint(body.length);
  w.copy(body);
  return Buffer.concat(w.finish());
}

function assemble(
  elements: readonly ElementPlan[],
  rest: Uint8Array | undefined,
  reserve: number,
): EncodedMessage {
  let size = 0;
  let framing = reserve;
  for (const e of elements) {
    size += e.size;
    framing += e.framing;
  }
  if (rest !== undefined) {
    size += rest.length;
    framing += rest.length;
  }
  const w = new ChunkWriter(framing);
  for (let i = 0; i < reserve; i++) w.varint(0);
  for (const e of elements) e.write(w);
  if (rest !== undefined) w.copy(rest);
  return { chunks: w.finish(), byteLength: size };
}

function whole(bytes: Uint8Array, reserve: number): EncodedMessage {
  if (reserve === 0) return { chunks: [bytes], byteLength: bytes.length };
  const out = Buffer.allocUnsafe(reserve + bytes.length);
  out.fill(0, 0, reserve);
  out.set(bytes, reserve);
  return { chunks: [out], byteLength: bytes.length };
}

/**
 * Encodes a RunStepResponse. `reserve` zero bytes are put before the message in the first chunk
 * (a transport's frame header goes there; `byteLength` does not count them).
 */
export function encodeRunStepResponse(res: RunStepResponse, reserve = 0): EncodedMessage {
  if (hasUnknown(res) || res.tensor.some(hasUnknown)) {
    return whole(toBinary(RunStepResponseSchema, res), reserve);
  }
  const elements = res.tensor.map((named) => planNamedTensor(1, named));
  const meta = metadataBytes(res);
  let statusSize = 0;
  if (res.statusCode !== 0) statusSize += 1 + int32Size(res.statusCode);
  if (res.statusErrorMessage !== "") {
    statusSize += lengthDelimitedSize(Buffer.byteLength(res.statusErrorMessage));
  }
  let rest: Uint8Array | undefined = meta;
  if (statusSize > 0) {
    const w = new ChunkWriter((meta?.length ?? 0) + statusSize);
    if (meta !== undefined) w.copy(meta);
    if (res.statusCode !== 0) {
      w.tag(3, wireVarint);
      w.int32(res.statusCode);
    }
    if (res.statusErrorMessage !== "") w.string(4, res.statusErrorMessage);
    rest = Buffer.concat(w.finish());
  }
  return assemble(elements, rest, reserve);
}

/** Encodes a RunCallableResponse; `reserve` as for encodeRunStepResponse. */
export function encodeRunCallableResponse(res: RunCallableResponse, reserve = 0): EncodedMessage {
  if (hasUnknown(res)) return whole(toBinary(RunCallableResponseSchema, res), reserve);
  const elements = res.fetch.map((t) => planBareTensor(1, t));
  return assemble(elements, metadataBytes(res), reserve);
}
