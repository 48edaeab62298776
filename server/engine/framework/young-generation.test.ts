import assert from "node:assert/strict";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { runInSlices, type Sliced } from "./slices.js";
import { scavengeWhenYoungFull, YOUNG_LIMIT_BYTES } from "./young-generation.js";

/** Start times of the scavenges while `body` runs (gc entries arrive after a turn of the event loop). */
async function scavengeStarts(body: () => Promise<void> | void): Promise<number[]> {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const detail = (e as PerformanceEntry & { detail?: { kind?: number } }).detail;
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) starts.push(e.startTime);
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    await body();
    await nextTurn();
    await nextTurn();
  } finally {
    observer.disconnect();
  }
  return starts;
}

const within = (starts: number[], from: number, to: number) =>
  starts.filter((t) => t >= from && t <= to).length;

/** Live objects of about `bytes` in the young generation (small arrays, as a graph's build keeps). */
function keepYoung(bytes: number): unknown[] {
  const kept: unknown[] = [];
  for (let i = 0; i < bytes / 64; i++) kept.push([i, i + 1, i + 2]);
  return kept;
}

// V8 sizes the young generation itself (it grows while most of what it holds survives, and may
// shrink after a full collection), so the tests use a limit below its smallest size: 64 KiB.
const SMALL_LIMIT = 64 * 1024;

test("a scavenge is asked for once the young generation holds more than the limit", async () => {
  scavengeWhenYoungFull(SMALL_LIMIT);
  const kept = keepYoung(SMALL_LIMIT * 4);
  let from = 0;
  let to = 0;
  const starts = await scavengeStarts(() => {
    from = performance.now();
    scavengeWhenYoungFull(SMALL_LIMIT);
    to = performance.now();
  });
  assert.equal(within(starts, from, to), 1);
  assert.ok(kept.length > 0);
});

test("the default limit lets a young generation below it be", async () => {
  scavengeWhenYoungFull(SMALL_LIMIT);
  const kept = keepYoung(SMALL_LIMIT);
  let from = 0;
  let to = 0;
  const starts = await scavengeStarts(() => {
    from = performance.now();
    scavengeWhenYoungFull();
    to = performance.now();
  });
  assert.equal(within(starts, from, to), 0);
  assert.ok(kept.length > 0 && SMALL_LIMIT * 2 < YOUNG_LIMIT_BYTES);
});

test("none is asked for right after a scavenge", async () => {
  scavengeWhenYoungFull();
  const starts = await scavengeStarts(() => {
    scavengeWhenYoungFull();
  });
  assert.equal(starts.length, 0);
});

test("runInSlices offers a scavenge after every piece, and other work runs between slices", async () => {
  const events: string[] = [];
  function* pass(): Sliced<number> {
    for (let i = 0; i < 3; i++) {
      const until = performance.now() + 2;
      while (performance.now() < until) {}
      events.push(`piece ${i}`);
      setImmediate(() => events.push(`other ${i}`));
      yield;
    }
    return 3;
  }
  assert.equal(await runInSlices(pass(), 1, () => events.push("scavenge?")), 3);
  assert.deepEqual(events.slice(0, 6), [
    "piece 0",
    "scavenge?",
    "other 0",
    "piece 1",
    "scavenge?",
    "other 1",
  ]);
});
