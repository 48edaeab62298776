// The gRPC fast path (server/rpc/grpc-unary.ts) answers exactly as Fastify + connect-es do. Every
// request below goes to two servers with the same options, one with the fast path (the default)
// and one without (--no-grpc-fast-path), through a raw HTTP/2 client that keeps every header,
// trailer and body byte; the two answers must be the same (a gRPC error may come trailers-only on
// one and as trailers on the other: a client cannot tell). Then the things a comparison cannot
// show: deadlines in every grpc-timeout unit, cancellation by RST_STREAM, shutdown, and real
// clients (grpc-js, connect-node, Python's grpcio). The log line names which path served a call
// (reqId "grpc-<n>" for the fast path), so each case also checks that the fast path took it.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, constants, type IncomingHttpHeaders } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { create, fromBinary, fromJsonString, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  ListDevicesRequestSchema,
  ListDevicesResponseSchema,
  RunStepRequestSchema,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { MasterServiceTfPath } from "../server/rpc/services.js";
import {
  fastPathGraph,
  type LoggedServer as Server,
  startLoggedServer as start,
} from "./support/fast-path.js";
import { tfAvailable, tfPython } from "./support/tf-cluster.js";
import { throwawayCertificate } from "./support/tls.js";

interface Answer {
  readonly headers: Record<string, unknown>;
  readonly trailers: Record<string, unknown>;
  readonly body: Buffer;
}

/** One HTTP/2 request on a connection of its own; `cancelAfterMs` resets the stream then. */
function h2(
  port: number,
  path: string,
  body: Buffer,
  extra: Record<string, string> = {},
  cancelAfterMs?: number,
): Promise<Answer> {
  const session = connect(`http://127.0.0.1:${port}`);
  return new Promise<Answer>((resolve, reject) => {
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      ...extra,
    });
    let headers: Record<string, unknown> = {};
    let trailers: Record<string, unknown> = {};
    const chunks: Buffer[] = [];
    stream.on("response", (h: IncomingHttpHeaders) => {
      headers = { ...h };
    });
    stream.on("trailers", (t: IncomingHttpHeaders) => {
      trailers = { ...t };
    });
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("close", () => resolve({ headers, trailers, body: Buffer.concat(chunks) }));
    stream.end(body);
    if (cancelAfterMs !== undefined) setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), cancelAfterMs);
  }).finally(() => session.close());
}

const frame = (message: Uint8Array, flags = 0): Buffer => {
  const f = Buffer.alloc(5 + message.length);
  f[0] = flags;
  f.writeUInt32BE(message.length, 1);
  f.set(message, 5);
  return f;
};

/**
 * What a client can observe: the status wherever it came, the other headers, the body. A device's
 * incarnation is random per server, so ListDevices bodies are compared without it.
 */
function observed(a: Answer): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...a.headers, ...a.trailers };
  delete merged.date;
  let body = a.body;
  if (body.length > 5 && body[0] === 0 && a.body.includes("device:CPU:0")) {
    if (String(merged["content-type"]).includes("json")) {
      // The incarnation's digits change the frame's length too.
      const text = body
        .subarray(5)
        .toString()
        .replace(/"incarnation":"\d+"/g, '"incarnation":"x"');
      body = frame(Buffer.from(text));
    } else {
      const devices = fromBinary(ListDevicesResponseSchema, body.subarray(5));
      for (const d of [...devices.localDevice, ...devices.remoteDevice]) d.incarnation = 0n;
      body = frame(toBinary(ListDevicesResponseSchema, devices));
    }
  }
  return { ...merged, body: body.toString("hex") };
}

/** A gRPC+JSON request: the JSON text in one frame. */
const json = (text: string): Buffer => frame(Buffer.from(text));

const listDevices = frame(toBinary(ListDevicesRequestSchema, create(ListDevicesRequestSchema)));
const tfPath = (method: string) => `/tensorflow.MasterService/${method}`;
const protoPath = (method: string) => `/tensorflow.grpc.MasterService/${method}`;

async function createSession(port: number): Promise<string> {
  const a = await h2(
    port,
    tfPath("CreateSession"),
    frame(
      toBinary(CreateSessionRequestSchema, create(CreateSessionRequestSchema, { graphDef: fastPathGraph })),
    ),
  );
  assert.equal(a.trailers["grpc-status"], "0", JSON.stringify(a));
  return fromBinary(CreateSessionResponseSchema, a.body.subarray(5)).sessionHandle;
}

const runStep = (
  sessionHandle: string,
  fetch: string[],
  more: Partial<{ storeErrorsInResponseBody: boolean }> = {},
) => frame(toBinary(RunStepRequestSchema, create(RunStepRequestSchema, { sessionHandle, fetch, ...more })));

describe("the fast path answers as connect-es does", () => {
  let fast: Server;
  let reference: Server;
  const sessions = new Map<Server, string>();
  before(async () => {
    const options = { maxMessageBytes: 4096 };
    [fast, reference] = await Promise.all([start(options), start({ ...options, grpcFastPath: false })]);
    for (const s of [fast, reference]) sessions.set(s, await createSession(s.port));
  });
  after(() => Promise.all([fast.app.close(), reference.app.close()]));

  /** Sends the same request to both and compares; `fastPath` says whether the fast path must serve it. */
  async function same(
    path: string,
    body: Buffer | ((s: Server) => Buffer),
    headers: Record<string, string> = {},
    fastPath = true,
  ): Promise<Answer> {
    const before = fast.lines.length;
    const beforeReference = reference.lines.length;
    const bodyOf = (s: Server) => (typeof body === "function" ? body(s) : body);
    const [a, b] = await Promise.all([
      h2(fast.port, path, bodyOf(fast), headers),
      h2(reference.port, path, bodyOf(reference), headers),
    ]);
    assert.deepEqual(observed(a), observed(b), `${path} ${JSON.stringify(headers)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const served = fast.lines.slice(before).filter((l) => l.msg === "rpc" || l.msg === "http");
    assert.ok(served.length > 0, "the call was logged");
    // The same log line (but for the request id, the time and the duration).
    const line = (s: Server, from: number) =>
      s.lines
        .slice(from)
        .filter((l) => l.msg === "rpc" || l.msg === "http")
        .map(({ reqId, time, ms, pid, ...rest }: Record<string, unknown>) => rest);
    assert.deepEqual(line(fast, before), line(reference, beforeReference), "log lines");
    assert.equal(
      served.every((l) => l.reqId?.startsWith("grpc-")),
      fastPath,
      JSON.stringify(served),
    );
    return a;
  }

  test("successful calls: ListDevices and RunStep under both names, byte for byte", async () => {
    const devices = await same(tfPath("ListDevices"), listDevices);
    assert.equal(devices.headers["content-type"], "application/grpc+proto");
    await same(protoPath("ListDevices"), listDevices, { "content-type": "application/grpc+proto" });
    for (const path of [tfPath("RunStep"), protoPath("RunStep")]) {
      const a = await same(path, (s) => runStep(sessions.get(s) ?? "", ["c:0", "big:0"]));
      const res = fromBinary(RunStepResponseSchema, a.body.subarray(5));
      assert.deepEqual(
        res.tensor.map((t) => t.name),
        ["c:0", "big:0"],
      );
    }
  });

  test("errors: unknown session, in the trailers and in the body", async () => {
    const a = await same(tfPath("RunStep"), runStep("no-such-session", ["c:0"]));
    // TF's answer for an unknown session handle is ABORTED.
    assert.equal(a.headers["grpc-status"] ?? a.trailers["grpc-status"], String(Code.Aborted));
    await same(tfPath("RunStep"), runStep("no-such-session", ["c:0"], { storeErrorsInResponseBody: true }));
    await same(tfPath("RunStep"), (s) => runStep(sessions.get(s) ?? "", ["nope:0"]));
  });

  test("malformed bodies: empty, short, two messages, a partial second, garbage, compressed without encoding", async () => {
    await same(tfPath("ListDevices"), Buffer.alloc(0));
    await same(tfPath("ListDevices"), Buffer.from([0, 0, 0]));
    await same(tfPath("ListDevices"), Buffer.concat([listDevices, listDevices]));
    await same(tfPath("ListDevices"), Buffer.concat([listDevices, Buffer.from([0, 0, 0, 0, 9, 1])]));
    await same(tfPath("ListDevices"), Buffer.concat([listDevices, Buffer.from([0, 0])]));
    await same(tfPath("RunStep"), frame(Buffer.from([0xff, 0xff, 0xff])));
    await same(tfPath("RunStep"), frame(Buffer.from([0x0a, 0x05, 0x61])));
    await same(tfPath("ListDevices"), frame(gzipSync(Buffer.alloc(0)), 1));
    // connect-es decodes each message in turn: a bad first one is its own error, a second one is
    // decoded before it is refused as extra.
    const garbage = frame(Buffer.from([0xff, 0xff, 0xff]));
    await same(tfPath("ListDevices"), Buffer.concat([garbage, listDevices]));
    await same(tfPath("ListDevices"), Buffer.concat([listDevices, garbage]));
    await same(tfPath("ListDevices"), Buffer.concat([garbage, Buffer.from([0, 0])]));
  });

  test("gRPC+JSON: calls, engine errors and malformed JSON, byte for byte", async () => {
    const type = { "content-type": "application/grpc+json" };
    const devices = await same(tfPath("ListDevices"), json("{}"), type);
    assert.equal(devices.headers["content-type"], "application/grpc+json");
    await same(protoPath("ListDevices"), json("{}"), {
      "content-type": "application/grpc+json; charset=utf-8",
    });
    for (const path of [tfPath("RunStep"), protoPath("RunStep")]) {
      const request = (s: Server) => json(`{"sessionHandle":"${sessions.get(s)}","fetch":["c:0","big:0"]}`);
      const a = await same(path, request, type);
      const res = fromJsonString(RunStepResponseSchema, a.body.subarray(5).toString());
      assert.deepEqual(
        res.tensor.map((t) => t.name),
        ["c:0", "big:0"],
      );
    }
    const unknown = await same(tfPath("RunStep"), json('{"sessionHandle":"none","fetch":["c:0"]}'), type);
    assert.equal(unknown.headers["grpc-status"] ?? unknown.trailers["grpc-status"], String(Code.Aborted));
    await same(
      tfPath("RunStep"),
      json('{"sessionHandle":"none","fetch":["c:0"],"storeErrorsInResponseBody":true}'),
      type,
    );
    // Malformed JSON, an unknown field, a wrong type: INVALID_ARGUMENT with fromJson's text.
    for (const text of [
      "",
      "{",
      "[]",
      '{"sessionHandle": 5}',
      '{"noSuchField": 1}',
      "\uFEFF{}",
      '{"fetch": ["\\ud800"]}',
    ]) {
      await same(tfPath("RunStep"), json(text), type);
    }
    const bad = await same(tfPath("RunStep"), json("{"), type);
    const status = { ...bad.headers, ...bad.trailers };
    assert.equal(status["grpc-status"], String(Code.InvalidArgument));
    assert.match(
      decodeURIComponent(String(status["grpc-message"])),
      /^cannot decode message tensorflow\.RunStepRequest from JSON: /,
    );
    // Binary bodies sent as JSON, and messages after the first.
    await same(tfPath("ListDevices"), listDevices, type);
    await same(tfPath("RunStep"), runStep("none", ["c:0"]), type);
    await same(tfPath("ListDevices"), Buffer.concat([json("{}"), json("{}")]), type);
    await same(tfPath("ListDevices"), Buffer.concat([json("{}"), json("{")]), type);
    await same(tfPath("ListDevices"), Buffer.concat([json("{"), json("{}")]), type);
    // Compression, the size limit and a deadline.
    await same(tfPath("ListDevices"), frame(gzipSync("{}"), 1), { ...type, "grpc-encoding": "gzip" });
    await same(tfPath("ListDevices"), frame(gzipSync("{"), 1), { ...type, "grpc-encoding": "gzip" });
    const big = await same(tfPath("RunStep"), json(`{"sessionHandle":"${"x".repeat(5000)}"}`), type);
    assert.equal(big.headers["grpc-status"] ?? big.trailers["grpc-status"], String(Code.ResourceExhausted));
    const late = await same(
      tfPath("RunStep"),
      (s) => json(`{"sessionHandle":"${sessions.get(s)}","fetch":["take:0"]}`),
      { ...type, "grpc-timeout": "200m" },
    );
    assert.equal(late.headers["grpc-status"], String(Code.DeadlineExceeded));
  });

  test("message size limit: RESOURCE_EXHAUSTED, announced or after decompression", async () => {
    const big = frame(
      toBinary(RunStepRequestSchema, create(RunStepRequestSchema, { sessionHandle: "x".repeat(5000) })),
    );
    const a = await same(tfPath("RunStep"), big);
    assert.equal(a.headers["grpc-status"] ?? a.trailers["grpc-status"], String(Code.ResourceExhausted));
    const zipped = gzipSync(
      toBinary(RunStepRequestSchema, create(RunStepRequestSchema, { sessionHandle: "y".repeat(5000) })),
    );
    await same(tfPath("RunStep"), frame(zipped, 1), { "grpc-encoding": "gzip" });
  });

  test("compression: gzip and deflate requests, accept-encoding negotiation", async () => {
    await same(
      tfPath("ListDevices"),
      frame(gzipSync(toBinary(ListDevicesRequestSchema, create(ListDevicesRequestSchema))), 1),
      {
        "grpc-encoding": "gzip",
      },
    );
    await same(tfPath("ListDevices"), listDevices, { "grpc-accept-encoding": "br, gzip" });
    await same(tfPath("ListDevices"), listDevices, {
      "grpc-encoding": "identity",
      "grpc-accept-encoding": "snappy",
    });
    await same(tfPath("ListDevices"), frame(Buffer.from([1, 2, 3]), 1), { "grpc-encoding": "deflate" });
  });

  test("what the fast path leaves to connect-es: unknown encoding, bad grpc-timeout, foreign Host, other methods", async () => {
    const a = await same(tfPath("ListDevices"), listDevices, { "grpc-encoding": "snappy" }, false);
    assert.equal(a.headers["grpc-status"] ?? a.trailers["grpc-status"], String(Code.Unimplemented));
    await same(tfPath("ListDevices"), listDevices, { "grpc-timeout": "1x" }, false);
    await same(tfPath("ListDevices"), listDevices, { "grpc-timeout": "123456789S" }, false);
    await same(tfPath("ListDevices"), listDevices, { ":authority": "evil.example" }, false);
    await same(tfPath("Nope"), listDevices, {}, false);
    await same("/grpc.health.v1.Health/Check", frame(new Uint8Array(0)), {}, false);
  });

  test("deadlines in every grpc-timeout unit: DEADLINE_EXCEEDED 'Deadline Exceeded', in the trailers or the body", async () => {
    // grpc-timeout takes at most 8 digits: 99999999n is the longest deadline in nanoseconds.
    for (const [timeout, ms] of [
      ["200m", 200],
      ["200000u", 200],
      ["99999999n", 100],
      ["1S", 1000],
    ] as const) {
      for (const store of [false, true]) {
        const request = (s: Server) =>
          runStep(sessions.get(s) ?? "", ["take:0"], { storeErrorsInResponseBody: store });
        const started = Date.now();
        const a = await same(tfPath("RunStep"), request, { "grpc-timeout": timeout });
        assert.ok(Date.now() - started >= ms - 10, `${timeout} ended after ${Date.now() - started} ms`);
        if (store) {
          const res = fromBinary(RunStepResponseSchema, a.body.subarray(5));
          assert.deepEqual(
            [a.trailers["grpc-status"], res.statusCode, res.statusErrorMessage],
            ["0", 4, "Deadline Exceeded"],
          );
        } else {
          assert.deepEqual(
            [a.headers["grpc-status"], a.headers["grpc-message"]],
            ["4", "Deadline%20Exceeded"],
          );
        }
      }
    }
    // Deadlines in minutes and hours are accepted and leave a quick step alone.
    for (const timeout of ["1M", "1H", "596H"]) {
      await same(tfPath("RunStep"), (s) => runStep(sessions.get(s) ?? "", ["c:0"]), {
        "grpc-timeout": timeout,
      });
    }
    // Past Node's longest timer (2^31-1 ms) connect-es's deadline fires at once; the fast path's
    // never does (a deadline 41 days away).
    const far = await h2(
      fast.port,
      tfPath("RunStep"),
      runStep(sessions.get(fast) ?? "", ["take:0"]),
      {
        "grpc-timeout": "1000H",
      },
      300,
    );
    assert.deepEqual(far.headers, {}, "still running when the client gave up");
  });
});

describe("metrics and response compression", () => {
  test("the RPC counters of a server with the fast path and one without agree", async () => {
    const servers = await Promise.all([true, false].map((grpcFastPath) => start({ grpcFastPath })));
    try {
      const counters = [];
      for (const s of servers) {
        const handle = await createSession(s.port);
        await h2(s.port, tfPath("RunStep"), runStep(handle, ["c:0"]));
        await h2(s.port, protoPath("RunStep"), runStep("missing", ["c:0"]));
        await h2(s.port, tfPath("ListDevices"), Buffer.alloc(0));
        await h2(s.port, tfPath("RunStep"), runStep(handle, ["take:0"]), {}, 200);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const text = await (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text();
        counters.push(
          text
            .split("\n")
            .filter((l) => /^tfgate_rpc_(started|handled)_total\{/.test(l))
            .sort(),
        );
      }
      // A step cancelled by RST_STREAM is "canceled" on the fast path; connect-es counts it as
      // "unknown" (its interceptor sees the reset as an unknown error). Everything else agrees.
      const reset = (l: string) => l.includes('method="RunStep"') && /code="(canceled|unknown)"/.test(l);
      assert.ok(counters[0]?.some((l) => reset(l) && l.includes('code="canceled"')));
      assert.deepEqual(
        counters[0]?.filter((l) => !reset(l)),
        counters[1]?.filter((l) => !reset(l)),
      );
    } finally {
      await Promise.all(servers.map((s) => s.app.close()));
    }
  });

  test("--compress-min-bytes: gzip responses as connect-es compresses them", async () => {
    const servers = await Promise.all(
      [true, false].map((grpcFastPath) => start({ grpcFastPath, compressMinBytes: 100 })),
    );
    try {
      const answers = [];
      for (const s of servers) {
        const handle = await createSession(s.port);
        const big = await h2(s.port, tfPath("RunStep"), runStep(handle, ["big:0"]), {
          "grpc-accept-encoding": "gzip",
        });
        const small = await h2(s.port, tfPath("RunStep"), runStep(handle, ["c:0"]), {
          "grpc-accept-encoding": "gzip",
        });
        const bigJson = await h2(
          s.port,
          tfPath("RunStep"),
          json(`{"sessionHandle":"${handle}","fetch":["big:0"]}`),
          { "content-type": "application/grpc+json", "grpc-accept-encoding": "gzip" },
        );
        answers.push([big, small, bigJson].map(observed));
        assert.equal(bigJson.body[0], 1, "compressed flag on the big JSON response");
        assert.equal(big.body[0], 1, "compressed flag on the big response");
        assert.equal(small.body[0], 0, "the small one stays uncompressed");
        assert.equal(big.headers["grpc-encoding"], "gzip");
      }
      assert.deepEqual(answers[0], answers[1]);
    } finally {
      await Promise.all(servers.map((s) => s.app.close()));
    }
  });
});

describe("CORS policies: the headers Fastify adds, without an Origin; requests with one go to Fastify", () => {
  for (const corsOrigin of ["*", "none", "loopback", ["https://app.example"]] as const) {
    test(`--cors-origin ${JSON.stringify(corsOrigin)}`, async () => {
      const servers = await Promise.all(
        [true, false].map((grpcFastPath) => start({ corsOrigin, grpcFastPath })),
      );
      try {
        for (const headers of [{}, { origin: "https://app.example" }, { origin: "http://localhost:3000" }]) {
          const [a, b] = await Promise.all(
            servers.map((s) => h2(s.port, tfPath("ListDevices"), listDevices, headers)),
          );
          assert.deepEqual(observed(a as Answer), observed(b as Answer), JSON.stringify(headers));
        }
      } finally {
        await Promise.all(servers.map((s) => s.app.close()));
      }
    });
  }
});

describe("cancellation, shutdown and authentication on the fast path", () => {
  test("RST_STREAM mid-step cancels the step; the session keeps serving", async () => {
    const server = await start({});
    try {
      const sessionHandle = await createSession(server.port);
      const before = server.lines.length;
      const a = await h2(server.port, tfPath("RunStep"), runStep(sessionHandle, ["take:0"]), {}, 300);
      assert.deepEqual(a.headers, {});
      await new Promise((resolve) => setTimeout(resolve, 100));
      const line = server.lines.slice(before).find((l) => l.rpc === tfPath("RunStep"));
      assert.equal(line?.code, "canceled");
      assert.ok(line?.reqId?.startsWith("grpc-"));
      const next = await h2(server.port, tfPath("RunStep"), runStep(sessionHandle, ["c:0"]));
      assert.equal(next.trailers["grpc-status"], "0");
    } finally {
      await server.app.close();
    }
  });

  test("shutdown: a step still running after shutdownTimeoutMs is cancelled and answered UNAVAILABLE", async () => {
    const answers: Record<string, unknown>[] = [];
    for (const grpcFastPath of [true, false]) {
      const server = await start({ shutdownTimeoutMs: 200, grpcFastPath });
      const sessionHandle = await createSession(server.port);
      const pending = h2(server.port, tfPath("RunStep"), runStep(sessionHandle, ["take:0"]));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.app.close();
      const a = await pending;
      answers.push({
        status: a.headers["grpc-status"] ?? a.trailers["grpc-status"],
        message: a.headers["grpc-message"] ?? a.trailers["grpc-message"],
      });
    }
    // Both transports answer at once with the shutdown's UNAVAILABLE (withCallSignal).
    const unavailable = { status: String(Code.Unavailable), message: "tfgate%20is%20shutting%20down" };
    assert.deepEqual(answers, [unavailable, unavailable]);
  });

  test("bearer tokens: UNAUTHENTICATED without one, the token's principal with one, as connect-es", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-fast-auth-"));
    const tokensFile = join(dir, "tokens");
    writeFileSync(tokensFile, "alice alice-secret-token\n");
    const servers = await Promise.all(
      [true, false].map((grpcFastPath) =>
        start({ auth: { tokensFile, allowAnonymous: "none" }, grpcFastPath }),
      ),
    );
    try {
      const seen: Record<string, unknown>[][] = [];
      for (const s of servers) {
        const denied = await h2(s.port, tfPath("ListDevices"), listDevices);
        const wrong = await h2(s.port, tfPath("ListDevices"), listDevices, { authorization: "Bearer nope" });
        const ok = await h2(s.port, tfPath("ListDevices"), listDevices, {
          authorization: "Bearer alice-secret-token",
        });
        seen.push(
          [observed(denied), observed(wrong), observed(ok)].map((o) => ({ ...o, "content-type": undefined })),
        );
      }
      assert.equal(seen[0]?.[0]?.["grpc-status"], String(Code.Unauthenticated));
      assert.deepEqual(seen[0], seen[1]);
    } finally {
      await Promise.all(servers.map((s) => s.app.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("real clients on the fast path", () => {
  let server: Server;
  let sessionHandle: string;
  before(async () => {
    server = await start({});
    sessionHandle = await createSession(server.port);
  });
  after(() => server.app.close());

  test("connect-node's gRPC transport: a RunStep, and a deadline", async () => {
    const client = createClient(
      MasterServiceTfPath,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}` }),
    );
    const res = await client.runStep({ sessionHandle, fetch: ["c:0"] });
    assert.equal(res.tensor[0]?.tensor?.tensorContent.length, 24);
    await assert.rejects(
      client.runStep({ sessionHandle, fetch: ["take:0"] }, { timeoutMs: 150 }),
      (e: unknown) => {
        assert.ok(e instanceof ConnectError);
        assert.equal(e.code, Code.DeadlineExceeded);
        return true;
      },
    );
  });

  test("@grpc/grpc-js: a RunStep, an error and a deadline", async () => {
    const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const call = (request: Buffer, deadlineMs?: number) =>
      new Promise<Buffer>((resolve, reject) => {
        client.makeUnaryRequest(
          tfPath("RunStep"),
          (b: Buffer) => b,
          (b: Buffer) => b,
          request,
          new grpc.Metadata(),
          deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs },
          (error, value) => (error ? reject(error) : resolve(value ?? Buffer.alloc(0))),
        );
      });
    try {
      const unframe = (f: Buffer) => f.subarray(5);
      const ok = fromBinary(RunStepResponseSchema, await call(unframe(runStep(sessionHandle, ["big:0"]))));
      assert.equal(ok.tensor[0]?.tensor?.tensorContent.length, 1200);
      await assert.rejects(call(unframe(runStep("missing", ["c:0"]))), { code: grpc.status.ABORTED });
      await assert.rejects(call(unframe(runStep(sessionHandle, ["take:0"])), 150), {
        code: grpc.status.DEADLINE_EXCEEDED,
      });
    } finally {
      client.close();
    }
  });

  test("Python grpcio: a RunStep with a deadline in seconds, and a deadline that fires", async (t) => {
    const tf = tfAvailable();
    if (!tf.ok) return t.skip(tf.message);
    const python = tfPython;
    // Requests and responses cross as hex: the check is grpcio's transport, not a Python codec.
    const script = `
import grpc, sys
port, ok, blocking = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
ch = grpc.insecure_channel(f"127.0.0.1:{port}")
run = ch.unary_unary("/tensorflow.MasterService/RunStep")
print(run(ok, timeout=30).hex())
try:
    run(blocking, timeout=0.2)
except grpc.RpcError as e:
    print(e.code().name, e.details())
`;
    const hex = (f: Buffer) => f.subarray(5).toString("hex");
    // Asynchronous: the server runs in this process. gRPC C-core honours http(s)_proxy; a loopback
    // target must never go through one.
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        python,
        [
          "-c",
          script,
          String(server.port),
          hex(runStep(sessionHandle, ["c:0"])),
          hex(runStep(sessionHandle, ["take:0"])),
        ],
        { encoding: "utf8", timeout: 120_000, env: { ...process.env, no_grpc_proxy: "127.0.0.1,localhost" } },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    const [response, failure] = stdout.trim().split("\n");
    const res = fromBinary(RunStepResponseSchema, Buffer.from(response ?? "", "hex"));
    assert.equal(res.tensor[0]?.tensor?.tensorContent.length, 24);
    assert.equal(failure, "DEADLINE_EXCEEDED Deadline Exceeded");
  });
});

describe("TLS: gRPC over h2 takes the fast path too", () => {
  test("@grpc/grpc-js over TLS: a RunStep served by the fast path", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-fast-tls-"));
    try {
      const made = await throwawayCertificate(dir);
      if (made === undefined) {
        t.skip("openssl is not available to make a throwaway certificate");
        return;
      }
      const { certFile, keyFile } = made;
      const server = await start({ tlsCert: certFile, tlsKey: keyFile });
      const client = new grpc.Client(
        `localhost:${server.port}`,
        grpc.credentials.createSsl(readFileSync(certFile)),
      );
      try {
        const created = await new Promise<Buffer>((resolve, reject) => {
          const request = toBinary(
            CreateSessionRequestSchema,
            create(CreateSessionRequestSchema, { graphDef: fastPathGraph }),
          );
          client.makeUnaryRequest(
            tfPath("CreateSession"),
            (b: Buffer) => b,
            (b: Buffer) => b,
            Buffer.from(request),
            (error, value) => (error ? reject(error) : resolve(value ?? Buffer.alloc(0))),
          );
        });
        const { sessionHandle } = fromBinary(CreateSessionResponseSchema, created);
        const answer = await new Promise<Buffer>((resolve, reject) => {
          client.makeUnaryRequest(
            tfPath("RunStep"),
            (b: Buffer) => b,
            (b: Buffer) => b,
            runStep(sessionHandle, ["c:0"]).subarray(5),
            (error, value) => (error ? reject(error) : resolve(value ?? Buffer.alloc(0))),
          );
        });
        assert.equal(fromBinary(RunStepResponseSchema, answer).tensor[0]?.tensor?.tensorContent.length, 24);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const line = server.lines.find((l) => l.rpc === tfPath("RunStep"));
        assert.ok(line?.reqId?.startsWith("grpc-"), JSON.stringify(line));
        // The h2 server announces the same 64 KiB frame size as h2c (test/connection-limits.test.ts).
        const session = connect(`https://localhost:${server.port}`, { ca: readFileSync(certFile) });
        try {
          await new Promise<void>((resolve, reject) => {
            session.once("remoteSettings", () => resolve());
            session.once("error", reject);
          });
          assert.equal(session.remoteSettings.maxFrameSize, 64 * 1024);
        } finally {
          session.destroy();
        }
      } finally {
        client.close();
        await server.app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
