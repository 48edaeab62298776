// Devices and workers: what placing partitions on CPU devices with a worker thread each buys, measured
// in one run (docs/benchmarks.md: figures are ratios from the same run, never timed assertions in
// tests).
//
//   node --import tsx bench/devices.ts [--window 6] [--probe-ms 20] [--rounds 3] [--step-ms 1000]
//                                      [--chain-ms 1500] [--only a,b,c] [--no-write]
//
// (a) Event-loop isolation. p50/p99 latency of ListDevices (grpc-js client, one call every 20 ms,
//     open loop, so a call that arrives while the RPC thread is busy waits as a real client would)
//     on an idle server, then while two other clients (own connections) each run ~1 s steps
//     back-to-back: a chain of 512×512 float32 MatMuls, one client's graph on /device:CPU:0, the
//     other's on /device:CPU:1. Two tfgate servers: the default engine (a worker thread per device)
//     and the same engine in-thread (`workerThreads: false`, kernels on the RPC thread).
// (b) Parallel speed-up. One graph, two independent chains of 1024×1024 float32 MatMuls, each
//     reduced by Sum and fetched: chain A on CPU:0 and chain B on CPU:1, against both on CPU:0.
//     Rounds alternate the two layouts; the ratio is computed within each round. Beside them, in the
//     same rounds, the machine's ceiling: tfgate's MatMul kernel function alone on two threads of this
//     process against one thread doing both, which shows how much of the second core was ours.
// (c) Cross-device transfer. A 64 MiB float32 tensor (Fill [4096, 4096]) produced on CPU:1 and
//     consumed on CPU:0 (Identity, then Sum), against the same graph all on CPU:0; once fetching only
//     the Sum (a scalar), once fetching the 64 MiB tensor as well.
//
// Tensors are made in-graph (Fill) so requests stay small; Fill's value is 1/n, so a chain of n×n
// MatMuls keeps every element at 1/n and each chain's Sum is n (checked on every step).
//
// Servers run in child processes (bench/devices-server.ts: buildApp with cpuDevices 2); the clients
// are this process. The machine has 2 cores, shared with the load generator and with whatever else
// runs (other sessions' test suites, here): each case records the server's CPU (all threads, and its
// main thread alone), this process's, and everything else's, from /proc, like bench/runstep.ts.
//
// Results go to stdout (Markdown tables) and to bench/results/devices-<date>.json.

import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CloseSessionRequestSchema,
  CloseSessionResponseSchema,
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  ListDevicesRequestSchema,
  ListDevicesResponseSchema,
  RunStepRequestSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { attr } from "../test/support/attr.js";
import { DataType, graph, node, tensorShape, tensorValues } from "../test/support/graphs.js";
import type { DevicesServerReady } from "./devices-server.js";
import { fillNodes, sumNodes } from "./graph-nodes.js";
import {
  benchDir,
  fmt,
  machineCpuMs,
  machineInfo,
  mainThreadCpuMs,
  median,
  positive,
  processCpuMs,
  quantile,
  sleep,
  stopChild,
  writeResults,
} from "./support.js";

const CPU = (n: number) => `/job:localhost/replica:0/task:0/device:CPU:${n}`;

// ---------------------------------------------------------------------------------------------
// Options

const { values: flags } = parseArgs({
  options: {
    window: { type: "string", default: "6" },
    "probe-ms": { type: "string", default: "20" },
    rounds: { type: "string", default: "3" },
    "step-ms": { type: "string", default: "1000" },
    "chain-ms": { type: "string", default: "1500" },
    only: { type: "string", default: "a,b,c" },
    "no-write": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n\n")[0]);
  process.exit(0);
}

const config = {
  /** (a): measuring window per case, ms. */
  windowMs: positive("window", flags.window) * 1000,
  /**
   * ListDevices probe period, ms (open loop). Kept low enough that the probe itself cannot saturate
   * a CPU-starved server (each call costs the server's main thread ~1–3 ms of CPU on this VM).
   */
  probeEveryMs: positive("probe-ms", flags["probe-ms"]),
  /** (a): target duration of one load step, ms (sets the chain length). */
  stepMs: positive("step-ms", flags["step-ms"]),
  loadSize: 512,
  /** (b): target duration of one chain alone on one device, ms. */
  chainMs: positive("chain-ms", flags["chain-ms"]),
  chainSize: 1024,
  /** (b) and (c): measured steps per case, alternating between cases. */
  rounds: Math.round(positive("rounds", flags.rounds)),
  /** (c): 64 MiB of float32. */
  bigShape: [4096, 4096] as const,
  only: new Set(flags.only.split(",").filter((s) => s !== "")),
};

// ---------------------------------------------------------------------------------------------
// /proc accounting (Linux, bench/support.ts), plus per-thread CPU of the server

/** CPU time of a whole process (all threads) and of its main thread (tid = pid), ms. */
function serverCpuMs(pid: number): { all: number; main: number } | undefined {
  const all = processCpuMs(pid);
  const main = mainThreadCpuMs(pid);
  return all === undefined || main === undefined ? undefined : { all, main };
}

/** CPU use over a window, in % of one core (200 % = both cores of this machine). */
interface CpuShare {
  readonly serverPercent: number | undefined;
  readonly serverMainThreadPercent: number | undefined;
  readonly clientPercent: number;
  /** Everything else on the machine: other processes (other sessions' tests), idle servers. */
  readonly otherPercent: number | undefined;
  readonly stealPercent: number | undefined;
  /** Server CPU, ms, all threads and main thread (for per-step figures). */
  readonly serverMs: number | undefined;
  readonly serverMainMs: number | undefined;
}

function cpuMeter(pid: number) {
  const s0 = serverCpuMs(pid);
  const c0 = process.cpuUsage();
  const m0 = machineCpuMs();
  const t0 = performance.now();
  return (): CpuShare => {
    const s1 = serverCpuMs(pid);
    const c = process.cpuUsage(c0);
    const m1 = machineCpuMs();
    const elapsed = performance.now() - t0;
    const serverMs = s0 && s1 ? s1.all - s0.all : undefined;
    const serverMainMs = s0 && s1 ? s1.main - s0.main : undefined;
    const clientMs = (c.user + c.system) / 1000;
    const pct = (ms: number | undefined) => (ms === undefined ? undefined : (ms / elapsed) * 100);
    return {
      serverPercent: pct(serverMs),
      serverMainThreadPercent: pct(serverMainMs),
      clientPercent: (clientMs / elapsed) * 100,
      otherPercent:
        m0 && m1 && serverMs !== undefined
          ? pct(Math.max(0, m1.busy - m0.busy - serverMs - clientMs))
          : undefined,
      stealPercent: m0 && m1 ? pct(m1.steal - m0.steal) : undefined,
      serverMs,
      serverMainMs,
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Servers

type EngineMode = "worker threads" | "in-thread";

interface RunningServer {
  readonly mode: EngineMode;
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

function startServer(mode: EngineMode): Promise<RunningServer> {
  const child = fork(
    join(benchDir, "devices-server.ts"),
    ["--worker-threads", String(mode === "worker threads"), "--cpu-devices", "2"],
    { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] },
  );
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${mode} server exited (${code}) before ready`));
    child.once("exit", onExit);
    child.once("message", (m: DevicesServerReady) => {
      child.off("exit", onExit);
      resolve({
        mode,
        pid: m.pid,
        port: m.port,
        stop: () => stopChild(child, () => child.send({ type: "stop" })),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Clients (grpc-js, TF's service path; one connection per client)

class Client {
  private readonly client: grpc.Client;

  constructor(server: RunningServer) {
    this.client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure(), {
      "grpc.use_local_subchannel_pool": 1,
      "grpc.enable_http_proxy": 0,
      "grpc.max_receive_message_length": -1,
      "grpc.max_send_message_length": -1,
    });
  }

  private unary<I extends DescMessage, O extends DescMessage>(
    method: string,
    inSchema: I,
    outSchema: O,
    req: MessageShape<I>,
  ): Promise<MessageShape<O>> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        `/tensorflow.MasterService/${method}`,
        (r: MessageShape<I>) => Buffer.from(toBinary(inSchema, r)),
        (b: Buffer) => fromBinary(outSchema, b),
        req,
        (error, res) => (error ? reject(error) : resolve(res as MessageShape<O>)),
      );
    });
  }

  listDevices() {
    return this.unary(
      "ListDevices",
      ListDevicesRequestSchema,
      ListDevicesResponseSchema,
      create(ListDevicesRequestSchema),
    );
  }

  async createSession(graphDef: GraphDef): Promise<string> {
    const res = await this.unary(
      "CreateSession",
      CreateSessionRequestSchema,
      CreateSessionResponseSchema,
      create(CreateSessionRequestSchema, { graphDef }),
    );
    return res.sessionHandle;
  }

  runStep(sessionHandle: string, fetch: readonly string[]): Promise<RunStepResponse> {
    return this.unary(
      "RunStep",
      RunStepRequestSchema,
      RunStepResponseSchema,
      create(RunStepRequestSchema, { sessionHandle, fetch: [...fetch] }),
    );
  }

  async closeSession(sessionHandle: string): Promise<void> {
    await this.unary(
      "CloseSession",
      CloseSessionRequestSchema,
      CloseSessionResponseSchema,
      create(CloseSessionRequestSchema, { sessionHandle }),
    );
  }

  close(): void {
    this.client.close();
  }
}

/** A session on `server` and a step function that runs it and checks every fetched value. */
async function openSession(
  client: Client,
  graphDef: GraphDef,
  fetch: readonly string[],
  check: (res: RunStepResponse) => void,
) {
  const handle = await client.createSession(graphDef);
  return {
    /** Runs one step; resolves with its wall time in ms (client-observed). */
    async step(): Promise<number> {
      const t0 = performance.now();
      const res = await client.runStep(handle, fetch);
      const ms = performance.now() - t0;
      check(res);
      return ms;
    },
    close: () => client.closeSession(handle),
  };
}

// ---------------------------------------------------------------------------------------------
// Graphs

const f32 = attr.type(DataType.DT_FLOAT);

/**
 * `links` chained n×n MatMuls on `device` under prefix `p`: a = Fill(1/n), m1 = a·a, mi = m(i-1)·a,
 * then `${p}/sum` = Sum(m_links), which is n (for any `links`, 0 included). Fetch `${p}/sum:0`.
 */
function chainNodes(p: string, device: string, n: number, links: number): NodeDef[] {
  const nodes = fillNodes(`${p}/a`, device, [n, n], 1 / n);
  let prev = `${p}/a`;
  for (let i = 1; i <= links; i++) {
    nodes.push(node(`${p}/m${i}`, "MatMul", { inputs: [prev, `${p}/a`], attrs: { T: f32 }, device }));
    prev = `${p}/m${i}`;
  }
  nodes.push(...sumNodes(`${p}/sum`, prev, device, 2));
  return nodes;
}

function expectScalar(res: RunStepResponse, name: string, expected: number, where: string): void {
  const t = res.tensor.find((x) => x.name === name);
  const v = t === undefined ? undefined : (tensorValues(t.tensor)[0] as number);
  if (v === undefined || Math.abs(v - expected) > 1e-3 * Math.abs(expected)) {
    throw new Error(`${where}: expected ${name} ≈ ${expected}, got ${v}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

// ---------------------------------------------------------------------------------------------
// Calibration: how many MatMuls make a step of the wanted length on this machine, today

async function matMulMs(server: RunningServer, n: number): Promise<number> {
  const client = new Client(server);
  try {
    const links = 2;
    const chain = await openSession(client, graph(...chainNodes("c", CPU(0), n, links)), ["c/sum:0"], (r) =>
      expectScalar(r, "c/sum:0", n, "calibration"),
    );
    const base = await openSession(client, graph(...chainNodes("c", CPU(0), n, 0)), ["c/sum:0"], (r) =>
      expectScalar(r, "c/sum:0", n, "calibration"),
    );
    await chain.step();
    await base.step();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(((await chain.step()) - (await base.step())) / links);
    await chain.close();
    await base.close();
    return Math.max(1, median(times));
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (a) event-loop isolation

interface IsolationResult extends CpuShare {
  readonly engine: EngineMode;
  readonly load: "idle" | "2 × MatMul steps";
  readonly calls: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Load steps completed in the window, and their median wall time. */
  readonly loadSteps: number;
  readonly loadStepP50Ms: number | undefined;
}

async function isolationCase(
  server: RunningServer,
  loaded: boolean,
  links: number,
): Promise<IsolationResult> {
  const probe = new Client(server);
  const loadClients = loaded ? [new Client(server), new Client(server)] : [];
  let phase: "warmup" | "measure" | "stop" = "warmup";
  const stepTimes: number[] = [];
  try {
    await probe.listDevices();
    const sessions = await Promise.all(
      loadClients.map((c, i) =>
        openSession(c, graph(...chainNodes("load", CPU(i), config.loadSize, links)), ["load/sum:0"], (r) =>
          expectScalar(r, "load/sum:0", config.loadSize, "load step"),
        ),
      ),
    );
    // Each load client runs its first step (plan building, thread warm-up) before the window opens.
    const firstSteps = sessions.map((s) => s.step());
    const loops = sessions.map(async (s, i) => {
      await firstSteps[i];
      while (phase !== "stop") {
        const ms = await s.step();
        if (phase === "measure") stepTimes.push(ms);
      }
    });
    await Promise.all(firstSteps);
    await sleep(300);

    phase = "measure";
    const latencies: number[] = [];
    let errors = 0;
    const inFlight: Promise<void>[] = [];
    const meter = cpuMeter(server.pid);
    const start = performance.now();
    // Open loop: one call every probeEveryMs whatever the previous calls are doing.
    for (let k = 0; ; k++) {
      const due = start + k * config.probeEveryMs;
      const now = performance.now();
      if (due - start >= config.windowMs) break;
      if (due > now) await sleep(due - now);
      const t0 = performance.now();
      inFlight.push(
        probe.listDevices().then(
          (res) => {
            if (res.localDevice.length !== 2)
              throw new Error(`ListDevices: ${res.localDevice.length} devices`);
            latencies.push(performance.now() - t0);
          },
          () => {
            errors++;
          },
        ),
      );
    }
    await Promise.all(inFlight);
    const cpu = meter();
    phase = "stop";
    await Promise.all(loops);
    await Promise.all(sessions.map((s) => s.close()));
    latencies.sort((a, b) => a - b);
    return {
      engine: server.mode,
      load: loaded ? "2 × MatMul steps" : "idle",
      calls: latencies.length,
      errors,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
      loadSteps: stepTimes.length,
      loadStepP50Ms: stepTimes.length === 0 ? undefined : median(stepTimes),
      ...cpu,
    };
  } finally {
    phase = "stop";
    probe.close();
    for (const c of loadClients) c.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (b) and (c): alternating step-time cases

interface StepCase {
  readonly name: string;
  readonly step: () => Promise<number>;
  readonly close: () => Promise<void>;
  /** The machine-ceiling cases run in this process's own threads, not in the server. */
  readonly inClient?: boolean;
  /** Run one unmeasured step first (default true). */
  readonly warmUp?: boolean;
}

interface StepCaseResult {
  readonly name: string;
  readonly inClient: boolean;
  /** Wall time of each measured step, ms, in round order. */
  readonly stepsMs: readonly number[];
  readonly medianMs: number;
  /**
   * CPU per step, ms, of the process doing the work: the server (all threads), or for the ceiling
   * cases this process; and the server's main (RPC) thread alone.
   */
  readonly serverCpuMsPerStep: number | undefined;
  readonly serverMainThreadMsPerStep: number | undefined;
  /** Everything else on the machine while this case's steps ran, % of one core. */
  readonly otherPercent: number | undefined;
}

/** One warm-up step per case, then `rounds` rounds of one step per case, cases alternating. */
async function alternate(server: RunningServer, cases: readonly StepCase[]): Promise<StepCaseResult[]> {
  for (const c of cases) if (c.warmUp !== false) await c.step();
  const acc = cases.map(() => ({
    steps: [] as number[],
    server: 0,
    main: 0,
    other: 0,
    elapsed: 0,
    cpuKnown: true,
  }));
  for (let round = 0; round < config.rounds; round++) {
    for (const [i, c] of cases.entries()) {
      const meter = cpuMeter(server.pid);
      const t0 = performance.now();
      const ms = await c.step();
      const elapsed = performance.now() - t0;
      const cpu = meter();
      const a = acc[i]!;
      a.steps.push(ms);
      a.elapsed += elapsed;
      if (cpu.serverMs === undefined || cpu.serverMainMs === undefined || cpu.otherPercent === undefined) {
        a.cpuKnown = false;
      } else {
        a.server += c.inClient ? (cpu.clientPercent * elapsed) / 100 : cpu.serverMs;
        a.main += c.inClient ? 0 : cpu.serverMainMs;
        a.other += (cpu.otherPercent * elapsed) / 100;
      }
    }
  }
  for (const c of cases) await c.close();
  return cases.map((c, i) => {
    const a = acc[i]!;
    return {
      name: c.name,
      inClient: c.inClient ?? false,
      stepsMs: a.steps,
      medianMs: median(a.steps),
      serverCpuMsPerStep: a.cpuKnown ? a.server / a.steps.length : undefined,
      serverMainThreadMsPerStep: a.cpuKnown && !c.inClient ? a.main / a.steps.length : undefined,
      otherPercent: a.cpuKnown ? (a.other / a.elapsed) * 100 : undefined,
    };
  });
}

interface RoundRatio {
  readonly name: string;
  /** Median over rounds of (a's step time / b's step time) within the round, and the range. */
  readonly ratio: number;
  readonly range: readonly [number, number];
}

function roundRatio(name: string, a: StepCaseResult, b: StepCaseResult): RoundRatio {
  const rs = a.stepsMs.map((ms, i) => ms / b.stepsMs[i]!);
  return { name, ratio: median(rs), range: [Math.min(...rs), Math.max(...rs)] };
}

// The machine's ceiling for (b), measured in the same rounds as tfgate's steps: tfgate's own MatMul
// kernel function on two worker threads of this process at once (bench/devices-ceiling-worker.ts,
// no executor, rendezvous, messages or RPC around it), against one thread doing both halves. On an
// idle 2-core machine that ratio is ≈2; when other work holds a core, or the two threads slow each
// other down (shared caches, memory bandwidth), it drops, and tfgate's speed-up cannot beat it.
const ceilingBootstrap = `
const { workerData } = require("node:worker_threads");
(async () => {
  (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

async function ceilingCases(n: number, links: number): Promise<StepCase[]> {
  const workerData = {
    tsxApi: import.meta.resolve("tsx/esm/api"),
    entry: new URL("./devices-ceiling-worker.ts", import.meta.url).href,
  };
  const threads = [0, 1].map(() => new Worker(ceilingBootstrap, { eval: true, workerData }));
  const run = (t: Worker, size: number, reps: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (e: Error) => {
        t.off("message", onMessage);
        reject(e);
      };
      const onMessage = (ms: number) => {
        t.off("error", onError);
        resolve(ms);
      };
      t.once("message", onMessage);
      t.once("error", onError);
      t.postMessage({ n: size, reps });
    });
  // Warm both threads up (module load, JIT) on small matrices instead of a full warm-up step.
  await Promise.all(threads.map((t) => run(t, 128, 4)));
  const timed = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  return [
    {
      name: `ceiling: MatMul kernel alone, 2 threads × ${links}`,
      inClient: true,
      warmUp: false,
      step: () => timed(() => Promise.all(threads.map((t) => run(t, n, links)))),
      close: async () => {
        await Promise.all(threads.map((t) => t.terminate()));
      },
    },
    {
      name: `ceiling: MatMul kernel alone, 1 thread × ${2 * links}`,
      inClient: true,
      warmUp: false,
      step: () => timed(() => run(threads[0]!, n, 2 * links)),
      close: async () => {},
    },
  ];
}

async function speedUp(server: RunningServer, links: number): Promise<StepCaseResult[]> {
  const client = new Client(server);
  try {
    const n = config.chainSize;
    const fetch = ["A/sum:0", "B/sum:0"];
    const check = (r: RunStepResponse) => {
      expectScalar(r, "A/sum:0", n, "speed-up");
      expectScalar(r, "B/sum:0", n, "speed-up");
    };
    const layout = async (name: string, devA: string, devB: string): Promise<StepCase> => {
      const s = await openSession(
        client,
        graph(...chainNodes("A", devA, n, links), ...chainNodes("B", devB, n, links)),
        fetch,
        check,
      );
      return { name, ...s };
    };
    return await alternate(server, [
      await layout("A on CPU:0, B on CPU:1", CPU(0), CPU(1)),
      await layout("A and B on CPU:0", CPU(0), CPU(0)),
      ...(await ceilingCases(n, links)),
    ]);
  } finally {
    client.close();
  }
}

async function transfer(server: RunningServer): Promise<StepCaseResult[]> {
  const client = new Client(server);
  try {
    const shape = config.bigShape;
    const elements = shape[0] * shape[1];
    const value = 0.5;
    const layout = async (name: string, producer: string, fetchBig: boolean): Promise<StepCase> => {
      const g = graph(
        ...fillNodes("big", producer, shape, value),
        node("moved", "Identity", { inputs: ["big"], attrs: { T: f32 }, device: CPU(0) }),
        ...sumNodes("sum", "moved", CPU(0), 2),
      );
      const fetch = fetchBig ? ["sum:0", "moved:0"] : ["sum:0"];
      const s = await openSession(client, g, fetch, (r) => {
        expectScalar(r, "sum:0", elements * value, name);
        if (fetchBig) {
          const t = r.tensor.find((x) => x.name === "moved:0")?.tensor;
          const bytes = t?.tensorContent.byteLength;
          if (bytes !== elements * 4 || tensorShape(t).join("x") !== shape.join("x")) {
            throw new Error(`${name}: moved:0 came back with ${bytes} bytes, shape ${tensorShape(t)}`);
          }
        }
      });
      return { name, ...s };
    };
    return await alternate(server, [
      await layout("CPU:1 → CPU:0, fetch Sum", CPU(1), false),
      await layout("all on CPU:0, fetch Sum", CPU(0), false),
      await layout("CPU:1 → CPU:0, fetch Sum + 64 MiB", CPU(1), true),
      await layout("all on CPU:0, fetch Sum + 64 MiB", CPU(0), true),
    ]);
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const notes: string[] = [];
  const servers: RunningServer[] = [];
  const stopAll = () => Promise.all(servers.map((s) => s.stop()));
  process.once("SIGINT", () => {
    void stopAll().then(() => process.exit(130));
  });
  const started = performance.now();
  const before = machineCpuMs();
  const loadAverageAtStart = os.loadavg();
  try {
    const threads = await startServer("worker threads");
    servers.push(threads);
    const inThread = await startServer("in-thread");
    servers.push(inThread);

    const cores = os.cpus();
    console.log(`Devices and workers benchmark: 2 CPU devices per server, grpc-js clients`);
    console.log(
      `machine: ${cores.length} × ${cores[0]?.model ?? "?"}, Node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );

    // Calibration (worker-threads server, CPU:0): ms per n×n MatMul.
    const ms512 = await matMulMs(threads, config.loadSize);
    // The n³ estimate (measuring 1024² too would cost several seconds of the budget).
    const ms1024 = ms512 * (config.chainSize / config.loadSize) ** 3;
    const loadLinks = Math.max(1, Math.round(config.stepMs / ms512));
    const chainLinks = Math.max(1, Math.round(config.chainMs / ms1024));
    console.log(
      `calibration: one ${config.loadSize}² float32 MatMul ≈ ${fmt(ms512, 0)} ms → load step = ${loadLinks} MatMuls; ` +
        `one ${config.chainSize}² ≈ ${fmt(ms1024, 0)} ms (n³ estimate) → ${chainLinks} per chain in (b)`,
    );
    if (cores.length <= 2) {
      notes.push(
        `only ${cores.length} cores, shared by the server's threads, the load generator and other work on the machine`,
      );
    }
    console.log();

    const isolation: IsolationResult[] = [];
    if (config.only.has("a")) {
      console.log(`(a) ListDevices every ${config.probeEveryMs} ms for ${config.windowMs / 1000} s per case`);
      for (const server of [threads, inThread]) {
        for (const loaded of [false, true]) {
          const r = await isolationCase(server, loaded, loadLinks);
          isolation.push(r);
          console.log(
            `  ${r.engine.padEnd(14)} ${r.load.padEnd(17)} p50 ${fmt(r.p50Ms, 2)} ms  p99 ${fmt(r.p99Ms, 2)} ms  ` +
              `max ${fmt(r.maxMs, 1)} ms  (${r.calls} calls, ${r.errors} errors; ${r.loadSteps} load steps, ` +
              `p50 ${fmt(r.loadStepP50Ms, 0)} ms)  server ${fmt(r.serverPercent, 0)}% (main thread ` +
              `${fmt(r.serverMainThreadPercent, 0)}%)  other load ${fmt(r.otherPercent, 0)}%`,
          );
        }
      }
      console.log();
    }

    let parallel: StepCaseResult[] = [];
    if (config.only.has("b")) {
      console.log(`(b) two chains of ${chainLinks} × ${config.chainSize}² MatMuls, ${config.rounds} rounds`);
      parallel = await speedUp(threads, chainLinks);
      for (const r of parallel) printStepCase(r);
      console.log();
    }

    let transfers: StepCaseResult[] = [];
    if (config.only.has("c")) {
      console.log(`(c) 64 MiB float32 tensor, ${config.rounds} rounds`);
      transfers = await transfer(threads);
      for (const r of transfers) printStepCase(r);
      console.log();
    }

    // Ratios
    const ratios: RoundRatio[] = [];
    const pick = (rs: readonly IsolationResult[], engine: EngineMode, load: IsolationResult["load"]) =>
      rs.find((r) => r.engine === engine && r.load === load);
    const isolationRatios: { name: string; p50: number; p99: number }[] = [];
    for (const engine of ["worker threads", "in-thread"] as const) {
      const idle = pick(isolation, engine, "idle");
      const loaded = pick(isolation, engine, "2 × MatMul steps");
      if (idle && loaded) {
        isolationRatios.push({
          name: `${engine}: loaded / idle`,
          p50: loaded.p50Ms / idle.p50Ms,
          p99: loaded.p99Ms / idle.p99Ms,
        });
      }
    }
    const tLoaded = pick(isolation, "worker threads", "2 × MatMul steps");
    const iLoaded = pick(isolation, "in-thread", "2 × MatMul steps");
    if (tLoaded && iLoaded) {
      isolationRatios.push({
        name: "loaded: in-thread / worker threads",
        p50: iLoaded.p50Ms / tLoaded.p50Ms,
        p99: iLoaded.p99Ms / tLoaded.p99Ms,
      });
    }
    if (parallel.length === 4) {
      const tfgate = roundRatio(
        "(b) speed-up: all on CPU:0 / split over CPU:0 + CPU:1",
        parallel[1]!,
        parallel[0]!,
      );
      const ceiling = roundRatio(
        "(b) ceiling: MatMul kernel alone, 1 thread / 2 threads",
        parallel[3]!,
        parallel[2]!,
      );
      ratios.push(tfgate, ceiling);
      // Per round, tfgate's speed-up over the ceiling's measured seconds later.
      const rel = parallel[1]!.stepsMs.map(
        (ms, i) => ms / parallel[0]!.stepsMs[i]! / (parallel[3]!.stepsMs[i]! / parallel[2]!.stepsMs[i]!),
      );
      ratios.push({
        name: "(b) tfgate speed-up / machine ceiling",
        ratio: median(rel),
        range: [Math.min(...rel), Math.max(...rel)],
      });
    }
    const transferCost: { name: string; extraMs: number; gibPerS: number }[] = [];
    if (transfers.length === 4) {
      ratios.push(roundRatio("(c) cross-device / one device, fetch Sum", transfers[0]!, transfers[1]!));
      ratios.push(
        roundRatio("(c) cross-device / one device, fetch Sum + 64 MiB", transfers[2]!, transfers[3]!),
      );
      ratios.push(roundRatio("(c) fetching 64 MiB / not, one device", transfers[3]!, transfers[1]!));
      const perRoundDiff = (a: StepCaseResult, b: StepCaseResult) =>
        median(a.stepsMs.map((ms, i) => ms - b.stepsMs[i]!));
      const add = (name: string, a: StepCaseResult, b: StepCaseResult) => {
        const extraMs = perRoundDiff(a, b);
        transferCost.push({ name, extraMs, gibPerS: 1 / 16 / (extraMs / 1000) });
      };
      add("64 MiB CPU:1 → CPU:0 (fetch Sum)", transfers[0]!, transfers[1]!);
      add("64 MiB CPU:1 → CPU:0 (fetch Sum + 64 MiB)", transfers[2]!, transfers[3]!);
      add("64 MiB fetched to the client (one device)", transfers[3]!, transfers[1]!);
    }

    const after = machineCpuMs();
    const elapsedMs = performance.now() - started;
    const machineBusyPercent = before && after ? ((after.busy - before.busy) / elapsedMs) * 100 : undefined;
    const tables = report(isolation, isolationRatios, parallel, transfers, ratios, transferCost);
    console.log(tables);
    console.log(
      `\nwhole run: ${fmt(elapsedMs / 1000, 0)} s, machine busy ${fmt(machineBusyPercent, 0)}% of one core (of 200%), ` +
        `load average now ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );

    if (!flags["no-write"]) {
      const json = {
        benchmark: "devices",
        date: new Date().toISOString(),
        machine: {
          ...machineInfo(),
          loadAverageAtStart,
          loadAverageAtEnd: os.loadavg(),
          busyPercentDuringRun: machineBusyPercent,
        },
        config: {
          ...config,
          only: [...config.only],
          calibration: { matMul512Ms: ms512, matMul1024MsEstimate: ms1024, loadLinks, chainLinks },
        },
        notes,
        isolation,
        isolationRatios,
        parallel,
        transfers,
        ratios,
        transferCost,
        elapsedMs,
      };
      console.log(`wrote ${writeResults("devices", json)}`);
    }
  } finally {
    await stopAll();
  }
}

function printStepCase(r: StepCaseResult): void {
  console.log(
    `  ${r.name.padEnd(36)} median ${fmt(r.medianMs, 0)} ms  steps ${r.stepsMs.map((s) => s.toFixed(0)).join(", ")}  ` +
      `${r.inClient ? "bench-process" : "server"} CPU ${fmt(r.serverCpuMsPerStep, 0)} ms/step ` +
      `(main thread ${fmt(r.serverMainThreadMsPerStep, 0)})  ` +
      `other load ${fmt(r.otherPercent, 0)}%`,
  );
}

function report(
  isolation: readonly IsolationResult[],
  isolationRatios: readonly { name: string; p50: number; p99: number }[],
  parallel: readonly StepCaseResult[],
  transfers: readonly StepCaseResult[],
  ratios: readonly RoundRatio[],
  transferCost: readonly { name: string; extraMs: number; gibPerS: number }[],
): string {
  const out: string[] = [];
  if (isolation.length > 0) {
    out.push(
      "| (a) engine | other clients | ListDevices p50 ms | p99 ms | max ms | calls | load steps (p50 ms) | server CPU % (main thread) | other CPU % |",
      "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    );
    for (const r of isolation) {
      out.push(
        `| ${r.engine} | ${r.load} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${fmt(r.maxMs, 1)} | ${r.calls}${r.errors ? ` (${r.errors} errors)` : ""} | ` +
          `${r.load === "idle" ? "–" : `${r.loadSteps} (${fmt(r.loadStepP50Ms, 0)})`} | ${fmt(r.serverPercent, 0)} (${fmt(r.serverMainThreadPercent, 0)}) | ${fmt(r.otherPercent, 0)} |`,
      );
    }
    out.push("", "| (a) ratio | p50 | p99 |", "|---|--:|--:|");
    for (const r of isolationRatios) out.push(`| ${r.name} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} |`);
    out.push("");
  }
  const steps = [...parallel.map((r) => ["(b)", r] as const), ...transfers.map((r) => ["(c)", r] as const)];
  if (steps.length > 0) {
    out.push(
      "| case | step ms (median) | steps ms | CPU ms/step (server main thread) | other CPU % |",
      "|---|--:|--:|--:|--:|",
    );
    for (const [tag, r] of steps) {
      const cpu = r.inClient
        ? `${fmt(r.serverCpuMsPerStep, 0)} (in the bench process)`
        : `${fmt(r.serverCpuMsPerStep, 0)} (${fmt(r.serverMainThreadMsPerStep, 0)})`;
      out.push(
        `| ${tag} ${r.name} | ${fmt(r.medianMs, 0)} | ${r.stepsMs.map((s) => s.toFixed(0)).join(", ")} | ` +
          `${cpu} | ${fmt(r.otherPercent, 0)} |`,
      );
    }
    out.push("");
  }
  if (ratios.length > 0) {
    out.push("| ratio (median of per-round ratios) | value | range |", "|---|--:|--:|");
    for (const r of ratios)
      out.push(`| ${r.name} | ${fmt(r.ratio, 2)} | ${fmt(r.range[0], 2)}–${fmt(r.range[1], 2)} |`);
    out.push("");
  }
  if (transferCost.length > 0) {
    out.push("| (c) extra step time (median of per-round differences) | ms | GiB/s |", "|---|--:|--:|");
    for (const t of transferCost) out.push(`| ${t.name} | ${fmt(t.extraMs, 0)} | ${fmt(t.gibPerS, 2)} |`);
  }
  return out.join("\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
