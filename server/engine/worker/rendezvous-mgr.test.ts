import assert from "node:assert/strict";
import { test } from "node:test";
import { aborted, cancelled } from "../framework/errors.js";
import { createRendezvousKey } from "../framework/rendezvous.js";
import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { createLocalRendezvous, sendDeviceOfKey } from "./rendezvous-mgr.js";

const CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0";
const CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1";

test("keys have TF's format, incarnation as 16 zero-padded hex digits (unsigned)", () => {
  assert.equal(
    createRendezvousKey(CPU0, 0x1234n, CPU1, "edge_3_a", "0:0"),
    `${CPU0};0000000000001234;${CPU1};edge_3_a;0:0`,
  );
  assert.equal(createRendezvousKey(CPU0, -1n, CPU0, "x:0"), `${CPU0};ffffffffffffffff;${CPU0};x:0;0:0`);
  assert.equal(sendDeviceOfKey(createRendezvousKey(CPU1, 1n, CPU0, "t")), CPU1);
});

test("send before recv and recv before send both deliver; a key sent twice is ABORTED", async () => {
  const r = createLocalRendezvous();
  const t = scalar(DataType.DT_FLOAT, 1.5);
  r.send("k1", { tensor: t, isDead: false });
  assert.equal((await r.recv("k1")).tensor, t);
  const waiting = r.recv("k2");
  r.send("k2", { tensor: undefined, isDead: true });
  assert.equal((await waiting).isDead, true);
  assert.throws(() => r.send("k1", { tensor: t, isDead: false }), /Duplicated send: k1/);
});

test("abort fails pending and later receives; a recv's own signal cancels only it", async () => {
  const r = createLocalRendezvous();
  const c = new AbortController();
  const mine = r.recv("a", c.signal);
  c.abort(cancelled("mine"));
  await assert.rejects(mine, /mine/);
  const pending = r.recv("b");
  r.abort(aborted("step failed"));
  await assert.rejects(pending, /step failed/);
  await assert.rejects(r.recv("c"), /step failed/);
});

test("a key whose sender is on another worker is fetched remotely", async () => {
  const asked: string[] = [];
  const r = createLocalRendezvous({
    isLocalDevice: (d) => d === CPU0,
    remoteRecv: async (key) => {
      asked.push(key);
      return { tensor: scalar(DataType.DT_INT32, 7), isDead: false };
    },
  });
  const key = createRendezvousKey(CPU1, 9n, CPU0, "edge_1_x");
  const v = await r.recv(key);
  assert.deepEqual([...(v.tensor!.data as Int32Array)], [7]);
  assert.deepEqual(asked, [key]);
});
