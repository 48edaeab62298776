import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getHeapSpaceStatistics } from "node:v8";
import { SlotMap, SlotTable } from "./slot-table.js";
import { gcExtension } from "./young-generation.js";

describe("SlotTable", () => {
  test("an entry is found by its slot until taken, and a freed slot is reused", () => {
    const table = new SlotTable<string>();
    const a = table.add("a");
    const b = table.add("b");
    assert.notEqual(a, b);
    assert.equal(table.size, 2);
    assert.equal(table.get(a), "a");
    assert.equal(table.take(a), "a");
    assert.equal(table.get(a), undefined);
    assert.equal(table.take(a), undefined, "a second take finds nothing");
    assert.equal(table.size, 1);
    assert.equal(table.add("c"), a, "the freed slot serves the next entry");
    assert.deepEqual([...table.values()].sort(), ["b", "c"]);
  });

  test("a take with the entry it expects leaves a reused slot's new entry alone", () => {
    const table = new SlotTable<object>();
    const first = {};
    const slot = table.add(first);
    table.take(slot, first);
    const second = {};
    assert.equal(table.add(second), slot);
    assert.equal(table.take(slot, first), undefined);
    assert.equal(table.get(slot), second);
    assert.equal(table.take(slot, second), second);
    assert.equal(table.size, 0);
  });

  test("entries removed while the values are walked are not visited again", () => {
    const table = new SlotTable<number>();
    const slots = [1, 2, 3, 4].map((n) => table.add(n));
    const seen: number[] = [];
    for (const n of table.values()) {
      seen.push(n);
      if (n === 1) table.take(slots[2]!);
    }
    assert.deepEqual(seen, [1, 2, 4]);
  });

  test("drain empties the table and returns what it held", () => {
    const table = new SlotTable<string>();
    table.add("x");
    table.take(table.add("y"));
    table.add("z");
    assert.deepEqual(drainSorted(table), ["x", "z"]);
    assert.equal(table.size, 0);
    assert.equal(table.add("w"), 0, "slots start again from the first");
  });

  // The reason the table exists: a Set that lives in the old generation and churns (one entry in
  // and one out per call) keeps its removed entries alive through scavenges, so they are promoted.
  // The same churn through a Set grows the old generation by about 7 MiB here.
  test("entries churned through an old table are collected by scavenges, not promoted", () => {
    const table = new SlotTable<{ payload: number[] }>();
    const live: { slot: number; value: { payload: number[] } }[] = [];
    const grownKiB = oldGenerationGrowthKiB((i) => {
      const value = { payload: new Array<number>(32).fill(i) };
      live.push({ slot: table.add(value), value });
      if (live.length > 64) {
        const done = live.shift()!;
        table.take(done.slot, done.value);
      }
    });
    assert.ok(grownKiB < 1024, `the old generation grew by ${grownKiB.toFixed(0)} KiB`);
    assert.equal(table.size, 64);
  });
});

/**
 * How much the old generation grows (KiB) while `churn(i)` runs 20,000 times with a scavenge every
 * 5,000, starting from a table already promoted by two full collections.
 */
function oldGenerationGrowthKiB(churn: (i: number) => void): number {
  const gc = gcExtension();
  assert.ok(gc !== undefined, "V8's gc extension is available");
  gc({ type: "major", execution: "sync" });
  gc({ type: "major", execution: "sync" });
  const before = oldSpaceBytes();
  for (let i = 0; i < 20_000; i++) {
    churn(i);
    if (i % 5000 === 0) gc({ type: "minor", execution: "sync" });
  }
  gc({ type: "minor", execution: "sync" });
  gc({ type: "minor", execution: "sync" });
  return (oldSpaceBytes() - before) / 1024;
}

function drainSorted(table: SlotTable<string>): string[] {
  return table.drain().sort();
}

function oldSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === "old_space")?.space_used_size ?? 0;
}

describe("SlotMap", () => {
  test("entries are set, found, replaced and removed by key", () => {
    const map = new SlotMap<bigint, string>();
    map.set(1n, "a").set(2n, "b");
    assert.equal(map.size, 2);
    assert.equal(map.get(1n), "a");
    map.set(1n, "c");
    assert.equal(map.get(1n), "c");
    assert.equal(map.size, 2);
    assert.equal(map.delete(1n), true);
    assert.equal(map.delete(1n), false);
    assert.equal(map.get(1n), undefined);
    assert.deepEqual([...map.values()], ["b"]);
    map.clear();
    assert.equal(map.size, 0);
    assert.equal(map.get(2n), undefined);
  });

  test("values churned through a map are collected by scavenges, not promoted", () => {
    const map = new SlotMap<bigint, { payload: number[] }>();
    const grownKiB = oldGenerationGrowthKiB((i) => {
      map.set(BigInt(i), { payload: new Array<number>(32).fill(i) });
      if (i >= 64) map.delete(BigInt(i - 64));
    });
    // A plain Map grows the old generation by about 8 MiB here.
    assert.ok(grownKiB < 1024, `the old generation grew by ${grownKiB.toFixed(0)} KiB`);
    assert.equal(map.size, 64);
  });
});
