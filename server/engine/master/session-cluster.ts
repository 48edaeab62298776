// ClusterSpec propagation on the master side (TF's Master::CreateSession with
// ConfigProto.cluster_def, core/distributed_runtime/master.cc, and GrpcServer::WorkerCacheFactory):
// a session whose config carries a ClusterDef uses the tasks of that cluster, not the server's.
//
// How TF reads the ClusterDef, and tfgate with it:
//  - the master's own task is the one whose address equals the session's target (the client's
//    "grpc://host:port" without its scheme); none, or more than one, is an error, and so is a task
//    that repeats the job and index the server was started as;
//  - every other task is a worker reached at its address; its devices are seen under the session's
//    name for it (TF's NewRemoteDevices renames them), and it gets a worker session with a ServerDef
//    naming the cluster and its job and index, always isolated;
//  - the master's own devices are renamed too, to its task in the cluster: its CPU:0 is the
//    session's client device.
// A ClusterDef makes the master open connections to addresses a client chose, so the operator
// decides whether clients may do that (SessionClusterPolicy; docs/security.md).

import type { ClusterDef } from "../../../gen/tensorflow/core/protobuf/cluster_pb.js";
import type { ConfigProto } from "../../../gen/tensorflow/core/protobuf/config_pb.js";
import { type Device, sortDevices } from "../device/device-set.js";
import { internal, invalidArgument, notFound, permissionDenied, unimplemented } from "../framework/errors.js";
import { createRenamedWorker, type StepRoutes } from "../worker/renamed-worker.js";
import { sendDeviceOfKey } from "../worker/rendezvous-mgr.js";
import type { RemoteWorker, RemoteWorkerFactory, WorkerInterface } from "../worker/worker-interface.js";
import { clusterSessionEnvironment, createClusterWorkers } from "./cluster.js";
import type { MasterSessionEnv } from "./master-session.js";

/**
 * Which ClusterDefs a CreateSession may carry (--session-clusters): none ("off"), those whose
 * addresses the operator listed ("listed": the server's own --cluster and --session-cluster-hosts),
 * or any ("any", TF's behaviour).
 */
export type SessionClusterMode = "off" | "listed" | "any";
export const sessionClusterModes: readonly SessionClusterMode[] = ["off", "listed", "any"];

export interface SessionClusterPolicy {
  readonly mode: SessionClusterMode;
  /** "host:port" entries, or "host" for any port of it, that "listed" admits besides --cluster's. */
  readonly hosts: readonly string[];
  /** The addresses of the server's own cluster (--cluster), admitted by "listed" too. */
  readonly clusterAddresses: readonly string[];
}

/** One task of a propagated cluster. */
export interface PropagatedTask {
  readonly task: string;
  readonly address: string;
}

export interface PropagatedCluster {
  readonly cluster: ClusterDef;
  /** The master's own task in it, "/job:<job>/replica:0/task:<i>". */
  readonly ownTask: string;
  /** The other tasks, which the session reaches over the network. */
  readonly remotes: readonly PropagatedTask[];
}

/** TF's DebugString of a ClusterDef (map entries in key order), on one line or indented. */
export function clusterDebugString(cluster: ClusterDef, oneLine: boolean): string {
  const lines: string[] = [];
  for (const job of cluster.job) {
    const tasks = Object.entries(job.tasks).sort(([a], [b]) => Number(a) - Number(b));
    lines.push("job {", `  name: ${JSON.stringify(job.name)}`);
    for (const [index, address] of tasks) {
      lines.push("  tasks {", `    key: ${index}`, `    value: ${JSON.stringify(address)}`, "  }");
    }
    lines.push("}");
  }
  if (oneLine) return lines.map((l) => l.trim()).join(" ");
  return `\n${lines.join("\n")}`;
}

/** TF's "host:port" check for a channel address (NewHostPortGrpcChannel). */
function isHostPort(address: string): boolean {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):(\d{1,5})$/.exec(address);
  return m !== null && Number(m[2]) <= 65535;
}

/** "host" of "host:port" ("[::1]:p" → "[::1]"), lower-cased for comparison. */
function hostOf(address: string): string {
  return address.slice(0, address.lastIndexOf(":")).toLowerCase();
}

/** Whether "listed" admits an address: exactly, or by its host alone. */
function isListed(policy: SessionClusterPolicy, address: string): boolean {
  const a = address.toLowerCase();
  if (policy.clusterAddresses.some((c) => c.toLowerCase() === a)) return true;
  return policy.hosts.some((h) => {
    const entry = h.toLowerCase();
    const hasPort = /^(\[[^\]]*\]|[^:]+):\d+$/.test(entry);
    return hasPort ? entry === a : entry === hostOf(a);
  });
}

/**
 * Reads a session's ClusterDef as TF's master does and applies the operator's policy, before any
 * connection is opened. `target` is CreateSessionRequest.target; `bootTask` the task the server
 * itself was started as. Throws TF's errors (and PERMISSION_DENIED for what the policy refuses).
 */
// long-function: TF's checks in TF's order (master task, boot task, duplicate jobs, addresses), then the policy, each a few lines.
export function resolvePropagatedCluster(
  cluster: ClusterDef,
  target: string,
  bootTask: { job: string; task: number },
  policy: SessionClusterPolicy,
): PropagatedCluster {
  if (policy.mode === "off") {
    throw permissionDenied(
      "ConfigProto.cluster_def (ClusterSpec propagation) is turned off on this server; the operator " +
        "can allow it with --session-clusters listed or any (TFGATE_SESSION_CLUSTERS)",
    );
  }
  const normalized = target.replace(/^grpc.*:\/\//, "");
  let own: { job: string; index: number } | undefined;
  for (const job of cluster.job) {
    for (const [index, address] of Object.entries(job.tasks)) {
      if (address !== normalized) continue;
      if (own !== undefined) {
        throw invalidArgument(
          `Found multiple matching tasks that correspond to to the master. Master target: '${target}'. ClusterDef: goo.gle/debugproto    ${clusterDebugString(cluster, true)}`,
        );
      }
      if (job.name === bootTask.job && Number(index) === bootTask.task) {
        throw invalidArgument(
          `The ClusterSpec names the job and task index to be the same names that were provided when the server booted. This is currently not allowed. Job: ${job.name}, task index: ${index}`,
        );
      }
      own = { job: job.name, index: Number(index) };
    }
  }
  if (own === undefined) {
    throw invalidArgument(
      `The master (current machine) is not included in the provided cluster_def. goo.gle/debugproto    ${clusterDebugString(cluster, false)}`,
    );
  }
  const ownTask = `/job:${own.job}/replica:0/task:${own.index}`;
  const jobs = new Set<string>();
  for (const job of cluster.job) {
    if (jobs.has(job.name)) throw invalidArgument(`Duplicate job ID in cluster specification: ${job.name}`);
    jobs.add(job.name);
  }
  const remotes: PropagatedTask[] = [];
  for (const job of cluster.job) {
    for (const [index, address] of Object.entries(job.tasks).sort(([a], [b]) => Number(a) - Number(b))) {
      const task = `/job:${job.name}/replica:0/task:${index}`;
      if (task === ownTask) continue;
      if (!isHostPort(address)) {
        throw invalidArgument(`Could not interpret "${address}" as a host-port pair.`);
      }
      // TF finds no worker for a task whose job has no name.
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(job.name)) throw notFound(`Device ${task} is not found.`);
      remotes.push({ task, address });
    }
  }
  if (policy.mode === "listed") {
    const refused = remotes.filter((r) => !isListed(policy, r.address)).map((r) => r.address);
    if (refused.length > 0) {
      throw permissionDenied(
        `ConfigProto.cluster_def names addresses this server may not connect to: ${refused.join(", ")}. ` +
          "With --session-clusters listed (TFGATE_SESSION_CLUSTERS) a session's tasks must be in the " +
          "server's --cluster or --session-cluster-hosts (TFGATE_SESSION_CLUSTER_HOSTS)",
      );
    }
  }
  return { cluster, ownTask, remotes };
}

/** A propagated session's devices and workers, and what closes the connections it opened. */
export interface PropagatedEnvironment {
  readonly env: MasterSessionEnv;
  /** The session's client device (its own task's CPU:0) and the rest, for ListDevices. */
  readonly clientDevice: Device;
  close(): Promise<void>;
}

export interface PropagationDeps {
  readonly base: MasterSessionEnv;
  /** This process's device workers (their own names). */
  readonly localWorkers: readonly WorkerInterface[];
  readonly remoteWorker: RemoteWorkerFactory;
  readonly routes: StepRoutes;
  /** Whether the session's target serves TF's WorkerService (MasterOptions, same name). */
  readonly targetServesWorkerService: boolean;
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
}

/**
 * Connects a propagated session to its cluster: its own workers under its own task name, a
 * RemoteWorker per other task (GetStatus on those the device filters admit). The connections are
 * the session's and close with it; a failure here closes them at once.
 */
export async function createPropagatedEnvironment(
  propagated: PropagatedCluster,
  config: ConfigProto,
  handle: string,
  principal: string,
  deps: PropagationDeps,
): Promise<PropagatedEnvironment> {
  // The tasks call RecvTensor at the target for values of this process's task (TF's worker finds
  // a task's address in the session's ClusterDef): possible only where that address serves it.
  const factory: RemoteWorkerFactory = deps.targetServesWorkerService
    ? deps.remoteWorker
    : (o) => refusingPullsFrom(deps.remoteWorker(o), propagated.ownTask);
  const cluster = createClusterWorkers(propagated.cluster, propagated.ownTask, factory, deps.log);
  try {
    const remote = await cluster.discover(config.deviceFilters);
    const ownTask = deps.localWorkers[0]!.task;
    const rename = { own: ownTask, session: propagated.ownTask };
    const otherTask = (stepId: bigint, key: string, signal: AbortSignal) => {
      const owner = cluster.workerOf(sendDeviceOfKey(key));
      if (owner === undefined) {
        return Promise.reject(internal(`No task of the session's cluster owns the send device of ${key}`));
      }
      return owner.recvTensor(stepId, key, signal);
    };
    const renamed = deps.localWorkers.map((w) => createRenamedWorker(w, rename, deps.routes, otherTask));
    const byDevice = new Map<string, WorkerInterface>();
    for (const w of renamed) for (const d of w.getDevices()) byDevice.set(d.name, w);
    const local = sortDevices(renamed.flatMap((w) => [...w.getDevices()]));
    const devices: Device[] = [...local, ...remote];
    // TF isolates every worker session of a propagated session.
    const env = clusterSessionEnvironment(deps.base, devices, cluster, (d) => byDevice.get(d)!, {
      handle,
      isolate: true,
      principal,
    });
    return { env, clientDevice: local[0]!, close: () => cluster.close() };
  } catch (e) {
    await cluster.close();
    throw e;
  }
}

/**
 * A task of a propagated cluster that would pull a value from the master's own task (a feed, or
 * an unpinned node's output, consumed on the task) calls RecvTensor at the master's address, the
 * session's target. Unless the server serves TF's WorkerService there too (`serve --worker-port
 * gateway`), such a graph is refused when it is registered, saying so, rather than failing inside
 * TF's worker. (A separate --worker-port does not help: the cluster must name the target.)
 */
function refusingPullsFrom(worker: RemoteWorker, ownTask: string): RemoteWorker {
  return {
    ...worker,
    registerGraph(req) {
      const decoder = new TextDecoder();
      for (const n of req.graphDef.node) {
        if (n.op !== "_Recv" && n.op !== "_HostRecv") continue;
        const from = n.attr.send_device?.value;
        const sender = from?.case === "s" ? decoder.decode(from.value) : "";
        if (sender === ownTask || sender.startsWith(`${ownTask}/`)) {
          return Promise.reject(
            unimplemented(
              `${worker.task} would receive a value from ${sender} (node ${n.name}), this server's own task in the session's cluster_def; this server does not serve TensorFlow's WorkerService (RecvTensor) at the session's target. Start it with --worker-port gateway (TFGATE_WORKER_PORT=gateway) to serve it on the same port, or place the nodes that consume feeds or values computed on ${ownTask} on that task too`,
            ),
          );
        }
      }
      return worker.registerGraph(req);
    },
  };
}
