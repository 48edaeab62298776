// What a big graph costs, and what it costs everyone else (docs/benchmarks.md, "Big graphs"): an
// in-process master (worker threads on, two CPU devices, no RPC) gets CreateSession and then a
// first RunStep of an Identity chain of N nodes (split over the two devices in blocks of 1,000, so
// the first run partitions and wires _Send/_Recv pairs). Meanwhile a second "client" calls
// ListDevices every ~10 ms; its latency (p50, p99, max) is compared with the same calls on an idle
// master, and the event loop's longest stall (perf_hooks.monitorEventLoopDelay) is recorded. The
// CreateSession phase starts from the request's bytes and decodes them as the gRPC path does (in
// slices, rpc/graph-requests.ts); the one-piece decode (fromBinary, what connect-es does) is timed
// alone for comparison. Then an ExtendSession of 100 nodes, whose cost should not grow with the
// graph. Then the same CreateSession sent as JSON (Connect's application/json: read on the JSON
// thread, rpc/json-graph-thread.ts, and decoded in slices), with the one-piece JSON read timed alone.
// Each phase also reports this thread's scavenges (count and pauses), the garbage collection
// other clients wait for; `--max-semi-space-size` (a node flag) sets the young generation's size.
// Figures per size and the ratios between sizes.
//
//   node [--max-semi-space-size=N] --import tsx bench/big-graphs.ts [--sizes 10000,100000]
//        [--repeats 1] [--label name]   (results in bench/results/big-graphs[-name]-<date>.json)

import { loadavg } from "node:os";
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { create, fromBinary, fromJsonString, toBinary, toJsonString } from "@bufbuild/protobuf";
import { type GraphDef, GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
  ListDevicesRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createFunctionLibrary } from "../server/engine/framework/function.js";
import { lookUpOp } from "../server/engine/framework/op-def.js";
import { runInSlices } from "../server/engine/framework/slices.js";
import { graphDefToBinarySliced } from "../server/engine/graph/graph-def-wire.js";
import { lowerFunctionalOps, lowerFunctionalOpsSliced } from "../server/engine/graph/lower-functional-ops.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { decodeJsonRequest, decodeRequest } from "../server/rpc/graph-requests.js";
import { stopJsonGraphThread } from "../server/rpc/json-graph-thread.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, node } from "../test/support/graphs.js";
import {
  fmt,
  longestStretch,
  machineInfo,
  mainThreadCpuMs,
  positive,
  sleep,
  writeResults,
} from "./support.js";

function parseArgs(argv: readonly string[]): { sizes: number[]; repeats: number; label: string } {
  let sizes = [10_000, 100_000];
  let repeats = 1;
  let label = "";
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === "--sizes") sizes = (value ?? "").split(",").map((s) => positive("sizes", s, true));
    else if (argv[i] === "--repeats") repeats = positive("repeats", value, true);
    else if (argv[i] === "--label") label = `-${value ?? ""}`;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return { sizes, repeats, label };
}

/** Identity chain nodes n<first> … n<first+count-1> (n0 a Const). */
function chain(count: number, first = 0): NodeDef[] {
  const f32 = attr.type(DataType.DT_FLOAT);
  const nodes: NodeDef[] = [];
  for (let i = first; i < first + count; i++) {
    const device = `/device:CPU:${Math.floor(i / 1000) % 2}`;
    if (i === 0) nodes.push({ ...constNode("n0", DataType.DT_FLOAT, [], [1]), device });
    else nodes.push(node(`n${i}`, "Identity", { inputs: [`n${i - 1}`], attrs: { T: f32 }, device }));
  }
  return nodes;
}

const pct = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

interface Phase {
  wallMs: number;
  cpuMs: number;
  /** CPU of the main (RPC) thread alone. */
  mainCpuMs: number;
  listDevices: { n: number; p50: number; p99: number; max: number };
  loopStallMs: number;
  /** This thread's young-generation collections (scavenges) during the phase: count and pauses. */
  scavenges: { n: number; totalMs: number; p50: number; p90: number; max: number };
}

/** The main thread's scavenge pauses (perf_hooks "gc" entries), in ms, as they happen. */
const scavengePauses: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const { kind } = (e as PerformanceEntry & { detail: { kind: number } }).detail;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavengePauses.push(e.duration);
  }
}).observe({ entryTypes: ["gc"] });

function scavengesSince(first: number): Phase["scavenges"] {
  const p = scavengePauses.slice(first).sort((a, b) => a - b);
  return {
    n: p.length,
    totalMs: p.reduce((a, b) => a + b, 0),
    p50: pct(p, 0.5),
    p90: pct(p, 0.9),
    max: p.at(-1) ?? 0,
  };
}

/** Runs `work` while ListDevices is sampled every ~10 ms. */
async function measured(m: Master, work: () => Promise<unknown>): Promise<Phase> {
  const lat: number[] = [];
  let running = true;
  // A client sending a request every 10 ms: a request waits from when it would have been sent
  // (the event loop cannot read it off the socket before) until it is answered.
  const sampler = (async () => {
    let due = performance.now();
    while (running) {
      await m.listDevices(create(ListDevicesRequestSchema, {}));
      // (A timer may fire a fraction of a millisecond before `due`.)
      lat.push(Math.max(0, performance.now() - due));
      due += 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else due = performance.now();
    }
  })();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const gc0 = scavengePauses.length;
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpuMs(process.pid) ?? 0;
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const mainCpuMs = (mainThreadCpuMs(process.pid) ?? 0) - m0;
  loop.disable();
  running = false;
  await sampler;
  // Entries are delivered asynchronously: let the last ones arrive.
  await new Promise((r) => setImmediate(r));
  const scavenges = scavengesSince(gc0);
  lat.sort((a, b) => a - b);
  return {
    wallMs,
    cpuMs: (c.user + c.system) / 1000,
    mainCpuMs,
    listDevices: { n: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: lat.at(-1) ?? 0 },
    loopStallMs: loop.max / 1e6,
    scavenges,
  };
}

/**
 * The pieces that used to hold the RPC thread whole, each in one piece and in slices, in the same
 * run: the request decode, the lowering scan, the encoding of a partition for its worker thread.
 */
async function pieces(bytes: Uint8Array, partition: GraphDef) {
  const onePiece = {
    decode: await longestStretch(() => fromBinary(CreateSessionRequestSchema, bytes)),
    lowerScan: await longestStretch(() => lowerFunctionalOps(partition.node, loweringOptions)),
    encode: await longestStretch(() => toBinary(GraphDefSchema, partition)),
  };
  const sliced = {
    decode: await longestStretch(() => decodeRequest(CreateSessionRequestSchema, bytes)),
    lowerScan: await longestStretch(() =>
      runInSlices(lowerFunctionalOpsSliced(partition.node, loweringOptions)),
    ),
    encode: await longestStretch(() => runInSlices(graphDefToBinarySliced(partition))),
  };
  return { onePiece, sliced };
}

const loweringOptions = {
  library: createFunctionLibrary(undefined),
  lookupOp: (name: string) => lookUpOp(name),
};

async function main(): Promise<void> {
  const { sizes, repeats, label } = parseArgs(process.argv.slice(2));
  const master = createMaster({ cpuDevices: 2, maxGraphNodes: 10_000_000 });
  const rows: Record<string, unknown>[] = [];
  try {
    // Warm-up: worker threads started, kernels and code loaded (the sliced decode, Extend too).
    const warmBytes = toBinary(
      CreateSessionRequestSchema,
      create(CreateSessionRequestSchema, { graphDef: { node: chain(10_000) } }),
    );
    const warm = await master.createSession(await decodeRequest(CreateSessionRequestSchema, warmBytes));
    await master.runStep(
      create(RunStepRequestSchema, { sessionHandle: warm.sessionHandle, fetch: ["n9999"] }),
    );
    await master.extendSession(
      create(ExtendSessionRequestSchema, {
        sessionHandle: warm.sessionHandle,
        currentGraphVersion: 0n,
        graphDef: { node: chain(100, 10_000) },
      }),
    );
    await master.closeSession({
      $typeName: "tensorflow.CloseSessionRequest",
      sessionHandle: warm.sessionHandle,
    });
    for (let r = 0; r < repeats; r++) {
      for (const n of sizes) {
        const idle = await measured(master, () => sleep(1000));
        const bytes = toBinary(
          CreateSessionRequestSchema,
          create(CreateSessionRequestSchema, { graphDef: { node: chain(n), versions: { producer: 1 } } }),
        );
        const d0 = performance.now();
        fromBinary(CreateSessionRequestSchema, bytes);
        const decodeMs = performance.now() - d0;
        let handle = "";
        const createPhase = await measured(master, async () => {
          const req = await decodeRequest(CreateSessionRequestSchema, bytes);
          handle = (await master.createSession(req)).sessionHandle;
        });
        const firstRun = await measured(master, () =>
          master.runStep(create(RunStepRequestSchema, { sessionHandle: handle, fetch: [`n${n - 1}`] })),
        );
        const extendBytes = toBinary(
          ExtendSessionRequestSchema,
          create(ExtendSessionRequestSchema, {
            sessionHandle: handle,
            currentGraphVersion: 0n,
            graphDef: { node: chain(100, n), versions: { producer: 1 } },
          }),
        );
        const extend = await measured(master, async () => {
          await master.extendSession(await decodeRequest(ExtendSessionRequestSchema, extendBytes));
        });
        await master.closeSession({ $typeName: "tensorflow.CloseSessionRequest", sessionHandle: handle });
        const json = new TextEncoder().encode(
          toJsonString(
            CreateSessionRequestSchema,
            create(CreateSessionRequestSchema, { graphDef: { node: chain(n), versions: { producer: 1 } } }),
          ),
        );
        const j0 = performance.now();
        fromJsonString(CreateSessionRequestSchema, new TextDecoder().decode(json), {
          ignoreUnknownFields: false,
        });
        const jsonDecodeMs = performance.now() - j0;
        const jsonCreate = await measured(master, async () => {
          const req = await decodeJsonRequest(CreateSessionRequestSchema, json);
          handle = (await master.createSession(req)).sessionHandle;
        });
        const stretches = await pieces(bytes, create(GraphDefSchema, { node: chain(n / 2) }));
        const row = {
          nodes: n,
          requestBytes: bytes.length,
          decodeMs,
          idle,
          create: createPhase,
          firstRun,
          extend,
          jsonBytes: json.length,
          jsonDecodeMs,
          jsonCreate,
          stretches,
        };
        rows.push(row);
        const line = (what: string, p: Phase) =>
          `  ${what}: ${fmt(p.wallMs, 0)} ms wall, ${fmt(p.cpuMs, 0)} ms CPU (${fmt(p.mainCpuMs, 0)} on the RPC thread); ListDevices ` +
          `p50 ${fmt(p.listDevices.p50, 1)} / p99 ${fmt(p.listDevices.p99, 1)} / max ${fmt(p.listDevices.max, 1)} ms ` +
          `(${p.listDevices.n} calls); longest event-loop stall ${fmt(p.loopStallMs, 1)} ms; ` +
          `${p.scavenges.n} scavenges, ${fmt(p.scavenges.totalMs, 0)} ms, pause p50 ${fmt(p.scavenges.p50, 1)} / ` +
          `p90 ${fmt(p.scavenges.p90, 1)} / max ${fmt(p.scavenges.max, 1)} ms`;
        console.log(
          `${n} nodes (${fmt(bytes.length / 1e6, 1)} MB request; its one-piece decode ${fmt(decodeMs, 0)} ms)`,
        );
        console.log(line("idle", idle));
        console.log(line("CreateSession", createPhase));
        console.log(line("first RunStep", firstRun));
        const piece = (what: keyof typeof stretches.sliced) =>
          `${what} ${fmt(stretches.onePiece[what].wallMs, 0)} ms → longest ${fmt(stretches.sliced[what].longestMs, 1)} ms (of ${fmt(stretches.sliced[what].wallMs, 0)})`;
        console.log(
          `  one piece → in slices (longest hold of the thread): ${piece("decode")}; ` +
            `${piece("lowerScan")} (${n / 2} nodes); ${piece("encode")} (a ${n / 2}-node partition)`,
        );
        console.log(
          `  ExtendSession of 100 nodes: ${fmt(extend.wallMs, 1)} ms wall, ${fmt(extend.cpuMs, 1)} ms CPU`,
        );
        console.log(
          `  JSON (${fmt(json.length / 1e6, 1)} MB; read whole on this thread: ${fmt(jsonDecodeMs, 0)} ms)`,
        );
        console.log(line("CreateSession from JSON", jsonCreate));
        console.log(
          `  added ListDevices p99 over idle: CreateSession ${fmt(createPhase.listDevices.p99 - idle.listDevices.p99, 1)} ms, ` +
            `first RunStep ${fmt(firstRun.listDevices.p99 - idle.listDevices.p99, 1)} ms, ` +
            `CreateSession from JSON ${fmt(jsonCreate.listDevices.p99 - idle.listDevices.p99, 1)} ms`,
        );
        await master.closeSession({ $typeName: "tensorflow.CloseSessionRequest", sessionHandle: handle });
      }
    }
  } finally {
    await master.close();
    await stopJsonGraphThread();
  }
  const by = (n: number) =>
    rows.filter((r) => r.nodes === n) as unknown as { create: Phase; firstRun: Phase; extend: Phase }[];
  if (sizes.length >= 2) {
    const [a, b] = [sizes[0]!, sizes.at(-1)!];
    const ratio = (f: (x: { create: Phase; firstRun: Phase; extend: Phase }) => number) =>
      Math.min(...by(b).map(f)) / Math.min(...by(a).map(f));
    console.log(
      `\n${b} / ${a} nodes (${b / a}x): CreateSession wall ${fmt(
        ratio((x) => x.create.wallMs),
        1,
      )}x, ` +
        `CPU ${fmt(
          ratio((x) => x.create.cpuMs),
          1,
        )}x; first RunStep CPU ${fmt(
          ratio((x) => x.firstRun.cpuMs),
          1,
        )}x; ` +
        `ExtendSession of 100 nodes wall ${fmt(
          ratio((x) => x.extend.wallMs),
          1,
        )}x, CPU ${fmt(
          ratio((x) => x.extend.cpuMs),
          1,
        )}x`,
    );
  }
  const machine = { ...machineInfo(), execArgv: process.execArgv, loadAverage: loadavg() };
  console.log(writeResults(`big-graphs${label}`, { machine, sizes, rows }));
}

await main();
