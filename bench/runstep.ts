// RunStep throughput: tfgate against peers measured in the same run (docs/benchmarks.md: goals are
// ratios against peers, never timed assertions in tests).
//
//   node --import tsx bench/runstep.ts [--duration 4] [--warmup 1] [--concurrency 16] [--clients 1]
//                                      [--rounds 1] [--only grpc,echo] [--cpu-prof tfgate] [--no-tf]
//                                      [--no-write]
//
// The workload: a cached one-node graph (a scalar float Const "c"), RunStep fetching "c:0", with
// `concurrency` calls in flight per client for `duration` seconds after `warmup` seconds. Servers:
//   tfgate        the real gateway (engine included), logging silent
//   tfgate-info   the same at tfgate's default --log-level info (one log line per RPC) — gRPC only
//   tfgate-shell  tfgate's app with an injected engine returning the fixed response (tfgate − engine)
//   echo          bare Fastify + connect-fastify returning the fixed response (connect-es alone)
//   grpc-js       plain @grpc/grpc-js server returning the fixed response
//   tf            real TensorFlow 2.21 (bench/tf-peer/tf_server.py), if the venv exists
// Every peer answers with the bytes tfgate answers with (tfgate's response, decoded once and
// re-encoded per call); TF answers with its own (sizes are printed). Clients: connect-node
// (Connect JSON, Connect binary, gRPC-Web over HTTP/1.1; gRPC over h2c) and @grpc/grpc-js.
//
// Each server runs in its own child process; the load generator is this process. On a 2-core
// machine they compete for the cores, so absolute calls/s depend on both sides' costs: compare the
// ratios (same client, same run) and the server CPU time per call, which the table also shows.
//
// Results go to stdout (a Markdown table) and to bench/results/runstep-<date>.json.

import { fork, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { MasterServiceTfPath } from "../server/rpc/services.js";
import { constNode, DataType, graph, tensorValues } from "../test/support/graphs.js";
import type { ReadyMessage, ServerKind } from "./runstep-server.js";
import {
  benchDir,
  fmt,
  machineCpuMs,
  machineInfo,
  median,
  positive,
  processCpuMs,
  quantile,
  repoRoot,
  resultsDir,
  sleep,
  stopChild,
  writeResults,
} from "./support.js";

const venv = process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf");
const tfPython = join(venv, "bin", "python");
const CONST_VALUE = 42.5;
const FETCH = "c:0";

// ---------------------------------------------------------------------------------------------
// Options

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "4" },
    warmup: { type: "string", default: "1" },
    concurrency: { type: "string", default: "16" },
    clients: { type: "string", default: "1" },
    rounds: { type: "string", default: "1" },
    only: { type: "string" },
    "cpu-prof": { type: "string" },
    "no-tf": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n\n")[0]);
  process.exit(0);
}

const config = {
  durationMs: positive("duration", flags.duration) * 1000,
  warmupMs: positive("warmup", flags.warmup) * 1000,
  concurrency: positive("concurrency", flags.concurrency, true),
  clients: positive("clients", flags.clients, true),
  rounds: positive("rounds", flags.rounds, true),
  only: flags.only?.split(",").filter((s) => s !== "") ?? [],
  cpuProf: flags["cpu-prof"]?.split(",").filter((s) => s !== "") ?? [],
};

// ---------------------------------------------------------------------------------------------
// Servers

type ServerName = ServerKind | "tf";

interface RunningServer {
  readonly name: ServerName;
  readonly pid: number;
  readonly http1Port: number;
  readonly h2Port: number;
  stop(): Promise<void>;
}

const profileDir = join(resultsDir, "profiles");

function startNodeServer(kind: ServerKind, responseBase64?: string): Promise<RunningServer> {
  const execArgv = ["--import", "tsx"];
  if (config.cpuProf.includes(kind)) {
    // One directory per server, default file names: with --import tsx, Node runs the module hooks on
    // a second thread that writes its own profile (CPU.<date>.<pid>.<thread>.…); the main thread's is
    // the large one.
    const dir = join(profileDir, `${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    mkdirSync(dir, { recursive: true });
    execArgv.push("--cpu-prof", "--cpu-prof-dir", dir);
  }
  const args = responseBase64 === undefined ? [kind] : [kind, responseBase64];
  // stdout goes nowhere (tfgate-info logs a line per call there); stderr stays visible.
  const child = fork(join(benchDir, "runstep-server.ts"), args, {
    execArgv,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${kind} server exited (${code}) before it was ready`));
    child.once("exit", onExit);
    child.once("message", (message: ReadyMessage) => {
      child.off("exit", onExit);
      resolve({
        name: kind,
        pid: message.pid,
        http1Port: message.http1Port,
        h2Port: message.h2Port,
        stop: () => stopChild(child, () => child.send({ type: "stop" })),
      });
    });
  });
}

interface TfServer extends RunningServer {
  readonly version: string;
}

function startTfServer(): Promise<TfServer> {
  const child = spawn(tfPython, [join(benchDir, "tf-peer", "tf_server.py")], {
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
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match === null) return;
      child.off("exit", onExit);
      const port = Number(match[1]);
      // The version line follows READY on stderr; give it a moment.
      setTimeout(() => {
        resolve({
          name: "tf",
          pid: child.pid!,
          http1Port: port,
          h2Port: port,
          version: /TensorFlow (\S+)/.exec(stderr)?.[1] ?? "unknown",
          stop: () => stopChild(child, () => child.stdin.end()),
        });
      }, 200);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Clients

type ClientKind = "connect-json" | "connect-binary" | "grpc-web" | "grpc (connect-node)" | "grpc (grpc-js)";
const clientKinds: readonly ClientKind[] = [
  "connect-json",
  "connect-binary",
  "grpc-web",
  "grpc (connect-node)",
  "grpc (grpc-js)",
];

interface Caller {
  call(): Promise<RunStepResponse>;
  close(): void;
}

const grpcChannelOptions: grpc.ChannelOptions = {
  // One connection per client: without this grpc-js shares subchannels between clients.
  "grpc.use_local_subchannel_pool": 1,
  "grpc.enable_http_proxy": 0,
};

function grpcJsUnary<Req, Res>(
  client: grpc.Client,
  path: string,
  req: Req,
  serialize: (r: Req) => Uint8Array,
  deserialize: (b: Uint8Array) => Res,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (r: Req) => Buffer.from(serialize(r)),
      deserialize,
      req,
      (error, res) => (error ? reject(error) : resolve(res as Res)),
    );
  });
}

const serializeRunStep = (r: RunStepRequest) => toBinary(RunStepRequestSchema, r);
const deserializeRunStep = (b: Uint8Array) => fromBinary(RunStepResponseSchema, b);

/** One client (one connection, or for HTTP/1.1 one keep-alive agent) of the given kind. */
function makeCaller(kind: ClientKind, server: RunningServer, request: RunStepRequest): Caller {
  if (kind === "grpc (grpc-js)") {
    const client = new grpc.Client(
      `127.0.0.1:${server.h2Port}`,
      grpc.credentials.createInsecure(),
      grpcChannelOptions,
    );
    return {
      call: () =>
        grpcJsUnary(
          client,
          "/tensorflow.MasterService/RunStep",
          request,
          serializeRunStep,
          deserializeRunStep,
        ),
      close: () => client.close(),
    };
  }
  if (kind === "grpc (connect-node)") {
    const client = createClient(
      MasterServiceTfPath,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.h2Port}` }),
    );
    return { call: () => client.runStep(request), close: () => {} };
  }
  // HTTP/1.1 carries one call per connection at a time: `concurrency` calls in flight means that
  // many keep-alive connections, all from this client's own agent.
  const agent = new http.Agent({ keepAlive: true });
  const baseUrl = `http://127.0.0.1:${server.http1Port}`;
  const transport =
    kind === "grpc-web"
      ? createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { agent } })
      : createConnectTransport({
          baseUrl,
          httpVersion: "1.1",
          useBinaryFormat: kind === "connect-binary",
          nodeOptions: { agent },
        });
  const client = createClient(MasterServiceTfPath, transport);
  return { call: () => client.runStep(request), close: () => agent.destroy() };
}

// ---------------------------------------------------------------------------------------------
// Sessions and the fixed messages

function constGraph() {
  return graph(constNode("c", DataType.DT_FLOAT, [], [CONST_VALUE]));
}

/** CreateSession with the one-node graph over gRPC (grpc-js, TF's path); the RunStep request for it. */
async function createSession(server: RunningServer): Promise<RunStepRequest> {
  const client = new grpc.Client(
    `127.0.0.1:${server.h2Port}`,
    grpc.credentials.createInsecure(),
    grpcChannelOptions,
  );
  try {
    const created = await grpcJsUnary(
      client,
      "/tensorflow.MasterService/CreateSession",
      create(CreateSessionRequestSchema, { graphDef: constGraph() }),
      (r) => toBinary(CreateSessionRequestSchema, r),
      (b) => fromBinary(CreateSessionResponseSchema, b),
    );
    return create(RunStepRequestSchema, { sessionHandle: created.sessionHandle, fetch: [FETCH] });
  } finally {
    client.close();
  }
}

function checkResponse(res: RunStepResponse, where: string): void {
  const named = res.tensor[0];
  const value = named === undefined ? undefined : tensorValues(named.tensor)[0];
  if (named?.name !== FETCH || value !== CONST_VALUE) {
    throw new Error(`${where}: expected ${FETCH} = ${CONST_VALUE}, got ${named?.name} = ${value}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface CaseResult {
  readonly server: ServerName;
  readonly client: ClientKind;
  readonly round: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly calls: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  /** Server process CPU time per call, µs (user + system, all its threads). */
  readonly serverCpuUsPerCall: number | undefined;
  /** Server and load-generator CPU use during the window, in % of one core. */
  readonly serverCpuPercent: number | undefined;
  readonly clientCpuPercent: number;
  /**
   * CPU used during the window by everything else on the machine (other processes, the idle servers),
   * in % of one core: how much the run was disturbed. Plus time stolen by the hypervisor.
   */
  readonly otherCpuPercent: number | undefined;
  readonly stealPercent: number | undefined;
}

async function runCase(
  server: RunningServer,
  client: ClientKind,
  request: RunStepRequest,
  round: number,
): Promise<CaseResult> {
  const callers = Array.from({ length: config.clients }, () => makeCaller(client, server, request));
  try {
    checkResponse(await callers[0]!.call(), `${server.name} × ${client}`);

    let phase: "warmup" | "measure" | "stop" = "warmup";
    let latencies = new Float64Array(1 << 16);
    let calls = 0;
    let errors = 0;
    let firstError: string | undefined;
    const loop = async (caller: Caller) => {
      while (phase !== "stop") {
        const t0 = performance.now();
        try {
          await caller.call();
        } catch (error) {
          if (phase === "measure") {
            errors++;
            firstError ??= error instanceof Error ? error.message : String(error);
          }
          continue;
        }
        if (phase === "measure") {
          if (calls === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[calls++] = performance.now() - t0;
        }
      }
    };
    const loops: Promise<void>[] = [];
    for (const caller of callers) for (let i = 0; i < config.concurrency; i++) loops.push(loop(caller));

    await sleep(config.warmupMs);
    phase = "measure";
    const serverCpu0 = processCpuMs(server.pid);
    const clientCpu0 = process.cpuUsage();
    const machine0 = machineCpuMs();
    const t0 = performance.now();
    await sleep(config.durationMs);
    phase = "stop";
    const elapsedMs = performance.now() - t0;
    const serverCpu1 = processCpuMs(server.pid);
    const clientCpu = process.cpuUsage(clientCpu0);
    const machine1 = machineCpuMs();
    await Promise.all(loops);

    const sorted = latencies.slice(0, calls).sort();
    const serverCpuMs =
      serverCpu0 === undefined || serverCpu1 === undefined ? undefined : serverCpu1 - serverCpu0;
    const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
    const otherCpuMs =
      machine0 === undefined || machine1 === undefined || serverCpuMs === undefined
        ? undefined
        : Math.max(0, machine1.busy - machine0.busy - serverCpuMs - clientCpuMs);
    return {
      server: server.name,
      client,
      round,
      callsPerSecond: (calls * 1000) / elapsedMs,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      calls,
      errors,
      firstError,
      serverCpuUsPerCall: serverCpuMs === undefined || calls === 0 ? undefined : (serverCpuMs * 1000) / calls,
      serverCpuPercent: serverCpuMs === undefined ? undefined : (serverCpuMs / elapsedMs) * 100,
      clientCpuPercent: (clientCpuMs / elapsedMs) * 100,
      otherCpuPercent: otherCpuMs === undefined ? undefined : (otherCpuMs / elapsedMs) * 100,
      stealPercent:
        machine0 === undefined || machine1 === undefined
          ? undefined
          : ((machine1.steal - machine0.steal) / elapsedMs) * 100,
    };
  } finally {
    for (const caller of callers) caller.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

/** The median round of a case (by calls/s); with one round, that round. */
function medianRound(results: readonly CaseResult[]): CaseResult {
  const sorted = [...results].sort((a, b) => a.callsPerSecond - b.callsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

interface Row extends CaseResult {
  /** Errors of all rounds (the other fields are the median round's). */
  /** calls/s of every round, in run order. */
  readonly roundsCallsPerSecond: readonly number[];
}

function table(rows: readonly Row[]): string {
  const lines = [
    "| server | client | calls/s | rounds (calls/s) | p50 ms | p99 ms | server CPU µs/call | server CPU % | client CPU % | other CPU % | errors |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const r of rows) {
    const rounds = r.roundsCallsPerSecond.map((c) => c.toFixed(0)).join(", ");
    lines.push(
      `| ${r.server} | ${r.client} | ${fmt(r.callsPerSecond, 0)} | ${rounds} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ` +
        `${fmt(r.serverCpuUsPerCall, 0)} | ${fmt(r.serverCpuPercent, 0)} | ${fmt(r.clientCpuPercent, 0)} | ` +
        `${fmt(r.otherCpuPercent, 0)} | ${r.errors} |`,
    );
  }
  return lines.join("\n");
}

interface Ratio {
  readonly name: string;
  /**
   * calls/s of the first case over the second: the median over rounds of the ratio within each
   * round (the two cases ran seconds apart, so they saw the same machine), and that ratio's range.
   */
  readonly throughput: number;
  readonly throughputRange: readonly [number, number];
  /** Server CPU per call of the first over the second (how much more work each call costs), same way. */
  readonly serverCpuPerCall: number | undefined;
}

function ratios(all: readonly CaseResult[]): Ratio[] {
  const find = (server: ServerName, client: ClientKind) =>
    all.filter((r) => r.server === server && r.client === client);
  const out: Ratio[] = [];
  const add = (name: string, as: readonly CaseResult[], bs: readonly CaseResult[]) => {
    const pairs = as.flatMap((a) => {
      const b = bs.find((r) => r.round === a.round);
      return b === undefined ? [] : [[a, b] as const];
    });
    if (pairs.length === 0) return;
    const throughput = pairs.map(([a, b]) => a.callsPerSecond / b.callsPerSecond);
    const cpu = pairs.flatMap(([a, b]) =>
      a.serverCpuUsPerCall === undefined || b.serverCpuUsPerCall === undefined
        ? []
        : [a.serverCpuUsPerCall / b.serverCpuUsPerCall],
    );
    out.push({
      name,
      throughput: median(throughput),
      throughputRange: [Math.min(...throughput), Math.max(...throughput)],
      serverCpuPerCall: cpu.length === 0 ? undefined : median(cpu),
    });
  };
  for (const client of clientKinds)
    add(`tfgate / echo, ${client}`, find("tfgate", client), find("echo", client));
  for (const client of clientKinds) {
    add(`tfgate / tfgate-shell (engine), ${client}`, find("tfgate", client), find("tfgate-shell", client));
  }
  for (const client of clientKinds) {
    add(`tfgate-shell / echo (app shell), ${client}`, find("tfgate-shell", client), find("echo", client));
  }
  add(
    "tfgate / plain grpc-js, grpc (grpc-js)",
    find("tfgate", "grpc (grpc-js)"),
    find("grpc-js", "grpc (grpc-js)"),
  );
  add(
    "echo / plain grpc-js, grpc (grpc-js)",
    find("echo", "grpc (grpc-js)"),
    find("grpc-js", "grpc (grpc-js)"),
  );
  add("tfgate / real TF, grpc (grpc-js)", find("tfgate", "grpc (grpc-js)"), find("tf", "grpc (grpc-js)"));
  add(
    "tfgate / real TF, grpc (connect-node)",
    find("tfgate", "grpc (connect-node)"),
    find("tf", "grpc (connect-node)"),
  );
  add(
    "tfgate log info / silent, grpc (grpc-js)",
    find("tfgate-info", "grpc (grpc-js)"),
    find("tfgate", "grpc (grpc-js)"),
  );
  return out;
}

function ratioTable(rs: readonly Ratio[]): string {
  const lines = [
    "| ratio | calls/s (median of per-round ratios) | range over rounds | server CPU per call |",
    "|---|--:|--:|--:|",
  ];
  for (const r of rs) {
    const range = `${fmt(r.throughputRange[0], 2)}–${fmt(r.throughputRange[1], 2)}`;
    lines.push(`| ${r.name} | ${fmt(r.throughput, 2)} | ${range} | ${fmt(r.serverCpuPerCall, 2)} |`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const notes: string[] = [];
  const servers = new Map<ServerName, RunningServer>();
  const requests = new Map<ServerName, RunStepRequest>();
  let tfVersion: string | undefined;
  const stopAll = () => Promise.all([...servers.values()].map((s) => s.stop()));
  process.once("SIGINT", () => {
    void stopAll().then(() => process.exit(130));
  });

  try {
    // tfgate first: its session gives the request, its first response the bytes every peer answers with.
    const tfgate = await startNodeServer("tfgate");
    servers.set("tfgate", tfgate);
    const request = await createSession(tfgate);
    const probe = createClient(
      MasterServiceTfPath,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${tfgate.h2Port}` }),
    );
    const response = await probe.runStep(request);
    checkResponse(response, "tfgate");
    const responseBytes = toBinary(RunStepResponseSchema, response);
    const responseBase64 = Buffer.from(responseBytes).toString("base64");
    const sizes: Record<string, { request: number; response: number }> = {
      tfgate: { request: toBinary(RunStepRequestSchema, request).length, response: responseBytes.length },
    };
    requests.set("tfgate", request);

    const info = await startNodeServer("tfgate-info");
    servers.set("tfgate-info", info);
    requests.set("tfgate-info", await createSession(info));
    for (const kind of ["tfgate-shell", "echo", "grpc-js"] as const) {
      servers.set(kind, await startNodeServer(kind, responseBase64));
      requests.set(kind, request);
    }

    if (flags["no-tf"]) {
      notes.push("real TensorFlow peer skipped (--no-tf)");
    } else if (!existsSync(tfPython)) {
      notes.push(`real TensorFlow peer skipped: no venv (run scripts/setup-tf.sh; looked for ${tfPython})`);
    } else {
      const tf = await startTfServer();
      servers.set("tf", tf);
      tfVersion = tf.version;
      const tfRequest = await createSession(tf);
      requests.set("tf", tfRequest);
      const caller = makeCaller("grpc (grpc-js)", tf, tfRequest);
      const tfResponse = await caller.call();
      caller.close();
      checkResponse(tfResponse, "tf");
      sizes.tf = {
        request: toBinary(RunStepRequestSchema, tfRequest).length,
        response: toBinary(RunStepResponseSchema, tfResponse).length,
      };
    }

    // Which server × client pairs run. Peers interleave with tfgate per client, so slow drift of the
    // machine hits all of them alike.
    const plan: [ServerName, ClientKind][] = [];
    for (const client of clientKinds) {
      for (const server of ["echo", "tfgate-shell", "tfgate"] as const) plan.push([server, client]);
      if (client.startsWith("grpc (")) {
        plan.push(["grpc-js", client]);
        if (servers.has("tf")) plan.push(["tf", client]);
      }
    }
    plan.push(["tfgate-info", "grpc (grpc-js)"]);
    const selected = plan.filter(
      ([server, client]) =>
        config.only.length === 0 ||
        config.only.some((o) => server === o || client === o || `${server} × ${client}`.includes(o)),
    );

    const cores = os.cpus();
    console.log(
      `RunStep benchmark: ${selected.length} cases × ${config.rounds} round(s), ` +
        `${config.clients} client(s) × ${config.concurrency} in flight, ` +
        `${config.warmupMs / 1000} s warm-up + ${config.durationMs / 1000} s each`,
    );
    console.log(
      `machine: ${cores.length} × ${cores[0]?.model ?? "?"}, Node ${process.version}` +
        (tfVersion === undefined ? "" : `, TensorFlow ${tfVersion}`),
    );
    console.log(
      `message sizes (bytes, protobuf): tfgate request ${sizes.tfgate!.request} / response ${sizes.tfgate!.response}` +
        (sizes.tf === undefined
          ? ""
          : `; real TF request ${sizes.tf.request} / response ${sizes.tf.response}`),
    );
    if (cores.length <= 2) {
      const note =
        `only ${cores.length} cores: the load generator (this process) and the server under test compete ` +
        "for them, so calls/s measure client + server cost together; compare ratios and server CPU µs/call.";
      notes.push(note);
      console.log(`note: ${note}`);
    }
    for (const note of notes) if (!note.startsWith("only")) console.log(`note: ${note}`);
    console.log();

    const all: CaseResult[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      for (const [serverName, client] of selected) {
        const server = servers.get(serverName)!;
        const result = await runCase(server, client, requests.get(serverName)!, round);
        all.push(result);
        console.log(
          `  [${round}/${config.rounds}] ${serverName.padEnd(12)} ${client.padEnd(20)} ` +
            `${fmt(result.callsPerSecond, 0).padStart(6)} calls/s  p50 ${fmt(result.p50Ms, 2)} ms  ` +
            `p99 ${fmt(result.p99Ms, 2)} ms  server ${fmt(result.serverCpuUsPerCall, 0)} µs/call  ` +
            `other load ${fmt(result.otherCpuPercent, 0)}%` +
            (result.errors > 0 ? `  ERRORS ${result.errors}: ${result.firstError}` : ""),
        );
      }
    }

    const rows: Row[] = selected.map(([server, client]) => {
      const rounds = all.filter((r) => r.server === server && r.client === client);
      // The median round's figures, but errors summed over all rounds (an error is never noise).
      return {
        ...medianRound(rounds),
        errors: rounds.reduce((n, r) => n + r.errors, 0),
        firstError: rounds.find((r) => r.firstError !== undefined)?.firstError,
        roundsCallsPerSecond: rounds.map((r) => r.callsPerSecond),
      };
    });
    const rs = ratios(all);
    console.log();
    console.log(table(rows));
    console.log();
    console.log(ratioTable(rs));

    if (!flags["no-write"]) {
      const json = {
        benchmark: "runstep",
        date: new Date().toISOString(),
        machine: { ...machineInfo(), tensorflow: tfVersion ?? null },
        config: { ...config, fetch: FETCH, graph: "one scalar float Const" },
        sizes,
        notes,
        results: rows,
        rounds: all,
        ratios: rs,
      };
      const file = writeResults("runstep", json);
      console.log(`\nwrote ${file}`);
    }
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
