// One of this process's device workers as a session with ClusterSpec propagation sees it: its
// devices under the task name the session's ClusterDef gives this process (TF's RenamedDevice, in
// the master's worker cache its local worker). Graphs, feeds and fetches come in the session's
// names and go to the worker in its own (task-rename.ts); results go back in the session's.
//
// A step's values from other tasks of the session's cluster are fetched through `route`: while a
// step runs here its id is bound to the session (StepRoutes), so a _Recv on this worker whose
// sender is a task of the propagated cluster reaches that task, with the key in the session's
// names, rather than a task of the server's own cluster that happens to share the name.

import type { DeviceStepStats } from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import type { Device } from "../device/device-set.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import {
  graphToOwn,
  keyToOwn,
  keyToSession,
  renamedDevice,
  type TaskRename,
  toSessionDevice,
} from "./task-rename.js";
import type { RunGraphResponse, WorkerInterface } from "./worker-interface.js";

/** Fetches a value whose sender is on another task of a step's session cluster. */
export type StepRecv = (key: string, signal: AbortSignal) => Promise<RendezvousValue> | undefined;

/**
 * Step id → how that step reaches other tasks, and the name its session gives this task; bound
 * while a propagated session's step runs here.
 */
export interface StepRoutes {
  bind(stepId: bigint, recv: StepRecv, rename: TaskRename): void;
  unbind(stepId: bigint): void;
  /** The value's fetch for a bound step, or undefined (then the server's own cluster applies). */
  recv(stepId: bigint, key: string, signal: AbortSignal): Promise<RendezvousValue> | undefined;
  /**
   * The session's name for this task in a bound step: a TF task of the session's cluster asking
   * this process for a value (RecvTensor) names the sender so (worker-service.ts).
   */
  renameOf(stepId: bigint): TaskRename | undefined;
}

/** Bindings beyond this many drop the oldest (steps whose cleanup never came). */
const maxBoundSteps = 65_536;

export function createStepRoutes(): StepRoutes {
  const steps = new Map<bigint, { recv: StepRecv; rename: TaskRename }>();
  return {
    bind(stepId, recv, rename) {
      steps.delete(stepId);
      steps.set(stepId, { recv, rename });
      if (steps.size > maxBoundSteps) steps.delete(steps.keys().next().value!);
    },
    unbind(stepId) {
      steps.delete(stepId);
    },
    recv(stepId, key, signal) {
      return steps.get(stepId)?.recv(key, signal);
    },
    renameOf(stepId) {
      return steps.get(stepId)?.rename;
    },
  };
}

function statsToSession(rename: TaskRename, s: DeviceStepStats): DeviceStepStats {
  return { ...s, device: toSessionDevice(rename, s.device) };
}

/**
 * `worker` under the session's task name. `otherTask` receives, in the session's names, the values
 * a step's partitions here take from other tasks of the session's cluster.
 */
export function createRenamedWorker(
  worker: WorkerInterface,
  rename: TaskRename,
  routes: StepRoutes,
  otherTask: (stepId: bigint, key: string, signal: AbortSignal) => Promise<RendezvousValue>,
): WorkerInterface {
  const devices: readonly Device[] = worker.getDevices().map((d) => renamedDevice(rename, d));
  const own = new Set(worker.getDevices().map((d) => d.name));
  return {
    task: rename.session,
    getDevices: () => devices,
    registerGraph: (req) => worker.registerGraph({ ...req, graphDef: graphToOwn(rename, req.graphDef) }),
    async runGraph(req): Promise<RunGraphResponse> {
      routes.bind(
        req.stepId,
        (key, signal) =>
          own.has(keyToOwn(rename, key).split(";")[0]!)
            ? undefined
            : otherTask(req.stepId, keyToSession(rename, key), signal),
        rename,
      );
      const send = new Map([...req.send].map(([k, t]) => [keyToOwn(rename, k), t]));
      const res = await worker.runGraph({
        ...req,
        send,
        recvKeys: req.recvKeys.map((k) => keyToOwn(rename, k)),
      });
      const recv = new Map<string, RendezvousValue>();
      for (const [k, v] of res.recv) recv.set(keyToSession(rename, k), v);
      return {
        ...res,
        recv,
        ...(res.stepStats ? { stepStats: statsToSession(rename, res.stepStats) } : {}),
        ...(res.deviceStepStats
          ? { deviceStepStats: res.deviceStepStats.map((s) => statsToSession(rename, s)) }
          : {}),
      };
    },
    recvTensor: (stepId, key, signal) => worker.recvTensor(stepId, keyToOwn(rename, key), signal),
    cleanupGraph(stepId) {
      routes.unbind(stepId);
      worker.cleanupGraph(stepId);
    },
    deregisterGraph: (handle) => worker.deregisterGraph(handle),
    createWorkerSession: (handle, isolate, tenant) => worker.createWorkerSession(handle, isolate, tenant),
    deleteWorkerSession: (handle) => worker.deleteWorkerSession(handle),
    cleanupAll: (containers, tenant) => worker.cleanupAll(containers, tenant),
    // The device worker belongs to the server, not to the session.
    async close() {},
  };
}
