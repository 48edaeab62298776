// tfgate's master driving real TensorFlow worker tasks (tf.distribute.Server) over TF's
// WorkerService (server/engine/worker/remote-worker.ts, docs/architecture.md "Remote workers").
//
// 1. TF's own Python client runs the same programs (test/tf/remote_workers_client.py) through
//    TensorFlow's master and through tfgate, both driving the same two worker tasks: a graph
//    pinned across the tasks, a training loop with its variables on one task and its compute on
//    the other, a while loop whose frame spans both tasks, and RunMetadata partition graphs. The
//    answers must be identical: TensorFlow's master is the expected value.
// 2. Faults, through tfgate's engine: a task killed in the middle of a step fails that step
//    UNAVAILABLE naming the task, steps that do not touch it keep running in the same session, and
//    once it is back the session re-registers its graphs on the new incarnation. A deadline
//    cancels the remote step on the task.
//
// Needs the TensorFlow venv (scripts/setup-tf.sh): without it the tests skip, except under CI=true.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  MakeCallableRequestSchema,
  RunCallableRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { buildApp } from "../server/app.js";
import { isTfError, TfCode } from "../server/engine/framework/errors.js";
import { clusterDefFromJson } from "../server/engine/master/cluster.js";
import { createMaster } from "../server/engine/master/master.js";
import { resolveServerOptions } from "../server/options.js";
import { createRemoteWorker } from "../server/rpc/remote-worker.js";
import { startGatewayWorkerService } from "../server/worker-command.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { openSession } from "./support/session.js";
import { freePort, runTfPython, startTfTask, type TfTask, tfAvailable } from "./support/tf-cluster.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const client = join(repoRoot, "test", "tf", "remote_workers_client.py");
const W0 = "/job:worker/replica:0/task:0";
const W1 = "/job:worker/replica:0/task:1";

interface ClientResult {
  pinned: { c: number[][]; d: number; partition_ops: Record<string, string[]>; devices: string[] };
  training: { losses: number[]; w: number[][]; b: number[]; global_step: number };
  while_loop: { i: number; x: number[] };
  flows: number[][];
}

async function runClient(target: string, onlyFlows = false): Promise<ClientResult> {
  const run = await runTfPython([
    client,
    "--target",
    target,
    ...(onlyFlows ? ["--only-flows"] : ["--steps", "8", "--flows"]),
  ]);
  assert.equal(run.code, 0, `remote_workers_client.py against ${target} failed:\n${run.stderr.slice(-4000)}`);
  return JSON.parse(run.stdout) as ClientResult;
}

test("TF's Python client gets the same answers from tfgate as from TensorFlow's master on the same workers", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const [p0, p1, master, gate, gateWorker] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const workers = { worker: [`127.0.0.1:${p0}`, `127.0.0.1:${p1}`] };
  // The tasks' own cluster names TensorFlow's master as /job:localhost/task:0; tfgate's names
  // itself in that place (its WorkerService, --worker-port, which the tasks call for RecvTensor)
  // and sends its cluster to the tasks in CreateWorkerSession.
  const tfCluster = { ...workers, localhost: [`127.0.0.1:${master}`] };
  const tasks: TfTask[] = [];
  t.after(() => Promise.all(tasks.map((x) => x.stop())));
  tasks.push(
    ...(await Promise.all([
      startTfTask(tfCluster, "worker", 0),
      startTfTask(tfCluster, "worker", 1),
      startTfTask(tfCluster, "localhost", 0),
    ])),
  );
  const cluster = clusterDefFromJson(JSON.stringify({ ...workers, localhost: [`127.0.0.1:${gateWorker}`] }));
  const options = resolveServerOptions({
    host: "127.0.0.1",
    port: gate,
    logLevel: "silent",
    master: { cluster, cpuDevices: 1 },
  });
  const app = await buildApp(options);
  t.after(() => app.close());
  await app.listen({ port: gate, host: "127.0.0.1" });
  const stopWorkerService = await startGatewayWorkerService(app, options, gateWorker);
  t.after(stopWorkerService);

  const expected = await runClient(`grpc://127.0.0.1:${master}`);
  const actual = await runClient(`grpc://127.0.0.1:${gate}`);

  await t.test("a graph pinned to both tasks: same values", () => {
    assert.deepEqual(actual.pinned.c, expected.pinned.c);
    assert.equal(actual.pinned.d, expected.pinned.d);
  });
  await t.test("RunMetadata partition graphs: one per task device, the same ops as TF's master", () => {
    assert.deepEqual(Object.keys(actual.pinned.partition_ops), [`${W0}/device:CPU:0`, `${W1}/device:CPU:0`]);
    assert.deepEqual(actual.pinned.partition_ops, expected.pinned.partition_ops);
  });
  await t.test("ListDevices: the master's device and every task's", () => {
    assert.deepEqual(actual.pinned.devices, expected.pinned.devices);
  });
  await t.test("training: variables on task 0, compute on task 1: same losses, weights and step", () => {
    assert.deepEqual(actual.training, expected.training);
    assert.equal(actual.training.global_step, 8);
    assert.ok(actual.training.losses.at(-1)! < actual.training.losses[0]!, "the loss goes down");
  });
  await t.test("values cross from tfgate's task to the tasks and back (RecvTensor on tfgate)", () => {
    assert.deepEqual(actual.flows, expected.flows);
    assert.deepEqual(actual.flows, [
      [2, 4],
      [3, 5],
      [9, 15],
      [8, 14],
    ]);
  });
  await t.test("a while loop whose frame spans both tasks", () => {
    assert.deepEqual(actual.while_loop, expected.while_loop);
    assert.equal(actual.while_loop.i, 12);
  });
});

test("--worker-port gateway with --cluster: the cluster names the gateway's own port as tfgate's task", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const [p0, p1, gate] = [await freePort(), await freePort(), await freePort()];
  const workers = { worker: [`127.0.0.1:${p0}`, `127.0.0.1:${p1}`] };
  // One address for tfgate's task: the tasks reach its MasterService port for RecvTensor.
  const tfCluster = { ...workers, localhost: [`127.0.0.1:${gate}`] };
  const tasks: TfTask[] = [];
  t.after(() => Promise.all(tasks.map((x) => x.stop())));
  tasks.push(
    ...(await Promise.all([startTfTask(tfCluster, "worker", 0), startTfTask(tfCluster, "worker", 1)])),
  );
  const options = resolveServerOptions({
    host: "127.0.0.1",
    port: gate,
    logLevel: "silent",
    gatewayWorkerService: true,
    master: { cluster: clusterDefFromJson(JSON.stringify(tfCluster)), cpuDevices: 1 },
  });
  const app = await buildApp(options);
  t.after(() => app.close());
  await app.listen({ port: gate, host: "127.0.0.1" });
  const actual = await runClient(`grpc://127.0.0.1:${gate}`, true);
  // The values TF's own master computes for flows() (checked against it in the test above).
  assert.deepEqual(actual.flows, [
    [2, 4],
    [3, 5],
    [9, 15],
    [8, 14],
  ]);
});

/** Const a on task 0 → Neg on task 0; Const k and AddV2(neg, k) on task 1; a queue on task 1. */
function faultGraph() {
  const f = DataType.DT_FLOAT;
  const on = (n: ReturnType<typeof node>, device: string) => {
    n.device = device;
    return n;
  };
  return graph(
    on(constNode("a", f, [3], [1, 2, 3]), W0),
    node("neg", "Neg", { inputs: ["a"], attrs: { T: attr.type(f) }, device: W0 }),
    on(constNode("k", f, [], [10]), W1),
    node("sum", "AddV2", { inputs: ["neg", "k"], attrs: { T: attr.type(f) }, device: W1 }),
    node("q", "FIFOQueueV2", {
      attrs: { component_types: attr.typeList([f]), capacity: attr.int(-1) },
      device: W1,
    }),
    on(constNode("one", f, [], [1]), W1),
    node("enq", "QueueEnqueueV2", {
      inputs: ["q", "one"],
      attrs: { Tcomponents: attr.typeList([f]) },
      device: W1,
    }),
    node("deq", "QueueDequeueV2", {
      inputs: ["q"],
      attrs: { component_types: attr.typeList([f]) },
      device: W1,
    }),
  );
}

function assertTfError(e: unknown, code: number, text: string): true {
  assert.ok(isTfError(e), `expected a TfError, got ${String(e)}`);
  assert.equal(e.code, code, `code of: ${e.message}`);
  assert.ok(e.message.includes(text), `"${e.message}" should mention ${text}`);
  return true;
}

test("a task that dies fails only the steps that touch it, and is used again once it is back", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const ports = [await freePort(), await freePort()];
  const workers = { worker: ports.map((p) => `127.0.0.1:${p}`) };
  const tasks: TfTask[] = await Promise.all([
    startTfTask(workers, "worker", 0),
    startTfTask(workers, "worker", 1),
  ]);
  t.after(() => Promise.all(tasks.map((x) => x.stop())));
  const m = createMaster({
    cluster: clusterDefFromJson(JSON.stringify(workers)),
    cpuDevices: 1,
    workerThreads: false,
    remoteWorker: createRemoteWorker,
  });
  t.after(() => m.close());
  const s = await openSession(m, faultGraph());

  await t.test("both tasks answer", async () => {
    const [neg, sum] = await s.fetch(["neg:0", "sum:0"]);
    assert.deepEqual(tensorValues(neg), [-1, -2, -3]);
    assert.deepEqual(tensorValues(sum), [9, 8, 7]);
  });

  await t.test("a principal other than anonymous gets an isolated worker session on the tasks", async () => {
    const ctx = { principal: "alice" };
    const created = await m.createSession(
      create(CreateSessionRequestSchema, { graphDef: faultGraph() }),
      ctx,
    );
    const res = await m.runStep(
      create(RunStepRequestSchema, { sessionHandle: created.sessionHandle, fetch: ["sum:0"] }),
      ctx,
    );
    assert.deepEqual(tensorValues(res.tensor[0]?.tensor), [9, 8, 7]);
    await m.closeSession(create(CloseSessionRequestSchema, { sessionHandle: created.sessionHandle }), ctx);
  });

  await t.test(
    "a deadline cancels the remote step: the blocked dequeue no longer waits on the task",
    async () => {
      await assert.rejects(s.run({ fetch: ["deq:0"], options: { timeoutInMs: 300n } }), (e) =>
        assertTfError(e, TfCode.DEADLINE_EXCEEDED, "Timed out"),
      );
      // Had the cancelled dequeue stayed on the task, it would take this element and the next
      // dequeue would block until its own deadline.
      await s.run({ target: ["enq"] });
      const [v] = await s.fetch(["deq:0"], { options: { timeoutInMs: 20_000n } });
      assert.deepEqual(tensorValues(v), [1]);
    },
  );

  // Made before the task dies, run after it is back (below).
  const callable = await m.makeCallable(
    create(MakeCallableRequestSchema, { sessionHandle: s.handle, options: { fetch: ["sum:0"] } }),
  );

  await t.test("killed in the middle of a step: that step fails UNAVAILABLE naming the task", async () => {
    // The step may fail while the kill is still being waited for: observe its outcome from the start.
    const outcome = s.run({ fetch: ["deq:0"] }).then(
      () => assert.fail("the step should have failed"),
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 500));
    await tasks[1]!.kill();
    assertTfError(await outcome, TfCode.UNAVAILABLE, W1);
  });

  await t.test("steps on the surviving task keep running in the same session", async () => {
    const [neg] = await s.fetch(["neg:0"]);
    assert.deepEqual(tensorValues(neg), [-1, -2, -3]);
    await assert.rejects(s.fetch(["sum:0"]), (e) => assertTfError(e, TfCode.UNAVAILABLE, W1));
  });

  await t.test(
    "new sessions: UNAVAILABLE naming the dead task, unless device_filters leave it out",
    async () => {
      await assert.rejects(openSession(m, faultGraph()), (e) => assertTfError(e, TfCode.UNAVAILABLE, W1));
      const only0 = await openSession(m, graph(...faultGraph().node.slice(0, 2)), {
        deviceFilters: ["/job:worker/task:0"],
      });
      const [neg] = await only0.fetch(["neg:0"]);
      assert.deepEqual(tensorValues(neg), [-1, -2, -3]);
      await only0.close();
    },
  );

  await t.test("restarted: the session registers its graphs again on the new incarnation", async () => {
    tasks[1] = await startTfTask(workers, "worker", 1);
    const [sum] = await s.fetch(["sum:0"]);
    assert.deepEqual(tensorValues(sum), [9, 8, 7]);
  });

  await t.test("a callable made before the restart is rebuilt for the new incarnation", async () => {
    const res = await m.runCallable(
      create(RunCallableRequestSchema, { sessionHandle: s.handle, handle: callable.handle }),
    );
    assert.deepEqual(tensorValues(res.fetch[0]), [9, 8, 7]);
  });

  await t.test("CloseSession: the session's state on both tasks is gone", async () => {
    await s.close();
    await assert.rejects(s.fetch(["neg:0"]), (e) => assertTfError(e, TfCode.ABORTED, "not found"));
  });
});
