// Concurrent use over a real server: many sessions at once, many steps on one session, ExtendSession
// racing RunStep; and a caller that goes away (disconnect or deadline) cancels its step.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { attr } from "./support/attr.js";
import {
  DataType,
  graph,
  LONG_CHAIN,
  linearExpected,
  linearGraph,
  matMulChain,
  node,
  tensorProto,
  tensorValues,
} from "./support/graphs.js";
import { masterClient, type RunningServer, startServer } from "./support/server.js";
import { createSession, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
let server: RunningServer;
before(async () => {
  server = await startServer({ master: { cpuDevices: 2 } });
});
after(async () => {
  await server.close();
});

/** A chain of MatMuls: a step that computes for a while. */
describe("concurrent use", () => {
  test("20 sessions running steps at once each get their own answers", async () => {
    const client = masterClient("grpc", server.url);
    const handles = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.createSession({ graphDef: linearGraph() }).then((r) => r.sessionHandle),
      ),
    );
    await Promise.all(
      handles.map(async (h, k) => {
        for (let round = 0; round < 3; round++) {
          const x = [k, round, -k, 2 * round];
          const r = await client.runStep({
            sessionHandle: h,
            feed: [{ name: "x:0", tensor: tensorProto(F, [2, 2], x) }],
            fetch: ["y:0"],
          });
          assert.deepEqual(tensorValues(r.tensor[0]!.tensor), linearExpected(x));
        }
      }),
    );
    await Promise.all(handles.map((h) => client.closeSession({ sessionHandle: h })));
  });

  test("50 concurrent steps on one session, over all four protocols", async () => {
    const clients = (["connect-json", "connect-binary", "grpc", "grpc-web"] as const).map((p) =>
      masterClient(p, server.url),
    );
    const { sessionHandle } = await clients[0]!.createSession({ graphDef: linearGraph() });
    await Promise.all(
      Array.from({ length: 50 }, async (_, k) => {
        const x = [k, -k];
        const r = await clients[k % 4]!.runStep({
          sessionHandle,
          feed: [{ name: "x:0", tensor: tensorProto(F, [1, 2], x) }],
          fetch: ["y:0"],
        });
        assert.deepEqual(tensorValues(r.tensor[0]!.tensor), linearExpected(x));
      }),
    );
    await clients[0]!.closeSession({ sessionHandle });
  });

  test("ExtendSession racing RunStep: every step succeeds, versions count up, every extension lands", async () => {
    const client = masterClient("grpc", server.url);
    const { sessionHandle } = await client.createSession({ graphDef: linearGraph() });
    let version = 0n;
    const extender = (async () => {
      for (let i = 0; i < 15; i++) {
        const r = await client.extendSession({
          sessionHandle,
          currentGraphVersion: version,
          graphDef: graph(node(`neg${i}`, "Neg", { inputs: ["y"], attrs: { T: attr.type(F) } })),
        });
        assert.equal(r.newGraphVersion, version + 1n);
        version = r.newGraphVersion;
      }
    })();
    const runners = Array.from({ length: 4 }, async (_, k) => {
      for (let i = 0; i < 10; i++) {
        const x = [i, k];
        const r = await client.runStep({
          sessionHandle,
          feed: [{ name: "x:0", tensor: tensorProto(F, [1, 2], x) }],
          fetch: ["y:0"],
        });
        assert.deepEqual(tensorValues(r.tensor[0]!.tensor), linearExpected(x));
      }
    });
    await Promise.all([extender, ...runners]);
    const last = await client.runStep({
      sessionHandle,
      feed: [{ name: "x:0", tensor: tensorProto(F, [1, 2], [1, 1]) }],
      fetch: ["neg14:0"],
    });
    assert.deepEqual(
      tensorValues(last.tensor[0]!.tensor),
      linearExpected([1, 1]).map((v) => -v),
    );
    await client.closeSession({ sessionHandle });
  });
});

describe("a caller that goes away cancels its step", () => {
  test("over gRPC: a client deadline ends the call with DEADLINE_EXCEEDED and the session stays usable", async () => {
    const client = masterClient("grpc", server.url);
    const { sessionHandle } = await client.createSession({ graphDef: matMulChain(LONG_CHAIN, 160) });
    await assert.rejects(
      client.runStep({ sessionHandle, fetch: [`m${LONG_CHAIN}:0`] }, { timeoutMs: 150 }),
      (e: unknown) => e instanceof ConnectError && e.code === Code.DeadlineExceeded,
    );
    const r = await client.runStep({ sessionHandle, fetch: ["m1:0"] });
    assert.equal(r.tensor.length, 1);
    await client.closeSession({ sessionHandle });
  });

  test("engine level: the caller's abort (what the RPC layer passes on disconnect) fails the step CANCELLED", async () => {
    await withMaster(
      async (m) => {
        const sessionHandle = await createSession(m, matMulChain(LONG_CHAIN, 160));
        const caller = new AbortController();
        const step = runStep(m, sessionHandle, { fetch: [`m${LONG_CHAIN}:0`] }, { signal: caller.signal });
        setTimeout(() => caller.abort(new Error("client went away")), 100);
        await assert.rejects(step, (e: unknown) => {
          assert.ok(isTfError(e));
          assert.equal(tfCodeName(e.code), "CANCELLED");
          assert.match(e.message, /client cancelled the call/);
          return true;
        });
      },
      { cpuDevices: 1 },
    );
  });
});
