// ClusterSpec propagation (ConfigProto.cluster_def) through tfgate's master
// (server/engine/master/session-cluster.ts): TF's own Python client runs the same programs
// (test/tf/session_cluster_client.py) against TensorFlow's master and against tfgate, each naming
// two TF worker tasks that are in neither server's own cluster, and the answers must be the same:
// values, the session's devices, two sessions whose clusters differ, and TF's errors for bad
// ClusterDefs. Then the operator's switch (--session-clusters): "off" and "listed" refuse before
// any connection is made, which a listening socket that must see no connection checks. With
// --worker-port gateway the TF tasks also take feeds and values from tfgate's own task
// (RecvTensor at the target); without it such a graph is refused, naming the flag.
//
// Needs the TensorFlow venv (scripts/setup-tf.sh): without it the tests skip, except under CI=true.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { ConfigProtoSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
  ListDevicesRequestSchema,
  ResetRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { buildApp } from "../server/app.js";
import { parseDeviceName } from "../server/engine/device/device-name.js";
import type { Device } from "../server/engine/device/device-set.js";
import { isTfError, TfCode, unavailable } from "../server/engine/framework/errors.js";
import { clusterDefFromJson } from "../server/engine/master/cluster.js";
import { createMaster } from "../server/engine/master/master.js";
import type { RemoteWorkerFactory } from "../server/engine/worker/worker-interface.js";
import { resolveServerOptions } from "../server/options.js";
import { sharedChannelHolders } from "../server/rpc/grpc-unary-channel.js";
import { createRemoteWorker } from "../server/rpc/remote-worker.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { freePort, runTfPython, startTfTask, type TfTask, tfAvailable } from "./support/tf-cluster.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const client = join(repoRoot, "test", "tf", "session_cluster_client.py");

interface ErrorAnswer {
  error?: string;
  message?: string;
  value?: number;
}
interface ClientResult {
  pinned: { y: number[][]; back: number[][]; z: number; v: number[]; devices: string[] };
  two_sessions: number[][];
  feed_to_task: ErrorAnswer | { value: number[] };
  unpinned_to_task: ErrorAnswer | { y: number[][]; w: number[][]; z: number; w2: number[][] };
  list_devices: string[];
  errors: Record<string, ErrorAnswer>;
}

async function runClient(
  target: string,
  workers: string[],
  alt: string,
  bootJob: string,
  only?: "values" | "pulls",
): Promise<ClientResult> {
  const run = await runTfPython([
    client,
    "--target",
    target,
    "--workers",
    workers.join(","),
    "--alt-worker",
    alt,
    "--boot-job",
    bootJob,
    ...(only !== undefined ? [`--only-${only}`] : []),
  ]);
  assert.equal(
    run.code,
    0,
    `session_cluster_client.py against ${target} failed:\n${run.stderr.slice(-4000)}`,
  );
  return JSON.parse(run.stdout) as ClientResult;
}

test("TF's Python client with cluster_def gets the same answers from tfgate as from TensorFlow's master", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const [p0, p1, p2, master, gate] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const tasks: TfTask[] = [];
  t.after(() => Promise.all(tasks.map((x) => x.stop())));
  // Each process is started under a cluster of its own; the sessions' cluster_defs rename them.
  tasks.push(
    ...(await Promise.all([
      startTfTask({ a: [`127.0.0.1:${p0}`] }, "a", 0),
      startTfTask({ b: [`127.0.0.1:${p1}`] }, "b", 0),
      startTfTask({ c: [`127.0.0.1:${p2}`] }, "c", 0),
      startTfTask({ master: [`127.0.0.1:${master}`] }, "master", 0),
    ])),
  );
  const options = resolveServerOptions({
    host: "127.0.0.1",
    port: gate,
    logLevel: "silent",
    master: { cpuDevices: 1 },
  });
  assert.equal(options.master.sessionClusters, "any", "on loopback without credentials the default is TF's");
  const app = await buildApp(options);
  t.after(() => app.close());
  await app.listen({ port: gate, host: "127.0.0.1" });

  const workers = [`127.0.0.1:${p0}`, `127.0.0.1:${p1}`];
  const alt = `127.0.0.1:${p2}`;
  const expected = await runClient(`grpc://127.0.0.1:${master}`, workers, alt, "master");
  const actual = await runClient(`grpc://127.0.0.1:${gate}`, workers, alt, "localhost");

  await t.test("values across the propagated tasks and the master's own task are TF's", () => {
    assert.deepEqual(actual.pinned, expected.pinned);
    assert.deepEqual(actual.pinned.devices, [
      "/job:client/replica:0/task:0/device:CPU:0",
      "/job:worker/replica:0/task:0/device:CPU:0",
      "/job:worker/replica:0/task:1/device:CPU:0",
    ]);
  });
  await t.test("two sessions at once with different clusters keep separate variables", () => {
    assert.deepEqual(actual.two_sessions, expected.two_sessions);
    assert.deepEqual(actual.two_sessions, [
      [1, 1],
      [2, 2],
      [1, 1],
      [2, 2],
      [1, 1],
    ]);
  });
  await t.test(
    "a feed consumed on a propagated task: TF's value; without --worker-port gateway tfgate refuses, saying why",
    () => {
      assert.deepEqual(expected.feed_to_task, { value: [3, 6] });
      const mine = actual.feed_to_task as ErrorAnswer;
      assert.equal(mine.error, "UnimplementedError");
      assert.match(
        mine.message ?? "",
        /^\/job:worker\/replica:0\/task:0 would receive a value from \/job:client\/replica:0\/task:0\/device:CPU:0 .*does not serve TensorFlow's WorkerService \(RecvTensor\) at the session's target\. Start it with --worker-port gateway/,
      );
    },
  );
  await t.test("once the client's sessions are closed, no connection to the tasks is left open", () => {
    for (const address of [...workers, alt]) assert.equal(sharedChannelHolders(address), 0, address);
  });
  await t.test("ListDevices without a session shows the server's own devices only", () => {
    assert.deepEqual(
      actual.list_devices,
      expected.list_devices.map((d) => d.replace("/job:master/", "/job:localhost/")),
    );
  });
  for (const name of Object.keys(expected.errors)) {
    await t.test(`error: ${name}`, () => {
      const mine = actual.errors[name]!;
      const theirs = expected.errors[name]!;
      assert.equal(mine.error, theirs.error, JSON.stringify({ mine, theirs }));
      const normalize = (m: string | undefined, own: string) =>
        (m ?? "")
          .replaceAll(own, "<master>")
          .replace(/Job: (master|localhost)/, "Job: <boot>")
          // TF's DebugString starts with a marker protobuf varies from process to process.
          .replace(/goo\.gle\/debug\w+ +/, "<debug> ");
      assert.equal(
        normalize(mine.message, `127.0.0.1:${gate}`),
        normalize(theirs.message, `127.0.0.1:${master}`),
      );
    });
  }
});

/** A socket that counts the connections it accepts (and closes them). */
async function listener(): Promise<{ server: Server; address: string; connections: () => number }> {
  let count = 0;
  const server = createServer((s) => {
    count++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { server, address: `127.0.0.1:${port}`, connections: () => count };
}

function clusterRequest(target: string, worker: string) {
  return create(CreateSessionRequestSchema, {
    target,
    graphDef: graph(),
    config: create(ConfigProtoSchema, {
      clusterDef: clusterDefFromJson(
        JSON.stringify({ client: [target.replace("grpc://", "")], worker: [worker] }),
      ),
    }),
  });
}

test("--session-clusters: off and listed refuse before connecting; any connects", async (t) => {
  const trap = await listener();
  t.after(() => new Promise<void>((resolve) => trap.server.close(() => resolve())));
  const target = "grpc://127.0.0.1:1";
  const make = (mode: "off" | "listed" | "any", hosts: string[] = [], cluster?: string) => {
    const m = createMaster({
      cpuDevices: 1,
      workerThreads: false,
      remoteWorker: (o) => createRemoteWorker({ ...o, controlTimeoutMs: 2000 }),
      sessionClusters: mode,
      sessionClusterHosts: hosts,
      ...(cluster === undefined ? {} : { cluster: clusterDefFromJson(cluster) }),
    });
    t.after(() => m.close());
    return m;
  };
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return "OK";
    } catch (e) {
      assert.ok(isTfError(e), String(e));
      return { code: e.code, message: e.message };
    }
  };

  const off = await code(make("off").createSession(clusterRequest(target, trap.address)));
  assert.deepEqual(off, {
    code: TfCode.PERMISSION_DENIED,
    message:
      "ConfigProto.cluster_def (ClusterSpec propagation) is turned off on this server; the operator can allow it with --session-clusters listed or any (TFGATE_SESSION_CLUSTERS)",
  });
  const listed = await code(
    make("listed", ["10.1.2.3", "127.0.0.1:9"]).createSession(clusterRequest(target, trap.address)),
  );
  assert.equal(typeof listed === "object" && listed.code, TfCode.PERMISSION_DENIED);
  assert.match(
    typeof listed === "object" ? listed.message : "",
    new RegExp(
      `names addresses this server may not connect to: ${trap.address}\\. .*--session-cluster-hosts`,
    ),
  );
  assert.equal(trap.connections(), 0, "a refused address is never connected to");

  // Listed by host (any port): admitted, so the master connects (and fails: the trap is no worker).
  const admitted = await code(
    make("listed", ["127.0.0.1"]).createSession(clusterRequest(target, trap.address)),
  );
  assert.equal(typeof admitted === "object" && admitted.code, TfCode.UNAVAILABLE);
  assert.ok(trap.connections() > 0, "an admitted address is connected to");
  // The server's own --cluster is listed too.
  const fromCluster = trap.connections();
  const viaCluster = await code(
    make("listed", [], JSON.stringify({ ps: [trap.address] })).createSession(
      clusterRequest(target, trap.address),
    ),
  );
  assert.equal(typeof viaCluster === "object" && viaCluster.code, TfCode.UNAVAILABLE);
  assert.ok(trap.connections() > fromCluster, "an address of --cluster is admitted");
  const before = trap.connections();
  const any = await code(make("any").createSession(clusterRequest(target, trap.address)));
  assert.equal(typeof any === "object" && any.code, TfCode.UNAVAILABLE);
  assert.match(
    typeof any === "object" ? any.message : "",
    /\/job:worker\/replica:0\/task:0 at 127\.0\.0\.1:\d+/,
  );
  assert.ok(trap.connections() > before);
});

test("the default of --session-clusters follows how reachable the server is", () => {
  const mode = (input: Parameters<typeof resolveServerOptions>[0]) =>
    resolveServerOptions(input).master.sessionClusters;
  assert.equal(mode({ host: "127.0.0.1" }), "any");
  assert.equal(mode({ host: "0.0.0.0", auth: { tokensFile: "/dev/null" } }), "listed");
  assert.equal(mode({ host: "127.0.0.1", auth: { tokensFile: "/dev/null" } }), "listed");
  assert.equal(mode({ host: "127.0.0.1", auth: { allowAnonymous: "all" } }), "listed");
  assert.equal(
    mode({ host: "0.0.0.0", auth: { tokensFile: "/dev/null" }, master: { sessionClusters: "any" } }),
    "any",
  );
});

const runCli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));";

/** `tfgate worker` started as /job:<job>/task:0 of a cluster of its own; resolves once it listens. */
async function startGateWorker(job: string, port: number): Promise<ChildProcess> {
  const cluster = JSON.stringify({ [job]: [`127.0.0.1:${port}`] });
  const args = [
    "worker",
    "--port",
    String(port),
    "--job",
    job,
    "--task",
    "0",
    "--devices",
    "CPU:1",
    "--cluster",
    cluster,
  ];
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", runCli, ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("serving TensorFlow's WorkerService")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`tfgate worker exited (${code}) before listening:\n${log}`)));
  });
  return child;
}

test("a tfgate worker renamed by a session's cluster_def stands in for a TF worker, under TF's master and tfgate's", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const [pa, pb, pg, master, gate] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const tasks: TfTask[] = [];
  t.after(() => Promise.all(tasks.map((x) => x.stop())));
  tasks.push(
    ...(await Promise.all([
      startTfTask({ a: [`127.0.0.1:${pa}`] }, "a", 0),
      startTfTask({ b: [`127.0.0.1:${pb}`] }, "b", 0),
      startTfTask({ master: [`127.0.0.1:${master}`] }, "master", 0),
    ])),
  );
  // Started as /job:gw/task:0; the sessions call it /job:worker/task:0.
  const gw = await startGateWorker("gw", pg);
  t.after(() => {
    if (gw.exitCode === null && gw.signalCode === null) gw.kill("SIGKILL");
  });
  const options = resolveServerOptions({
    host: "127.0.0.1",
    port: gate,
    logLevel: "silent",
    master: { cpuDevices: 1 },
  });
  const app = await buildApp(options);
  t.after(() => app.close());
  await app.listen({ port: gate, host: "127.0.0.1" });

  const tfOnly = [`127.0.0.1:${pa}`, `127.0.0.1:${pb}`];
  const mixed = [`127.0.0.1:${pg}`, `127.0.0.1:${pb}`];
  const unused = `127.0.0.1:${pa}`;
  const expected = await runClient(`grpc://127.0.0.1:${master}`, tfOnly, unused, "master", "values");
  const underTf = await runClient(`grpc://127.0.0.1:${master}`, mixed, unused, "master", "values");
  const underGate = await runClient(`grpc://127.0.0.1:${gate}`, mixed, unused, "localhost", "values");

  await t.test("TF's client → TF's master → the tfgate worker and a TF worker: TF's values", () => {
    assert.deepEqual(underTf.pinned, expected.pinned);
  });
  await t.test("TF's client → tfgate's master → the tfgate worker and a TF worker: TF's values", () => {
    assert.deepEqual(underGate.pinned, expected.pinned);
  });
});

test("--worker-port gateway: TF tasks of a session's cluster_def take feeds and unpinned values from tfgate's task, as from TF's master", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const [p0, p1, master, gate] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const tasks: TfTask[] = [];
  t.after(() => Promise.all(tasks.map((x) => x.stop())));
  tasks.push(
    ...(await Promise.all([
      startTfTask({ a: [`127.0.0.1:${p0}`] }, "a", 0),
      startTfTask({ b: [`127.0.0.1:${p1}`] }, "b", 0),
      startTfTask({ master: [`127.0.0.1:${master}`] }, "master", 0),
    ])),
  );
  // Two device threads: the values the tasks pull come from either of them, under the session's
  // name for tfgate's task (/job:client/task:0), not the server's own (/job:localhost/task:0).
  const options = resolveServerOptions({
    host: "127.0.0.1",
    port: gate,
    logLevel: "silent",
    gatewayWorkerService: true,
    master: { cpuDevices: 2 },
  });
  const app = await buildApp(options);
  t.after(() => app.close());
  await app.listen({ port: gate, host: "127.0.0.1" });

  const workers = [`127.0.0.1:${p0}`, `127.0.0.1:${p1}`];
  const expected = await runClient(`grpc://127.0.0.1:${master}`, workers, workers[0]!, "master", "pulls");
  const actual = await runClient(`grpc://127.0.0.1:${gate}`, workers, workers[0]!, "localhost", "pulls");

  await t.test("a feed consumed on a TF task: TF's value", () => {
    assert.deepEqual(expected.feed_to_task, { value: [3, 6] });
    assert.deepEqual(actual.feed_to_task, expected.feed_to_task);
  });
  await t.test("unpinned nodes feeding nodes pinned to both TF tasks, over two steps: TF's values", () => {
    assert.ok(!("error" in expected.unpinned_to_task), JSON.stringify(expected.unpinned_to_task));
    assert.deepEqual(actual.unpinned_to_task, expected.unpinned_to_task);
  });
  await t.test("the sessions' connections to the tasks are closed with them", () => {
    for (const address of workers) assert.equal(sharedChannelHolders(address), 0, address);
  });
});

/**
 * RemoteWorkers that answer without a network and record their lifecycle: each task reports one
 * CPU device under the name it was "started" as (so the master must rename it), and a task whose
 * address ends in ":9" does not answer GetStatus.
 */
function recordingWorkers() {
  const opened: string[] = [];
  const closed: string[] = [];
  const workerSessions: { task: string; handle: string; isolate: boolean; cluster: number }[] = [];
  const factory: RemoteWorkerFactory = (o) => {
    opened.push(o.task);
    const incarnation = 7n;
    const device = {
      name: `${o.task}/device:CPU:0`,
      type: "CPU",
      incarnation,
      parsed: parseDeviceName(`${o.task}/device:CPU:0`) as Device["parsed"],
      memoryLimit: 0n,
    };
    return {
      task: o.task,
      address: o.address,
      splitsGraphByDevice: true,
      getDevices: () => [device],
      async refreshDevices() {
        if (o.address.endsWith(":9"))
          throw unavailable(`GetStatus to ${o.task} at ${o.address} failed: refused`);
        return [device];
      },
      async createWorkerSession(handle, isolate) {
        workerSessions.push({ task: o.task, handle, isolate, cluster: o.cluster.job.length });
      },
      async deleteWorkerSession() {},
      registerGraph: async () => "g",
      runGraph: () => Promise.reject(unavailable("not a real task")),
      recvTensor: () => Promise.reject(unavailable("not a real task")),
      cleanupGraph() {},
      deregisterGraph: async () => {},
      cleanupAll: async () => {},
      async close() {
        closed.push(o.task);
      },
    };
  };
  return { factory, opened, closed, workerSessions };
}

test("a propagated session's connections are its own: opened for it, closed with it (close, failed create, Reset)", async (t) => {
  const rec = recordingWorkers();
  const m = createMaster({
    cpuDevices: 1,
    workerThreads: false,
    remoteWorker: rec.factory,
    sessionClusters: "any",
  });
  t.after(() => m.close());
  const target = "grpc://127.0.0.1:5";
  const request = (workers: string[], g = graph()) =>
    create(CreateSessionRequestSchema, {
      target,
      graphDef: g,
      config: create(ConfigProtoSchema, {
        clusterDef: clusterDefFromJson(JSON.stringify({ client: ["127.0.0.1:5"], worker: workers })),
      }),
    });
  const a = await m.createSession(request(["10.0.0.1:1", "10.0.0.2:1"]));
  const b = await m.createSession(request(["10.0.0.3:1"]));
  assert.deepEqual(rec.opened, [
    "/job:worker/replica:0/task:0",
    "/job:worker/replica:0/task:1",
    "/job:worker/replica:0/task:0",
  ]);
  // Every task of a propagated session gets an isolated worker session naming the cluster.
  assert.ok(rec.workerSessions.every((w) => w.isolate && w.cluster === 2));
  const listed = await m.listDevices(create(ListDevicesRequestSchema, { sessionHandle: a.sessionHandle }));
  assert.deepEqual(
    listed.localDevice.map((d) => d.name),
    ["/job:client/replica:0/task:0/device:CPU:0"],
  );
  assert.deepEqual(
    listed.remoteDevice.map((d) => d.name),
    ["/job:worker/replica:0/task:0/device:CPU:0", "/job:worker/replica:0/task:1/device:CPU:0"],
  );
  const plain = await m.listDevices(create(ListDevicesRequestSchema));
  assert.deepEqual(
    plain.localDevice.map((d) => d.name),
    ["/job:localhost/replica:0/task:0/device:CPU:0"],
  );
  assert.deepEqual(plain.remoteDevice, []);

  await m.closeSession(create(CloseSessionRequestSchema, { sessionHandle: a.sessionHandle }));
  assert.equal(rec.closed.length, 2, "closing a session closes the two connections it opened");
  // A task that does not answer fails CreateSession UNAVAILABLE naming it; what was opened closes.
  await assert.rejects(m.createSession(request(["10.0.0.4:1", "10.0.0.5:9"])), (e) => {
    assert.ok(
      isTfError(e) && e.code === TfCode.UNAVAILABLE && /task:1 at 10\.0\.0\.5:9/.test(e.message),
      String(e),
    );
    return true;
  });
  assert.equal(rec.closed.length, 4);
  // A graph that cannot be placed: the session is not created and its connections close.
  const pinned = graph({ ...constNode("c", DataType.DT_FLOAT, [], [1]), device: "/job:worker/task:7" });
  await assert.rejects(m.createSession(request(["10.0.0.6:1"], pinned)), (e) => {
    assert.ok(isTfError(e) && e.code === TfCode.INVALID_ARGUMENT, String(e));
    return true;
  });
  assert.equal(rec.closed.length, 5);
  await m.reset(create(ResetRequestSchema));
  assert.equal(rec.closed.length, 6, "Reset closes the sessions and what they opened");
  assert.equal(m.openSessionCount(), 0);
  void b;
});

test("a propagated task that dies fails only the steps that touch it, and is used again once it is back", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const [pa, pb] = await Promise.all([freePort(), freePort()]);
  const a = { a: [`127.0.0.1:${pa}`] };
  const b = { b: [`127.0.0.1:${pb}`] };
  const tasks: TfTask[] = await Promise.all([startTfTask(a, "a", 0), startTfTask(b, "b", 0)]);
  t.after(() => Promise.all(tasks.map((x) => x.stop())));
  const m = createMaster({
    cpuDevices: 1,
    workerThreads: false,
    remoteWorker: createRemoteWorker,
    sessionClusters: "any",
  });
  t.after(() => m.close());
  const W0 = "/job:worker/replica:0/task:0";
  const W1 = "/job:worker/replica:0/task:1";
  const f = DataType.DT_FLOAT;
  const g = graph(
    { ...constNode("a", f, [3], [1, 2, 3]), device: W0 },
    node("neg", "Neg", { inputs: ["a"], attrs: { T: attr.type(f) }, device: W0 }),
    { ...constNode("k", f, [], [10]), device: W1 },
    node("sum", "AddV2", { inputs: ["neg", "k"], attrs: { T: attr.type(f) }, device: W1 }),
  );
  const { sessionHandle } = await m.createSession(
    create(CreateSessionRequestSchema, {
      target: "grpc://127.0.0.1:5",
      graphDef: g,
      config: create(ConfigProtoSchema, {
        clusterDef: clusterDefFromJson(
          JSON.stringify({ client: ["127.0.0.1:5"], worker: [`127.0.0.1:${pa}`, `127.0.0.1:${pb}`] }),
        ),
      }),
    }),
  );
  const fetch = async (name: string) => {
    const res = await m.runStep(create(RunStepRequestSchema, { sessionHandle, fetch: [name] }));
    return tensorValues(res.tensor[0]?.tensor);
  };
  assert.deepEqual(await fetch("sum:0"), [9, 8, 7]);
  await tasks[1]!.kill();
  await assert.rejects(fetch("sum:0"), (e) => {
    assert.ok(isTfError(e) && e.code === TfCode.UNAVAILABLE && e.message.includes(W1), String(e));
    return true;
  });
  assert.deepEqual(await fetch("neg:0"), [-1, -2, -3], "steps on the surviving task keep running");
  tasks[1] = await startTfTask(b, "b", 0);
  assert.deepEqual(
    await fetch("sum:0"),
    [9, 8, 7],
    "the restarted task gets a new worker session and the graphs again",
  );
  await m.closeSession(create(CloseSessionRequestSchema, { sessionHandle }));
});

test("RemoteWorkers to one address share its connection; it closes with the last of them", async () => {
  const address = "127.0.0.1:7";
  const make = (task: string) =>
    createRemoteWorker({ task, address, cluster: clusterDefFromJson("{}"), log: () => {} });
  const one = make("/job:worker/replica:0/task:0");
  const two = make("/job:other/replica:0/task:3");
  assert.equal(sharedChannelHolders(address), 2);
  await one.close();
  await one.close();
  assert.equal(sharedChannelHolders(address), 1, "closing twice releases once");
  await assert.rejects(one.refreshDevices(), (e) => isTfError(e) && e.code === TfCode.UNAVAILABLE);
  await two.close();
  assert.equal(sharedChannelHolders(address), 0);
});

test("in a propagated session tfgate's own devices, on their worker threads, run under the session's task name", async (t) => {
  const rec = recordingWorkers();
  const m = createMaster({ cpuDevices: 2, remoteWorker: rec.factory, sessionClusters: "any" });
  t.after(() => m.close());
  const C = "/job:client/replica:0/task:0";
  const f = DataType.DT_FLOAT;
  const g = graph(
    { ...constNode("a", f, [2], [1, 2]), device: `${C}/device:CPU:1` },
    node("sq", "Square", { inputs: ["a"], attrs: { T: attr.type(f) }, device: `${C}/device:CPU:1` }),
    node("neg", "Neg", { inputs: ["sq"], attrs: { T: attr.type(f) }, device: `${C}/device:CPU:0` }),
  );
  const { sessionHandle } = await m.createSession(
    create(CreateSessionRequestSchema, {
      target: "grpc://127.0.0.1:5",
      graphDef: g,
      config: create(ConfigProtoSchema, {
        clusterDef: clusterDefFromJson(JSON.stringify({ client: ["127.0.0.1:5"], worker: ["10.0.0.1:1"] })),
      }),
    }),
  );
  const res = await m.runStep(
    create(RunStepRequestSchema, { sessionHandle, fetch: ["neg:0", "sq:0"], options: { traceLevel: 3 } }),
  );
  assert.deepEqual(tensorValues(res.tensor[0]?.tensor), [-1, -4]);
  assert.deepEqual(tensorValues(res.tensor[1]?.tensor), [1, 4]);
  // Step stats name the devices as the session does.
  assert.deepEqual(res.metadata?.stepStats?.devStats.map((d) => d.device).sort(), [
    `${C}/device:CPU:0`,
    `${C}/device:CPU:1`,
  ]);
  // The server's own name for its devices means nothing in this session.
  await assert.rejects(
    m.extendSession(
      create(ExtendSessionRequestSchema, {
        sessionHandle,
        currentGraphVersion: 0n,
        graphDef: graph({
          ...constNode("b", f, [], [1]),
          device: "/job:localhost/replica:0/task:0/device:CPU:0",
        }),
      }),
    ),
    (e) => isTfError(e) && e.code === TfCode.INVALID_ARGUMENT && /Cannot assign a device/.test(e.message),
  );
  await m.closeSession(create(CloseSessionRequestSchema, { sessionHandle }));
});
