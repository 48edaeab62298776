// TF's staging map (the StagingMap of core/kernels/map_stage_op.cc): tuples under int64 keys that
// MapStage puts and MapUnstage / MapPeek / MapUnstageNoKey take, kept in the device's ResourceMgr.
// A put may give only some of a tuple's components (`indices`): the tuple waits in an incomplete
// set until every component has come, then joins the map; a take may take only some components,
// and the entry leaves the map when none is left. The ordered kind (OrderedMapStage…) gives
// MapUnstageNoKey the smallest key; the unordered one gives its entries in the order they became
// complete (TF gives its hash map's order, which no client can rely on).
//
// Bounds as for a staging area (capacity counts complete entries, memory_limit bytes as TF's
// Tensor::TotalBytes). TF's byte count is kept as TF keeps it, quirks included (a key put twice
// keeps its first tuple but counts both; MapPeek subtracts what it copied), because it decides
// when a put waits; what the memory ceiling counts is what the map actually holds
// (durable-resources.ts). Waits end with their step, unlike TF's.

import type { CallerSignal } from "../../framework/call-cancellation.js";
import { internal, invalidArgument, resourceExhausted } from "../../framework/errors.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { totalBytes, Waiters } from "./staging-area.js";
import type { ResourceType } from "./step-resources.js";

/** A tuple of the map: a component is undefined until put, and again once taken. */
export type MapTuple = (Tensor | undefined)[];

export const STAGING_MAP_RESOURCE: ResourceType = {
  name: "N10tensorflow12_GLOBAL__N_110StagingMapILb0EEE",
  hash: 0x7374_676d_6170_0000n,
};
export const ORDERED_STAGING_MAP_RESOURCE: ResourceType = {
  name: "N10tensorflow12_GLOBAL__N_110StagingMapILb1EEE",
  hash: 0x7374_676d_6170_0001n,
};

const bytesOf = (ts: readonly (Tensor | undefined)[]) =>
  ts.reduce((a, t) => a + (t === undefined ? 0 : totalBytes(t)), 0);

export class StagingMap {
  private readonly complete = new Map<bigint, MapTuple>();
  private readonly incomplete = new Map<bigint, MapTuple>();
  private bytes = 0;
  private readonly waiters = new Waiters();

  constructor(
    readonly ordered: boolean,
    readonly dtypes: readonly DataType[],
    readonly capacity: number,
    readonly memoryLimit: number,
  ) {}

  private exceedsMemory(bytes: number): boolean {
    return this.memoryLimit > 0 && this.bytes + bytes > this.memoryLimit;
  }

  private checkIndex(key: bigint, index: number): void {
    if (index >= this.dtypes.length || index < 0) {
      throw invalidArgument(`Index '${index}' for key '${key}' was out of bounds '${this.dtypes.length}'.`);
    }
  }

  /** MapStage: waits while the map is full, then puts `values` at `indices` of `key`'s tuple. */
  async put(key: bigint, indices: readonly number[], values: readonly Tensor[], signal?: CallerSignal) {
    checkOrdering(indices);
    const bytes = bytesOf(values);
    if (this.memoryLimit > 0 && bytes > this.memoryLimit) {
      throw resourceExhausted(
        `Attempted to insert tensors with combined size of '${bytes}' bytes into Staging Area with a ` +
          `memory limit of '${this.memoryLimit}'.`,
      );
    }
    const whole = indices.length === this.dtypes.length;
    const full = () => this.capacity > 0 && this.complete.size >= this.capacity;
    await this.waiters.when(signal, () => !this.exceedsMemory(bytes) && (!whole || !full()));
    if (whole) {
      if (!this.complete.has(key)) this.complete.set(key, [...values]);
      this.bytes += bytes;
    } else this.putPart(key, indices, values, bytes);
    this.waiters.wake();
  }

  private putPart(key: bigint, indices: readonly number[], values: readonly Tensor[], bytes: number): void {
    const present = this.incomplete.get(key);
    if (present === undefined) {
      const tuple: MapTuple = new Array(this.dtypes.length).fill(undefined);
      indices.forEach((index, i) => {
        this.checkIndex(key, index);
        tuple[index] = values[i];
      });
      this.incomplete.set(key, tuple);
      this.bytes += bytes;
      return;
    }
    indices.forEach((index, i) => {
      this.checkIndex(key, index);
      if (present[index] !== undefined) {
        throw invalidArgument(
          `The tensor for index '${index}' for key '${key}' was already initialized '${this.dtypes.length}'.`,
        );
      }
      present[index] = values[i];
    });
    this.bytes += bytes;
    if (present.every((t) => t !== undefined)) {
      this.incomplete.delete(key);
      if (!this.complete.has(key)) this.complete.set(key, present);
    }
  }

  /** The components at `indices` of `tuple`, taken out of it unless `copy`. */
  private pick(tuple: MapTuple, key: bigint, indices: readonly number[], copy: boolean): Tensor[] {
    return indices.map((index) => {
      this.checkIndex(key, index);
      const t = tuple[index];
      if (t === undefined) {
        throw invalidArgument(`Tensor at index '${index}' for key '${key}' has already been removed.`);
      }
      if (!copy) tuple[index] = undefined;
      return t;
    });
  }

  /** MapPeek (copy) and MapUnstage: waits for `key`'s complete tuple, returns the components asked. */
  async take(
    key: bigint,
    indices: readonly number[],
    copy: boolean,
    signal?: CallerSignal,
  ): Promise<Tensor[]> {
    checkOrdering(indices);
    await this.waiters.when(signal, () => this.complete.has(key));
    return this.takeFrom(key, indices, copy);
  }

  private takeFrom(key: bigint, indices: readonly number[], copy: boolean): Tensor[] {
    const tuple = this.complete.get(key);
    if (tuple === undefined) throw internal(`Staging map entry ${key} vanished`);
    const out = this.pick(tuple, key, indices, copy);
    if (tuple.every((t) => t === undefined)) this.complete.delete(key);
    this.bytes -= bytesOf(out);
    if (!copy) this.waiters.wake();
    return out;
  }

  /** MapUnstageNoKey: waits for a complete tuple and takes the first (the smallest key if ordered). */
  async takeAny(indices: readonly number[], signal?: CallerSignal): Promise<[bigint, Tensor[]]> {
    checkOrdering(indices);
    await this.waiters.when(signal, () => this.complete.size > 0);
    const key = this.firstKey();
    return [key, this.takeFrom(key, indices, false)];
  }

  private firstKey(): bigint {
    const keys = this.complete.keys();
    if (!this.ordered) return keys.next().value as bigint;
    let min: bigint | undefined;
    for (const k of keys) if (min === undefined || k < min) min = k;
    return min as bigint;
  }

  size(): number {
    return this.complete.size;
  }

  incompleteSize(): number {
    return this.incomplete.size;
  }

  clear(): void {
    this.complete.clear();
    this.incomplete.clear();
    this.bytes = 0;
    this.waiters.wake();
  }

  /** Complete and incomplete entries, and TF's byte count (what a replacement thread is given). */
  stored(): { complete: [bigint, MapTuple][]; incomplete: [bigint, MapTuple][]; bytes: number } {
    return { complete: [...this.complete], incomplete: [...this.incomplete], bytes: this.bytes };
  }

  /** Refills a new map with what `stored()` gave. */
  adopt(s: ReturnType<StagingMap["stored"]>): void {
    for (const [k, t] of s.complete) this.complete.set(k, t);
    for (const [k, t] of s.incomplete) this.incomplete.set(k, t);
    this.bytes = s.bytes;
  }
}

/** TF's check that a put's or take's indices strictly increase. */
function checkOrdering(indices: readonly number[]): void {
  for (let i = 0; i + 1 < indices.length; i++) {
    if (indices[i]! >= indices[i + 1]!) throw invalidArgument("Indices are not strictly ordered");
  }
}

/** The key input of a map op: TF insists on an int64 scalar. */
export function mapKey(t: Tensor): bigint {
  if (t.dtype !== DataType.DT_INT64 || t.rank !== 0) {
    throw invalidArgument(`key must be an int64 scalar, got tensor with shape: ${shapeString(t.shape)}`);
  }
  return (t.data as BigInt64Array)[0]!;
}
