// TensorFlow's Worker and SessionMgr (core/distributed_runtime/worker.cc, session_mgr.cc), the
// operations of TF's WorkerService over this task's device workers (the same worker threads a
// tfgate master drives): a TF master in the cluster registers its partition for this task, runs it
// step by step, and other tasks fetch the values its _Sends leave with RecvTensor.
//
// Shaped after TF's: worker sessions (CreateWorkerSession) each hold their graphs and the cluster
// they resolve other tasks in; requests without create_worker_session_called use the legacy
// session, which every caller shares. One difference: the device workers see each worker session
// under a name scoped by the caller's principal, so WorkerService callers are tenants like
// MasterService callers (docs/security.md) and never reach another tenant's sessions or containers.

import { randomBytes } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import {
  type DeviceAttributes,
  DeviceAttributesSchema,
  DeviceLocalitySchema,
} from "../../../gen/tensorflow/core/framework/device_attributes_pb.js";
import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { StepStatsSchema } from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import { NamedTensorProtoSchema } from "../../../gen/tensorflow/core/protobuf/named_tensor_pb.js";
import type { ServerDef } from "../../../gen/tensorflow/core/protobuf/tensorflow_server_pb.js";
import {
  type CleanupAllRequest,
  type CreateWorkerSessionRequest,
  type DeregisterGraphRequest,
  type RecvTensorRequest,
  type RecvTensorResponse,
  RecvTensorResponseSchema,
  type RegisterGraphRequest,
  type RunGraphRequest,
  type RunGraphResponse,
  RunGraphResponseSchema,
} from "../../../gen/tensorflow/core/protobuf/worker_pb.js";
import { taskOf } from "../device/device-name.js";
import type { Device } from "../device/device-set.js";
import { aborted, cancelled, invalidArgument, isTfError, TfError } from "../framework/errors.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { tensorFromProto, tensorToProto } from "../framework/tensor-proto.js";
import { abortedHandle } from "./errors.js";
import type { ClusterAddresses, RemoteRendezvous } from "./remote-rendezvous.js";
import { recvDeviceOfKey, sendDeviceOfKey } from "./rendezvous-mgr.js";
import { splitByDevice } from "./split-by-device.js";
import { graphToOwn, keyToOwn, keyToSession, type TaskRename, toSessionDevice } from "./task-rename.js";
import type { WorkerInterface } from "./worker-interface.js";

/** Who is calling and their cancellation (the RPC layer fills it in). */
export interface WorkerCallContext {
  readonly principal: string;
  readonly signal?: AbortSignal | undefined;
}

export interface WorkerServiceOptions {
  /** This task's device workers; together they own every device of the task. */
  readonly workers: readonly WorkerInterface[];
  /** Where other tasks' values come from; undefined: a partition may not receive from other tasks. */
  readonly remote?: RemoteRendezvous | undefined;
  /** The cluster of the legacy session (this server's own --cluster), task → address. */
  readonly defaultCluster?: ClusterAddresses | undefined;
  /** How many recent request ids RunGraph and RecvTensor remember (TF: 100,000). */
  readonly requestIdWindow?: number | undefined;
  /**
   * For the gateway's own WorkerService: the name a propagated session of this process's master
   * gives the task in a running step, by the master's step id (Master.stepRename). A TF task of
   * that session asks RecvTensor for the step's values under that name.
   */
  readonly stepRename?: ((stepId: bigint) => TaskRename | undefined) | undefined;
}

/** A registered graph: one piece per device, each registered on the worker owning that device. */
interface WorkerGraph {
  readonly pieces: readonly {
    readonly worker: WorkerInterface;
    readonly device: string;
    readonly handle: string;
  }[];
  readonly partitionGraphs: readonly GraphDef[];
}

interface WorkerSession {
  /** The name the device workers know this session by (scoped by principal). */
  readonly engineHandle: string;
  readonly principal: string;
  readonly cluster: ClusterAddresses;
  /** The task name the session's ServerDef gives this worker, when not its own (task-rename.ts). */
  readonly rename?: TaskRename | undefined;
  readonly graphs: Map<string, WorkerGraph>;
}

export interface WorkerService {
  readonly taskName: string;
  getStatus(): DeviceAttributes[];
  createWorkerSession(req: CreateWorkerSessionRequest, ctx: WorkerCallContext): Promise<void>;
  deleteWorkerSession(sessionHandle: string, ctx: WorkerCallContext): Promise<void>;
  registerGraph(req: RegisterGraphRequest, ctx: WorkerCallContext): Promise<string>;
  deregisterGraph(req: DeregisterGraphRequest, ctx: WorkerCallContext): Promise<void>;
  runGraph(req: RunGraphRequest, ctx: WorkerCallContext): Promise<RunGraphResponse>;
  cleanupGraph(stepId: bigint): void;
  cleanupAll(req: CleanupAllRequest, ctx: WorkerCallContext): Promise<void>;
  recvTensor(req: RecvTensorRequest, ctx: WorkerCallContext): Promise<RecvTensorResponse>;
  close(): Promise<void>;
}

/** The addresses of a ServerDef's cluster by task name. */
export function clusterAddresses(serverDef: ServerDef | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const job of serverDef?.cluster?.job ?? []) {
    for (const [index, address] of Object.entries(job.tasks)) {
      out.set(`/job:${job.name}/replica:0/task:${index}`, address);
    }
  }
  return out;
}

/** TF's RecentRequestIds, for the worker's RunGraph and RecvTensor. */
function createRecentRequestIds(capacity: number) {
  const order: bigint[] = [];
  const seen = new Set<bigint>();
  return (id: bigint, method: string): void => {
    if (id === 0n || capacity === 0) return;
    if (seen.has(id)) {
      throw aborted(`The same ${method} (GrpcWorker) request was received twice. request_id: ${id}`);
    }
    seen.add(id);
    order.push(id);
    if (order.length > capacity) seen.delete(order.shift()!);
  };
}

/**
 * The names live worker sessions give this task (counted: several sessions may use one). Every
 * such name stands for this same task, so a key in any of them maps to the task's own names.
 */
function createTaskAliases(own: string) {
  const names = new Map<string, number>();
  return {
    add(name: string) {
      names.set(name, (names.get(name) ?? 0) + 1);
    },
    drop(name: string) {
      const left = (names.get(name) ?? 1) - 1;
      if (left === 0) names.delete(name);
      else names.set(name, left);
    },
    toOwn(key: string): string {
      let out = key;
      for (const name of names.keys()) out = keyToOwn({ own, session: name }, out);
      return out;
    },
  };
}

/** The incarnation check of TF's Worker::PrepareRecvTensor, with its wording. */
function checkIncarnation(key: string, device: Device): void {
  const fields = key.split(";");
  const incarnation = BigInt.asUintN(64, BigInt(`0x${fields[1] ?? "0"}`));
  if (incarnation !== BigInt.asUintN(64, device.incarnation)) {
    throw aborted(
      `RecvTensor expects a different device incarnation: ${incarnation} vs. ${BigInt.asUintN(64, device.incarnation)}. Your worker job was probably restarted. Check your worker job for the reason why it was restarted.`,
    );
  }
}

// long-function: the WorkerService operations close over one session table, the task's workers and its device map; each is short.
export function createWorkerService(options: WorkerServiceOptions): WorkerService {
  const workerByDevice = new Map<string, WorkerInterface>();
  const devices: Device[] = [];
  for (const w of options.workers) {
    for (const d of w.getDevices()) {
      workerByDevice.set(d.name, w);
      devices.push(d);
    }
  }
  const deviceByName = new Map(devices.map((d) => [d.name, d]));
  const taskName = taskOf(devices[0]!.parsed);
  const sessions = new Map<string, WorkerSession>();
  /** The legacy session of each principal (TF has one; here one per tenant, created on first use). */
  const legacy = new Map<string, WorkerSession>();
  const track = createRecentRequestIds(options.requestIdWindow ?? 100_000);
  const aliases = createTaskAliases(taskName);
  /** Steps running here, so a stopping server or CleanupGraph can reach them. */
  const running = new Map<bigint, Set<AbortController>>();

  const allWorkers = () => options.workers;
  const open = async (
    engineHandle: string,
    principal: string,
    cluster: ClusterAddresses,
    isolate: boolean,
  ) => {
    await Promise.all(allWorkers().map((w) => w.createWorkerSession(engineHandle, isolate, principal)));
    return { engineHandle, principal, cluster, graphs: new Map<string, WorkerGraph>() };
  };

  const sessionFor = async (
    handle: string,
    createCalled: boolean,
    ctx: WorkerCallContext,
  ): Promise<WorkerSession> => {
    if (createCalled && handle !== "") {
      const s = sessions.get(handle);
      if (s === undefined || s.principal !== ctx.principal) {
        throw aborted(
          `Session handle is not found: ${handle}. Possibly this worker ("${taskName}") just restarted.`,
        );
      }
      return s;
    }
    let s = legacy.get(ctx.principal);
    if (s === undefined) {
      s = await open(`legacy/${ctx.principal}`, ctx.principal, options.defaultCluster ?? new Map(), false);
      legacy.set(ctx.principal, s);
    }
    return s;
  };

  const graphOf = (session: WorkerSession, handle: string): WorkerGraph => {
    const g = session.graphs.get(handle);
    if (g === undefined) throw abortedHandle(handle);
    return g;
  };

  const dropGraph = async (g: WorkerGraph) => {
    await Promise.allSettled(g.pieces.map((p) => p.worker.deregisterGraph(p.handle)));
  };

  return {
    taskName,

    getStatus: () =>
      devices.map((d) =>
        create(DeviceAttributesSchema, {
          name: d.name,
          deviceType: d.type,
          memoryLimit: d.memoryLimit,
          locality: create(DeviceLocalitySchema),
          incarnation: BigInt.asUintN(64, d.incarnation),
          physicalDeviceDesc: "",
        }),
      ),

    async createWorkerSession(req, ctx) {
      if (req.sessionHandle === "") throw invalidArgument("Session must be non-empty.");
      const def = req.serverDef;
      // TF's SessionMgr: a ServerDef with a cluster names this worker for the session; its devices
      // are seen under that name in the session's graphs and keys (GetStatus keeps its own).
      let rename: TaskRename | undefined;
      if (def !== undefined && (def.cluster?.job.length ?? 0) > 0) {
        const named = `/job:${def.jobName}/replica:0/task:${def.taskIndex}`;
        if (def.jobName === "") {
          throw invalidArgument("The ServerDef of a worker session with a cluster must name its job");
        }
        if (named !== taskName) rename = { own: taskName, session: named };
      }
      const cluster =
        (def?.cluster?.job.length ?? 0) > 0 ? clusterAddresses(def) : (options.defaultCluster ?? new Map());
      const previous = sessions.get(req.sessionHandle);
      if (previous !== undefined && previous.principal !== ctx.principal) {
        throw aborted(`Session handle ${req.sessionHandle} is in use`);
      }
      const engineHandle = `ws/${ctx.principal}/${req.sessionHandle}`;
      const session = await open(engineHandle, ctx.principal, cluster, req.isolateSessionState);
      if (previous?.rename !== undefined) aliases.drop(previous.rename.session);
      if (rename !== undefined) aliases.add(rename.session);
      sessions.set(req.sessionHandle, { ...session, rename });
    },

    async deleteWorkerSession(handle, ctx) {
      const s = sessions.get(handle);
      // TF: deleting an unknown session succeeds.
      if (s === undefined || s.principal !== ctx.principal) return;
      sessions.delete(handle);
      if (s.rename !== undefined) aliases.drop(s.rename.session);
      await Promise.all([...s.graphs.values()].map(dropGraph));
      await Promise.all(allWorkers().map((w) => w.deleteWorkerSession(s.engineHandle)));
    },

    async registerGraph(req, ctx) {
      const session = await sessionFor(req.sessionHandle, req.createWorkerSessionCalled, ctx);
      if (req.graphDef === undefined || req.graphDef.node.length === 0) {
        throw invalidArgument("RegisterGraph needs a graph_def with at least one node");
      }
      const graphDef = session.rename ? graphToOwn(session.rename, req.graphDef) : req.graphDef;
      const parts = splitByDevice(graphDef, devices);
      const pieces: { worker: WorkerInterface; device: string; handle: string }[] = [];
      try {
        for (const [device, graphDef] of parts) {
          const worker = workerByDevice.get(device)!;
          const handle = await worker.registerGraph({ sessionHandle: session.engineHandle, graphDef });
          pieces.push({ worker, device, handle });
        }
      } catch (e) {
        await dropGraph({ pieces, partitionGraphs: [] });
        throw e;
      }
      const handle = randomBytes(8).toString("hex");
      session.graphs.set(handle, { pieces, partitionGraphs: [...parts.values()] });
      return handle;
    },

    async deregisterGraph(req, ctx) {
      const session = await sessionFor(req.sessionHandle, req.createWorkerSessionCalled, ctx);
      const g = graphOf(session, req.graphHandle);
      session.graphs.delete(req.graphHandle);
      await dropGraph(g);
    },

    async runGraph(req, ctx) {
      track(req.requestId, "RunGraph");
      const session = await sessionFor(req.sessionHandle, req.createWorkerSessionCalled, ctx);
      const graph = graphOf(session, req.graphHandle);
      options.remote?.bindStep(req.stepId, session.cluster, session.rename);
      if (session.rename === undefined) return runPieces(req, graph, ctx, deviceByName, running);
      const r = session.rename;
      const res = await runPieces(
        {
          ...req,
          send: req.send.map((n) => ({ ...n, name: keyToOwn(r, n.name) })),
          recvKey: req.recvKey.map((k) => keyToOwn(r, k)),
        },
        graph,
        ctx,
        deviceByName,
        running,
      );
      for (const n of res.recv) n.name = keyToSession(r, n.name);
      for (const d of res.stepStats?.devStats ?? []) d.device = toSessionDevice(r, d.device);
      return res;
    },

    cleanupGraph(stepId) {
      for (const w of allWorkers()) w.cleanupGraph(stepId);
      options.remote?.unbindStep(stepId);
    },

    async cleanupAll(req, ctx) {
      await Promise.all(allWorkers().map((w) => w.cleanupAll(req.container, ctx.principal)));
    },

    async recvTensor(req, ctx) {
      track(req.requestId, "RecvTensor");
      // A key in the names a propagated session gives this worker (one its worker session named,
      // or one this process's master runs, by the step): its rendezvous holds it under the
      // worker's own names.
      const stepRename = options.stepRename?.(req.stepId);
      const key =
        stepRename !== undefined ? keyToOwn(stepRename, req.rendezvousKey) : aliases.toOwn(req.rendezvousKey);
      const src = sendDeviceOfKey(key);
      const device = deviceByName.get(src);
      if (device === undefined) throw invalidArgument(`${src} unknown device.`);
      checkIncarnation(key, device);
      const sendStart = BigInt(Date.now()) * 1000n;
      const signal = ctx.signal ?? new AbortController().signal;
      const value: RendezvousValue = await workerByDevice.get(src)!.recvTensor(req.stepId, key, signal);
      return create(RecvTensorResponseSchema, {
        isDead: value.isDead,
        sendStartMicros: sendStart,
        ...(value.tensor !== undefined ? { tensor: tensorToProto(value.tensor) } : {}),
      });
    },

    async close() {
      const error = cancelled("The worker is shutting down");
      for (const set of running.values()) for (const c of set) c.abort(error);
      running.clear();
      options.remote?.close();
    },
  };
}

/**
 * Runs one step of a registered graph: each device's piece on its worker, the request's feeds
 * going to the worker of their recv device and its fetches coming from the worker of their send
 * device. The first piece to fail aborts the others (TF's executors share one step's rendezvous).
 */
// long-function: one step's fan-out (feeds and fetches routed by device, one cancellation for all pieces) and its response in TF's shape.
async function runPieces(
  req: RunGraphRequest,
  graph: WorkerGraph,
  ctx: WorkerCallContext,
  deviceByName: ReadonlyMap<string, Device>,
  running: Map<bigint, Set<AbortController>>,
): Promise<RunGraphResponse> {
  const pieceFor = (device: string, key: string) => {
    const piece = graph.pieces.find((p) => p.device === device);
    if (piece === undefined) {
      throw invalidArgument(
        deviceByName.has(device)
          ? `Rendezvous key ${key} names ${device}, which runs no part of this graph`
          : `${device} unknown device.`,
      );
    }
    return piece;
  };
  const sends = new Map(graph.pieces.map((p) => [p, new Map<string, ReturnType<typeof tensorFromProto>>()]));
  for (const named of req.send) {
    if (named.tensor === undefined) throw invalidArgument(`Send ${named.name} has no tensor`);
    sends
      .get(pieceFor(recvDeviceOfKey(named.name), named.name))!
      .set(named.name, tensorFromProto(named.tensor));
  }
  const recvs = new Map(graph.pieces.map((p) => [p, [] as string[]]));
  for (const key of req.recvKey) recvs.get(pieceFor(sendDeviceOfKey(key), key))!.push(key);

  const step = new AbortController();
  let set = running.get(req.stepId);
  if (set === undefined) {
    set = new Set();
    running.set(req.stepId, set);
  }
  set.add(step);
  const onCallAbort = () => step.abort(ctx.signal?.reason ?? cancelled("RunGraph was cancelled"));
  if (ctx.signal?.aborted) onCallAbort();
  else ctx.signal?.addEventListener("abort", onCallAbort, { once: true });
  const collect = req.execOpts?.recordTimeline === true || req.execOpts?.recordCosts === true;
  try {
    const results = await Promise.all(
      graph.pieces.map((p) =>
        p.worker
          .runGraph({
            graphHandle: p.handle,
            stepId: req.stepId,
            send: sends.get(p)!,
            recvKeys: recvs.get(p)!,
            signal: step.signal,
            isPartial: req.isPartial,
            isLastPartialRun: req.isLastPartialRun,
            collectStepStats: collect,
          })
          .catch((e: unknown) => {
            // The root cause aborts the step's other pieces (whose errors then only echo it).
            if (!step.signal.aborted) step.abort(e);
            throw e;
          }),
      ),
    );
    const response = create(RunGraphResponseSchema);
    for (const key of req.recvKey) {
      const value = results.find((r) => r.recv.has(key))!.recv.get(key)!;
      if (value.isDead || value.tensor === undefined) {
        // TF's worker answers fetches from the rendezvous; a dead one cannot be a fetch value.
        throw invalidArgument(`The tensor under ${key} is dead`);
      }
      response.recv.push(create(NamedTensorProtoSchema, { name: key, tensor: tensorToProto(value.tensor) }));
    }
    const stats = results.flatMap((r) => (r.stepStats ? [r.stepStats] : []));
    if (stats.length > 0) response.stepStats = create(StepStatsSchema, { devStats: stats });
    if (req.execOpts?.recordPartitionGraphs) response.partitionGraph = [...graph.partitionGraphs];
    return response;
  } catch (e) {
    throw step.signal.aborted && isTfError(step.signal.reason) ? rootCause(e, step.signal.reason) : e;
  } finally {
    ctx.signal?.removeEventListener("abort", onCallAbort);
    set.delete(step);
    if (set.size === 0) running.delete(req.stepId);
  }
}

/** The error to report: the one that aborted the step, unless this one is more specific. */
function rootCause(e: unknown, reason: TfError): unknown {
  return e instanceof TfError && e.code !== 1 && e.code !== 10 ? e : reason;
}
