// The JSON form of a big graph's request (CreateSession, ExtendSession), read on a thread of its
// own so that it never holds the RPC thread (docs/architecture.md, "Big graphs and the event loop").
//
// Reading protobuf JSON is one indivisible piece of work: JSON.parse of the whole body, then
// fromJson over the parsed tree (a constant's base64 tensor_content included). For a graph of
// 100,000 nodes that is several hundred milliseconds, during which every other client of the
// server waits. So a big JSON body goes to this thread, which parses it and answers with the same
// message in binary form (its bytes are transferred, not copied); the RPC thread then decodes those
// bytes in slices, as it does a binary request (graph-requests.ts). The thread's heap holds the
// parsed JSON tree, so collecting that garbage does not pause the RPC thread either.
//
// One thread serves the whole process, started on the first big JSON request and stopped after a
// while without one (big JSON graphs are rare: TF's own clients send binary). Requests queue on it
// in arrival order. A parse error comes back with fromJson's own text, so the caller answers as it
// would have answered parsing it itself.

import { Worker } from "node:worker_threads";
import { Code, ConnectError } from "@connectrpc/connect";
import type { JsonGraphReply, JsonGraphRequest } from "./json-graph-thread-main.js";

/** How long the thread stays without work before it is stopped (started again on demand). */
const IDLE_STOP_MS = 30_000;

// The thread's entry: compiled .js in dist/, the .ts source under tsx (tests, benchmarks).
const isSource = import.meta.url.endsWith(".ts");
const entry = new URL(
  isSource ? "./json-graph-thread-main.ts" : "./json-graph-thread-main.js",
  import.meta.url,
).href;
const tsxApi = isSource ? import.meta.resolve("tsx/esm/api") : undefined;
// No require: the code is evaluated as ESM when the process runs with --input-type=module.
const bootstrap = `
(async () => {
  const { workerData } = await import("node:worker_threads");
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

interface Waiting {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

let thread: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, Waiting>();
let idleTimer: NodeJS.Timeout | undefined;

function started(): Worker {
  if (thread !== undefined) return thread;
  const mine = new Worker(bootstrap, { eval: true, workerData: { entry, tsxApi } });
  mine.unref();
  mine.on("message", (reply: JsonGraphReply) => {
    const w = waiting.get(reply.id);
    if (w === undefined) return;
    waiting.delete(reply.id);
    if ("bytes" in reply) w.resolve(reply.bytes);
    else w.reject(new Error(reply.error));
    if (waiting.size === 0) stopWhenIdle();
  });
  mine.on("error", (e) => lost(mine, e.message));
  mine.on("exit", (code) => lost(mine, `exit code ${code}`));
  thread = mine;
  return mine;
}

/** The thread `which` is gone: the requests waiting on it fail, and the next one starts another. */
function lost(which: Worker, why: string): void {
  if (thread !== which) return;
  thread = undefined;
  const failed = [...waiting.values()];
  waiting.clear();
  // The request was not at fault (the thread ran out of memory, or the server is stopping).
  for (const w of failed)
    w.reject(new ConnectError(`the JSON decoding thread stopped (${why})`, Code.Internal));
}

function stopWhenIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (waiting.size === 0) void stopJsonGraphThread();
  }, IDLE_STOP_MS);
  idleTimer.unref();
}

/**
 * The message of type `typeName` (a request carrying a graph) that `body` (UTF-8 protobuf JSON,
 * refusing unknown fields) spells, in binary form. Rejects with fromJson's error text.
 */
export function jsonToBinaryOffThread(typeName: string, body: Uint8Array): Promise<Uint8Array> {
  clearTimeout(idleTimer);
  const id = nextId++;
  // A copy of its own, so the body's buffer (often a pooled one, still read by the caller) is left
  // alone and the copy's can be handed over whole. Not body.slice(): on a Buffer that is a view.
  const copy = new Uint8Array(body);
  const request: JsonGraphRequest = { id, typeName, body: copy };
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    started().postMessage(request, [copy.buffer]);
  });
}

/** Stops the thread now (requests still waiting fail); the next big JSON request starts it again. */
export async function stopJsonGraphThread(): Promise<void> {
  clearTimeout(idleTimer);
  const t = thread;
  if (t === undefined) return;
  lost(t, "stopped");
  await t.terminate();
}
