// What one client can hold open (docs/security.md, "Connections"): request bodies and headers that
// trickle in are cut off after their timeouts on HTTP/1.1 and h2c, and connections per client
// address are capped at accept, while other clients keep being served. The engine is a fake: only
// the transport is under test. Timeouts are set small through the options so this runs in seconds.

import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import { test } from "node:test";
import { create, fromBinary } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { ListDevicesResponseSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { type AppEngine, buildApp } from "../server/app.js";
import { defaultMaxConnections, resolveServerOptions, type ServerOptions } from "../server/options.js";

const listDevicesPath = "/tensorflow.MasterService/ListDevices";

function fakeEngine(): AppEngine {
  return {
    master: { close: async () => {}, openSessionCount: () => 0 },
    masterService: {
      listDevices: () =>
        create(ListDevicesResponseSchema, {
          localDevice: [{ name: "/job:localhost/replica:0/task:0/device:CPU:0", deviceType: "CPU" }],
        }),
    },
  };
}

interface Running {
  readonly app: FastifyInstance;
  readonly port: number;
  readonly url: string;
}

async function start(options: Partial<ServerOptions>): Promise<Running> {
  const app = await buildApp(resolveServerOptions({ logLevel: "silent", ...options }), fakeEngine());
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, port: Number(new URL(url).port), url };
}

interface Closed {
  /** ms from connecting until the socket closed. */
  readonly afterMs: number;
  /** Everything the server sent. */
  readonly received: string;
}

/**
 * Connects, writes `first`, then writes `next()` every `everyMs` until the server closes the socket
 * (or `giveUpMs` passes, which fails). `localAddress` picks the client's source address.
 */
function trickle(
  port: number,
  first: string,
  next: () => string,
  everyMs: number,
  giveUpMs: number,
  localAddress?: string,
): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const began = Date.now();
    let received = "";
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    const ticker = setInterval(() => {
      if (socket.writable) socket.write(next());
    }, everyMs);
    const giveUp = setTimeout(() => {
      clearInterval(ticker);
      socket.destroy();
      reject(new Error(`socket still open after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on("connect", () => socket.write(first));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    socket.on("error", () => {}); // a reset is one way of being closed
    socket.on("close", () => {
      clearInterval(ticker);
      clearTimeout(giveUp);
      resolve({ afterMs: Date.now() - began, received });
    });
  });
}

async function listDevicesOverHttp1(url: string): Promise<number> {
  const response = await fetch(`${url}${listDevicesPath}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  await response.arrayBuffer();
  return response.status;
}

test("an HTTP/1.1 body that trickles in gets 408 and a close after requestTimeoutMs", async () => {
  const server = await start({ requestTimeoutMs: 600, headersTimeoutMs: 600 });
  try {
    const head = `POST ${listDevicesPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`;
    const slow = trickle(server.port, head, () => " ", 100, 5000);
    // Served meanwhile: a normal client on its own connection.
    assert.equal(await listDevicesOverHttp1(server.url), 200);
    const closed = await slow;
    assert.ok(closed.afterMs >= 500 && closed.afterMs < 3000, `closed after ${closed.afterMs} ms`);
    assert.match(closed.received, /^HTTP\/1\.1 408 /);
  } finally {
    await server.app.close();
  }
});

test("HTTP/1.1 headers that trickle in are cut off after headersTimeoutMs", async () => {
  const server = await start({ requestTimeoutMs: 10_000, headersTimeoutMs: 400 });
  try {
    let n = 0;
    const closed = await trickle(
      server.port,
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n",
      () => `X-Slow-${n++}: 1\r\n`,
      100,
      5000,
    );
    assert.ok(closed.afterMs >= 300 && closed.afterMs < 3000, `closed after ${closed.afterMs} ms`);
    assert.doesNotMatch(closed.received, /^HTTP\/1\.1 200 /);
  } finally {
    await server.app.close();
  }
});

test("an h2c stream whose body stalls is reset after requestTimeoutMs; others on the session are served", async () => {
  const server = await start({ requestTimeoutMs: 500 });
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  try {
    const began = Date.now();
    const stalled = session.request({
      ":method": "POST",
      ":path": listDevicesPath,
      "content-type": "application/json",
    });
    stalled.write("{");
    stalled.on("error", () => {});
    stalled.resume();
    const ended = new Promise<number>((resolve) => stalled.on("close", () => resolve(stalled.rstCode ?? -1)));

    const normal = session.request({
      ":method": "POST",
      ":path": listDevicesPath,
      "content-type": "application/json",
    });
    normal.end("{}");
    const status = await new Promise<number>((resolve, reject) => {
      normal.on("response", (headers) => resolve(Number(headers[":status"])));
      normal.on("error", reject);
    });
    normal.resume();
    assert.equal(status, 200);

    const rstCode = await Promise.race([
      ended,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("stalled stream still open")), 5000).unref(),
      ),
    ]);
    const elapsed = Date.now() - began;
    assert.equal(rstCode, http2.constants.NGHTTP2_CANCEL);
    assert.ok(elapsed >= 400 && elapsed < 3000, `reset after ${elapsed} ms`);
  } finally {
    session.destroy();
    await server.app.close();
  }
});

/** Opens a plain connection and resolves once it is established. */
function open(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves true when the server closes `socket` within `ms`, false when it is still open then. */
function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.on("error", () => {});
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

test("connections beyond maxConnectionsPerAddress are closed at accept; other addresses get through", async () => {
  const server = await start({ maxConnectionsPerAddress: 3 });
  const sockets: net.Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) sockets.push(await open(server.port, "127.0.0.1"));
    const extra = await open(server.port, "127.0.0.1");
    sockets.push(extra);
    assert.equal(await closedWithin(extra, 2000), true, "the 4th connection from one address was closed");
    for (const socket of sockets.slice(0, 3)) {
      assert.equal(await closedWithin(socket, 50), false, "the first three stay open");
    }

    // Another address is counted on its own: it is served.
    const other = await open(server.port, "127.0.0.2");
    sockets.push(other);
    other.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      other.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
      });
      other.on("close", () => resolve(text));
    });
    assert.match(answer, /^HTTP\/1\.1 200 /);

    // A slot freed by a close is usable again.
    const first = sockets[0];
    assert.ok(first !== undefined);
    const firstClosed = closedWithin(first, 2000);
    first.destroy();
    await firstClosed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await open(server.port, "127.0.0.1");
    sockets.push(again);
    assert.equal(await closedWithin(again, 200), false, "a freed slot admits a new connection");
  } finally {
    for (const socket of sockets) socket.destroy();
    await server.app.close();
  }
});

test("connections beyond maxConnections in all are closed at accept, whatever their address", async () => {
  const server = await start({ maxConnections: 3, maxConnectionsPerAddress: 2 });
  const sockets: net.Socket[] = [];
  try {
    sockets.push(await open(server.port, "127.0.0.1"), await open(server.port, "127.0.0.1"));
    sockets.push(await open(server.port, "127.0.0.2"));
    const extra = await open(server.port, "127.0.0.3");
    sockets.push(extra);
    assert.equal(await closedWithin(extra, 2000), true, "a 4th connection from a new address was closed");
    for (const socket of sockets.slice(0, 3)) {
      assert.equal(await closedWithin(socket, 50), false, "the first three stay open");
    }
  } finally {
    for (const socket of sockets) socket.destroy();
    await server.app.close();
  }
});

/** One HTTP/2 frame (RFC 9113 §4.1). */
function frame(type: number, flags: number, streamId: number, payload: Buffer): string {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header.writeUInt8(type, 3);
  header.writeUInt8(flags, 4);
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]).toString("latin1");
}

const h2Start = `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n${frame(4, 0, 0, Buffer.alloc(0))}`;

for (const [what, first, next] of [
  ["PING frames", h2Start, () => frame(6, 0, 0, Buffer.alloc(8))],
  // HEADERS without END_HEADERS, then CONTINUATION frames of one indexed field each: the request's
  // header block never completes, so no stream ever starts.
  [
    "a header block that never completes",
    h2Start + frame(1, 0, 1, Buffer.from([0x83])),
    () => frame(9, 0, 1, Buffer.from([0x86])),
  ],
] as const) {
  test(`an HTTP/2 session trickling ${what} with no request is closed after idleTimeoutMs`, async () => {
    const server = await start({ connectionIdleTimeoutMs: 500 });
    try {
      // Every 100 ms a frame arrives, so the socket is never idle; only requests count.
      const closed = await trickle(server.port, first, next, 100, 8000);
      assert.ok(closed.afterMs >= 400, `closed after ${closed.afterMs} ms`);
    } finally {
      await server.app.close();
    }
  });
}

test("the default total connection cap is three quarters of the soft open-file limit", () => {
  const limits = (soft: string) =>
    `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 1048576              files\n`;
  assert.equal(defaultMaxConnections(limits("1024")), 768);
  assert.equal(defaultMaxConnections(limits("65536")), 49152);
  assert.equal(defaultMaxConnections(limits("20")), 64);
  assert.equal(defaultMaxConnections(limits("unlimited")), 16384);
  assert.equal(defaultMaxConnections("no such line"), 16384);
  assert.ok(resolveServerOptions({}).maxConnections >= 64);
});

/** An HPACK literal header field, not indexed, with a new name (RFC 7541 §6.2.2; short strings). */
function literalHeader(name: string, value: string): Buffer {
  return Buffer.concat([
    Buffer.from([0, name.length]),
    Buffer.from(name),
    Buffer.from([value.length]),
    Buffer.from(value),
  ]);
}

/** The frames in `bytes` (after the server's preface-less start), as type, flags, stream and payload. */
function framesOf(bytes: Buffer): { type: number; flags: number; stream: number; payload: Buffer }[] {
  const frames = [];
  let at = 0;
  while (at + 9 <= bytes.length) {
    const length = bytes.readUIntBE(at, 3);
    if (at + 9 + length > bytes.length) break;
    frames.push({
      type: bytes[at + 3]!,
      flags: bytes[at + 4]!,
      stream: bytes.readUInt32BE(at + 5) & 0x7fffffff,
      payload: bytes.subarray(at + 9, at + 9 + length),
    });
    at += 9 + length;
  }
  return frames;
}

/**
 * Sends a gRPC ListDevices call whose one DATA frame carries `payloadBytes` (a request padded with
 * an unknown field to that size) over a raw h2c connection; resolves with the frames the server
 * sent once it closes the stream or the connection (or after 5 s).
 */
function oneFrameCall(port: number, payloadBytes: number): Promise<ReturnType<typeof framesOf>> {
  // gRPC frame header (5), then field 99's tag (2 bytes) and a 3-byte length: sizes past 16 KiB.
  const padding = payloadBytes - 5 - 5;
  const length = [0x80 | (padding & 0x7f), 0x80 | ((padding >> 7) & 0x7f), padding >> 14];
  const message = Buffer.concat([Buffer.from([0x9a, 0x06, ...length]), Buffer.alloc(padding)]);
  const grpcFrame = Buffer.alloc(5);
  grpcFrame.writeUInt32BE(message.length, 1);
  const headers = Buffer.concat([
    literalHeader(":method", "POST"),
    literalHeader(":scheme", "http"),
    literalHeader(":path", listDevicesPath),
    literalHeader(":authority", "localhost"),
    literalHeader("content-type", "application/grpc"),
    literalHeader("te", "trailers"),
  ]);
  const start = h2Start + frame(1, 0x4, 1, headers); // HEADERS, END_HEADERS
  // DATA, END_STREAM: sent once the server's SETTINGS are acknowledged (they apply from then on).
  const data = frame(0, 0x1, 1, Buffer.concat([grpcFrame, message]));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let sent = false;
    const socket = net.connect({ port, host: "127.0.0.1" }, () => socket.write(start, "latin1"));
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(framesOf(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, 5000);
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const frames = framesOf(Buffer.concat(chunks));
      if (!sent && frames.some((f) => f.type === 4 && (f.flags & 1) === 0)) {
        sent = true;
        socket.write(frame(4, 0x1, 0, Buffer.alloc(0)) + data, "latin1");
      }
      // GOAWAY, RST_STREAM, or the trailers (HEADERS with END_STREAM) on the call's stream.
      if (frames.some((f) => f.type === 7 || f.type === 3 || (f.type === 1 && (f.flags & 1) === 1))) finish();
    });
    socket.on("close", finish);
  });
}

test("h2c announces a 64 KiB SETTINGS_MAX_FRAME_SIZE, takes DATA frames that large, and refuses larger", async () => {
  const server = await start({});
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  try {
    await new Promise<void>((resolve) => session.once("remoteSettings", () => resolve()));
    assert.equal(session.remoteSettings.maxFrameSize, 64 * 1024);

    // One 60 KiB DATA frame (beyond HTTP/2's default of 16 KiB; within the initial flow-control
    // window of 64 KiB - 1): the call is answered.
    const taken = await oneFrameCall(server.port, 60 * 1024);
    const data = taken.filter((f) => f.type === 0 && f.stream === 1);
    assert.equal(taken.filter((f) => f.type === 7).length, 0, "no GOAWAY");
    const body = Buffer.concat(data.map((f) => f.payload));
    assert.ok(body.length > 5, "a response message");
    const answer = fromBinary(ListDevicesResponseSchema, body.subarray(5, 5 + body.readUInt32BE(1)));
    assert.equal(answer.localDevice[0]?.deviceType, "CPU");

    // One byte more is a connection error (FRAME_SIZE_ERROR): the limit is enforced, not just announced.
    const refused = await oneFrameCall(server.port, 64 * 1024 + 1);
    const goaway = refused.find((f) => f.type === 7);
    assert.ok(goaway !== undefined, "GOAWAY");
    assert.equal(goaway.payload.readUInt32BE(4), http2.constants.NGHTTP2_FRAME_SIZE_ERROR);
  } finally {
    session.destroy();
    await server.app.close();
  }
});
