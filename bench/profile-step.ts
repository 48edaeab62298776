// Server CPU per call, and optionally V8 CPU profiles of every server thread, for one RunStep
// workload under h2load: how the figures in docs/benchmarks.md ("Step overhead") were found.
//
//   node --import tsx bench/profile-step.ts [small|feed4m|fetch64m] [calls] [--repeat N]
//                      [--protocol grpc|connect-proto|connect-proto-h1|grpc-web|connect-json]
//                      [--cpu-prof DIR] [--alloc FILE] [--node-flag F]…
//   node --import tsx bench/cpuprofile-top.ts DIR/CPU.*.cpuprofile
//
// tfgate is started from the sources (`tfgate serve` through tsx) with the node flags given: with
// --cpu-prof, the RPC thread and each device thread write their own profile into DIR when the
// server exits. The workloads are bench/h2load.ts's: `small` is a cached one-Const RunStep with 64
// calls in flight (4 connections × 16 streams), `feed4m` a 4 MiB float32 feed through Neg to a
// 4 MiB fetch, one call at a time. A warm-up of a quarter of the calls runs first; the server's CPU
// time (all threads, /proc/<pid>/stat) and each thread's (/proc/<pid>/task/*/stat: the RPC event
// loop first, then the busiest others) are read around each of the --repeat measured runs. With --alloc,
// bench/alloc-sampler.ts prints the bytes the RPC thread allocates per call (and writes its heap
// profile to FILE). No peer runs here: compare figures from the same minutes only, or use
// bench/h2load.ts for ratios against TF.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  type RunStepRequest,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node, tensorProto } from "../test/support/graphs.js";
import { call, type ProtocolName, protocols } from "./h2load-wire.js";
import { processCpuMs, repoRoot, sleep, threadCpuMs } from "./support.js";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "cpu-prof": { type: "string" },
    "node-flag": { type: "string", multiple: true, default: [] },
    repeat: { type: "string", default: "1" },
    alloc: { type: "string" },
    protocol: { type: "string", default: "grpc" },
  },
});
const named = positionals[0] ?? "small";
if (named !== "small" && named !== "feed4m" && named !== "fetch64m")
  throw new Error(`unknown workload ${named}`);
const repeat = Number(flags.repeat);
if (!(flags.protocol in protocols)) throw new Error(`unknown protocol ${flags.protocol}`);
/** The RunStep's protocol (h2load-wire.ts's names); CreateSession always goes over gRPC. */
const wire = protocols[flags.protocol as ProtocolName];
const workload: Workload = named;
const calls = Number(positionals[1] ?? (workload === "small" ? "30000" : "200"));
const elements = (4 * 1024 * 1024) / 4;

type Workload = "small" | "feed4m" | "fetch64m";

function graphOf(name: Workload) {
  if (name === "small") return graph(constNode("c", DataType.DT_FLOAT, [], [42.5]));
  if (name === "fetch64m") {
    // bench/h2load.ts's fetch64m: Fill([16 Mi], 1.5), a 64 MiB answer to a tiny request.
    return graph(
      constNode("dims", DataType.DT_INT32, [1], [16 * 1024 * 1024]),
      constNode("v", DataType.DT_FLOAT, [], [1.5]),
      node("f", "Fill", { inputs: ["dims", "v"], attrs: { T: attr.type(DataType.DT_FLOAT) } }),
    );
  }
  return graph(
    node("x", "Placeholder", {
      attrs: { dtype: attr.type(DataType.DT_FLOAT), shape: attr.shape([elements]) },
    }),
    node("y", "Neg", { inputs: ["x"], attrs: { T: attr.type(DataType.DT_FLOAT) } }),
  );
}

function requestOf(name: Workload, sessionHandle: string): RunStepRequest {
  if (name === "small") return create(RunStepRequestSchema, { sessionHandle, fetch: ["c:0"] });
  if (name === "fetch64m") return create(RunStepRequestSchema, { sessionHandle, fetch: ["f:0"] });
  const values = Array.from({ length: elements }, (_, i) => i % 1000);
  return create(RunStepRequestSchema, {
    sessionHandle,
    feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [elements], values) }],
    fetch: ["y:0"],
  });
}

async function untilHealthy(origin: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const response = await fetch(`${origin}/healthz`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error("tfgate did not become healthy");
}

/** h2load's summary lines, or an error naming what went wrong. */
function h2load(args: readonly string[]): string {
  const result = spawnSync("h2load", args, { encoding: "utf8" });
  if (result.status !== 0 || !/ 0 failed, 0 errored/.test(result.stdout))
    throw new Error(`h2load failed:\n${result.stdout}${result.stderr}`);
  return result.stdout
    .split("\n")
    .filter((l) => /finished in|requests:/.test(l))
    .join("\n");
}

/**
 * CPU per call of the main (RPC) thread and of the busiest other threads (device threads, V8's GC
 * helpers, the tsx loader: Node names them all "node", so they go by thread id).
 */
function threadShares(
  pid: number,
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  calls: number,
): string {
  const used = [...after]
    .map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const)
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => (a[0] === pid ? -1 : b[0] === pid ? 1 : b[1] - a[1]));
  return used
    .slice(0, 5)
    .map(
      ([tid, ms]) =>
        `  ${tid === pid ? "main" : `thread ${tid}`}: ${((ms * 1000) / calls).toFixed(0)} µs/call`,
    )
    .join("\n");
}

async function main(): Promise<void> {
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  const profDir = flags["cpu-prof"];
  const child = spawn(
    process.execPath,
    [
      ...(profDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profDir]),
      ...flags["node-flag"],
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      "import { runCli } from './server/main.ts';" +
        // The RPC thread's only (an --import would load it into every device thread too).
        "if (process.env.TFGATE_ALLOC_PROFILE) await import('./bench/alloc-sampler.ts');" +
        "process.stdin.on('data', () => {}).on('end', () => process.kill(process.pid, 'SIGTERM'));" +
        "await runCli(process.argv.slice(1));",
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--log-level",
      "warn",
      "--max-message-bytes",
      "256MiB",
    ],
    {
      cwd: repoRoot,
      stdio: ["pipe", "inherit", "inherit"],
      env: flags.alloc === undefined ? process.env : { ...process.env, TFGATE_ALLOC_PROFILE: flags.alloc },
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const dir = mkdtempSync(join(os.tmpdir(), "tfgate-profile-step-"));
  try {
    const origin = `http://127.0.0.1:${port}`;
    await untilHealthy(origin);
    const { message } = await call(
      origin,
      "/tensorflow.MasterService/CreateSession",
      protocols.grpc,
      CreateSessionRequestSchema,
      create(CreateSessionRequestSchema, { graphDef: graphOf(workload) }),
      CreateSessionResponseSchema,
    );
    const body = join(dir, "body.bin");
    writeFileSync(body, wire.body(RunStepRequestSchema, requestOf(workload, message.sessionHandle)));
    // bench/h2load.ts's loads: 64 calls in flight, over 64 connections for HTTP/1.1.
    const small = wire.http1 ? ["-c", "64", "-m", "1", "--h1"] : ["-c", "4", "-m", "16"];
    const load = workload === "small" ? small : ["-c", "1", "-m", "1", ...(wire.http1 ? ["--h1"] : [])];
    const args = (n: number) => [
      "-n",
      String(n),
      ...load,
      "-d",
      body,
      ...Object.entries(wire.headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]),
      `${origin}/tensorflow.MasterService/RunStep`,
    ];
    h2load(args(Math.max(1, Math.ceil(calls / 4))));
    for (let run = 0; run < repeat; run++) {
      const pid = child.pid!;
      const before = processCpuMs(pid) ?? 0;
      const threadsBefore = threadCpuMs(pid);
      const summary = h2load(args(calls));
      const all = (processCpuMs(pid) ?? 0) - before;
      const threadsAfter = threadCpuMs(pid);
      console.log(`${workload}: ${calls} calls, server CPU ${((all * 1000) / calls).toFixed(1)} µs/call`);
      console.log(threadShares(pid, threadsBefore, threadsAfter, calls));
      console.log(summary);
    }
  } finally {
    child.stdin?.end();
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
