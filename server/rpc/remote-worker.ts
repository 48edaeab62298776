// TensorFlow's GrpcRemoteWorker (core/distributed_runtime/rpc/grpc_remote_worker.cc): a task of a
// TF cluster (any tf.distribute.Server) seen by tfgate's master through WorkerInterface, its calls
// made over gRPC (HTTP/2, grpc-unary-channel.ts) to /tensorflow.WorkerService/<Method>, the paths
// TF's own server serves.
//
// What the master gets from it is what TF's master gets from a remote worker:
//  - GetStatus lists the task's devices with their incarnations (refreshDevices); the incarnations
//    go into the _Send/_Recv attrs of every partition that talks to the task, so a restarted task
//    (new incarnations) is noticed instead of mixing tensors of two lifetimes;
//  - CreateWorkerSession carries a ServerDef with the whole cluster (so the task can reach its
//    peers for RecvTensor) and the task's own job and index;
//  - RegisterGraph takes the task's whole share of a client graph (nodes on any of its devices): the
//    task splits it by device itself, as TF's GraphMgr does;
//  - RunGraph feeds with `send`, fetches with `recv_key`, a fresh request_id per call, errors in the
//    response body; aborting the step cancels the call, which makes TF's worker cancel the step;
//  - RecvTensor pulls a value a partition on the task sent to a partition on another task.
// Transport failures become UNAVAILABLE naming the task and its address. It lives in the RPC layer
// (the engine knows no transport): the master gets it as MasterOptions.remoteWorker.

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { DeviceAttributes } from "../../gen/tensorflow/core/framework/device_attributes_pb.js";
import { NamedTensorProtoSchema } from "../../gen/tensorflow/core/protobuf/named_tensor_pb.js";
import { ServerDefSchema } from "../../gen/tensorflow/core/protobuf/tensorflow_server_pb.js";
import type { RunGraphResponse as RunGraphResponseMessage } from "../../gen/tensorflow/core/protobuf/worker_pb.js";
import { WorkerService } from "../../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";
import { type ParsedName, parseDeviceName } from "../engine/device/device-name.js";
import type { Device } from "../engine/device/device-set.js";
import { abortSignalOf } from "../engine/framework/call-cancellation.js";
import { internal, isTfError, type TfCode, TfError, unavailable } from "../engine/framework/errors.js";
import type { RendezvousValue } from "../engine/framework/rendezvous.js";
import { tensorFromProto, tensorToProto } from "../engine/framework/tensor-proto.js";
import { ANONYMOUS } from "../engine/master/master.js";
import type {
  RemoteWorker,
  RemoteWorkerOptions,
  RunGraphRequest,
  RunGraphResponse,
} from "../engine/worker/worker-interface.js";
import { acquireSharedChannel } from "./grpc-unary-channel.js";

/**
 * A Device from the attributes a TF worker reports (its name must be a full device name), named
 * under `task`, the name the cluster gives the worker: TF's NewRemoteDevices renames a device whose
 * job, replica or task differ (a worker started under another name, as with ClusterSpec
 * propagation), keeping its type, index and incarnation.
 */
function deviceFromAttributes(a: DeviceAttributes, task: string): Device {
  const reported = parseDeviceName(a.name);
  const name =
    reported?.type !== undefined && reported.id !== undefined && !a.name.startsWith(`${task}/`)
      ? `${task}/device:${reported.type}:${reported.id}`
      : a.name;
  const parsed = parseDeviceName(name);
  if (
    parsed?.job === undefined ||
    parsed.replica === undefined ||
    parsed.task === undefined ||
    parsed.type === undefined ||
    parsed.id === undefined
  ) {
    throw internal(`Remote worker reported a device with an incomplete name: '${a.name}'`);
  }
  return {
    name,
    type: a.deviceType,
    incarnation: a.incarnation,
    parsed: parsed as Required<ParsedName>,
    memoryLimit: a.memoryLimit,
  };
}

/** Unique, non-zero request ids (TF's GetUniqueRequestId): random start, then counting. */
function createRequestIds(): () => bigint {
  let next = BigInt.asIntN(63, BigInt(Math.floor(Math.random() * 2 ** 48)) << 12n) | 1n;
  return () => {
    next = next + 1n;
    if (next <= 0n) next = 1n;
    return next;
  };
}

/** Parses "/job:j/replica:r/task:t". */
function taskParts(task: string): { job: string; replica: number; taskIndex: number } {
  const m = /^\/job:([^/]+)\/replica:(\d+)\/task:(\d+)$/.exec(task);
  if (m === null) throw internal(`Not a task name: '${task}'`);
  return { job: m[1]!, replica: Number(m[2]), taskIndex: Number(m[3]) };
}

// long-function: one closure per WorkerService call sharing the client, the task's identity and the error mapping; each call is a few lines.
export function createRemoteWorker(options: RemoteWorkerOptions): RemoteWorker {
  const { task, address } = options;
  // No keepalive pings: TF's gRPC server answers pings it finds too frequent (by its defaults, more
  // than one per 5 minutes without data) with GOAWAY ENHANCE_YOUR_CALM, which kills every call on
  // the connection. A dead task is noticed by the calls themselves.
  const channel = acquireSharedChannel(address);
  const controlTimeoutMs = options.controlTimeoutMs ?? 10_000;
  const requestId = createRequestIds();
  const { job, taskIndex, replica } = taskParts(task);
  let devices: readonly Device[] = [];
  /** Sessions for which CreateWorkerSession succeeded here (their calls say so). */
  const sessions = new Set<string>();
  let closed = false;

  /**
   * A failed call as a TfError: the task's own status as is, a transport failure as UNAVAILABLE.
   * Callers handle their own cancellation first, so a CANCELLED here is the connection's: a task
   * that dies resets its streams (HTTP/2 CANCEL).
   */
  const toError = (e: unknown, method: string): TfError => {
    if (isTfError(e)) return e;
    const ce = ConnectError.from(e);
    if (ce.code === Code.Unavailable || ce.code === Code.Unknown || ce.code === Code.Canceled) {
      const detail = ce.rawMessage === "" ? "connection failed" : ce.rawMessage;
      return unavailable(`${method} to ${task} at ${address} failed: ${detail}`);
    }
    return new TfError(ce.code as Exclude<TfCode, 0>, ce.rawMessage);
  };

  const control = async <T>(method: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (closed) throw unavailable(`The connection to ${task} at ${address} is closed`);
    const signal = AbortSignal.timeout(controlTimeoutMs);
    try {
      return await call(signal);
    } catch (e) {
      if (signal.aborted) {
        throw unavailable(`${method} to ${task} at ${address} did not answer within ${controlTimeoutMs} ms`);
      }
      throw toError(e, method);
    }
  };

  const rendezvousValue = (
    tensor: Parameters<typeof tensorFromProto>[0] | undefined,
    isDead: boolean,
  ): RendezvousValue => ({
    tensor: isDead || tensor === undefined ? undefined : tensorFromProto(tensor, "RecvTensorResponse.tensor"),
    isDead,
  });

  return {
    task,
    address,
    splitsGraphByDevice: true,
    getDevices: () => devices,

    async refreshDevices() {
      const res = await control("GetStatus", (signal) =>
        channel.call(WorkerService.method.getStatus, {}, signal),
      );
      devices = res.deviceAttributes.map((a) => deviceFromAttributes(a, task));
      return devices;
    },

    // A task has TF's one namespace, not tfgate's per-principal ones (docs/security.md): sessions of
    // principals other than the anonymous one are always isolated there, and only the anonymous
    // principal's Reset clears the task's shared containers.
    async createWorkerSession(sessionHandle, isolate, tenant) {
      const serverDef = create(ServerDefSchema, {
        cluster: options.cluster,
        jobName: job,
        replica,
        taskIndex,
        protocol: "grpc",
      });
      await control("CreateWorkerSession", (signal) =>
        channel.call(
          WorkerService.method.createWorkerSession,
          { sessionHandle, serverDef, isolateSessionState: isolate || tenant !== ANONYMOUS },
          signal,
        ),
      );
      sessions.add(sessionHandle);
    },

    async deleteWorkerSession(sessionHandle) {
      if (!sessions.delete(sessionHandle)) return;
      await control("DeleteWorkerSession", (signal) =>
        channel.call(WorkerService.method.deleteWorkerSession, { sessionHandle }, signal),
      );
    },

    async registerGraph(req) {
      const res = await control("RegisterGraph", (signal) =>
        channel.call(
          WorkerService.method.registerGraph,
          {
            sessionHandle: req.sessionHandle,
            createWorkerSessionCalled: sessions.has(req.sessionHandle),
            graphDef: req.graphDef,
            ...(req.graphOptions ? { graphOptions: req.graphOptions } : {}),
            ...(req.configProto ? { configProto: req.configProto } : {}),
          },
          signal,
        ),
      );
      return `${req.sessionHandle}\u0000${res.graphHandle}`;
    },

    async deregisterGraph(handle) {
      const [sessionHandle, graphHandle] = handle.split("\u0000") as [string, string];
      await control("DeregisterGraph", (signal) =>
        channel.call(
          WorkerService.method.deregisterGraph,
          { sessionHandle, graphHandle, createWorkerSessionCalled: sessions.has(sessionHandle) },
          signal,
        ),
      );
    },

    async runGraph(req: RunGraphRequest): Promise<RunGraphResponse> {
      const [sessionHandle, graphHandle] = req.graphHandle.split("\u0000") as [string, string];
      let res: RunGraphResponseMessage;
      try {
        res = await channel.call(
          WorkerService.method.runGraph,
          {
            sessionHandle,
            createWorkerSessionCalled: sessions.has(sessionHandle),
            graphHandle,
            stepId: req.stepId,
            execOpts: {
              recordTimeline: req.collectStepStats ?? false,
              recordCosts: req.collectStepStats ?? false,
              recordPartitionGraphs: req.recordPartitionGraphs ?? false,
            },
            send: [...req.send].map(([name, t]) =>
              create(NamedTensorProtoSchema, { name, tensor: tensorToProto(t) }),
            ),
            recvKey: [...req.recvKeys],
            isPartial: req.isPartial ?? false,
            isLastPartialRun: req.isLastPartialRun ?? false,
            storeErrorsInResponseBody: true,
            requestId: requestId(),
          },
          abortSignalOf(req.signal),
        );
      } catch (e) {
        if (req.signal.aborted && isTfError(req.signal.reason)) throw req.signal.reason;
        throw toError(e, "RunGraph");
      }
      if (res.statusCode !== 0) {
        throw new TfError(res.statusCode as Exclude<TfCode, 0>, res.statusErrorMessage);
      }
      const recv = new Map<string, RendezvousValue>();
      for (const r of res.recv) recv.set(r.name, rendezvousValue(r.tensor, false));
      return {
        recv,
        deviceStepStats: res.stepStats?.devStats ?? [],
        partitionGraphs: res.partitionGraph,
      };
    },

    async recvTensor(stepId, key, signal) {
      try {
        const res = await channel.call(
          WorkerService.method.recvTensor,
          { stepId, rendezvousKey: key, requestId: requestId() },
          signal,
        );
        return rendezvousValue(res.tensor, res.isDead);
      } catch (e) {
        if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : toError(e, "RecvTensor");
        throw toError(e, "RecvTensor");
      }
    },

    cleanupGraph(stepId) {
      // TF's master does not wait for CleanupGraph either; a dead task has nothing left to clean.
      control("CleanupGraph", (signal) =>
        channel.call(WorkerService.method.cleanupGraph, { stepId }, signal),
      ).catch((e: unknown) =>
        options.log("warn", `CleanupGraph on ${task}: ${e instanceof Error ? e.message : String(e)}`),
      );
    },

    async cleanupAll(containers, tenant) {
      if (tenant !== ANONYMOUS) return;
      await control("CleanupAll", (signal) =>
        channel.call(WorkerService.method.cleanupAll, { container: [...containers] }, signal),
      );
    },

    async close() {
      closed = true;
      channel.close();
    },
  };
}
