// An in-process worker (TF's Worker + WorkerEnv for one task): owns its devices, their resource
// managers (variables live here, across sessions unless a session is isolated), a GraphMgr, a
// RendezvousMgr and the partial runs in progress. Its resource directory (resource-directory.ts)
// counts long-lived resources against the memory ceiling and, on a worker thread, mirrors them to
// the master's thread at the end of each step.

import { create } from "@bufbuild/protobuf";
import {
  type DeviceStepStats,
  DeviceStepStatsSchema,
  NodeExecStatsSchema,
} from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import type { Device } from "../device/device-set.js";
import type { CallerSignal } from "../framework/call-cancellation.js";
import { internal } from "../framework/errors.js";
import { type FileSandboxConfig, openFileSandbox } from "../framework/file-sandbox.js";
import { MemoryCeiling, type MemoryCeilingShare, resourceSlot } from "../framework/memory-ceiling.js";
import type { StepContext, StepStatsCollector } from "../framework/op-kernel.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { createStepContainers, releaseSessionResources } from "../framework/resource-mgr.js";
import { SlotMap } from "../framework/slot-table.js";
import {
  StepMemoryAccount,
  type Tensor,
  tensorStoragePool,
  withMaxTensorBytes,
} from "../framework/tensor.js";
import { configureNativeKernels, type NativeKernelConfig } from "../kernels/util/ort.js";
import { createGraphMgr } from "./graph-mgr.js";
import { createRendezvousMgr } from "./rendezvous-mgr.js";
import {
  createResourceDirectory,
  type DurableChange,
  type DurableRecord,
  type ResourceDirectory,
} from "./resource-directory.js";
import { createSessionResources } from "./session-resources.js";
import { boundedStepLog } from "./step-log.js";
import { nodeExecStats } from "./step-stats.js";
import type { RunGraphRequest, RunGraphResponse, WorkerInterface } from "./worker-interface.js";

export interface LocalWorkerOptions {
  /** "/job:localhost/replica:0/task:0" */
  readonly task: string;
  /** The devices this worker owns (their kernels, resources and rendezvous). */
  readonly devices: readonly Device[];
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
  /** Receives values sent from devices of other workers (TF's RecvTensor on the sender's worker). */
  readonly remoteRecv?: (stepId: bigint, key: string, signal: AbortSignal) => Promise<RendezvousValue>;
  /** Pushes values sent here for another worker's devices straight to it (see rendezvous-mgr.ts). */
  readonly remoteSend?: (stepId: bigint, key: string, value: RendezvousValue) => boolean;
  /** True for send devices whose values are pushed to this worker (its recvs then wait locally). */
  readonly pushedFrom?: (device: string) => boolean;
  /**
   * Per-step memory budget in bytes (--max-step-bytes): what the partitions of one step running on
   * this worker may allocate together (see StepMemoryAccount). Absent: steps are not accounted.
   */
  readonly maxStepBytes?: number | undefined;
  /** The operator's file sandbox for ops that touch files; absent: they are refused. */
  readonly files?: FileSandboxConfig | undefined;
  /**
   * Native kernel settings for the kernels this worker runs (kernels/util/ort.ts). They are per
   * thread: a worker in the master's own thread sets them for that whole thread.
   */
  readonly kernels?: NativeKernelConfig | undefined;
  /**
   * The largest tensor this worker's kernels and graphs may allocate (--max-tensor-bytes of the
   * master it serves). Absent: the thread's default (see setMaxTensorBytes).
   */
  readonly maxTensorBytes?: number | undefined;
  /** The server's memory ceiling and this worker's slot in it (--max-memory-bytes); absent: none. */
  readonly memoryCeiling?: WorkerCeiling | undefined;
  /** The response limit no fetched tensor may pass (--max-message-bytes); absent: none. */
  readonly maxFetchBytes?: number | undefined;
  /** Where changed resource records go (a worker thread posts them to the master's thread). */
  readonly publishResources?: ((changes: DurableChange[]) => void) | undefined;
  /** The resources a replaced thread of this worker had (resource-directory.ts). */
  readonly restoredResources?: readonly DurableRecord[] | undefined;
}

/** The shared count of the server's memory ceiling and the slot a worker charges. */
export interface WorkerCeiling {
  readonly share: MemoryCeilingShare;
  readonly slot: number;
}

interface PartialRun {
  readonly execution: Promise<void>;
  readonly stats: StepStatsCollector | undefined;
}

/** A worker in this process; `deliver` takes values other workers push to it. */
export interface LocalWorker extends WorkerInterface {
  /** As WorkerInterface's, and the wait ends on any CallerSignal (the rendezvous needs no more). */
  recvTensor(stepId: bigint, key: string, signal: CallerSignal): Promise<RendezvousValue>;
  deliver(stepId: bigint, key: string, value: RendezvousValue): void;
  /** Records resource changes not yet recorded (those of failed steps, closed sessions, Reset). */
  flushResources(): void;
}

export function createLocalWorker(options: LocalWorkerOptions): LocalWorker {
  if (options.kernels !== undefined) configureNativeKernels(options.kernels);
  const files = openFileSandbox(options.files);
  const devices = options.devices;
  const byName = new Map(devices.map((d) => [d.name, d]));
  // Nothing to mirror and nothing to count: no directory (an in-process worker without a ceiling).
  const directory =
    options.publishResources !== undefined || options.memoryCeiling !== undefined
      ? workerResourceDirectory(options)
      : undefined;
  const sessions = createSessionResources(devices, directory);
  const graphs = createGraphMgr((node, e) =>
    options.log(
      "error",
      `kernel of ${node} threw a non-TF error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    ),
  );
  const rendezvous = createRendezvousMgr({
    isLocalDevice: (d) => byName.has(d),
    ...(options.remoteRecv ? { remoteRecv: options.remoteRecv } : {}),
    ...(options.remoteSend ? { remoteSend: options.remoteSend } : {}),
    ...(options.pushedFrom ? { pushedFrom: options.pushedFrom } : {}),
  });
  const partials = new Map<string, PartialRun>();
  const task = options.task;
  const { acquireAccount, releaseAccount } = createStepAccounts(options);

  /** Step-scoped resources (stacks, TensorArrays): freed when a step's last partition here ends. */
  const stepContainers = createStepContainers();

  const resourcesFor = sessions.resourcesFor;

  const toDeviceStats = (device: Device, stats: StepStatsCollector): DeviceStepStats =>
    create(DeviceStepStatsSchema, {
      device: device.name,
      nodeStats: stats.nodes.map((n) => create(NodeExecStatsSchema, nodeExecStats(n))),
    });

  return {
    task,
    getDevices: () => devices,
    async registerGraph(req) {
      const deviceName = req.graphDef.node[0]?.device ?? devices[0]!.name;
      const device = byName.get(deviceName);
      if (!device) throw internal(`Worker ${task} has no device ${deviceName}`);
      const register = () => graphs.register(req.graphDef, device, req.sessionHandle);
      // Kernels are built here (a Const decodes its value): under this worker's tensor limit.
      return options.maxTensorBytes === undefined
        ? register()
        : withMaxTensorBytes(options.maxTensorBytes, register);
    },
    async runGraph(req: RunGraphRequest): Promise<RunGraphResponse> {
      const { executor, device, sessionHandle } = graphs.lookup(req.graphHandle);
      const rdv = rendezvous.find(req.stepId);
      const onAbort = () => rdv.abort(req.signal.reason as Error);
      if (req.signal.aborted) onAbort();
      else req.signal.addEventListener("abort", onAbort, { once: true });
      const partialKey = `${req.stepId}:${req.graphHandle}`;
      try {
        const owned = req.sendOwned === true;
        for (const [key, tensor] of req.send) rdv.send(key, { tensor, isDead: false, owned });
        const fetches = Promise.all(req.recvKeys.map((k) => rdv.recv(k, req.signal)));
        // If the executor fails, the rendezvous is aborted and `fetches` rejects too; observe it.
        fetches.catch(() => {});
        let run = req.isPartial ? partials.get(partialKey) : undefined;
        if (run === undefined) {
          const stats: StepStatsCollector | undefined = req.collectStepStats ? { nodes: [] } : undefined;
          const step: StepContext = {
            stepId: req.stepId,
            signal: req.signal, // a CallerSignal as it is: kernels need no AbortSignal
            rendezvous: rdv,
            resources: resourcesFor(sessionHandle, device.name),
            device,
            log: boundedStepLog(options.log, req.stepId),
            stats,
            memory: acquireAccount(req.stepId, device),
            files,
          };
          stepContainers.acquire(req.stepId, step.resources);
          const execution = executor.run(step);
          const endStep = () => {
            releaseAccount(req.stepId);
            stepContainers.release(req.stepId);
          };
          execution.then(endStep, endStep);
          run = { execution, stats };
          if (req.isPartial) partials.set(partialKey, run);
        }
        if (!req.isPartial || req.isLastPartialRun) {
          try {
            await run.execution;
          } finally {
            partials.delete(partialKey);
          }
        }
        // The step's long-lived changes must fit the memory ceiling; recorded before it answers.
        directory?.flush(true);
        const values = await fetches;
        const recv = new Map<string, RendezvousValue>();
        req.recvKeys.forEach((k, i) => {
          recv.set(k, notLent(values[i]!, req.send));
        });
        const done = !req.isPartial || req.isLastPartialRun;
        return { recv, stepStats: done && run.stats ? toDeviceStats(device, run.stats) : undefined };
      } catch (e) {
        partials.delete(partialKey);
        throw e;
      } finally {
        req.signal.removeEventListener("abort", onAbort);
      }
    },
    recvTensor(stepId, key, signal) {
      return rendezvous.find(stepId).recv(key, signal);
    },
    returnStorage: giveStorageBack,
    deliver(stepId, key, value) {
      rendezvous.deliver(stepId, key, value);
    },
    flushResources() {
      directory?.flush(false);
    },
    cleanupGraph(stepId) {
      rendezvous.cleanup(stepId);
      for (const key of partials.keys()) if (key.startsWith(`${stepId}:`)) partials.delete(key);
    },
    async deregisterGraph(handle) {
      graphs.deregister(handle);
    },
    async createWorkerSession(sessionHandle, isolate, tenant) {
      sessions.createSession(sessionHandle, isolate, tenant);
    },
    async deleteWorkerSession(sessionHandle) {
      for (const rm of sessions.deleteSession(sessionHandle)) releaseSessionResources(rm, sessionHandle);
      directory?.flush(false);
    },
    async cleanupAll(containers, tenant) {
      const all = sessions.tenantContainers(tenant);
      for (const rm of all) {
        if (containers.length === 0) rm.cleanup(rm.defaultContainer);
        else for (const c of containers) rm.cleanup(c);
      }
      directory?.flush(false);
    },
    async close() {
      rendezvous.abortAll(internal("Worker is shutting down"));
      partials.clear();
    },
  };
}

/** The worker's resource directory, charging its resource slot of the server's ceiling. */
function workerResourceDirectory(options: LocalWorkerOptions): ResourceDirectory {
  const { memoryCeiling } = options;
  return createResourceDirectory({
    publish: options.publishResources,
    restored: options.restoredResources,
    ceiling:
      memoryCeiling === undefined
        ? undefined
        : new MemoryCeiling(memoryCeiling.share, resourceSlot(memoryCeiling.share, memoryCeiling.slot)),
    where: options.devices.map((d) => d.name).join(", "),
  });
}

/**
 * The memory accounts of the steps running on a worker, one per step shared by its partitions
 * there, dropped when the last of them ends. None when the worker has no per-step budget.
 */
function createStepAccounts(
  options: Pick<LocalWorkerOptions, "maxStepBytes" | "maxTensorBytes" | "memoryCeiling" | "maxFetchBytes">,
): {
  acquireAccount(stepId: bigint, device: Device): StepMemoryAccount | undefined;
  releaseAccount(stepId: bigint): void;
} {
  const accounts = new SlotMap<bigint, { account: StepMemoryAccount; users: number }>();
  const ceiling =
    options.memoryCeiling === undefined
      ? undefined
      : new MemoryCeiling(options.memoryCeiling.share, options.memoryCeiling.slot);
  return {
    acquireAccount(stepId, device) {
      if (options.maxStepBytes === undefined) return undefined;
      let entry = accounts.get(stepId);
      if (entry === undefined) {
        entry = {
          account: new StepMemoryAccount(
            options.maxStepBytes,
            device.name,
            options.maxTensorBytes,
            ceiling,
            options.maxFetchBytes,
          ),
          users: 0,
        };
        accounts.set(stepId, entry);
      }
      entry.users++;
      return entry.account;
    },
    releaseAccount(stepId) {
      const entry = accounts.get(stepId);
      if (entry !== undefined && --entry.users === 0) {
        accounts.delete(stepId);
        entry.account.close();
      }
    },
  };
}

/**
 * A fetched value as the step hands it back: a value that owns its storage keeps saying so (the
 * master may give that storage back to this thread's pool once the answer is written), except when
 * the storage is a feed's, forwarded through in place: that memory was lent by the transport and
 * goes back to it, not here (master/call-memory.ts).
 */
function notLent(v: RendezvousValue, send: ReadonlyMap<string, Tensor>): RendezvousValue {
  if (v.owned !== true || v.tensor === undefined) return v;
  const data = v.tensor.data;
  if (!ArrayBuffer.isView(data)) return v;
  for (const fed of send.values()) {
    if (ArrayBuffer.isView(fed.data) && fed.data.buffer === data.buffer)
      return { tensor: v.tensor, isDead: false };
  }
  return v;
}

/** WorkerInterface.returnStorage: the buffers go to this thread's pool of tensor storage. */
function giveStorageBack(buffers: readonly SharedArrayBuffer[]): void {
  for (const buffer of buffers) tensorStoragePool.give(buffer);
}
