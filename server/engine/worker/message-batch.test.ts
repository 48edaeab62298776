import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { createOutbox, forEachMessage, type MessageBatch, maxBatch } from "./message-batch.js";

interface M {
  readonly op: string;
  readonly n: number;
}

function recorder() {
  const sent: (M | MessageBatch<M>)[] = [];
  return { sent, outbox: createOutbox<M>((m) => sent.push(m)) };
}

test("messages posted in one turn go as one batch, in order", async () => {
  const { sent, outbox } = recorder();
  for (let n = 0; n < 5; n++) outbox.post({ op: "x", n });
  assert.equal(sent.length, 0, "nothing is sent before the turn ends");
  await turn();
  assert.deepEqual(sent, [{ op: "batch", messages: [0, 1, 2, 3, 4].map((n) => ({ op: "x", n })) }]);
  const seen: number[] = [];
  forEachMessage(sent[0]!, (m) => seen.push(m.n));
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
});

test("a lone message goes as itself; later turns send their own", async () => {
  const { sent, outbox } = recorder();
  outbox.post({ op: "x", n: 1 });
  await turn();
  outbox.post({ op: "y", n: 2 });
  await turn();
  assert.deepEqual(sent, [
    { op: "x", n: 1 },
    { op: "y", n: 2 },
  ]);
  const seen: string[] = [];
  forEachMessage(sent[1]!, (m) => seen.push(m.op));
  assert.deepEqual(seen, ["y"]);
});

test("flush sends at once and clear drops what is queued", async () => {
  const { sent, outbox } = recorder();
  outbox.post({ op: "x", n: 1 });
  outbox.flush();
  assert.deepEqual(sent, [{ op: "x", n: 1 }]);
  outbox.post({ op: "x", n: 2 });
  outbox.clear();
  outbox.flush();
  await turn();
  assert.deepEqual(sent, [{ op: "x", n: 1 }], "a cleared message is never sent, nor an empty batch");
});

test("a batch goes as soon as it is full; the rest waits for the turn's end, in order", async () => {
  const { sent, outbox } = recorder();
  const count = maxBatch * 2 + 3;
  for (let n = 0; n < count; n++) outbox.post({ op: "x", n });
  assert.equal(sent.length, 2, "two full batches went at once");
  await turn();
  assert.equal(sent.length, 3);
  const seen: number[] = [];
  for (const m of sent) forEachMessage(m, (one) => seen.push(one.n));
  assert.deepEqual(
    seen,
    Array.from({ length: count }, (_, n) => n),
  );
  assert.equal((sent[0] as MessageBatch<M>).messages.length, maxBatch);
});
