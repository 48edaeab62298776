// TF's Barrier (core/kernels/barrier_ops.cc): tuples under string keys whose components arrive
// separately (BarrierInsertMany, one component for many keys at a time). A key's tuple waits in an
// incomplete set until all its components came, then moves to a ready queue — TF's own
// PriorityQueue (queue-base.ts), keyed by the insertion index the key got when it was first seen —
// where BarrierTakeMany takes [indices, keys, components…] in batches. Keys first seen in one
// InsertMany share its index; the index counts up from the smallest int64, as TF's does.
//
// The barrier outlives its worker thread (docs/architecture.md, "Resources that outlive a worker
// thread"): its durable state is its flags, its insertion index, the incomplete tuples and the
// ready queue's elements in heap order; its tensors count in the server's memory ceiling.

import type { CallerSignal } from "../../framework/call-cancellation.js";
import { cancelled, invalidArgument, outOfRange } from "../../framework/errors.js";
import { shapeString, Tensor, type TensorData } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { PriorityQueue, type Tuple, UNBOUNDED } from "./queue-base.js";
import type { ResourceType } from "./step-resources.js";

/** TF's Barrier type in the ResourceMgr (its TypeIndex name). */
export const BARRIER_RESOURCE: ResourceType = {
  name: "N10tensorflow7barrier7BarrierE",
  hash: 0x6261_7272_6965_7200n,
};

const INT64_MIN = -(2n ** 63n);
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
const text = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8");

/** A key's tuple while some of its components have not come. */
export interface IncompleteTuple {
  readonly key: Uint8Array;
  readonly index: bigint;
  readonly components: (Tensor | undefined)[];
}

/** Everything a replacement thread needs to make the same barrier (see Barrier.stored/adopt). */
export interface BarrierState {
  readonly closed: boolean;
  readonly queueClosed: boolean;
  readonly queueCancelled: boolean;
  readonly cancelPending: boolean;
  readonly inputIndex: bigint;
  readonly incomplete: readonly IncompleteTuple[];
  readonly ready: readonly Tuple[];
}

/** Row `i` of `values` (its first dimension dropped): one key's component. */
function row(values: Tensor, i: number, shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = values.data;
  const data = ArrayBuffer.isView(d)
    ? (d as unknown as { subarray(a: number, b: number): TensorData }).subarray(i * n, (i + 1) * n).slice()
    : (d as readonly unknown[]).slice(i * n, (i + 1) * n);
  return new Tensor(values.dtype, shape, data as TensorData);
}

export class Barrier {
  private closed = false;
  private queueClosed = false;
  private queueCancelled = false;
  private cancelPending = false;
  private inputIndex = INT64_MIN;
  private readonly incomplete = new Map<string, IncompleteTuple>();
  readonly ready: PriorityQueue;

  constructor(
    readonly dtypes: readonly DataType[],
    readonly shapes: readonly (readonly number[])[],
    readonly name: string,
  ) {
    this.ready = new PriorityQueue(
      UNBOUNDED,
      [DataType.DT_INT64, DataType.DT_STRING, ...dtypes],
      [[], [], ...shapes],
      `${name}_queue`,
    );
  }

  incompleteSize(): number {
    return this.incomplete.size;
  }

  readySize(): number {
    return this.ready.size();
  }

  /** BarrierInsertMany: component `ci` of each key's tuple is the key's row of `values`. */
  async insertMany(keys: readonly Uint8Array[], ci: number, values: Tensor): Promise<void> {
    if (keys.length > 0 && values.numElements === 0) {
      throw invalidArgument(
        `Tensors with no elements are not supported ${this.name}: received shape ${shapeString(values.shape)}`,
      );
    }
    if (this.closed && (this.cancelPending || (keys.length > 0 && this.incomplete.size === 0))) {
      throw cancelled(
        `Barrier ${this.name} is closed.  Pending enqueues cancelled: ${Number(this.cancelPending)}.  Number of new ` +
          `insertions: ${keys.length}.  Number of incomplete keys: ${this.incomplete.size}.`,
      );
    }
    const shape = values.shape.slice(1);
    const done: Tuple[] = [];
    let fresh = false;
    try {
      keys.forEach((key, i) => {
        fresh = this.insertOne(key, i, ci, row(values, i, shape), done) || fresh;
      });
    } finally {
      if (fresh) this.inputIndex++;
    }
    for (const tuple of done) await this.ready.enqueue(tuple);
  }

  /** Puts one key's component; pushes the tuple to `done` once complete; true for a new key. */
  private insertOne(key: Uint8Array, i: number, ci: number, value: Tensor, done: Tuple[]): boolean {
    const k = latin1(key);
    let element = this.incomplete.get(k);
    let fresh = false;
    if (element === undefined) {
      if (this.closed) {
        throw cancelled(
          `Barrier ${this.name} is closed, but attempted to insert a brand new key: ${text(key)}.  Pending ` +
            `enqueues cancelled: ${Number(this.cancelPending)}.  Insertion index: ${i}.  Number of incomplete keys: ` +
            `${this.incomplete.size}.`,
        );
      }
      element = { key, index: this.inputIndex, components: new Array(this.dtypes.length).fill(undefined) };
      this.incomplete.set(k, element);
      fresh = true;
    }
    if (element.components[ci] !== undefined) {
      throw invalidArgument(
        `Key ${text(key)} already has a value for component ${ci} in barrier ${this.name}`,
      );
    }
    element.components[ci] = value;
    if (element.components.every((c) => c !== undefined)) {
      const tuple: Tuple = [
        new Tensor(DataType.DT_INT64, [], BigInt64Array.of(element.index)),
        new Tensor(DataType.DT_STRING, [], [key]),
        ...(element.components as Tensor[]),
      ];
      this.incomplete.delete(k);
      this.ready.validateTuple(tuple);
      done.push(tuple);
    }
    return fresh;
  }

  /** BarrierTakeMany: [indices, keys, components…] of `n` ready tuples (fewer if allowed). */
  takeMany(n: number, allowSmallBatch: boolean, signal?: CallerSignal): Promise<Tuple> {
    let deliver = n;
    if (this.closed) {
      let available = this.ready.size();
      if (allowSmallBatch) deliver = Math.min(n, available);
      else available += this.incomplete.size;
      if (available < Math.max(deliver, 1)) {
        return Promise.reject(
          outOfRange(
            `Barrier '${this.name}' is closed and has insufficient elements (requested ${deliver}, total size ${available})`,
          ),
        );
      }
    }
    return this.ready.dequeueMany(deliver, allowSmallBatch, signal);
  }

  /** BarrierClose: no new keys; with cancel, incomplete tuples are dropped too. */
  async close(cancel: boolean): Promise<void> {
    if (this.closed && (this.cancelPending || !cancel)) {
      throw cancelled(`Barrier '${this.name}' is already closed.`);
    }
    this.cancelPending = cancel;
    this.closed = true;
    if (!cancel && this.incomplete.size > 0) return;
    this.incomplete.clear();
    if ((!cancel && this.queueClosed) || (cancel && this.queueCancelled)) return;
    this.queueClosed = true;
    if (cancel) this.queueCancelled = true;
    if (!this.ready.closed) await this.ready.close(cancel);
  }

  stored(): BarrierState {
    const { closed, queueClosed, queueCancelled, cancelPending, inputIndex } = this;
    const incomplete = [...this.incomplete.values()];
    return {
      closed,
      queueClosed,
      queueCancelled,
      cancelPending,
      inputIndex,
      incomplete,
      ready: this.ready.stored(),
    };
  }

  /** Refills a new barrier with what `stored()` gave. */
  adopt(s: BarrierState): void {
    this.closed = s.closed;
    this.queueClosed = s.queueClosed;
    this.queueCancelled = s.queueCancelled;
    this.cancelPending = s.cancelPending;
    this.inputIndex = s.inputIndex;
    for (const e of s.incomplete) this.incomplete.set(latin1(e.key), e);
    this.ready.adopt(s.ready, s.queueClosed);
  }
}
