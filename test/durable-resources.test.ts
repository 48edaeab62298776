// Resources outlive the worker thread that held them (docs/architecture.md, "Resources that
// outlive a worker thread"): variables (resource and ref), queues with their elements and lookup
// tables come back on the replacement thread after a crash and after the watchdog replaced a
// thread stuck in a cancelled step's kernel; every principal keeps its own; an iterator goes on
// where it was (more pipelines, and those that cannot be replayed, in iterator-restore.test.ts).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  ResetRequestSchema,
  type RunStepResponse,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import type { Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";
import { crashCpu1, on1, watchdogCpu1 } from "./support/replacement.js";
import { fetched, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const I64 = DataType.DT_INT64;
const S = DataType.DT_STRING;

/** A Const node of a string vector. */
function stringConst(name: string, strings: readonly string[]) {
  const value = create(TensorProtoSchema, {
    dtype: S,
    tensorShape: { dim: [{ size: BigInt(strings.length) }] },
    stringVal: strings.map((x) => new TextEncoder().encode(x)),
  });
  return node(name, "Const", { attrs: { dtype: attr.type(S), value: attr.tensor(value) } });
}

/** Every kind of kept state on CPU:1: a resource variable, a ref variable, a queue, a table. */
function statefulGraph(): GraphDef {
  return graph(
    on1(
      node("v", "VarHandleOp", {
        attrs: { dtype: attr.type(F), shape: attr.shape([3]), shared_name: attr.string("v") },
      }),
    ),
    on1(constNode("v0", F, [3], [1, 2, 3])),
    on1(node("v_init", "AssignVariableOp", { inputs: ["v", "v0"], attrs: { dtype: attr.type(F) } })),
    on1(constNode("ones", F, [3], [1, 1, 1])),
    on1(node("v_bump", "AssignAddVariableOp", { inputs: ["v", "ones"], attrs: { dtype: attr.type(F) } })),
    on1(node("v_read", "ReadVariableOp", { inputs: ["v"], attrs: { dtype: attr.type(F) } })),
    on1(
      node("r", "VariableV2", {
        attrs: { dtype: attr.type(F), shape: attr.shape([2]), shared_name: attr.string("r") },
      }),
    ),
    on1(constNode("r0", F, [2], [5, 6])),
    on1(node("r_init", "Assign", { inputs: ["r", "r0"], attrs: { T: attr.type(F) } })),
    on1(node("r_read", "Identity", { inputs: ["r"], attrs: { T: attr.type(F) } })),
    on1(
      node("q", "FIFOQueueV2", {
        attrs: {
          component_types: attr.typeList([F]),
          shapes: attr.shapeList([[]]),
          shared_name: attr.string("q"),
        },
      }),
    ),
    on1(constNode("items", F, [3], [10, 20, 30])),
    on1(
      node("q_fill", "QueueEnqueueManyV2", {
        inputs: ["q", "items"],
        attrs: { Tcomponents: attr.typeList([F]) },
      }),
    ),
    on1(node("q_take", "QueueDequeueV2", { inputs: ["q"], attrs: { component_types: attr.typeList([F]) } })),
    on1(node("q_size", "QueueSizeV2", { inputs: ["q"] })),
    on1(
      node("t", "MutableHashTableV2", {
        attrs: { key_dtype: attr.type(S), value_dtype: attr.type(I64), shared_name: attr.string("t") },
      }),
    ),
    on1(stringConst("keys", ["a", "b"])),
    on1(constNode("vals", I64, [2], [1, 2])),
    on1(
      node("t_fill", "LookupTableInsertV2", {
        inputs: ["t", "keys", "vals"],
        attrs: { Tin: attr.type(S), Tout: attr.type(I64) },
      }),
    ),
    on1(stringConst("probe", ["a", "b", "c"])),
    on1(constNode("missing", I64, [], [-1])),
    on1(
      node("t_find", "LookupTableFindV2", {
        inputs: ["t", "probe", "missing"],
        attrs: { Tin: attr.type(S), Tout: attr.type(I64) },
      }),
    ),
  );
}

const alice = { principal: "alice" };
const bob = { principal: "bob" };

/** CreateSession as `as`. */
async function createSession(m: Master, graphDef: GraphDef, as = alice): Promise<string> {
  return (await m.createSession(create(CreateSessionRequestSchema, { graphDef }), as)).sessionHandle;
}

const values = (res: RunStepResponse, name: string) => tensorValues(fetched(res, name)).map(Number);

/** Checks alice's state after `taken` elements were dequeued and `bumps` AssignAdds. */
async function expectState(m: Master, session: string, bumps: number, left: number, as = alice) {
  const r = await runStep(m, session, { fetch: ["v_read:0", "r_read:0", "q_size:0", "t_find:0"] }, as);
  assert.deepEqual(values(r, "v_read:0"), [1 + bumps, 2 + bumps, 3 + bumps]);
  assert.deepEqual(values(r, "r_read:0"), [5, 6]);
  assert.deepEqual(values(r, "q_size:0"), [left]);
  assert.deepEqual(values(r, "t_find:0"), [1, 2, -1]);
}

describe("resources survive the replacement of their worker thread", () => {
  test("after a crash and after the watchdog, every kind of state is where it was, per principal", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const a1 = await createSession(m, statefulGraph());
        await runStep(m, a1, { target: ["v_init", "r_init", "q_fill", "t_fill"] }, alice);
        await runStep(m, a1, { target: ["v_bump"] }, alice);
        assert.deepEqual(values(await runStep(m, a1, { fetch: ["q_take:0"] }, alice), "q_take:0"), [10]);
        // Bob's variable of the same name is his own.
        const b1 = await createSession(m, statefulGraph(), bob);
        await runStep(m, b1, { target: ["v_init", "r_init", "q_fill", "t_fill"] }, bob);
        await expectState(m, b1, 0, 3, bob);

        await crashCpu1(m, logs, 1);
        await expectState(m, a1, 1, 2);
        await expectState(m, b1, 0, 3, bob);
        // A second session of the same principal sees the same state, and changes it.
        const a2 = await createSession(m, statefulGraph());
        await expectState(m, a2, 1, 2);
        assert.deepEqual(values(await runStep(m, a2, { fetch: ["q_take:0"] }, alice), "q_take:0"), [20]);
        await runStep(m, a2, { target: ["v_bump"] }, alice);

        // A cancelled step whose kernel does not stop: the watchdog replaces the thread.
        await watchdogCpu1(m, logs, 2);
        await expectState(m, a1, 2, 1);
        await expectState(m, b1, 0, 3, bob);
        assert.deepEqual(values(await runStep(m, a1, { fetch: ["q_take:0"] }, alice), "q_take:0"), [30]);
      },
      { cpuDevices: 2, workerAbortGraceMs: 300, log: (_l, s) => logs.push(s) },
    );
  });
});

/** An initializable iterator over range(0, 10) on CPU:1. */
function iteratorGraph(): GraphDef {
  const sig = { output_types: attr.typeList([I64]), output_shapes: attr.shapeList([[]]) };
  return graph(
    on1(constNode("start", I64, [], [0])),
    on1(constNode("stop", I64, [], [10])),
    on1(constNode("step", I64, [], [1])),
    on1(node("range", "RangeDataset", { inputs: ["start", "stop", "step"], attrs: sig })),
    on1(
      node("it", "IteratorV2", {
        attrs: { ...sig, shared_name: attr.string("it"), container: attr.string("") },
      }),
    ),
    on1(node("make", "MakeIterator", { inputs: ["range", "it"] })),
    on1(node("next", "IteratorGetNext", { inputs: ["it"], attrs: sig })),
  );
}

describe("an iterator on a replaced worker thread", () => {
  test("its pass is kept: GetNext goes on where it was, MakeIterator starts a new pass; an isolated session's state is kept", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const s = await createSession(m, iteratorGraph());
        await runStep(m, s, { target: ["make"] }, alice);
        // An isolated session's own variable is kept too (its containers are its own).
        const isolated = await m.createSession(
          create(CreateSessionRequestSchema, {
            graphDef: statefulGraph(),
            config: { isolateSessionState: true },
          }),
          alice,
        );
        await runStep(m, isolated.sessionHandle, { target: ["v_init", "r_init", "q_fill", "t_fill"] }, alice);
        await runStep(m, isolated.sessionHandle, { target: ["v_bump"] }, alice);
        for (const want of [0, 1, 2]) {
          assert.deepEqual(values(await runStep(m, s, { fetch: ["next:0"] }, alice), "next:0"), [want]);
        }
        await crashCpu1(m, logs, 1);
        // Its pass is rebuilt and goes on where it was (test/iterator-restore.test.ts has the
        // pipelines that cannot be replayed, which fail FAILED_PRECONDITION).
        for (const want of [3, 4]) {
          assert.deepEqual(values(await runStep(m, s, { fetch: ["next:0"] }, alice), "next:0"), [want]);
        }
        await runStep(m, s, { target: ["make"] }, alice);
        assert.deepEqual(values(await runStep(m, s, { fetch: ["next:0"] }, alice), "next:0"), [0]);
        await expectState(m, isolated.sessionHandle, 1, 3);
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });
});

const MiB = 1024 ** 2;

/** A float variable `name` of `n` elements on CPU:1, set to 1s by "init". */
function bigVarGraph(name: string, n: number): GraphDef {
  return graph(
    on1(
      node("v", "VarHandleOp", {
        attrs: { dtype: attr.type(F), shape: attr.shape([n]), shared_name: attr.string(name) },
      }),
    ),
    on1(constNode("dims", DataType.DT_INT32, [1], [n])),
    on1(constNode("one", F, [], [1])),
    on1(
      node("ones", "Fill", {
        inputs: ["dims", "one"],
        attrs: { T: attr.type(F), index_type: attr.type(DataType.DT_INT32) },
      }),
    ),
    on1(node("init", "AssignVariableOp", { inputs: ["v", "ones"], attrs: { dtype: attr.type(F) } })),
    on1(
      node("sum_axis", "Const", {
        attrs: {
          dtype: attr.type(DataType.DT_INT32),
          value: attr.tensor(tensorProto(DataType.DT_INT32, [1], [0])),
        },
      }),
    ),
    on1(node("read", "ReadVariableOp", { inputs: ["v"], attrs: { dtype: attr.type(F) } })),
    on1(
      node("total", "Sum", {
        inputs: ["read", "sum_axis"],
        attrs: { T: attr.type(F), Tidx: attr.type(DataType.DT_INT32) },
      }),
    ),
  );
}

/** Creates variables of 4 MiB until one is refused; returns how many fit. */
async function fillWithVariables(
  m: Master,
  prefix: string,
  config = {},
): Promise<{ made: number; error: unknown }> {
  for (let i = 0; i < 20; i++) {
    const s = await m.createSession(
      create(CreateSessionRequestSchema, { graphDef: bigVarGraph(`${prefix}${i}`, MiB), config }),
      alice,
    );
    try {
      await runStep(m, s.sessionHandle, { target: ["init"] }, alice);
    } catch (error) {
      return { made: i, error };
    }
  }
  return { made: 20, error: undefined };
}

describe("long-lived state counts against the server's memory ceiling", () => {
  test("variables past --max-memory-bytes are refused RESOURCE_EXHAUSTED naming it; Reset makes room again", async () => {
    await withMaster(
      async (m) => {
        const first = await fillWithVariables(m, "a");
        // 26 MiB hold at most six 4 MiB variables (fewer while a step holds its own copy).
        assert.ok(first.made >= 3 && first.made <= 6, `made ${first.made}`);
        assert.ok(isTfError(first.error));
        assert.equal(tfCodeName(first.error.code), "RESOURCE_EXHAUSTED", first.error.message);
        assert.match(first.error.message, /memory ceiling of 27262976 bytes \(--max-memory-bytes\)/);
        // What was kept is intact.
        const probe = await createSession(m, bigVarGraph("a0", MiB));
        assert.deepEqual(values(await runStep(m, probe, { fetch: ["total:0"] }, alice), "total:0"), [MiB]);
        // Reset frees the variables: as many fit again.
        await m.reset(create(ResetRequestSchema, {}), alice);
        const again = await fillWithVariables(m, "b");
        assert.equal(again.made, first.made);
      },
      { cpuDevices: 2, maxMemoryBytes: 26 * MiB },
    );
  });

  test("closing an isolated session frees its variables", async () => {
    await withMaster(
      async (m) => {
        const isolated = await m.createSession(
          create(CreateSessionRequestSchema, {
            graphDef: bigVarGraph("iso", 3 * MiB),
            config: { isolateSessionState: true },
          }),
          alice,
        );
        await runStep(m, isolated.sessionHandle, { target: ["init"] }, alice);
        const crowded = await fillWithVariables(m, "c");
        await m.closeSession(
          create(CloseSessionRequestSchema, { sessionHandle: isolated.sessionHandle }),
          alice,
        );
        await m.reset(create(ResetRequestSchema, {}), alice);
        const roomy = await fillWithVariables(m, "d");
        assert.ok(
          roomy.made >= crowded.made + 2,
          `${crowded.made} variables fit beside the isolated session's, ${roomy.made} after it closed`,
        );
      },
      { cpuDevices: 2, maxMemoryBytes: 24 * MiB },
    );
  });
});
