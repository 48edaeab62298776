// Where a big CreateSession's allocations go (docs/benchmarks.md, "Big graphs"): an in-process
// master (worker threads, two CPU devices) gets CreateSession of the Identity chain of
// bench/big-graphs.ts, decoded in slices from the request's bytes as the RPC layer does, while V8's
// sampling heap profiler records every allocation on this thread (objects already freed included).
// Prints the bytes allocated and the scavenges of the call, then the functions that allocated
// most (self bytes). Allocated bytes are steady on a loaded machine where CPU time is not.
//
//   node --import tsx bench/create-session-alloc.ts [--nodes 100000] [--top 30] [--rounds 1]

import { Session } from "node:inspector";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { create, toBinary } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createMaster } from "../server/engine/master/master.js";
import { decodeRequest } from "../server/rpc/graph-requests.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, node } from "../test/support/graphs.js";
import { fmt, positive } from "./support.js";

interface SampledNode {
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SampledNode[];
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : positive(name.slice(2), process.argv[i + 1], true);
}

/** The Identity chain of bench/big-graphs.ts. */
function chain(count: number): NodeDef[] {
  const f32 = attr.type(DataType.DT_FLOAT);
  const nodes: NodeDef[] = [];
  for (let i = 0; i < count; i++) {
    const device = `/device:CPU:${Math.floor(i / 1000) % 2}`;
    if (i === 0) nodes.push({ ...constNode("n0", DataType.DT_FLOAT, [], [1]), device });
    else nodes.push(node(`n${i}`, "Identity", { inputs: [`n${i - 1}`], attrs: { T: f32 }, device }));
  }
  return nodes;
}

const post = <T>(s: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    s.post(method, params ?? {}, (e, r) => (e === null ? resolve(r as T) : reject(e))),
  );

/** Self bytes per function (name, file, line), summed over the sampled call tree. */
function bySite(head: SampledNode): Map<string, number> {
  const sites = new Map<string, number>();
  const name = (n: SampledNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(server|gen|node_modules)\//, "$1/")}`;
  // A built-in (Map.set, Array.push, ...) is named with the function that called it.
  const walk = (n: SampledNode, caller: string) => {
    const own = name(n);
    const key = n.callFrame.url === "" ? `${own.trim()} <- ${caller}` : own;
    sites.set(key, (sites.get(key) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, n.callFrame.url === "" ? caller : own);
  };
  walk(head, "");
  return sites;
}

const scavenges: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const { kind } = (e as PerformanceEntry & { detail: { kind: number } }).detail;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(e.duration);
  }
}).observe({ entryTypes: ["gc"] });

async function main(): Promise<void> {
  const n = option("--nodes", 100_000);
  const top = option("--top", 30);
  const rounds = option("--rounds", 1);
  const master = createMaster({ cpuDevices: 2, maxGraphNodes: 10_000_000 });
  const bytesOf = (count: number) =>
    toBinary(
      CreateSessionRequestSchema,
      create(CreateSessionRequestSchema, { graphDef: { node: chain(count), versions: { producer: 1 } } }),
    );
  const session = new Session();
  session.connect();
  try {
    // Warm-up: worker threads started, code loaded and optimized.
    const warm = await master.createSession(await decodeRequest(CreateSessionRequestSchema, bytesOf(10_000)));
    await master.closeSession({
      $typeName: "tensorflow.CloseSessionRequest",
      sessionHandle: warm.sessionHandle,
    });
    const bytes = bytesOf(n);
    for (let r = 0; r < rounds; r++) {
      await post(session, "HeapProfiler.enable");
      await post(session, "HeapProfiler.startSampling", {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      const gc0 = scavenges.length;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const req = await decodeRequest(CreateSessionRequestSchema, bytes);
      const { sessionHandle } = await master.createSession(req);
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const { profile } = await post<{ profile: { head: SampledNode } }>(
        session,
        "HeapProfiler.stopSampling",
      );
      await new Promise((resolve) => setImmediate(resolve));
      const pauses = scavenges.slice(gc0).sort((a, b) => a - b);
      const sites = [...bySite(profile.head)].sort((a, b) => b[1] - a[1]);
      const total = sites.reduce((s, [, b]) => s + b, 0);
      console.log(
        `${n} nodes, ${fmt(bytes.length / 1e6, 1)} MB request: ${fmt(total / 1e6, 0)} MB allocated on this thread, ` +
          `${pauses.length} scavenges (${fmt(
            pauses.reduce((a, b) => a + b, 0),
            0,
          )} ms, p50 ${fmt(pauses[Math.floor(pauses.length / 2)] ?? 0, 1)} ms), ` +
          `${fmt(wallMs, 0)} ms wall, ${fmt((cpu.user + cpu.system) / 1000, 0)} ms CPU (process)`,
      );
      for (const [site, b] of sites.slice(0, top))
        console.log(`  ${fmt(b / 1e6, 1).padStart(7)} MB  ${site}`);
      await master.closeSession({ $typeName: "tensorflow.CloseSessionRequest", sessionHandle });
    }
  } finally {
    session.disconnect();
    await master.close();
  }
}

await main();
