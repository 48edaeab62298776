// While loops whose frames span devices: a tf.while_loop (control flow v1) with body ops on CPU:0
// and CPU:1 runs as two partitions joined by TF's control loops (_cloop…), with the _Send/_Recv
// pairs inside the frame keyed by TF's "<frame_id>:<iter_id>" (docs/semantics.md, "Control flow
// and deadness"); without them the partition lacking the LoopCond has no frame to run its _Recvs in.
//
// Expected values, partition structure and frame ids come from TensorFlow 2.21 itself
// (test/tf/export_cross_device_loop.py → test/tf/cross_device_loop.json).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromJson } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { RunStepResponse } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createDevices } from "../server/engine/device/device-set.js";
import { childFrameId, createRendezvousKey, type Rendezvous } from "../server/engine/framework/rendezvous.js";
import { createResourceMgr } from "../server/engine/framework/resource-mgr.js";
import type { Master } from "../server/engine/master/master.js";
import { partitionGraph } from "../server/engine/partition/partition.js";
import {
  type CrossDeviceLoopCase,
  controlFlowSummary,
  loadCrossDeviceLoopFixture,
  summaryNode,
} from "../server/engine/partition/testing.js";
import { placeGraph } from "../server/engine/placer/placer.js";
import { defaultOptions, graphOf } from "../server/engine/placer/testing.js";
import { createGraphMgr } from "../server/engine/worker/graph-mgr.js";
import { createLocalRendezvous } from "../server/engine/worker/rendezvous-mgr.js";
import { constNode, DataType, tensorProto, tensorShape, tensorValues } from "./support/graphs.js";
import { createSession, runStep, withMaster } from "./support/session.js";

const fixture = loadCrossDeviceLoopFixture();
const caseNamed = (name: string) => fixture.cases.find((c) => c.name === name)!;
const dtypes: Record<string, DataType> = { int32: DataType.DT_INT32, float32: DataType.DT_FLOAT };
/** Runs with more iterations than this are left to the long-loop tests. */
const short = (run: CrossDeviceLoopCase["runs"][number]) =>
  Object.values(run.feeds).every((f) => f.values[0]! <= 100);

const loopSession = (m: Master, c: CrossDeviceLoopCase) =>
  createSession(m, fromJson(GraphDefSchema, c.graph as never));

function runLoop(
  m: Master,
  sessionHandle: string,
  c: CrossDeviceLoopCase,
  feeds: Record<string, number>,
  outputPartitionGraphs = false,
): Promise<RunStepResponse> {
  return runStep(m, sessionHandle, {
    fetch: [...c.fetches],
    feed: Object.entries(feeds).map(([name, v]) => ({
      name,
      tensor: tensorProto(DataType.DT_INT32, [], [v]),
    })),
    // A hang (what happened before) fails the test instead of stalling the suite.
    options: { timeoutInMs: 120_000n, outputPartitionGraphs },
  });
}

const feedValues = (run: CrossDeviceLoopCase["runs"][number]) =>
  Object.fromEntries(Object.entries(run.feeds).map(([k, v]) => [k, v.values[0]!]));

function assertTfResult(res: RunStepResponse, run: CrossDeviceLoopCase["runs"][number], what: string): void {
  const got = new Map(res.tensor.map((t) => [t.name, t.tensor]));
  for (const [name, want] of Object.entries(run.expected)) {
    const t = got.get(name);
    assert.equal(t?.dtype, dtypes[want.dtype], `${what} ${name} dtype`);
    assert.deepEqual(tensorShape(t), want.shape, `${what} ${name} shape`);
    assert.deepEqual(tensorValues(t), want.values, `${what} ${name}`);
  }
}

describe("while loops across two devices", () => {
  for (const workerThreads of [false, true]) {
    test(`every case gives TF's results (${workerThreads ? "devices on worker threads" : "in-process devices"})`, async () => {
      await withMaster(
        async (m) => {
          for (const c of fixture.cases) {
            const handle = await loopSession(m, c);
            for (const run of c.runs.filter(short)) {
              const res = await runLoop(m, handle, c, feedValues(run));
              assertTfResult(res, run, `${c.name} ${JSON.stringify(feedValues(run))}`);
            }
          }
        },
        { cpuDevices: 2, workerThreads },
      );
    });
  }

  test("RunMetadata.partition_graphs hold TF's control loops and transfers", async () => {
    await withMaster(
      async (m) => {
        for (const c of fixture.cases) {
          const handle = await loopSession(m, c);
          const res = await runLoop(m, handle, c, feedValues(c.runs[0]!), true);
          assertTfResult(res, c.runs[0]!, c.name);
          const parts = res.metadata?.partitionGraphs ?? [];
          assert.equal(parts.length, c.partitions.length, c.name);
          for (const tf of c.partitions) {
            const ours = parts.find((p) => p.node[0]?.device === tf.device);
            assert.ok(ours, `${c.name}: a partition for ${tf.device}`);
            // tfgate's feeds and fetches travel as client-terminated _Recv/_Send (TF's DirectSession
            // uses a call frame instead); they are not part of the comparison.
            const client = new Set(
              ours.node.filter((n) => n.attr.client_terminated?.value.value === true).map((n) => n.name),
            );
            const summary = controlFlowSummary(ours.node.map(summaryNode), client);
            assert.ok(
              summary.some((l) => l.startsWith("Enter _cloop")),
              `${c.name} ${tf.device}: a control loop`,
            );
            assert.deepEqual(summary, controlFlowSummary(tf.nodes), `${c.name} ${tf.device}`);
          }
        }
      },
      { cpuDevices: 2, workerThreads: false },
    );
  });

  test("frame ids are TF's: the same for a loop instance in every partition", () => {
    const outer = childFrameId(0n, 0, "outer/while_context");
    assert.equal(outer.toString(), fixture.frame_ids.outer);
    fixture.frame_ids.inner.forEach((id, k) => {
      assert.equal(
        childFrameId(outer, k, "outer/inner/while_context").toString(),
        id,
        `outer iteration ${k}`,
      );
    });
  });

  test("transfers inside the frame are keyed <frame_id>:<iter>, and a leading device stays within parallel_iterations", async () => {
    // The simple case run directly on two executors sharing one rendezvous, with n = 2000 as a
    // Const. CPU:0 holds the loop counter and the LoopCond, so it could race ahead of CPU:1; TF's
    // parallel_iterations (10) keeps it at most 10 iterations ahead, which bounds the values
    // waiting in the rendezvous.
    const n = 2000;
    const c = caseNamed("simple");
    const nodes = fromJson(GraphDefSchema, c.graph as never).node.map((d) =>
      d.name === "n" ? constNode("n", DataType.DT_INT32, [], [n]) : d,
    );
    const devices = createDevices("localhost", 0, 0, 2);
    const g = graphOf(nodes);
    placeGraph(g, devices, defaultOptions);
    const parts = partitionGraph(g, { incarnation: (d) => devices.find((x) => x.name === d)!.incarnation });
    const inner = createLocalRendezvous();
    const sent: string[] = [];
    let waiting = 0;
    let maxWaiting = 0;
    const rendezvous: Rendezvous = {
      send(key, value) {
        sent.push(key);
        waiting++;
        maxWaiting = Math.max(maxWaiting, waiting);
        inner.send(key, value);
      },
      recv: (key, signal) =>
        inner.recv(key, signal).then((v) => {
          waiting--;
          return v;
        }),
      abort: (e) => inner.abort(e),
    };
    const mgr = createGraphMgr(() => {});
    const signal = new AbortController().signal;
    await Promise.all(
      [...parts].map(([name, graphDef]) => {
        const device = devices.find((d) => d.name === name)!;
        const { executor } = mgr.lookup(mgr.register(graphDef, device, "s"));
        return executor.run({
          stepId: 1n,
          signal,
          rendezvous,
          resources: createResourceMgr(),
          device,
          log: () => {},
        });
      }),
    );
    const frameId = childFrameId(0n, 0, "loop/while_context").toString();
    const inFrame = sent.filter((k) => !k.endsWith(";0:0"));
    assert.ok(inFrame.length > 0);
    for (const k of inFrame) assert.match(k, new RegExp(`;${frameId}:\\d+$`), k);
    // The LoopCond goes to CPU:1 once per evaluation: iterations 0..n.
    const cond = parts
      .get(devices[0]!.name)!
      .node.find((d) => d.op === "_Send" && d.input[0] === "loop/LoopCond")!;
    const condName = new TextDecoder().decode(cond.attr.tensor_name!.value.value as Uint8Array);
    const prefix = createRendezvousKey(
      devices[0]!.name,
      devices[0]!.incarnation,
      devices[1]!.name,
      condName,
      "",
    );
    const iterations = sent.filter((k) => k.startsWith(prefix)).map((k) => Number(k.split(":").at(-1)));
    assert.deepEqual(
      iterations.sort((a, b) => a - b),
      Array.from({ length: n + 1 }, (_, i) => i),
    );
    // 5 transfers per iteration cross devices; unbounded, CPU:0 would leave thousands waiting.
    assert.ok(maxWaiting <= 10 * 5 * 2, `at most ${maxWaiting} values waited in the rendezvous`);
  });

  test("10,000 iterations across devices run in bounded time and memory", async () => {
    const c = caseNamed("simple");
    const long = c.runs.find((r) => r.feeds["n:0"]!.values[0] === 10_000)!;
    await withMaster(
      async (m) => {
        const handle = await loopSession(m, c);
        await runLoop(m, handle, c, { "n:0": 10 }); // warm up
        const timed = async (n: number) => {
          const t0 = performance.now();
          const res = await runLoop(m, handle, c, { "n:0": n });
          return { res, ms: performance.now() - t0 };
        };
        const small = await timed(1000);
        const baseline = process.memoryUsage().heapUsed;
        let peak = baseline;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }, 5);
        const big = await timed(10_000).finally(() => clearInterval(sampler));
        assertTfResult(big.res, long, "n=10000");
        // Linear in the iteration count (a per-iteration cost that grew with the loop made this
        // quadratic: 6,000 iterations took 31 s), with slack for a loaded machine.
        assert.ok(big.ms < 25 * small.ms + 2000, `10,000 iterations ${big.ms} ms vs 1,000 in ${small.ms} ms`);
        const grown = peak - baseline;
        assert.ok(grown < 96 * 1024 * 1024, `heap grew by up to ${grown} bytes`);
      },
      { cpuDevices: 2, workerThreads: false },
    );
  });
});
