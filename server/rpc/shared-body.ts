// A large request body assembled straight into shared memory, placed so that its first feed's
// tensor_content starts aligned: the engine then adopts those bytes as the feed's storage instead
// of copying them (docs/architecture.md, "Tensor bytes"), and the device thread reads them where
// the transport put them.
//
// The body's chunks have to be joined into one buffer anyway (protobuf decodes contiguous bytes),
// so writing them into a SharedArrayBuffer costs the same copy; what it saves is the engine's
// second copy into fresh shared memory (page faults included) and 4 MiB of garbage per 4 MiB feed,
// which on the benchmark VM was ~7 ms of the RPC thread's time per step plus the garbage
// collections it triggered (docs/benchmarks.md, "Step overhead"). Only the first feed is placed:
// one large tensor is the case that matters, and the others are copied as before.
//
// The copy is made while the body arrives (BodyGather): once half of a body whose length is known
// (a gRPC frame header, a Content-Length) has come in, the shared memory is allocated, the chunks
// so far are copied into it and every later chunk as it arrives, so when the body ends only its
// last chunk is left to copy, and the chunks are garbage young. Not sooner than half: the memory a
// call holds stays within twice what its client has actually sent (a client announcing a large
// body and then stalling gets no large allocation for it).

import { copyIntoShared } from "../engine/framework/shared-copy.js";
import type { SharedMemoryPool } from "../engine/framework/shared-memory-pool.js";

/** Bodies smaller than this are joined in ordinary memory (a small feed is cheap to copy). */
export const sharedBodyMinBytes = 1024 * 1024;

/** Alignment that suits every dtype's storage (float64, int64, complex128 parts). */
const align = 8;

/**
 * Field numbers from a request message down to the tensor_content whose bytes should be aligned:
 * RunStepRequest.feed (2) → NamedTensorProto.tensor (2) → TensorProto.tensor_content (4);
 * RunCallableRequest.feed (3) → TensorProto.tensor_content (4).
 */
export const feedContentPaths: Readonly<Record<string, readonly number[]>> = {
  "tensorflow.RunStepRequest": [2, 2, 4],
  "tensorflow.RunCallableRequest": [3, 4],
};

/** A varint at `pos` of `buf` (up to 35 bits, enough for lengths): [value, next position]. */
function varint(buf: Uint8Array, pos: number): [number, number] | undefined {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= buf.length) return undefined;
    const b = buf[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
  }
  return undefined;
}

/**
 * Where the payload of the first length-delimited field at `path` starts in `buf` (a message that
 * begins at `start` and ends at `end`, which may lie beyond `buf`), or undefined when it is not
 * within `buf` or the bytes are not a well-formed message so far (the decoder reports that later).
 */
export function payloadOffset(
  buf: Uint8Array,
  start: number,
  end: number,
  path: readonly number[],
): number | undefined {
  let pos = start;
  while (pos < end && pos < buf.length) {
    const tag = varint(buf, pos);
    if (tag === undefined) return undefined;
    const [key, afterTag] = tag;
    const wire = key & 7;
    if (wire === 2) {
      const len = varint(buf, afterTag);
      if (len === undefined) return undefined;
      const [length, payload] = len;
      if (Math.floor(key / 8) === path[0]) {
        return path.length === 1 ? payload : payloadOffset(buf, payload, payload + length, path.slice(1));
      }
      pos = payload + length;
    } else if (wire === 0) {
      const v = varint(buf, afterTag);
      if (v === undefined) return undefined;
      pos = v[1];
    } else if (wire === 1) pos = afterTag + 8;
    else if (wire === 5) pos = afterTag + 4;
    else return undefined;
  }
  return undefined;
}

/** The first chunks, up to this many bytes, are walked to find the feed (see headOf). */
const walkBytes = 64 * 1024;

/**
 * The start of the body that the walk for the feed reads: the first chunk, or when that is short
 * (HTTP/1.1 may deliver a few bytes first), the first chunks joined up to walkBytes.
 */
function headOf(chunks: readonly Uint8Array[]): Uint8Array | undefined {
  const first = chunks[0];
  if (first === undefined || first.length >= walkBytes || chunks.length === 1) return first;
  const head: Uint8Array[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    if (bytes >= walkBytes) break;
    head.push(chunk);
    bytes += chunk.length;
  }
  return Buffer.concat(head);
}

/**
 * Shared memory for a body of `length` bytes whose message starts at `messageStart` (5 after a
 * gRPC frame header, 0 for a bare Connect message), shifted so that the bytes field at `path`
 * starts at a multiple of 8 when the walk finds it in `head`. A compressed gRPC frame is not walked.
 */
function sharedFor(
  head: Uint8Array | undefined,
  length: number,
  messageStart: number,
  path: readonly number[],
  pool?: SharedMemoryPool,
): Buffer {
  const compressed = messageStart > 0 && head !== undefined && head.length > 0 && (head[0]! & 1) === 1;
  const at = compressed || head === undefined ? undefined : payloadOffset(head, messageStart, length, path);
  const shift = at === undefined ? 0 : (align - (at % align)) % align;
  if (pool === undefined) return Buffer.from(new SharedArrayBuffer(length + shift), shift, length);
  const memory = pool.take(length + shift);
  // The few bytes before the body may be an earlier body's: nothing reads them, but they are cleared.
  new Uint8Array(memory, 0, shift).fill(0);
  return Buffer.from(memory, shift, length);
}

/**
 * Joins `chunks` (`length` bytes in all: one gRPC frame, its 5-byte header first, unless
 * `messageStart` says the message starts elsewhere) into shared memory, shifted so that the bytes
 * field at `path` inside the message starts at a multiple of 8 when it lies in the first chunks. A
 * compressed frame is only joined.
 */
export function joinShared(
  chunks: readonly Uint8Array[],
  length: number,
  path: readonly number[],
  messageStart = 5,
): Buffer {
  const out = sharedFor(headOf(chunks), length, messageStart, path);
  let offset = 0;
  for (const chunk of chunks) {
    copyIntoShared(out, offset, chunk);
    offset += chunk.length;
  }
  return out;
}

/**
 * A request body gathered chunk by chunk into one buffer: shared memory, filled as the body
 * arrives, for a large body whose length is known (see the header); ordinary memory, joined at the
 * end, for the rest.
 */
export class BodyGather {
  /** Chunks not yet copied anywhere. */
  private chunks: Buffer[] = [];
  /** Bytes pushed so far. */
  length = 0;
  /** The body's shared memory once allocated, and how much of it is filled. */
  private placed: Buffer | undefined;
  private filled = 0;
  /** Bytes past the announced length (a malformed body: the caller reports it). */
  private extra: Buffer[] = [];
  private shareable: boolean;
  /** The whole body's length, when known. */
  private expected: number | undefined;

  /**
   * `messageStart`: where the message begins in the body (5 after a gRPC frame header, 0 for a
   * bare Connect message). `path`: the feed whose bytes are aligned (feedContentPaths); without
   * one the body is never put in shared memory.
   */
  constructor(
    private readonly messageStart: number,
    private readonly path: readonly number[] | undefined,
    private readonly pool?: SharedMemoryPool,
  ) {
    this.shareable = path !== undefined;
  }

  /**
   * The shared memory that holds exactly this body, when it came from the pool: the caller gives
   * it back once nothing refers to it (rpc/body-pool.ts). Undefined for any other body.
   */
  pooledMemory(): SharedArrayBuffer | undefined {
    const placed = this.placed;
    if (this.pool === undefined || placed === undefined) return undefined;
    if (this.filled !== placed.length || this.extra.length > 0) return undefined;
    return placed.buffer as SharedArrayBuffer;
  }

  /** True once the body goes into shared memory (what has arrived is there already). */
  get shared(): boolean {
    return this.placed !== undefined;
  }

  /** Keeps the body in ordinary memory (a compressed body: its decompressed copy is what counts). */
  keepOrdinary(): void {
    this.shareable = false;
  }

  /**
   * The whole body's length, as announced (a gRPC frame header, Content-Length, both checked
   * against the size limit first): a large body can then go into shared memory as it arrives.
   */
  expect(length: number): void {
    this.expected = length;
    this.placeWhenDue();
  }

  /** Adds a chunk. */
  push(chunk: Buffer): void {
    this.length += chunk.length;
    if (this.placed !== undefined) {
      this.copyIn(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.placeWhenDue();
  }

  private placeWhenDue(): void {
    const expected = this.expected;
    if (
      this.placed === undefined &&
      this.shareable &&
      expected !== undefined &&
      expected >= sharedBodyMinBytes &&
      this.length * 2 >= expected
    ) {
      this.place(expected);
    }
  }

  /** The byte at `offset` of the body (which must have arrived). */
  byteAt(offset: number): number {
    if (this.placed !== undefined) {
      if (offset < this.filled) return this.placed[offset]!;
      offset -= this.filled;
      for (const chunk of this.extra) {
        if (offset < chunk.length) return chunk[offset]!;
        offset -= chunk.length;
      }
      return 0;
    }
    for (const chunk of this.chunks) {
      if (offset < chunk.length) return chunk[offset]!;
      offset -= chunk.length;
    }
    return 0;
  }

  /** The whole body as one buffer (shared memory when it is large and the feed could be sought). */
  bytes(): Buffer {
    if (this.placed !== undefined) {
      if (this.filled === this.placed.length && this.extra.length === 0) return this.placed;
      // A body that ended short of, or went past, its announced length: joined for the error report.
      return Buffer.concat([this.placed.subarray(0, this.filled), ...this.extra]);
    }
    if (this.shareable && this.length >= sharedBodyMinBytes) return this.place(this.length);
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Allocates the shared memory for a body of `length` bytes and copies in what has arrived. */
  private place(length: number): Buffer {
    const placed = sharedFor(headOf(this.chunks), length, this.messageStart, this.path!, this.pool);
    this.placed = placed;
    const pending = this.chunks;
    this.chunks = [];
    for (const chunk of pending) this.copyIn(chunk);
    return placed;
  }

  private copyIn(chunk: Buffer): void {
    const placed = this.placed!;
    const room = placed.length - this.filled;
    if (chunk.length <= room) {
      copyIntoShared(placed, this.filled, chunk);
      this.filled += chunk.length;
      return;
    }
    if (room > 0) {
      copyIntoShared(placed, this.filled, chunk.subarray(0, room));
      this.filled += room;
    }
    this.extra.push(chunk.subarray(room));
  }
}
