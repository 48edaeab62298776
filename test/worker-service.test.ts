// TF's WorkerService as tfgate serves it (server/worker-server.ts), called over gRPC at TF's path
// /tensorflow.WorkerService/<Method> the way a TF master or peer worker calls it: devices, worker
// sessions, a partition spanning two devices, RecvTensor waiting for a _Send, TF's codes and
// wording for bad handles, devices, incarnations and repeated request ids, the methods answered
// UNIMPLEMENTED, and principals kept apart. test/tf-worker.test.ts drives the same service from
// TF's own master.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { FastifyInstance } from "fastify";
import { ServerDefSchema } from "../gen/tensorflow/core/protobuf/tensorflow_server_pb.js";
import { WorkerService } from "../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";
import type { AuthOptions } from "../server/auth/authenticator.js";
import { createRendezvousKey } from "../server/engine/framework/rendezvous.js";
import type { WorkerService as WorkerEngine } from "../server/engine/worker/worker-service.js";
import { resolveServerOptions } from "../server/options.js";
import { createWorkerTask } from "../server/worker-command.js";
import { buildWorkerServer } from "../server/worker-server.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";

const TASK = "/job:worker/replica:0/task:1";
const CPU0 = `${TASK}/device:CPU:0`;
const CPU1 = `${TASK}/device:CPU:1`;
const CLIENT = "/job:worker/replica:0/task:0/device:CPU:0";

let engine: WorkerEngine;
let app: FastifyInstance;
let baseUrl: string;
let incarnation0: bigint;

function clientAs(token?: string): Client<typeof WorkerService> {
  return createClient(
    WorkerService,
    createGrpcTransport({
      baseUrl,
      ...(token === undefined
        ? {}
        : {
            interceptors: [
              (next) => (req) => {
                req.header.set("authorization", `Bearer ${token}`);
                return next(req);
              },
            ],
          }),
    }),
  );
}

async function rejects(p: Promise<unknown>, code: Code, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ConnectError, String(e));
    assert.equal(e.code, code, e.rawMessage);
    if (typeof message === "string") assert.equal(e.rawMessage, message);
    else assert.match(e.rawMessage, message);
    return true;
  });
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "tfgate-worker-"));
  const tokens = join(dir, "tokens");
  writeFileSync(tokens, "alice alice-token-0123456789\nbob bob-token-0123456789abc\n");
  const options = resolveServerOptions({ master: { cpuDevices: 2 }, logLevel: "silent" });
  const auth: AuthOptions = { ...options.auth, tokensFile: tokens, allowAnonymous: "loopback" };
  engine = createWorkerTask(options, { job: "worker", task: 1, defaultCluster: new Map() }, () => {});
  app = await buildWorkerServer({
    engine,
    auth,
    maxMessageBytes: options.maxMessageBytes,
    logLevel: "silent",
  });
  baseUrl = await app.listen({ host: "127.0.0.1", port: 0 });
  incarnation0 = engine.getStatus()[0]!.incarnation;
});

after(async () => {
  await app.close();
  await engine.close();
});

/** Const(values) on CPU:1 → Square on CPU:1 → Identity on CPU:0 → _Send to the client on task 0. */
function twoDeviceGraph(values: number[], tensorName: string, task = TASK) {
  const CPU0 = `${task}/device:CPU:0`;
  const CPU1 = `${task}/device:CPU:1`;
  const f = attr.type(DataType.DT_FLOAT);
  return graph(
    { ...constNode("c", DataType.DT_FLOAT, [values.length], values), device: CPU1 },
    node("sq", "Square", { inputs: ["c"], attrs: { T: f }, device: CPU1 }),
    node("id", "Identity", { inputs: ["sq"], attrs: { T: f }, device: CPU0 }),
    node("send", "_Send", {
      inputs: ["id"],
      device: CPU0,
      attrs: {
        T: f,
        tensor_name: attr.string(tensorName),
        send_device: attr.string(CPU0),
        send_device_incarnation: attr.int(BigInt.asIntN(64, incarnation0)),
        recv_device: attr.string(CLIENT),
        client_terminated: attr.bool(false),
      },
    }),
  );
}

test("GetStatus lists the task's devices under its job and task, each with its own incarnation", async () => {
  const { deviceAttributes } = await clientAs().getStatus({});
  assert.deepEqual(
    deviceAttributes.map((d) => [d.name, d.deviceType]),
    [
      [CPU0, "CPU"],
      [CPU1, "CPU"],
    ],
  );
  assert.notEqual(deviceAttributes[0]!.incarnation, 0n);
  assert.notEqual(deviceAttributes[0]!.incarnation, deviceAttributes[1]!.incarnation);
});

test("a partition spanning two devices is split, run, and its _Send is served by RecvTensor", async () => {
  const c = clientAs();
  const serverDef = create(ServerDefSchema, {
    jobName: "worker",
    taskIndex: 1,
    cluster: { job: [{ name: "worker", tasks: { 0: "127.0.0.1:1", 1: "127.0.0.1:2" } }] },
  });
  await c.createWorkerSession({ sessionHandle: "s1", serverDef });
  const { graphHandle } = await c.registerGraph({
    sessionHandle: "s1",
    createWorkerSessionCalled: true,
    graphDef: twoDeviceGraph([1, -2, 3], "edge_1_id"),
  });
  const key = createRendezvousKey(CPU0, incarnation0, CLIENT, "edge_1_id");
  // The receiver asks before the step runs: RecvTensor waits for the _Send.
  const received = c.recvTensor({ stepId: 7n, rendezvousKey: key });
  const run = await c.runGraph({
    sessionHandle: "s1",
    createWorkerSessionCalled: true,
    graphHandle,
    stepId: 7n,
    execOpts: { recordPartitionGraphs: true, recordTimeline: true },
  });
  const value = await received;
  assert.equal(value.isDead, false);
  assert.deepEqual(tensorValues(value.tensor), [1, 4, 9]);
  assert.ok(value.sendStartMicros > 0n);
  // Split by device: one partition graph per device, and per-device step stats.
  assert.deepEqual(run.partitionGraph.map((g) => g.node[0]!.device).sort(), [CPU0, CPU1]);
  assert.deepEqual(run.stepStats?.devStats.map((d) => d.device).sort(), [CPU0, CPU1]);
  await c.cleanupGraph({ stepId: 7n });
  await c.deregisterGraph({ sessionHandle: "s1", createWorkerSessionCalled: true, graphHandle });
  await c.deleteWorkerSession({ sessionHandle: "s1" });
});

test("a ServerDef naming another task renames the session's devices to it (TF's SessionMgr); GetStatus keeps the worker's", async () => {
  const c = clientAs();
  const RENAMED = "/job:ps/replica:0/task:3";
  const serverDef = create(ServerDefSchema, {
    jobName: "ps",
    taskIndex: 3,
    cluster: {
      job: [
        { name: "ps", tasks: { 3: "127.0.0.1:2" } },
        { name: "worker", tasks: { 0: "127.0.0.1:1" } },
      ],
    },
  });
  await c.createWorkerSession({ sessionHandle: "renamed", serverDef, isolateSessionState: true });
  const { graphHandle } = await c.registerGraph({
    sessionHandle: "renamed",
    createWorkerSessionCalled: true,
    graphDef: twoDeviceGraph([2, 3], "renamed_edge", RENAMED),
  });
  // Another task's RecvTensor names the sender as the session does.
  const key = createRendezvousKey(`${RENAMED}/device:CPU:0`, incarnation0, CLIENT, "renamed_edge");
  const received = c.recvTensor({ stepId: 70n, rendezvousKey: key });
  const run = await c.runGraph({
    sessionHandle: "renamed",
    createWorkerSessionCalled: true,
    graphHandle,
    stepId: 70n,
    execOpts: { recordTimeline: true },
  });
  assert.deepEqual(tensorValues((await received).tensor), [4, 9]);
  assert.deepEqual(run.stepStats?.devStats.map((d) => d.device).sort(), [
    `${RENAMED}/device:CPU:0`,
    `${RENAMED}/device:CPU:1`,
  ]);
  // A fetch in RunGraph (recv_key) comes back under the session's key.
  const fetched = await c.runGraph({
    sessionHandle: "renamed",
    createWorkerSessionCalled: true,
    graphHandle,
    stepId: 71n,
    recvKey: [key],
  });
  assert.deepEqual(
    fetched.recv.map((r) => [r.name, tensorValues(r.tensor)]),
    [[key, [4, 9]]],
  );
  assert.equal((await c.getStatus({})).deviceAttributes[0]!.name, CPU0);
  await c.cleanupGraph({ stepId: 70n });
  await c.cleanupGraph({ stepId: 71n });
  await c.deleteWorkerSession({ sessionHandle: "renamed" });
  // Once the session is gone its names mean nothing here.
  await rejects(
    c.recvTensor({ stepId: 72n, rendezvousKey: key }),
    Code.InvalidArgument,
    `${RENAMED}/device:CPU:0 unknown device.`,
  );
});

test("unknown sessions, graphs and devices get TF's codes and wording; the worker keeps serving", async () => {
  const c = clientAs();
  await rejects(
    c.registerGraph({
      sessionHandle: "nope",
      createWorkerSessionCalled: true,
      graphDef: twoDeviceGraph([1], "t"),
    }),
    Code.Aborted,
    `Session handle is not found: nope. Possibly this worker ("${TASK}") just restarted.`,
  );
  await rejects(
    c.createWorkerSession({ sessionHandle: "" }),
    Code.InvalidArgument,
    "Session must be non-empty.",
  );
  // Without create_worker_session_called the legacy session is used.
  await rejects(
    c.runGraph({ graphHandle: "0123", stepId: 1n }),
    Code.Aborted,
    "Graph handle is not found: 0123. Possibly, this worker just restarted.",
  );
  const bad = twoDeviceGraph([1], "t");
  bad.node[0]!.device = "/job:worker/replica:0/task:1/device:CPU:9";
  await rejects(
    c.registerGraph({ graphDef: bad }),
    Code.InvalidArgument,
    "/job:worker/replica:0/task:1/device:CPU:9 unknown device.",
  );
  await rejects(
    c.recvTensor({ stepId: 1n, rendezvousKey: createRendezvousKey(CLIENT, 1n, CPU0, "x") }),
    Code.InvalidArgument,
    `${CLIENT} unknown device.`,
  );
  await rejects(
    c.recvTensor({ stepId: 1n, rendezvousKey: createRendezvousKey(CPU0, 5n, CLIENT, "x") }),
    Code.Aborted,
    `RecvTensor expects a different device incarnation: 5 vs. ${incarnation0}. Your worker job was probably restarted. Check your worker job for the reason why it was restarted.`,
  );
  // Still serving: the legacy session registers and runs.
  const { graphHandle } = await c.registerGraph({ graphDef: twoDeviceGraph([2], "legacy") });
  const received = c.recvTensor({
    stepId: 9n,
    rendezvousKey: createRendezvousKey(CPU0, incarnation0, CLIENT, "legacy"),
  });
  await c.runGraph({ graphHandle, stepId: 9n, requestId: 41n });
  assert.deepEqual(tensorValues((await received).tensor), [4]);
  await rejects(
    c.runGraph({ graphHandle, stepId: 10n, requestId: 41n }),
    Code.Aborted,
    /^The same RunGraph \(GrpcWorker\) request was received twice\./,
  );
  await c.cleanupGraph({ stepId: 9n });
});

test("a failing partition: RunGraph's error in the body with store_errors_in_response_body, else the call's", async () => {
  const c = clientAs();
  const f = attr.type(DataType.DT_FLOAT);
  const g = graph(
    { ...constNode("c", DataType.DT_FLOAT, [1], [0]), device: CPU0 },
    node("inv", "Reciprocal", { inputs: ["c"], attrs: { T: f }, device: CPU0 }),
    node("check", "CheckNumerics", {
      inputs: ["inv"],
      attrs: { T: f, message: attr.string("boom") },
      device: CPU0,
    }),
  );
  const { graphHandle } = await c.registerGraph({ graphDef: g });
  const inBody = await c.runGraph({ graphHandle, stepId: 20n, storeErrorsInResponseBody: true });
  assert.equal(inBody.statusCode, Code.InvalidArgument);
  assert.match(inBody.statusErrorMessage, /^boom : Tensor had Inf values/);
  await rejects(
    c.runGraph({ graphHandle, stepId: 21n }),
    Code.InvalidArgument,
    /^boom : Tensor had Inf values/,
  );
});

test("collective and tracing methods answer UNIMPLEMENTED; Logging and MarkRecvFinished succeed", async () => {
  const c = clientAs();
  await rejects(c.tracing({}), Code.Unimplemented, "Tracing");
  await rejects(
    c.completeGroup({}),
    Code.Unimplemented,
    /^CompleteGroup: tfgate workers have no collective executor/,
  );
  await rejects(c.completeInstance({}), Code.Unimplemented, /^CompleteInstance:/);
  await rejects(c.getStepSequence({}), Code.Unimplemented, /^GetStepSequence:/);
  await rejects(c.recvBuf({}), Code.Unimplemented, /^RecvBuf:/);
  assert.deepEqual((await c.logging({})).step, []);
  await c.markRecvFinished({ requestId: 1n });
});

test("principals are tenants: one's worker session is unknown to another; bad tokens are UNAUTHENTICATED", async () => {
  const alice = clientAs("alice-token-0123456789");
  const bob = clientAs("bob-token-0123456789abc");
  await alice.createWorkerSession({ sessionHandle: "shared-name" });
  const { graphHandle } = await alice.registerGraph({
    sessionHandle: "shared-name",
    createWorkerSessionCalled: true,
    graphDef: twoDeviceGraph([3], "alice"),
  });
  await rejects(
    bob.runGraph({ sessionHandle: "shared-name", createWorkerSessionCalled: true, graphHandle, stepId: 30n }),
    Code.Aborted,
    /^Session handle is not found: shared-name\./,
  );
  await rejects(bob.createWorkerSession({ sessionHandle: "shared-name" }), Code.Aborted, /is in use/);
  // Bob deleting it is a no-op (TF: deleting an unknown session succeeds); Alice's still runs.
  await bob.deleteWorkerSession({ sessionHandle: "shared-name" });
  const received = alice.recvTensor({
    stepId: 31n,
    rendezvousKey: createRendezvousKey(CPU0, incarnation0, CLIENT, "alice"),
  });
  await alice.runGraph({
    sessionHandle: "shared-name",
    createWorkerSessionCalled: true,
    graphHandle,
    stepId: 31n,
  });
  assert.deepEqual(tensorValues((await received).tensor), [9]);
  await alice.deleteWorkerSession({ sessionHandle: "shared-name" });
  await rejects(clientAs("wrong").getStatus({}), Code.Unauthenticated, "the bearer token is not valid");
});
