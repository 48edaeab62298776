// RunStep under h2load (nghttp2's C load generator): tfgate against TensorFlow 2.21's own gRPC
// server and a plain @grpc/grpc-js server, all started by this run on loopback, loaded by the same
// independent client (docs/benchmarks.md, "RunStep under h2load").
//
//   npm run bench:h2load -- [--rounds 5] [--seconds 1.2] [--sample-seconds 3] [--budget 360] [--quick]
//                           [--only small,feed4m,...] [--h2load /path/to/h2load] [--no-write]
//
// Rows (each figure the median of --rounds rounds, with its range; peers interleave within a round):
//   small      cached one-Const graph, gRPC h2c, 4 connections × 16 streams: calls/s and server CPU
//              µs/call, tfgate vs TF vs grpc-js.
//   protocols  the same call over tfgate's other protocols (Connect binary on h2c and on HTTP/1.1,
//              gRPC-Web, Connect JSON), against TF's gRPC from the same round.
//   feed4m     a 4 MiB float32 feed through Neg to a 4 MiB fetch, one stream: step time, tfgate vs TF.
//   fetch64m   a 64 MiB fetch (Fill), one stream: GiB/s end to end, tfgate vs TF.
//   + ListDevices p99, sampled every 20 ms over a separate connection during a second, longer run
//     (--sample-seconds, default 3) of the small and feed4m loads in each round (the sampler's calls
//     cost the server CPU, so the figures above come from the runs without it). The sampler is a
//     process of its own at niceness -10 where the run may raise it (root), so that its figure is
//     the server's wait and not the sampler's own wait for a core (bench/latency-sampler.ts).
//
// Method: for each server, a session is created over gRPC, the request bytes are written once to a
// file, and h2load posts that file -n times (n sized by two warm-up runs to --seconds per run).
// Every run is judged on the wire: h2load must count every request done and succeeded with HTTP
// 2xx, and the response bodies must add up to exactly n × the body of a good answer (which a
// separate probe, reading headers and trailers, checks before and after each run): h2load counts
// a non-OK grpc-status as a success, but its answer has another body, so no error can hide in the
// figures. A run with a bad answer is left out of the figures; for tfgate it fails the benchmark
// (exit 1), a peer's run is tried again (3 tries a round; exit 1 if a peer has no good run at all).
// Server CPU time is utime + stime of the server's process (all threads) from /proc/<pid>/stat
// around the run, divided by the calls.
//
// The default run takes about 5.5 minutes on a busy 2-core machine and never starts a round that
// would end past --budget seconds (default 360, which keeps it within about 6 minutes); --quick
// (one round of short runs) is a smoke check.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  ListDevicesRequestSchema,
  ListDevicesResponseSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorShape } from "../test/support/graphs.js";
import { type H2loadReport, h2loadProblems, parseH2loadOutput } from "./h2load-parse.js";
import {
  type BenchServer,
  type ServerName,
  startGrpcJs,
  startTf,
  startTfgate,
  tfgateLaunch,
} from "./h2load-servers.js";
import { call, type LatencySample, type ProtocolName, protocols } from "./h2load-wire.js";
import { startSampler } from "./latency-sampler.js";
import {
  fmt,
  machineCpuMs,
  machineInfo,
  median,
  positive,
  processCpuMs,
  quantile,
  repoRoot,
  writeResults,
} from "./support.js";

const venv = process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf");
const tfPython = join(venv, "bin", "python");
const runStepPath = "/tensorflow.MasterService/RunStep";
const listDevicesPath = "/tensorflow.MasterService/ListDevices";
const listDevicesIntervalMs = 20;

// ---------------------------------------------------------------------------------------------
// Options

const { values: flags } = parseArgs({
  options: {
    rounds: { type: "string" },
    seconds: { type: "string" },
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    h2load: { type: "string", default: process.env.H2LOAD ?? "h2load" },
    "no-write": { type: "boolean", default: false },
    budget: { type: "string" },
    "sample-seconds": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n\n")[0]);
  process.exit(0);
}

const config = {
  rounds: positive("rounds", flags.rounds ?? (flags.quick ? "1" : "5"), true),
  /** Target length of one measured h2load run; the request count is sized from a warm-up run. */
  seconds: positive("seconds", flags.seconds ?? (flags.quick ? "0.4" : "1.2")),
  /**
   * Target length of a run with the ListDevices sampler: long enough for a p99 of its own (150
   * samples at the sampler's 20 ms, where a measured run gives some 60).
   */
  sampleSeconds: positive("sample-seconds", flags["sample-seconds"] ?? (flags.quick ? "0.4" : "3")),
  quick: flags.quick,
  only: flags.only?.split(",").filter((s) => s !== "") ?? [],
  h2load: flags.h2load,
  /** Seconds the whole run may take: a round that would end past it is not started. */
  budgetSeconds: positive("budget", flags.budget ?? (flags.quick ? "150" : "360")),
};

/** h2load's version line, or exit 2 with how to install it. */
function requireH2load(): string {
  const result = spawnSync(config.h2load, ["--version"], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) {
    console.error(
      `bench:h2load needs h2load (nghttp2's load generator), and \`${config.h2load} --version\` failed` +
        `${result.error === undefined ? "" : ` (${result.error.message})`}.\n` +
        "Install it: Debian/Ubuntu `sudo apt-get install nghttp2-client`, Fedora `sudo dnf install nghttp2`, " +
        "macOS `brew install nghttp2`; or point --h2load (or H2LOAD) at the binary.",
    );
    process.exit(2);
  }
  return result.stdout.trim();
}

// ---------------------------------------------------------------------------------------------
// Workloads: a graph, the RunStep request for a session of it, and the check of its answer

type WorkloadName = "const" | "neg4m" | "fill64m";

interface Workload {
  readonly graph: GraphDef;
  request(sessionHandle: string): RunStepRequest;
  /** Throws unless `response` is this step's right answer. */
  check(response: RunStepResponse): void;
}

const constValue = 42.5;
const neg4mElements = (4 * 1024 * 1024) / 4;
const fill64mElements = (64 * 1024 * 1024) / 4;
const fillValue = 1.5;

/** Float32 at element `i` of a fetched tensor's tensor_content. */
function floatAt(content: Uint8Array, i: number): number {
  return new DataView(content.buffer, content.byteOffset, content.byteLength).getFloat32(i * 4, true);
}

function fetched(response: RunStepResponse, name: string, elements: number): Uint8Array {
  const named = response.tensor.find((t) => t.name === name);
  const shape = tensorShape(named?.tensor);
  const size = shape.reduce((a, b) => a * b, 1);
  const content = named?.tensor?.tensorContent;
  if (
    named?.tensor?.dtype !== DataType.DT_FLOAT ||
    size !== elements ||
    content?.byteLength !== elements * 4
  ) {
    throw new Error(`expected ${name} as ${elements} float32 in tensor_content, got shape [${shape}]`);
  }
  return content;
}

const neg4mFeed = (() => {
  const values = Array.from({ length: neg4mElements }, (_, i) => (i % 1000) * 0.25);
  return tensorProto(DataType.DT_FLOAT, [neg4mElements], values);
})();

const workloads: Record<WorkloadName, Workload> = {
  const: {
    graph: graph(constNode("c", DataType.DT_FLOAT, [], [constValue])),
    request: (sessionHandle) => create(RunStepRequestSchema, { sessionHandle, fetch: ["c:0"] }),
    check(response) {
      const value = floatAt(fetched(response, "c:0", 1), 0);
      if (value !== constValue) throw new Error(`expected c:0 = ${constValue}, got ${value}`);
    },
  },
  neg4m: {
    graph: graph(
      node("x", "Placeholder", {
        attrs: { dtype: attr.type(DataType.DT_FLOAT), shape: attr.shape([neg4mElements]) },
      }),
      node("y", "Neg", { inputs: ["x"], attrs: { T: attr.type(DataType.DT_FLOAT) } }),
    ),
    request: (sessionHandle) =>
      create(RunStepRequestSchema, {
        sessionHandle,
        feed: [{ name: "x:0", tensor: neg4mFeed }],
        fetch: ["y:0"],
      }),
    check(response) {
      const content = fetched(response, "y:0", neg4mElements);
      for (const i of [0, 1, 999, 1001, neg4mElements - 1]) {
        const want = -((i % 1000) * 0.25);
        if (floatAt(content, i) !== want)
          throw new Error(`y:0[${i}] = ${floatAt(content, i)}, expected ${want}`);
      }
    },
  },
  fill64m: {
    graph: graph(
      constNode("dims", DataType.DT_INT32, [1], [fill64mElements]),
      constNode("v", DataType.DT_FLOAT, [], [fillValue]),
      node("f", "Fill", {
        inputs: ["dims", "v"],
        attrs: { T: attr.type(DataType.DT_FLOAT), index_type: attr.type(DataType.DT_INT32) },
      }),
    ),
    request: (sessionHandle) => create(RunStepRequestSchema, { sessionHandle, fetch: ["f:0"] }),
    check(response) {
      const content = fetched(response, "f:0", fill64mElements);
      for (const i of [0, 12345, fill64mElements - 1]) {
        if (floatAt(content, i) !== fillValue)
          throw new Error(`f:0[${i}] = ${floatAt(content, i)}, expected ${fillValue}`);
      }
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Cases

type Row = "small" | "protocols" | "feed4m" | "fetch64m";

interface Case {
  readonly id: string;
  readonly row: Row;
  readonly server: ServerName;
  readonly protocol: ProtocolName;
  readonly workload: WorkloadName;
  readonly connections: number;
  readonly streams: number;
  /** Sample ListDevices latency on the side (servers that implement it). */
  readonly sampleListDevices: boolean;
  /** Requests of the warm-up run, and the fewest of a measured run. */
  readonly warmupRequests: number;
  readonly minRequests: number;
}

function smallCase(row: Row, server: ServerName, protocol: ProtocolName): Case {
  // HTTP/1.1 carries one call per connection at a time (h2load never pipelines a POST), so the same
  // 64 calls in flight take 64 connections.
  const http1 = protocols[protocol].http1;
  return {
    id: `${server} ${protocol} small`,
    row,
    server,
    protocol,
    workload: "const",
    connections: http1 ? 64 : 4,
    streams: http1 ? 1 : 16,
    sampleListDevices: row === "small" && server !== "grpc-js",
    warmupRequests: config.quick ? 500 : 2000,
    minRequests: 256,
  };
}

function bigCase(row: Row, server: ServerName, workload: WorkloadName): Case {
  return {
    id: `${server} grpc ${row}`,
    row,
    server,
    protocol: "grpc",
    workload,
    connections: 1,
    streams: 1,
    sampleListDevices: row === "feed4m",
    warmupRequests: workload === "fill64m" ? 1 : 10,
    minRequests: config.quick ? 2 : 3,
  };
}

function plan(withTf: boolean): Case[] {
  const peers: ServerName[] = withTf ? ["tfgate", "tf"] : ["tfgate"];
  const cases: Case[] = [
    ...[...peers, "grpc-js" as const].map((s) => smallCase("small", s, "grpc")),
    ...(["connect-proto", "connect-proto-h1", "grpc-web", "connect-json"] as const).map((p) =>
      smallCase("protocols", "tfgate", p),
    ),
    ...peers.map((s) => bigCase("feed4m", s, "neg4m")),
    ...peers.map((s) => bigCase("fetch64m", s, "fill64m")),
  ];
  return cases.filter(
    (c) => config.only.length === 0 || config.only.some((o) => c.row === o || c.id.includes(o)),
  );
}

// ---------------------------------------------------------------------------------------------
// Preparing a case: session, request file, the size of a good answer

interface Prepared {
  readonly case: Case;
  readonly server: BenchServer;
  readonly request: RunStepRequest;
  readonly bodyFile: string;
  /** Body bytes of one good answer, as the probe read it. */
  readonly responseBodyBytes: number;
  /** Requests per measured run, sized from the warm-up run. */
  requests: number;
  /** Requests per run with the ListDevices sampler (config.sampleSeconds), sized alike. */
  sampledRequests: number;
}

const sessions = new Map<string, RunStepRequest>();

/**
 * One session per server and workload (protocols share it), created over gRPC. The grpc-js peer
 * has no sessions (it answers RunStep only): it gets tfgate's request, byte for byte.
 */
async function sessionRequest(server: BenchServer, workload: WorkloadName): Promise<RunStepRequest> {
  if (server.name === "grpc-js") {
    const tfgate = sessions.get(`tfgate ${workload}`);
    if (tfgate === undefined) throw new Error(`grpc-js: no tfgate session for ${workload} to copy`);
    return tfgate;
  }
  const key = `${server.name} ${workload}`;
  const known = sessions.get(key);
  if (known !== undefined) return known;
  const { message } = await call(
    server.origin,
    "/tensorflow.MasterService/CreateSession",
    protocols.grpc,
    CreateSessionRequestSchema,
    create(CreateSessionRequestSchema, { graphDef: workloads[workload].graph }),
    CreateSessionResponseSchema,
  );
  const request = workloads[workload].request(message.sessionHandle);
  sessions.set(key, request);
  return request;
}

/** One RunStep of the case outside h2load, headers and trailers read and the answer checked. */
async function probe(c: Case, server: BenchServer, request: RunStepRequest): Promise<number> {
  const { message, response } = await call(
    server.origin,
    runStepPath,
    protocols[c.protocol],
    RunStepRequestSchema,
    request,
    RunStepResponseSchema,
  );
  workloads[c.workload].check(message);
  return response.body.length;
}

async function prepare(c: Case, server: BenchServer, dir: string): Promise<Prepared> {
  const request = await sessionRequest(server, c.workload);
  const bodyFile = join(dir, `${c.id.replace(/\W+/g, "-")}.bin`);
  writeFileSync(bodyFile, protocols[c.protocol].body(RunStepRequestSchema, request));
  const first = await probe(c, server, request);
  const second = await probe(c, server, request);
  if (first !== second)
    throw new Error(`${c.id}: good answers of ${first} and ${second} bytes; the check needs one size`);
  return {
    case: c,
    server,
    request,
    bodyFile,
    responseBodyBytes: first,
    requests: c.warmupRequests,
    sampledRequests: c.warmupRequests,
  };
}

// ---------------------------------------------------------------------------------------------
// Running h2load

function h2loadArgs(p: Prepared, requests: number): string[] {
  const protocol = protocols[p.case.protocol];
  return [
    "-n",
    String(requests),
    "-c",
    String(Math.min(p.case.connections, requests)),
    "-m",
    String(p.case.streams),
    "-d",
    p.bodyFile,
    ...Object.entries(protocol.headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]),
    ...(protocol.http1 ? ["--h1"] : []),
    `${p.server.origin}${runStepPath}`,
  ];
}

/** Runs h2load to the end (killed after `timeoutMs`); its stdout, or an error with its output. */
function runH2load(args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(config.h2load, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `h2load ${args.join(" ")} ended with ${code ?? signal}:\n${stderr}${stdout.slice(-1500)}`,
          ),
        );
    });
  });
}

interface Run {
  readonly case: string;
  readonly server: ServerName;
  readonly round: number;
  readonly requests: number;
  readonly seconds: number;
  readonly callsPerSecond: number;
  /** h2load's mean time per request, ms (with one stream: the step time as a client sees it). */
  readonly meanRequestMs: number;
  readonly responseBytes: number;
  readonly gibPerSecond: number;
  readonly serverCpuUsPerCall: number | undefined;
  /** Whole-machine busy CPU during the run, % of all cores (other engineers' work included). */
  readonly machineBusyPercent: number | undefined;
  /**
   * ListDevices latency sampled during this run. Such runs only give that latency: the sampler's
   * calls cost the server CPU too (a ListDevices costs tfgate about what a small RunStep does), so
   * the throughput and CPU figures come from the same case's run without it.
   */
  readonly listDevices: LatencySample | undefined;
  /** The sampler's niceness (latency-sampler.ts): 0 where the run could not raise it. */
  readonly samplerNiceness: number | undefined;
  readonly problems: readonly string[];
  /** A peer's failed run that a good retry replaced (the failure stays on record). */
  superseded?: true;
}

/** One h2load run of a prepared case, measured and judged (`problems` empty when it is valid). */
async function measure(p: Prepared, round: number, requests: number, sampled: boolean): Promise<Run> {
  const sampler = sampled
    ? await startSampler(p.server.origin, listDevicesPath, listDevicesIntervalMs)
    : undefined;
  const cpu0 = processCpuMs(p.server.pid);
  const machine0 = machineCpuMs();
  const wall0 = performance.now();
  let report: H2loadReport | undefined;
  const problems: string[] = [];
  try {
    report = parseH2loadOutput(await runH2load(h2loadArgs(p, requests), 120_000 + config.seconds * 20_000));
    problems.push(...h2loadProblems(report, { requests, bodyBytesPerResponse: p.responseBodyBytes }));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const cpu1 = processCpuMs(p.server.pid);
  const machine1 = machineCpuMs();
  const wallMs = performance.now() - wall0;
  const listDevices = await sampler?.stop();
  if (listDevices !== undefined && listDevices.errors > 0) {
    problems.push(`ListDevices failed ${listDevices.errors} time(s) on the side: ${listDevices.firstError}`);
  }
  try {
    // The session still answers, with the right value and an OK status in its trailers.
    const after = await probe(p.case, p.server, p.request);
    if (after !== p.responseBodyBytes)
      problems.push(`after the run a good answer had ${after} bytes, not ${p.responseBodyBytes}`);
  } catch (error) {
    problems.push(`after the run: ${error instanceof Error ? error.message : String(error)}`);
  }
  const seconds = report?.seconds ?? Number.NaN;
  return {
    case: p.case.id,
    server: p.server.name,
    round,
    requests,
    seconds,
    callsPerSecond: requests / seconds,
    meanRequestMs: (report?.requestTimeUs.mean ?? Number.NaN) / 1000,
    responseBytes: report?.bytes.data ?? 0,
    gibPerSecond: (report?.bytes.data ?? 0) / seconds / 1024 ** 3,
    serverCpuUsPerCall:
      cpu0 === undefined || cpu1 === undefined ? undefined : ((cpu1 - cpu0) * 1000) / requests,
    machineBusyPercent:
      machine0 === undefined || machine1 === undefined
        ? undefined
        : ((machine1.busy - machine0.busy) / wallMs / os.cpus().length) * 100,
    listDevices,
    samplerNiceness: sampler?.niceness,
    problems,
  };
}

/**
 * Two warm-up runs (judged like any other): a fixed count on a cold server (JIT, caches), then one
 * sized from that rate; the second's rate sizes the measured runs to about config.seconds each,
 * and the sampled ones to about config.sampleSeconds.
 */
async function warmUp(p: Prepared): Promise<Run[]> {
  const size = (run: Run, seconds: number) => {
    const rate = Number.isFinite(run.callsPerSecond) ? run.callsPerSecond : 0;
    // A whole number of requests per stream, so every stream of every connection works to the end.
    const inFlight = p.case.connections * p.case.streams;
    return Math.max(p.case.minRequests, Math.round((rate * seconds) / inFlight) * inFlight);
  };
  const cold = await measure(p, 0, p.case.warmupRequests, false);
  const warm = await measure(p, 0, size(cold, config.seconds), false);
  p.requests = size(warm, config.seconds);
  p.sampledRequests = size(warm, config.sampleSeconds);
  return [cold, warm];
}

/** Tries of a peer's run in one round (tfgate gets one). */
const peerAttempts = 3;

/**
 * A measured run. tfgate gets no second chance: any bad answer fails the benchmark. A peer's failed
 * run is tried again, up to peerAttempts in all: TF 2.21's own server answers one RunStep in some
 * 20,000–50,000 under this load with ABORTED "The same RunGraph (Worker) request was received
 * twice" (docs/benchmarks.md). Failed tries stay on record, superseded once a try is good.
 */
async function measureRound(p: Prepared, round: number, sampled: boolean): Promise<Run[]> {
  const tries: Run[] = [];
  const limit = p.server.name === "tfgate" ? 1 : peerAttempts;
  const requests = sampled ? p.sampledRequests : p.requests;
  while (tries.length < limit) {
    const run = await measure(p, round, requests, sampled);
    tries.push(run);
    if (run.problems.length === 0) {
      for (const failed of tries.slice(0, -1)) failed.superseded = true;
      break;
    }
  }
  return tries;
}

// ---------------------------------------------------------------------------------------------
// Reporting

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function spread(values: readonly number[]): Spread | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite) };
}

const show = (s: Spread | undefined, digits: number, suffix = "") =>
  s === undefined ? "–" : `${fmt(s.median, digits)}${suffix} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

/** A measured run that gives throughput and CPU figures (not a warm-up, no ListDevices sampler). */
const measured = (r: Run) => r.round > 0 && r.listDevices === undefined;

/** Per-round ratios a/b of `figure` between two cases (same round), as a spread. */
function ratio(
  runs: readonly Run[],
  a: string,
  b: string,
  figure: (r: Run) => number | undefined,
): Spread | undefined {
  const values: number[] = [];
  for (const ra of runs.filter((r) => r.case === a && measured(r))) {
    const rb = runs.find((r) => r.case === b && r.round === ra.round && measured(r));
    const x = figure(ra);
    const y = rb === undefined ? undefined : figure(rb);
    if (x !== undefined && y !== undefined && y !== 0) values.push(x / y);
  }
  return spread(values);
}

/** p99 over every ListDevices sample of a server's runs in `rows`, and the per-run p99 range. */
function listDevicesP99(
  runs: readonly Run[],
  cases: readonly Case[],
  server: ServerName,
  rows: readonly Row[],
) {
  const ids = new Set(cases.filter((c) => c.server === server && rows.includes(c.row)).map((c) => c.id));
  const mine = runs.filter((r) => ids.has(r.case) && r.round > 0 && r.listDevices !== undefined);
  const all = mine.flatMap((r) => r.listDevices!.latenciesMs).sort((a, b) => a - b);
  if (all.length === 0) return undefined;
  const perRun = mine.map((r) =>
    quantile(
      [...r.listDevices!.latenciesMs].sort((a, b) => a - b),
      0.99,
    ),
  );
  return { p99: quantile(all, 0.99), p50: quantile(all, 0.5), samples: all.length, perRun: spread(perRun) };
}

interface Goal {
  readonly figure: string;
  readonly value: Spread | undefined;
  readonly unit: string;
  readonly goal: string;
  readonly met: boolean | undefined;
}

function goals(runs: readonly Run[], cases: readonly Case[]): Goal[] {
  const id = (server: ServerName, protocol: ProtocolName, row: Row) =>
    cases.find((c) => c.server === server && c.protocol === protocol && c.row === row)?.id ?? "";
  const calls = (r: Run) => r.callsPerSecond;
  const cpu = (r: Run) => r.serverCpuUsPerCall;
  const tfSmall = id("tf", "grpc", "small");
  const tfgateSmall = id("tfgate", "grpc", "small");
  const atLeast = (s: Spread | undefined, x: number) => (s === undefined ? undefined : s.median >= x);
  const atMost = (s: Spread | undefined, x: number) => (s === undefined ? undefined : s.median <= x);
  const out: Goal[] = [];
  const small = ratio(runs, tfgateSmall, tfSmall, calls);
  out.push({
    figure: "small RunStep, gRPC: calls/s tfgate / TF",
    value: small,
    unit: "×",
    goal: "≥ 1.0× (stretch 2×)",
    met: atLeast(small, 1),
  });
  const smallCpu = ratio(runs, tfgateSmall, tfSmall, cpu);
  out.push({
    figure: "small RunStep, gRPC: server CPU/call tfgate / TF",
    value: smallCpu,
    unit: "×",
    goal: "≤ 1.0×",
    met: atMost(smallCpu, 1),
  });
  const ceiling = ratio(runs, tfgateSmall, id("grpc-js", "grpc", "small"), calls);
  out.push({
    figure: "small RunStep, gRPC: calls/s tfgate / plain grpc-js",
    value: ceiling,
    unit: "×",
    goal: "(the Node ceiling; no goal)",
    met: undefined,
  });
  const ceilingCpu = ratio(runs, tfgateSmall, id("grpc-js", "grpc", "small"), cpu);
  out.push({
    figure: "small RunStep, gRPC: server CPU/call tfgate / plain grpc-js",
    value: ceilingCpu,
    unit: "×",
    goal: "(no goal)",
    met: undefined,
  });
  const protocolGoals: [ProtocolName, string, number][] = [
    ["connect-proto", "Connect binary (h2c)", 1],
    ["connect-proto-h1", "Connect binary (HTTP/1.1)", 1],
    ["grpc-web", "gRPC-Web (h2c)", 0.7],
    ["connect-json", "Connect JSON (h2c)", 0.7],
  ];
  for (const [protocol, label, floor] of protocolGoals) {
    const value = ratio(runs, id("tfgate", protocol, "protocols"), tfSmall, calls);
    out.push({
      figure: `small RunStep, tfgate ${label} / TF gRPC: calls/s`,
      value,
      unit: "×",
      goal: `≥ ${floor.toFixed(1)}×`,
      met: atLeast(value, floor),
    });
  }
  const step = ratio(
    runs,
    id("tfgate", "grpc", "feed4m"),
    id("tf", "grpc", "feed4m"),
    (r) => r.meanRequestMs,
  );
  out.push({
    figure: "4 MiB feed + 4 MiB fetch: step time tfgate / TF",
    value: step,
    unit: "×",
    goal: "≤ 1.0×",
    met: atMost(step, 1),
  });
  const fetchId = id("tfgate", "grpc", "fetch64m");
  const gib = spread(runs.filter((r) => r.case === fetchId && measured(r)).map((r) => r.gibPerSecond));
  out.push({
    figure: "64 MiB fetch: tfgate GiB/s",
    value: gib,
    unit: " GiB/s",
    goal: "≥ 1 GiB/s",
    met: atLeast(gib, 1),
  });
  const gibRatio = ratio(runs, fetchId, id("tf", "grpc", "fetch64m"), (r) => r.gibPerSecond);
  out.push({
    figure: "64 MiB fetch: GiB/s tfgate / TF",
    value: gibRatio,
    unit: "×",
    goal: "(no goal)",
    met: undefined,
  });
  for (const rows of [["small"], ["feed4m"]] as Row[][]) {
    const p = listDevicesP99(runs, cases, "tfgate", rows);
    const value =
      p === undefined
        ? undefined
        : { median: p.p99, min: p.perRun?.min ?? p.p99, max: p.perRun?.max ?? p.p99 };
    out.push({
      figure: `ListDevices p99 during ${rows[0]} (every ${listDevicesIntervalMs} ms; ${p?.samples ?? 0} samples; range = per-run p99)`,
      value,
      unit: " ms",
      goal: "≤ 10 ms",
      met: value === undefined ? undefined : value.median <= 10,
    });
  }
  return out;
}

function casesTable(runs: readonly Run[], cases: readonly Case[]): string {
  const lines = [
    "| case | server | protocol | load | calls/s | server CPU µs/call | ms/call (mean) | GiB/s | ListDevices p99 ms |",
    "|---|---|---|---|--:|--:|--:|--:|--:|",
  ];
  for (const c of cases) {
    const mine = runs.filter((r) => r.case === c.id && measured(r));
    const p99 = c.sampleListDevices ? listDevicesP99(runs, cases, c.server, [c.row]) : undefined;
    const big = c.row === "feed4m" || c.row === "fetch64m";
    lines.push(
      `| ${c.row} | ${c.server} | ${protocols[c.protocol].label} | ${c.connections}×${c.streams} | ` +
        `${show(spread(mine.map((r) => r.callsPerSecond)), big ? 1 : 0)} | ` +
        `${show(spread(mine.map((r) => r.serverCpuUsPerCall ?? Number.NaN)), 0)} | ` +
        `${show(spread(mine.map((r) => r.meanRequestMs)), big ? 1 : 2)} | ` +
        `${big ? show(spread(mine.map((r) => r.gibPerSecond)), 2) : "–"} | ${p99 === undefined ? "–" : fmt(p99.p99, 1)} |`,
    );
  }
  return lines.join("\n");
}

function goalsTable(list: readonly Goal[]): string {
  const lines = ["| figure | value: median (range) | goal | met |", "|---|--:|---|:-:|"];
  for (const g of list) {
    const digits = g.unit === " ms" ? 1 : 2;
    const met = g.met === undefined ? (g.value === undefined ? "–" : "") : g.met ? "yes" : "**no**";
    lines.push(`| ${g.figure} | ${show(g.value, digits, g.unit)} | ${g.goal} | ${met} |`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

interface Servers {
  readonly map: Map<ServerName, BenchServer>;
  readonly notes: string[];
}

/** tfgate and TF start together (both take seconds); grpc-js needs tfgate's answer first. */
async function startServers(stopAll: (servers: Iterable<BenchServer>) => Promise<void>): Promise<Servers> {
  const notes: string[] = [];
  const map = new Map<ServerName, BenchServer>();
  const launch = tfgateLaunch();
  if (launch.warning !== undefined) notes.push(launch.warning);
  const withTf = existsSync(tfPython);
  if (!withTf) notes.push(`TensorFlow's server skipped: no venv at ${venv} (scripts/setup-tf.sh makes one)`);
  // 256 MiB messages: the 64 MiB fetch's response is 64 MiB plus its framing, over the 64 MiB default.
  const started = await Promise.allSettled([
    startTfgate(["--log-level", "warn", "--max-message-bytes", "256MiB"]),
    ...(withTf ? [startTf(tfPython)] : []),
  ]);
  for (const s of started) if (s.status === "fulfilled") map.set(s.value.name, s.value);
  const failed = started.find((s) => s.status === "rejected");
  if (failed !== undefined) {
    await stopAll(map.values());
    throw (failed as PromiseRejectedResult).reason;
  }
  // grpc-js answers with the bytes tfgate answers the small step with (decoded once, re-encoded per call).
  const tfgate = map.get("tfgate")!;
  const { response } = await call(
    tfgate.origin,
    runStepPath,
    protocols["connect-proto"],
    RunStepRequestSchema,
    await sessionRequest(tfgate, "const"),
    RunStepResponseSchema,
  );
  map.set("grpc-js", await startGrpcJs(response.body));
  return { map, notes };
}

async function listDevicesCount(server: BenchServer): Promise<number> {
  const { message } = await call(
    server.origin,
    listDevicesPath,
    protocols.grpc,
    ListDevicesRequestSchema,
    create(ListDevicesRequestSchema, {}),
    ListDevicesResponseSchema,
  );
  return message.localDevice.length + message.remoteDevice.length;
}

const p99 = (values: readonly number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.99,
  );

function printRun(c: Case, run: Run): void {
  const tag =
    (run.round === 0 ? "warm-up" : `${run.round}/${config.rounds}`) +
    (run.listDevices === undefined ? "" : " +ListDevices");
  const ld =
    run.listDevices === undefined ? "" : `  ListDevices p99 ${fmt(p99(run.listDevices.latenciesMs), 1)} ms`;
  console.log(
    `  [${tag}] ${c.id.padEnd(34)} n=${String(run.requests).padStart(6)} ${fmt(run.callsPerSecond, 1).padStart(8)} calls/s  ` +
      `${fmt(run.meanRequestMs, 2)} ms/call  server ${fmt(run.serverCpuUsPerCall, 0)} µs/call  ` +
      `machine ${fmt(run.machineBusyPercent, 0)}% busy${ld}` +
      (run.problems.length > 0 ? `\n    FAILED: ${run.problems.join("; ")}` : ""),
  );
}

function printHeader(
  cases: readonly Case[],
  prepared: readonly Prepared[],
  servers: Servers,
  h2load: string,
  devices: number,
  notes: readonly string[],
): void {
  const cores = os.cpus();
  console.log(
    `RunStep under h2load: ${cases.length} cases × ${config.rounds} round(s) of ~${config.seconds} s each`,
  );
  console.log(
    `${h2load}; ${cores.length} × ${cores[0]?.model ?? "?"}, Node ${process.version}; ` +
      [...servers.map.values()].map((s) => `${s.name}: ${s.detail}`).join(", ") +
      `; tfgate devices: ${devices}`,
  );
  for (const p of prepared) {
    console.log(
      `  ${p.case.id}: request ${readFileSync(p.bodyFile).length} B, good answer ${p.responseBodyBytes} B`,
    );
  }
  for (const note of notes) console.log(`note: ${note}`);
  console.log();
}

/** Warm-ups, then the rounds (each case in turn) while the budget allows; every run, printed as it ends. */
async function runAll(prepared: readonly Prepared[], startedAt: number, notes: string[]): Promise<Run[]> {
  const runs: Run[] = [];
  const record = (p: Prepared, list: readonly Run[]) => {
    for (const run of list) {
      runs.push(run);
      printRun(p.case, run);
    }
  };
  for (const p of prepared) record(p, await warmUp(p));
  let roundMs = 0;
  for (let round = 1; round <= config.rounds; round++) {
    const roundStart = Date.now();
    if (round > 1 && roundStart - startedAt + roundMs > config.budgetSeconds * 1000) {
      const note = `stopped after ${round - 1} of ${config.rounds} rounds: the next would end past --budget ${config.budgetSeconds} s`;
      notes.push(note);
      console.log(`note: ${note}`);
      break;
    }
    for (const p of prepared) {
      // The sampled run goes first in even rounds, so neither run always follows the same work
      // (the previous case's 64 MiB buffers, say).
      const order = !p.case.sampleListDevices ? [false] : round % 2 === 1 ? [false, true] : [true, false];
      for (const sampled of order) record(p, await measureRound(p, round, sampled));
    }
    roundMs = Math.max(roundMs, Date.now() - roundStart);
  }
  return runs;
}

/**
 * What a run's outcome is. The benchmark fails on any bad answer from tfgate, and when a peer has no
 * good run left to compare with; a peer's bad tries are reported.
 */
function verdict(runs: readonly Run[], cases: readonly Case[]) {
  return {
    tfgate: runs
      .filter((r) => r.problems.length > 0 && r.server === "tfgate")
      .map((r) => ({ case: r.case, round: r.round, problems: r.problems })),
    peersWithoutGoodRuns: cases
      .filter(
        (c) =>
          c.server !== "tfgate" &&
          !runs.some((r) => r.case === c.id && measured(r) && r.problems.length === 0),
      )
      .map((c) => c.id),
    peerBadTries: runs
      .filter((r) => r.problems.length > 0 && r.server !== "tfgate")
      .map((r) => ({
        case: r.case,
        round: r.round,
        superseded: r.superseded === true,
        problems: r.problems,
      })),
  };
}

function printVerdict(failures: ReturnType<typeof verdict>): boolean {
  const bad = failures.peerBadTries;
  if (bad.length > 0) {
    console.log(
      `\npeers: ${bad.length} run(s) with bad answers, left out and tried again ` +
        `(${bad.filter((r) => r.superseded).length} replaced by a good try)`,
    );
  }
  if (failures.tfgate.length === 0 && failures.peersWithoutGoodRuns.length === 0) return true;
  console.error(
    `\nFAILED: ${failures.tfgate.length} tfgate run(s) with bad answers` +
      (failures.peersWithoutGoodRuns.length > 0
        ? `; no good run of ${failures.peersWithoutGoodRuns.join(", ")}`
        : "") +
      " (see FAILED above)",
  );
  return false;
}

async function main(): Promise<void> {
  const h2loadVersion = requireH2load();
  const dir = mkdtempSync(join(os.tmpdir(), "tfgate-h2load-"));
  const stopAll = async (list: Iterable<BenchServer>) => {
    await Promise.all([...list].map((s) => s.stop()));
  };
  let servers: Servers | undefined;
  process.once("SIGINT", () => {
    void stopAll(servers?.map.values() ?? []).then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
  const startedAt = new Date();
  const loadavg = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ");
  const notes = [
    `the machine is shared: load average ${loadavg()} at the start on ${os.cpus().length} cores; h2load, ` +
      "the server under test and other work compete for them, so read ratios (peers interleave within " +
      "each round) and server CPU per call rather than absolute calls/s",
  ];
  try {
    servers = await startServers(stopAll);
    notes.unshift(...servers.notes);
    const cases = plan(servers.map.has("tf"));
    const prepared: Prepared[] = [];
    for (const c of cases) prepared.push(await prepare(c, servers.map.get(c.server)!, dir));
    const devices = await listDevicesCount(servers.map.get("tfgate")!);
    printHeader(cases, prepared, servers, h2loadVersion, devices, notes);

    const runs = await runAll(prepared, startedAt.getTime(), notes);
    notes.push(`load average ${loadavg()} at the end`);
    if (runs.some((r) => r.samplerNiceness === 0))
      notes.push(
        "the ListDevices sampler ran at niceness 0 (raising it needs root): its own waits for a core count",
      );
    // A run with a problem measured something else than good answers: it is left out of every figure.
    const valid = runs.filter((r) => r.problems.length === 0);
    const goalList = goals(valid, cases);
    console.log(`\n${casesTable(valid, cases)}\n\n${goalsTable(goalList)}`);
    const failures = verdict(runs, cases);
    if (!flags["no-write"]) {
      const file = writeResults("h2load", {
        benchmark: "h2load",
        date: startedAt.toISOString(),
        machine: {
          ...machineInfo(),
          h2load: h2loadVersion,
          servers: Object.fromEntries([...servers.map].map(([n, s]) => [n, s.detail])),
        },
        config: { ...config, listDevicesIntervalMs },
        cases: prepared.map((p) => ({
          ...p.case,
          requests: p.requests,
          sampledRequests: p.sampledRequests,
          requestBytes: readFileSync(p.bodyFile).length,
          responseBodyBytes: p.responseBodyBytes,
        })),
        notes,
        goals: goalList,
        runs: runs.map((r) => ({
          ...r,
          listDevices: r.listDevices === undefined ? undefined : summarizeSample(r.listDevices),
        })),
        failures,
      });
      console.log(`\nwrote ${file}`);
    }
    if (!printVerdict(failures)) process.exitCode = 1;
  } finally {
    await stopAll(servers?.map.values() ?? []);
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarizeSample(s: LatencySample) {
  const sorted = [...s.latenciesMs].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted.at(-1),
    errors: s.errors,
    firstError: s.firstError,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
