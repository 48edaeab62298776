// BarrierTakeMany of fewer than no elements where TF cannot be recorded or the answer needs other
// steps: TF waits while no tuple is ready (testdata/barrier-fixtures.json records the waits that
// end at a deadline), ends the wait OUT_OF_RANGE when the ready queue is closed empty (checked
// against TF 2.21 with a second thread closing the barrier), and aborts its process when a tuple is
// there to take, failing a shape check; tfgate fails that step with the check's status instead and
// leaves the tuple where it was.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTfError, tfCodeName } from "../../framework/errors.js";
import { Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { Barrier } from "./barrier.js";

const F = DataType.DT_FLOAT;
const key = (k: string) => new TextEncoder().encode(k);
const floats = (xs: number[]) => new Tensor(F, [xs.length], new Float32Array(xs));

/** A barrier "b" of (float, float) with key "k" complete (`ready`) or given only component 0. */
async function barrier(ready: boolean): Promise<Barrier> {
  const b = new Barrier([F, F], [[], []], "b");
  await b.insertMany([key("k")], 0, floats([1]));
  if (ready) await b.insertMany([key("k")], 1, floats([2]));
  return b;
}

function rejectsWith(p: Promise<unknown>, code: string, message: string): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(isTfError(e), String(e));
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.equal(e.message, message);
    return true;
  });
}

const NEGATIVE_SHAPE = "Expected shape dimensions to be non-negative, got -1";

describe("BarrierTakeMany of fewer than no elements", () => {
  for (const small of [false, true]) {
    test(`a ready tuple fails the take with TF's shape check and stays (allow_small_batch ${small})`, async () => {
      const b = await barrier(true);
      await rejectsWith(b.takeMany(-1, small), "INVALID_ARGUMENT", NEGATIVE_SHAPE);
      assert.equal(b.readySize(), 1);
      const [indices] = await b.takeMany(1, small);
      assert.deepEqual(indices!.shape, [1]);
    });
  }

  test("a waiting take fails when a tuple becomes ready, which stays", async () => {
    const b = await barrier(false);
    const waiting = b.takeMany(-1, false);
    await b.insertMany([key("k")], 1, floats([2]));
    await rejectsWith(waiting, "INVALID_ARGUMENT", NEGATIVE_SHAPE);
    assert.equal(b.readySize(), 1);
  });

  test("a waiting take ends OUT_OF_RANGE when the barrier is closed cancelling pending inserts", async () => {
    const b = await barrier(false);
    const waiting = b.takeMany(-1, false);
    await b.close(true);
    await rejectsWith(
      waiting,
      "OUT_OF_RANGE",
      "PriorityQueue 'b_queue' is closed and has insufficient elements (requested -1, current size 0)",
    );
  });

  test("a take on a barrier closed with an incomplete key waits (the key may complete) until its step ends", async () => {
    const b = await barrier(false);
    await b.close(false);
    const step = new AbortController();
    const waiting = b.takeMany(-1, false, step.signal);
    step.abort();
    await assert.rejects(waiting, (e: unknown) => isTfError(e) && tfCodeName(e.code) === "CANCELLED");
    assert.equal(b.incompleteSize(), 1);
  });
});
