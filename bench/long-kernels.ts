// Long kernels on a shared device thread (docs/architecture.md, "Sliced kernels"; docs/benchmarks.md,
// "Long kernels"): what a long MatMul costs the other steps on its device, how soon a cancelled one
// frees the device, and how fast one large MatMul runs on one core and on every core, against TF
// in the same run.
//
//   node --import tsx bench/long-kernels.ts [--size 6144] [--small-steps 200] [--cancels 5]
//                                           [--rounds 7] [--gflops-only] [--no-tf] [--no-write]
//
// Parts, all on an in-process master with its default device worker threads:
//   latency   a tiny step (Const → Identity) of session B on CPU:0, p50/p99, on an idle device and
//             while session A runs a size³ float32 MatMul on the same device (peer: idle)
//   cancel    A's MatMul with timeout_in_ms 1000: from the DEADLINE_EXCEEDED answer (and from the
//             deadline) to the end of a tiny step on the same device (peer: the MatMul's own length)
//   gflops    a MatMul 1024³ and 2048³ step (operands made in-graph by Fill, Sum fetched) in two
//             child processes, one under `taskset -c 0` and one free, and TF 2.21
//             (bench/tf-peer/matmul_rounds_peer.py: the kernel alone, as an eager call, and the same
//             step as a tf.function) with 1 intra-op thread under `taskset -c 0` and with its
//             default pool, all four kept running and driven in turn (an order that changes from
//             round to round, so that each follows each of the others alike), one step each per size and
//             round (--rounds), so that the load of a shared machine falls on all of them alike
// The machine is shared: figures are ratios against the peer measured in the same run (the
// per-thread and 2-core ratios are medians of ratios taken within a round).

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
  type RunStepRequestSchema as StepSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node } from "../test/support/graphs.js";
import {
  fmt,
  machineInfo,
  median,
  positive,
  quantile,
  repoRoot,
  stopChild,
  writeResults,
} from "./support.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;

/** sum(a · a) for an n×n a made by Fill, and a cheap Identity beside it. */
function matMulGraph(n: number): GraphDef {
  return graph(
    constNode("dims", I32, [2], [n, n]),
    constNode("half", F, [], [0.5]),
    node("a", "Fill", { inputs: ["dims", "half"], attrs: { T: attr.type(F) } }),
    node("mm", "MatMul", { inputs: ["a", "a"], attrs: { T: attr.type(F) } }),
    constNode("axes", I32, [2], [0, 1]),
    node("sum", "Sum", { inputs: ["mm", "axes"], attrs: { T: attr.type(F) } }),
    constNode("three", F, [], [3]),
    node("id", "Identity", { inputs: ["three"], attrs: { T: attr.type(F) } }),
  );
}

/**
 * The MatMul rounds' step: v · v for an n×n variable v (Fill(0.5) assigned once, by `init`),
 * fetching one corner element. The step is the MatMul and nothing else of note, where
 * matMulGraph's Fill and Sum over n² elements (tfgate runs those on one thread, unsliced) would
 * count against the two cores.
 */
function variableMatMulGraph(n: number): GraphDef {
  return graph(
    constNode("dims", I32, [2], [n, n]),
    constNode("half", F, [], [0.5]),
    node("a", "Fill", { inputs: ["dims", "half"], attrs: { T: attr.type(F) } }),
    node("v", "VariableV2", {
      attrs: {
        dtype: attr.type(F),
        shape: attr.shape([n, n]),
        shared_name: attr.string(`long_kernels_v${n}`),
      },
    }),
    node("init", "Assign", { inputs: ["v", "a"], attrs: { T: attr.type(F) } }),
    node("vr", "Identity", { inputs: ["v"], attrs: { T: attr.type(F) } }),
    node("mm", "MatMul", { inputs: ["vr", "vr"], attrs: { T: attr.type(F) } }),
    constNode("begin", I32, [2], [0, 0]),
    constNode("one", I32, [2], [1, 1]),
    node("corner", "Slice", {
      inputs: ["mm", "begin", "one"],
      attrs: { T: attr.type(F), Index: attr.type(I32) },
    }),
  );
}

type StepInit = Parameters<typeof create<typeof StepSchema>>[1];

async function session(m: Master, g: GraphDef) {
  const h = (await m.createSession(create(CreateSessionRequestSchema, { graphDef: g }))).sessionHandle;
  return (init: StepInit) => m.runStep(create(RunStepRequestSchema, { sessionHandle: h, ...init }));
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** Tiny-step latency on an idle device and behind a long MatMul (ms). */
async function latency(m: Master, size: number, steps: number) {
  const long = await session(m, matMulGraph(size));
  const small = await session(m, matMulGraph(8));
  await long({ fetch: ["id:0"] });
  await small({ fetch: ["sum:0"] });
  const idle: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await small({ fetch: ["id:0"] });
    idle.push(performance.now() - t0);
  }
  let running = true;
  const t0 = performance.now();
  const longStep = long({ fetch: ["sum:0"] }).finally(() => {
    running = false;
  });
  const behind: number[] = [];
  while (running) {
    const s0 = performance.now();
    await small({ fetch: ["id:0"] });
    if (running) behind.push(performance.now() - s0);
  }
  await longStep;
  const longMs = performance.now() - t0;
  return { idle: sorted(idle), behind: sorted(behind), longMs };
}

/** From a step's DEADLINE_EXCEEDED (and from its deadline) to the end of the next tiny step (ms). */
async function cancelToFree(m: Master, size: number, rounds: number) {
  const long = await session(m, matMulGraph(size));
  await long({ fetch: ["id:0"] });
  const fromAnswer: number[] = [];
  const fromDeadline: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const failed = await long({ fetch: ["sum:0"], options: { timeoutInMs: 1000n } }).then(
      () => false,
      () => true,
    );
    if (!failed) throw new Error("the MatMul finished within its deadline: raise --size");
    const answered = performance.now();
    await long({ fetch: ["id:0"] });
    const free = performance.now();
    fromAnswer.push(free - answered);
    fromDeadline.push(free - (t0 + 1000));
  }
  return { fromAnswer: sorted(fromAnswer), fromDeadline: sorted(fromDeadline) };
}

/** Child mode: for each line "<n>" on stdin, one size³ MatMul step on a default master; its ms. */
async function childRounds() {
  const m = createMaster({});
  try {
    const runs = new Map<number, Awaited<ReturnType<typeof session>>>();
    for await (const line of createInterface({ input: process.stdin })) {
      const n = Number(line);
      let run = runs.get(n);
      if (run === undefined) {
        run = await session(m, variableMatMulGraph(n));
        await run({ target: ["init"] });
        await run({ fetch: ["corner:0"] });
        runs.set(n, run);
      }
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run({ fetch: ["corner:0"] });
      const step = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      process.stdout.write(`${JSON.stringify({ step, stepCpu: (cpu.user + cpu.system) / 1000 })}\n`);
    }
  } finally {
    await m.close();
  }
}

/** A child process answering one JSON line per line it is sent (after a first "ready" or none). */
class LineChild {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor(cmd: string, args: string[]) {
    this.child = spawn(cmd, args, { cwd: repoRoot, stdio: ["pipe", "pipe", "inherit"] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  async next(): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`${this.child.spawnargs.join(" ")} exited`);
    return r.value as string;
  }

  async ask(line: string): Promise<Record<string, number>> {
    this.child.stdin!.write(`${line}\n`);
    return JSON.parse(await this.next()) as Record<string, number>;
  }

  close(): Promise<void> {
    return stopChild(this.child, () => this.child.stdin!.end());
  }
}

const CONTENDERS = ["tfgate1", "tf1", "tfgateFree", "tfFree"] as const;
type Contender = (typeof CONTENDERS)[number];

/**
 * The contenders' order in each round: a balanced Latin square (each contender first once, and
 * right after each other contender once, every four rounds). Who ran just before matters on a VM:
 * after a one-core step the other vCPU has idled, and waking it, with the free contender's second
 * thread, took milliseconds (docs/benchmarks.md, "A new VM with AVX-512"). In one fixed order
 * tfgate's free step always came after TF's one-thread step and TF's right after tfgate's
 * two-thread one.
 */
const ORDERS: readonly (readonly Contender[])[] = [
  [0, 1, 3, 2],
  [1, 2, 0, 3],
  [2, 3, 1, 0],
  [3, 0, 2, 1],
].map((row) => row.map((i) => CONTENDERS[i]!));

/**
 * The MatMul rounds: each round runs one step of every contender on every size, in turn, so that
 * load on the shared machine falls on all of them alike; ratios are taken within a round.
 */
async function gflops(rounds: number, withTf: boolean) {
  const sizes = [1024, 2048];
  const self = [process.execPath, "--import", "tsx", join(repoRoot, "bench/long-kernels.ts"), "--child"];
  const python = join(repoRoot, ".venv-tf/bin/python");
  const peer = join(repoRoot, "bench/tf-peer/matmul_rounds_peer.py");
  const tf = withTf && existsSync(python);
  const children: Partial<Record<Contender, LineChild>> = {
    tfgate1: new LineChild("taskset", ["-c", "0", ...self]),
    tfgateFree: new LineChild(self[0]!, self.slice(1)),
  };
  if (tf) {
    children.tf1 = new LineChild("taskset", ["-c", "0", python, peer, "--threads", "1"]);
    children.tfFree = new LineChild(python, [peer]);
    await Promise.all([children.tf1.next(), children.tfFree.next()]);
  }
  const times = new Map<string, number[]>();
  const push = (key: string, ms: number | undefined) => {
    if (ms !== undefined) times.set(key, [...(times.get(key) ?? []), ms]);
  };
  try {
    for (let r = -1; r < rounds; r++) {
      for (const n of sizes) {
        for (const c of ORDERS[(r + 1) % ORDERS.length]!) {
          const child = children[c];
          if (child === undefined) continue;
          const t = await child.ask(`${n}`);
          // Round -1 warms every child up (session, first run) and is not counted.
          if (r < 0) continue;
          for (const [what, ms] of Object.entries(t)) push(`${c}/${n}/${what}`, ms);
        }
      }
    }
  } finally {
    await Promise.all(Object.values(children).map((c) => c.close()));
  }
  return sizes.map((n) => roundFigures(n, (c, what) => times.get(`${c}/${n}/${what}`) ?? []));
}

/** Median GFLOP/s of each contender and the medians of the per-round ratios, for one size. */
function roundFigures(
  n: number,
  ms: (c: Contender, what: "step" | "kernel" | "stepCpu" | "kernelCpu") => number[],
) {
  const gf = (xs: number[]) => (xs.length > 0 ? (2 * n ** 3) / (median(xs) * 1e6) : undefined);
  const ratio = (num: number[], den: number[]) =>
    num.length > 0 && num.length === den.length ? median(num.map((x, i) => x / den[i]!)) : undefined;
  const one = ms("tfgate1", "step");
  return {
    size: n,
    rounds: one.length,
    tfgateOneCore: gf(one),
    tfgateFree: gf(ms("tfgateFree", "step")),
    tfOneThreadKernel: gf(ms("tf1", "kernel")),
    tfOneThreadStep: gf(ms("tf1", "step")),
    tfDefaultKernel: gf(ms("tfFree", "kernel")),
    tfDefaultStep: gf(ms("tfFree", "step")),
    /** tfgate's step on one core over TF's kernel on one thread (speed over speed). */
    perThreadVsKernel: ratio(ms("tf1", "kernel"), one),
    /** tfgate's step on one core over TF's same step on one thread. */
    perThreadVsStep: ratio(ms("tf1", "step"), one),
    /**
     * The same two ratios from CPU time (each whole process, both pinned to core 0): what one
     * core's work costs each, whatever share of the core the machine's load left them.
     */
    perThreadCpuVsKernel: ratio(ms("tf1", "kernelCpu"), ms("tfgate1", "stepCpu")),
    perThreadCpuVsStep: ratio(ms("tf1", "stepCpu"), ms("tfgate1", "stepCpu")),
    /** tfgate free over tfgate on one core. */
    twoCores: ratio(one, ms("tfgateFree", "step")),
    /** TF's step, default pool over one thread. */
    tfTwoCores: ratio(ms("tf1", "step"), ms("tfFree", "step")),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "6144" },
      "small-steps": { type: "string", default: "200" },
      cancels: { type: "string", default: "5" },
      rounds: { type: "string", default: "7" },
      "gflops-only": { type: "boolean", default: false },
      child: { type: "boolean", default: false },
      "no-tf": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
    },
  });
  if (values.child) return childRounds();
  const size = positive("size", values.size, true);
  const rounds = positive("rounds", values.rounds, true);
  const load0 = os.loadavg()[0]!;
  let lat: Awaited<ReturnType<typeof latency>> | undefined;
  let cancel: Awaited<ReturnType<typeof cancelToFree>> | undefined;
  if (!values["gflops-only"]) {
    const m = createMaster({});
    try {
      lat = await latency(m, size, positive("small-steps", values["small-steps"], true));
      cancel = await cancelToFree(m, size, positive("cancels", values.cancels, true));
    } finally {
      await m.close();
    }
  }
  const rates = await gflops(rounds, !values["no-tf"]);
  const load = `load average ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`;
  console.log(`## Long kernels (${size}³ float32 MatMul; ${load})\n`);
  if (lat !== undefined && cancel !== undefined) printLatency(lat, cancel);
  printRates(rates);
  if (!values["no-write"]) {
    const file = writeResults("long-kernels", {
      machine: { ...machineInfo(), loadAverage: os.loadavg(), loadAverageAtStart: load0 },
      size,
      latencyMs: lat === undefined ? undefined : { idle: lat.idle, behind: lat.behind, longMs: lat.longMs },
      cancelToFreeMs: cancel,
      gflops: rates,
    });
    console.log(`\nwrote ${file}`);
  }
}

function printLatency(
  lat: Awaited<ReturnType<typeof latency>>,
  cancel: Awaited<ReturnType<typeof cancelToFree>>,
) {
  const q = (xs: number[], p: number) => fmt(quantile(xs, p), 1);
  console.log("| tiny step on CPU:0 | p50 ms | p99 ms | steps |\n|---|---|---|---|");
  console.log(`| idle device | ${q(lat.idle, 0.5)} | ${q(lat.idle, 0.99)} | ${lat.idle.length} |`);
  console.log(
    `| behind the MatMul (${fmt(lat.longMs / 1000, 1)} s) | ${q(lat.behind, 0.5)} | ${q(lat.behind, 0.99)} | ${lat.behind.length} |`,
  );
  console.log(
    `\ncancel to free (timeout_in_ms 1000, ${cancel.fromAnswer.length} rounds): from the answer p50 ${q(cancel.fromAnswer, 0.5)} ms, max ${q(cancel.fromAnswer, 1)} ms; from the deadline p50 ${q(cancel.fromDeadline, 0.5)} ms, max ${q(cancel.fromDeadline, 1)} ms (the MatMul alone: ${fmt(lat.longMs, 0)} ms)`,
  );
}

function printRates(rates: Awaited<ReturnType<typeof gflops>>) {
  const f1 = (x: number | undefined) => fmt(x, 1);
  const f2 = (x: number | undefined) => fmt(x, 2);
  console.log(
    `\nMatMul steps, ${rates[0]?.rounds ?? 0} rounds, contenders interleaved step by step (GFLOP/s: medians)\n`,
  );
  console.log(
    "| size | tfgate 1 core | tfgate free | TF 1 thread kernel | TF 1 thread step | TF default kernel | TF default step |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rates) {
    console.log(
      `| ${r.size}³ | ${f1(r.tfgateOneCore)} | ${f1(r.tfgateFree)} | ${f1(r.tfOneThreadKernel)} | ${f1(r.tfOneThreadStep)} | ${f1(r.tfDefaultKernel)} | ${f1(r.tfDefaultStep)} |`,
    );
  }
  console.log("\nMedians of the per-round ratios (speed over speed):\n");
  console.log(
    "| size | tfgate 1 core / TF 1 thread kernel | same, CPU time | tfgate 1 core / TF 1 thread step | same, CPU time | tfgate free / tfgate 1 core | TF default / TF 1 thread (step) |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rates) {
    console.log(
      `| ${r.size}³ | ${f2(r.perThreadVsKernel)} | ${f2(r.perThreadCpuVsKernel)} | ${f2(r.perThreadVsStep)} | ${f2(r.perThreadCpuVsStep)} | ${f2(r.twoCores)}× | ${f2(r.tfTwoCores)}× |`,
    );
  }
}

await main();
