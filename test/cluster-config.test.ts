// The cluster a master drives (server/engine/master/cluster.ts, README "Scaling out"), without
// TensorFlow: --cluster's two JSON forms and their errors, and what sessions see of a task that
// does not answer (test/remote-workers.test.ts drives real TF tasks).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ConfigProtoSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CreateSessionRequestSchema,
  ListDevicesRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, TfCode } from "../server/engine/framework/errors.js";
import { clusterDefFromJson, clusterTasks } from "../server/engine/master/cluster.js";
import { createMaster } from "../server/engine/master/master.js";
import { createRemoteWorker } from "../server/rpc/remote-worker.js";
import { constNode, DataType, graph } from "./support/graphs.js";
import { openSession } from "./support/session.js";
import { freePort } from "./support/tf-cluster.js";

test("--cluster JSON: TF's ClusterSpec dictionary and ClusterDef protobuf JSON give the same tasks", () => {
  const spec = clusterDefFromJson('{"worker": ["127.0.0.1:1", "127.0.0.1:2"], "ps": {"3": "127.0.0.1:4"}}');
  const def = clusterDefFromJson(
    '{"job": [{"name": "worker", "tasks": {"0": "127.0.0.1:1", "1": "127.0.0.1:2"}}, {"name": "ps", "tasks": {"3": "127.0.0.1:4"}}]}',
  );
  const expected = [
    { task: "/job:worker/replica:0/task:0", address: "127.0.0.1:1" },
    { task: "/job:worker/replica:0/task:1", address: "127.0.0.1:2" },
    { task: "/job:ps/replica:0/task:3", address: "127.0.0.1:4" },
  ];
  assert.deepEqual(clusterTasks(spec), expected);
  assert.deepEqual(clusterTasks(def), expected);
});

test("--cluster JSON: malformed clusters are refused with the reason", () => {
  assert.throws(() => clusterDefFromJson("[1]"), /a cluster is a JSON object/);
  assert.throws(() => clusterDefFromJson('{"worker": "h:1"}'), /job 'worker': expected a list/);
  assert.throws(() => clusterDefFromJson('{"worker": {"x": "h:1"}}'), /task x must be an index/);
  const bad = (json: string, message: RegExp) =>
    assert.throws(
      () => clusterTasks(clusterDefFromJson(json)),
      (e) => isTfError(e) && e.code === TfCode.INVALID_ARGUMENT && message.test(e.message),
    );
  bad('{"worker": ["no-port"]}', /Task 0 of job 'worker' has no valid host:port: 'no-port'/);
  bad('{"9lives": ["h:1"]}', /Invalid job name in cluster: '9lives'/);
  bad('{"job": [{"name": "w", "tasks": {}}, {"name": "w", "tasks": {}}]}', /Job 'w' appears twice/);
});

test("serve --cluster: a bad cluster is a message naming the flag and exit 1", async () => {
  const runCli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));";
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      runCli,
      "serve",
      "--cluster",
      '{"worker": ["nohostport"]}',
    ],
    { cwd: new URL("..", import.meta.url).pathname, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 1);
  assert.match(
    stderr,
    /^tfgate: invalid --cluster \(TFGATE_CLUSTER\): Task 0 of job 'worker' has no valid host:port/,
  );
});

function assertUnavailable(e: unknown, task: string): true {
  assert.ok(isTfError(e), String(e));
  assert.equal(e.code, TfCode.UNAVAILABLE, e.message);
  assert.ok(e.message.includes(task), e.message);
  return true;
}

test("a task that does not answer: CreateSession and ListDevices fail UNAVAILABLE naming it; device_filters leave it out", async (t) => {
  const port = await freePort(); // nothing listens there
  const m = createMaster({
    cluster: clusterDefFromJson(JSON.stringify({ worker: [`127.0.0.1:${port}`] })),
    cpuDevices: 1,
    workerThreads: false,
    remoteWorker: createRemoteWorker,
  });
  t.after(() => m.close());
  const g = graph(constNode("c", DataType.DT_FLOAT, [], [2]));
  await assert.rejects(openSession(m, g), (e) => assertUnavailable(e, "/job:worker/replica:0/task:0"));
  await assert.rejects(m.listDevices(create(ListDevicesRequestSchema)), (e) =>
    assertUnavailable(e, "/job:worker/replica:0/task:0"),
  );
  const local = await openSession(m, g, { deviceFilters: ["/job:localhost"] });
  const [c] = await local.fetch(["c:0"]);
  assert.equal(c?.tensorContent.length, 4);
  await local.close();
  assert.equal(m.openSessionCount(), 0, "the failed CreateSession left no session behind");
});

test("ConfigProto.cluster_def is not ignored: an embedded master admits only listed addresses by default", async (t) => {
  // ClusterSpec propagation itself is tested against TF in session-clusters.test.ts.
  const m = createMaster({ cpuDevices: 1, workerThreads: false });
  t.after(() => m.close());
  await assert.rejects(
    m.createSession(
      create(CreateSessionRequestSchema, {
        target: "grpc://127.0.0.1:5",
        graphDef: graph(),
        config: create(ConfigProtoSchema, {
          clusterDef: {
            job: [
              { name: "client", tasks: { 0: "127.0.0.1:5" } },
              { name: "worker", tasks: { 0: "127.0.0.1:1" } },
            ],
          },
        }),
      }),
    ),
    (e) =>
      isTfError(e) &&
      e.code === TfCode.PERMISSION_DENIED &&
      /127\.0\.0\.1:1\b.*--session-cluster-hosts/.test(e.message),
  );
  assert.equal(m.openSessionCount(), 0);
});
