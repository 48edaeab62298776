// Kernel speed in GFLOP/s: tfgate's float32 MatMul and Conv2D against peers measured in the same
// run (docs/benchmarks.md: goals are ratios against peers, never timed assertions in tests).
//
//   node --import tsx bench/gflops.ts [--rounds 2] [--min-seconds 1.5] [--no-tf] [--no-write]
//                                     [--intra-op-only]
//
// Workloads: MatMul 1024×1024 · 1024×1024 (2·1024³ FLOP) and Conv2D of [1,64,64,32] with
// [3,3,32,64], SAME, stride 1 (2·64·64·64·3·3·32 FLOP). Contenders:
//   (a) tfgate's kernel functions called directly in this thread (XNNPACK path, one thread)
//   (h) the same functions before this thread loads XNNPACK: the plain-JS float64-accumulating path
//   (b) tfgate end to end: RunStep over gRPC (grpc-js client, TF's service path) on a tfgate server
//       (bench/devices-server.ts: the real gateway, 2 CPU devices, a worker thread each), feeding x
//       (4 MiB for MatMul) with the other operand made in-graph (Fill), fetching Sum(result)
//   (c) two independent MatMuls in one step, on CPU:0 and CPU:1 (worker scaling), and both on CPU:0
//   (d) a real TensorFlow 2.21 server (bench/tf-peer/tf_server.py) running the same graphs
//   (e) @tensorflow/tfjs-backend-cpu (bench/gflops-tfjs.ts, its own process)
//   (f) @tensorflow/tfjs-backend-wasm: tf.matMul / tf.conv2d in this thread, on the tfjs engine
//       tfgate's kernels loaded (same package, flags and .wasm build as a standalone tfjs user)
//   (g) numpy (OpenBLAS) and TF eager in-process (bench/tf-peer/gflops_peer.py), pinned to one
//       thread and with their default thread pools (every core)
//   (i) intra-op parallelism (--intra-op-only runs just this): tfgate's onnxruntime kernels
//       (kernels/util/ort.ts) called in this thread with 1 and 2 intra-op threads, and XNNPACK, on
//       MatMul 1024³ and 2048³, the Conv2D above and a larger one ([8,64,64,64] * [3,3,64,64]),
//       against TF eager with 1 and 2 intra-op threads; then a 2048³ MatMul RunStep on a default
//       session of tfgate (native kernels on and off) and of TF, each server started once under
//       `taskset -c 0` and once free, steps interleaved across all of them; then the p50/p99
//       latency of ListDevices (one call every 20 ms) while that step runs back to back
// Contenders that can share a moment are interleaved call by call or step by step ((a) with (f);
// every RunStep case on both servers), so a busy machine slows them alike; the others run in turn.
// Each figure is a median over calls lasting at least --min-seconds per contender (after a
// warm-up), then the median over --rounds rounds. RunStep results are checked against values
// computed here. Results go to stdout (Markdown) and to bench/results/gflops-<date>.json.

import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../gen/tensorflow/core/framework/attr_value_pb.js";
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
import { Tensor } from "../server/engine/framework/tensor.js";
import { DataType as EngineDataType } from "../server/engine/framework/types.js";
import { conv2D, conv2DGeometry } from "../server/engine/kernels/Conv2D.js";
import { matMul } from "../server/engine/kernels/MatMul.js";
import {
  configureNativeKernels,
  ortConv2D,
  ortMatMul,
  ortRuntime,
} from "../server/engine/kernels/util/ort.js";
import { loadXnn } from "../server/engine/kernels/util/xnn.js";
import { attr } from "../test/support/attr.js";
import { DataType, graph, node, tensorProto, tensorValues } from "../test/support/graphs.js";
import type { DevicesServerReady } from "./devices-server.js";
import { fillNodes, sumNodes } from "./graph-nodes.js";
import { benchDir, median, medianMs, repoRoot, stopChild, writeResults } from "./support.js";

const tfPython = join(process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf"), "bin", "python");
const CPU = (n: number) => `/job:localhost/replica:0/task:0/device:CPU:${n}`;

const { values: flags } = parseArgs({
  options: {
    rounds: { type: "string", default: "2" },
    "min-seconds": { type: "string", default: "1.5" },
    "no-tf": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    "intra-op-only": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n\n")[0]);
  process.exit(0);
}
const rounds = Math.max(1, Math.round(Number(flags.rounds)));
const minSeconds = Number(flags["min-seconds"]);
if (!(minSeconds > 0)) throw new Error(`--min-seconds must be positive, got ${flags["min-seconds"]}`);

const N = 1024;
const MATMUL_FLOP = 2 * N ** 3;
const CONV = { x: [1, 64, 64, 32], f: [3, 3, 32, 64] } as const;
const CONV_FLOP = 2 * 64 * 64 * 64 * 3 * 3 * 32;

// ---------------------------------------------------------------------------------------------
// Inputs and timing

/** Deterministic float32 values in [-0.5, 0.5) (a multiplicative hash of the index). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 2654435761 + seed * 40503) % 2 ** 32) / 2 ** 32 - 0.5;
  return out;
}

/**
 * Median ms per key of functions called in turn (one call each per turn, after a warm-up call
 * each) until each has `minReps` calls and --min-seconds per function has passed: contenders
 * measured this way see the same machine load, which on a shared machine moves by the second.
 */
async function interleavedMs(
  fns: Record<string, () => unknown>,
  minReps = 3,
): Promise<Record<string, number>> {
  const keys = Object.keys(fns);
  for (const k of keys) await fns[k]!();
  const times: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const start = performance.now();
  let turns = 0;
  while (turns < minReps || performance.now() - start < minSeconds * 1000 * keys.length) {
    for (const k of keys) {
      const t0 = performance.now();
      await fns[k]!();
      times[k]!.push(performance.now() - t0);
    }
    turns++;
  }
  return Object.fromEntries(keys.map((k) => [k, median(times[k]!)]));
}

// ---------------------------------------------------------------------------------------------
// In-process kernels: (h) before XNNPACK loads, (a) after

const a = new Tensor(EngineDataType.DT_FLOAT, [N, N], values(N * N, 1));
const b = new Tensor(EngineDataType.DT_FLOAT, [N, N], values(N * N, 2));
const convX = new Tensor(EngineDataType.DT_FLOAT, [...CONV.x], values(64 * 64 * 32, 3));
const convF = new Tensor(EngineDataType.DT_FLOAT, [...CONV.f], values(3 * 3 * 32 * 64, 4));
const same = {
  strides: [1, 1, 1, 1],
  dilations: [1, 1, 1, 1],
  padding: "SAME",
  explicitPaddings: [],
  dataFormat: "NHWC",
} as const;

/** (h): the kernels before this thread loads XNNPACK. */
async function plainJsCase(): Promise<Row> {
  return {
    matMulMs: await medianMs(() => matMul(a, b), 2, minSeconds * 1000),
    conv2DMs: await medianMs(() => conv2D(convX, convF, same), 3, minSeconds * 1000),
  };
}

/**
 * (a) and (f), interleaved call by call: tfgate's kernels and tfjs's own tf.matMul / tf.conv2d on
 * the wasm backend XNNPACK loaded into this thread (the same tfjs engine, flags and .wasm build;
 * each tfjs result is copied out with dataSync, as tfgate's kernels copy theirs out of the heap).
 */
async function kernelAndWasmCase(): Promise<{ tfgate: Row; wasm: Row }> {
  const tf = await import("@tensorflow/tfjs-core");
  const ta = tf.tensor2d(a.data as Float32Array, [N, N]);
  const tb = tf.tensor2d(b.data as Float32Array, [N, N]);
  const tx = tf.tensor4d(convX.data as Float32Array, [1, 64, 64, 32]);
  const tfilter = tf.tensor4d(convF.data as Float32Array, [3, 3, 32, 64]);
  const viaTfjs = (make: () => { dataSync(): unknown; dispose(): void }) => () => {
    const t = make();
    t.dataSync();
    t.dispose();
  };
  try {
    const mm = await interleavedMs({ tfgate: () => matMul(a, b), wasm: viaTfjs(() => tf.matMul(ta, tb)) }, 2);
    const conv = await interleavedMs({
      tfgate: () => conv2D(convX, convF, same),
      wasm: viaTfjs(() => tf.conv2d(tx, tfilter, 1, "same")),
    });
    return {
      tfgate: { matMulMs: mm.tfgate!, conv2DMs: conv.tfgate! },
      wasm: { matMulMs: mm.wasm!, conv2DMs: conv.wasm! },
    };
  } finally {
    tf.dispose([ta, tb, tx, tfilter]);
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes: tfjs peers, numpy/TF eager, the tfgate and TF servers

function runJson<T>(file: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: repoRoot, maxBuffer: 1 << 20, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${args.join(" ")}: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as T);
      },
    );
  });
}

interface TfjsResult {
  readonly matMulMs: number;
  readonly conv2DMs: number;
  readonly simd?: boolean;
  readonly threads?: boolean;
}
const tfjs = (backend: "cpu") =>
  runJson<TfjsResult>(process.execPath, [
    "--import",
    "tsx",
    join(benchDir, "gflops-tfjs.ts"),
    backend,
    "--min-seconds",
    String(minSeconds),
  ]);

interface PyPeerResult {
  readonly threads: number;
  readonly versions: { numpy: string; tensorflow: string };
  readonly numpy: { matMulMs: number };
  readonly tf: { matMulMs: number; conv2DMs: number; matMul2048Ms: number; convBigMs: number };
}
const pyPeer = (threads: number) =>
  runJson<PyPeerResult>(tfPython, [
    join(benchDir, "tf-peer", "gflops_peer.py"),
    "--threads",
    String(threads),
    "--min-seconds",
    String(minSeconds),
  ]);

interface Server {
  readonly port: number;
  stop(): Promise<void>;
}

/** `taskset -c 0` in front of a command: the process (and every thread it starts) on core 0. */
const pinned = (pin: boolean, file: string, args: readonly string[]): [string, string[]] =>
  pin ? ["taskset", ["-c", "0", file, ...args]] : [file, [...args]];

function startTfgate(opts: { pin?: boolean; native?: boolean } = {}): Promise<Server> {
  const [file, args] = pinned(opts.pin === true, process.execPath, [
    "--import",
    "tsx",
    join(benchDir, "devices-server.ts"),
    "--cpu-devices",
    "2",
    "--native-kernels",
    opts.native === false ? "off" : "on",
  ]);
  const child = spawn(file, args, { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`tfgate server exited (${code}) before ready`));
    child.once("exit", onExit);
    child.once("message", (m: DevicesServerReady) => {
      child.off("exit", onExit);
      resolve({ port: m.port, stop: () => stopChild(child, () => child.send({ type: "stop" })) });
    });
  });
}

function startTf(pin = false): Promise<Server & { version: string }> {
  const [file, args] = pinned(pin, tfPython, [join(benchDir, "tf-peer", "tf_server.py")]);
  const child = spawn(file, args, {
    stdio: ["pipe", "pipe", "pipe"],
    // gRPC C-core honours http(s)_proxy; a loopback peer must never go through a proxy.
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`tf_server.py exited (${code}) before READY:\n${stderr.slice(-2000)}`));
    child.once("exit", onExit);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match === null) return;
      child.off("exit", onExit);
      setTimeout(() => {
        resolve({
          port: Number(match[1]),
          version: /TensorFlow (\S+)/.exec(stderr)?.[1] ?? "unknown",
          stop: () => stopChild(child, () => child.stdin.end()),
        });
      }, 200);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// RunStep client (grpc-js, TF's service path) and the graphs both servers run

class Client {
  private readonly client: grpc.Client;

  constructor(port: number) {
    this.client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.use_local_subchannel_pool": 1,
      "grpc.enable_http_proxy": 0,
      "grpc.max_receive_message_length": -1,
      "grpc.max_send_message_length": -1,
    });
  }

  unary<I extends DescMessage, O extends DescMessage>(
    method: string,
    inSchema: I,
    outSchema: O,
    req: MessageShape<I>,
  ): Promise<MessageShape<O>> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        `/tensorflow.MasterService/${method}`,
        (r: MessageShape<I>) => Buffer.from(toBinary(inSchema, r)),
        (buf: Buffer) => fromBinary(outSchema, buf),
        req,
        (error, res) => (error ? reject(error) : resolve(res as MessageShape<O>)),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

const f32 = attr.type(DataType.DT_FLOAT);

function placeholder(name: string, device: string, shape: readonly number[]): NodeDef {
  return node(name, "Placeholder", { attrs: { dtype: f32, shape: attr.shape(shape) }, device });
}

/** p/x (fed, n×n) · p/w (Fill 1/n) on `device`, reduced to p/sum = Σx. */
function matMulNodes(p: string, device: string): NodeDef[] {
  return [
    placeholder(`${p}/x`, device, [N, N]),
    ...fillNodes(`${p}/w`, device, [N, N], 1 / N),
    node(`${p}/m`, "MatMul", { inputs: [`${p}/x`, `${p}/w`], attrs: { T: f32 }, device }),
    ...sumNodes(`${p}/sum`, `${p}/m`, device, 2),
  ];
}

/** p/x (fed) convolved with a Fill(1/288) filter, SAME, reduced to p/sum. */
function convNodes(p: string, device: string): NodeDef[] {
  return [
    placeholder(`${p}/x`, device, CONV.x),
    ...fillNodes(`${p}/f`, device, CONV.f, 1 / 288),
    node(`${p}/y`, "Conv2D", {
      inputs: [`${p}/x`, `${p}/f`],
      attrs: { T: f32, strides: intList([1, 1, 1, 1]), padding: attr.string("SAME") },
      device,
    }),
    ...sumNodes(`${p}/sum`, `${p}/y`, device, 4),
  ];
}

function intList(v: readonly number[]) {
  return create(AttrValueSchema, {
    value: { case: "list", value: create(AttrValue_ListValueSchema, { i: v.map((x) => BigInt(x)) }) },
  });
}

interface StepCase {
  readonly name: string;
  readonly graph: GraphDef;
  readonly feeds: { name: string; values: Float32Array; shape: readonly number[] }[];
  /** Fetch name → expected value and tolerance. */
  readonly expect: Record<string, { value: number; tol: number }>;
  readonly flop: number;
}

function sumOf(v: Float32Array): { value: number; abs: number } {
  let s = 0;
  let abs = 0;
  for (const x of v) {
    s += x;
    abs += Math.abs(x);
  }
  return { value: s, abs };
}

function stepCases(): StepCase[] {
  const x0 = values(N * N, 11);
  const x1 = values(N * N, 12);
  const s0 = sumOf(x0);
  const s1 = sumOf(x1);
  // Σ(x · Fill(1/n)) = Σx; float32 sums of 2^20 terms stay within 1e-4 of Σ|x|.
  const exp = (s: { value: number; abs: number }) => ({ value: s.value, tol: 1e-4 * s.abs });
  const cx = values(64 * 64 * 32, 13);
  const cf = new Tensor(
    EngineDataType.DT_FLOAT,
    [...CONV.f],
    new Float32Array(3 * 3 * 32 * 64).fill(1 / 288),
  );
  const cy = sumOf(
    conv2D(new Tensor(EngineDataType.DT_FLOAT, [...CONV.x], cx), cf, same).data as Float32Array,
  );
  return [
    {
      name: "MatMul, 1 device",
      graph: graph(...matMulNodes("a", CPU(0))),
      feeds: [{ name: "a/x:0", values: x0, shape: [N, N] }],
      expect: { "a/sum:0": exp(s0) },
      flop: MATMUL_FLOP,
    },
    {
      name: "2 MatMuls, CPU:0 + CPU:1",
      graph: graph(...matMulNodes("a", CPU(0)), ...matMulNodes("b", CPU(1))),
      feeds: [
        { name: "a/x:0", values: x0, shape: [N, N] },
        { name: "b/x:0", values: x1, shape: [N, N] },
      ],
      expect: { "a/sum:0": exp(s0), "b/sum:0": exp(s1) },
      flop: 2 * MATMUL_FLOP,
    },
    {
      name: "2 MatMuls, both on CPU:0",
      graph: graph(...matMulNodes("a", CPU(0)), ...matMulNodes("b", CPU(0))),
      feeds: [
        { name: "a/x:0", values: x0, shape: [N, N] },
        { name: "b/x:0", values: x1, shape: [N, N] },
      ],
      expect: { "a/sum:0": exp(s0), "b/sum:0": exp(s1) },
      flop: 2 * MATMUL_FLOP,
    },
    {
      name: "Conv2D, 1 device",
      graph: graph(...convNodes("c", CPU(0))),
      feeds: [{ name: "c/x:0", values: cx, shape: CONV.x }],
      expect: { "c/sum:0": { value: cy.value, tol: 1e-4 * cy.abs } },
      flop: CONV_FLOP,
    },
  ];
}

/** A session running `c` on the server at `port`: step() runs one checked step. */
async function openStepCase(port: number, c: StepCase) {
  const client = new Client(port);
  const { sessionHandle } = await client.unary(
    "CreateSession",
    CreateSessionRequestSchema,
    CreateSessionResponseSchema,
    create(CreateSessionRequestSchema, { graphDef: c.graph }),
  );
  const req = create(RunStepRequestSchema, {
    sessionHandle,
    feed: c.feeds.map((f) => ({
      name: f.name,
      tensor: tensorProto(DataType.DT_FLOAT, f.shape, f.values as unknown as number[]),
    })),
    fetch: Object.keys(c.expect),
  });
  const check = (res: RunStepResponse) => {
    for (const [name, e] of Object.entries(c.expect)) {
      const t = res.tensor.find((x) => x.name === name);
      const v = t === undefined ? undefined : (tensorValues(t.tensor)[0] as number);
      if (v === undefined || !(Math.abs(v - e.value) <= e.tol)) {
        throw new Error(`${c.name}: ${name} = ${v}, expected ${e.value} ± ${e.tol}`);
      }
    }
  };
  return {
    step: async () => check(await client.unary("RunStep", RunStepRequestSchema, RunStepResponseSchema, req)),
    async close() {
      await client.unary(
        "CloseSession",
        CloseSessionRequestSchema,
        CloseSessionResponseSchema,
        create(CloseSessionRequestSchema, { sessionHandle }),
      );
      client.close();
    },
  };
}

// A worker thread that runs TypeScript: tsx's loader registered inside it, as bench/devices.ts does.
const tsxBootstrap = `
const { workerData } = require("node:worker_threads");
(async () => {
  (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

/**
 * The machine's ceiling for (c): tfgate's MatMul kernel alone (XNNPACK, no engine or RPC) on two
 * threads at once, one MatMul each, against one thread doing both. On an idle 2-core machine the
 * throughput ratio is ≈2; whatever else runs lowers it, and the engine's 2-device ratio with it.
 */
async function startCeiling() {
  const workerData = {
    tsxApi: import.meta.resolve("tsx/esm/api"),
    entry: new URL("./gflops-ceiling-worker.ts", import.meta.url).href,
  };
  const threads = [0, 1].map(() => new Worker(tsxBootstrap, { eval: true, workerData }));
  const next = (t: Worker) =>
    new Promise<unknown>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      t.once("error", onError);
      t.once("message", (m: unknown) => {
        t.off("error", onError);
        resolve(m);
      });
    });
  await Promise.all(threads.map(next));
  const run = (t: Worker, reps: number) => {
    const answer = next(t);
    t.postMessage({ reps });
    return answer;
  };
  return {
    twoThreads: async () => {
      await Promise.all(threads.map((t) => run(t, 1)));
    },
    oneThread: async () => {
      await run(threads[0]!, 2);
    },
    close: () => Promise.all(threads.map((t) => t.terminate())),
  };
}

/**
 * (b), (c), (d): every RunStep case on both servers, interleaved step by step, MatMul cases and
 * the Conv2D case as two groups. TF's server has one CPU device, so it runs no CPU:1 case.
 */
async function runStepCases(
  servers: readonly { label: string; port: number }[],
  ceiling: { twoThreads(): Promise<void>; oneThread(): Promise<void> },
): Promise<Map<string, Row>> {
  const cases = stepCases();
  const rows = new Map<string, Row>(servers.map((s) => [s.label, {}]));
  const field = (c: StepCase): keyof Row =>
    c.name.startsWith("Conv2D")
      ? "conv2DMs"
      : c.name.includes("CPU:1")
        ? "twoDevMs"
        : c.name.startsWith("2 ")
          ? "twoOnOneMs"
          : "matMulMs";
  for (const group of [
    cases.filter((c) => !c.name.startsWith("Conv2D")),
    cases.filter((c) => c.name.startsWith("Conv2D")),
  ]) {
    const open: {
      key: string;
      server: string;
      f: keyof Row;
      step(): Promise<void>;
      close(): Promise<void>;
    }[] = [];
    try {
      for (const s of servers) {
        for (const c of group) {
          if (s.label !== "tfgate" && c.name.includes("CPU:1")) continue;
          open.push({
            key: `${s.label}: ${c.name}`,
            server: s.label,
            f: field(c),
            ...(await openStepCase(s.port, c)),
          });
        }
      }
      const fns: Record<string, () => Promise<void>> = Object.fromEntries(open.map((o) => [o.key, o.step]));
      const withCeiling = group[0]!.name.startsWith("MatMul");
      if (withCeiling)
        Object.assign(fns, { "ceiling 2": ceiling.twoThreads, "ceiling 1": ceiling.oneThread });
      const ms = await interleavedMs(fns);
      for (const o of open) rows.get(o.server)![o.f] = ms[o.key];
      if (withCeiling) rows.set("ceiling", { twoDevMs: ms["ceiling 2"]!, twoOnOneMs: ms["ceiling 1"]! });
    } finally {
      for (const o of open) await o.close();
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// (i) Intra-op parallelism: one large kernel over 1 and 2 threads

const N2 = 2048;
const MATMUL2048_FLOP = 2 * N2 ** 3;
const CONV_BIG = { x: [8, 64, 64, 64], f: [3, 3, 64, 64] } as const;
const CONV_BIG_FLOP = 2 * 8 * 64 * 64 * 64 * 3 * 3 * 64;

interface IntraOpKernelRow {
  readonly name: string;
  readonly matMulMs?: number;
  readonly matMul2048Ms?: number;
  readonly conv2DMs?: number;
  readonly convBigMs?: number;
}

/** tfgate's onnxruntime kernels with 1 and 2 intra-op threads and XNNPACK, interleaved per call. */
async function intraOpKernelRows(): Promise<IntraOpKernelRow[]> {
  const rt = ortRuntime();
  if (rt === undefined) throw new Error("onnxruntime-node did not load: (i) needs it");
  const a2 = new Tensor(EngineDataType.DT_FLOAT, [N2, N2], values(N2 * N2, 5));
  const b2 = new Tensor(EngineDataType.DT_FLOAT, [N2, N2], values(N2 * N2, 6));
  const bx = new Tensor(EngineDataType.DT_FLOAT, [...CONV_BIG.x], values(8 * 64 * 64 * 64, 7));
  const bf = new Tensor(EngineDataType.DT_FLOAT, [...CONV_BIG.f], values(3 * 3 * 64 * 64, 8));
  const g = conv2DGeometry(convX, convF, same);
  const gBig = conv2DGeometry(bx, bf, same);
  const on = (threads: number, f: () => Promise<unknown>) => async () => {
    configureNativeKernels({ intraOpThreads: threads });
    await f();
  };
  const workloads = {
    matMulMs: (t: number) => on(t, () => ortMatMul(rt, a, b, false, false, N, N)),
    matMul2048Ms: (t: number) => on(t, () => ortMatMul(rt, a2, b2, false, false, N2, N2)),
    conv2DMs: (t: number) => on(t, () => ortConv2D(rt, convX, convF, g)),
    convBigMs: (t: number) => on(t, () => ortConv2D(rt, bx, bf, gBig)),
  };
  const xnn = {
    matMulMs: () => matMul(a, b),
    matMul2048Ms: () => matMul(a2, b2),
    conv2DMs: () => conv2D(convX, convF, same),
    convBigMs: () => conv2D(bx, bf, same),
  };
  const rows: Record<string, Record<string, number>> = { ort1: {}, ort2: {}, xnn: {} };
  try {
    for (const [field, make] of Object.entries(workloads)) {
      const ms = await interleavedMs({
        ort1: make(1),
        ort2: make(2),
        xnn: xnn[field as keyof typeof xnn],
      });
      for (const k of Object.keys(rows)) rows[k]![field] = ms[k]!;
    }
  } finally {
    configureNativeKernels({ intraOpThreads: 0 });
  }
  return [
    { name: "tfgate kernel, onnxruntime, 1 intra-op thread", ...rows.ort1 },
    { name: "tfgate kernel, onnxruntime, 2 intra-op threads", ...rows.ort2 },
    { name: "tfgate kernel, XNNPACK (1 thread)", ...rows.xnn },
  ];
}

/** p/x (fed, 2048²) · p/w (Fill 1/2048), reduced to p/sum, with no device: a default session. */
function matMul2048Nodes(p: string): NodeDef[] {
  return [
    node(`${p}/x`, "Placeholder", { attrs: { dtype: f32, shape: attr.shape([N2, N2]) } }),
    ...fillNodes(`${p}/w`, "", [N2, N2], 1 / N2),
    node(`${p}/m`, "MatMul", { inputs: [`${p}/x`, `${p}/w`], attrs: { T: f32 } }),
    ...sumNodes(`${p}/sum`, `${p}/m`, "", 2),
  ];
}

function matMul2048Step(): StepCase {
  const x = values(N2 * N2, 21);
  const s = sumOf(x);
  return {
    name: "MatMul 2048³, default session",
    graph: graph(...matMul2048Nodes("s")),
    feeds: [{ name: "s/x:0", values: x, shape: [N2, N2] }],
    expect: { "s/sum:0": { value: s.value, tol: 1e-4 * s.abs } },
    flop: MATMUL2048_FLOP,
  };
}

/** p50/p99 ms of ListDevices, one call every 20 ms, while `busy` runs 2048³ steps back to back. */
async function listDevicesWhileBusy(
  port: number,
  seconds: number,
): Promise<{ p50: number; p99: number; n: number }> {
  const stepper = await openStepCase(port, matMul2048Step());
  const probe = new Client(port);
  const lat: number[] = [];
  let stop = false;
  const busy = (async () => {
    while (!stop) await stepper.step();
  })();
  try {
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const t0 = performance.now();
      await probe.unary(
        "ListDevices",
        ListDevicesRequestSchema,
        ListDevicesResponseSchema,
        create(ListDevicesRequestSchema, {}),
      );
      lat.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    stop = true;
    await busy;
    await stepper.close();
    probe.close();
  }
  lat.sort((x, y) => x - y);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  return { p50: q(0.5), p99: q(0.99), n: lat.length };
}

/** (i): the kernel table, the RunStep scaling table and the ListDevices probe, as Markdown. */
// long-function: one measurement plan, read top to bottom (servers started, measured, stopped)
async function intraOpSection(haveTf: boolean): Promise<{ lines: string[]; json: object }> {
  console.error("(i) kernels on 1 and 2 intra-op threads …");
  const kernelRows = await intraOpKernelRows();
  const tfRows: IntraOpKernelRow[] = [];
  if (haveTf) {
    console.error("(i) TF eager on 1 and 2 intra-op threads …");
    for (const threads of [1, 2]) {
      const p = await pyPeer(threads);
      tfRows.push({
        name: `TF 2.21 eager kernel, ${threads} intra-op thread${threads > 1 ? "s" : ""}`,
        ...p.tf,
      });
    }
  }
  const gf = (flop: number, ms: number | undefined) =>
    ms === undefined ? "–" : (flop / ms / 1e6).toFixed(1);
  const lines = [
    "",
    "(i) Intra-op parallelism: GFLOP/s of one kernel call",
    "",
    "| contender | MatMul 1024³ | MatMul 2048³ | Conv2D [1,64,64,32]*[3,3,32,64] | Conv2D [8,64,64,64]*[3,3,64,64] |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const r of [...kernelRows, ...tfRows]) {
    lines.push(
      `| ${r.name} | ${gf(MATMUL_FLOP, r.matMulMs)} | ${gf(MATMUL2048_FLOP, r.matMul2048Ms)} | ${gf(CONV_FLOP, r.conv2DMs)} | ${gf(CONV_BIG_FLOP, r.convBigMs)} |`,
    );
  }
  const ratioRow = (label: string, x: IntraOpKernelRow | undefined, y: IntraOpKernelRow | undefined) => {
    const r = (k: keyof IntraOpKernelRow) => {
      const xv = x?.[k] as number | undefined;
      const yv = y?.[k] as number | undefined;
      return xv === undefined || yv === undefined ? "–" : (yv / xv).toFixed(2);
    };
    lines.push(
      `| ${label} | ${r("matMulMs")} | ${r("matMul2048Ms")} | ${r("conv2DMs")} | ${r("convBigMs")} |`,
    );
  };
  lines.push(
    "",
    "| ratio (speed over speed) | MatMul 1024³ | MatMul 2048³ | Conv2D | Conv2D big |",
    "|---|---:|---:|---:|---:|",
  );
  ratioRow("tfgate onnxruntime: 2 threads / 1 thread", kernelRows[1], kernelRows[0]);
  ratioRow("tfgate onnxruntime 1 thread / TF eager 1 thread", kernelRows[0], tfRows[0]);
  ratioRow("tfgate onnxruntime 2 threads / TF eager 2 threads", kernelRows[1], tfRows[1]);
  ratioRow("TF eager: 2 threads / 1 thread", tfRows[1], tfRows[0]);
  ratioRow("tfgate onnxruntime 1 thread / XNNPACK", kernelRows[0], kernelRows[2]);

  console.error("(i) RunStep 2048³ on servers pinned to one core and free …");
  const servers: { label: string; server: Server }[] = [];
  const stepMs: Record<string, number> = {};
  let probe: { p50: number; p99: number; n: number } | undefined;
  try {
    for (const pin of [true, false]) {
      const where = pin ? "taskset -c 0" : "free";
      servers.push({ label: `tfgate native kernels, ${where}`, server: await startTfgate({ pin }) });
      servers.push({
        label: `tfgate --native-kernels off, ${where}`,
        server: await startTfgate({ pin, native: false }),
      });
      if (haveTf) servers.push({ label: `TF 2.21, ${where}`, server: await startTf(pin) });
    }
    const open = await Promise.all(
      servers.map(async (s) => ({ ...s, ...(await openStepCase(s.server.port, matMul2048Step())) })),
    );
    try {
      Object.assign(stepMs, await interleavedMs(Object.fromEntries(open.map((o) => [o.label, o.step]))));
    } finally {
      for (const o of open) await o.close();
    }
    console.error("(i) ListDevices while 2048³ steps run …");
    probe = await listDevicesWhileBusy(
      servers.find((s) => s.label === "tfgate native kernels, free")!.server.port,
      Math.max(3, 2 * minSeconds),
    );
  } finally {
    for (const s of servers) await s.server.stop();
  }
  lines.push(
    "",
    "RunStep of a 2048³ MatMul (fed x, Fill weights, Sum fetched) on a default session",
    "",
    "| server | 1 core (taskset -c 0) ms | 2 cores ms | GFLOP/s, 2 cores | 2 cores / 1 core |",
    "|---|---:|---:|---:|---:|",
  );
  for (const base of [
    "tfgate native kernels",
    "tfgate --native-kernels off",
    ...(haveTf ? ["TF 2.21"] : []),
  ]) {
    const one = stepMs[`${base}, taskset -c 0`];
    const two = stepMs[`${base}, free`];
    lines.push(
      `| ${base} | ${one?.toFixed(0) ?? "–"} | ${two?.toFixed(0) ?? "–"} | ${gf(MATMUL2048_FLOP, two)} | ${one !== undefined && two !== undefined ? (one / two).toFixed(2) : "–"} |`,
    );
  }
  if (probe !== undefined) {
    lines.push(
      "",
      `ListDevices while 2048³ steps run back to back on tfgate (native kernels, 2 cores): p50 ${probe.p50.toFixed(1)} ms, p99 ${probe.p99.toFixed(1)} ms over ${probe.n} calls`,
    );
  }
  return { lines, json: { kernels: [...kernelRows, ...tfRows], stepMs, listDevices: probe } };
}

// ---------------------------------------------------------------------------------------------
// Main

type Row = { matMulMs?: number; conv2DMs?: number; twoDevMs?: number; twoOnOneMs?: number };

async function main(): Promise<void> {
  const load0 = os.loadavg();
  const started = new Date();
  const results = new Map<string, Row[]>();
  const put = (name: string, row: Row) => results.set(name, [...(results.get(name) ?? []), row]);
  const haveTf = !flags["no-tf"] && existsSync(tfPython);
  const notes: string[] = [];
  if (!haveTf)
    notes.push(
      `TensorFlow and numpy peers skipped (${flags["no-tf"] ? "--no-tf" : `no venv at ${tfPython}`})`,
    );

  if (flags["intra-op-only"]) {
    if ((await loadXnn()) === undefined) throw new Error("XNNPACK (tfjs-backend-wasm) failed to load");
    const section = await intraOpSection(haveTf);
    const load1 = os.loadavg();
    console.log(
      [
        `Intra-op parallelism, ${started.toISOString()}, ${os.cpus()[0]?.model ?? "cpu"} × ${os.availableParallelism()}, ` +
          `Node ${process.version}, load average ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)}`,
        ...section.lines,
        ...notes.map((n) => `\nNote: ${n}`),
      ].join("\n"),
    );
    if (!flags["no-write"]) {
      const file = writeResults(
        "gflops-intraop",
        { started: started.toISOString(), minSeconds, loadavg: [load0, load1], ...section.json, notes },
        started,
        1,
      );
      console.error(`wrote ${file}`);
    }
    return;
  }

  // (h) first: this thread has not loaded XNNPACK yet, so the kernels take their JS path.
  console.error("(h) plain-JS kernels …");
  put("tfgate kernel, plain JS (before)", await plainJsCase());
  if ((await loadXnn()) === undefined) throw new Error("XNNPACK (tfjs-backend-wasm) failed to load");
  const wasmFlags = await (async () => {
    const env = (await import("@tensorflow/tfjs-core")).env();
    return `SIMD ${await env.getAsync("WASM_HAS_SIMD_SUPPORT")}, multithread ${await env.getAsync("WASM_HAS_MULTITHREAD_SUPPORT")}`;
  })();

  const tfgate = await startTfgate();
  const tf = haveTf ? await startTf() : undefined;
  const ceiling = await startCeiling();
  let pyVersions: PyPeerResult["versions"] | undefined;
  try {
    for (let r = 0; r < rounds; r++) {
      console.error(`round ${r + 1}/${rounds}: (a) tfgate kernel and (f) tfjs-wasm, interleaved …`);
      const k = await kernelAndWasmCase();
      put("tfgate kernel, 1 thread (XNNPACK)", k.tfgate);
      put("@tensorflow/tfjs-backend-wasm, 1 thread", k.wasm);
      console.error(`round ${r + 1}/${rounds}: RunStep on tfgate${tf ? " and TF" : ""}, interleaved …`);
      const servers = [
        { label: "tfgate", port: tfgate.port },
        ...(tf ? [{ label: "TF 2.21", port: tf.port }] : []),
      ];
      for (const [label, row] of await runStepCases(servers, ceiling)) {
        put(
          label === "ceiling"
            ? "machine ceiling: tfgate kernel alone, 2 threads / 1 thread"
            : `${label} RunStep (gRPC)`,
          row,
        );
      }
      console.error(`round ${r + 1}/${rounds}: tfjs-cpu …`);
      put("@tensorflow/tfjs-backend-cpu", await tfjs("cpu"));
      if (haveTf) {
        console.error(`round ${r + 1}/${rounds}: numpy / TF eager …`);
        for (const threads of [1, 0]) {
          const p = await pyPeer(threads);
          pyVersions = p.versions;
          const t = threads === 1 ? "1 thread" : `${os.availableParallelism()} threads`;
          put(`numpy (OpenBLAS), ${t}`, { matMulMs: p.numpy.matMulMs });
          put(`TF 2.21 eager kernel, ${t}`, p.tf);
        }
      }
    }
  } finally {
    await tfgate.stop();
    await tf?.stop();
    await ceiling.close();
  }

  // Median over rounds, per field.
  const med = (rows: Row[], k: keyof Row) => {
    const xs = rows.map((r) => r[k]).filter((x): x is number => x !== undefined);
    return xs.length === 0 ? undefined : median(xs);
  };
  const table = [...results].map(([name, rows]) => ({
    name,
    matMulMs: med(rows, "matMulMs"),
    conv2DMs: med(rows, "conv2DMs"),
    twoDevMs: med(rows, "twoDevMs"),
    twoOnOneMs: med(rows, "twoOnOneMs"),
  }));
  const gflops = (flop: number, ms: number | undefined) => (ms === undefined ? undefined : flop / ms / 1e6);
  const fmt = (v: number | undefined, d = 1) => (v === undefined ? "–" : v.toFixed(d));
  const load1 = os.loadavg();

  const lines: string[] = [];
  lines.push(
    `Float32 GFLOP/s, ${started.toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? "cpu"} × ${os.availableParallelism()}, ` +
      `Node ${process.version}, ${rounds} round(s), load average ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)}` +
      (pyVersions ? `, numpy ${pyVersions.numpy}, TF ${pyVersions.tensorflow}` : "") +
      (wasmFlags ? `, tfjs-wasm ${wasmFlags}` : ""),
    "",
    "| contender | MatMul 1024³ ms | MatMul GFLOP/s | Conv2D ms | Conv2D GFLOP/s | 2 MatMuls on 2 devices (threads), GFLOP/s | 2 MatMuls on 1 device (thread), GFLOP/s |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of table) {
    lines.push(
      `| ${r.name} | ${fmt(r.matMulMs)} | ${fmt(gflops(MATMUL_FLOP, r.matMulMs))} | ${fmt(r.conv2DMs, 2)} | ${fmt(gflops(CONV_FLOP, r.conv2DMs))} | ` +
        `${fmt(gflops(2 * MATMUL_FLOP, r.twoDevMs))} | ${fmt(gflops(2 * MATMUL_FLOP, r.twoOnOneMs))} |`,
    );
  }
  const find = (name: string) => table.find((r) => r.name.startsWith(name));
  const ratio = (what: string, x: number | undefined, y: number | undefined) =>
    lines.push(`| ${what} | ${x === undefined || y === undefined ? "–" : (y / x).toFixed(2)} |`);
  const kernel = find("tfgate kernel, 1 thread");
  const e2e = find("tfgate RunStep");
  lines.push("", "| ratio (GFLOP/s over GFLOP/s) | × |", "|---|---:|");
  for (const [field, label] of [
    ["matMulMs", "MatMul"],
    ["conv2DMs", "Conv2D"],
  ] as const) {
    ratio(
      `${label}: tfgate kernel / tfjs-wasm`,
      kernel?.[field],
      find("@tensorflow/tfjs-backend-wasm")?.[field],
    );
    ratio(
      `${label}: tfgate kernel / plain-JS kernel (before)`,
      kernel?.[field],
      find("tfgate kernel, plain JS")?.[field],
    );
    ratio(
      `${label}: tfgate kernel / TF eager kernel, 1 thread`,
      kernel?.[field],
      find("TF 2.21 eager kernel, 1 thread")?.[field],
    );
    ratio(`${label}: tfgate RunStep / TF RunStep`, e2e?.[field], find("TF 2.21 RunStep")?.[field]);
  }
  ratio(
    "MatMul: tfgate kernel / numpy, 1 thread",
    kernel?.matMulMs,
    find("numpy (OpenBLAS), 1 thread")?.matMulMs,
  );
  ratio(
    `MatMul: tfgate kernel / numpy, ${os.availableParallelism()} threads`,
    kernel?.matMulMs,
    find(`numpy (OpenBLAS), ${os.availableParallelism()} threads`)?.matMulMs,
  );
  // Throughput ratio: two MatMuls in twoDevMs against one in matMulMs.
  const scale =
    e2e?.twoDevMs === undefined || e2e.matMulMs === undefined ? undefined : (2 * e2e.matMulMs) / e2e.twoDevMs;
  lines.push(`| RunStep: 2 devices / 1 device (tfgate) | ${fmt(scale, 2)} |`);
  const split =
    e2e?.twoDevMs === undefined || e2e.twoOnOneMs === undefined ? undefined : e2e.twoOnOneMs / e2e.twoDevMs;
  lines.push(`| RunStep: 2 MatMuls on 2 devices / both on 1 device (tfgate) | ${fmt(split, 2)} |`);
  const ceil = find("machine ceiling");
  const ceilRatio =
    ceil?.twoDevMs === undefined || ceil.twoOnOneMs === undefined
      ? undefined
      : ceil.twoOnOneMs / ceil.twoDevMs;
  lines.push(`| machine ceiling: kernel on 2 threads / 1 thread | ${fmt(ceilRatio, 2)} |`);
  for (const n of notes) lines.push("", `Note: ${n}`);
  console.log(lines.join("\n"));

  if (!flags["no-write"]) {
    const json = {
      started: started.toISOString(),
      rounds,
      minSeconds,
      loadavg: [load0, load1],
      table,
      raw: Object.fromEntries(results),
      notes,
    };
    const file = writeResults("gflops", json, started, 1);
    console.error(`wrote ${file}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
