// TF's staging area (the Buffer of core/kernels/stage_op.cc): a FIFO of tuples that Stage puts and
// Unstage takes, kept in the device's ResourceMgr so that it outlives steps. Bounded by a count
// (capacity) and by bytes (memory_limit), either 0 for none: a Stage that does not fit waits until
// something is taken, an Unstage or a StagePeek past the end waits until something is put. TF's
// waits cannot be cancelled; here a wait ends with its step (cancelled, deadline), so a
// forgotten Unstage does not hold a worker's step slot forever.
//
// The staging area outlives its worker thread (docs/architecture.md, "Resources that outlive a
// worker thread"): its durable state is its bounds and its tuples, and its tuples count in the
// server's memory ceiling (kernels/util/durable-resources.ts).

import type { CallerSignal } from "../../framework/call-cancellation.js";
import { cancelled, isTfError, resourceExhausted } from "../../framework/errors.js";
import type { Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import type { ResourceType } from "./step-resources.js";

export type StagedTuple = readonly Tensor[];

/** TF's type of the staging area in the ResourceMgr (its TypeIndex name). */
export const STAGING_AREA_RESOURCE: ResourceType = {
  name: "N10tensorflow12_GLOBAL__N_16BufferE",
  hash: 0x7374_6167_696e_6721n,
};

/** A caller waiting for the staging area to change. */
interface Waiter {
  /** True once the caller's wait is over (it then did its work). */
  readonly ready: () => boolean;
}

/** Bytes of a tensor as TF's Tensor::TotalBytes counts them (a string: 24 bytes and its length). */
export function totalBytes(t: Tensor): number {
  if (t.dtype === DataType.DT_STRING) {
    let n = 0;
    for (const s of t.data as readonly Uint8Array[]) n += 24 + s.byteLength;
    return n;
  }
  const d = t.data;
  return ArrayBuffer.isView(d) ? d.byteLength : 8 * t.numElements;
}

const tupleBytes = (tuple: StagedTuple) => tuple.reduce((a, t) => a + totalBytes(t), 0);

export class StagingArea {
  private readonly tuples: StagedTuple[] = [];
  private bytes = 0;
  private readonly waiters = new Waiters();

  constructor(
    readonly capacity: number,
    readonly memoryLimit: number,
  ) {}

  private get bounded(): boolean {
    return this.capacity > 0 || this.memoryLimit > 0;
  }

  private fits(bytes: number): boolean {
    const countOk = this.capacity === 0 || this.tuples.length < this.capacity;
    const bytesOk = this.memoryLimit === 0 || this.bytes + bytes <= this.memoryLimit;
    return countOk && bytesOk;
  }

  /** Stage: waits while the area is full, then appends `tuple`. */
  put(tuple: StagedTuple, signal?: CallerSignal): Promise<void> {
    const bytes = tupleBytes(tuple);
    if (this.memoryLimit > 0 && bytes > this.memoryLimit) {
      return Promise.reject(
        resourceExhausted(
          `Attempted to insert tensors with combined size of '${bytes}' bytes into Staging Area with a ` +
            `memory limit of '${this.memoryLimit}'.`,
        ),
      );
    }
    return this.waiters.when(signal, () => {
      if (this.bounded && !this.fits(bytes)) return false;
      this.tuples.push(tuple);
      this.bytes += bytes;
      return true;
    });
  }

  /** Unstage: waits for a tuple and takes the oldest. */
  async get(signal?: CallerSignal): Promise<StagedTuple> {
    let out: StagedTuple | undefined;
    await this.waiters.when(signal, () => {
      const t = this.tuples.shift();
      if (t === undefined) return false;
      this.bytes -= tupleBytes(t);
      out = t;
      return true;
    });
    return out!;
  }

  /** StagePeek: waits until there is a tuple at `index` and returns it, leaving it in place. */
  async peek(index: number, signal?: CallerSignal): Promise<StagedTuple> {
    let out: StagedTuple | undefined;
    await this.waiters.when(signal, () => {
      out = this.tuples[index];
      return out !== undefined;
    });
    return out!;
  }

  size(): number {
    return this.tuples.length;
  }

  clear(): void {
    this.tuples.length = 0;
    this.bytes = 0;
    this.waiters.wake();
  }

  /** The tuples in order (what a replacement thread is given, see adopt). */
  stored(): readonly StagedTuple[] {
    return this.tuples;
  }

  /** Refills a new staging area with tuples `stored()` gave. */
  adopt(tuples: readonly StagedTuple[]): void {
    for (const t of tuples) {
      this.tuples.push(t);
      this.bytes += tupleBytes(t);
    }
  }
}

/**
 * Callers waiting for a staging area or map to change (TF's condition variables). `when` runs
 * `attempt` now, or each time the area changes until it succeeds; the step's signal ends the wait.
 * Every success wakes the other waiters (TF notifies all: which one can go on is not known).
 */
export class Waiters {
  private readonly list: Waiter[] = [];

  when(signal: CallerSignal | undefined, attempt: () => boolean): Promise<void> {
    if (signal?.aborted) return Promise.reject(reasonOf(signal));
    if (attempt()) {
      this.wake();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.list.indexOf(waiter);
        if (at >= 0) this.list.splice(at, 1);
        reject(reasonOf(signal));
      };
      const waiter: Waiter = {
        ready: () => {
          if (!attempt()) return false;
          signal?.removeEventListener("abort", onAbort);
          resolve();
          return true;
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.list.push(waiter);
    });
  }

  /** Lets waiters that can now go on do so, until none can. */
  wake(): void {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const w of [...this.list]) {
        if (!w.ready()) continue;
        this.list.splice(this.list.indexOf(w), 1);
        progressed = true;
      }
    }
  }
}

function reasonOf(signal: CallerSignal | undefined): unknown {
  return isTfError(signal?.reason) ? signal.reason : cancelled("Staging area operation was cancelled");
}
