// Devices on worker threads (docs/architecture.md, "Threads"): a step whose nodes sit on
// two devices runs as two partitions joined by _Send/_Recv, with values crossing threads through
// RecvTensor; a worker that dies mid-step fails only the steps that used it, is restarted, and every
// other session keeps working.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { RunOptions_TraceLevel } from "../gen/tensorflow/core/protobuf/config_pb.js";
import { ListDevicesRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import type { ThreadWorker } from "../server/engine/worker/thread-worker.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";
import { createSession, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const CPU = (i: number) => `/job:localhost/replica:0/task:0/device:CPU:${i}`;

describe("two devices on two worker threads", () => {
  test("ListDevices lists both; a cross-device step returns TF's results and per-device partition graphs", async () => {
    await withMaster(
      async (m) => {
        const devices = await m.listDevices(create(ListDevicesRequestSchema));
        assert.deepEqual(
          devices.localDevice.map((d) => d.name),
          [CPU(0), CPU(1)],
        );
        assert.notEqual(devices.localDevice[0]!.incarnation, devices.localDevice[1]!.incarnation);
        // x (fed, CPU:0) → y = x * 3 on CPU:1 → z = y + x on CPU:0, plus a control edge across.
        const g = graph(
          node("x", "Placeholder", { attrs: { dtype: attr.type(F) } }),
          { ...constNode("three", F, [], [3]), device: "/device:CPU:1" },
          node("y", "Mul", { inputs: ["x", "three"], attrs: { T: attr.type(F) }, device: "/device:CPU:1" }),
          node("after_y", "NoOp", { inputs: ["^y"], device: "/device:CPU:1" }),
          node("z", "Add", {
            inputs: ["y", "x", "^after_y"],
            attrs: { T: attr.type(F) },
            device: "/device:CPU:0",
          }),
        );
        const sessionHandle = await createSession(m, g);
        const r = await runStep(m, sessionHandle, {
          feed: [{ name: "x:0", tensor: tensorProto(F, [2], [1, -2]) }],
          fetch: ["z:0", "y:0"],
          options: { outputPartitionGraphs: true },
        });
        const byName = new Map(r.tensor.map((t) => [t.name, tensorValues(t.tensor)]));
        assert.deepEqual(byName.get("z:0"), [4, -8]);
        assert.deepEqual(byName.get("y:0"), [3, -6]);
        const parts = r.metadata?.partitionGraphs ?? [];
        assert.equal(parts.length, 2);
        const devicesOf = parts.map((p) => [...new Set(p.node.map((n) => n.device))]);
        assert.deepEqual(devicesOf.flat().sort(), [CPU(0), CPU(1)]);
        const cpu1 = parts.find((p) => p.node[0]!.device === CPU(1))!;
        const ops = cpu1.node.map((n) => n.op);
        // x arrives from CPU:0; y and the control edge leave for CPU:0.
        assert.ok(ops.filter((o) => o === "_Recv").length >= 1, ops.join(","));
        assert.ok(ops.filter((o) => o === "_Send").length >= 2, ops.join(","));
        for (const n of cpu1.node.filter((n) => n.op === "_Send" || n.op === "_Recv")) {
          assert.equal(n.attr.client_terminated?.value.value, false);
          assert.match(new TextDecoder().decode(n.attr.tensor_name?.value.value as Uint8Array), /^edge_\d+_/);
        }
      },
      { cpuDevices: 2 },
    );
  });

  test("a worker that dies mid-step fails only its steps, is restarted, and the others keep their state", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        // A variable on CPU:0 that must survive CPU:1's death.
        const varGraph = graph(
          node("v", "VariableV2", {
            attrs: { dtype: attr.type(F), shape: attr.shape([]) },
            device: "/device:CPU:0",
          }),
          { ...constNode("seven", F, [], [7]), device: "/device:CPU:0" },
          node("init", "Assign", {
            inputs: ["v", "seven"],
            attrs: { T: attr.type(F) },
            device: "/device:CPU:0",
          }),
          node("read", "Identity", { inputs: ["v"], attrs: { T: attr.type(F) }, device: "/device:CPU:0" }),
        );
        const keeper = await createSession(m, varGraph);
        await runStep(m, keeper, { target: ["init"] });

        // A long chain of MatMuls on CPU:1.
        const size = 160;
        const nodes = [
          {
            ...constNode("m0", F, [size, size], new Array(size * size).fill(0.001)),
            device: "/device:CPU:1",
          },
        ];
        for (let i = 1; i <= 400; i++) {
          nodes.push(
            node(`m${i}`, "MatMul", {
              inputs: [`m${i - 1}`, "m0"],
              attrs: { T: attr.type(F) },
              device: "/device:CPU:1",
            }),
          );
        }
        const victim = await createSession(m, graph(...nodes));
        const step = assert.rejects(runStep(m, victim, { fetch: ["m400:0"] }), (e: unknown) => {
          assert.ok(isTfError(e));
          assert.equal(tfCodeName(e.code), "UNAVAILABLE", e.message);
          assert.match(
            e.message,
            /Worker \/job:localhost\/replica:0\/task:0 \(thread for CPU:1\) failed and was restarted/,
          );
          return true;
        });
        await new Promise((r) => setTimeout(r, 100));
        await (m.workers[1] as ThreadWorker).crashForTesting();
        await step;
        assert.ok(
          logs.some((l) => l.includes("thread for CPU:1") && l.includes("restarting")),
          logs.join("\n"),
        );
        // The restarted worker serves the same session (its graphs are registered again) …
        const again = await runStep(m, victim, { fetch: ["m1:0"] });
        assert.equal(again.tensor.length, 1);
        // … and the other worker's state is untouched.
        const kept = await runStep(m, keeper, { fetch: ["read:0"] });
        assert.deepEqual(tensorValues(kept.tensor[0]!.tensor), [7]);
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });
});

describe("a replaced worker's state", () => {
  test("sessions that kept state on a replaced worker find it again; the others go on", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const scalar = attr.shape([]);
        const stateful = graph(
          node("v", "VarHandleOp", {
            attrs: { dtype: attr.type(F), shape: scalar, shared_name: attr.string("v") },
            device: CPU(1),
          }),
          { ...constNode("seven", F, [], [7]), device: CPU(1) },
          node("init", "AssignVariableOp", {
            inputs: ["v", "seven"],
            attrs: { dtype: attr.type(F) },
            device: CPU(1),
          }),
          node("read", "ReadVariableOp", { inputs: ["v"], attrs: { dtype: attr.type(F) }, device: CPU(1) }),
        );
        const stateless = graph(
          { ...constNode("c", F, [], [3]), device: CPU(1) },
          node("neg", "Neg", { inputs: ["c"], attrs: { T: attr.type(F) }, device: CPU(1) }),
        );
        const holder = await createSession(m, stateful);
        await runStep(m, holder, { target: ["init"] });
        assert.deepEqual(
          tensorValues((await runStep(m, holder, { fetch: ["read:0"] })).tensor[0]!.tensor),
          [7],
        );
        const bystander = await createSession(m, stateless);
        assert.deepEqual(
          tensorValues((await runStep(m, bystander, { fetch: ["neg:0"] })).tensor[0]!.tensor),
          [-3],
        );

        await (m.workers[1] as ThreadWorker).crashForTesting();
        for (let i = 0; i < 200 && !logs.some((l) => l.includes("restarting")); i++) {
          await new Promise((r) => setTimeout(r, 25));
        }
        assert.ok(
          logs.some((l) => l.includes("thread for CPU:1") && l.includes("restarting")),
          logs.join("\n"),
        );

        // The session whose variable lived there finds it on the replacement thread
        // (docs/architecture.md, "Resources that outlive a worker thread").
        assert.deepEqual(
          tensorValues((await runStep(m, holder, { fetch: ["read:0"] })).tensor[0]!.tensor),
          [7],
        );
        // A session without state there runs on; a new session sees the same shared variable.
        assert.deepEqual(
          tensorValues((await runStep(m, bystander, { fetch: ["neg:0"] })).tensor[0]!.tensor),
          [-3],
        );
        const fresh = await createSession(m, stateful);
        assert.deepEqual(
          tensorValues((await runStep(m, fresh, { fetch: ["read:0"] })).tensor[0]!.tensor),
          [7],
        );
      },
      { cpuDevices: 2, log: (_l, line) => logs.push(line) },
    );
  });
});

describe("partitions run in parallel", () => {
  test("a value for CPU:1 reaches it while CPU:0 is inside a long kernel (sends push, as TF's intra-process rendezvous)", async () => {
    await withMaster(
      async (m) => {
        // Both feeds arrive on CPU:0 (the client device, as in TF); b is then sent on to CPU:1. CPU:0
        // also runs a MatMul of a few hundred ms. CPU:1's Neg must not wait for that MatMul: the
        // value is pushed when CPU:0's _Send runs, not fetched when CPU:0's thread is next free.
        const D = DataType.DT_DOUBLE;
        const g = graph(
          node("a", "Placeholder", { attrs: { dtype: attr.type(D) }, device: CPU(0) }),
          node("slow", "MatMul", { inputs: ["a", "a"], attrs: { T: attr.type(D) }, device: CPU(0) }),
          node("b", "Placeholder", { attrs: { dtype: attr.type(F) }, device: CPU(1) }),
          node("quick", "Neg", { inputs: ["b"], attrs: { T: attr.type(F) }, device: CPU(1) }),
        );
        const sessionHandle = await createSession(m, g);
        const n = 600;
        const r = await runStep(m, sessionHandle, {
          feed: [
            { name: "a:0", tensor: tensorProto(D, [n, n], new Array(n * n).fill(0.5)) },
            { name: "b:0", tensor: tensorProto(F, [2], [1, -2]) },
          ],
          fetch: ["quick:0"],
          target: ["slow"],
          options: { traceLevel: RunOptions_TraceLevel.FULL_TRACE },
        });
        assert.deepEqual(tensorValues(r.tensor[0]!.tensor), [-1, 2]);
        const nodes = (r.metadata?.stepStats?.devStats ?? []).flatMap((d) => d.nodeStats);
        const at = (name: string) => {
          const s = nodes.find((x) => x.nodeName === name);
          assert.ok(s, `no step stats for ${name}`);
          return { start: s.allStartMicros, end: s.allStartMicros + s.allEndRelMicros };
        };
        const slow = at("slow");
        const quick = at("quick");
        assert.ok(
          quick.end < slow.end,
          `CPU:1's Neg ended at ${quick.end}, after CPU:0's MatMul (${slow.start}..${slow.end})`,
        );
      },
      { cpuDevices: 2 },
    );
  });
});

describe("a kernel that never returns", () => {
  test("a cancelled step stuck in one kernel gets its worker replaced; the session keeps working", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        // One kernel that runs for many seconds without yielding: a 2000×2000 SparseMatMul (8 G
        // multiply-adds in one loop; MatMul and the linear-algebra kernels such as Qr would not
        // do, as they run in slices and stop when cancelled).
        const D = F;
        const g = graph(
          constNode("dims", DataType.DT_INT32, [2], [2000, 2000]),
          { ...constNode("v", D, [], [0.5]) },
          node("a", "Fill", {
            inputs: ["dims", "v"],
            attrs: { T: attr.type(D), index_type: attr.type(DataType.DT_INT32) },
          }),
          node("slow", "SparseMatMul", { inputs: ["a", "a"] }),
          constNode("one", F, [], [1]),
        );
        const sessionHandle = await createSession(m, g);
        await assert.rejects(
          runStep(m, sessionHandle, { fetch: ["slow:0"], options: { timeoutInMs: 200n } }),
          (e: unknown) => {
            assert.ok(isTfError(e));
            assert.equal(tfCodeName(e.code), "DEADLINE_EXCEEDED", e.message);
            return true;
          },
        );
        // The replaced worker answers again.
        const r = await runStep(m, sessionHandle, { fetch: ["one:0"] });
        assert.deepEqual(tensorValues(r.tensor[0]!.tensor), [1]);
        assert.ok(
          logs.some((l) => l.includes("did not stop a cancelled step")),
          logs.join("\n"),
        );
      },
      { cpuDevices: 1, workerAbortGraceMs: 300, log: (_l, s) => logs.push(s) },
    );
  });
});

describe("tensors cross threads without copying", () => {
  test("a large tensor computed on one worker reaches another worker and the RPC thread in shared memory", async () => {
    await withMaster(
      async (m) => {
        const n = 1 << 18; // 1 MiB of float32
        const g = graph(
          { ...constNode("dims", DataType.DT_INT32, [1], [n]), device: "/device:CPU:1" },
          { ...constNode("v", F, [], [1.5]), device: "/device:CPU:1" },
          node("big", "Fill", {
            inputs: ["dims", "v"],
            attrs: { T: attr.type(F), index_type: attr.type(DataType.DT_INT32) },
            device: "/device:CPU:1",
          }),
          node("copy", "Identity", { inputs: ["big"], attrs: { T: attr.type(F) }, device: "/device:CPU:0" }),
        );
        const sessionHandle = await createSession(m, g);
        const r = await runStep(m, sessionHandle, { fetch: ["copy:0"] });
        const content = r.tensor[0]!.tensor!.tensorContent;
        assert.equal(content.byteLength, 4 * n);
        // CPU:1 → CPU:0 → the RPC thread: still the buffer Fill allocated, shared rather than copied.
        assert.ok(
          content.buffer instanceof SharedArrayBuffer,
          "the fetched tensor is backed by shared memory",
        );
        assert.equal(new Float32Array(content.buffer, content.byteOffset, n)[n - 1], 1.5);
      },
      { cpuDevices: 2 },
    );
  });
});
