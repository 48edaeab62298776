// Tensor bytes through tfgate: how fast feeds and fetches cross the gateway, against memcpy and
// against TensorFlow's own server measured in the same run (docs/benchmarks.md, "Tensor bytes").
//
//   node --import tsx bench/tensor-bytes.ts [--reps 15] [--mib 64] [--only engine,step,fetch]
//                                           [--no-tf] [--label after] [--no-write]
//                                           [--cpu-prof <dir>]  (tfgate's server profiles, for
//                                                                bench/cpuprofile-top.ts)
//
// (a) engine   no network: a Master with worker threads (the default engine) in this process.
//              Request → worker: a step feeding x (float32) and fetching Size(x), which reads only
//              the shape; worker → response: a step fetching Identity(v) of a variable holding
//              the tensor, up to the RunStepResponse message the transport encodes; and the first
//              step again with the request body in shared memory (a transport that receives into
//              a SharedArrayBuffer: the feed is adopted, docs/architecture.md); and the first step
//              once more as the gRPC fast path receives it: the framed request cut into the chunks
//              Node's HTTP/2 session delivers (16 KiB DATA frames within 64 KiB socket reads),
//              gathered by the transport's own BodyReader into requestBodyPool memory, stepped, and
//              that memory given back as after the answer is written; the gather alone too. Bytes/s
//              per direction = tensor bytes / (median step time at --mib − median at 4 bytes). The
//              peers: memcpy of the same bytes into existing memory and into fresh shared memory,
//              the gather from a pool with room for the body, and protobuf-es's toBinary of the
//              response (what connect-es does with it today).
// (b) step     end to end over gRPC, one call at a time: RunStep feeding 4 MiB of float32 and
//              fetching Neg(x), tfgate against TF 2.21's tf.distribute.Server (bench/tf-peer/
//              tf_server.py), the same @grpc/grpc-js client sending the same prebuilt request
//              bytes. Median and p90 wall time, server CPU per step.
// (c) fetch    end to end: fetching a --mib float32 variable with curl (a C client: HTTP/2 prior
//              knowledge, a prebuilt gRPC-framed request) and with grpc-js; MiB/s = tensor bytes /
//              median time. While curl runs, this process calls ListDevices every 5 ms and
//              reports its p50/p99: the server's event loop must not stall.
//
// Servers run in child processes (bench/runstep-server.ts "tfgate", and TF). On a shared machine
// absolute numbers wander: compare ratios within one run. Results go to stdout and to
// bench/results/tensor-bytes[-<label>]-<date>.json.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  ListDevicesRequestSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { SharedMemoryPool } from "../server/engine/framework/shared-memory-pool.js";
import type { CallMemory } from "../server/engine/master/call-memory.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { requestBodyPool } from "../server/rpc/body-pool.js";
import { BodyReader } from "../server/rpc/grpc-unary.js";
import { BodyGather, feedContentPaths } from "../server/rpc/shared-body.js";
import { attr } from "../test/support/attr.js";
import { DataType, graph, node } from "../test/support/graphs.js";
import { fmt, machineInfo, median, positive, processCpuMs, quantile, writeResults } from "./support.js";
import { type RunningPeer, startPeers } from "./tensor-bytes-peers.js";

const run = promisify(execFile);
const F = DataType.DT_FLOAT;
const MiB = 1024 * 1024;

const { values: flags } = parseArgs({
  options: {
    reps: { type: "string", default: "15" },
    mib: { type: "string", default: "64" },
    only: { type: "string" },
    label: { type: "string" },
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
const reps = positive("reps", flags.reps, true);
const bigBytes = positive("mib", flags.mib) * MiB;
const only = new Set(flags.only?.split(",") ?? ["engine", "step", "fetch"]);

// ---------------------------------------------------------------------------------------------
// Graphs and requests

const placeholder = (name: string): NodeDef =>
  node(name, "Placeholder", { attrs: { dtype: attr.type(F), shape: attr.shape(undefined) } });

/** x → Size(x) (reads the shape only); x → Neg(x); a variable v of `elements` set from x, read by Identity. */
function benchGraph(elements: number): NodeDef[] {
  return [
    placeholder("x"),
    node("size", "Size", {
      inputs: ["x"],
      attrs: { T: attr.type(F), out_type: attr.type(DataType.DT_INT32) },
    }),
    node("neg", "Neg", { inputs: ["x"], attrs: { T: attr.type(F) } }),
    // Variables are shared by name across sessions (TF's default container): one name per size.
    node("v", "VariableV2", {
      attrs: { dtype: attr.type(F), shape: attr.shape([elements]), shared_name: attr.string(`v${elements}`) },
    }),
    node("assign", "Assign", { inputs: ["v", "x"], attrs: { T: attr.type(F) } }),
    node("read", "Identity", { inputs: ["v"], attrs: { T: attr.type(F) } }),
  ];
}

function floats(bytes: number): Uint8Array {
  const x = new Float32Array(bytes / 4);
  for (let i = 0; i < x.length; i++) x[i] = (i % 1000) - 500;
  return new Uint8Array(x.buffer);
}

function runStep(session: string, fetch: string, feed?: Uint8Array): RunStepRequest {
  return create(RunStepRequestSchema, {
    sessionHandle: session,
    fetch: [fetch],
    feed:
      feed === undefined
        ? []
        : [
            {
              name: "x:0",
              tensor: {
                dtype: F,
                tensorShape: { dim: [{ size: BigInt(feed.length / 4) }] },
                tensorContent: feed,
              },
            },
          ],
  });
}

/** The request as a transport hands it to the engine: decoded from its own buffer. */
const asReceived = (req: RunStepRequest) =>
  fromBinary(RunStepRequestSchema, toBinary(RunStepRequestSchema, req));

// ---------------------------------------------------------------------------------------------
// (a) the engine alone

interface Timing {
  readonly medianMs: number;
  readonly cpuMsPerStep: number;
}

async function timeSteps(f: () => Promise<unknown>): Promise<Timing> {
  await f();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { medianMs: median(times), cpuMsPerStep: (cpu.user + cpu.system) / 1000 / reps };
}

function timeSync(f: () => unknown): Timing {
  f();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { medianMs: median(times), cpuMsPerStep: (cpu.user + cpu.system) / 1000 / reps };
}

async function engineSession(m: Master, elements: number): Promise<string> {
  const res = await m.createSession(
    create(CreateSessionRequestSchema, { graphDef: graph(...benchGraph(elements)) }),
  );
  return res.sessionHandle;
}

// long-function: one linear measurement script (sessions, the two directions, the peers), printed as it goes.
async function engineBench() {
  const m = createMaster({ maxTensorBytes: 2 * bigBytes });
  try {
    const big = floats(bigBytes);
    const small = floats(4);
    const bigSession = await engineSession(m, big.length / 4);
    const smallSession = await engineSession(m, 1);
    // Requests are decoded once per step from their own bytes, as a transport would.
    const feedBig = toBinary(RunStepRequestSchema, runStep(bigSession, "size:0", big));
    const feedSmall = toBinary(RunStepRequestSchema, runStep(smallSession, "size:0", small));
    const inBig = await timeSteps(() => m.runStep(fromBinary(RunStepRequestSchema, feedBig)));
    const inSmall = await timeSteps(() => m.runStep(fromBinary(RunStepRequestSchema, feedSmall)));
    // A transport that receives the body into shared memory: the feed is adopted, not copied.
    const sharedBody = inSharedMemory(feedBig);
    const inShared = await timeSteps(() => m.runStep(fromBinary(RunStepRequestSchema, sharedBody)));
    const pooled = await pooledBodyBench(m, feedBig, feedSmall);
    await m.runStep(asReceived(runStep(bigSession, "assign:0", big)));
    await m.runStep(asReceived(runStep(smallSession, "assign:0", small)));
    const outBig = await timeSteps(() => m.runStep(runStep(bigSession, "read:0")));
    const outSmall = await timeSteps(() => m.runStep(runStep(smallSession, "read:0")));
    const response = await m.runStep(runStep(bigSession, "read:0"));
    const got = response.tensor[0]?.tensor?.tensorContent;
    if (got === undefined || !Buffer.from(got).equals(Buffer.from(big)))
      throw new Error("engine: wrong fetch");
    const encode = timeSync(() => toBinary(RunStepResponseSchema, response));
    const existing = new Uint8Array(new SharedArrayBuffer(bigBytes));
    const memcpy = timeSync(() => existing.set(big));
    const fresh = timeSync(() => new Uint8Array(new SharedArrayBuffer(bigBytes)).set(big));
    const rate = (ms: number) => bigBytes / MiB / (ms / 1000);
    const result = {
      tensorMiB: bigBytes / MiB,
      requestToWorker: { ...stepDelta(inBig, inSmall), MiBps: rate(inBig.medianMs - inSmall.medianMs) },
      requestToWorkerShared: {
        ...stepDelta(inShared, inSmall),
        MiBps: rate(inShared.medianMs - inSmall.medianMs),
      },
      requestChunksPooled: {
        ...stepDelta(pooled.inBig, pooled.inSmall),
        MiBps: rate(pooled.inBig.medianMs - pooled.inSmall.medianMs),
        chunks: pooled.chunks,
        pool: pooled.pool,
      },
      gatherPooled: {
        ms: pooled.gather.medianMs,
        cpuMs: pooled.gather.cpuMsPerStep,
        MiBps: rate(pooled.gather.medianMs),
      },
      gatherRoomyPool: {
        ms: pooled.gatherRoomy.medianMs,
        cpuMs: pooled.gatherRoomy.cpuMsPerStep,
        MiBps: rate(pooled.gatherRoomy.medianMs),
      },
      workerToResponse: { ...stepDelta(outBig, outSmall), MiBps: rate(outBig.medianMs - outSmall.medianMs) },
      protobufEsEncode: { ms: encode.medianMs, cpuMs: encode.cpuMsPerStep, MiBps: rate(encode.medianMs) },
      memcpyExisting: { ms: memcpy.medianMs, cpuMs: memcpy.cpuMsPerStep, MiBps: rate(memcpy.medianMs) },
      memcpyFreshShared: { ms: fresh.medianMs, cpuMs: fresh.cpuMsPerStep, MiBps: rate(fresh.medianMs) },
    };
    console.log(`\n(a) engine, ${bigBytes / MiB} MiB float32, no network (median of ${reps})`);
    console.log("| path | ms | MiB/s | process CPU ms |");
    console.log("|---|---:|---:|---:|");
    // A difference within the noise (under 1 ms) means no cost that grows with the tensor's bytes.
    const row = (name: string, ms: number, cpu?: number) =>
      console.log(
        `| ${name} | ${fmt(ms, 2)} | ${ms > 1 ? fmt(rate(ms), 0) : "no per-byte cost"} | ${cpu === undefined ? "" : fmt(cpu, 1)} |`,
      );
    row("request → worker (step − 4-byte step)", result.requestToWorker.ms, result.requestToWorker.cpuMs);
    row(
      "request → worker, body in shared memory (adopted)",
      result.requestToWorkerShared.ms,
      result.requestToWorkerShared.cpuMs,
    );
    const { requestChunksPooled: viaPool } = result;
    row("request chunks → pooled body → worker (step − 4-byte step)", viaPool.ms, viaPool.cpuMs);
    row("gather alone: chunks → requestBodyPool memory", pooled.gather.medianMs, pooled.gather.cpuMsPerStep);
    row(
      "gather alone, from a pool with room for the body",
      pooled.gatherRoomy.medianMs,
      pooled.gatherRoomy.cpuMsPerStep,
    );
    row(
      "worker → RunStepResponse (step − 4-byte step)",
      result.workerToResponse.ms,
      result.workerToResponse.cpuMs,
    );
    row("protobuf-es toBinary of that response", encode.medianMs, encode.cpuMsPerStep);
    row("memcpy into existing memory", memcpy.medianMs, memcpy.cpuMsPerStep);
    row("memcpy into fresh shared memory", fresh.medianMs, fresh.cpuMsPerStep);
    const { chunks, pool } = pooled;
    console.log(
      `${chunks.count} chunks of ${chunks.meanBytes} bytes on average; body memory: ${pool.bodyBuffers} buffers in ${pool.steps} steps (engine said reusable: ${pool.reusable}), ${pool.gatherBuffers} in ${pool.gathers} gathers alone`,
    );
    return result;
  } finally {
    await m.close();
  }
}

/** The request's bytes in a SharedArrayBuffer, placed so that its tensor_content is 4-byte aligned. */
function inSharedMemory(body: Uint8Array): Uint8Array {
  const at = fromBinary(RunStepRequestSchema, body).feed[0]?.tensor?.tensorContent.byteOffset ?? 0;
  const shift = (4 - (at % 4)) % 4;
  const shared = new Uint8Array(new SharedArrayBuffer(body.length + shift), shift, body.length);
  shared.set(body);
  return shared;
}

// ---------------------------------------------------------------------------------------------
// (a) continued: the request body as the gRPC fast path gathers it

/** Node's HTTP/2 client (grpc-js, connect-node) sends 16 KiB DATA frames; Node's session reads 64 KiB. */
const dataFrameBytes = 16 * 1024;
const socketReadBytes = 64 * 1024;
const frameHeaderBytes = 9;
const runStepFeedPath = feedContentPaths["tensorflow.RunStepRequest"];

/**
 * `body` as Node's HTTP/2 session hands it to a server stream: one chunk per DATA frame payload
 * within one socket read, so a frame straddling two reads comes as two chunks (a Node client's
 * 64 MiB body, counted: 5,121 chunks, 16,384 bytes or the two parts of one).
 */
function http2Chunks(body: Uint8Array): Buffer[] {
  const chunks: Buffer[] = [];
  let wire = 0;
  for (let at = 0; at < body.length; ) {
    wire += frameHeaderBytes;
    const frameEnd = Math.min(at + dataFrameBytes, body.length);
    while (at < frameEnd) {
      const n = Math.min(frameEnd - at, socketReadBytes - (wire % socketReadBytes));
      chunks.push(Buffer.from(body.buffer, body.byteOffset + at, n));
      at += n;
      wire += n;
    }
  }
  return chunks;
}

/** The request as one gRPC frame: flags 0, big-endian length, message. */
function grpcFramed(message: Uint8Array): Uint8Array {
  const framed = new Uint8Array(5 + message.length);
  new DataView(framed.buffer).setUint32(1, message.length);
  framed.set(message, 5);
  return framed;
}

/** The chunks gathered as rpc/grpc-unary.ts does: BodyReader (BodyGather with requestBodyPool). */
function gathered(chunks: readonly Buffer[]): BodyReader {
  const body = new BodyReader(2 ** 32, runStepFeedPath);
  for (const chunk of chunks) if (body.push(chunk) !== undefined) throw new Error("body refused");
  return body;
}

/**
 * RunStep as the gRPC fast path serves it, minus the socket: gather, decode, step with a
 * CallMemory, then what rpc/unary-call.ts's afterAnswer does once the answer is written (the body
 * back to the pool when the engine allows). `seen` collects the body memory each call used.
 */
async function pooledStep(m: Master, chunks: readonly Buffer[], seen: Set<SharedArrayBuffer>) {
  const body = gathered(chunks);
  const memory = body.pooledMemory();
  if (memory !== undefined) seen.add(memory);
  const callMemory: CallMemory = { reusable: false, returnFetches: undefined };
  await m.runStep(fromBinary(RunStepRequestSchema, await body.message(null, 2 ** 32)), { callMemory });
  if (memory !== undefined && callMemory.reusable) requestBodyPool.give(memory);
  callMemory.returnFetches?.();
  return callMemory.reusable;
}

/**
 * The pooled path's steps at both sizes, its gather alone (chunks → requestBodyPool memory, given
 * back each time), and the same gather from a pool with room for this body, which shows what reuse
 * would give should requestBodyPool not keep it (bodyPoolIdleBytes).
 */
async function pooledBodyBench(m: Master, big: Uint8Array, small: Uint8Array) {
  const bigChunks = http2Chunks(grpcFramed(big));
  const smallChunks = http2Chunks(grpcFramed(small));
  const seen = new Set<SharedArrayBuffer>();
  const reusable = await pooledStep(m, bigChunks, seen);
  const inBig = await timeSteps(() => pooledStep(m, bigChunks, seen));
  const inSmall = await timeSteps(() => pooledStep(m, smallChunks, new Set()));
  const gatherSeen = new Set<SharedArrayBuffer>();
  const gather = timeSync(() => {
    const memory = gathered(bigChunks).pooledMemory()!;
    gatherSeen.add(memory);
    requestBodyPool.give(memory);
  });
  const roomy = new SharedMemoryPool(4 * big.length);
  const gatherRoomy = timeSync(() => {
    const body = new BodyGather(5, runStepFeedPath, roomy);
    body.expect(5 + big.length);
    for (const chunk of bigChunks) body.push(chunk);
    roomy.give(body.pooledMemory()!);
  });
  const chunks = { count: bigChunks.length, meanBytes: Math.round((big.length + 5) / bigChunks.length) };
  const pool = {
    reusable,
    bodyBuffers: seen.size,
    steps: reps + 2,
    gatherBuffers: gatherSeen.size,
    gathers: reps + 1,
  };
  return { inBig, inSmall, gather, gatherRoomy, chunks, pool };
}

const stepDelta = (big: Timing, small: Timing) => ({
  ms: big.medianMs - small.medianMs,
  cpuMs: big.cpuMsPerStep - small.cpuMsPerStep,
  bigStepMs: big.medianMs,
  smallStepMs: small.medianMs,
});

// ---------------------------------------------------------------------------------------------
// gRPC helpers (raw bytes: the client does no protobuf work per call)

const channelOptions: grpc.ChannelOptions = {
  "grpc.use_local_subchannel_pool": 1,
  "grpc.enable_http_proxy": 0,
  "grpc.max_receive_message_length": -1,
  "grpc.max_send_message_length": -1,
};

function unaryRaw(client: grpc.Client, method: string, body: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      `/tensorflow.MasterService/${method}`,
      (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      (b: Buffer) => b,
      body,
      (error, res) => (error ? reject(error) : resolve(res as Buffer)),
    );
  });
}

async function peerSession(client: grpc.Client, elements: number): Promise<string> {
  const req = create(CreateSessionRequestSchema, { graphDef: graph(...benchGraph(elements)) });
  const res = await unaryRaw(client, "CreateSession", toBinary(CreateSessionRequestSchema, req));
  return fromBinary(CreateSessionResponseSchema, res).sessionHandle;
}

function checkFetch(res: Buffer, want: Uint8Array, where: string): void {
  const decoded = fromBinary(RunStepResponseSchema, res);
  const got = decoded.tensor[0]?.tensor?.tensorContent;
  if (got === undefined || !Buffer.from(got).equals(Buffer.from(want)))
    throw new Error(`${where}: wrong fetch`);
}

// ---------------------------------------------------------------------------------------------
// (b) a 4 MiB feed + fetch step, end to end

async function stepBench(peer: RunningPeer) {
  const client = new grpc.Client(`127.0.0.1:${peer.port}`, grpc.credentials.createInsecure(), channelOptions);
  try {
    const x = floats(4 * MiB);
    const session = await peerSession(client, 1);
    const body = toBinary(RunStepRequestSchema, runStep(session, "neg:0", x));
    const want = new Uint8Array(new Float32Array(x.buffer).map((v) => -v).buffer);
    checkFetch(await unaryRaw(client, "RunStep", body), want, `${peer.name} step`);
    const times: number[] = [];
    const cpu0 = processCpuMs(peer.pid) ?? 0;
    for (let i = 0; i < reps * 2; i++) {
      const t0 = performance.now();
      await unaryRaw(client, "RunStep", body);
      times.push(performance.now() - t0);
    }
    const cpu = ((processCpuMs(peer.pid) ?? 0) - cpu0) / (reps * 2);
    times.sort((a, b) => a - b);
    return {
      server: peer.name,
      medianMs: median(times),
      p90Ms: quantile(times, 0.9),
      serverCpuMsPerStep: cpu,
    };
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (c) a large fetch, end to end, with the event loop watched

function grpcFrame(body: Uint8Array): Uint8Array {
  const framed = new Uint8Array(5 + body.length);
  new DataView(framed.buffer).setUint32(1, body.length);
  framed.set(body, 5);
  return framed;
}

// long-function: one linear measurement script (variable set-up, curl runs watched by a ListDevices loop, grpc-js runs).
async function fetchBench(peer: RunningPeer, dir: string) {
  const client = new grpc.Client(`127.0.0.1:${peer.port}`, grpc.credentials.createInsecure(), channelOptions);
  const watcher = new grpc.Client(
    `127.0.0.1:${peer.port}`,
    grpc.credentials.createInsecure(),
    channelOptions,
  );
  try {
    const x = floats(bigBytes);
    const session = await peerSession(client, x.length / 4);
    await unaryRaw(client, "RunStep", toBinary(RunStepRequestSchema, runStep(session, "assign:0", x)));
    const body = toBinary(RunStepRequestSchema, runStep(session, "read:0"));
    checkFetch(await unaryRaw(client, "RunStep", body), x, `${peer.name} fetch`);
    const file = join(dir, `${peer.name}-fetch.grpc`);
    writeFileSync(file, grpcFrame(body));
    const listDevices = toBinary(ListDevicesRequestSchema, create(ListDevicesRequestSchema));
    const latencies: number[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const t0 = performance.now();
        await unaryRaw(watcher, "ListDevices", listDevices);
        latencies.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const curlMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      const { stdout } = await run("curl", [
        ...["-sS", "--http2-prior-knowledge", "-X", "POST", "--noproxy", "*"],
        ...["-H", "content-type: application/grpc", "-H", "te: trailers"],
        ...["--data-binary", `@${file}`, "-o", "/dev/null", "-w", "%{time_total} %{size_download}"],
        `http://127.0.0.1:${peer.port}/tensorflow.MasterService/RunStep`,
      ]);
      const [seconds, size] = stdout.trim().split(" ").map(Number);
      if ((size ?? 0) < bigBytes) throw new Error(`${peer.name}: curl got ${size} bytes`);
      curlMs.push((seconds ?? 0) * 1000);
    }
    watching = false;
    await watch;
    const grpcJsMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await unaryRaw(client, "RunStep", body);
      grpcJsMs.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const rate = (ms: number) => bigBytes / MiB / (ms / 1000);
    return {
      server: peer.name,
      curlMs: median(curlMs),
      curlMiBps: rate(median(curlMs)),
      grpcJsMs: median(grpcJsMs),
      grpcJsMiBps: rate(median(grpcJsMs)),
      listDevicesP50Ms: quantile(latencies, 0.5),
      listDevicesP99Ms: quantile(latencies, 0.99),
      listDevicesCalls: latencies.length,
    };
  } finally {
    client.close();
    watcher.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const results: Record<string, unknown> = { machine: machineInfo(), reps, tensorMiB: bigBytes / MiB };
  if (only.has("engine")) results.engine = await engineBench();
  if (only.has("step") || only.has("fetch")) {
    const peers = await startPeers({
      tf: !flags["no-tf"],
      maxMessageBytes: 2 * bigBytes + MiB,
      cpuProfDir: flags["cpu-prof"],
    });
    const dir = mkdtempSync(join(tmpdir(), "tensor-bytes-"));
    try {
      if (only.has("step")) {
        const steps = [];
        for (const p of peers) steps.push(await stepBench(p));
        results.step = steps;
        console.log(
          `\n(b) RunStep, 4 MiB float32 feed + Neg fetch, grpc-js, one call at a time (${reps * 2} calls)`,
        );
        console.log("| server | median ms | p90 ms | server CPU ms/step | vs TF (median) |");
        console.log("|---|---:|---:|---:|---:|");
        const tf = steps.find((s) => s.server === "tf");
        for (const s of steps) {
          const ratio = tf ? fmt(s.medianMs / tf.medianMs, 2) : "";
          console.log(
            `| ${s.server} | ${fmt(s.medianMs, 1)} | ${fmt(s.p90Ms, 1)} | ${fmt(s.serverCpuMsPerStep, 1)} | ${ratio} |`,
          );
        }
      }
      if (only.has("fetch")) {
        const fetches = [];
        for (const p of peers) fetches.push(await fetchBench(p, dir));
        results.fetch = fetches;
        console.log(`\n(c) fetching ${bigBytes / MiB} MiB float32 end to end (median of ${reps})`);
        console.log(
          "| server | curl ms | curl MiB/s | grpc-js ms | grpc-js MiB/s | ListDevices p50 / p99 ms (during curl) |",
        );
        console.log("|---|---:|---:|---:|---:|---:|");
        for (const f of fetches) {
          console.log(
            `| ${f.server} | ${fmt(f.curlMs, 0)} | ${fmt(f.curlMiBps, 0)} | ${fmt(f.grpcJsMs, 0)} | ${fmt(f.grpcJsMiBps, 0)} | ${fmt(f.listDevicesP50Ms, 1)} / ${fmt(f.listDevicesP99Ms, 1)} |`,
          );
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const p of peers) await p.stop();
    }
  }
  if (!flags["no-write"]) {
    const suffix = flags.label ? `-${flags.label}` : "";
    console.log(`\nwrote ${writeResults(`tensor-bytes${suffix}`, results)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
