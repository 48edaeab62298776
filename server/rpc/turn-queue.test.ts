import assert from "node:assert/strict";
import { test } from "node:test";
import { TurnQueue } from "./turn-queue.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test("jobs run in order, at most perTurn a turn, with other work between the turns", async () => {
  const queue = new TurnQueue(3, (e) => assert.fail(String(e)));
  const ran: string[] = [];
  for (let i = 0; i < 7; i++) queue.push(() => ran.push(`job ${i}`));
  assert.deepEqual(ran, ["job 0", "job 1", "job 2"], "the turn's budget runs at once, the rest waits");
  assert.equal(queue.size, 4);
  // Queued after the first batch's setImmediate: runs after it, before the second batch.
  setImmediate(() => ran.push("other"));
  await nextTurn();
  await nextTurn();
  await nextTurn();
  await nextTurn();
  assert.deepEqual(ran, ["job 0", "job 1", "job 2", "other", "job 3", "job 4", "job 5", "job 6"]);
  assert.equal(queue.size, 0);
});

test("a job pushed by a running job waits for it, and for the jobs pushed before it", async () => {
  const queue = new TurnQueue(8, (e) => assert.fail(String(e)));
  const ran: string[] = [];
  queue.push(() => {
    ran.push("outer starts");
    queue.push(() => ran.push("inner"));
    ran.push("outer ends");
  });
  queue.push(() => ran.push("after"));
  assert.deepEqual(ran, ["outer starts", "outer ends"]);
  assert.equal(queue.size, 2);
  while (queue.size > 0) await nextTurn();
  assert.deepEqual(ran, ["outer starts", "outer ends", "inner", "after"]);
});

test("a job runs at once when nothing waits, and the jobs run at once count against the turn", async () => {
  const queue = new TurnQueue(2, (e) => assert.fail(String(e)));
  const ran: string[] = [];
  queue.push(() => ran.push("a"));
  queue.push(() => ran.push("b"));
  queue.push(() => ran.push("c"));
  assert.deepEqual(ran, ["a", "b"]);
  await nextTurn();
  assert.deepEqual(ran, ["a", "b"], "the first turn's budget went to a and b");
  await nextTurn();
  assert.deepEqual(ran, ["a", "b", "c"]);
  await nextTurn();
  queue.push(() => ran.push("d"));
  assert.deepEqual(ran, ["a", "b", "c", "d"], "a new turn, nothing waiting: d runs at once");
  assert.equal(queue.size, 0);
});

for (const [where, perTurn] of [
  ["at once", 8],
  ["from the queue", 1],
] as const) {
  test(`a job that throws ${where} is reported and the jobs after it still run`, async () => {
    const errors: unknown[] = [];
    const queue = new TurnQueue(perTurn, (e) => errors.push(e));
    const ran: number[] = [];
    queue.push(() => ran.push(1));
    queue.push(() => {
      throw new Error("boom");
    });
    queue.push(() => ran.push(3));
    while (queue.size > 0) await nextTurn();
    assert.deepEqual(ran, [1, 3]);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /boom/);
    queue.push(() => ran.push(4));
    await nextTurn();
    assert.deepEqual(ran, [1, 3, 4], "the queue still runs jobs");
  });
}
