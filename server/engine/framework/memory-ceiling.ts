// The server's memory ceiling (--max-memory-bytes, docs/security.md): the bytes every running
// step has allocated, on every worker thread together, may not pass one limit. TF has no such
// limit beyond its device allocators, each of which is bounded by the device's memory; here the
// devices are threads of one process sharing the machine's RAM, so one process-wide bound is what
// keeps a burst of steps (one per session, per principal) from taking the process down.
//
// Step accounts (StepMemoryAccount in tensor.ts) live on worker threads, so the count lives in a
// SharedArrayBuffer: one 64-bit slot per worker, written with Atomics by its own worker only. A
// charge adds to its own slot and then sums all slots; over the limit it takes the bytes back and
// is refused. Two threads charging at once may both be refused, never both admitted past the
// limit. A worker thread that dies leaves its slot behind; the master zeroes it (resetSlot) when
// it replaces the thread, so a crash cannot leak the ceiling.
//
// State that outlives steps (variables, queue elements, lookup tables) is counted too, in a second
// slot per worker (resourceSlot): what the worker's resource directory holds. That slot is not
// zeroed when a thread is replaced, because the replacement adopts the same resources
// (worker/resource-directory.ts); it shrinks when resources are deleted (Reset, a closed session).

import { readFileSync } from "node:fs";
import { totalmem } from "node:os";

/** What a worker needs to charge the shared count: passed to worker threads as is. */
export interface MemoryCeilingShare {
  /** Two BigInt64 slots per worker: its steps' (slot i), its resources' (resourceSlot). */
  readonly buffer: SharedArrayBuffer;
  /** The ceiling in bytes. */
  readonly limit: number;
}

/** Makes the shared count of a server with `workers` workers. */
export function createMemoryCeilingShare(limit: number, workers: number): MemoryCeilingShare {
  return { buffer: new SharedArrayBuffer(16 * Math.max(1, workers)), limit };
}

/** The slot counting the long-lived resources of the worker whose step slot is `slot`. */
export function resourceSlot(share: MemoryCeilingShare, slot: number): number {
  return share.buffer.byteLength / 16 + slot;
}

/** One worker's view of the ceiling: charges go to its own slot. */
export class MemoryCeiling {
  private readonly slots: BigInt64Array;
  readonly limit: number;

  constructor(
    share: MemoryCeilingShare,
    /** This worker's slot. */
    readonly slot: number,
  ) {
    this.slots = new BigInt64Array(share.buffer);
    this.limit = share.limit;
    if (slot < 0 || slot >= this.slots.length) throw new RangeError(`no memory slot ${slot}`);
  }

  /** Adds `bytes` unless that takes the total past the limit; true when charged. */
  tryCharge(bytes: number): boolean {
    const b = BigInt(Math.ceil(bytes));
    Atomics.add(this.slots, this.slot, b);
    if (this.total() <= this.limit) return true;
    Atomics.sub(this.slots, this.slot, b);
    return false;
  }

  /** Adds without a check (a value moving between scopes; the next charge checks). */
  add(bytes: number): void {
    Atomics.add(this.slots, this.slot, BigInt(Math.ceil(bytes)));
  }

  release(bytes: number): void {
    Atomics.sub(this.slots, this.slot, BigInt(Math.ceil(bytes)));
  }

  /** Bytes charged by all workers together. */
  total(): number {
    let sum = 0n;
    for (let i = 0; i < this.slots.length; i++) sum += Atomics.load(this.slots, i);
    return Number(sum);
  }
}

/** Forgets what a dead worker thread had charged (its steps failed with it). */
export function resetSlot(share: MemoryCeilingShare, slot: number): void {
  Atomics.store(new BigInt64Array(share.buffer), slot, 0n);
}

/**
 * The default ceiling: half of the memory this process may use, which is the machine's memory or
 * the cgroup's limit when that is lower (a container). Half leaves room for what is not counted:
 * V8's heaps, feeds and fetches being encoded, state that outlives steps without being kept in a
 * worker's resource directory (barriers, staging areas, dataset caches).
 */
export function defaultMaxMemoryBytes(): number {
  const available = Math.min(totalmem(), cgroupMemoryLimit() ?? Number.POSITIVE_INFINITY);
  return Math.max(64 * 1024 ** 2, Math.floor(available / 2 / 1024 ** 2) * 1024 ** 2);
}

/** The cgroup (v2, else v1) memory limit of this process in bytes, if it has one. */
function cgroupMemoryLimit(): number | undefined {
  for (const file of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8").trim();
    } catch {
      continue;
    }
    const bytes = Number(text);
    // "max" (v2) or a huge number (v1's "unlimited") means no limit.
    if (Number.isSafeInteger(bytes) && bytes > 0) return bytes;
  }
  return undefined;
}
