// resolveServerOptions: defaults, range checks and the CORS policy helpers.

import assert from "node:assert/strict";
import { test } from "node:test";
import { isLoopbackOrigin, resolveServerOptions, ServerOptionsError } from "./options.js";

test("defaults: loopback address, port 8080, 64 MiB messages, loopback CORS", () => {
  const options = resolveServerOptions();
  assert.equal(options.host, "127.0.0.1");
  assert.equal(options.port, 8080);
  assert.equal(options.maxMessageBytes, 64 * 1024 * 1024);
  assert.equal(options.corsOrigin, "loopback");
  assert.equal(options.logLevel, "info");
  assert.equal(options.tlsCert, undefined);
  // The engine defaults the server decides: cluster_defs as TF honours them, on loopback; and
  // whether its own port serves the WorkerService (only with gatewayWorkerService).
  assert.equal(options.gatewayWorkerService, false);
  assert.deepEqual(options.master, { sessionClusters: "any", targetServesWorkerService: false });
});

test("gatewayWorkerService decides the engine's targetServesWorkerService, whatever master says", () => {
  assert.equal(resolveServerOptions({ gatewayWorkerService: true }).master.targetServesWorkerService, true);
  const claimed = resolveServerOptions({ master: { targetServesWorkerService: true } });
  assert.equal(claimed.master.targetServesWorkerService, false);
});

test("out-of-range numbers name the option and the range", () => {
  const cases: [Parameters<typeof resolveServerOptions>[0], string, RegExp][] = [
    [{ port: 70000 }, "port", /port must be an integer from 0 to 65535, got 70000/],
    [{ port: 1.5 }, "port", /got 1.5/],
    [{ maxMessageBytes: 0 }, "maxMessageBytes", /from 1 to 4294967295/],
    [{ maxMessageBytes: 2 ** 32 }, "maxMessageBytes", /got 4294967296/],
    [{ shutdownTimeoutMs: -1 }, "shutdownTimeoutMs", /from 0 to 600000/],
    [{ connectionIdleTimeoutMs: 0 }, "connectionIdleTimeoutMs", /from 1 to 3600000/],
  ];
  for (const [partial, option, message] of cases) {
    assert.throws(
      () => resolveServerOptions(partial),
      (error: unknown) =>
        error instanceof ServerOptionsError && error.option === option && message.test(error.message),
      `${JSON.stringify(partial)}`,
    );
  }
});

test("TLS needs both files", () => {
  assert.throws(
    () => resolveServerOptions({ tlsCert: "cert.pem" }),
    /tlsCert and tlsKey must be given together/,
  );
  assert.equal(resolveServerOptions({ tlsCert: "c.pem", tlsKey: "k.pem" }).tlsKey, "k.pem");
});

test("log level must be one of pino's", () => {
  assert.throws(
    () => resolveServerOptions({ logLevel: "loud" as "info" }),
    /logLevel must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/,
  );
});

test("CORS origins must be bare origins", () => {
  assert.deepEqual(
    resolveServerOptions({ corsOrigin: ["https://a.example", "http://localhost:5173"] }).corsOrigin,
    ["https://a.example", "http://localhost:5173"],
  );
  assert.throws(
    () => resolveServerOptions({ corsOrigin: ["https://a.example/app"] }),
    /no path\), got "https:\/\/a\.example\/app"/,
  );
  assert.throws(() => resolveServerOptions({ corsOrigin: ["a.example"] }), /got "a\.example"/);
  assert.throws(() => resolveServerOptions({ corsOrigin: [] }), /at least one origin/);
  assert.throws(() => resolveServerOptions({ corsOrigin: "everything" as "*" }), /got "everything"/);
});

test("isLoopbackOrigin accepts pages served from this machine only", () => {
  for (const origin of [
    "http://localhost:5173",
    "http://127.0.0.1",
    "https://[::1]:8443",
    "http://localhost",
  ]) {
    assert.equal(isLoopbackOrigin(origin), true, origin);
  }
  for (const origin of [
    "https://evil.example",
    "http://localhost.evil.example",
    "null",
    "file://",
    "http://10.0.0.1",
  ]) {
    assert.equal(isLoopbackOrigin(origin), false, origin);
  }
});
