// The Connect and gRPC-Web fast path (server/rpc/web-unary.ts) answers exactly as Fastify +
// connect-es do. Every request below goes to two servers with the same options, one with the fast
// paths (the default) and one without (--no-fast-path), over HTTP/2 (h2c) and HTTP/1.1, through raw
// clients that keep the status, every header and every body byte; the answers must be the same,
// and so must the log lines. The log line names the path that served a call (reqId "connect-<n>"
// or "grpc-web-<n>" on the fast path), so each case also checks who served it. Then what a
// comparison cannot show: deadlines, cancellation by a closed connection or a reset stream,
// keep-alive, shutdown, metrics, and real clients (connect-node's Connect and gRPC-Web transports
// over both HTTP versions, curl).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  create,
  type DescMessage,
  fromBinary,
  type JsonValue,
  type MessageInitShape,
  toBinary,
  toJsonString,
} from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import {
  createConnectTransport as createWebConnectTransport,
  createGrpcWebTransport as createWebGrpcWebTransport,
} from "@connectrpc/connect-web";
import {
  ListDevicesRequestSchema,
  ListDevicesResponseSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { codeName } from "../server/metrics.js";
import { MasterServiceProtoPath, MasterServiceTfPath } from "../server/rpc/services.js";
import {
  fastPathGraph,
  type LoggedServer as Server,
  startLoggedServer as start,
} from "./support/fast-path.js";
import { throwawayCertificate } from "./support/tls.js";

interface Answer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: Buffer;
}

type Transport = "h2" | "h1";

interface Request {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly method?: string;
}

/** One request on a connection of its own; `cancelAfterMs` resets the stream (closes the socket). */
function send(transport: Transport, port: number, r: Request, cancelAfterMs?: number): Promise<Answer> {
  return transport === "h2" ? sendH2(port, r, cancelAfterMs) : sendH1(port, r, cancelAfterMs);
}

function sendH2(port: number, r: Request, cancelAfterMs?: number): Promise<Answer> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  return new Promise<Answer>((resolve, reject) => {
    const stream = session.request({ ":method": r.method ?? "POST", ":path": r.path, ...r.headers });
    let headers: Record<string, unknown> = {};
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      headers = { ...h };
      delete headers[":status"];
    });
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("close", () => resolve({ status, headers, body: Buffer.concat(chunks) }));
    if (r.method === "GET") stream.end();
    else stream.end(r.body);
    if (cancelAfterMs !== undefined)
      setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), cancelAfterMs);
  }).finally(() => session.close());
}

function sendH1(port: number, r: Request, cancelAfterMs?: number): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const { ":authority": authority, ...rest } = r.headers;
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: r.method ?? "POST",
      path: r.path,
      headers: { ...rest, ...(authority === undefined ? {} : { host: authority }) },
      agent: false,
    });
    req.on("error", (e) =>
      cancelAfterMs === undefined ? reject(e) : resolve({ status: 0, headers: {}, body: Buffer.alloc(0) }),
    );
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: { ...res.headers }, body: Buffer.concat(chunks) }),
      );
    });
    req.end(r.body);
    if (cancelAfterMs !== undefined) setTimeout(() => req.destroy(), cancelAfterMs);
  });
}

const tfPath = (method: string) => `/tensorflow.MasterService/${method}`;
const protoPath = (method: string) => `/tensorflow.grpc.MasterService/${method}`;

const frame = (message: Uint8Array, flags = 0): Buffer => {
  const f = Buffer.alloc(5 + message.length);
  f[0] = flags;
  f.writeUInt32BE(message.length, 1);
  f.set(message, 5);
  return f;
};

type Wire = "connect-proto" | "connect-json" | "grpc-web" | "grpc-web-json";

const contentTypes: Record<Wire, string> = {
  "connect-proto": "application/proto",
  "connect-json": "application/json",
  "grpc-web": "application/grpc-web+proto",
  "grpc-web-json": "application/grpc-web+json",
};

const wires = ["connect-proto", "connect-json", "grpc-web", "grpc-web-json"] as const;
const isGrpcWeb = (wire: Wire): boolean => wire.startsWith("grpc-web");
const isJson = (wire: Wire): boolean => wire.endsWith("json");

/** The request body of `message` in a wire protocol. */
function encode<Desc extends DescMessage>(wire: Wire, schema: Desc, message: MessageInitShape<Desc>): Buffer {
  const m = create(schema, message);
  const bytes = isJson(wire) ? Buffer.from(toJsonString(schema, m)) : Buffer.from(toBinary(schema, m));
  return isGrpcWeb(wire) ? frame(bytes) : bytes;
}

const runStep = (
  wire: Wire,
  sessionHandle: string,
  fetch: string[],
  more: Partial<{ storeErrorsInResponseBody: boolean; requestId: bigint }> = {},
) => encode(wire, RunStepRequestSchema, { sessionHandle, fetch, ...more });

/**
 * What a client can observe, but for what differs by server on its own: the date, and a device's
 * incarnation (random per server) in ListDevices answers.
 */
function observed(a: Answer, sessionHandles: readonly string[] = []): Record<string, unknown> {
  const headers = { ...a.headers };
  delete headers.date;
  // A message that quotes the request names the server's own session handle (same length on both).
  let raw = a.body;
  for (const handle of sessionHandles) {
    if (handle !== "" && raw.includes(handle))
      raw = Buffer.from(raw.toString("latin1").replaceAll(handle, "<session>"), "latin1");
  }
  let body = raw.toString("hex");
  const text = a.body.toString("latin1");
  if (text.includes("device:CPU:0")) {
    // The incarnation's digits change the length too.
    delete headers["content-length"];
    body = text.replace(/"incarnation":\s*"\d+"/g, '"incarnation":"x"');
    if (!text.startsWith("{")) {
      const grpcWeb = a.body[0] === 0 && a.body.length > 5 && a.body.readUInt32BE(1) < a.body.length;
      const message = grpcWeb ? a.body.subarray(5, 5 + a.body.readUInt32BE(1)) : a.body;
      const rest = grpcWeb ? a.body.subarray(5 + message.length).toString("hex") : "";
      body = `${withoutIncarnations(message, String(headers["content-type"]).includes("json"))}${rest}`;
    }
  }
  return { status: a.status, ...headers, body };
}

/** A ListDevicesResponse with every incarnation 0 (binary, as hex) or "x" (JSON, as text). */
function withoutIncarnations(message: Buffer, json: boolean): string {
  if (json) return message.toString("latin1").replace(/"incarnation":\s*"\d+"/g, '"incarnation":"x"');
  const devices = fromBinary(ListDevicesResponseSchema, message);
  for (const d of [...devices.localDevice, ...devices.remoteDevice]) d.incarnation = 0n;
  return Buffer.from(toBinary(ListDevicesResponseSchema, devices)).toString("hex");
}

async function createSession(origin: string): Promise<string> {
  const client = createClient(
    MasterServiceTfPath,
    createConnectTransport({ baseUrl: origin, httpVersion: "1.1" }),
  );
  const res = await client.createSession({ graphDef: fastPathGraph });
  return res.sessionHandle;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The rpc and http log lines from `from` on, without what differs per server or run. */
function logLines(s: Server, from: number, sessionHandle = ""): Record<string, unknown>[] {
  return s.lines
    .slice(from)
    .filter((l) => l.msg === "rpc" || l.msg === "http")
    .map(({ reqId, time, ms, pid, ...rest }: Record<string, unknown>) =>
      typeof rest.message === "string" && sessionHandle !== ""
        ? { ...rest, message: rest.message.replaceAll(sessionHandle, "<session>") }
        : rest,
    );
}

/** The grpc-status in a gRPC-Web answer's trailer frame. */
function grpcWebStatus(a: Answer): number | undefined {
  let at = 0;
  while (at + 5 <= a.body.length) {
    const length = a.body.readUInt32BE(at + 1);
    if ((a.body[at] ?? 0) & 0x80) {
      const match = /grpc-status: (\d+)/.exec(a.body.subarray(at + 5, at + 5 + length).toString());
      return match === null ? undefined : Number(match[1]);
    }
    at += 5 + length;
  }
  return undefined;
}

/**
 * The one deliberate difference in the log: a gRPC-Web call that connect-es refuses before its
 * implementation (a malformed or oversized body) is logged "unknown" there, because the status is
 * in the body where the metrics cannot read it; the fast path logs the code it sent. The code is
 * taken from the answer's trailer frame (`a`), so the fast path's line must name exactly that.
 */
function withGrpcWebCode(lines: Record<string, unknown>[], a: Answer): Record<string, unknown>[] {
  const status = grpcWebStatus(a);
  return lines.map((l) =>
    l.protocol === "grpc-web" && l.code === "unknown" && status !== undefined && status !== 2
      ? { ...l, code: codeName(status as Code), level: serverSide.has(status) ? 40 : 30 }
      : l,
  );
}

/** Codes logged as warnings (metrics.ts). */
const serverSide = new Set<number>([Code.Unknown, Code.Internal, Code.Unavailable, Code.DataLoss]);

describe("the Connect and gRPC-Web fast path answers as connect-es does", () => {
  let fast: Server;
  let reference: Server;
  const sessions = new Map<Server, string>();
  before(async () => {
    const options = { maxMessageBytes: 4096 };
    [fast, reference] = await Promise.all([start(options), start({ ...options, fastPath: false })]);
    for (const s of [fast, reference]) sessions.set(s, await createSession(s.origin));
  });
  after(() => Promise.all([fast.app.close(), reference.app.close()]));

  const handle = (s: Server) => sessions.get(s) ?? "";

  /** Sends the same request to both over `transport` and compares; `fastPath`: who must serve it. */
  async function same(
    transport: Transport,
    request: Request | ((s: Server) => Request),
    fastPath: boolean,
  ): Promise<Answer> {
    const before = fast.lines.length;
    const beforeReference = reference.lines.length;
    const of = (s: Server) => (typeof request === "function" ? request(s) : request);
    const [a, b] = await Promise.all([
      send(transport, fast.port, of(fast)),
      send(transport, reference.port, of(reference)),
    ]);
    const what = `${transport} ${of(fast).path} ${JSON.stringify(of(fast).headers)}`;
    const handles = [handle(fast), handle(reference)];
    assert.deepEqual(observed(a, handles), observed(b, handles), what);
    await settle();
    assert.deepEqual(
      logLines(fast, before, handle(fast)),
      fastPath
        ? withGrpcWebCode(logLines(reference, beforeReference, handle(reference)), a)
        : logLines(reference, beforeReference, handle(reference)),
      `log lines: ${what}`,
    );
    const served = fast.lines.slice(before).filter((l) => l.msg === "rpc" || l.msg === "http");
    assert.ok(served.length > 0, `logged: ${what}`);
    assert.equal(
      served.every((l) => /^(connect|grpc-web)-\d+$/.test(l.reqId ?? "")),
      fastPath,
      `${what}: ${JSON.stringify(served)}`,
    );
    return a;
  }

  for (const transport of ["h2", "h1"] as const) {
    for (const wire of wires) {
      const post = (path: string, body: Buffer, headers: Record<string, string> = {}): Request => ({
        path,
        body,
        headers: {
          "content-type": contentTypes[wire],
          ...(isGrpcWeb(wire) ? { "x-grpc-web": "1" } : {}),
          ...headers,
        },
      });

      test(`${transport} ${wire}: RunStep and ListDevices under both names`, async () => {
        for (const path of [tfPath("RunStep"), protoPath("RunStep")]) {
          const a = await same(
            transport,
            (s) => post(path, runStep(wire, handle(s), ["c:0", "big:0"])),
            true,
          );
          assert.equal(a.status, 200);
        }
        await same(transport, post(tfPath("ListDevices"), encode(wire, ListDevicesRequestSchema, {})), true);
        // A browser's call (it has an Origin): served here with @fastify/cors's headers.
        await same(
          transport,
          (s) =>
            post(tfPath("RunStep"), runStep(wire, handle(s), ["c:0"]), { origin: "http://localhost:3000" }),
          true,
        );
        // connect-es does not require connect-protocol-version (requireConnectProtocolHeader is off):
        // present, absent or wrong, the call is served.
        for (const version of ["1", "2"]) {
          await same(
            transport,
            post(protoPath("ListDevices"), encode(wire, ListDevicesRequestSchema, {}), {
              "connect-protocol-version": version,
            }),
            true,
          );
        }
      });

      test(`${transport} ${wire}: engine errors (unknown session, bad fetch, errors in the body)`, async () => {
        const a = await same(
          transport,
          post(tfPath("RunStep"), runStep(wire, "no-such-session", ["c:0"])),
          true,
        );
        if (!isGrpcWeb(wire)) {
          assert.equal(a.status, 409);
          assert.equal((JSON.parse(a.body.toString()) as { code: string }).code, "aborted");
        }
        await same(transport, (s) => post(tfPath("RunStep"), runStep(wire, handle(s), ["nope:0"])), true);
        await same(
          transport,
          post(
            tfPath("RunStep"),
            runStep(wire, "no-such-session", ["c:0"], { storeErrorsInResponseBody: true }),
          ),
          true,
        );
        // A request id seen before is refused (TF's RecentRequestIds): ABORTED, the same on both.
        const requestId =
          BigInt(Date.now()) * 1000n + BigInt(transport === "h2" ? 1 : 2) * 10n + BigInt(wire.length);
        for (const attempt of ["first", "again"]) {
          const a = await same(
            transport,
            (s) => post(tfPath("RunStep"), runStep(wire, handle(s), ["c:0"], { requestId })),
            true,
          );
          if (!isGrpcWeb(wire)) assert.equal(a.status, attempt === "first" ? 200 : 409, attempt);
        }
      });

      test(`${transport} ${wire}: malformed bodies`, async () => {
        const bodies = isJson(wire)
          ? [
              "",
              "{",
              "[]",
              '{"sessionHandle": 5}',
              '{"noSuchField": 1}',
              "\uFEFF{}",
              '{"fetch": ["\\ud800"]}',
            ]
          : wire === "connect-proto"
            ? ["", "\xff\xff\xff", "\x0a\x05\x61"]
            : [];
        for (const body of bodies) {
          const bytes = Buffer.from(body, isJson(wire) ? "utf8" : "latin1");
          await same(transport, post(tfPath("RunStep"), isGrpcWeb(wire) ? frame(bytes) : bytes), true);
        }
        if (isGrpcWeb(wire)) {
          for (const body of [
            Buffer.alloc(0),
            Buffer.from([0, 0, 0]),
            frame(Buffer.from([0xff, 0xff, 0xff])),
            Buffer.concat([frame(Buffer.alloc(0)), frame(Buffer.alloc(0))]),
            Buffer.concat([frame(Buffer.alloc(0)), Buffer.from([0, 0])]),
            Buffer.concat([frame(Buffer.from([0xff, 0xff, 0xff])), frame(Buffer.alloc(0))]),
            Buffer.concat([frame(Buffer.from("{}")), frame(Buffer.from([0xff, 0xff, 0xff]))]),
            frame(gzipSync(Buffer.alloc(0)), 1),
          ]) {
            await same(transport, post(tfPath("ListDevices"), body), true);
          }
        }
      });

      test(`${transport} ${wire}: message size limits, announced and after decompression`, async () => {
        const big = runStep(wire, "x".repeat(5000), []);
        const a = await same(transport, post(tfPath("RunStep"), big), true);
        if (!isGrpcWeb(wire)) assert.equal(a.status, 429);
        const zipped = gzipSync(isGrpcWeb(wire) ? big.subarray(5) : big);
        const encodingHeader = isGrpcWeb(wire) ? "grpc-encoding" : "content-encoding";
        await same(
          transport,
          post(tfPath("RunStep"), isGrpcWeb(wire) ? frame(zipped, 1) : zipped, {
            [encodingHeader]: "gzip",
          }),
          true,
        );
      });

      test(`${transport} ${wire}: compression of requests, Accept-Encoding`, async () => {
        const plain = encode(wire, ListDevicesRequestSchema, {});
        const encodingHeader = isGrpcWeb(wire) ? "grpc-encoding" : "content-encoding";
        const acceptHeader = isGrpcWeb(wire) ? "grpc-accept-encoding" : "accept-encoding";
        const zipped = isGrpcWeb(wire) ? frame(gzipSync(plain.subarray(5)), 1) : gzipSync(plain);
        await same(transport, post(tfPath("ListDevices"), zipped, { [encodingHeader]: "gzip" }), true);
        await same(transport, post(tfPath("ListDevices"), plain, { [acceptHeader]: "br, gzip" }), true);
        await same(
          transport,
          post(tfPath("ListDevices"), plain, { [encodingHeader]: "identity", [acceptHeader]: "snappy" }),
          true,
        );
        await same(
          transport,
          post(
            tfPath("ListDevices"),
            isGrpcWeb(wire) ? frame(Buffer.from([1, 2, 3]), 1) : Buffer.from([1, 2, 3]),
            {
              [encodingHeader]: "deflate",
            },
          ),
          true,
        );
      });

      test(`${transport} ${wire}: an expired deadline`, async () => {
        const timeout = isGrpcWeb(wire) ? { "grpc-timeout": "200m" } : { "connect-timeout-ms": "200" };
        for (const store of [false, true]) {
          const a = await same(
            transport,
            (s) =>
              post(
                tfPath("RunStep"),
                runStep(wire, handle(s), ["take:0"], { storeErrorsInResponseBody: store }),
                timeout,
              ),
            true,
          );
          if (!isGrpcWeb(wire) && !store) assert.equal(a.status, 504);
        }
      });

      test(`${transport} ${wire}: what the fast path leaves to connect-es`, async () => {
        const plain = encode(wire, ListDevicesRequestSchema, {});
        const encodingHeader = isGrpcWeb(wire) ? "grpc-encoding" : "content-encoding";
        const timeoutHeader = isGrpcWeb(wire) ? "grpc-timeout" : "connect-timeout-ms";
        await same(transport, post(tfPath("ListDevices"), plain, { [encodingHeader]: "snappy" }), false);
        await same(transport, post(tfPath("ListDevices"), plain, { [timeoutHeader]: "1x" }), false);
        await same(transport, post(tfPath("ListDevices"), plain, { ":authority": "evil.example" }), false);
        await same(transport, post(tfPath("Nope"), plain), false);
        await same(transport, { ...post(tfPath("ListDevices"), Buffer.alloc(0)), method: "GET" }, false);
        await same(transport, post(tfPath("ListDevices"), plain, { "content-type": "text/plain" }), false);
        // gRPC-Web text (base64): connect-es refuses it (415).
        const text = isJson(wire) ? "application/grpc-web-text+json" : "application/grpc-web-text";
        await same(transport, post(tfPath("ListDevices"), plain, { "content-type": text }), false);
        await same(
          transport,
          {
            path: tfPath("ListDevices"),
            method: "OPTIONS",
            body: Buffer.alloc(0),
            headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" },
          },
          false,
        );
      });
    }
  }
});

describe("authentication and CORS on the Connect and gRPC-Web fast path", () => {
  test("bearer tokens: unauthenticated without one or with a wrong one, served with the right one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-web-auth-"));
    const tokensFile = join(dir, "tokens");
    writeFileSync(tokensFile, "alice alice-secret-token\n");
    const servers = await Promise.all(
      [true, false].map((fastPath) => start({ auth: { tokensFile, allowAnonymous: "none" }, fastPath })),
    );
    try {
      for (const transport of ["h2", "h1"] as const) {
        for (const wire of wires) {
          const seen: Record<string, unknown>[][] = [];
          for (const s of servers) {
            const answers = [];
            for (const authorization of [undefined, "Bearer nope", "Bearer alice-secret-token"]) {
              const a = await send(transport, s.port, {
                path: tfPath("ListDevices"),
                body: encode(wire, ListDevicesRequestSchema, {}),
                headers: {
                  "content-type": contentTypes[wire],
                  ...(authorization === undefined ? {} : { authorization }),
                },
              });
              answers.push(observed(a));
            }
            seen.push(answers);
          }
          if (!isGrpcWeb(wire)) assert.equal(seen[0]?.[0]?.status, 401);
          assert.deepEqual(seen[0], seen[1], `${transport} ${wire}`);
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.app.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const corsOrigin of ["*", "none", "loopback", ["https://app.example"]] as const) {
    test(`--cors-origin ${JSON.stringify(corsOrigin)}: the same headers with and without an Origin`, async () => {
      const servers = await Promise.all([true, false].map((fastPath) => start({ corsOrigin, fastPath })));
      try {
        for (const transport of ["h2", "h1"] as const) {
          for (const extra of [{}, { origin: "https://app.example" }, { origin: "http://localhost:3000" }]) {
            const request = {
              path: tfPath("ListDevices"),
              body: Buffer.from("{}"),
              headers: { "content-type": "application/json", ...extra },
            };
            const [a, b] = await Promise.all(servers.map((s) => send(transport, s.port, request)));
            assert.deepEqual(
              observed(a as Answer),
              observed(b as Answer),
              `${transport} ${JSON.stringify(extra)}`,
            );
          }
          const preflight = {
            path: tfPath("RunStep"),
            method: "OPTIONS",
            body: Buffer.alloc(0),
            headers: {
              origin: "http://localhost:3000",
              "access-control-request-method": "POST",
              "access-control-request-headers": "content-type,authorization,connect-protocol-version",
            },
          };
          const [a, b] = await Promise.all(servers.map((s) => send(transport, s.port, preflight)));
          assert.deepEqual(observed(a as Answer), observed(b as Answer), `${transport} preflight`);
        }
      } finally {
        await Promise.all(servers.map((s) => s.app.close()));
      }
    });
  }
});

describe("cancellation, keep-alive, shutdown and metrics", () => {
  test("a closed HTTP/1.1 connection or a reset stream mid-step cancels the step; the session serves on", async () => {
    const server = await start({});
    try {
      const sessionHandle = await createSession(server.origin);
      for (const transport of ["h1", "h2"] as const) {
        for (const wire of ["connect-proto", "grpc-web"] as const) {
          const before = server.lines.length;
          await send(
            transport,
            server.port,
            {
              path: tfPath("RunStep"),
              body: runStep(wire, sessionHandle, ["take:0"]),
              headers: { "content-type": contentTypes[wire] },
            },
            200,
          );
          await new Promise((resolve) => setTimeout(resolve, 100));
          const line = server.lines.slice(before).find((l) => l.rpc === tfPath("RunStep"));
          assert.equal(line?.code, "canceled", `${transport} ${wire}`);
          assert.match(line?.reqId ?? "", /^(connect|grpc-web)-/);
        }
      }
      const client = createClient(
        MasterServiceTfPath,
        createConnectTransport({ baseUrl: server.origin, httpVersion: "1.1" }),
      );
      const res = await client.runStep({ sessionHandle, fetch: ["c:0"] });
      assert.equal(res.tensor.length, 1);
    } finally {
      await server.app.close();
    }
  });

  test("an HTTP/1.1 connection closed halfway through the body ends its call; the server serves on", async () => {
    const server = await start({});
    try {
      const sessionHandle = await createSession(server.origin);
      const before = server.lines.length;
      const body = runStep("connect-proto", sessionHandle, ["c:0"]);
      const socket = net.connect(server.port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write(
        `POST ${tfPath("RunStep")} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
          `Content-Type: ${contentTypes["connect-proto"]}\r\nContent-Length: ${body.length + 100}\r\n\r\n`,
      );
      socket.write(body);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The request is aborted under its call: node:http destroys it with an error nobody listens to.
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const line = server.lines.slice(before).find((l) => l.rpc === tfPath("RunStep"));
      assert.equal(line?.code, "canceled");
      assert.match(line?.reqId ?? "", /^connect-/);
      const client = createClient(
        MasterServiceTfPath,
        createConnectTransport({ baseUrl: server.origin, httpVersion: "1.1" }),
      );
      const res = await client.runStep({ sessionHandle, fetch: ["c:0"] });
      assert.equal(res.tensor.length, 1);
    } finally {
      await server.app.close();
    }
  });

  test("HTTP/1.1 keep-alive: several calls on one connection", async () => {
    const server = await start({});
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sessionHandle = await createSession(server.origin);
      const ports = new Set<number>();
      for (let i = 0; i < 5; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = http.request(`${server.origin}${tfPath("RunStep")}`, {
            method: "POST",
            agent,
            headers: { "content-type": "application/json" },
          });
          req.on("socket", (socket) => socket.once("connect", () => ports.add(socket.localPort ?? 0)));
          req.on("error", reject);
          req.on("response", (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          });
          req.end(JSON.stringify({ sessionHandle, fetch: ["c:0"] }));
        });
        assert.equal(status, 200);
      }
      assert.equal(ports.size, 1, "one connection");
      await settle();
      assert.equal(server.lines.filter((l) => l.reqId?.startsWith("connect-")).length, 1 + 5);
    } finally {
      agent.destroy();
      await server.app.close();
    }
  });

  test("shutdown: a step still running after shutdownTimeoutMs is answered unavailable on both paths", async () => {
    const answers: unknown[] = [];
    for (const fastPath of [true, false]) {
      for (const wire of ["connect-proto", "grpc-web"] as const) {
        const server = await start({ shutdownTimeoutMs: 200, fastPath });
        const sessionHandle = await createSession(server.origin);
        const pending = send("h1", server.port, {
          path: tfPath("RunStep"),
          body: runStep(wire, sessionHandle, ["take:0"]),
          headers: { "content-type": contentTypes[wire] },
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        await server.app.close();
        const a = await pending;
        answers.push({ wire, status: a.status, body: a.body.toString("latin1") });
      }
    }
    assert.deepEqual(answers.slice(0, 2), answers.slice(2));
    assert.equal((answers[0] as { status: number }).status, 503);
  });

  test("the RPC counters of a server with the fast path and one without agree", async () => {
    const servers = await Promise.all([true, false].map((fastPath) => start({ fastPath })));
    try {
      const counters = [];
      for (const s of servers) {
        const sessionHandle = await createSession(s.origin);
        for (const wire of wires) {
          const headers = { "content-type": contentTypes[wire] };
          await send("h2", s.port, {
            path: tfPath("RunStep"),
            body: runStep(wire, sessionHandle, ["c:0"]),
            headers,
          });
          await send("h1", s.port, {
            path: protoPath("RunStep"),
            body: runStep(wire, "missing", ["c:0"]),
            headers,
          });
        }
        await send("h1", s.port, {
          path: tfPath("ListDevices"),
          body: Buffer.from("{"),
          headers: { "content-type": "application/json" },
        });
        await settle();
        const text = await (await fetch(`${s.origin}/metrics`)).text();
        counters.push(
          text
            .split("\n")
            .filter((l) => /^tfgate_rpc_(started|handled)_total\{/.test(l))
            .sort(),
        );
      }
      assert.deepEqual(counters[0], counters[1]);
    } finally {
      await Promise.all(servers.map((s) => s.app.close()));
    }
  });

  test("--compress-min-bytes: gzip responses as connect-es compresses them", async () => {
    const servers = await Promise.all(
      [true, false].map((fastPath) => start({ fastPath, compressMinBytes: 100 })),
    );
    try {
      const answers = [];
      for (const s of servers) {
        const sessionHandle = await createSession(s.origin);
        const seen = [];
        for (const transport of ["h2", "h1"] as const) {
          for (const wire of wires) {
            const accept = isGrpcWeb(wire) ? "grpc-accept-encoding" : "accept-encoding";
            for (const fetchName of ["big:0", "c:0", "nope:0"]) {
              const a = await send(transport, s.port, {
                path: tfPath("RunStep"),
                body: runStep(wire, sessionHandle, [fetchName]),
                headers: { "content-type": contentTypes[wire], [accept]: "gzip" },
              });
              seen.push(observed(a));
            }
          }
        }
        answers.push(seen);
      }
      assert.deepEqual(answers[0], answers[1]);
      assert.ok(answers[0]?.some((a) => a["content-encoding"] === "gzip"));
    } finally {
      await Promise.all(servers.map((s) => s.app.close()));
    }
  });
});

describe("real clients on the Connect and gRPC-Web fast path", () => {
  let server: Server;
  let sessionHandle: string;
  before(async () => {
    server = await start({});
    sessionHandle = await createSession(server.origin);
  });
  after(() => server.app.close());

  const transports = () =>
    [
      [
        "connect binary HTTP/1.1",
        "connect",
        createConnectTransport({ baseUrl: server.origin, httpVersion: "1.1" }),
      ],
      [
        "connect binary HTTP/2",
        "connect",
        createConnectTransport({ baseUrl: server.origin, httpVersion: "2" }),
      ],
      [
        "connect JSON HTTP/1.1",
        "connect",
        createConnectTransport({ baseUrl: server.origin, httpVersion: "1.1", useBinaryFormat: false }),
      ],
      [
        "connect JSON HTTP/2",
        "connect",
        createConnectTransport({ baseUrl: server.origin, httpVersion: "2", useBinaryFormat: false }),
      ],
      [
        "gRPC-Web HTTP/1.1",
        "grpc-web",
        createGrpcWebTransport({ baseUrl: server.origin, httpVersion: "1.1" }),
      ],
      ["gRPC-Web HTTP/2", "grpc-web", createGrpcWebTransport({ baseUrl: server.origin, httpVersion: "2" })],
      [
        "gRPC-Web JSON HTTP/1.1",
        "grpc-web",
        createGrpcWebTransport({ baseUrl: server.origin, httpVersion: "1.1", useBinaryFormat: false }),
      ],
      [
        "gRPC-Web JSON HTTP/2",
        "grpc-web",
        createGrpcWebTransport({ baseUrl: server.origin, httpVersion: "2", useBinaryFormat: false }),
      ],
    ] as const;

  test("connect-node: a RunStep, an ABORTED error and a deadline over every transport, all on the fast path", async () => {
    for (const [name, prefix, transport] of transports()) {
      for (const service of [MasterServiceTfPath, MasterServiceProtoPath]) {
        const before = server.lines.length;
        const client = createClient(service, transport);
        const res = await client.runStep({ sessionHandle, fetch: ["c:0", "big:0"] });
        assert.equal(res.tensor[1]?.tensor?.tensorContent.length, 1200, name);
        await assert.rejects(client.runStep({ sessionHandle: "missing", fetch: ["c:0"] }), (e: unknown) => {
          assert.ok(e instanceof ConnectError, name);
          assert.equal(e.code, Code.Aborted, name);
          return true;
        });
        await assert.rejects(
          client.runStep({ sessionHandle, fetch: ["take:0"] }, { timeoutMs: 150 }),
          (e: unknown) => {
            assert.ok(e instanceof ConnectError, name);
            assert.equal(e.code, Code.DeadlineExceeded, name);
            return true;
          },
        );
        await settle();
        const lines = server.lines.slice(before).filter((l) => l.msg === "rpc");
        assert.equal(lines.length, 3, name);
        assert.ok(
          lines.every((l) => l.reqId?.startsWith(`${prefix}-`)),
          `${name}: ${JSON.stringify(lines)}`,
        );
      }
    }
  });

  test("connect-web (fetch, as in a browser, here with an Origin): Connect binary and JSON, gRPC-Web", async () => {
    // The browsers' transports run on fetch; Node's fetch omits Origin, so it is set as a browser would.
    const withOrigin: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...Object.fromEntries(new Headers(init?.headers)), origin: "http://localhost:5173" },
      });
    for (const [name, prefix, transport] of [
      [
        "connect-web binary",
        "connect",
        createWebConnectTransport({ baseUrl: server.origin, useBinaryFormat: true, fetch: withOrigin }),
      ],
      [
        "connect-web JSON",
        "connect",
        createWebConnectTransport({ baseUrl: server.origin, fetch: withOrigin }),
      ],
      [
        "connect-web gRPC-Web",
        "grpc-web",
        createWebGrpcWebTransport({ baseUrl: server.origin, fetch: withOrigin }),
      ],
    ] as const) {
      const before = server.lines.length;
      const client = createClient(MasterServiceTfPath, transport);
      const res = await client.runStep({ sessionHandle, fetch: ["c:0"] });
      assert.equal(res.tensor[0]?.tensor?.tensorContent.length, 24, name);
      await assert.rejects(client.runStep({ sessionHandle: "missing", fetch: ["c:0"] }), (e: unknown) => {
        assert.ok(e instanceof ConnectError, name);
        assert.equal(e.code, Code.Aborted, name);
        return true;
      });
      await settle();
      const lines = server.lines.slice(before).filter((l) => l.msg === "rpc");
      assert.equal(lines.length, 2, name);
      assert.ok(
        lines.every((l) => l.reqId?.startsWith(`${prefix}-`)),
        `${name}: ${JSON.stringify(lines)}`,
      );
    }
  });

  test("curl with JSON: a RunStep, and a Connect error body for an unknown session", async () => {
    const curl = (body: string) =>
      new Promise<string>((resolve, reject) => {
        execFile(
          "curl",
          [
            "-sS",
            "-w",
            "\\n%{http_code}",
            "-H",
            "content-type: application/json",
            "-d",
            body,
            `${server.origin}${tfPath("RunStep")}`,
          ],
          { encoding: "utf8", env: { ...process.env, no_proxy: "127.0.0.1" } },
          (error, out) => (error ? reject(error) : resolve(out)),
        );
      });
    const before = server.lines.length;
    const ok = (await curl(JSON.stringify({ sessionHandle, fetch: ["c:0"] }))).split("\n");
    assert.equal(ok[1], "200");
    const json = JSON.parse(ok[0] ?? "") as { tensor: { name: string; tensor: JsonValue }[] };
    assert.equal(json.tensor[0]?.name, "c:0");
    const bad = (await curl(JSON.stringify({ sessionHandle: "missing", fetch: ["c:0"] }))).split("\n");
    assert.equal(bad[1], "409");
    assert.equal((JSON.parse(bad[0] ?? "") as { code: string }).code, "aborted");
    await settle();
    assert.ok(
      server.lines
        .slice(before)
        .filter((l) => l.msg === "rpc")
        .every((l) => l.reqId?.startsWith("connect-")),
    );
  });
});

describe("TLS: Connect and gRPC-Web over h2 and HTTP/1.1 take the fast path too", () => {
  test("connect-node over TLS, both HTTP versions, Connect and gRPC-Web", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-web-tls-"));
    try {
      const made = await throwawayCertificate(dir);
      if (made === undefined) {
        t.skip("openssl is not available to make a throwaway certificate");
        return;
      }
      const server = await start({ tlsCert: made.certFile, tlsKey: made.keyFile });
      try {
        const baseUrl = `https://localhost:${server.port}`;
        const nodeOptions = { ca: readFileSync(made.certFile) };
        const sessionHandle = (
          await createClient(
            MasterServiceTfPath,
            createConnectTransport({ baseUrl, httpVersion: "2", nodeOptions }),
          ).createSession({ graphDef: fastPathGraph })
        ).sessionHandle;
        for (const [name, prefix, transport] of [
          ["connect h2", "connect", createConnectTransport({ baseUrl, httpVersion: "2", nodeOptions })],
          [
            "connect HTTP/1.1",
            "connect",
            createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
          ],
          ["gRPC-Web h2", "grpc-web", createGrpcWebTransport({ baseUrl, httpVersion: "2", nodeOptions })],
          [
            "gRPC-Web HTTP/1.1",
            "grpc-web",
            createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
          ],
        ] as const) {
          const before = server.lines.length;
          const res = await createClient(MasterServiceTfPath, transport).runStep({
            sessionHandle,
            fetch: ["c:0"],
          });
          assert.equal(res.tensor[0]?.tensor?.tensorContent.length, 24, name);
          await settle();
          const line = server.lines.slice(before).find((l) => l.msg === "rpc");
          assert.ok(line?.reqId?.startsWith(`${prefix}-`), `${name}: ${JSON.stringify(line)}`);
        }
      } finally {
        await server.app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
