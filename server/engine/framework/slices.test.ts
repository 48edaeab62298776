// Sliced passes (slices.ts): the same generator runs to the end in one go, or in slices with the
// event loop running other work in between; a scope wraps every slice and is closed between them.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInSlices, runToEnd, type Sliced, scoped } from "./slices.js";

/** Busy work for about `ms` per yield, `slices` times; returns how many pieces ran. */
function* busy(slices: number, ms: number): Sliced<number> {
  let done = 0;
  for (let i = 0; i < slices; i++) {
    const until = performance.now() + ms;
    while (performance.now() < until) {}
    done++;
    yield;
  }
  return done;
}

describe("sliced passes", () => {
  it("runToEnd returns the pass's value without giving up the thread", async () => {
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    assert.equal(runToEnd(busy(5, 2)), 5);
    assert.equal(ticked, false);
    await new Promise((r) => setImmediate(r));
    assert.equal(ticked, true);
  });

  it("runInSlices lets other work run between slices and returns the same value", async () => {
    let turns = 0;
    let running = true;
    const other = (async () => {
      while (running) {
        await new Promise((r) => setImmediate(r));
        turns++;
      }
    })();
    // 40 pieces of 1 ms with 2 ms slices: the event loop gets a turn many times.
    const value = await runInSlices(busy(40, 1), 2);
    running = false;
    await other;
    assert.equal(value, 40);
    assert.ok(turns >= 5, `${turns} turns`);
  });

  it("an error thrown by the pass rejects runInSlices", async () => {
    function* failing(): Sliced<void> {
      yield;
      throw new RangeError("bad graph");
    }
    await assert.rejects(runInSlices(failing()), /bad graph/);
  });

  it("scoped opens its scope around each slice, never across a turn of the event loop", async () => {
    let open = false;
    const seenOpen: boolean[] = [];
    function* pass(): Sliced<string> {
      for (let i = 0; i < 3; i++) {
        seenOpen.push(open);
        yield;
      }
      return "done";
    }
    const around = <R>(f: () => R): R => {
      open = true;
      try {
        return f();
      } finally {
        open = false;
      }
    };
    let openDuringTurn = false;
    const watcher = setInterval(() => {
      openDuringTurn ||= open;
    }, 0);
    assert.equal(await runInSlices(scoped(pass(), around), 0), "done");
    clearInterval(watcher);
    assert.deepEqual(seenOpen, [true, true, true]);
    assert.equal(openDuringTurn, false);
  });
});
