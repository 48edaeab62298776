// ExtendSession's cost as a session's graph grows (docs/benchmarks.md, "ExtendSession"): an
// in-process master, one session grown 100 nodes per ExtendSession call (the way TF's client sends
// the nodes added since its last run), timing each call. The figure at N nodes is the median of the
// calls that extend a graph of N to N + 500 nodes. Run: node --import tsx bench/extend-session.ts
// [--sizes 1000,5000,10000,20000] [--chunk 100]

import { create } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { ExtendSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createMaster } from "../server/engine/master/master.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node } from "../test/support/graphs.js";
import { createSession } from "../test/support/session.js";
import { fmt, machineInfo, median, positive, writeResults } from "./support.js";

/** Calls timed at each size. */
const callsPerSize = 5;

function parseArgs(argv: readonly string[]): { sizes: number[]; chunk: number } {
  let sizes = [1000, 5000, 10_000, 20_000];
  let chunk = 100;
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === "--sizes") sizes = (value ?? "").split(",").map((s) => positive("sizes", s, true));
    else if (argv[i] === "--chunk") chunk = positive("chunk", value, true);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return { sizes: sizes.sort((a, b) => a - b), chunk };
}

/**
 * `count` nodes numbered from `first`: pairs of a Const and an AddV2 of it with the previous AddV2
 * (a chain through the whole graph, as layers of a model are), so every call adds edges to old nodes.
 */
function chunkNodes(first: number, count: number): NodeDef[] {
  const f32 = attr.type(DataType.DT_FLOAT);
  const nodes: NodeDef[] = [];
  for (let i = first; i < first + count; i += 2) {
    nodes.push(constNode(`c${i}`, DataType.DT_FLOAT, [], [1]));
    nodes.push(
      node(`a${i}`, "AddV2", { inputs: [i === 0 ? "c0" : `a${i - 2}`, `c${i}`], attrs: { T: f32 } }),
    );
  }
  return nodes;
}

async function main(): Promise<void> {
  const { sizes, chunk } = parseArgs(process.argv.slice(2));
  const master = createMaster({ cpuDevices: 1, maxGraphNodes: 10_000_000 });
  const rows: { nodes: number; medianMs: number; medianCpuMs: number }[] = [];
  try {
    const handle = await createSession(master, graph(...chunkNodes(0, 2)));
    let nodes = 2;
    let version = 0n;
    /** Wall and CPU (this process, user + system) ms of one call. */
    const extend = async (): Promise<{ wall: number; cpu: number }> => {
      const request = create(ExtendSessionRequestSchema, {
        sessionHandle: handle,
        graphDef: graph(...chunkNodes(nodes, chunk)),
        currentGraphVersion: version,
      });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      version = (await master.extendSession(request)).newGraphVersion;
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      nodes += chunk;
      return { wall, cpu: (c.user + c.system) / 1000 };
    };
    for (const size of sizes) {
      while (nodes < size) await extend();
      const times: { wall: number; cpu: number }[] = [];
      for (let i = 0; i < callsPerSize; i++) times.push(await extend());
      const row = {
        nodes: size,
        medianMs: median(times.map((t) => t.wall)),
        medianCpuMs: median(times.map((t) => t.cpu)),
      };
      rows.push(row);
      console.log(
        `${size} nodes: ${fmt(row.medianMs, 1)} ms (${fmt(row.medianCpuMs, 1)} ms CPU) per ExtendSession of ${chunk} nodes`,
      );
    }
  } finally {
    await master.close();
  }
  console.log(`\n| graph nodes | ms per ExtendSession (+${chunk} nodes) | CPU ms |\n|---:|---:|---:|`);
  for (const r of rows) console.log(`| ${r.nodes} | ${fmt(r.medianMs, 1)} | ${fmt(r.medianCpuMs, 1)} |`);
  console.log(writeResults("extend-session", { machine: machineInfo(), chunk, rows }));
}

await main();
