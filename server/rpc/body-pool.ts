// Shared memory for large request bodies, used again once a call has let go of it.
//
// A fresh SharedArrayBuffer costs more than the bytes copied into it: V8 zeroes it, every 4 KiB
// page faults in on first touch (≈ 1,000 faults per 4 MiB body, 1–5 µs each on a VM), and the
// memory comes back only through garbage collection, which large external buffers make more
// frequent. TensorFlow's allocator hands out memory it already touched; this pool does the same for
// the case that decides a large step's speed, a client sending bodies of one size over and over.
//
// A buffer comes back only when the engine has said that nothing of the step kept the request's
// memory (engine/master/feed-lifetime.ts) and the response that may hold views of it has been
// written (rpc/unary-call.ts). Buffers are matched by exact size, so a reused buffer is overwritten
// whole by the next body of that size and no byte of an earlier request can be read through it.

/** Most idle bytes kept; the oldest idle buffers are dropped beyond it. */
export const bodyPoolIdleBytes = 64 * 1024 * 1024;

export class BodyPool {
  /** Idle buffers, least recently returned first. */
  private readonly idle: SharedArrayBuffer[] = [];
  private idleBytes = 0;

  constructor(private readonly maxIdleBytes: number) {}

  /** A buffer of exactly `byteLength` bytes: an idle one when there is one, else a new one. */
  take(byteLength: number): SharedArrayBuffer {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const buffer = this.idle[i]!;
      if (buffer.byteLength !== byteLength) continue;
      this.idle.splice(i, 1);
      this.idleBytes -= byteLength;
      return buffer;
    }
    return new SharedArrayBuffer(byteLength);
  }

  /** Takes back a buffer that nothing refers to any more. */
  give(buffer: SharedArrayBuffer): void {
    if (buffer.byteLength > this.maxIdleBytes) return;
    this.idle.push(buffer);
    this.idleBytes += buffer.byteLength;
    while (this.idleBytes > this.maxIdleBytes) this.idleBytes -= this.idle.shift()!.byteLength;
  }

  /** Bytes held by idle buffers. */
  get heldBytes(): number {
    return this.idleBytes;
  }
}

/** The pool of the fast paths' request bodies (rpc/shared-body.ts). */
export const requestBodyPool = new BodyPool(bodyPoolIdleBytes);
