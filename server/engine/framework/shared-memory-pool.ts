// Shared memory used again once it is known to be free, instead of fresh memory for every large
// buffer.
//
// A fresh SharedArrayBuffer costs more than the bytes written into it: V8 zeroes it, every 4 KiB
// page faults in on first touch (about 1,000 faults per 4 MiB, 1–20 µs each on a VM), and the
// memory comes back only through garbage collection, which large external buffers make more
// frequent. TensorFlow's allocators hand out memory they already touched. Two pools do the same
// here: the fast paths' request bodies (rpc/body-pool.ts) and each thread's large tensor storage
// (framework/tensor.ts). What goes back to a pool must be unreachable by anything that could still
// read or write it; the rules for each are in docs/architecture.md, "Tensor bytes".
//
// Buffers are matched by exact size: a reused buffer is overwritten whole, or zeroed, by its next
// user, so no byte of an earlier user can be read through it.

export class SharedMemoryPool {
  /** Idle buffers, least recently returned first. */
  private readonly idle: SharedArrayBuffer[] = [];
  private idleBytes = 0;

  /** `maxIdleBytes`: most idle bytes kept; the oldest idle buffers are dropped beyond it. */
  constructor(private readonly maxIdleBytes: number) {}

  /** An idle buffer of exactly `byteLength` bytes (its old contents in it), or undefined. */
  reuse(byteLength: number): SharedArrayBuffer | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const buffer = this.idle[i]!;
      if (buffer.byteLength !== byteLength) continue;
      this.idle.splice(i, 1);
      this.idleBytes -= byteLength;
      return buffer;
    }
    return undefined;
  }

  /** A buffer of exactly `byteLength` bytes: an idle one when there is one, else a new one. */
  take(byteLength: number): SharedArrayBuffer {
    return this.reuse(byteLength) ?? new SharedArrayBuffer(byteLength);
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
