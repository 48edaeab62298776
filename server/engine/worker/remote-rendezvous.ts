// TensorFlow's remote rendezvous (core/distributed_runtime/base_rendezvous_mgr.cc and
// rpc/rpc_rendezvous_mgr.cc), the part that crosses tasks: a _Recv on this task whose _Send ran on
// another task fetches the value from that task's WorkerService (RecvTensor). Which address serves
// a task comes from the cluster of the worker session the step runs in (TF initializes a step's
// rendezvous with its WorkerSession at RunGraph for the same reason), so each step is bound to a
// cluster while it runs on this task.

import { parseDeviceName, taskOf } from "../device/device-name.js";
import { internal } from "../framework/errors.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { sendDeviceOfKey } from "./rendezvous-mgr.js";
import { keyToSession, type TaskRename } from "./task-rename.js";

/**
 * TF's RecvTensor on another task's WorkerService (rpc/worker-service-client.ts speaks it over
 * gRPC; the engine sees only this).
 */
export interface RecvTensorClients {
  recvTensor(address: string, stepId: bigint, key: string, signal: AbortSignal): Promise<RendezvousValue>;
  close(): void;
}

/** Task name ("/job:worker/replica:0/task:1") → address ("host:port"). */
export type ClusterAddresses = ReadonlyMap<string, string>;

export interface RemoteRendezvous {
  /** The cluster step `stepId` resolves other tasks in, from its first RunGraph here until CleanupGraph. */
  bindStep(stepId: bigint, cluster: ClusterAddresses, rename?: TaskRename): void;
  unbindStep(stepId: bigint): void;
  /** Receives `key` (whose send device is on another task) from that task's RecvTensor. */
  recv(stepId: bigint, key: string, signal: AbortSignal): Promise<RendezvousValue>;
  close(): void;
}

/** How many steps may be bound at once before the oldest binding is dropped (steps never cleaned up). */
const maxBoundSteps = 65_536;

export function createRemoteRendezvous(
  clients: RecvTensorClients,
  defaultCluster: ClusterAddresses,
): RemoteRendezvous {
  const steps = new Map<bigint, { cluster: ClusterAddresses; rename: TaskRename | undefined }>();
  return {
    bindStep(stepId, cluster, rename) {
      steps.delete(stepId);
      steps.set(stepId, { cluster, rename });
      if (steps.size > maxBoundSteps) steps.delete(steps.keys().next().value!);
    },
    unbindStep(stepId) {
      steps.delete(stepId);
    },
    recv(stepId, ownKey, signal) {
      const bound = steps.get(stepId);
      // The sender holds the key under the names the step's session gives this task.
      const key = bound?.rename ? keyToSession(bound.rename, ownKey) : ownKey;
      const device = parseDeviceName(sendDeviceOfKey(key));
      if (device?.job === undefined || device.task === undefined) {
        return Promise.reject(internal(`Rendezvous key ${key} has no send task`));
      }
      const task = taskOf({ ...device, replica: device.replica ?? 0 });
      const address = (bound?.cluster ?? defaultCluster).get(task);
      if (address === undefined) {
        // TF's RpcRemoteRendezvous answers this for a task its worker cache does not know (a
        // session without ClusterSpec propagation uses the worker's own --cluster).
        return Promise.reject(internal(`No worker known as ${task}`));
      }
      return clients.recvTensor(address, stepId, key, signal);
    },
    close() {
      steps.clear();
      clients.close();
    },
  };
}
