// TF's WorkerService on the gateway's own port (`serve --worker-port gateway`): the one-port
// server hands gRPC streams to /tensorflow.WorkerService/* and /tensorflow.grpc.WorkerService/* to
// the WorkerService's app (net/one-port-server.ts routeHttp2Streams, app.ts); everything else on
// the port is served as before. Checked here without TensorFlow: what the port answers on those
// paths per protocol, authentication, the MasterService's fast paths beside it, shutdown. The TF
// cluster side (a session's cluster_def whose TF tasks pull values from tfgate's task) is in
// test/session-clusters.test.ts.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:http2";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import type { FastifyInstance } from "fastify";
import { ListDevicesRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { GetStatusRequestSchema } from "../gen/tensorflow/core/protobuf/worker_pb.js";
import { WorkerService as WorkerServiceProtoPath } from "../gen/tensorflow/core/protobuf/worker_service_pb.js";
import { WorkerService } from "../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";
import { buildApp } from "../server/app.js";
import { resolveServerOptions, type ServerOptionsInput } from "../server/options.js";
import { MasterServiceTfPath } from "../server/rpc/services.js";
import { isWorkerServiceGrpc } from "../server/worker-server.js";
import { throwawayCertificate } from "./support/tls.js";

interface Started {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly lines: { msg?: string; rpc?: string; reqId?: string }[];
}

async function start(input: ServerOptionsInput): Promise<Started> {
  const lines: Started["lines"] = [];
  const app = await buildApp(
    resolveServerOptions({
      port: 0,
      logLevel: "info",
      gatewayWorkerService: true,
      master: { workerThreads: false, cpuDevices: 2 },
      ...input,
    }),
    undefined,
    { write: (line) => void lines.push(JSON.parse(line) as Started["lines"][number]) },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, lines };
}

const devices = [
  "/job:localhost/replica:0/task:0/device:CPU:0",
  "/job:localhost/replica:0/task:0/device:CPU:1",
];

/** One raw HTTP/2 POST; returns the response headers (and trailers, merged). */
function h2(
  url: string,
  path: string,
  contentType: string,
  body: Uint8Array,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const session = connect(url);
    session.on("error", reject);
    const req = session.request({ ":method": "POST", ":path": path, "content-type": contentType });
    const out: Record<string, unknown> = {};
    req.on("response", (h) => Object.assign(out, h));
    req.on("trailers", (h) => Object.assign(out, h));
    req.on("error", reject);
    req.resume();
    req.on("end", () => {
      session.close();
      resolve(out);
    });
    req.end(body);
  });
}

test("which HTTP/2 requests go to the WorkerService: gRPC content types on its two paths only", () => {
  const pick = (path: string, type?: string) =>
    isWorkerServiceGrpc({ ":path": path, ...(type !== undefined ? { "content-type": type } : {}) });
  assert.equal(pick("/tensorflow.grpc.WorkerService/RecvTensor", "application/grpc"), true);
  assert.equal(pick("/tensorflow.WorkerService/GetStatus", "application/grpc+proto"), true);
  assert.equal(pick("/tensorflow.WorkerService/GetStatus", "application/grpc;charset=utf-8"), true);
  assert.equal(pick("/tensorflow.WorkerService/GetStatus", "application/grpc-web+proto"), false);
  assert.equal(pick("/tensorflow.WorkerService/GetStatus", "application/proto"), false);
  assert.equal(pick("/tensorflow.WorkerService/GetStatus"), false);
  assert.equal(pick("/tensorflow.MasterService/ListDevices", "application/grpc"), false);
  assert.equal(pick("/tensorflow.WorkerServiceX/GetStatus", "application/grpc"), false);
  // A browser's request (it carries an Origin) never reaches the WorkerService.
  assert.equal(
    isWorkerServiceGrpc({
      ":path": "/tensorflow.WorkerService/GetStatus",
      "content-type": "application/grpc",
      origin: "http://localhost:5173",
    }),
    false,
  );
});

test("--worker-port gateway: gRPC WorkerService calls on the gateway's port; other protocols are not served there", async (t) => {
  const s = await start({});
  t.after(() => s.app.close());

  await t.test("GetStatus over gRPC, under both service names", async () => {
    const tf = createClient(WorkerService, createGrpcTransport({ baseUrl: s.url }));
    assert.deepEqual(
      (await tf.getStatus({})).deviceAttributes.map((d) => d.name),
      devices,
    );
    const proto = createClient(WorkerServiceProtoPath, createGrpcTransport({ baseUrl: s.url }));
    assert.deepEqual(
      (await proto.getStatus({})).deviceAttributes.map((d) => d.name),
      devices,
    );
  });

  await t.test(
    "Connect and gRPC-Web (HTTP/1.1 and HTTP/2) to a WorkerService path: unimplemented",
    async () => {
      for (const transport of [
        createConnectTransport({ baseUrl: s.url, httpVersion: "1.1" }),
        createConnectTransport({ baseUrl: s.url, httpVersion: "2" }),
        createGrpcWebTransport({ baseUrl: s.url, httpVersion: "1.1" }),
        createGrpcWebTransport({ baseUrl: s.url, httpVersion: "2" }),
      ]) {
        await assert.rejects(
          createClient(WorkerService, transport).getStatus({}),
          (e) => e instanceof ConnectError && e.code === Code.Unimplemented,
        );
      }
      const http1 = await fetch(`${s.url}/tensorflow.grpc.WorkerService/GetStatus`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(http1.status, 404);
    },
  );

  await t.test("MasterService calls on the same port still take the fast paths", async () => {
    const before = s.lines.length;
    const grpc = createClient(MasterServiceTfPath, createGrpcTransport({ baseUrl: s.url }));
    assert.deepEqual(
      (await grpc.listDevices(create(ListDevicesRequestSchema))).localDevice.map((d) => d.name),
      devices,
    );
    const web = createClient(
      MasterServiceTfPath,
      createConnectTransport({ baseUrl: s.url, httpVersion: "1.1" }),
    );
    assert.equal((await web.listDevices(create(ListDevicesRequestSchema))).localDevice.length, 2);
    const served = s.lines.slice(before).filter((l) => l.msg === "rpc");
    assert.equal(served.length, 2, JSON.stringify(served));
    assert.ok(served[0]?.reqId?.startsWith("grpc-"), JSON.stringify(served[0]));
    assert.ok(served[1]?.reqId?.startsWith("connect-"), JSON.stringify(served[1]));
  });

  await t.test(
    "a raw gRPC stream to an unknown WorkerService method: UNIMPLEMENTED from the worker's app",
    async () => {
      const answer = await h2(
        s.url,
        "/tensorflow.grpc.WorkerService/NoSuchMethod",
        "application/grpc",
        new Uint8Array([0, 0, 0, 0, 0]),
      );
      assert.equal(answer["grpc-status"], String(Code.Unimplemented));
    },
  );
});

test("without --worker-port gateway the port does not serve the WorkerService", async (t) => {
  const s = await start({ gatewayWorkerService: false });
  t.after(() => s.app.close());
  await assert.rejects(
    createClient(WorkerService, createGrpcTransport({ baseUrl: s.url })).getStatus({}),
    (e) => e instanceof ConnectError && e.code === Code.Unimplemented,
  );
  const body = toBinary(GetStatusRequestSchema, create(GetStatusRequestSchema));
  const framed = new Uint8Array(5 + body.length);
  framed.set(body, 5);
  const answer = await h2(s.url, "/tensorflow.WorkerService/GetStatus", "application/grpc", framed);
  assert.equal(answer["grpc-status"], String(Code.Unimplemented));
});

test("the WorkerService on the gateway's port authenticates as the MasterService does", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tfgate-gateway-worker-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tokens = join(dir, "tokens");
  writeFileSync(tokens, "alice alice-token-0123456789\n");
  const s = await start({ auth: { tokensFile: tokens, allowAnonymous: "none" } });
  t.after(() => s.app.close());
  const anonymous = createClient(WorkerService, createGrpcTransport({ baseUrl: s.url }));
  await assert.rejects(
    anonymous.getStatus({}),
    (e) => e instanceof ConnectError && e.code === Code.Unauthenticated,
  );
  await assert.rejects(
    anonymous.recvTensor({ stepId: 1n, rendezvousKey: `${devices[0]};1;${devices[1]};x;0:0` }),
    (e) => e instanceof ConnectError && e.code === Code.Unauthenticated,
  );
  const wrong = createClient(
    WorkerService,
    createGrpcTransport({
      baseUrl: s.url,
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", "Bearer not-a-token-0123456789");
          return next(req);
        },
      ],
    }),
  );
  await assert.rejects(
    wrong.getStatus({}),
    (e) => e instanceof ConnectError && e.code === Code.Unauthenticated,
  );
  const alice = createClient(
    WorkerService,
    createGrpcTransport({
      baseUrl: s.url,
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", "Bearer alice-token-0123456789");
          return next(req);
        },
      ],
    }),
  );
  assert.deepEqual(
    (await alice.getStatus({})).deviceAttributes.map((d) => d.name),
    devices,
  );
});

test("closing the app closes the WorkerService with it: the port stops, calls in progress end", async () => {
  const s = await start({});
  const c = createClient(WorkerService, createGrpcTransport({ baseUrl: s.url }));
  // A RecvTensor for a value no step will send waits until the service stops.
  const pending = c.recvTensor({ stepId: 42n, rendezvousKey: `${devices[0]};0;${devices[1]};never;0:0` });
  const settled = pending.then(
    () => "resolved",
    (e: unknown) => (e instanceof ConnectError ? Code[e.code] : String(e)),
  );
  await new Promise((r) => setTimeout(r, 200));
  await s.app.close();
  assert.notEqual(await settled, "resolved");
  assert.equal(s.app.server.listening, false);
});

test("with TLS the gateway's port (h2 by ALPN) routes WorkerService calls the same way", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tfgate-gateway-worker-tls-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const made = await throwawayCertificate(dir);
  if (made === undefined) return t.skip("openssl is not available to make a throwaway certificate");
  const s = await start({ tlsCert: made.certFile, tlsKey: made.keyFile });
  t.after(() => s.app.close());
  const baseUrl = s.url.replace("http://127.0.0.1", "https://localhost");
  const nodeOptions = { ca: readFileSync(made.certFile) };
  const worker = createClient(WorkerService, createGrpcTransport({ baseUrl, nodeOptions }));
  assert.deepEqual(
    (await worker.getStatus({})).deviceAttributes.map((d) => d.name),
    devices,
  );
  const master = createClient(MasterServiceTfPath, createGrpcTransport({ baseUrl, nodeOptions }));
  assert.equal((await master.listDevices(create(ListDevicesRequestSchema))).localDevice.length, 2);
  await assert.rejects(
    createClient(WorkerService, createConnectTransport({ baseUrl, httpVersion: "2", nodeOptions })).getStatus(
      {},
    ),
    (e) => e instanceof ConnectError && e.code === Code.Unimplemented,
  );
});
