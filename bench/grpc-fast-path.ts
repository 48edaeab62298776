// Small-call throughput of tfgate's fast paths (server/rpc/grpc-unary.ts for gRPC,
// server/rpc/web-unary.ts for Connect and gRPC-Web) against TensorFlow's own server and against
// tfgate without them, all three measured in the same run with one
// independent load generator (h2load, nghttp2's C client), so the ratios hold on a shared machine.
//
//   node --import tsx bench/grpc-fast-path.ts [--requests 20000] [--warmup 5000] [--clients 4]
//                                             [--streams 16] [--rounds 2] [--no-tf] [--cpu-prof]
//                                             [--only "grpc h2c,connect h2c"] [--no-write]
//
// Servers (each its own process): tfgate (defaults: the fast paths on), tfgate-connect-only
// (--no-fast-path: every call through Fastify + connect-es) and TF 2.21's
// tf.distribute.Server (bench/tf-peer/tf_server.py). Each gets a session with a one-node graph (a
// scalar float Const "c") and the same RunStep fetching "c:0" is sent `requests` times over
// `clients` connections with `streams` calls in flight on each:
//   grpc h2c          application/grpc, every server
//   connect h2c       application/proto (Connect unary, binary), tfgate only
//   connect http/1.1  the same over HTTP/1.1 (clients × streams connections, one call at a time)
//   grpc-web http/1.1 application/grpc-web+proto, tfgate only
//   connect-json http/1.1 application/json, tfgate only
// One call per workload is checked first (status, and the fetched value) with node's own client,
// then `warmup` calls (unmeasured) let V8 compile the hot paths.
// Reported per workload and server: calls/s (h2load's), server CPU ms per call (/proc/<pid>/stat
// before and after, all threads), and both as ratios to TF's gRPC numbers of the same round.
// Results: stdout (Markdown) and bench/results/grpc-fast-path-<date>.json.

import { type ChildProcess, execFile, fork, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { create, fromBinary, toBinary, toJsonString } from "@bufbuild/protobuf";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  RunStepRequestSchema,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { constNode, DataType, graph, tensorValues } from "../test/support/graphs.js";
import type { ReadyMessage } from "./runstep-server.js";
import {
  benchDir,
  fmt,
  machineInfo,
  median,
  positive,
  processCpuMs,
  repoRoot,
  resultsDir,
  stopChild,
  writeResults,
} from "./support.js";

const { values: flags } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    warmup: { type: "string", default: "5000" },
    clients: { type: "string", default: "4" },
    streams: { type: "string", default: "16" },
    rounds: { type: "string", default: "2" },
    only: { type: "string" },
    "no-tf": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const config = {
  requests: positive("requests", flags.requests, true),
  warmup: positive("warmup", flags.warmup, true),
  clients: positive("clients", flags.clients, true),
  streams: positive("streams", flags.streams, true),
  rounds: positive("rounds", flags.rounds, true),
};
const tfPython = join(process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf"), "bin", "python");
const CONST_VALUE = 42.5;

type ServerName = "tfgate" | "tfgate-connect-only" | "tf";
interface Server {
  readonly name: ServerName;
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

function startTfgate(kind: "tfgate" | "tfgate-connect-only"): Promise<Server> {
  const execArgv = ["--import", "tsx"];
  if (flags["cpu-prof"]) {
    const dir = join(resultsDir, "profiles", `${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    mkdirSync(dir, { recursive: true });
    execArgv.push("--cpu-prof", "--cpu-prof-dir", dir);
    console.error(`${kind}: CPU profile in ${dir} (bench/cpuprofile-top.ts reads it)`);
  }
  const child = fork(join(benchDir, "runstep-server.ts"), [kind], {
    execArgv,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return readyChild(kind, child);
}

function readyChild(kind: "tfgate" | "tfgate-connect-only", child: ChildProcess): Promise<Server> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${kind} exited (${code}) before it was ready`));
    child.once("exit", onExit);
    child.once("message", (message: ReadyMessage) => {
      child.off("exit", onExit);
      resolve({
        name: kind,
        pid: message.pid,
        port: message.h2Port,
        stop: () => stopChild(child, () => child.send({ type: "stop" })),
      });
    });
  });
}

function startTf(): Promise<Server> {
  const child = spawn(tfPython, [join(benchDir, "tf-peer", "tf_server.py")], {
    stdio: ["pipe", "pipe", "inherit"],
    // gRPC C-core honours http(s)_proxy; a loopback peer must never go through a proxy.
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" },
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`tf_server.py exited (${code}) before READY`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match === null) return;
      resolve({
        name: "tf",
        pid: child.pid ?? 0,
        port: Number(match[1]),
        stop: () => stopChild(child, () => child.stdin.end()),
      });
    });
  });
}

const frame = (message: Uint8Array): Buffer => {
  const f = Buffer.alloc(5 + message.length);
  f.writeUInt32BE(message.length, 1);
  f.set(message, 5);
  return f;
};

/** One gRPC call with node's client: the response message, or an error naming the status. */
async function grpcCall(port: number, path: string, body: Buffer): Promise<Buffer> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": path,
        "content-type": "application/grpc",
        te: "trailers",
      });
      const chunks: Buffer[] = [];
      let status: unknown;
      stream.on("response", (h) => {
        status = h["grpc-status"];
      });
      stream.on("trailers", (t) => {
        status = t["grpc-status"] ?? status;
      });
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("error", reject);
      stream.on("close", () =>
        status === "0"
          ? resolve(Buffer.concat(chunks).subarray(5))
          : reject(new Error(`${path}: grpc-status ${status}`)),
      );
      stream.end(body);
    });
  } finally {
    session.close();
  }
}

interface Workload {
  readonly name: string;
  readonly servers: readonly ServerName[];
  readonly h1: boolean;
  readonly contentType: string;
  body(handle: string): Buffer;
  check(port: number, body: Buffer): Promise<void>;
}

const runStepBytes = (handle: string) =>
  toBinary(RunStepRequestSchema, create(RunStepRequestSchema, { sessionHandle: handle, fetch: ["c:0"] }));

function checkValue(message: Uint8Array, where: string): void {
  const res = fromBinary(RunStepResponseSchema, message);
  const value = tensorValues(res.tensor[0]?.tensor)[0];
  if (value !== CONST_VALUE) throw new Error(`${where}: c:0 = ${value}, expected ${CONST_VALUE}`);
}

async function h1Post(
  port: number,
  contentType: string,
  body: Buffer,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/tensorflow.MasterService/RunStep",
        headers: { "content-type": contentType },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const allWorkloads: readonly Workload[] = [
  {
    name: "grpc h2c",
    servers: ["tfgate", "tfgate-connect-only", "tf"],
    h1: false,
    contentType: "application/grpc",
    body: (handle) => frame(runStepBytes(handle)),
    check: async (port, body) =>
      checkValue(await grpcCall(port, "/tensorflow.MasterService/RunStep", body), "grpc"),
  },
  {
    name: "connect h2c",
    servers: ["tfgate", "tfgate-connect-only"],
    h1: false,
    contentType: "application/proto",
    body: (handle) => Buffer.from(runStepBytes(handle)),
    check: async (port, body) => {
      const session = http2.connect(`http://127.0.0.1:${port}`);
      const answer = await new Promise<Buffer>((resolve, reject) => {
        const stream = session.request({
          ":method": "POST",
          ":path": "/tensorflow.MasterService/RunStep",
          "content-type": "application/proto",
        });
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", reject);
        stream.on("close", () => resolve(Buffer.concat(chunks)));
        stream.end(body);
      });
      session.close();
      checkValue(answer, "connect h2c");
    },
  },
  {
    name: "connect http/1.1",
    servers: ["tfgate", "tfgate-connect-only"],
    h1: true,
    contentType: "application/proto",
    body: (handle) => Buffer.from(runStepBytes(handle)),
    check: async (port, body) =>
      checkValue((await h1Post(port, "application/proto", body)).body, "connect http/1.1"),
  },
  {
    name: "grpc-web http/1.1",
    servers: ["tfgate", "tfgate-connect-only"],
    h1: true,
    contentType: "application/grpc-web+proto",
    body: (handle) => frame(runStepBytes(handle)),
    check: async (port, body) => {
      const answer = (await h1Post(port, "application/grpc-web+proto", body)).body;
      checkValue(answer.subarray(5, 5 + answer.readUInt32BE(1)), "grpc-web");
    },
  },
  {
    name: "connect-json http/1.1",
    servers: ["tfgate", "tfgate-connect-only"],
    h1: true,
    contentType: "application/json",
    body: (handle) =>
      Buffer.from(
        toJsonString(
          RunStepRequestSchema,
          create(RunStepRequestSchema, { sessionHandle: handle, fetch: ["c:0"] }),
        ),
      ),
    check: async (port, body) => {
      const answer = await h1Post(port, "application/json", body);
      if (answer.status !== 200 || !answer.body.toString().includes("c:0"))
        throw new Error(`connect-json: ${answer.status}`);
    },
  },
];

const only = flags.only?.split(",").map((name) => name.trim());
const workloads = allWorkloads.filter((w) => only === undefined || only.includes(w.name));

async function createSession(server: Server): Promise<string> {
  const request = create(CreateSessionRequestSchema, {
    graphDef: graph(constNode("c", DataType.DT_FLOAT, [], [CONST_VALUE])),
  });
  const answer = await grpcCall(
    server.port,
    "/tensorflow.MasterService/CreateSession",
    frame(toBinary(CreateSessionRequestSchema, request)),
  );
  return fromBinary(CreateSessionResponseSchema, answer).sessionHandle;
}

interface Measurement {
  readonly workload: string;
  readonly server: ServerName;
  readonly round: number;
  readonly callsPerSecond: number;
  readonly cpuMsPerCall: number;
  readonly failed: number;
}

/** Runs h2load once; returns its req/s and the failed count, or throws with its output. */
function h2load(
  port: number,
  workload: Workload,
  bodyFile: string,
  requests = config.requests,
): Promise<{ rps: number; failed: number }> {
  const connections = workload.h1 ? config.clients * config.streams : config.clients;
  const args = [
    "-n",
    String(requests),
    "-c",
    String(connections),
    "-m",
    String(workload.h1 ? 1 : config.streams),
    "-d",
    bodyFile,
    "-H",
    `content-type: ${workload.contentType}`,
    ...(workload.contentType === "application/grpc" ? ["-H", "te: trailers"] : []),
    ...(workload.h1 ? ["--h1"] : []),
    `http://127.0.0.1:${port}/tensorflow.MasterService/RunStep`,
  ];
  return new Promise((resolve, reject) => {
    execFile("h2load", args, { maxBuffer: 1 << 20 }, (error, stdout) => {
      const rps = /finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(stdout)?.[1];
      const failed = /requests: .* (\d+) failed, (\d+) errored/.exec(stdout);
      if (error !== null || rps === undefined || failed === null) {
        reject(new Error(`h2load ${args.join(" ")} failed: ${error?.message ?? ""}\n${stdout}`));
        return;
      }
      resolve({ rps: Number(rps), failed: Number(failed[1]) + Number(failed[2]) });
    });
  });
}

async function measure(
  server: Server,
  workload: Workload,
  bodyFile: string,
  round: number,
): Promise<Measurement> {
  const before = processCpuMs(server.pid);
  const { rps, failed } = await h2load(server.port, workload, bodyFile);
  const cpuMs = (processCpuMs(server.pid) ?? 0) - (before ?? 0);
  return {
    workload: workload.name,
    server: server.name,
    round,
    callsPerSecond: rps,
    cpuMsPerCall: cpuMs / config.requests,
    failed,
  };
}

// long-function: the benchmark's one sequence (start, sessions, check, rounds, table, stop); each step is short.
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tfgate-grpc-fast-path-"));
  const servers: Server[] = [];
  try {
    servers.push(await startTfgate("tfgate"), await startTfgate("tfgate-connect-only"));
    if (!flags["no-tf"]) servers.push(await startTf());
    const bodies = new Map<string, string>();
    for (const server of servers) {
      const handle = await createSession(server);
      for (const workload of workloads.filter((w) => w.servers.includes(server.name))) {
        const file = join(dir, `${server.name}-${workload.name.replace(/\W+/g, "-")}.bin`);
        writeFileSync(file, workload.body(handle));
        await workload.check(server.port, workload.body(handle));
        await h2load(server.port, workload, file, config.warmup);
        bodies.set(`${server.name}/${workload.name}`, file);
      }
    }
    const results: Measurement[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      for (const workload of workloads) {
        for (const server of servers.filter((s) => workload.servers.includes(s.name))) {
          const m = await measure(
            server,
            workload,
            bodies.get(`${server.name}/${workload.name}`) ?? "",
            round,
          );
          results.push(m);
          console.error(
            `round ${round} ${workload.name} ${server.name}: ${fmt(m.callsPerSecond, 0)} calls/s, ${fmt(m.cpuMsPerCall * 1000, 1)} µs CPU/call`,
          );
        }
      }
    }
    report(results);
  } finally {
    for (const server of servers) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(results: readonly Measurement[]): void {
  const tfRounds = new Map(results.filter((m) => m.server === "tf").map((m) => [m.round, m]));
  const rows = [];
  for (const workload of workloads) {
    for (const server of ["tfgate", "tfgate-connect-only", "tf"] as const) {
      const ms = results.filter((m) => m.workload === workload.name && m.server === server);
      if (ms.length === 0) continue;
      const speed = ms.map((m) => m.callsPerSecond / (tfRounds.get(m.round)?.callsPerSecond ?? Number.NaN));
      const cpu = ms.map((m) => m.cpuMsPerCall / (tfRounds.get(m.round)?.cpuMsPerCall ?? Number.NaN));
      rows.push({
        workload: workload.name,
        server,
        callsPerSecond: median(ms.map((m) => m.callsPerSecond)),
        cpuUsPerCall: median(ms.map((m) => m.cpuMsPerCall * 1000)),
        callsPerSecondVsTfGrpc: median(speed),
        cpuPerCallVsTfGrpc: median(cpu),
        failed: ms.reduce((n, m) => n + m.failed, 0),
      });
    }
  }
  console.log(
    `\nRunStep of a cached scalar Const; h2load -n ${config.requests} -c ${config.clients} -m ${config.streams}`,
  );
  console.log(
    "(HTTP/1.1 rows: clients × streams connections, one call each at a time); medians over rounds.\n",
  );
  console.log(
    "| workload | server | calls/s | server CPU µs/call | calls/s ÷ TF gRPC | CPU/call ÷ TF gRPC | failed |",
  );
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.workload} | ${r.server} | ${fmt(r.callsPerSecond, 0)} | ${fmt(r.cpuUsPerCall, 1)} | ${fmt(r.callsPerSecondVsTfGrpc, 2)} | ${fmt(r.cpuPerCallVsTfGrpc, 2)} | ${r.failed} |`,
    );
  }
  if (!flags["no-write"]) {
    const path = writeResults("grpc-fast-path", { machine: machineInfo(), config, results, rows });
    console.log(`\nwritten: ${path}`);
  }
}

await main();
