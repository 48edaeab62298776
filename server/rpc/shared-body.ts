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

/**
 * Joins `chunks` (`length` bytes in all: one gRPC frame, its 5-byte header first) into shared
 * memory, shifted so that the bytes field at `path` inside the frame's message starts at a
 * multiple of 8 when it lies in the first chunk. A compressed frame is only joined.
 */
export function joinShared(chunks: readonly Uint8Array[], length: number, path: readonly number[]): Buffer {
  const first = chunks[0];
  const headerBytes = 5;
  const compressed = first !== undefined && first.length > 0 && (first[0]! & 1) === 1;
  const at = compressed || first === undefined ? undefined : payloadOffset(first, headerBytes, length, path);
  const shift = at === undefined ? 0 : (align - (at % align)) % align;
  const out = Buffer.from(new SharedArrayBuffer(length + shift), shift, length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
