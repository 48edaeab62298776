// A worker on its own thread (node:worker_threads), seen by the master through WorkerInterface.
//
// The master's thread only forwards: graphs go over as GraphDef bytes, tensors as structured clones,
// errors as {code, message}. Kernels run on the worker thread, so a long step never blocks the RPC
// thread. If the thread dies (a crash, out of memory, terminate), every call in flight on it fails
// with UNAVAILABLE naming the worker, a new thread is started, and registered graphs are registered
// again on first use. The thread's resources survive it: it posts their records (variables, queues,
// tables, iterators; resource-directory.ts) here as steps change them, and the new thread is
// started with them (docs/architecture.md, "Resources that outlive a worker thread").
//
// A thread is only ever terminated between native (onnxruntime) calls: terminating one in the
// middle of such a call aborts the whole process, so every stop (close, the watchdog, a test's
// crash, the process exiting) first closes the thread's NativeGuard and waits for its calls in
// flight, each one slice long (kernels/util/ort.ts). Terminating a thread that holds ORT sessions
// while its JavaScript runs (a step between two kernels) aborted the process too, rarely
// ("terminate called after throwing an instance of 'Napi::Error'", from the binding's teardown,
// not from a call), so a stop then asks the thread to make itself idle: it cancels its steps,
// disposes its sessions and says so, and only then is it terminated. A thread stuck in one kernel
// never answers and is terminated after IDLE_WAIT_MS regardless; the process exiting cannot wait
// for answers and only drains the native calls.

import { type MessagePort, type ResourceLimits, Worker } from "node:worker_threads";
import type { Device } from "../device/device-set.js";
import { TfError, unavailable } from "../framework/errors.js";
import type { FileSandboxConfig } from "../framework/file-sandbox.js";
import { resetSlot } from "../framework/memory-ceiling.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { runInSlices } from "../framework/slices.js";
import { SlotTable } from "../framework/slot-table.js";
import { graphDefToBinarySliced } from "../graph/graph-def-wire.js";
import { applyDurableChanges, type DurableRecord } from "../kernels/util/durable-resources.js";
import { createNativeGuard, type NativeGuard, type NativeKernelConfig } from "../kernels/util/ort.js";
import type { WorkerCeiling } from "./local-worker.js";
import { createOutbox, forEachMessage, type MessageBatch } from "./message-batch.js";
import {
  type FromWorker,
  fromWireError,
  fromWireValue,
  statsFromWire,
  type ToWorker,
  toWireError,
  toWireTensor,
  toWireValue,
  type WireTensor,
  type WireValue,
} from "./wire.js";
import type {
  RegisterGraphRequest,
  RunGraphRequest,
  RunGraphResponse,
  WorkerInterface,
} from "./worker-interface.js";
import type { WorkerThreadData } from "./worker-thread-main.js";

export interface ThreadWorkerOptions {
  readonly task: string;
  readonly devices: readonly Device[];
  readonly maxTensorBytes: number;
  /** Per-step memory budget of the thread's steps (see LocalWorkerOptions.maxStepBytes). */
  readonly maxStepBytes: number;
  /** The operator's file sandbox (see LocalWorkerOptions.files). */
  readonly files?: FileSandboxConfig | undefined;
  /** The thread's native kernel settings (kernels/util/ort.ts); undefined: their defaults. */
  readonly kernels?: NativeKernelConfig | undefined;
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
  /** Fetches a value sent on another worker (the master routes it to the owner of the send device). */
  readonly remoteRecv: (stepId: bigint, key: string, signal: AbortSignal) => Promise<RendezvousValue>;
  readonly resourceLimits?: ResourceLimits;
  /** The server's memory ceiling and this thread's slot (see LocalWorkerOptions.memoryCeiling). */
  readonly memoryCeiling?: WorkerCeiling | undefined;
  /** The response limit no fetched tensor may pass (see LocalWorkerOptions.maxFetchBytes). */
  readonly maxFetchBytes?: number | undefined;
  /** How long a cancelled step may keep the thread busy before the thread is replaced. */
  readonly abortGraceMs: number;
}

export interface ThreadWorker extends WorkerInterface {
  /** Terminates the thread as a crash would (tests use it to show recovery). */
  crashForTesting(): Promise<void>;
  /** Hands the thread a direct channel to the thread owning `devices` (worker-to-worker RecvTensor). */
  connectPeer(devices: readonly string[], port: MessagePort): void;
  /** Called after the thread was restarted (its peer channels are gone and must be made again). */
  onRestart: (() => void) | undefined;
}

// The thread's entry: compiled .js in dist/, the .ts source under tsx (tests, `npm run bench`).
const isSource = import.meta.url.endsWith(".ts");
const entry = new URL(isSource ? "./worker-thread-main.ts" : "./worker-thread-main.js", import.meta.url).href;
const tsxApi = isSource ? import.meta.resolve("tsx/esm/api") : undefined;
// No require: the code is evaluated as ESM when the process runs with --input-type=module.
const bootstrap = `
(async () => {
  const { workerData } = await import("node:worker_threads");
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

/** The send list of a step that feeds nothing to this thread (most partitions, most steps). */
const noSend: readonly (readonly [string, WireTensor])[] = [];

/** The guards of every live device thread of this process (closed and drained at exit). */
const liveGuards = new Set<NativeGuard>();

/** How long a stop waits for native calls in flight before it terminates regardless. */
const NATIVE_DRAIN_MS = 60_000;

let exitHooked = false;

/**
 * At process exit Node terminates the worker threads: first close every guard and wait (blocking,
 * as an exit handler must) until no native call is in flight. A call is one slice long.
 */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on("exit", () => {
    for (const g of liveGuards) Atomics.store(g, 1, 1);
    const until = performance.now() + NATIVE_DRAIN_MS;
    for (const g of liveGuards) {
      for (let n = Atomics.load(g, 0); n !== 0 && performance.now() < until; n = Atomics.load(g, 0)) {
        Atomics.wait(g, 0, n, 50);
      }
    }
  });
}

/** How long a stop waits for the thread to make itself idle (one stuck in a kernel never does). */
const IDLE_WAIT_MS = 2_000;

/** Threads being stopped: the stop in progress, and what the thread's "stopped" answer resolves. */
const stops = new WeakMap<Worker, { readonly done: Promise<void>; idle(): void }>();

/** Whether `thread` is being stopped: its replies belong to calls that fail with it. */
function isStopping(thread: Worker): boolean {
  return stops.has(thread);
}

/**
 * Terminates a thread once no native call is in flight on it and it has made itself idle (see the
 * header and worker-thread-main.ts, stopWork). A second stop of the same thread joins the first.
 */
function stopThread(thread: Worker, guard: NativeGuard): Promise<void> {
  const running = stops.get(thread);
  if (running !== undefined) return running.done;
  let idle!: () => void;
  const idled = new Promise<void>((resolve) => {
    idle = resolve;
  });
  const done = (async () => {
    await drainNativeCalls(guard);
    thread.once("exit", idle);
    thread.postMessage({ op: "stop" } satisfies ToWorker);
    await withinMs(idled, IDLE_WAIT_MS);
    await thread.terminate();
    liveGuards.delete(guard);
  })();
  stops.set(thread, { done, idle });
  return done;
}

/** Closes the guard (no native call starts) and waits until the calls in flight have ended. */
async function drainNativeCalls(guard: NativeGuard): Promise<void> {
  Atomics.store(guard, 1, 1);
  const until = performance.now() + NATIVE_DRAIN_MS;
  while (Atomics.load(guard, 0) !== 0 && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Waits for `p`, or `ms` milliseconds if it takes longer. */
async function withinMs(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface RegisteredGraph {
  readonly graphDef: Uint8Array;
  readonly session: string;
  /** The handle on the current thread; undefined after a restart until registered again. */
  threadHandle: Promise<string> | undefined;
  /** `threadHandle` once it resolved: a step of a registered graph starts without waiting on it. */
  ready: string | undefined;
}

type ThreadRunReply = { recv: [string, WireValue][]; stepStats: Uint8Array | undefined };

/**
 * One runGraph in flight on the thread, as its pending entry and its abort listener at once: the
 * reply settles the step's one promise directly. A small step's bookkeeping on the RPC thread was
 * an async frame, a closure per listener and intermediate arrays (docs/benchmarks.md, "Balancing
 * the RPC loop"); this object is all of it.
 */
class ThreadStep implements Pending {
  watchdog: NodeJS.Timeout | undefined;

  constructor(
    readonly req: RunGraphRequest,
    private readonly settle: (value: RunGraphResponse) => void,
    private readonly fail: (error: unknown) => void,
    private readonly onAbort: (step: ThreadStep) => void,
  ) {}

  /** The step's signal fired (EventTarget calls an object listener's handleEvent). */
  handleEvent(): void {
    this.onAbort(this);
  }

  resolve(value: unknown): void {
    this.detach();
    const res = value as ThreadRunReply;
    const recv = new Map<string, RendezvousValue>();
    for (const [k, v] of res.recv) recv.set(k, fromWireValue(v));
    this.settle({ recv, stepStats: statsFromWire(res.stepStats) });
  }

  reject(error: unknown): void {
    this.detach();
    this.fail(error);
  }

  private detach(): void {
    if (this.watchdog !== undefined) clearTimeout(this.watchdog);
    this.req.signal.removeEventListener("abort", this);
  }
}

// long-function: the WorkerInterface methods close over one thread, its pending calls and its registered graphs (re-registered after a restart); each method is short.
export function createThreadWorker(options: ThreadWorkerOptions): ThreadWorker {
  const label = `${options.task} (thread for ${options.devices.map((d) => d.name.replace(/^.*device:/, "")).join(", ")})`;
  let thread: Worker;
  let guard: NativeGuard;
  /**
   * Calls waiting for the thread's reply; an entry's slot is its message id (the thread replies
   * once per id). A slot table, since an entry comes and goes with every step (framework/slot-table.ts).
   */
  let pending = new SlotTable<Pending>();
  let closing = false;
  const graphs = new Map<string, RegisteredGraph>();
  /** Every worker session, so a restarted thread gets them again. */
  const workerSessions = new Map<string, { isolate: boolean; tenant: string }>();
  let nextGraph = 0;
  /** Remote receives this thread asked for, by id, so they can be abandoned on abort. */
  const remoteAborts = new Map<number, AbortController>();
  /** The thread's resources as it last reported them: what a replacement starts with. */
  const resources = new Map<string, DurableRecord>();

  const start = () => {
    guard = createNativeGuard();
    liveGuards.add(guard);
    hookExit();
    const init: WorkerThreadData = {
      nativeGuard: guard,
      task: options.task,
      devices: options.devices,
      maxTensorBytes: options.maxTensorBytes,
      maxStepBytes: options.maxStepBytes,
      files: options.files,
      memoryCeiling: options.memoryCeiling,
      maxFetchBytes: options.maxFetchBytes,
      kernels: options.kernels,
      resources: [...resources.values()],
    };
    thread = new Worker(bootstrap, {
      eval: true,
      workerData: { entry, tsxApi, init },
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    thread.unref();
    const mine = thread;
    const myGuard = guard;
    const myPending = pending;
    thread.on("message", (m: FromWorker | MessageBatch<FromWorker>) =>
      forEachMessage(m, (one) => onMessage(one, mine)),
    );
    thread.on("error", (e) => {
      options.log("error", `worker ${label} crashed: ${e.stack ?? e.message}`);
      died(mine, myPending, e.message);
    });
    thread.on("exit", (code) => {
      liveGuards.delete(myGuard);
      died(mine, myPending, `exited with code ${code}`);
    });
  };

  const died = (which: Worker, theirs: SlotTable<Pending>, why: string) => {
    if (which !== thread) return;
    const error = unavailable(
      `Worker ${label} failed and was restarted (${why}); the steps running on it failed.`,
    );
    // Its steps died with it: what they held in the server's ceiling is free again.
    if (options.memoryCeiling !== undefined)
      resetSlot(options.memoryCeiling.share, options.memoryCeiling.slot);
    for (const p of theirs.drain()) p.reject(error);
    // Messages still queued for the dead thread belong to the calls just failed.
    outbox.clear();
    for (const c of remoteAborts.values()) c.abort(error);
    remoteAborts.clear();
    if (closing) return;
    options.log("error", `worker ${label} died (${why}); restarting it`);
    pending = new SlotTable();
    for (const g of graphs.values()) {
      g.threadHandle = undefined;
      g.ready = undefined;
    }
    start();
    self.onRestart?.();
    for (const [session, { isolate, tenant }] of workerSessions) {
      void call<void>({ op: "createWorkerSession", id: 0, session, isolate, tenant }).catch(() => {});
    }
  };

  const onMessage = (m: FromWorker, from: Worker) => {
    if (m.op === "stopped") {
      stops.get(from)?.idle();
      return;
    }
    if (from !== thread) return;
    switch (m.op) {
      case "reply": {
        if (isStopping(from)) return;
        const p = pending.take(m.id);
        if (!p) return;
        if (m.error) p.reject(fromWireError(m.error));
        else p.resolve(m.result);
        return;
      }
      case "log":
        options.log(m.level, m.message);
        return;
      case "resources":
        applyDurableChanges(resources, m.changes);
        return;
      case "remoteRecv": {
        if (isStopping(from)) return;
        const c = new AbortController();
        remoteAborts.set(m.id, c);
        options
          .remoteRecv(m.stepId, m.key, c.signal)
          .then(
            (v) => post({ op: "remoteRecvReply", id: m.id, value: toWireValue(v) }),
            (e: unknown) => post({ op: "remoteRecvReply", id: m.id, error: toWireError(e) }),
          )
          .finally(() => remoteAborts.delete(m.id));
        return;
      }
    }
  };

  // Sent once per event-loop turn (message-batch.ts); always to the current thread.
  const outbox = createOutbox<ToWorker>((m) => thread.postMessage(m));
  const post = (m: ToWorker) => outbox.post(m);

  /** Sends a request and waits for its reply (ids are assigned here). */
  const call = <T>(m: ToWorker & { id: number }): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closing) {
        reject(unavailable(`Worker ${label} is shut down`));
        return;
      }
      const id = pending.add({ resolve: resolve as (v: unknown) => void, reject });
      post({ ...m, id } as ToWorker);
    });

  /** The thread's runGraph message for a step. */
  const runGraphMessage = (req: RunGraphRequest, handle: string, id: number): ToWorker => ({
    op: "runGraph",
    id,
    handle,
    stepId: req.stepId,
    send: req.send.size === 0 ? noSend : [...req.send].map(([k, t]) => [k, toWireTensor(t)] as const),
    sendOwned: req.sendOwned ?? false,
    recvKeys: req.recvKeys,
    isPartial: req.isPartial ?? false,
    isLastPartialRun: req.isLastPartialRun ?? false,
    collectStepStats: req.collectStepStats ?? false,
  });

  /**
   * A cancelled step stops between two kernels. One kernel that never returns (a runaway regular
   * expression, say) would hold the thread forever: after a grace period the thread is replaced,
   * like a crashed one.
   */
  const abortStep = (step: ThreadStep): void => {
    const req = step.req;
    post({ op: "abortStep", stepId: req.stepId, error: toWireError(req.signal.reason) });
    const stuck = thread;
    const stuckGuard = guard;
    step.watchdog = setTimeout(() => {
      if (stuck !== thread) return;
      options.log(
        "error",
        `worker ${label} did not stop a cancelled step within ${options.abortGraceMs} ms; replacing it`,
      );
      void stopThread(stuck, stuckGuard);
    }, options.abortGraceMs);
    step.watchdog.unref();
  };

  /** Runs a step of a graph whose handle on the thread is `handle`: one promise, no async frame. */
  const runOnThread = (req: RunGraphRequest, handle: string): Promise<RunGraphResponse> =>
    new Promise<RunGraphResponse>((resolve, reject) => {
      if (closing) {
        reject(unavailable(`Worker ${label} is shut down`));
        return;
      }
      const step = new ThreadStep(req, resolve, reject, abortStep);
      const id = pending.add(step);
      req.signal.addEventListener("abort", step, { once: true });
      post(runGraphMessage(req, handle, id));
    });

  const threadHandle = (handle: string): Promise<string> => {
    const g = graphs.get(handle);
    if (!g)
      return Promise.reject(
        new TfError(10, `Graph handle is not found: ${handle}. Possibly, this worker just restarted.`),
      );
    if (g.threadHandle === undefined) {
      const registering = call<string>({
        op: "registerGraph",
        id: 0,
        graphDef: g.graphDef,
        session: g.session,
      });
      g.threadHandle = registering;
      registering.then(
        (h) => {
          if (g.threadHandle === registering) g.ready = h;
        },
        () => {},
      );
    }
    return g.threadHandle;
  };

  start();

  const self: ThreadWorker = {
    onRestart: undefined,
    connectPeer(devices, port) {
      outbox.flush();
      thread.postMessage({ op: "peer", devices, port } satisfies ToWorker, [port]);
    },
    task: options.task,
    getDevices: () => options.devices,

    async registerGraph(req: RegisterGraphRequest) {
      const handle = `${(nextGraph++).toString(16).padStart(16, "0")}`;
      // Encoded in slices: a big partition's bytes take tens of milliseconds of the RPC thread.
      const graphDef = await runInSlices(graphDefToBinarySliced(req.graphDef));
      graphs.set(handle, {
        graphDef,
        session: req.sessionHandle,
        threadHandle: undefined,
        ready: undefined,
      });
      try {
        await threadHandle(handle);
      } catch (e) {
        graphs.delete(handle);
        throw e;
      }
      return handle;
    },

    runGraph(req: RunGraphRequest): Promise<RunGraphResponse> {
      if (req.signal.aborted) return Promise.reject(req.signal.reason);
      const ready = graphs.get(req.graphHandle)?.ready;
      if (ready !== undefined) return runOnThread(req, ready);
      // The graph is not on this thread yet (its first step, or the first after a restart): the
      // step is cancelled while it waits too.
      const waiting = { aborted: false };
      const onAbort = () => {
        waiting.aborted = true;
      };
      req.signal.addEventListener("abort", onAbort, { once: true });
      return threadHandle(req.graphHandle).then(
        (handle) => {
          req.signal.removeEventListener("abort", onAbort);
          if (waiting.aborted) throw req.signal.reason;
          return runOnThread(req, handle);
        },
        (error: unknown) => {
          req.signal.removeEventListener("abort", onAbort);
          throw error;
        },
      );
    },

    async recvTensor(stepId, key, signal) {
      const onAbort = () => post({ op: "abortStep", stepId, error: toWireError(signal.reason) });
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        return fromWireValue(await call<WireValue>({ op: "recvTensor", id: 0, stepId, key }));
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },

    cleanupGraph(stepId) {
      post({ op: "cleanupGraph", stepId });
    },
    returnStorage(buffers) {
      post({ op: "returnStorage", buffers });
    },

    async deregisterGraph(handle) {
      const g = graphs.get(handle);
      graphs.delete(handle);
      const h = g?.threadHandle ? await g.threadHandle.catch(() => undefined) : undefined;
      if (h !== undefined) await call<void>({ op: "deregisterGraph", id: 0, handle: h }).catch(() => {});
    },

    async createWorkerSession(session, isolate, tenant) {
      workerSessions.set(session, { isolate, tenant });
      await call<void>({ op: "createWorkerSession", id: 0, session, isolate, tenant });
    },

    async deleteWorkerSession(session) {
      workerSessions.delete(session);
      await call<void>({ op: "deleteWorkerSession", id: 0, session });
    },

    async cleanupAll(containers, tenant) {
      await call<void>({ op: "cleanupAll", id: 0, containers, tenant });
    },

    async close() {
      closing = true;
      await stopThread(thread, guard);
    },

    async crashForTesting() {
      await stopThread(thread, guard);
    },
  };
  return self;
}
