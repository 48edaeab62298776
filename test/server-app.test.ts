// The server around the engine, end to end over real sockets: one port for HTTP/1.1 and h2c (and
// TLS with ALPN), CORS, health, reflection, metrics, limits, bad input, unknown methods and graceful
// shutdown. The engine is replaced by a small fake (AppEngine) so these tests exercise only the
// transport; test/e2e-protocols.test.ts runs the real engine.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { deflateSync, gzipSync } from "node:zlib";
import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createClient, type ServiceImpl } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import type { FastifyInstance } from "fastify";
import {
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../gen/grpc/health/v1/health_pb.js";
import {
  ServerReflectionRequestSchema as V1RequestSchema,
  ServerReflectionResponseSchema as V1ResponseSchema,
} from "../gen/grpc/reflection/v1/reflection_pb.js";
import {
  ServerReflectionRequestSchema as V1alphaRequestSchema,
  ServerReflectionResponseSchema as V1alphaResponseSchema,
} from "../gen/grpc/reflection/v1alpha/reflection_pb.js";
import {
  ListDevicesRequestSchema,
  ListDevicesResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { type AppEngine, buildApp } from "../server/app.js";
import { resolveServerOptions, type ServerOptions } from "../server/options.js";
import { Health, type MasterServiceProtoPath } from "../server/rpc/services.js";
import { throwawayCertificate } from "./support/tls.js";

const run = promisify(execFile);
const cpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";

// --- fixtures ---------------------------------------------------------------------------------

interface FakeEngine extends AppEngine {
  /** Resolves once `count` Reset calls (in all) have entered the implementation. */
  resetsStarted(count: number): Promise<void>;
  readonly closed: { value: boolean };
}

/** ListDevices answers one CPU; Reset sleeps for the number of ms in its first container name. */
function fakeEngine(): FakeEngine {
  const closed = { value: false };
  let resets = 0;
  const waiters = new Set<{ count: number; resolve: () => void }>();
  const masterService: Partial<ServiceImpl<typeof MasterServiceProtoPath>> = {
    listDevices: () =>
      create(ListDevicesResponseSchema, { localDevice: [{ name: cpu0, deviceType: "CPU" }] }),
    async reset(request, context) {
      resets++;
      for (const waiter of waiters) if (resets >= waiter.count) waiter.resolve();
      const ms = Number(request.container[0] ?? "0");
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        context.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(context.signal.reason);
        });
      });
      return create(ResetResponseSchema);
    },
  };
  return {
    master: {
      close: async () => {
        closed.value = true;
      },
      openSessionCount: () => 3,
    },
    masterService,
    resetsStarted: (count) =>
      resets >= count ? Promise.resolve() : new Promise((resolve) => waiters.add({ count, resolve })),
    closed,
  };
}

interface Running {
  readonly app: FastifyInstance;
  readonly port: number;
  readonly url: string;
  readonly engine: FakeEngine;
}

async function start(options: Partial<ServerOptions> = {}): Promise<Running> {
  const engine = fakeEngine();
  const app = await buildApp(resolveServerOptions({ logLevel: "silent", ...options }), engine);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, port: Number(new URL(url).port), url, engine };
}

/** A @grpc/grpc-js client calling by path with protobuf-es messages. */
function grpcClient(port: number): grpc.Client {
  return new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

function serializer<D extends DescMessage>(schema: D) {
  return (message: MessageShape<D>): Buffer => Buffer.from(toBinary(schema, message));
}
function deserializer<D extends DescMessage>(schema: D) {
  return (bytes: Buffer): MessageShape<D> => fromBinary(schema, bytes);
}

function grpcUnary<I extends DescMessage, O extends DescMessage>(
  client: grpc.Client,
  path: string,
  input: I,
  output: O,
  message: MessageShape<I>,
): Promise<MessageShape<O>> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, serializer(input), deserializer(output), message, (error, response) => {
      if (error !== null || response === undefined) reject(error);
      else resolve(response);
    });
  });
}

function grpcRawUnary(client: grpc.Client, path: string, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      payload,
      (error, response) => {
        if (error !== null || response === undefined) reject(error);
        else resolve(response);
      },
    );
  });
}

async function rejectsWithGrpc(
  promise: Promise<unknown>,
  code: grpc.status,
  fragment: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: grpc.ServiceError) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.details, fragment);
    return true;
  });
}

const haveCurl = existsSync("/usr/bin/curl") || existsSync("/bin/curl");
const bufBin = join(process.cwd(), "node_modules/.bin/buf");

function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

/** Sends `parts` on a raw socket with a pause between them; resolves with everything received. */
function rawExchange(port: number, parts: Buffer[], untilBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= untilBytes) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(received));
    socket.on("connect", async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 30));
      }
    });
  });
}

// --- one shared server for the read-only tests -------------------------------------------------

describe("one port, every protocol", () => {
  let server: Running;
  let client: grpc.Client;
  before(async () => {
    server = await start({ maxMessageBytes: 4096 });
    client = grpcClient(server.port);
  });
  after(async () => {
    client.close();
    await server.app.close();
  });

  test("HTTP/1.1 and h2c (prior knowledge) on the same port, both MasterService names", async () => {
    for (const service of ["tensorflow.grpc.MasterService", "tensorflow.MasterService"]) {
      const h1 = await new Promise<{ version: string; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}/${service}/ListDevices`, {
          method: "POST",
          headers: { "content-type": "application/json" },
        });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on("end", () => resolve({ version: res.httpVersion, body }));
        });
        req.on("error", reject);
        req.end("{}");
      });
      assert.equal(h1.version, "1.1");
      assert.equal(JSON.parse(h1.body).localDevice[0].name, cpu0);

      const session = http2.connect(server.url);
      const h2 = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request({
          ":method": "POST",
          ":path": `/${service}/ListDevices`,
          "content-type": "application/json",
        });
        let status = 0;
        let body = "";
        stream.on("response", (headers) => {
          status = Number(headers[":status"]);
        });
        stream.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        stream.on("end", () => resolve({ status, body }));
        stream.on("error", reject);
        stream.end("{}");
      });
      session.close();
      assert.equal(h2.status, 200);
      assert.equal(JSON.parse(h2.body).localDevice[0].name, cpu0);
    }
  });

  test("curl: plain HTTP/1.1 and --http2-prior-knowledge", {
    skip: !haveCurl && "curl is not installed",
  }, async () => {
    const url = `${server.url}/tensorflow.MasterService/ListDevices`;
    const args = ["-s", "-i", "-H", "content-type: application/json", "-d", "{}", url];
    const h1 = await run("curl", args);
    assert.match(h1.stdout, /^HTTP\/1\.1 200/);
    assert.ok(h1.stdout.includes(cpu0));
    const h2 = await run("curl", ["--http2-prior-knowledge", ...args]);
    assert.match(h2.stdout, /^HTTP\/2 200/);
    assert.ok(h2.stdout.includes(cpu0));
  });

  test("an HTTP/2 preface split across packets still reaches the HTTP/2 server", async () => {
    const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
    const emptySettings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    const received = await rawExchange(
      server.port,
      [
        preface.subarray(0, 1),
        preface.subarray(1, 5),
        preface.subarray(5, 23),
        preface.subarray(23),
        emptySettings,
      ],
      9,
    );
    // The server's first frame is its SETTINGS frame: type 0x4 on stream 0.
    assert.equal(received[3], 0x4);
    assert.equal(received.readUInt32BE(5) & 0x7fffffff, 0);
  });

  test("an HTTP/1.1 request whose first bytes look like the preface ('P', then 'OST') is HTTP/1.1", async () => {
    const request =
      "POST /tensorflow.MasterService/ListDevices HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    const received = await rawExchange(
      server.port,
      [Buffer.from(request.slice(0, 1)), Buffer.from(request.slice(1, 3)), Buffer.from(request.slice(3))],
      Number.MAX_SAFE_INTEGER,
    );
    const text = received.toString();
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.ok(text.includes(cpu0));
  });

  test("CORS preflight from a local page gets Connect's and gRPC-Web's headers", async () => {
    const response = await server.app.inject({
      method: "OPTIONS",
      url: "/tensorflow.MasterService/RunStep",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,connect-protocol-version,x-grpc-web,x-user-agent",
      },
    });
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers["access-control-allow-origin"], "http://localhost:5173");
    assert.match(String(response.headers["access-control-allow-methods"]), /POST/);
    const allowed = String(response.headers["access-control-allow-headers"]).toLowerCase();
    for (const header of [
      "content-type",
      "connect-protocol-version",
      "connect-timeout-ms",
      "x-grpc-web",
      "grpc-timeout",
    ]) {
      assert.ok(allowed.includes(header), header);
    }
    assert.equal(response.headers["access-control-max-age"], "7200");
  });

  test("CORS: a foreign origin is not allowed by default; actual responses expose grpc-status", async () => {
    const preflight = await server.app.inject({
      method: "OPTIONS",
      url: "/tensorflow.MasterService/RunStep",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.headers["access-control-allow-origin"], undefined);
    const actual = await postJson(`${server.url}/grpc.health.v1.Health/Check`, "{}", {
      origin: "http://127.0.0.1:3000",
    });
    assert.equal(actual.headers.get("access-control-allow-origin"), "http://127.0.0.1:3000");
    assert.match(actual.headers.get("access-control-expose-headers") ?? "", /grpc-status/i);
  });

  test("health Check over gRPC: '', both MasterService names SERVING; unknown NOT_FOUND", async () => {
    for (const service of ["", "tensorflow.MasterService", "tensorflow.grpc.MasterService"]) {
      const response = await grpcUnary(
        client,
        "/grpc.health.v1.Health/Check",
        HealthCheckRequestSchema,
        HealthCheckResponseSchema,
        create(HealthCheckRequestSchema, { service }),
      );
      assert.equal(response.status, ServingStatus.SERVING, service);
    }
    await rejectsWithGrpc(
      grpcUnary(
        client,
        "/grpc.health.v1.Health/Check",
        HealthCheckRequestSchema,
        HealthCheckResponseSchema,
        create(HealthCheckRequestSchema, { service: "no.Such" }),
      ),
      grpc.status.NOT_FOUND,
      /unknown service "no\.Such"/,
    );
  });

  test("health over gRPC-Web on HTTP/1.1 (connect-node)", async () => {
    const health = createClient(Health, createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" }));
    const response = await health.check({ service: "tensorflow.MasterService" });
    assert.equal(response.status, ServingStatus.SERVING);
  });

  test("reflection v1 over grpc-js: list_services and file_containing_symbol", async () => {
    const stream = client.makeBidiStreamRequest(
      "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      serializer(V1RequestSchema),
      deserializer(V1ResponseSchema),
    );
    const responses: MessageShape<typeof V1ResponseSchema>[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on("data", (message: MessageShape<typeof V1ResponseSchema>) => responses.push(message));
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    stream.write(create(V1RequestSchema, { messageRequest: { case: "listServices", value: "" } }));
    stream.write(
      create(V1RequestSchema, {
        messageRequest: { case: "fileContainingSymbol", value: "tensorflow.MasterService" },
      }),
    );
    stream.write(
      create(V1RequestSchema, { messageRequest: { case: "fileContainingSymbol", value: "no.Such" } }),
    );
    stream.end();
    await done;
    assert.equal(responses.length, 3);
    const [list, file, missing] = responses;
    assert.equal(list?.messageResponse.case, "listServicesResponse");
    const names =
      list?.messageResponse.case === "listServicesResponse" ? list.messageResponse.value.service : [];
    assert.ok(names.some((s) => s.name === "tensorflow.MasterService"));
    assert.ok(names.some((s) => s.name === "tensorflow.grpc.MasterService"));
    assert.equal(file?.messageResponse.case, "fileDescriptorResponse");
    if (file?.messageResponse.case === "fileDescriptorResponse") {
      const first = fromBinary(
        FileDescriptorProtoSchema,
        file.messageResponse.value.fileDescriptorProto[0] ?? new Uint8Array(),
      );
      assert.equal(first.name, "tensorflow/core/protobuf/master_service_tf.proto");
      assert.equal(first.service[0]?.method.length, 10);
    }
    assert.equal(missing?.messageResponse.case, "errorResponse");
    if (missing?.messageResponse.case === "errorResponse") {
      assert.equal(missing.messageResponse.value.errorCode, grpc.status.NOT_FOUND);
      assert.match(missing.messageResponse.value.errorMessage, /symbol "no\.Such" not found/);
    }
  });

  test("reflection v1alpha over grpc-js lists the same services", async () => {
    const stream = client.makeBidiStreamRequest(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      serializer(V1alphaRequestSchema),
      deserializer(V1alphaResponseSchema),
    );
    const first = new Promise<MessageShape<typeof V1alphaResponseSchema>>((resolve, reject) => {
      stream.once("data", resolve);
      stream.on("error", reject);
    });
    stream.write(create(V1alphaRequestSchema, { messageRequest: { case: "listServices", value: "*" } }));
    const response = await first;
    stream.end();
    assert.equal(response.messageResponse.case, "listServicesResponse");
    if (response.messageResponse.case === "listServicesResponse") {
      assert.equal(response.messageResponse.value.service.length, 5);
    }
  });

  test("buf curl discovers both MasterService names by reflection", {
    skip: !existsSync(bufBin) && "no buf",
  }, async () => {
    const listed = await run(bufBin, [
      "curl",
      "--list-methods",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      server.url,
    ]);
    assert.match(listed.stdout, /^tensorflow\.MasterService\/RunStep$/m);
    assert.match(listed.stdout, /^tensorflow\.grpc\.MasterService\/RunStep$/m);
    assert.match(listed.stdout, /^grpc\.health\.v1\.Health\/Watch$/m);
    const called = await run(bufBin, [
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "-d",
      "{}",
      `${server.url}/tensorflow.MasterService/ListDevices`,
    ]);
    assert.equal(JSON.parse(called.stdout).localDevice[0].name, cpu0);
  });

  test("/metrics counts calls by method, protocol and code, and open sessions", async () => {
    await grpcUnary(
      client,
      "/tensorflow.MasterService/ListDevices",
      ListDevicesRequestSchema,
      ListDevicesResponseSchema,
      create(ListDevicesRequestSchema),
    );
    await postJson(`${server.url}/grpc.health.v1.Health/Check`, '{"service":"no.Such"}');
    const response = await fetch(`${server.url}/metrics`);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await response.text();
    assert.match(
      text,
      /tfgate_rpc_handled_total\{service="tensorflow.MasterService",method="ListDevices",protocol="grpc",encoding="proto",code="ok"\} [1-9]/,
    );
    assert.match(
      text,
      /tfgate_rpc_handled_total\{service="grpc.health.v1.Health",method="Check",protocol="connect",encoding="json",code="not_found"\} [1-9]/,
    );
    assert.match(
      text,
      /tfgate_rpc_started_total\{service="tensorflow.MasterService",method="ListDevices",protocol="grpc"/,
    );
    assert.match(
      text,
      /tfgate_rpc_duration_seconds_count\{service="tensorflow.MasterService",method="ListDevices"/,
    );
    assert.match(text, /^tfgate_open_sessions 3$/m);
    assert.match(text, /^process_cpu_user_seconds_total /m);
  });

  test("a message over maxMessageBytes is RESOURCE_EXHAUSTED (Connect and gRPC), and counted", async () => {
    const big = JSON.stringify({ container: ["x".repeat(5000)] });
    const connect = await postJson(`${server.url}/tensorflow.MasterService/Reset`, big);
    assert.equal(connect.status, 429);
    const error = (await connect.json()) as { code: string; message: string };
    assert.equal(error.code, "resource_exhausted");
    assert.match(error.message, /larger than configured readMaxBytes 4096/);

    const message = create(ResetRequestSchema, { container: ["x".repeat(5000)] });
    await rejectsWithGrpc(
      grpcUnary(client, "/tensorflow.MasterService/Reset", ResetRequestSchema, ResetResponseSchema, message),
      grpc.status.RESOURCE_EXHAUSTED,
      /readMaxBytes 4096/,
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /method="Reset",protocol="connect",encoding="json",code="resource_exhausted"\} 1/);
    assert.match(metrics, /method="Reset",protocol="grpc",encoding="proto",code="resource_exhausted"\} 1/);
  });

  test("bad input: undecodable bytes, malformed JSON, unknown JSON fields, wrong content type", async () => {
    const url = `${server.url}/tensorflow.MasterService/ListDevices`;
    const garbage = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array([0x0a, 0xff, 0xff, 0xff]),
    });
    // connect-es (like grpc-go) reports a request it cannot unmarshal as INTERNAL.
    assert.equal(garbage.status, 500);
    const garbageError = (await garbage.json()) as { code: string; message: string };
    assert.equal(garbageError.code, "internal");
    assert.match(garbageError.message, /parse binary/);

    const malformed = await postJson(url, "{not json");
    assert.equal(malformed.status, 400);
    const malformedError = (await malformed.json()) as { code: string; message: string };
    assert.equal(malformedError.code, "invalid_argument");
    assert.match(malformedError.message, /cannot decode message tensorflow.ListDevicesRequest from JSON/);

    const unknownField = await postJson(url, '{"sesion_handle":"x"}');
    assert.equal(unknownField.status, 400);
    assert.match(((await unknownField.json()) as { message: string }).message, /sesion_handle/);

    const wrongType = await fetch(url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    assert.equal(wrongType.status, 415);

    await rejectsWithGrpc(
      grpcRawUnary(client, "/tensorflow.MasterService/ListDevices", Buffer.from([0x0a, 0xff, 0xff, 0xff])),
      grpc.status.INTERNAL,
      /parse binary/,
    );
  });

  test("unknown method: UNIMPLEMENTED for gRPC and Connect; unknown path: Fastify's 404", async () => {
    await rejectsWithGrpc(
      grpcUnary(
        client,
        "/tensorflow.MasterService/NoSuchMethod",
        ListDevicesRequestSchema,
        ListDevicesResponseSchema,
        create(ListDevicesRequestSchema),
      ),
      grpc.status.UNIMPLEMENTED,
      /method NoSuchMethod is not implemented by service tensorflow\.MasterService/,
    );
    await rejectsWithGrpc(
      grpcUnary(
        client,
        "/no.Such/Method",
        ListDevicesRequestSchema,
        ListDevicesResponseSchema,
        create(ListDevicesRequestSchema),
      ),
      grpc.status.UNIMPLEMENTED,
      /unknown service no\.Such/,
    );
    const connect = await postJson(`${server.url}/tensorflow.MasterService/NoSuchMethod`, "{}");
    assert.equal(connect.status, 404);
    assert.deepEqual(await connect.json(), {
      code: "unimplemented",
      message: "method NoSuchMethod is not implemented by service tensorflow.MasterService",
    });
    const other = await fetch(`${server.url}/nowhere`);
    assert.equal(other.status, 404);
    assert.match(((await other.json()) as { message: string }).message, /Route GET:\/nowhere not found/);
  });

  test("a method the engine does not implement is UNIMPLEMENTED", async () => {
    const response = await postJson(`${server.url}/tensorflow.MasterService/MakeCallable`, "{}");
    assert.equal(response.status, 501);
    assert.equal(((await response.json()) as { code: string }).code, "unimplemented");
  });

  test("GET / describes the gateway; /healthz is SERVING", async () => {
    const index = (await (await fetch(`${server.url}/`)).json()) as {
      services: { name: string; methods: string[] }[];
    };
    assert.ok(index.services.some((s) => s.methods.includes("/tensorflow.MasterService/RunStep")));
    const healthz = await fetch(`${server.url}/healthz`);
    assert.equal(healthz.status, 200);
    assert.deepEqual(await healthz.json(), { status: "SERVING", openSessions: 3 });
  });
});

// --- servers of their own ----------------------------------------------------------------------

test("a connection that never sends a byte is closed after connectionIdleTimeoutMs", async () => {
  const server = await start({ connectionIdleTimeoutMs: 200 });
  try {
    const began = Date.now();
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.on("close", () => resolve());
      socket.on("error", reject);
      setTimeout(() => reject(new Error("idle connection still open after 3 s")), 3000).unref();
    });
    const elapsed = Date.now() - began;
    assert.ok(elapsed >= 150 && elapsed < 2000, `closed after ${elapsed} ms`);
  } finally {
    await server.app.close();
  }
});

test("CORS '*' allows any origin; 'none' sends no CORS headers", async () => {
  for (const [corsOrigin, expected] of [
    ["*", "*"],
    ["none", undefined],
  ] as const) {
    const app = await buildApp(resolveServerOptions({ logLevel: "silent", corsOrigin }), fakeEngine());
    try {
      const response = await app.inject({
        method: "OPTIONS",
        url: "/tensorflow.MasterService/RunStep",
        headers: { origin: "https://anywhere.example", "access-control-request-method": "POST" },
      });
      assert.equal(response.headers["access-control-allow-origin"], expected, corsOrigin);
    } finally {
      await app.close();
    }
  }
});

describe("TLS", () => {
  const dir = mkdtempSync(join(tmpdir(), "tfgate-tls-"));
  let certFile = "";
  let server: Running | undefined;
  before(async () => {
    const made = await throwawayCertificate(dir);
    if (made === undefined) return;
    certFile = made.certFile;
    server = await start({ tlsCert: made.certFile, tlsKey: made.keyFile });
  });
  after(async () => {
    await server?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("h2 and HTTP/1.1 by ALPN on the TLS port; plaintext is refused", async (t) => {
    if (server === undefined) {
      t.skip("openssl is not available to make a throwaway certificate");
      return;
    }
    const ca = readFileSync(certFile);
    const url = `https://127.0.0.1:${server.port}`;
    const session = http2.connect(url, { ca });
    const h2 = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": "/tensorflow.MasterService/ListDevices",
        "content-type": "application/json",
      });
      let status = 0;
      let body = "";
      stream.on("response", (headers) => {
        status = Number(headers[":status"]);
      });
      stream.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      stream.on("end", () => resolve({ status, body }));
      stream.on("error", reject);
      stream.end("{}");
    });
    session.close();
    assert.equal(h2.status, 200);
    assert.equal(JSON.parse(h2.body).localDevice[0].name, cpu0);

    const h1 = await new Promise<{ version: string; alpn: string | false; body: string }>(
      (resolve, reject) => {
        const req = https.request(`${url}/healthz`, { ca, agent: false }, (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on("end", () => {
            const socket = res.socket as import("node:tls").TLSSocket;
            resolve({ version: res.httpVersion, alpn: socket.alpnProtocol ?? false, body });
          });
        });
        req.on("error", reject);
        req.end();
      },
    );
    assert.equal(h1.version, "1.1");
    assert.equal(JSON.parse(h1.body).status, "SERVING");

    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/healthz`), /fetch failed/);
  });
});

describe("graceful shutdown", () => {
  test("in-flight gRPC and HTTP/1.1 calls finish; the engine is closed afterwards; new connections are refused", async () => {
    const server = await start({ shutdownTimeoutMs: 5000 });
    const client = grpcClient(server.port);
    try {
      const grpcCall = grpcUnary(
        client,
        "/tensorflow.MasterService/Reset",
        ResetRequestSchema,
        ResetResponseSchema,
        create(ResetRequestSchema, { container: ["300"] }),
      );
      await server.engine.resetsStarted(1);
      const http1Call = postJson(
        `${server.url}/tensorflow.grpc.MasterService/Reset`,
        '{"container":["300"]}',
      );
      await server.engine.resetsStarted(2);
      const closing = server.app.close();
      await grpcCall;
      const response = await http1Call;
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {});
      await closing;
      assert.equal(server.engine.closed.value, true);
      await assert.rejects(fetch(`${server.url}/healthz`), /fetch failed/);
    } finally {
      client.close();
    }
  });

  test("a call still running at shutdownTimeoutMs is ended with UNAVAILABLE", async () => {
    const server = await start({ shutdownTimeoutMs: 100 });
    const client = grpcClient(server.port);
    try {
      const call = grpcUnary(
        client,
        "/tensorflow.MasterService/Reset",
        ResetRequestSchema,
        ResetResponseSchema,
        create(ResetRequestSchema, { container: ["10000"] }),
      );
      await server.engine.resetsStarted(1);
      const began = Date.now();
      const closing = server.app.close();
      await rejectsWithGrpc(call, grpc.status.UNAVAILABLE, /tfgate is shutting down/);
      await closing;
      assert.ok(Date.now() - began < 3000);
    } finally {
      client.close();
    }
  });

  test("health Watch gets NOT_SERVING on shutdown and ends with OK", async () => {
    const server = await start();
    const client = grpcClient(server.port);
    try {
      const stream = client.makeServerStreamRequest(
        "/grpc.health.v1.Health/Watch",
        serializer(HealthCheckRequestSchema),
        deserializer(HealthCheckResponseSchema),
        create(HealthCheckRequestSchema, { service: "tensorflow.MasterService" }),
      );
      const statuses: ServingStatus[] = [];
      let notifyFirst: () => void = () => {};
      const first = new Promise<void>((resolve) => {
        notifyFirst = resolve;
      });
      const ended = new Promise<grpc.StatusObject>((resolve, reject) => {
        stream.on("data", (message: MessageShape<typeof HealthCheckResponseSchema>) => {
          statuses.push(message.status);
          notifyFirst();
        });
        stream.on("status", resolve);
        stream.on("error", reject);
      });
      await first;
      await server.app.close();
      const status = await ended;
      assert.equal(status.code, grpc.status.OK);
      assert.deepEqual(statuses, [ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    } finally {
      client.close();
    }
  });
});

test("responses are not compressed unless --compress-min-bytes asks (TF's gRPC server does not)", async () => {
  for (const [compressMinBytes, expected] of [
    [undefined, undefined],
    [0, "gzip"],
  ] as const) {
    // A ListDevices answer of ~8 KiB: over connect's own 1 KiB default compression threshold.
    const engine = fakeEngine();
    engine.masterService.listDevices = () =>
      create(ListDevicesResponseSchema, {
        localDevice: Array.from({ length: 100 }, (_, i) => ({
          name: `${cpu0.slice(0, -1)}${i}`,
          deviceType: "CPU",
        })),
      });
    const app = await buildApp(resolveServerOptions({ logLevel: "silent", compressMinBytes }), engine);
    try {
      for (const path of [
        "/tensorflow.MasterService/ListDevices",
        "/tensorflow.grpc.MasterService/ListDevices",
      ]) {
        const response = await app.inject({
          method: "POST",
          url: path,
          headers: { "content-type": "application/json", "accept-encoding": "gzip, br" },
          payload: "{}",
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.headers["content-encoding"], expected, `${compressMinBytes} ${path}`);
      }
      // A gzip-compressed request is accepted either way.
      const request = await app.inject({
        method: "POST",
        url: "/tensorflow.MasterService/ListDevices",
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        payload: gzipSync("{}"),
      });
      assert.equal(request.statusCode, 200, request.body);
    } finally {
      await app.close();
    }
  }
});

test("a deflate request that inflates past maxMessageBytes is RESOURCE_EXHAUSTED without inflating it all", async () => {
  const app = await buildApp(
    resolveServerOptions({ logLevel: "silent", maxMessageBytes: 16384 }),
    fakeEngine(),
  );
  try {
    // 8 MiB of spaces in a JSON body, ~8 KiB deflated.
    const body = deflateSync(`{${" ".repeat(8 * 1024 * 1024)}}`);
    const response = await app.inject({
      method: "POST",
      url: "/tensorflow.MasterService/ListDevices",
      headers: { "content-type": "application/json", "content-encoding": "deflate" },
      payload: body,
    });
    assert.equal(response.json<{ code: string }>().code, "resource_exhausted", response.body);
    assert.match(response.body, /larger than configured readMaxBytes 16384 after decompression/);
  } finally {
    await app.close();
  }
});
