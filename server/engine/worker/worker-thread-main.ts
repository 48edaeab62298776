// The body of a worker thread: a LocalWorker for the devices it was given, driven by messages from
// the master's thread (thread-worker.ts). Kernels run here, off the RPC thread.

import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { fromBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { Device } from "../device/device-set.js";
import { CallCancellation } from "../framework/call-cancellation.js";
import type { FileSandboxConfig } from "../framework/file-sandbox.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { SlotMap } from "../framework/slot-table.js";
import { setMaxTensorBytes } from "../framework/tensor.js";
import { registerAllKernels } from "../kernels/register-all.js";
import type { DurableRecord } from "../kernels/util/durable-resources.js";
import {
  type NativeGuard,
  type NativeKernelConfig,
  setNativeGuard,
  shutDownNativeKernels,
} from "../kernels/util/ort.js";
import { createLocalWorker, type WorkerCeiling } from "./local-worker.js";
import { createOutbox, forEachMessage, type MessageBatch } from "./message-batch.js";
import { recvDeviceOfKey, sendDeviceOfKey } from "./rendezvous-mgr.js";
import {
  type FromWorker,
  fromWireError,
  fromWireTensor,
  fromWireValue,
  type PeerMessage,
  statsToWire,
  type ToWorker,
  toWireError,
  toWireValue,
  type WireValue,
} from "./wire.js";

/** What the master's thread passes to a new worker thread. */
export interface WorkerThreadData {
  readonly task: string;
  readonly devices: readonly Device[];
  readonly maxTensorBytes: number;
  readonly maxStepBytes: number;
  readonly files?: FileSandboxConfig | undefined;
  readonly memoryCeiling?: WorkerCeiling | undefined;
  readonly maxFetchBytes?: number | undefined;
  readonly kernels?: NativeKernelConfig | undefined;
  /** The resources a replaced thread of this worker held (worker/resource-directory.ts). */
  readonly resources?: readonly DurableRecord[] | undefined;
  /** Shared with the owner, which stops the thread only between native calls (thread-worker.ts). */
  readonly nativeGuard?: NativeGuard | undefined;
}

const port = parentPort!;
const data = workerData.init as WorkerThreadData;
registerAllKernels();
setMaxTensorBytes(data.maxTensorBytes);
setNativeGuard(data.nativeGuard);

// Replies of steps that end in the same turn go back as one message (message-batch.ts).
const outbox = createOutbox<FromWorker>((m) => port.postMessage(m));
const post = (m: FromWorker) => outbox.post(m);
let nextRemote = 0;
const remoteWaits = new Map<number, { resolve(v: WireValue): void; reject(e: unknown): void }>();
/**
 * Per step: the cancellations of its calls, aborted by an abortStep message (a SlotMap: an entry per
 * step, framework/slot-table.ts). CallCancellations, not
 * AbortControllers: the step's kernels, executor and rendezvous read no more than a CallerSignal,
 * and a one-Const step cost a LocalWorker about 3× the CPU with an AbortController and its
 * listeners (docs/benchmarks.md, "Caller cancellation").
 */
const steps = new SlotMap<bigint, Set<CallCancellation>>();

/** Direct channels to the other worker threads, by the devices they own. */
const peers = new Map<string, MessagePort>();

/**
 * Receives a value sent on another worker: straight from that worker's thread over a peer channel
 * when there is one (the RPC thread stays out of the way), else through the master's thread.
 */
function remoteRecv(stepId: bigint, key: string, signal: AbortSignal): Promise<RendezvousValue> {
  return new Promise((resolve, reject) => {
    const id = nextRemote++;
    remoteWaits.set(id, { resolve: (v) => resolve(fromWireValue(v)), reject });
    signal.addEventListener(
      "abort",
      () => {
        if (remoteWaits.delete(id)) reject(signal.reason);
      },
      { once: true },
    );
    const peer = peers.get(sendDeviceOfKey(key));
    if (peer) peer.postMessage({ op: "recvTensor", id, stepId, key } satisfies PeerMessage);
    else post({ op: "remoteRecv", id, stepId, key });
  });
}

/**
 * Sends a value to the worker thread that owns its recv device, at send time, over the peer
 * channel (false when there is none: the receiver then asks for it, see remoteRecv).
 */
function remoteSend(stepId: bigint, key: string, value: RendezvousValue): boolean {
  const peer = peers.get(recvDeviceOfKey(key));
  if (peer === undefined) return false;
  peer.postMessage({ op: "push", stepId, key, value: toWireValue(value) } satisfies PeerMessage);
  return true;
}

const worker = createLocalWorker({
  task: data.task,
  devices: data.devices,
  log: (level, message) => {
    post({ op: "log", level, message });
    // An error may come right before the thread dies: it is not left in the queue.
    if (level === "error") outbox.flush();
  },
  remoteRecv,
  remoteSend,
  pushedFrom: (device) => peers.has(device),
  maxStepBytes: data.maxStepBytes,
  files: data.files,
  maxTensorBytes: data.maxTensorBytes,
  memoryCeiling: data.memoryCeiling,
  maxFetchBytes: data.maxFetchBytes,
  kernels: data.kernels,
  publishResources: (changes) => post({ op: "resources", changes }),
  restoredResources: data.resources,
});

/** Serves a peer's RecvTensor and delivers the answers to our own requests. */
function onPeerMessage(peer: MessagePort, m: PeerMessage): void {
  if (m.op === "push") {
    worker.deliver(m.stepId, m.key, fromWireValue(m.value));
    return;
  }
  if (m.op === "recvReply") {
    const w = remoteWaits.get(m.id);
    if (!w) return;
    remoteWaits.delete(m.id);
    if (m.error) w.reject(fromWireError(m.error));
    else w.resolve(m.value!);
    return;
  }
  const c = stepCancellation(m.stepId);
  worker
    .recvTensor(m.stepId, m.key, c)
    .then(
      (v) => peer.postMessage({ op: "recvReply", id: m.id, value: toWireValue(v) } satisfies PeerMessage),
      (e: unknown) =>
        peer.postMessage({ op: "recvReply", id: m.id, error: toWireError(e) } satisfies PeerMessage),
    )
    .finally(() => steps.get(m.stepId)?.delete(c));
}

function stepCancellation(stepId: bigint): CallCancellation {
  const c = new CallCancellation();
  let set = steps.get(stepId);
  if (!set) {
    set = new Set();
    steps.set(stepId, set);
  }
  set.add(c);
  return c;
}

async function handle(m: ToWorker): Promise<unknown> {
  switch (m.op) {
    case "registerGraph":
      return worker.registerGraph({
        sessionHandle: m.session,
        graphDef: fromBinary(GraphDefSchema, m.graphDef),
      });
    case "runGraph": {
      const c = stepCancellation(m.stepId);
      try {
        const res = await worker.runGraph({
          graphHandle: m.handle,
          stepId: m.stepId,
          send: new Map(m.send.map(([k, t]) => [k, fromWireTensor(t)])),
          sendOwned: m.sendOwned,
          recvKeys: m.recvKeys,
          signal: c,
          isPartial: m.isPartial,
          isLastPartialRun: m.isLastPartialRun,
          collectStepStats: m.collectStepStats,
        });
        return {
          recv: [...res.recv].map(([k, v]) => [
            k,
            v.owned === true ? { ...toWireValue(v), owned: true } : toWireValue(v),
          ]),
          stepStats: statsToWire(res.stepStats),
        };
      } finally {
        steps.get(m.stepId)?.delete(c);
      }
    }
    case "recvTensor": {
      const c = stepCancellation(m.stepId);
      try {
        return toWireValue(await worker.recvTensor(m.stepId, m.key, c));
      } finally {
        steps.get(m.stepId)?.delete(c);
      }
    }
    case "deregisterGraph":
      return worker.deregisterGraph(m.handle);
    case "createWorkerSession":
      return worker.createWorkerSession(m.session, m.isolate, m.tenant);
    case "deleteWorkerSession":
      return worker.deleteWorkerSession(m.session);
    case "cleanupAll":
      return worker.cleanupAll(m.containers, m.tenant);
    default:
      return undefined;
  }
}

/** Set once the owner asked the thread to stop: nothing more is taken up. */
let stopping = false;

port.on("message", (m: ToWorker | MessageBatch<ToWorker>) => {
  if (!stopping) forEachMessage(m, onMessage);
});

/**
 * The owner is about to terminate this thread (its ORT calls already drained). Terminating a thread
 * whose JavaScript is running while it holds ORT sessions can abort the whole process, so the
 * thread first makes itself idle: every step is cancelled, the sessions are disposed, and once the
 * cancelled work has unwound (two turns of the event loop) the owner is told it may terminate.
 */
function stopWork(): void {
  stopping = true;
  const error = new Error("the worker thread is stopping");
  for (const set of steps.values()) for (const c of set) c.abort(error);
  steps.clear();
  for (const w of remoteWaits.values()) w.reject(error);
  remoteWaits.clear();
  for (const peer of peers.values()) peer.close();
  peers.clear();
  shutDownNativeKernels();
  setImmediate(() => setImmediate(() => port.postMessage({ op: "stopped" } satisfies FromWorker)));
}

function onMessage(m: ToWorker): void {
  switch (m.op) {
    case "stop":
      stopWork();
      return;
    case "abortStep": {
      const error = fromWireError(m.error);
      for (const c of steps.get(m.stepId) ?? []) c.abort(error);
      return;
    }
    case "cleanupGraph":
      steps.delete(m.stepId);
      worker.cleanupGraph(m.stepId);
      return;
    case "returnStorage":
      worker.returnStorage?.(m.buffers);
      return;
    case "peer": {
      const peer = m.port;
      for (const d of m.devices) peers.get(d)?.close();
      for (const d of m.devices) peers.set(d, peer);
      peer.on("message", (pm: PeerMessage) => onPeerMessage(peer, pm));
      peer.unref();
      return;
    }
    case "remoteRecvReply": {
      const w = remoteWaits.get(m.id);
      if (!w) return;
      remoteWaits.delete(m.id);
      if (m.error) w.reject(fromWireError(m.error));
      else w.resolve(m.value!);
      return;
    }
    default:
      // What a call changed in the resources is on its way to the master's thread before its reply.
      handle(m).then(
        (result) => {
          worker.flushResources();
          post({ op: "reply", id: m.id, result });
        },
        (e: unknown) => {
          worker.flushResources();
          post({ op: "reply", id: m.id, error: toWireError(e) });
        },
      );
  }
}
