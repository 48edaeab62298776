// The operator's policy per principal: an op allow/deny list (function bodies included), session
// and concurrent-step quotas, and the step timeout's default and ceiling.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { FunctionDefLibrarySchema } from "../gen/tensorflow/core/framework/function_pb.js";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { createMaster, type MasterOptions } from "../server/engine/master/master.js";
import { stepTimeoutMs } from "../server/engine/master/policy.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, LONG_CHAIN, matMulChain, node } from "./support/graphs.js";

const F = DataType.DT_FLOAT;
const small = () =>
  graph(constNode("a", F, [1], [1]), node("b", "Neg", { inputs: ["a"], attrs: { T: attr.type(F) } }));

async function rejects(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isTfError(e), String(e));
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.match(e.message, text);
    return true;
  });
}

async function withMaster(
  options: Partial<MasterOptions>,
  f: (m: ReturnType<typeof createMaster>) => Promise<void>,
) {
  const m = createMaster({ cpuDevices: 1, workerThreads: false, ...options });
  try {
    await f(m);
  } finally {
    await m.close();
  }
}

const as = (principal: string) => ({ principal });

describe("op policy", () => {
  test("a denied op fails CreateSession and ExtendSession, in nodes and in function bodies", () =>
    withMaster({ opPolicy: { allow: undefined, deny: ["Neg", "ReadFile"] } }, async (m) => {
      await rejects(
        m.createSession(create(CreateSessionRequestSchema, { graphDef: small() })),
        "PERMISSION_DENIED",
        /Op 'Neg' \(node 'b'\) is not allowed on this server \(--ops-deny\)/,
      );
      const withFunction = graph(constNode("a", F, [1], [1]));
      withFunction.library = create(FunctionDefLibrarySchema, {
        function: [{ signature: { name: "reader" }, nodeDef: [node("r", "ReadFile", { inputs: ["x"] })] }],
      });
      await rejects(
        m.createSession(create(CreateSessionRequestSchema, { graphDef: withFunction })),
        "PERMISSION_DENIED",
        /Op 'ReadFile' \(node 'r' in function 'reader'\)/,
      );
      const { sessionHandle } = await m.createSession(
        create(CreateSessionRequestSchema, { graphDef: graph(constNode("a", F, [1], [1])) }),
      );
      await rejects(
        m.extendSession(
          create(ExtendSessionRequestSchema, {
            sessionHandle,
            currentGraphVersion: 0n,
            graphDef: graph(node("b", "Neg", { inputs: ["a"], attrs: { T: attr.type(F) } })),
          }),
        ),
        "PERMISSION_DENIED",
        /Op 'Neg'/,
      );
    }));

  test("an allow list admits only its ops", () =>
    withMaster({ opPolicy: { allow: ["Const", "Neg"], deny: [] } }, async (m) => {
      await m.createSession(create(CreateSessionRequestSchema, { graphDef: small() }));
      const withAdd = graph(
        constNode("a", F, [1], [1]),
        node("s", "Add", { inputs: ["a", "a"], attrs: { T: attr.type(F) } }),
      );
      await rejects(
        m.createSession(create(CreateSessionRequestSchema, { graphDef: withAdd })),
        "PERMISSION_DENIED",
        /Op 'Add' \(node 's'\) is not allowed on this server \(--ops-allow\)/,
      );
    }));
});

describe("quotas per principal", () => {
  test("sessions: over the quota is RESOURCE_EXHAUSTED for that principal only", () =>
    withMaster({ maxSessionsPerPrincipal: 2 }, async (m) => {
      const req = () => create(CreateSessionRequestSchema, { graphDef: small() });
      const first = await m.createSession(req(), as("alice"));
      await m.createSession(req(), as("alice"));
      await rejects(
        m.createSession(req(), as("alice")),
        "RESOURCE_EXHAUSTED",
        /principal 'alice' \(the limit is 2, --max-sessions-per-principal\)/,
      );
      await m.createSession(req(), as("bob"));
      await m.closeSession({ sessionHandle: first.sessionHandle } as never, as("alice"));
      await m.createSession(req(), as("alice"));
    }));

  test("concurrent steps: a second step while one runs is refused; other principals run", () =>
    withMaster({ maxConcurrentStepsPerPrincipal: 1 }, async (m) => {
      const a = await m.createSession(create(CreateSessionRequestSchema, { graphDef: small() }), as("alice"));
      const b = await m.createSession(create(CreateSessionRequestSchema, { graphDef: small() }), as("bob"));
      const step = (h: string, who: string) =>
        m.runStep(create(RunStepRequestSchema, { sessionHandle: h, fetch: ["b:0"] }), as(who));
      const running = step(a.sessionHandle, "alice");
      await rejects(
        step(a.sessionHandle, "alice"),
        "RESOURCE_EXHAUSTED",
        /--max-concurrent-steps-per-principal/,
      );
      await step(b.sessionHandle, "bob");
      await running;
      await step(a.sessionHandle, "alice");
    }));
});

describe("request rate per principal", () => {
  test("past its burst a principal's calls are RESOURCE_EXHAUSTED naming the quota; others are unaffected", () =>
    withMaster({ maxRequestsPerSecondPerPrincipal: 1, requestBurstPerPrincipal: 3 }, async (m) => {
      const a = await m.createSession(create(CreateSessionRequestSchema, { graphDef: small() }), as("alice"));
      const step = (h: string, who: string) =>
        m.runStep(create(RunStepRequestSchema, { sessionHandle: h, fetch: ["b:0"] }), as(who));
      await step(a.sessionHandle, "alice");
      await step(a.sessionHandle, "alice");
      await rejects(
        step(a.sessionHandle, "alice"),
        "RESOURCE_EXHAUSTED",
        /Too many requests for principal 'alice' \(the limit is 1 per second with bursts of 3, --max-requests-per-second-per-principal\)/,
      );
      await rejects(
        m.listDevices({ sessionHandle: "" } as never, as("alice")),
        "RESOURCE_EXHAUSTED",
        /'alice'/,
      );
      const b = await m.createSession(create(CreateSessionRequestSchema, { graphDef: small() }), as("bob"));
      await step(b.sessionHandle, "bob");
      await step(b.sessionHandle, "bob");
    }));
});

describe("step timeouts", () => {
  test("the rule: the request's, else the session's operation_timeout_in_ms, else --max-step-ms, capped by it", () => {
    assert.equal(stepTimeoutMs(0n, 0n, 0), 0);
    assert.equal(stepTimeoutMs(500n, 0n, 0), 500);
    assert.equal(stepTimeoutMs(0n, 700n, 0), 700);
    assert.equal(stepTimeoutMs(-5n, 700n, 0), 700);
    assert.equal(stepTimeoutMs(0n, 0n, 900), 900);
    assert.equal(stepTimeoutMs(5000n, 0n, 900), 900);
    assert.equal(stepTimeoutMs(0n, 5000n, 900), 900);
    assert.equal(stepTimeoutMs(100n, 5000n, 900), 100);
  });

  test("a call deadline no later than the step's (as gRPC rounds it) leaves the step to the call's deadline", () => {
    assert.equal(stepTimeoutMs(1500n, 0n, 0, 1500), 0);
    assert.equal(stepTimeoutMs(1500n, 0n, 0, 1499), 0);
    assert.equal(stepTimeoutMs(1500n, 0n, 0, 1510), 0);
    assert.equal(stepTimeoutMs(200n, 0n, 0, 201), 0);
    assert.equal(stepTimeoutMs(1500n, 0n, 0, 1531), 1500);
    assert.equal(stepTimeoutMs(0n, 0n, 0, 10), 0);
    assert.equal(stepTimeoutMs(0n, 0n, 900, 2000), 900);
    assert.equal(stepTimeoutMs(0n, 0n, 900, 800), 0);
  });

  test("--max-step-ms ends a step that asked for no timeout", () =>
    withMaster({ maxStepMs: 50 }, async (m) => {
      const { sessionHandle } = await m.createSession(
        create(CreateSessionRequestSchema, { graphDef: matMulChain(LONG_CHAIN, 128) }),
      );
      await rejects(
        m.runStep(create(RunStepRequestSchema, { sessionHandle, fetch: [`m${LONG_CHAIN}:0`] })),
        "DEADLINE_EXCEEDED",
        /./,
      );
    }));

  test("a session's operation_timeout_in_ms is its steps' default, as in TF's DirectSession", () =>
    withMaster({}, async (m) => {
      const { sessionHandle } = await m.createSession(
        create(CreateSessionRequestSchema, {
          graphDef: matMulChain(LONG_CHAIN, 128),
          config: { operationTimeoutInMs: 50n },
        }),
      );
      await rejects(
        m.runStep(create(RunStepRequestSchema, { sessionHandle, fetch: [`m${LONG_CHAIN}:0`] })),
        "DEADLINE_EXCEEDED",
        /./,
      );
    }));
});
