// Resources outlive the worker thread that held them (docs/architecture.md, "Resources that
// outlive a worker thread"): variables (resource and ref), queues with their elements and lookup
// tables come back on the replacement thread after a crash and after the watchdog replaced a
// thread stuck in a cancelled step's kernel; every principal keeps its own; an iterator's pass,
// which is not kept, fails with a clear FAILED_PRECONDITION until it is initialized again.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import {
  CreateSessionRequestSchema,
  type RunStepResponse,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import type { Master } from "../server/engine/master/master.js";
import type { ThreadWorker } from "../server/engine/worker/thread-worker.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { fetched, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const I64 = DataType.DT_INT64;
const S = DataType.DT_STRING;
const CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1";
const on1 = <T extends { device: string }>(n: T): T => ({ ...n, device: CPU1 });

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

/** Waits until the log says the CPU:1 thread was restarted `times` times. */
async function restarted(logs: readonly string[], times: number): Promise<void> {
  const count = () => logs.filter((l) => l.includes("thread for CPU:1") && l.includes("restarting")).length;
  for (let i = 0; i < 400 && count() < times; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(count(), times, logs.join("\n"));
}

/** Checks alice's state after `taken` elements were dequeued and `bumps` AssignAdds. */
async function expectState(m: Master, session: string, bumps: number, left: number, as = alice) {
  const r = await runStep(m, session, { fetch: ["v_read:0", "r_read:0", "q_size:0", "t_find:0"] }, as);
  assert.deepEqual(values(r, "v_read:0"), [1 + bumps, 2 + bumps, 3 + bumps]);
  assert.deepEqual(values(r, "r_read:0"), [5, 6]);
  assert.deepEqual(values(r, "q_size:0"), [left]);
  assert.deepEqual(values(r, "t_find:0"), [1, 2, -1]);
}

/** A step that holds CPU:1's thread in one kernel for seconds: an LU decomposition of 1600×1600. */
function stuckGraph(): GraphDef {
  const D = DataType.DT_DOUBLE;
  return graph(
    on1(constNode("dims", DataType.DT_INT32, [2], [1600, 1600])),
    on1(
      node("a", "RandomStandardNormal", {
        inputs: ["dims"],
        attrs: { dtype: attr.type(D), T: attr.type(DataType.DT_INT32), seed: attr.int(1) },
      }),
    ),
    on1(node("det", "MatrixDeterminant", { inputs: ["a"], attrs: { T: attr.type(D) } })),
  );
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

        await (m.workers[1] as ThreadWorker).crashForTesting();
        await restarted(logs, 1);
        await expectState(m, a1, 1, 2);
        await expectState(m, b1, 0, 3, bob);
        // A second session of the same principal sees the same state, and changes it.
        const a2 = await createSession(m, statefulGraph());
        await expectState(m, a2, 1, 2);
        assert.deepEqual(values(await runStep(m, a2, { fetch: ["q_take:0"] }, alice), "q_take:0"), [20]);
        await runStep(m, a2, { target: ["v_bump"] }, alice);

        // A cancelled step whose kernel does not stop: the watchdog replaces the thread.
        const stuck = await createSession(m, stuckGraph());
        await assert.rejects(
          runStep(m, stuck, { fetch: ["det:0"], options: { timeoutInMs: 300n } }, alice),
          (e: unknown) => isTfError(e) && tfCodeName(e.code) === "DEADLINE_EXCEEDED",
        );
        await restarted(logs, 2);
        assert.ok(
          logs.some((l) => l.includes("did not stop a cancelled step")),
          logs.join("\n"),
        );
        await expectState(m, a1, 2, 1);
        await expectState(m, b1, 0, 3, bob);
        assert.deepEqual(values(await runStep(m, a1, { fetch: ["q_take:0"] }, alice), "q_take:0"), [30]);
      },
      { cpuDevices: 2, workerAbortGraceMs: 300, log: (_l, s) => logs.push(s) },
    );
  });
});
