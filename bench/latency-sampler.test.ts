// bench/latency-sampler.ts against a tiny h2c server that answers gRPC: the sampler process says
// "ready" after its first call, samples until stopped, and hands back every call it timed; a
// first call answered with an error status, or a server that is not there, fails the start
// instead of hanging it.

import assert from "node:assert/strict";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { lengthPrefixed } from "./h2load-wire.js";
import { samplerNiceness, startSampler } from "./latency-sampler.js";

/** An h2c server whose every call ends with `status` (grpc-status) after an empty message. */
async function grpcServer(
  status: number,
): Promise<{ origin: string; calls: () => number; close(): Promise<void>; drop(): void }> {
  let calls = 0;
  const server = http2.createServer();
  const sessions = new Set<http2.Http2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  server.on("stream", (stream) => {
    calls++;
    stream.resume();
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": String(status) }));
      stream.end(lengthPrefixed(new Uint8Array(0)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    /** Stops listening and destroys every open connection. */
    drop() {
      server.close();
      for (const session of sessions) session.destroy();
    },
  };
}

test("the sampler times calls until stopped, first call left out", async () => {
  const server = await grpcServer(0);
  try {
    const sampler = await startSampler(server.origin, "/x.Y/Z", 5);
    assert.ok(sampler.niceness === samplerNiceness || sampler.niceness === 0, String(sampler.niceness));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sample = await sampler.stop();
    assert.equal(sample.errors, 0, sample.firstError);
    assert.ok(sample.latenciesMs.length >= 3, `only ${sample.latenciesMs.length} samples`);
    assert.equal(sample.latenciesMs.length, server.calls() - 1);
    for (const ms of sample.latenciesMs) assert.ok(ms > 0 && ms < 10_000, String(ms));
  } finally {
    await server.close();
  }
});

test("a call answered with an error status fails the start", async () => {
  const server = await grpcServer(14);
  try {
    await assert.rejects(
      startSampler(server.origin, "/x.Y/Z", 5),
      /latency sampler: first call failed: .*14/,
    );
  } finally {
    await server.close();
  }
});

test("no server there: the start fails", async () => {
  const server = await grpcServer(0);
  const { origin } = server;
  await server.close();
  await assert.rejects(startSampler(origin, "/x.Y/Z", 5), /latency sampler: first call failed/);
});

test("a server that goes away while sampled: later calls count as errors, and stop still answers", async () => {
  const server = await grpcServer(0);
  const sampler = await startSampler(server.origin, "/x.Y/Z", 5);
  await new Promise((resolve) => setTimeout(resolve, 50));
  server.drop();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const sample = await sampler.stop();
  assert.ok(sample.errors > 0, "calls after the close are errors");
  assert.ok(sample.firstError !== undefined && sample.firstError.length > 0);
});
