import assert from "node:assert/strict";
import { test } from "node:test";
import { TurnQueue } from "./turn-queue.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test("jobs run in order, at most perTurn a turn, with other work between the turns", async () => {
  const queue = new TurnQueue(3, (e) => assert.fail(String(e)));
  const ran: string[] = [];
  for (let i = 0; i < 7; i++) queue.push(() => ran.push(`job ${i}`));
  assert.equal(ran.length, 0, "nothing runs in the turn that queued it");
  // Queued after the first batch's setImmediate: runs after it, before the second batch.
  setImmediate(() => ran.push("other"));
  await nextTurn();
  await nextTurn();
  await nextTurn();
  await nextTurn();
  assert.deepEqual(ran, ["job 0", "job 1", "job 2", "other", "job 3", "job 4", "job 5", "job 6"]);
  assert.equal(queue.size, 0);
});

test("a job queued by a job runs after those queued before it", async () => {
  const queue = new TurnQueue(8, (e) => assert.fail(String(e)));
  const ran: number[] = [];
  queue.push(() => {
    ran.push(1);
    queue.push(() => ran.push(3));
  });
  queue.push(() => ran.push(2));
  while (queue.size > 0) await nextTurn();
  await nextTurn();
  assert.deepEqual(ran, [1, 2, 3]);
});

test("a job that throws is reported and the jobs after it still run", async () => {
  const errors: unknown[] = [];
  const queue = new TurnQueue(8, (e) => errors.push(e));
  const ran: number[] = [];
  queue.push(() => ran.push(1));
  queue.push(() => {
    throw new Error("boom");
  });
  queue.push(() => ran.push(3));
  await nextTurn();
  assert.deepEqual(ran, [1, 3]);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /boom/);
});
