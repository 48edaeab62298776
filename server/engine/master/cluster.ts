// The tasks of a TF cluster that tfgate's master drives (TF's WorkerCache with its DeviceFinder,
// core/distributed_runtime/master.cc): one RemoteWorker per task of the ClusterDef other than
// tfgate's own, device discovery with GetStatus at each CreateSession and ListDevices (so a
// restarted task's new incarnations are seen), and the owner of a remote device.
//
// A session's config.device_filters narrow the tasks contacted, as TF's DeviceFinder does: a task
// no filter matches is not asked, so sessions that do not involve a dead task still start.

import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { type ClusterDef, ClusterDefSchema } from "../../../gen/tensorflow/core/protobuf/cluster_pb.js";
import { type ParsedName, parseDeviceName, taskOf } from "../device/device-name.js";
import { type Device, sortDevices } from "../device/device-set.js";
import { invalidArgument } from "../framework/errors.js";
import type { RemoteWorker, RemoteWorkerFactory, WorkerInterface } from "../worker/worker-interface.js";
import type { MasterSessionEnv } from "./master-session.js";

export interface ClusterWorkers {
  /** The cluster as given (tfgate's own entry included), for the tasks' ServerDefs. */
  readonly cluster: ClusterDef;
  readonly remotes: readonly RemoteWorker[];
  /**
   * GetStatus on every task the filters admit (all when there are none): their devices, in TF's
   * priority order. A task that does not answer fails the call UNAVAILABLE, naming it.
   */
  discover(deviceFilters?: readonly string[]): Promise<Device[]>;
  /** The remote worker owning a device, by full device name. */
  workerOf(device: string): RemoteWorker | undefined;
  close(): Promise<void>;
}

/**
 * A ClusterDef from JSON: its protobuf JSON ({"job": [{"name": "worker", "tasks": {"0": "h:p"}}]})
 * or TF's ClusterSpec dictionary ({"worker": ["h:p", "h:p"]}, or a task index → address map per
 * job, as tf.train.ClusterSpec and TF_CONFIG write it). Throws for anything else.
 */
export function clusterDefFromJson(text: string): ClusterDef {
  const json = JSON.parse(text) as JsonValue;
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error("a cluster is a JSON object");
  }
  if ("job" in json) return fromJson(ClusterDefSchema, json);
  const job = Object.entries(json).map(([name, tasks]) => {
    let entries: [string, JsonValue][];
    if (Array.isArray(tasks)) entries = tasks.map((t, i) => [String(i), t]);
    else if (tasks !== null && typeof tasks === "object") entries = Object.entries(tasks);
    else throw new Error(`job '${name}': expected a list of addresses or an index → address map`);
    const byIndex: Record<number, string> = {};
    for (const [i, address] of entries) {
      if (!/^\d+$/.test(i) || typeof address !== "string") {
        throw new Error(`job '${name}': task ${i} must be an index with a "host:port" string`);
      }
      byIndex[Number(i)] = address;
    }
    return { name, tasks: byIndex };
  });
  return create(ClusterDefSchema, { job });
}

/** "/job:j/replica:0/task:t" for every task of a cluster, with its address. */
export function clusterTasks(cluster: ClusterDef): { task: string; address: string }[] {
  const tasks: { task: string; address: string }[] = [];
  const jobs = new Set<string>();
  for (const job of cluster.job) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(job.name)) {
      throw invalidArgument(`Invalid job name in cluster: '${job.name}'`);
    }
    if (jobs.has(job.name)) throw invalidArgument(`Job '${job.name}' appears twice in the cluster`);
    jobs.add(job.name);
    for (const [index, address] of Object.entries(job.tasks)) {
      if (!/^[^\s/]+:\d+$/.test(address)) {
        throw invalidArgument(`Task ${index} of job '${job.name}' has no valid host:port: '${address}'`);
      }
      tasks.push({ task: `/job:${job.name}/replica:0/task:${index}`, address });
    }
  }
  return tasks;
}

/** True when a device filter ("/job:worker", "/job:ps/task:1", …) can match a device of `task`. */
function filterAdmitsTask(filter: ParsedName, task: ParsedName): boolean {
  return (
    (filter.job === undefined || filter.job === task.job) &&
    (filter.replica === undefined || filter.replica === task.replica) &&
    (filter.task === undefined || filter.task === task.task)
  );
}

export function createClusterWorkers(
  cluster: ClusterDef,
  localTask: string,
  createRemoteWorker: RemoteWorkerFactory,
  log: (level: "info" | "warn" | "error", message: string) => void,
): ClusterWorkers {
  const remotes = clusterTasks(cluster)
    .filter((t) => t.task !== localTask)
    .map((t) => createRemoteWorker({ task: t.task, address: t.address, cluster, log }));
  const byTask = new Map(remotes.map((w) => [w.task, w]));
  const admitted = (deviceFilters: readonly string[]) => {
    if (deviceFilters.length === 0) return remotes;
    const filters = deviceFilters.map((f) => {
      const parsed = parseDeviceName(f);
      if (parsed === undefined) throw invalidArgument(`Invalid device filter: ${f}`);
      return parsed;
    });
    return remotes.filter((w) => {
      const task = parseDeviceName(w.task)!;
      return filters.some((f) => filterAdmitsTask(f, task));
    });
  };
  return {
    cluster,
    remotes,
    async discover(deviceFilters = []) {
      const found = await Promise.all(admitted(deviceFilters).map((w) => w.refreshDevices()));
      return sortDevices(found.flat());
    },
    workerOf(device) {
      const parsed = parseDeviceName(device);
      if (parsed?.job === undefined || parsed.task === undefined) return undefined;
      return byTask.get(taskOf({ ...parsed, replica: parsed.replica ?? 0 }));
    },
    async close() {
      await Promise.all(remotes.map((w) => w.close()));
    },
  };
}

/**
 * A session's environment over `devices` (its first the client device), each remote one owned by
 * its task's RemoteWorker in `cluster` and every other by `localWorker`. A task that failed a step
 * is asked for its devices again: new incarnations mean it restarted (its graphs and worker
 * session are gone), so the session gets a new worker session there and its partitions are built
 * again with the new incarnations.
 */
export function clusterSessionEnvironment(
  base: MasterSessionEnv,
  devices: Device[],
  cluster: ClusterWorkers,
  localWorker: (device: string) => WorkerInterface,
  session: { handle: string; isolate: boolean; principal: string },
): MasterSessionEnv {
  return {
    ...base,
    devices,
    workerFor: (d) => cluster.workerOf(d) ?? localWorker(d),
    async refreshRemote(worker) {
      const owner = cluster.remotes.find((r) => r === worker);
      if (owner === undefined) return false;
      const fresh = new Map((await owner.refreshDevices()).map((d) => [d.name, d]));
      let restarted = false;
      devices.forEach((d, i) => {
        const now = fresh.get(d.name);
        if (now !== undefined && now.incarnation !== d.incarnation) {
          devices[i] = now;
          restarted = true;
        }
      });
      if (restarted) await owner.createWorkerSession(session.handle, session.isolate, session.principal);
      return restarted;
    },
  };
}
