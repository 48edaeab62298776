// TensorFlow's WorkerInterface (core/distributed_runtime/worker_interface.h), the operations the
// master uses to run partitions: RegisterGraph, RunGraph, CleanupGraph, DeregisterGraph,
// CleanupAll, GetStatus. The master sees workers only through this interface, so a remote worker
// (TF's WorkerService) or a worker on another thread can stand in for the local one.

import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { DeviceStepStats } from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import type { ClusterDef } from "../../../gen/tensorflow/core/protobuf/cluster_pb.js";
import type { ConfigProto, GraphOptions } from "../../../gen/tensorflow/core/protobuf/config_pb.js";
import type { Device } from "../device/device-set.js";
import type { CallerSignal } from "../framework/call-cancellation.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import type { Tensor } from "../framework/tensor.js";

export interface RegisterGraphRequest {
  /** The session whose resources (if isolated) the graph's kernels use. */
  readonly sessionHandle: string;
  /**
   * One device's partition (every node has its full device name), or, for a worker that splits
   * graphs by device itself (splitsGraphByDevice), its task's whole share.
   */
  readonly graphDef: GraphDef;
  /** The session's graph options and config (TF sends both in RegisterGraphRequest). */
  readonly graphOptions?: GraphOptions | undefined;
  readonly configProto?: ConfigProto | undefined;
}

export interface RunGraphRequest {
  readonly graphHandle: string;
  readonly stepId: bigint;
  /** Client feeds for this partition: rendezvous key → tensor. */
  readonly send: ReadonlyMap<string, Tensor>;
  /**
   * The send tensors' storage belongs to this step alone (the master decoded them for it and keeps
   * no use of them), so the step's kernels may write into it once nothing else reads it.
   */
  readonly sendOwned?: boolean;
  /** Rendezvous keys of the client fetches this partition produces. */
  readonly recvKeys: readonly string[];
  /**
   * Aborted when the step is cancelled (Close, deadline, another partition failed, client gone):
   * the master's own CallCancellation, or an AbortSignal (abortSignalOf gives one for either).
   */
  readonly signal: CallerSignal;
  /**
   * A partial run (TF's is_partial): the first call starts the partition, later calls with the same
   * step id only feed and fetch; the call with isLastPartialRun also waits for the partition to end.
   */
  readonly isPartial?: boolean;
  readonly isLastPartialRun?: boolean;
  /** Record a NodeExecStats per executed node (RunOptions.trace_level FULL_TRACE). */
  readonly collectStepStats?: boolean;
  /** Return the partition graphs as the worker runs them (RunOptions.output_partition_graphs). */
  readonly recordPartitionGraphs?: boolean;
}

export interface RunGraphResponse {
  readonly recv: ReadonlyMap<string, RendezvousValue>;
  /** This partition's device stats, when collectStepStats was set (on the last call of a partial run). */
  readonly stepStats?: DeviceStepStats | undefined;
  /** A worker that splits its graph by device reports one entry per device here instead. */
  readonly deviceStepStats?: readonly DeviceStepStats[];
  /** The graphs the worker ran, when recordPartitionGraphs was set and the worker reports them. */
  readonly partitionGraphs?: readonly GraphDef[];
}

export interface WorkerInterface {
  /** "/job:localhost/replica:0/task:0" */
  readonly task: string;
  /**
   * True for a worker that takes its task's whole share of a client graph and splits it by device
   * itself (TF's worker does, in GraphMgr); false or absent: one graph per device.
   */
  readonly splitsGraphByDevice?: boolean;
  getDevices(): readonly Device[];
  registerGraph(req: RegisterGraphRequest): Promise<string>;
  runGraph(req: RunGraphRequest): Promise<RunGraphResponse>;
  /**
   * TF's RecvTensor: waits for the value a _Send on this worker leaves under `key` in step
   * `stepId`'s rendezvous (how a partition on another worker receives it).
   */
  recvTensor(stepId: bigint, key: string, signal: AbortSignal): Promise<RendezvousValue>;
  /** Drops per-step state (rendezvous) once every partition of the step is done. */
  cleanupGraph(stepId: bigint): void;
  /**
   * Takes back the storage of fetched tensors that nothing but an answer held, once the answer is
   * written, for the worker's threads to allocate again (framework/shared-memory-pool.ts). Absent on
   * workers whose storage is not shared memory (a remote task).
   */
  returnStorage?(buffers: readonly SharedArrayBuffer[]): void;
  deregisterGraph(graphHandle: string): Promise<void>;
  /**
   * TF's CreateWorkerSession: with isolate=true the session gets resource containers of its own
   * (freed by deleteWorkerSession); otherwise it shares those of its tenant. A tenant (the caller's
   * principal) is a namespace TF does not have: sessions of one tenant share containers as TF's
   * sessions do, and never see another tenant's.
   */
  createWorkerSession(sessionHandle: string, isolate: boolean, tenant: string): Promise<void>;
  deleteWorkerSession(sessionHandle: string): Promise<void>;
  /** Clears the tenant's named resource containers on all devices; [] = the default container. */
  cleanupAll(containers: readonly string[], tenant: string): Promise<void>;
  close(): Promise<void>;
}

export interface RemoteWorkerOptions {
  /** The task's name, "/job:worker/replica:0/task:1". */
  readonly task: string;
  /** "host:port" of the task's gRPC server (its entry in the cluster). */
  readonly address: string;
  /** The whole cluster, sent to the task in CreateWorkerSession's ServerDef. */
  readonly cluster: ClusterDef;
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
  /**
   * Deadline of the calls that only manage state (GetStatus, sessions, registration, cleanup), so
   * a task that stopped answering fails them instead of hanging them. RunGraph and RecvTensor wait
   * as long as the step does. Default 10 s (TF's master gives DeleteWorkerSession 10 s too).
   */
  readonly controlTimeoutMs?: number;
}

/** A task of a TF cluster reached over TF's WorkerService (TF's GrpcRemoteWorker). */
export interface RemoteWorker extends WorkerInterface {
  /** The task's gRPC address. */
  readonly address: string;
  /** GetStatus: the task's devices as it reports them now (new incarnations after a restart). */
  refreshDevices(): Promise<readonly Device[]>;
}

/** Makes the RemoteWorker of one task (the RPC layer's createRemoteWorker). */
export type RemoteWorkerFactory = (options: RemoteWorkerOptions) => RemoteWorker;
