// Replacing CPU:1's worker thread in tests of state that outlives it (docs/architecture.md,
// "Resources that outlive a worker thread"): by a crash, or by the watchdog when a cancelled step's
// kernel does not stop.

import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import type { GraphDef } from "../../gen/tensorflow/core/framework/graph_pb.js";
import { CreateSessionRequestSchema } from "../../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../../server/engine/framework/errors.js";
import type { Master } from "../../server/engine/master/master.js";
import type { ThreadWorker } from "../../server/engine/worker/thread-worker.js";
import { attr } from "./attr.js";
import { constNode, DataType, graph, node } from "./graphs.js";
import { runStep } from "./session.js";

export const CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1";
export const on1 = <T extends { device: string }>(n: T): T => ({ ...n, device: CPU1 });

/** Waits until the log says the CPU:1 thread was restarted `times` times. */
export async function restarted(logs: readonly string[], times: number): Promise<void> {
  const count = () => logs.filter((l) => l.includes("thread for CPU:1") && l.includes("restarting")).length;
  for (let i = 0; i < 1200 && count() < times; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(count(), times, logs.join("\n"));
}

/** Crashes CPU:1's thread and waits for its replacement (the `times`th). */
export async function crashCpu1(m: Master, logs: readonly string[], times: number): Promise<void> {
  await (m.workers[1] as ThreadWorker).crashForTesting();
  await restarted(logs, times);
}

/**
 * A step that holds CPU:1's thread in one kernel for seconds: a 2400×2400 SparseMatMul (14 G
 * multiply-adds in one loop that does not run in slices; the linear-algebra kernels and MatMul do,
 * and would stop when cancelled). The matrix is drawn into a variable by `stuck_init` first, so
 * the timed step (`det`) starts its one long kernel at once.
 */
function stuckGraph(): GraphDef {
  const D = DataType.DT_FLOAT;
  return graph(
    on1(constNode("dims", DataType.DT_INT32, [2], [2400, 2400])),
    on1(
      node("a", "RandomStandardNormal", {
        inputs: ["dims"],
        attrs: { dtype: attr.type(D), T: attr.type(DataType.DT_INT32), seed: attr.int(1) },
      }),
    ),
    on1(
      node("m", "VarHandleOp", {
        attrs: { dtype: attr.type(D), shape: attr.shape([2400, 2400]), shared_name: attr.string("m") },
      }),
    ),
    on1(node("stuck_init", "AssignVariableOp", { inputs: ["m", "a"], attrs: { dtype: attr.type(D) } })),
    on1(node("m_read", "ReadVariableOp", { inputs: ["m"], attrs: { dtype: attr.type(D) } })),
    on1(node("det", "SparseMatMul", { inputs: ["m_read", "m_read"] })),
  );
}

/**
 * Has the watchdog replace CPU:1's thread (the `times`th replacement): a step whose one long
 * kernel outlives its deadline and the grace period (the master needs workerAbortGraceMs set low).
 */
export async function watchdogCpu1(m: Master, logs: readonly string[], times: number): Promise<void> {
  const as = { principal: "watchdog" };
  const req = create(CreateSessionRequestSchema, { graphDef: stuckGraph() });
  const stuck = (await m.createSession(req, as)).sessionHandle;
  await runStep(m, stuck, { target: ["stuck_init"] }, as);
  await assert.rejects(
    runStep(m, stuck, { fetch: ["det:0"], options: { timeoutInMs: 300n } }, as),
    (e: unknown) => isTfError(e) && tfCodeName(e.code) === "DEADLINE_EXCEEDED",
  );
  await restarted(logs, times);
  assert.ok(
    logs.some((l) => l.includes("did not stop a cancelled step")),
    logs.join("\n"),
  );
}
