// TensorFlow master semantics beyond a plain RunStep (docs/semantics.md): Extend versions, partial runs,
// callables, request-id de-duplication, Close/Reset/GC cancelling steps, timeouts, tracing,
// partition graphs, shared and isolated resource state. Engine level (the Master API takes TF's
// protobuf messages, exactly what the RPC layer forwards).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ConfigProtoSchema, RunOptions_TraceLevel } from "../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
  ListDevicesRequestSchema,
  MakeCallableRequestSchema,
  PartialRunSetupRequestSchema,
  ReleaseCallableRequestSchema,
  ResetRequestSchema,
  RunCallableRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import type { Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import {
  constNode,
  DataType,
  graph,
  LONG_CHAIN,
  matMulChain,
  node,
  tensorProto,
  tensorValues,
} from "./support/graphs.js";
import { closeSession, createSession, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const f32 = (values: number[], shape = [values.length]) => tensorProto(F, shape, values);

function rejectsWith(code: string, fragment: string) {
  return (e: unknown) => {
    assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.ok(e.message.includes(fragment), `${JSON.stringify(e.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  };
}

/** a, b placeholders; s = a + b; p = s * c (c = 2). */
const abGraph = () =>
  graph(
    node("a", "Placeholder", { attrs: { dtype: attr.type(F) } }),
    node("b", "Placeholder", { attrs: { dtype: attr.type(F) } }),
    constNode("c", F, [], [2]),
    node("s", "Add", { inputs: ["a", "b"], attrs: { T: attr.type(F) } }),
    node("p", "Mul", { inputs: ["s", "c"], attrs: { T: attr.type(F) } }),
  );

/** A session on the a, b graph (or another), with an optional config. */
const create_ = (m: Master, g = abGraph(), config = {}) => createSession(m, g, config);

describe("ExtendSession", () => {
  test("versions count 1, 2, …; a stale version is ABORTED; a re-added node is INVALID_ARGUMENT", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      const ext = (v: bigint, name: string) =>
        m.extendSession(
          create(ExtendSessionRequestSchema, {
            sessionHandle: h,
            currentGraphVersion: v,
            graphDef: graph(node(name, "Neg", { inputs: ["p"], attrs: { T: attr.type(F) } })),
          }),
        );
      assert.equal((await ext(0n, "n1")).newGraphVersion, 1n);
      assert.equal((await ext(1n, "n2")).newGraphVersion, 2n);
      await assert.rejects(
        ext(1n, "n3"),
        rejectsWith("ABORTED", "Current version is 2 but caller expected 1."),
      );
      await assert.rejects(
        ext(2n, "n1"),
        rejectsWith(
          "INVALID_ARGUMENT",
          "GraphDef argument to Extend includes node 'n1', which was created by a previous call",
        ),
      );
      const r = await runStep(m, h, {
        feed: [
          { name: "a", tensor: f32([1]) },
          { name: "b", tensor: f32([2]) },
        ],
        fetch: ["n2"],
      });
      assert.deepEqual(tensorValues(r.tensor[0]!.tensor), [-6]);
    }));

  test("a failed Extend leaves the graph as it was, whether it failed converting or placing", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      const ext = (v: bigint, ...nodes: ReturnType<typeof node>[]) =>
        m.extendSession(
          create(ExtendSessionRequestSchema, {
            sessionHandle: h,
            currentGraphVersion: v,
            graphDef: graph(...nodes),
          }),
        );
      const neg = (name: string, input: string, device = "") =>
        node(name, "Neg", { inputs: [input], attrs: { T: attr.type(F) }, device });
      await assert.rejects(
        ext(0n, neg("n1", "p"), neg("n2", "nope")),
        rejectsWith("INVALID_ARGUMENT", "Unknown input node 'nope'"),
      );
      await assert.rejects(ext(0n, neg("n1", "p", "/device:CPU:99")), rejectsWith("INVALID_ARGUMENT", "n1"));
      // Neither n1 was kept: the name is free and the next Extend is version 1.
      assert.equal((await ext(0n, neg("n1", "p"), neg("n2", "n1"))).newGraphVersion, 1n);
      const r = await runStep(m, h, {
        feed: [
          { name: "a", tensor: f32([1]) },
          { name: "b", tensor: f32([2]) },
        ],
        fetch: ["n2", "p"],
      });
      assert.deepEqual(tensorValues(r.tensor[0]!.tensor), [6]);
      assert.deepEqual(tensorValues(r.tensor[1]!.tensor), [6]);
    }));

  test("concurrent Extends with the same expected version: exactly one wins", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      const results = await Promise.allSettled(
        [0, 1, 2, 3].map((i) =>
          m.extendSession(
            create(ExtendSessionRequestSchema, {
              sessionHandle: h,
              currentGraphVersion: 0n,
              graphDef: graph(constNode(`k${i}`, F, [], [i])),
            }),
          ),
        ),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      for (const r of results)
        if (r.status === "rejected") rejectsWith("ABORTED", "Current version is 1")(r.reason);
    }));
});

describe("CreateSession", () => {
  test("session thread-pool options are refused; an empty GraphDef is a valid session; handles are 32 hex digits (128 random bits)", () =>
    withMaster(async (m) => {
      for (const config of [
        { usePerSessionThreads: true },
        { sessionInterOpThreadPool: [{ numThreads: 2 }] },
      ]) {
        await assert.rejects(
          m.createSession(create(CreateSessionRequestSchema, { graphDef: graph(), config })),
          rejectsWith(
            "INVALID_ARGUMENT",
            "Distributed session does not support session thread pool options.",
          ),
        );
      }
      const { sessionHandle, graphVersion } = await m.createSession(create(CreateSessionRequestSchema));
      assert.match(sessionHandle, /^[0-9a-f]{32}$/);
      assert.equal(graphVersion, 0n);
      const devices = await m.listDevices(create(ListDevicesRequestSchema, { sessionHandle }));
      assert.ok(devices.localDevice.length >= 1);
    }));

  test("the server's default config is merged under the request's (request fields win, lists append)", () =>
    withMaster(
      async (m) => {
        // The default allows soft placement; a request that sets other fields keeps it.
        const g = graph(constNode("c", F, [], [1]));
        g.node[0]!.device = "/device:GPU:0";
        const { sessionHandle } = await m.createSession(
          create(CreateSessionRequestSchema, { graphDef: g, config: { logDevicePlacement: true } }),
        );
        const r = await runStep(m, sessionHandle, { fetch: ["c:0"] });
        assert.deepEqual(tensorValues(r.tensor[0]!.tensor), [1]);
      },
      { defaultSessionConfig: create(ConfigProtoSchema, { allowSoftPlacement: true }) },
    ));
});

describe("partial runs", () => {
  test("feeds and fetches arrive piece by piece on one step", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      const { partialRunHandle } = await m.partialRunSetup(
        create(PartialRunSetupRequestSchema, {
          sessionHandle: h,
          feed: ["a:0", "b:0"],
          fetch: ["s:0", "p:0"],
        }),
      );
      assert.equal(partialRunHandle, "0");
      const r1 = await runStep(m, h, { partialRunHandle, feed: [{ name: "a:0", tensor: f32([3]) }] });
      assert.equal(r1.tensor.length, 0);
      const r2 = await runStep(m, h, {
        partialRunHandle,
        feed: [{ name: "b:0", tensor: f32([4]) }],
        fetch: ["s:0"],
      });
      assert.deepEqual(tensorValues(r2.tensor[0]!.tensor), [7]);
      const r3 = await runStep(m, h, { partialRunHandle, fetch: ["p:0"] });
      assert.deepEqual(tensorValues(r3.tensor[0]!.tensor), [14]);
      // Complete: the handle is gone.
      await assert.rejects(
        runStep(m, h, { partialRunHandle, fetch: ["p:0"] }),
        rejectsWith("INVALID_ARGUMENT", "Must run PartialRunSetup before performing partial runs"),
      );
      const next = await m.partialRunSetup(
        create(PartialRunSetupRequestSchema, { sessionHandle: h, feed: ["a:0"], fetch: ["c:0"] }),
      );
      assert.equal(next.partialRunHandle, "1");
    }));

  test("every partial-run error, with TF's message endings", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      const setup = () =>
        m
          .partialRunSetup(
            create(PartialRunSetupRequestSchema, {
              sessionHandle: h,
              feed: ["a:0", "b:0"],
              fetch: ["s:0", "p:0"],
            }),
          )
          .then((r) => r.partialRunHandle);
      await assert.rejects(
        m.partialRunSetup(create(PartialRunSetupRequestSchema, { sessionHandle: h })),
        rejectsWith("INVALID_ARGUMENT", "Must specify at least one target to fetch or execute."),
      );
      let p = await setup();
      await assert.rejects(
        runStep(m, p === "" ? h : h, { partialRunHandle: p, feed: [{ name: "x:0", tensor: f32([1]) }] }),
        (e) =>
          rejectsWith("INVALID_ARGUMENT", "The feed x:0 was not specified in partial_run_setup.")(e) &&
          (e as Error).message.endsWith("partial_run_setup."),
      );
      p = await setup();
      await assert.rejects(
        runStep(m, h, { partialRunHandle: p, fetch: ["c:0"] }),
        (e) =>
          rejectsWith("INVALID_ARGUMENT", "The fetch c:0 was not specified in partial_run_setup.")(e) &&
          (e as Error).message.endsWith("partial_run_setup."),
      );
      p = await setup();
      await runStep(m, h, { partialRunHandle: p, feed: [{ name: "a:0", tensor: f32([1]) }] });
      await assert.rejects(
        runStep(m, h, { partialRunHandle: p, feed: [{ name: "a:0", tensor: f32([1]) }] }),
        (e) =>
          rejectsWith("INVALID_ARGUMENT", "The feed a:0 has already been fed.")(e) &&
          (e as Error).message.endsWith("fed."),
      );
      p = await setup();
      await assert.rejects(
        runStep(m, h, { partialRunHandle: p, feed: [{ name: "a:0", tensor: f32([1]) }], fetch: ["s:0"] }),
        rejectsWith(
          "INVALID_ARGUMENT",
          "Fetch b:0 can't be computed from the feeds that have been fed so far.",
        ),
      );
      p = await setup();
      await runStep(m, h, {
        partialRunHandle: p,
        feed: [
          { name: "a:0", tensor: f32([1]) },
          { name: "b:0", tensor: f32([1]) },
        ],
        fetch: ["s:0"],
      });
      await assert.rejects(
        runStep(m, h, { partialRunHandle: p, fetch: ["s:0"] }),
        (e) =>
          rejectsWith("INVALID_ARGUMENT", "The fetch s:0 has already been fetched.")(e) &&
          (e as Error).message.endsWith("fetched."),
      );
      await assert.rejects(
        runStep(m, h, { partialRunHandle: "99", fetch: ["s:0"] }),
        rejectsWith("INVALID_ARGUMENT", "Must run PartialRunSetup before performing partial runs"),
      );
    }));
});

describe("callables", () => {
  test("MakeCallable / RunCallable / ReleaseCallable with positional feeds and fetches", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      const { handle } = await m.makeCallable(
        create(MakeCallableRequestSchema, {
          sessionHandle: h,
          options: { feed: ["b:0", "a:0"], fetch: ["p:0", "s:0", "p:0"] },
        }),
      );
      assert.equal(handle, 0n);
      const r = await m.runCallable(
        create(RunCallableRequestSchema, { sessionHandle: h, handle, feed: [f32([10]), f32([1])] }),
      );
      assert.deepEqual(
        r.fetch.map((t) => tensorValues(t)),
        [[22], [11], [22]],
      );
      await assert.rejects(
        m.runCallable(create(RunCallableRequestSchema, { sessionHandle: h, handle, feed: [f32([1])] })),
        rejectsWith("INVALID_ARGUMENT", "Expected 2 feed tensors, but got 1"),
      );
      await assert.rejects(
        m.runCallable(create(RunCallableRequestSchema, { sessionHandle: h, handle: 7n })),
        rejectsWith("INVALID_ARGUMENT", "No such callable handle: 7"),
      );
      await m.releaseCallable(create(ReleaseCallableRequestSchema, { sessionHandle: h, handle }));
      await m.releaseCallable(create(ReleaseCallableRequestSchema, { sessionHandle: h, handle: 42n }));
      await assert.rejects(
        m.runCallable(
          create(RunCallableRequestSchema, { sessionHandle: h, handle, feed: [f32([1]), f32([1])] }),
        ),
        rejectsWith("INVALID_ARGUMENT", "Attempted to run callable after handle was released: 0"),
      );
      const second = await m.makeCallable(
        create(MakeCallableRequestSchema, { sessionHandle: h, options: { fetch: ["c:0"] } }),
      );
      assert.equal(second.handle, 1n);
    }));

  test("tensor_connection feeds one tensor from another, and its three errors", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      // b takes a's value: p = (a + a) * 2
      const { handle } = await m.makeCallable(
        create(MakeCallableRequestSchema, {
          sessionHandle: h,
          options: {
            feed: ["a:0"],
            fetch: ["p:0"],
            tensorConnection: [{ fromTensor: "a:0", toTensor: "b:0" }],
          },
        }),
      );
      const r = await m.runCallable(
        create(RunCallableRequestSchema, { sessionHandle: h, handle, feed: [f32([5])] }),
      );
      assert.deepEqual(tensorValues(r.fetch[0]), [20]);
      const bad = (fromTensor: string, toTensor: string) =>
        m.makeCallable(
          create(MakeCallableRequestSchema, {
            sessionHandle: h,
            options: { fetch: ["p:0"], tensorConnection: [{ fromTensor, toTensor }] },
          }),
        );
      await assert.rejects(
        bad("nope:0", "b:0"),
        rejectsWith("INVALID_ARGUMENT", 'Requested tensor connection from unknown node: "b:0".'),
      );
      await assert.rejects(
        bad("a:3", "b:0"),
        rejectsWith(
          "INVALID_ARGUMENT",
          'Requested tensor connection from unknown edge: "b:0" (actual number of outputs = 1).',
        ),
      );
      await assert.rejects(
        bad("s:0", "b:0"),
        rejectsWith(
          "INVALID_ARGUMENT",
          'Requested Tensor connection between nodes "b" and "s" would create a cycle.',
        ),
      );
      await assert.rejects(
        m.makeCallable(
          create(MakeCallableRequestSchema, {
            sessionHandle: h,
            options: { fetch: ["p:0"], feedDevices: { "a:0": "/device:CPU:0" } },
          }),
        ),
        rejectsWith("UNIMPLEMENTED", "CallableOptions::feed_devices and CallableOptions::fetch_devices"),
      );
    }));
});

describe("answers observed from a TF 2.21 master over gRPC", () => {
  const i32 = (values: number[]) => tensorProto(DataType.DT_INT32, [values.length], values);
  const wrongDtype = (recv: string) =>
    rejectsWith(
      "INTERNAL",
      `From /job:localhost/replica:0/task:0:\nOutput 0 of type int32 does not match declared output type float for node {{node ${recv}}}`,
    );
  const noOutput = (f: string) =>
    rejectsWith(
      "INVALID_ARGUMENT",
      `Tried to fetch data for '${f}', which produces no output.  To run to a node but not fetch any data, pass '${f}' as an argument to the 'target_node_names' argument of the Session::Run API.`,
    );
  const withNoOp = () => graph(...abGraph().node, node("n", "NoOp"));

  test("a wrong-dtype feed is INTERNAL from its _Recv in RunStep, partial runs and RunCallable", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      await assert.rejects(
        runStep(m, h, {
          feed: [
            { name: "a:0", tensor: i32([1]) },
            { name: "b:0", tensor: f32([1]) },
          ],
          fetch: ["s:0"],
        }),
        wrongDtype("_recv_a_0"),
      );
      // A feed the step does not use is not looked at.
      const r = await runStep(m, h, { feed: [{ name: "a:0", tensor: i32([1]) }], fetch: ["c:0"] });
      assert.deepEqual(tensorValues(r.tensor[0]!.tensor), [2]);
      const { partialRunHandle } = await m.partialRunSetup(
        create(PartialRunSetupRequestSchema, { sessionHandle: h, feed: ["a:0", "b:0"], fetch: ["s:0"] }),
      );
      await runStep(m, h, { partialRunHandle, feed: [{ name: "a:0", tensor: f32([1]) }] });
      await assert.rejects(
        runStep(m, h, { partialRunHandle, feed: [{ name: "b:0", tensor: i32([1]) }], fetch: ["s:0"] }),
        wrongDtype("_recv_b_0"),
      );
      // The failed partial run is gone.
      await assert.rejects(
        runStep(m, h, { partialRunHandle, feed: [{ name: "b:0", tensor: f32([1]) }], fetch: ["s:0"] }),
        rejectsWith("INVALID_ARGUMENT", "Must run PartialRunSetup before performing partial runs"),
      );
      const { handle } = await m.makeCallable(
        create(MakeCallableRequestSchema, {
          sessionHandle: h,
          options: { feed: ["a:0", "b:0"], fetch: ["s:0"] },
        }),
      );
      await assert.rejects(
        m.runCallable(
          create(RunCallableRequestSchema, { sessionHandle: h, handle, feed: [f32([1]), i32([2])] }),
        ),
        wrongDtype("_recv_b_0"),
      );
      // The callable stays usable.
      const ok = await m.runCallable(
        create(RunCallableRequestSchema, { sessionHandle: h, handle, feed: [f32([1]), f32([2])] }),
      );
      assert.deepEqual(tensorValues(ok.fetch[0]), [3]);
    }));

  test("fetching from a node without outputs is INVALID_ARGUMENT, however it is written", () =>
    withMaster(async (m) => {
      const h = await create_(m, withNoOp());
      for (const f of ["n", "n:0", "n:1", "^n"]) {
        await assert.rejects(runStep(m, h, { fetch: [f] }), noOutput(f));
      }
      await assert.rejects(runStep(m, h, { fetch: ["c:0", "n"], target: ["n"] }), noOutput("n"));
      await assert.rejects(
        m.partialRunSetup(
          create(PartialRunSetupRequestSchema, { sessionHandle: h, feed: ["a:0"], fetch: ["n"] }),
        ),
        noOutput("n"),
      );
      await assert.rejects(
        m.makeCallable(create(MakeCallableRequestSchema, { sessionHandle: h, options: { fetch: ["n:0"] } })),
        noOutput("n:0"),
      );
      // As a target it runs.
      assert.equal((await runStep(m, h, { target: ["n"] })).tensor.length, 0);
    }));

  test("a PartialRunSetup that fails still uses up its handle number", () =>
    withMaster(async (m) => {
      const h = await create_(m, withNoOp());
      await assert.rejects(m.partialRunSetup(create(PartialRunSetupRequestSchema, { sessionHandle: h })));
      await assert.rejects(
        m.partialRunSetup(create(PartialRunSetupRequestSchema, { sessionHandle: h, fetch: ["nope:0"] })),
        rejectsWith("NOT_FOUND", "FetchOutputs node nope:0: not found"),
      );
      const { partialRunHandle } = await m.partialRunSetup(
        create(PartialRunSetupRequestSchema, { sessionHandle: h, feed: ["a:0"], fetch: ["c:0"] }),
      );
      assert.equal(partialRunHandle, "2");
    }));
});

describe("request-id de-duplication", () => {
  test("a repeated id is ABORTED for RunStep, PartialRunSetup, MakeCallable and RunCallable; 0 is never tracked", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      await runStep(m, h, { fetch: ["c:0"], requestId: 5n });
      await assert.rejects(
        runStep(m, h, { fetch: ["c:0"], requestId: 5n }),
        rejectsWith(
          "ABORTED",
          `The same RunStep (Master) request was received twice. goo.gle/debugonly  session_handle: "${h}" fetch: "c:0" request_id: 5`,
        ),
      );
      await runStep(m, h, { fetch: ["c:0"], requestId: 0n });
      await runStep(m, h, { fetch: ["c:0"], requestId: 0n });
      await m.partialRunSetup(
        create(PartialRunSetupRequestSchema, { sessionHandle: h, fetch: ["c:0"], requestId: 6n }),
      );
      await assert.rejects(
        m.partialRunSetup(
          create(PartialRunSetupRequestSchema, { sessionHandle: h, fetch: ["c:0"], requestId: 6n }),
        ),
        rejectsWith("ABORTED", "The same PartialRunSetup (Master) request was received twice."),
      );
      await m.makeCallable(
        create(MakeCallableRequestSchema, { sessionHandle: h, options: { fetch: ["c:0"] }, requestId: 7n }),
      );
      await assert.rejects(
        m.makeCallable(
          create(MakeCallableRequestSchema, { sessionHandle: h, options: { fetch: ["c:0"] }, requestId: 7n }),
        ),
        rejectsWith("ABORTED", "The same MakeCallable (Master) request was received twice."),
      );
      await m.runCallable(create(RunCallableRequestSchema, { sessionHandle: h, handle: 0n, requestId: -8n }));
      await assert.rejects(
        m.runCallable(create(RunCallableRequestSchema, { sessionHandle: h, handle: 0n, requestId: -8n })),
        rejectsWith("ABORTED", "The same RunCallable (Master) request was received twice."),
      );
      // Checked before the handle: an unknown session with a repeated id is still "received twice".
      await assert.rejects(
        runStep(m, "0123456789abcdef", { fetch: ["c:0"], requestId: 5n }),
        rejectsWith("ABORTED", "received twice"),
      );
    }));
});

describe("Close, Reset, GC and timeouts cancel steps", () => {
  test("CloseSession cancels a running step with TF's message, and other calls are served meanwhile", () =>
    withMaster(async (m) => {
      const h = await create_(m, matMulChain(LONG_CHAIN, 160));
      // Observe the rejection from the start: it happens while closeSession is awaited.
      const step = assert.rejects(
        runStep(m, h, { fetch: [`m${LONG_CHAIN}:0`] }),
        rejectsWith("CANCELLED", "Step was cancelled by an explicit call to `Session::Close()`."),
      );
      await new Promise((r) => setTimeout(r, 50));
      // Other calls are answered while the step computes (it is still running: Close cancels it).
      const devices = await m.listDevices(create(ListDevicesRequestSchema));
      assert.ok(devices.localDevice.length >= 1);
      await closeSession(m, h);
      await step;
      await assert.rejects(
        closeSession(m, h),
        rejectsWith("ABORTED", `Session ${h} is not found. Possibly, this master has restarted.`),
      );
    }));

  test("RunOptions.timeout_in_ms stops the step with DEADLINE_EXCEEDED", () =>
    withMaster(async (m) => {
      const h = await create_(m, matMulChain(LONG_CHAIN, 160));
      const t0 = Date.now();
      await assert.rejects(
        runStep(m, h, { fetch: [`m${LONG_CHAIN}:0`], options: { timeoutInMs: 100n } }),
        rejectsWith("DEADLINE_EXCEEDED", "Timed out"),
      );
      assert.ok(Date.now() - t0 < 2000, "the step stopped soon after its deadline");
      // The session is still usable.
      const r = await runStep(m, h, { fetch: ["m1:0"] });
      assert.equal(r.tensor.length, 1);
    }));

  test("the server default operation_timeout_in_ms applies when the request gives none", () =>
    withMaster(
      async (m) => {
        const h = await create_(m, matMulChain(LONG_CHAIN, 160));
        await assert.rejects(
          runStep(m, h, { fetch: [`m${LONG_CHAIN}:0`] }),
          rejectsWith("DEADLINE_EXCEEDED", "Timed out"),
        );
      },
      { defaultSessionConfig: create(ConfigProtoSchema, { operationTimeoutInMs: 100n }) },
    ));

  test("idle sessions are garbage collected; their steps are CANCELLED with TF's message", () =>
    withMaster(
      async (m) => {
        const idle = await create_(m);
        await new Promise((r) => setTimeout(r, 400));
        await assert.rejects(
          runStep(m, idle, { fetch: ["c:0"] }),
          rejectsWith("ABORTED", `Session ${idle} is not found.`),
        );
        const busy = await create_(m, matMulChain(LONG_CHAIN, 160));
        const step = runStep(m, busy, { fetch: [`m${LONG_CHAIN}:0`] });
        await assert.rejects(
          step,
          rejectsWith(
            "CANCELLED",
            "Step was cancelled because the session was garbage collected due to inactivity.",
          ),
        );
      },
      { sessionIdleTimeoutMs: 150 },
    ));

  test("Reset closes every session and clears variables of the default container", () =>
    withMaster(async (m) => {
      const varGraph = graph(
        node("v", "VariableV2", { attrs: { dtype: attr.type(F), shape: attr.shape([]) } }),
        constNode("one", F, [], [1]),
        node("init", "Assign", { inputs: ["v", "one"], attrs: { T: attr.type(F) } }),
        node("read", "Identity", { inputs: ["v"], attrs: { T: attr.type(F) } }),
      );
      const h1 = await create_(m, varGraph);
      await runStep(m, h1, { target: ["init"] });
      // Non-isolated state is shared: a second session sees the variable.
      const h2 = await create_(m, varGraph);
      assert.deepEqual(tensorValues((await runStep(m, h2, { fetch: ["read:0"] })).tensor[0]!.tensor), [1]);
      // An isolated session does not.
      const h3 = await create_(m, varGraph, { isolateSessionState: true });
      await assert.rejects(
        runStep(m, h3, { fetch: ["read:0"] }),
        rejectsWith("FAILED_PRECONDITION", "Attempting to use uninitialized value v"),
      );
      await m.reset(create(ResetRequestSchema));
      await assert.rejects(runStep(m, h1, { fetch: ["read:0"] }), rejectsWith("ABORTED", "is not found"));
      const h4 = await create_(m, varGraph);
      await assert.rejects(
        runStep(m, h4, { fetch: ["read:0"] }),
        rejectsWith("FAILED_PRECONDITION", "Attempting to use uninitialized value v"),
      );
    }));
});

describe("RunMetadata", () => {
  test("graph_options.build_cost_model = 2 returns a cost graph on every 2nd execution after build_cost_model_after", () =>
    withMaster(async (m) => {
      const h = await create_(m, abGraph(), {
        graphOptions: { buildCostModel: 2n, buildCostModelAfter: 1n },
      });
      const step = () =>
        runStep(m, h, {
          feed: [
            { name: "a:0", tensor: f32([1]) },
            { name: "b:0", tensor: f32([2]) },
          ],
          fetch: ["p:0"],
        });
      const got: boolean[] = [];
      for (let i = 0; i < 5; i++) got.push((await step()).metadata?.costGraph !== undefined);
      // executions 0..4: (count + 1 - after) % 2 === 0 → counts 0, 2, 4
      assert.deepEqual(got, [true, false, true, false, true]);
      const cg = (await step()).metadata?.costGraph ?? (await step()).metadata!.costGraph!;
      const p = cg.node.find((n) => n.name === "p")!;
      assert.equal(p.device, "/job:localhost/replica:0/task:0/device:CPU:0");
      assert.equal(p.inputInfo.length, 2);
      assert.equal(p.outputInfo[0]!.size, 4n);
      assert.equal(p.outputInfo[0]!.dtype, F);
      assert.ok(cg.node.some((n) => n.name === "_send_p_0" && n.isFinal));
    }));

  test("FULL_TRACE gives one DeviceStepStats per device with a NodeExecStats per node; partition graphs on request", () =>
    withMaster(async (m) => {
      const h = await create_(m);
      const r = await runStep(m, h, {
        feed: [
          { name: "a:0", tensor: f32([1]) },
          { name: "b:0", tensor: f32([2]) },
        ],
        fetch: ["p:0"],
        options: { traceLevel: RunOptions_TraceLevel.FULL_TRACE, outputPartitionGraphs: true },
      });
      const dev = r.metadata?.stepStats?.devStats ?? [];
      assert.equal(dev.length, 1);
      assert.equal(dev[0]!.device, "/job:localhost/replica:0/task:0/device:CPU:0");
      const names = dev[0]!.nodeStats.map((n) => n.nodeName).sort();
      assert.deepEqual(names, ["_SOURCE", "c", "p", "s"]);
      const p = dev[0]!.nodeStats.find((n) => n.nodeName === "p")!;
      assert.ok(p.allStartMicros > 1_600_000_000_000_000n);
      assert.equal(p.output[0]!.tensorDescription?.dtype, F);
      const parts = r.metadata?.partitionGraphs ?? [];
      assert.equal(parts.length, 1);
      assert.deepEqual(parts[0]!.node.map((n) => n.op).sort(), [
        "Add",
        "Const",
        "Mul",
        "_Recv",
        "_Recv",
        "_Send",
      ]);
      const plain = await runStep(m, h, {
        feed: [
          { name: "a:0", tensor: f32([1]) },
          { name: "b:0", tensor: f32([2]) },
        ],
        fetch: ["p:0"],
      });
      assert.equal(plain.metadata?.stepStats, undefined);
      assert.equal(plain.metadata?.partitionGraphs.length, 0);
    }));
});
