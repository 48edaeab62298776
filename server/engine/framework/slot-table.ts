// A table of live entries kept in array slots: what the server uses instead of a long-lived Set or
// Map that gains and loses an entry per call (the calls in flight, a session's running steps, a
// device thread's pending replies).
//
// V8 keeps a Set's or Map's entries in a hash table that it replaces with a fresh one whenever
// deleted entries pile up, and a table that churns like that is replaced every few dozen calls. A
// replaced table is not cleared: it keeps its entries and a link to the table that followed it
// (for iterators still walking it). Once a collection lives in the old generation, V8 allocates
// each replacement there too, and every dead old table then keeps the calls it held alive through
// each scavenge, as far as the next mark-compact, along with everything those calls reference.
// On the RPC thread under 64 small calls in flight that was 2.4–2.7 MB promoted per scavenge,
// pauses of 5–7 ms, and a mark-compact every 1.5 s (docs/benchmarks.md, "Tables that churn").
//
// Here an entry's slot is written when it is added and cleared when it is removed, so nothing
// else refers to a call that has ended. The array only grows (to the most entries ever live at
// once), and a freed slot is reused by the next entry: a slot number is the entry's handle, and
// it may serve as an id as long as its owner removes it once.

export class SlotTable<T> {
  private readonly slots: (T | undefined)[] = [];
  /** Free slots below `slots.length`, the most recently freed last. */
  private readonly free: number[] = [];
  private live = 0;

  /** Entries in the table. */
  get size(): number {
    return this.live;
  }

  /** Adds `value` (never undefined) and returns its slot. */
  add(value: T): number {
    const slot = this.free.length > 0 ? (this.free.pop() as number) : this.slots.length;
    this.slots[slot] = value;
    this.live++;
    return slot;
  }

  /** The entry in `slot`, or undefined when the slot is free. */
  get(slot: number): T | undefined {
    return this.slots[slot];
  }

  /**
   * Removes and returns the entry in `slot`; undefined (and nothing removed) when the slot is free,
   * or holds another entry than `expected` when that is given (its own entry was removed and the
   * slot reused since).
   */
  take(slot: number, expected?: T): T | undefined {
    const value = this.slots[slot];
    if (value === undefined || (expected !== undefined && value !== expected)) return undefined;
    this.slots[slot] = undefined;
    this.free.push(slot);
    this.live--;
    return value;
  }

  /** The entries, in slot order (not insertion order). */
  *values(): IterableIterator<T> {
    for (const value of this.slots) if (value !== undefined) yield value;
  }

  /** Removes every entry and returns them. */
  drain(): T[] {
    const all = [...this.values()];
    this.slots.length = 0;
    this.free.length = 0;
    this.live = 0;
    return all;
  }
}

/**
 * A Map for entries keyed from outside (a step id, say) that come and go at the same rate: the
 * Map holds only each key's slot number, and the values live in a SlotTable, so a replaced hash
 * table keeps keys and numbers at most, never the values (a step's rendezvous, its cancellations,
 * its memory account). And every RENEW_EVERY removals the Map itself is made anew with the same
 * entries: young again, its tables are replaced in the young generation, where they cost nothing,
 * instead of piling up in the old one.
 */
export class SlotMap<K, V> {
  static readonly RENEW_EVERY = 256;
  private slotOf = new Map<K, number>();
  private readonly table = new SlotTable<V>();
  private removals = 0;

  get size(): number {
    return this.slotOf.size;
  }

  get(key: K): V | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : this.table.get(slot);
  }

  /** Sets `key`'s value (never undefined), replacing any it had. */
  set(key: K, value: V): this {
    const slot = this.slotOf.get(key);
    if (slot !== undefined) this.table.take(slot);
    this.slotOf.set(key, this.table.add(value));
    return this;
  }

  /** Removes `key`'s entry; false when there was none. */
  delete(key: K): boolean {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    this.slotOf.delete(key);
    this.table.take(slot);
    if (++this.removals % SlotMap.RENEW_EVERY === 0) this.slotOf = new Map(this.slotOf);
    return true;
  }

  /** The values, in slot order. */
  values(): IterableIterator<V> {
    return this.table.values();
  }

  clear(): void {
    this.slotOf.clear();
    this.table.drain();
  }
}
