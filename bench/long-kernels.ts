// Long kernels on a shared device thread (docs/architecture.md, "Sliced kernels"; docs/benchmarks.md,
// "Long kernels"): what a long MatMul costs the other steps on its device, how soon a cancelled one
// frees the device, and how fast one large MatMul runs on one core and on every core, against TF
// in the same run.
//
//   node --import tsx bench/long-kernels.ts [--size 6144] [--small-steps 200] [--cancels 5]
//                                           [--min-seconds 3] [--no-tf] [--no-write]
//
// Parts, all on an in-process master with its default device worker threads:
//   latency   a tiny step (Const → Identity) of session B on CPU:0, p50/p99, on an idle device and
//             while session A runs a size³ float32 MatMul on the same device (peer: idle)
//   cancel    A's MatMul with timeout_in_ms 1000: from the DEADLINE_EXCEEDED answer (and from the
//             deadline) to the end of a tiny step on the same device (peer: the MatMul's own length)
//   gflops    a MatMul 1024³ and 2048³ step (operands made in-graph by Fill, Sum fetched), in child
//             processes under `taskset -c 0` and free; TF 2.21 eager (bench/tf-peer/gflops_peer.py)
//             with 1 intra-op thread and with its default pool, in the same run
// The machine is shared: figures are ratios against the peer measured in the same run.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
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
import { fmt, machineInfo, median, positive, quantile, repoRoot, writeResults } from "./support.js";

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

/** Child mode: median ms of a size³ MatMul step on a default master, as JSON on stdout. */
async function childGflops(sizes: number[], minSeconds: number) {
  const m = createMaster({});
  try {
    const out: Record<string, number> = {};
    for (const n of sizes) {
      const run = await session(m, matMulGraph(n));
      await run({ fetch: ["sum:0"] });
      const times: number[] = [];
      const start = performance.now();
      while (times.length < 3 || performance.now() - start < minSeconds * 1000) {
        const t0 = performance.now();
        await run({ fetch: ["sum:0"] });
        times.push(performance.now() - t0);
      }
      out[n] = median(times);
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await m.close();
  }
}

function runJson(cmd: string, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: repoRoot, maxBuffer: 1 << 20, timeout: 900_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>);
    });
  });
}

async function gflops(minSeconds: number, withTf: boolean) {
  const sizes = [1024, 2048];
  const self = [
    "--import",
    "tsx",
    join(repoRoot, "bench/long-kernels.ts"),
    "--child",
    "--min-seconds",
    `${minSeconds}`,
  ];
  const oneCore = await runJson("taskset", ["-c", "0", process.execPath, ...self]);
  const free = await runJson(process.execPath, self);
  const python = join(repoRoot, ".venv-tf/bin/python");
  let tf1: Record<string, unknown> | undefined;
  let tfAll: Record<string, unknown> | undefined;
  if (withTf && existsSync(python)) {
    const peer = join(repoRoot, "bench/tf-peer/gflops_peer.py");
    tf1 = (await runJson(python, [peer, "--threads", "1", "--min-seconds", `${minSeconds}`])).tf as Record<
      string,
      unknown
    >;
    tfAll = (await runJson(python, [peer, "--min-seconds", `${minSeconds}`])).tf as Record<string, unknown>;
  }
  const gf = (n: number, ms: unknown) => (typeof ms === "number" ? (2 * n ** 3) / (ms * 1e6) : undefined);
  return sizes.map((n) => ({
    size: n,
    tfgateOneCore: gf(n, oneCore[n]),
    tfgateFree: gf(n, free[n]),
    tfOneThread: gf(n, tf1?.[n === 1024 ? "matMulMs" : "matMul2048Ms"]),
    tfDefault: gf(n, tfAll?.[n === 1024 ? "matMulMs" : "matMul2048Ms"]),
  }));
}

async function main() {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "6144" },
      "small-steps": { type: "string", default: "200" },
      cancels: { type: "string", default: "5" },
      "min-seconds": { type: "string", default: "3" },
      child: { type: "boolean", default: false },
      "no-tf": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
    },
  });
  const minSeconds = positive("min-seconds", values["min-seconds"]);
  if (values.child) return childGflops([1024, 2048], minSeconds);
  const size = positive("size", values.size, true);
  const m = createMaster({});
  let lat: Awaited<ReturnType<typeof latency>>;
  let cancel: Awaited<ReturnType<typeof cancelToFree>>;
  try {
    lat = await latency(m, size, positive("small-steps", values["small-steps"], true));
    cancel = await cancelToFree(m, size, positive("cancels", values.cancels, true));
  } finally {
    await m.close();
  }
  const rates = await gflops(minSeconds, !values["no-tf"]);
  const q = (xs: number[], p: number) => fmt(quantile(xs, p), 1);
  console.log(`## Long kernels (${size}³ float32 MatMul; load average ${os.loadavg()[0]!.toFixed(1)})\n`);
  console.log("| tiny step on CPU:0 | p50 ms | p99 ms | steps |\n|---|---|---|---|");
  console.log(`| idle device | ${q(lat.idle, 0.5)} | ${q(lat.idle, 0.99)} | ${lat.idle.length} |`);
  console.log(
    `| behind the MatMul (${fmt(lat.longMs / 1000, 1)} s) | ${q(lat.behind, 0.5)} | ${q(lat.behind, 0.99)} | ${lat.behind.length} |`,
  );
  console.log(
    `\ncancel to free (timeout_in_ms 1000, ${cancel.fromAnswer.length} rounds): from the answer p50 ${q(cancel.fromAnswer, 0.5)} ms, max ${q(cancel.fromAnswer, 1)} ms; from the deadline p50 ${q(cancel.fromDeadline, 0.5)} ms, max ${q(cancel.fromDeadline, 1)} ms (the MatMul alone: ${fmt(lat.longMs, 0)} ms)`,
  );
  console.log(
    "\n| MatMul GFLOP/s | tfgate 1 core | tfgate free | ratio | TF 1 thread | TF default | tfgate 1 core / TF 1 thread |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rates) {
    const ratio =
      r.tfgateFree !== undefined && r.tfgateOneCore !== undefined
        ? r.tfgateFree / r.tfgateOneCore
        : undefined;
    const perThread =
      r.tfgateOneCore !== undefined && r.tfOneThread !== undefined
        ? r.tfgateOneCore / r.tfOneThread
        : undefined;
    console.log(
      `| ${r.size}³ | ${fmt(r.tfgateOneCore, 1)} | ${fmt(r.tfgateFree, 1)} | ${fmt(ratio, 2)}× | ${fmt(r.tfOneThread, 1)} | ${fmt(r.tfDefault, 1)} | ${fmt(perThread, 2)} |`,
    );
  }
  if (!values["no-write"]) {
    const file = writeResults("long-kernels", {
      machine: { ...machineInfo(), loadAverage: os.loadavg() },
      size,
      latencyMs: { idle: lat.idle, behind: lat.behind, longMs: lat.longMs },
      cancelToFreeMs: cancel,
      gflops: rates,
    });
    console.log(`\nwrote ${file}`);
  }
}

await main();
