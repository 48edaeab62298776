// createHealthServer: Check/List answers, Watch updates, shutdown.

import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext } from "@connectrpc/connect";
import {
  Health,
  HealthCheckRequestSchema,
  HealthListRequestSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../gen/grpc/health/v1/health_pb.js";
import { createHealthServer } from "./health.js";

function context(signal: AbortSignal = new AbortController().signal) {
  return createHandlerContext({
    service: Health,
    method: Health.method.watch,
    protocolName: "test",
    requestMethod: "POST",
    url: "http://localhost/grpc.health.v1.Health/Watch",
    requestSignal: signal,
  });
}

test("Check: '' and known services SERVING, unknown NOT_FOUND", async () => {
  const health = createHealthServer(["tensorflow.MasterService"]);
  for (const service of ["", "tensorflow.MasterService"]) {
    const response = await health.impl.check?.(create(HealthCheckRequestSchema, { service }), context());
    assert.equal(response?.status, ServingStatus.SERVING, service);
  }
  await assert.rejects(
    async () => health.impl.check?.(create(HealthCheckRequestSchema, { service: "nope.Service" }), context()),
    (error: unknown) =>
      error instanceof ConnectError &&
      error.code === Code.NotFound &&
      error.rawMessage.includes('"nope.Service"'),
  );
});

test("List: every status", async () => {
  const health = createHealthServer(["a.A", "b.B"]);
  const response = await health.impl.list?.(create(HealthListRequestSchema), context());
  assert.deepEqual(Object.keys(response?.statuses ?? {}).sort(), ["", "a.A", "b.B"]);
});

test("Watch: current status, each change, NOT_SERVING on shutdown, then the end", async () => {
  const health = createHealthServer(["a.A"]);
  const stream = health.impl.watch?.(create(HealthCheckRequestSchema, { service: "a.A" }), context());
  assert.ok(stream !== undefined);
  const it = stream[Symbol.asyncIterator]();
  assert.equal((await it.next()).value?.status, ServingStatus.SERVING);
  health.setStatus("a.A", ServingStatus.NOT_SERVING);
  assert.equal((await it.next()).value?.status, ServingStatus.NOT_SERVING);
  health.setStatus("a.A", ServingStatus.SERVING);
  assert.equal((await it.next()).value?.status, ServingStatus.SERVING);
  health.shutdown();
  assert.equal((await it.next()).value?.status, ServingStatus.NOT_SERVING);
  assert.equal((await it.next()).done, true);
});

test("Watch: an unknown service is SERVICE_UNKNOWN and the stream stays open until cancelled", async () => {
  const health = createHealthServer([]);
  const abort = new AbortController();
  const stream = health.impl.watch?.(
    create(HealthCheckRequestSchema, { service: "later.L" }),
    context(abort.signal),
  );
  assert.ok(stream !== undefined);
  const it = stream[Symbol.asyncIterator]();
  assert.equal((await it.next()).value?.status, ServingStatus.SERVICE_UNKNOWN);
  health.setStatus("later.L", ServingStatus.SERVING);
  assert.equal((await it.next()).value?.status, ServingStatus.SERVING);
  const next = it.next();
  abort.abort();
  assert.equal((await next).done, true);
});
