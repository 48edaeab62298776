// How long one element-wise kernel holds its device thread (docs/benchmarks.md, "Long kernels";
// docs/architecture.md, "Long kernels in slices").
//
//   node --import tsx bench/element-slices.ts [--size 6144] [--rounds 3] [--small-steps 200]
//                                             [--no-write]
//
// Parts:
//   turns     each kernel family over size² float32 elements, run whole (what every other step on
//             the device waited for before slicing: the peer) and the way the executor runs a
//             sliced kernel (executor/kernel-slices.ts: 10 ms turns), with the turns' p50/p99/max
//   behind    on an in-process master, another session's tiny step (Const → Identity) on CPU:0, on
//             an idle device and while a step of Fill → Cos → Mul → Sum over size² elements runs
//             there (peer: the idle device, and the whole kernels' times of the first part)
// The machine is shared: figures are ratios against the peer measured in the same run.

import os from "node:os";
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { runSlices, SLICE_BUDGET_MS } from "../server/engine/executor/kernel-slices.js";
import type { KernelSlices } from "../server/engine/framework/op-kernel.js";
import { Tensor } from "../server/engine/framework/tensor.js";
import { DataType } from "../server/engine/framework/types.js";
import { addFns } from "../server/engine/kernels/Add.js";
import { argReduceJob } from "../server/engine/kernels/ArgMax.js";
import { castJob } from "../server/engine/kernels/Cast.js";
import { cosFns } from "../server/engine/kernels/Cos.js";
import { fillJob } from "../server/engine/kernels/Fill.js";
import { selectV2Job } from "../server/engine/kernels/Select.js";
import { tileJob } from "../server/engine/kernels/Tile.js";
import { binaryJob, unaryJob } from "../server/engine/kernels/util/cwise.js";
import { type ElementJob, jobSlices, runWhole } from "../server/engine/kernels/util/element-slices.js";
import { reduceJob, reductionPlan } from "../server/engine/kernels/util/reduction.js";
import { createMaster } from "../server/engine/master/master.js";
import { attr } from "../test/support/attr.js";
import { constNode, graph, node } from "../test/support/graphs.js";
import { fmt, machineInfo, median, positive, quantile, writeResults } from "./support.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;

function families(size: number): [string, () => ElementJob<Tensor>][] {
  const n = size * size;
  const x = new Tensor(F, [size, size], new Float32Array(n).fill(0.5));
  const row = new Tensor(F, [size], new Float32Array(size).fill(0.25));
  const cond = new Tensor(DataType.DT_BOOL, [size], new Uint8Array(size).fill(1));
  const half = new Tensor(F, [], Float32Array.of(0.5));
  const all = new Tensor(I32, [2], Int32Array.of(0, 1));
  const rows = new Tensor(I32, [1], Int32Array.of(0));
  return [
    ["Fill", () => fillJob([size, size], half)],
    ["Cos (unary)", () => unaryJob("Cos", x, cosFns)],
    ["Add (same shape)", () => binaryJob("Add", x, x, addFns)],
    ["Add (broadcast row)", () => binaryJob("Add", x, row, addFns)],
    ["Cast float→int32", () => castJob(x, I32)],
    ["SelectV2 (broadcast)", () => selectV2Job(cond, x, row)],
    ["Tile", () => tileJob(row, [size])],
    ["Sum (all)", () => reduceJob("sum", x, reductionPlan(x.shape, all, false))],
    ["Max (axis 0)", () => reduceJob("max", x, reductionPlan(x.shape, rows, false))],
    ["ArgMax (axis 0)", () => argReduceJob(x, 0, true, DataType.DT_INT64)],
  ];
}

/** The job in the executor's turns: each turn's length (ms). */
function turns(job: ElementJob<Tensor>): number[] {
  const slices = (function* (): KernelSlices {
    yield* jobSlices(job);
  })();
  const out: number[] = [];
  while (true) {
    const t0 = performance.now();
    const done = runSlices(slices, SLICE_BUDGET_MS);
    out.push(performance.now() - t0);
    if (done === true) return out;
  }
}

/** sum(cos(fill(size², 0.5))²) over size² elements, and a cheap Identity. */
function chainGraph(size: number): GraphDef {
  return graph(
    constNode("dims", I32, [2], [size, size]),
    constNode("half", F, [], [0.5]),
    node("a", "Fill", { inputs: ["dims", "half"], attrs: { T: attr.type(F) } }),
    node("b", "Cos", { inputs: ["a"], attrs: { T: attr.type(F) } }),
    node("c", "Mul", { inputs: ["b", "b"], attrs: { T: attr.type(F) } }),
    constNode("axes", I32, [2], [0, 1]),
    node("sum", "Sum", { inputs: ["c", "axes"], attrs: { T: attr.type(F) } }),
    constNode("three", F, [], [3]),
    node("id", "Identity", { inputs: ["three"], attrs: { T: attr.type(F) } }),
  );
}

/** Tiny-step latency (ms) on an idle device and behind the element chain on the same device. */
async function behind(size: number, steps: number, rounds: number) {
  const m = createMaster({});
  try {
    const open = async (g: GraphDef) => {
      const h = (await m.createSession(create(CreateSessionRequestSchema, { graphDef: g }))).sessionHandle;
      return (fetch: string[]) => m.runStep(create(RunStepRequestSchema, { sessionHandle: h, fetch }));
    };
    const long = await open(chainGraph(size));
    const small = await open(chainGraph(8));
    await long(["id:0"]);
    await small(["sum:0"]);
    const idle: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await small(["id:0"]);
      idle.push(performance.now() - t0);
    }
    const during: number[] = [];
    const chainMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let running = true;
      const t0 = performance.now();
      const step = long(["sum:0"]).finally(() => {
        running = false;
      });
      while (running) {
        const s0 = performance.now();
        await small(["id:0"]);
        if (running) during.push(performance.now() - s0);
      }
      await step;
      chainMs.push(performance.now() - t0);
    }
    return { idle, during, chainMs: median(chainMs) };
  } finally {
    await m.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "6144" },
      rounds: { type: "string", default: "3" },
      "small-steps": { type: "string", default: "200" },
      "no-write": { type: "boolean", default: false },
    },
  });
  const size = positive("size", values.size, true);
  const rounds = positive("rounds", values.rounds, true);
  const loadBefore = os.loadavg()[0];
  const rows: {
    kernel: string;
    wholeMs: number;
    turnP50: number;
    turnP99: number;
    turnMax: number;
    turns: number;
  }[] = [];
  for (const [kernel, make] of families(size)) {
    const whole: number[] = [];
    const all: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const job = make();
      const t0 = performance.now();
      runWhole(job);
      whole.push(performance.now() - t0);
      all.push(...turns(make()));
    }
    const t = [...all].sort((a, b) => a - b);
    rows.push({
      kernel,
      wholeMs: median(whole),
      turnP50: quantile(t, 0.5),
      turnP99: quantile(t, 0.99),
      turnMax: t.at(-1) ?? 0,
      turns: Math.round(all.length / rounds),
    });
  }
  const lat = await behind(size, positive("small-steps", values["small-steps"], true), rounds);
  const info = { ...machineInfo(), loadAverage: [loadBefore, os.loadavg()[0]] };
  console.log(
    `## Element kernels, ${size}² float32 elements (load average ${fmt(loadBefore, 1)} → ${fmt(os.loadavg()[0], 1)})\n`,
  );
  console.log(
    "| kernel | whole ms (median) | sliced: turns | turn p50 ms | turn p99 ms | turn max ms | p99 / whole |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.kernel} | ${fmt(r.wholeMs, 1)} | ${r.turns} | ${fmt(r.turnP50, 1)} | ${fmt(r.turnP99, 1)} | ${fmt(r.turnMax, 1)} | ${fmt(r.turnP99 / r.wholeMs, 2)}× |`,
    );
  }
  const idle = [...lat.idle].sort((a, b) => a - b);
  const during = [...lat.during].sort((a, b) => a - b);
  console.log("\n| tiny step on CPU:0 | p50 ms | p99 ms | steps |");
  console.log("|---|---:|---:|---:|");
  console.log(
    `| idle device | ${fmt(quantile(idle, 0.5), 1)} | ${fmt(quantile(idle, 0.99), 1)} | ${idle.length} |`,
  );
  console.log(
    `| behind Fill → Cos → Mul → Sum (${fmt(lat.chainMs, 0)} ms) | ${fmt(quantile(during, 0.5), 1)} | ${fmt(quantile(during, 0.99), 1)} | ${during.length} |`,
  );
  if (!values["no-write"]) {
    const file = writeResults("element-slices", {
      size,
      rounds,
      machine: info,
      rows,
      behind: { idle, during, chainMs: lat.chainMs },
    });
    console.log(`\nwrote ${file}`);
  }
}

await main();
