import assert from "node:assert/strict";
import { test } from "node:test";
import { aborted, cancelled } from "../framework/errors.js";
import { createRendezvousKey } from "../framework/rendezvous.js";
import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  createLocalRendezvous,
  createRendezvousMgr,
  recvDeviceOfKey,
  sendDeviceOfKey,
} from "./rendezvous-mgr.js";

const CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0";
const CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1";

test("keys have TF's format, incarnation as 16 zero-padded hex digits (unsigned)", () => {
  assert.equal(
    createRendezvousKey(CPU0, 0x1234n, CPU1, "edge_3_a", "0:0"),
    `${CPU0};0000000000001234;${CPU1};edge_3_a;0:0`,
  );
  assert.equal(createRendezvousKey(CPU0, -1n, CPU0, "x:0"), `${CPU0};ffffffffffffffff;${CPU0};x:0;0:0`);
  assert.equal(sendDeviceOfKey(createRendezvousKey(CPU1, 1n, CPU0, "t")), CPU1);
  assert.equal(recvDeviceOfKey(createRendezvousKey(CPU1, 1n, CPU0, "t")), CPU0);
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

test("a value for another worker's device is pushed at send time; its recv waits locally; late pushes are dropped", async () => {
  const t = scalar(DataType.DT_FLOAT, 2.5);
  const key = createRendezvousKey(CPU0, 1n, CPU1, "edge_1_x");
  // Worker A owns CPU:0 and pushes to B, which owns CPU:1.
  const mgrB = createRendezvousMgr({
    isLocalDevice: (d) => d === CPU1,
    remoteRecv: () => Promise.reject(new Error("B must not ask A: values from CPU:0 are pushed")),
    pushedFrom: (d) => d === CPU0,
  });
  const pushed: [bigint, string][] = [];
  const mgrA = createRendezvousMgr({
    isLocalDevice: (d) => d === CPU0,
    remoteSend: (stepId, k, v) => {
      pushed.push([stepId, k]);
      mgrB.deliver(stepId, k, v);
      return true;
    },
  });
  const waiting = mgrB.find(7n).recv(key);
  mgrA.find(7n).send(key, { tensor: t, isDead: false });
  assert.deepEqual(pushed, [[7n, key]]);
  assert.equal((await waiting).tensor, t);
  // The sender still refuses a second send of the key.
  assert.throws(() => mgrA.find(7n).send(key, { tensor: t, isDead: false }), /Duplicated send/);
  // A push for a step B has finished is dropped rather than reviving its rendezvous.
  mgrB.cleanup(8n);
  mgrB.deliver(8n, key, { tensor: t, isDead: false });
  const stop = new AbortController();
  const late = mgrB.find(8n).recv(key, stop.signal);
  setTimeout(() => stop.abort(cancelled("nothing came")), 50);
  await assert.rejects(late, /nothing came/);
});
