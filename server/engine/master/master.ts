// TensorFlow's Master (core/distributed_runtime/master.cc): the session table, request-id
// de-duplication, and the ten MasterService operations, taking and returning TF's protobuf
// messages. The RPC layer is a thin adapter over this class.
//
// Contract: every method may run concurrently with every other; errors are TfErrors with TF's
// codes and messages (docs/semantics.md).

import { randomBytes } from "node:crypto";
import { availableParallelism, totalmem } from "node:os";
import { MessageChannel } from "node:worker_threads";
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { toText } from "@bufbuild/protobuf/txtpb";
import {
  type DeviceAttributes,
  DeviceAttributesSchema,
  DeviceLocalitySchema,
} from "../../../gen/tensorflow/core/framework/device_attributes_pb.js";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { StepStatsSchema } from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import type { ClusterDef } from "../../../gen/tensorflow/core/protobuf/cluster_pb.js";
import {
  CallableOptionsSchema,
  type ConfigProto,
  ConfigProtoSchema,
  type RunMetadata,
  RunMetadataSchema,
  RunOptions_TraceLevel,
} from "../../../gen/tensorflow/core/protobuf/config_pb.js";
import {
  type CloseSessionRequest,
  type CloseSessionResponse,
  CloseSessionResponseSchema,
  type CreateSessionRequest,
  type CreateSessionResponse,
  CreateSessionResponseSchema,
  type ExtendSessionRequest,
  type ExtendSessionResponse,
  ExtendSessionResponseSchema,
  type ListDevicesRequest,
  type ListDevicesResponse,
  ListDevicesResponseSchema,
  type MakeCallableRequest,
  MakeCallableRequestSchema,
  type MakeCallableResponse,
  MakeCallableResponseSchema,
  type PartialRunSetupRequest,
  PartialRunSetupRequestSchema,
  type PartialRunSetupResponse,
  PartialRunSetupResponseSchema,
  type ReleaseCallableRequest,
  type ReleaseCallableResponse,
  ReleaseCallableResponseSchema,
  type ResetRequest,
  type ResetResponse,
  ResetResponseSchema,
  type RunCallableRequest,
  RunCallableRequestSchema,
  type RunCallableResponse,
  RunCallableResponseSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../../../gen/tensorflow/core/protobuf/master_pb.js";
import { NamedTensorProtoSchema } from "../../../gen/tensorflow/core/protobuf/named_tensor_pb.js";
import { taskOf } from "../device/device-name.js";
import type { Device } from "../device/device-set.js";
import { createDevices, sortDevices } from "../device/device-set.js";
import type { CallerSignal } from "../framework/call-cancellation.js";
import {
  aborted,
  cancelled,
  internal,
  invalidArgument,
  resourceExhausted,
  type TfError,
  unimplemented,
} from "../framework/errors.js";
import { FileSandbox, type FileSandboxConfig } from "../framework/file-sandbox.js";
import { createMemoryCeilingShare, defaultMaxMemoryBytes } from "../framework/memory-ceiling.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { tensorToProto } from "../framework/tensor-proto.js";
import { validateNodeDefs } from "../graph/validate-node-defs.js";
import { registerAllKernels } from "../kernels/register-all.js";
import { createLocalWorker } from "../worker/local-worker.js";
import { createStepRoutes, type StepRoutes } from "../worker/renamed-worker.js";
import { sendDeviceOfKey } from "../worker/rendezvous-mgr.js";
import type { TaskRename } from "../worker/task-rename.js";
import { createThreadWorker, type ThreadWorker } from "../worker/thread-worker.js";
import type { RemoteWorkerFactory, WorkerInterface } from "../worker/worker-interface.js";
import type { CallMemory } from "./call-memory.js";
import {
  type ClusterWorkers,
  clusterSessionEnvironment,
  clusterTasks,
  createClusterWorkers,
} from "./cluster.js";
import { mergeConfig } from "./config.js";
import { MasterSession, type MasterSessionEnv, type RunStepResult } from "./master-session.js";
import { checkOpPolicy, createPrincipalQuotas, type OpPolicy, stepTimeoutMs } from "./policy.js";
import { createRequestRate, type RequestRate } from "./request-rate.js";
import {
  createPropagatedEnvironment,
  type PropagatedEnvironment,
  resolvePropagatedCluster,
  type SessionClusterMode,
  type SessionClusterPolicy,
  sessionClusterModes,
} from "./session-cluster.js";

export type LogFn = (level: "info" | "warn" | "error", message: string) => void;

export interface MasterOptions {
  /** Job name of this server's task. Default "localhost" (as tf.distribute.Server's local server). */
  readonly job: string;
  /** Number of CPU devices, each with a worker thread. Default: one per core. */
  readonly cpuDevices: number;
  /**
   * Run each device's kernels on a worker thread of its own (default true), so compute never
   * blocks the RPC thread; false runs one in-thread worker for all devices.
   */
  readonly workerThreads: boolean;
  /**
   * Heap limit of each worker thread in MiB (V8 old generation); 0 = Node's default. Not exposed
   * as a flag: on Node 20, V8 can abort the whole process instead of the worker when a thread
   * hits its limit during some allocations, so the per-tensor budget (maxTensorBytes) is the
   * supported way to bound memory.
   */
  readonly workerMaxHeapMb: number;
  /**
   * A cancelled step (deadline, Close, client gone) stops between two kernels; a worker thread
   * still busy this long after the cancellation (one kernel that never returns) is replaced,
   * failing its steps UNAVAILABLE and losing its variables, like a crash. Default 30 s.
   */
  readonly workerAbortGraceMs: number;
  /**
   * How long close() lets the steps it cancels stop before it terminates the worker threads
   * anyway (a kernel that does not return must not hold a shutdown). Default 5 s.
   */
  readonly closeGraceMs: number;
  /** Session config every CreateSession's config is merged over (TF's ServerDef.default_session_config). */
  readonly defaultSessionConfig: ConfigProto;
  /**
   * Whether large float32 MatMul / BatchMatMul / Conv2D run on onnxruntime over an intra-op pool of
   * defaultSessionConfig.intra_op_parallelism_threads threads (0: every core), as TF's server sizes
   * its devices' Eigen pools (kernels/util/ort.ts). Off, or when the optional onnxruntime-node is
   * missing: XNNPACK in the device's own thread. Default true: device threads are terminated only
   * between native calls (worker/thread-worker.ts), the one moment terminating them is safe.
   */
  readonly nativeKernels: boolean;
  /** Most sessions open at once; CreateSession beyond it fails RESOURCE_EXHAUSTED. Default 1000. */
  readonly maxSessions: number;
  /** Largest graph, in nodes, a session may hold. Default 1,000,000. */
  readonly maxGraphNodes: number;
  /** Largest tensor any kernel or feed may allocate, in bytes. Default 1 GiB. */
  readonly maxTensorBytes: number;
  /**
   * Per-step memory budget in bytes: what the kernels of one step may allocate on one worker
   * (counted as StepMemoryAccount describes); past it the step fails RESOURCE_EXHAUSTED. Default a
   * quarter of the machine's memory (tensor data lives outside V8's heap, so the heap limit is no
   * guide).
   */
  readonly maxStepBytes: number;
  /**
   * The server's memory ceiling in bytes: what all running steps, on every worker, may hold
   * together (framework/memory-ceiling.ts); past it new allocations fail RESOURCE_EXHAUSTED until
   * other steps end. Default half of the machine's memory, or of the cgroup's limit when lower.
   */
  readonly maxMemoryBytes: number;
  /**
   * The largest tensor a step may produce for a fetch (the server's response limit,
   * --max-message-bytes): refused when allocated or built, before it is encoded. 0 = no limit
   * (the default for an embedded engine; the server sets it).
   */
  readonly maxFetchBytes: number;
  /**
   * The directory ops may read and write files in (--files-root), and whether they may only read
   * (--files-read-only). Undefined (the default): every op that touches files is refused.
   */
  readonly files: FileSandboxConfig | undefined;
  /** Ops a graph may hold (undefined: all) and ops it may not (--ops-allow, --ops-deny). */
  readonly opPolicy: OpPolicy;
  /** Most sessions one principal may have open. Default: maxSessions. */
  readonly maxSessionsPerPrincipal: number;
  /** Most steps one principal may run at once; 0 = no limit (the default). */
  readonly maxConcurrentStepsPerPrincipal: number;
  /**
   * The default and the ceiling of a step's timeout in ms (0 = none, the default): steps that ask
   * for no timeout, in sessions without operation_timeout_in_ms, get it; longer ones are cut to it.
   */
  readonly maxStepMs: number;
  /**
   * MasterService calls one principal may make per second, on average (a token bucket); 0 = no
   * limit (the default). Past it a call fails RESOURCE_EXHAUSTED naming the quota (request-rate.ts).
   */
  readonly maxRequestsPerSecondPerPrincipal: number;
  /** The bucket's size: calls a principal may make at once after being idle. Default max(1, the rate). */
  readonly requestBurstPerPrincipal: number;
  /** How many recent request ids are remembered for de-duplication (TF: 10,000). */
  readonly requestIdWindow: number;
  /**
   * Sessions idle longer than this are closed (TF's session GC); 0 = never, TF's open-source
   * default. Checked every min(10 s, timeout/2).
   */
  readonly sessionIdleTimeoutMs: number;
  /**
   * The TF cluster this master drives (TF's ServerDef.cluster; --cluster): every task other than
   * this server's own (/job:<job>/replica:0/task:0) is a TF WorkerService whose devices sessions
   * can place nodes on. Undefined (the default): this server's devices only.
   */
  readonly cluster: ClusterDef | undefined;
  /**
   * How to reach a task of `cluster` (the RPC layer's createRemoteWorker, over gRPC); required
   * with a cluster. The engine itself knows no transport.
   */
  readonly remoteWorker: RemoteWorkerFactory | undefined;
  /**
   * Whether a CreateSession may bring its own cluster (ConfigProto.cluster_def, TF's ClusterSpec
   * propagation), and which addresses it may name (session-cluster.ts). Default "listed" with no
   * hosts: only the addresses of `cluster`. The server picks its default from how it is reachable
   * (options.ts).
   */
  readonly sessionClusters: SessionClusterMode;
  /** Addresses ("host:port", or "host" for any port) "listed" admits besides those of `cluster`. */
  readonly sessionClusterHosts: readonly string[];
  /**
   * Whether this server's own address (a propagated session's target) also serves TF's
   * WorkerService (`serve --worker-port gateway`): then a TF task of a session's cluster_def may
   * pull values from this process's task (RecvTensor at the target); else such a graph is refused
   * at registration (session-cluster.ts).
   */
  readonly targetServesWorkerService: boolean;
  readonly log: LogFn;
}

export const masterOptionDefaults = {
  job: "localhost",
  cpuDevices: availableParallelism(),
  workerThreads: true,
  workerMaxHeapMb: 0,
  workerAbortGraceMs: 30_000,
  closeGraceMs: 5_000,
  maxSessions: 1000,
  maxGraphNodes: 1_000_000,
  maxTensorBytes: 1024 ** 3,
  maxStepBytes: Math.floor(totalmem() / 4 / 1024 ** 2) * 1024 ** 2,
  maxMemoryBytes: defaultMaxMemoryBytes(),
  maxFetchBytes: 0,
  requestIdWindow: 10_000,
  sessionIdleTimeoutMs: 0,
  files: undefined,
  opPolicy: { allow: undefined, deny: [] },
  maxConcurrentStepsPerPrincipal: 0,
  maxStepMs: 0,
  maxRequestsPerSecondPerPrincipal: 0,
  nativeKernels: true,
  cluster: undefined,
  remoteWorker: undefined,
  sessionClusters: "listed",
  sessionClusterHosts: [],
  targetServesWorkerService: false,
} as const;

/** Fills defaults and range-checks (one place). Throws RangeError for a bad value. */
export function resolveMasterOptions(partial: Partial<MasterOptions>): MasterOptions {
  const o: MasterOptions = {
    ...masterOptionDefaults,
    defaultSessionConfig: create(ConfigProtoSchema),
    log: () => {},
    maxSessionsPerPrincipal: partial.maxSessions ?? masterOptionDefaults.maxSessions,
    requestBurstPerPrincipal: Math.max(
      1,
      Math.ceil(
        partial.maxRequestsPerSecondPerPrincipal ?? masterOptionDefaults.maxRequestsPerSecondPerPrincipal,
      ),
    ),
    ...partial,
  };
  const intIn = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new RangeError(`${name} must be an integer in ${lo}..${hi}, got ${v}`);
  };
  intIn("cpuDevices", o.cpuDevices, 1, 256);
  intIn("maxSessions", o.maxSessions, 1, 1_000_000);
  intIn("maxGraphNodes", o.maxGraphNodes, 1, 100_000_000);
  intIn("maxTensorBytes", o.maxTensorBytes, 1, 2 ** 40);
  intIn("maxStepBytes", o.maxStepBytes, 1, 2 ** 50);
  intIn("maxMemoryBytes", o.maxMemoryBytes, 1, 2 ** 50);
  intIn("maxFetchBytes", o.maxFetchBytes, 0, 2 ** 50);
  intIn("requestIdWindow", o.requestIdWindow, 0, 10_000_000);
  intIn("workerMaxHeapMb", o.workerMaxHeapMb, 0, 1024 * 1024);
  intIn("workerAbortGraceMs", o.workerAbortGraceMs, 1, 3_600_000);
  intIn("closeGraceMs", o.closeGraceMs, 0, 3_600_000);
  intIn("sessionIdleTimeoutMs", o.sessionIdleTimeoutMs, 0, 365 * 24 * 3600 * 1000);
  intIn("maxSessionsPerPrincipal", o.maxSessionsPerPrincipal, 1, 1_000_000);
  intIn("maxConcurrentStepsPerPrincipal", o.maxConcurrentStepsPerPrincipal, 0, 1_000_000);
  intIn("maxStepMs", o.maxStepMs, 0, 365 * 24 * 3600 * 1000);
  intIn("maxRequestsPerSecondPerPrincipal", o.maxRequestsPerSecondPerPrincipal, 0, 1_000_000_000);
  intIn("requestBurstPerPrincipal", o.requestBurstPerPrincipal, 1, 1_000_000_000);
  if (o.files !== undefined) checkFilesRoot(o.files.root);
  if (o.cluster !== undefined && o.cluster.job.length > 0 && o.remoteWorker === undefined)
    throw new RangeError("a cluster needs remoteWorker, the factory that reaches its tasks");
  if (!sessionClusterModes.includes(o.sessionClusters))
    throw new RangeError(
      `sessionClusters must be one of ${sessionClusterModes.join(", ")}, got '${o.sessionClusters}'`,
    );
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(o.job))
    throw new RangeError(`job must match [A-Za-z][A-Za-z0-9_]*, got '${o.job}'`);
  return o;
}

/** The files root must be an existing directory; said at start, not at the first op that reads. */
function checkFilesRoot(root: string): void {
  try {
    new FileSandbox({ root, readOnly: true });
  } catch (e) {
    throw new RangeError(`files root must be an existing directory: ${(e as Error).message}`);
  }
}

export interface CallContext {
  /** The caller's cancellation (RPC deadline, disconnect): an AbortSignal, or a CallCancellation. */
  readonly signal?: CallerSignal | undefined;
  /**
   * The TfError a step reports when `signal` aborts with `reason` (a transport's deadline or
   * shutdown reason). Without it, or when it answers undefined, a TfError reason is reported as
   * is and any other as CANCELLED. It lets a transport hand its own signal to the engine instead
   * of a linked one made per call.
   */
  readonly abortReason?: ((reason: unknown) => TfError | undefined) | undefined;
  /**
   * Who is calling, as the gateway authenticated them (default ANONYMOUS). A session belongs to
   * the principal that created it; other principals get TF's answer for an unknown handle, and
   * resource containers are per principal.
   */
  readonly principal?: string | undefined;
  /** The ms left before the caller's own deadline (undefined = none), read when a step starts. */
  readonly deadlineMs?: (() => number | undefined) | undefined;
  /**
   * For a RunStep or RunCallable whose request the transport holds in memory it would use again:
   * set reusable once the step no longer needs it (master/feed-lifetime.ts).
   */
  readonly callMemory?: CallMemory | undefined;
}

/** The principal of callers without credentials, and of every caller of an embedded master. */
export const ANONYMOUS = "anonymous";

export interface Master {
  createSession(req: CreateSessionRequest, ctx?: CallContext): Promise<CreateSessionResponse>;
  extendSession(req: ExtendSessionRequest, ctx?: CallContext): Promise<ExtendSessionResponse>;
  runStep(req: RunStepRequest, ctx?: CallContext): Promise<RunStepResponse>;
  closeSession(req: CloseSessionRequest, ctx?: CallContext): Promise<CloseSessionResponse>;
  listDevices(req: ListDevicesRequest, ctx?: CallContext): Promise<ListDevicesResponse>;
  reset(req: ResetRequest, ctx?: CallContext): Promise<ResetResponse>;
  partialRunSetup(req: PartialRunSetupRequest, ctx?: CallContext): Promise<PartialRunSetupResponse>;
  makeCallable(req: MakeCallableRequest, ctx?: CallContext): Promise<MakeCallableResponse>;
  runCallable(req: RunCallableRequest, ctx?: CallContext): Promise<RunCallableResponse>;
  releaseCallable(req: ReleaseCallableRequest, ctx?: CallContext): Promise<ReleaseCallableResponse>;
  openSessionCount(): number;
  /** The workers, one per device group (operability and tests). */
  readonly workers: readonly WorkerInterface[];
  /**
   * The name a propagated session gives this server's task in one of its running steps (by the
   * master's step id), for the WorkerService that answers that session's TF tasks.
   */
  stepRename(stepId: bigint): TaskRename | undefined;
  /** Closes every session and stops the workers. */
  close(): Promise<void>;
}

/** A ring of the last N request ids (TF's RecentRequestIds). */
function createRecentRequestIds(capacity: number) {
  const ring: bigint[] = new Array(capacity);
  const set = new Set<bigint>();
  let next = 0;
  return {
    /** Returns false when id was seen recently; id 0 is never tracked. */
    track(id: bigint): boolean {
      if (id === 0n || capacity === 0) return true;
      if (set.has(id)) return false;
      const old = ring[next];
      if (old !== undefined) set.delete(old);
      ring[next] = id;
      set.add(id);
      next = (next + 1) % capacity;
      return true;
    },
  };
}

/** TF's ShortDebugString: the text format on one line (TF 2.21 prefixes "goo.gle/debugonly "). */
export function shortDebugString<D extends DescMessage>(schema: D, msg: MessageShape<D>): string {
  return `goo.gle/debugonly  ${toText(schema, msg)
    .trim()
    .replace(/\s*\n\s*/g, " ")}`;
}

/** RunMetadata of a step: partition graphs and step stats when asked for, else empty (TF sends {}). */
/**
 * The metadata of a step with nothing to report, shared by every such answer (frozen: nothing may
 * write into it). Building one per call was a visible share of a small step's allocations on the
 * RPC loop (docs/benchmarks.md, "Balancing the RPC loop").
 */
const emptyRunMetadata: RunMetadata = (() => {
  const md = create(RunMetadataSchema);
  Object.freeze(md.partitionGraphs);
  Object.freeze(md.functionGraphs);
  return Object.freeze(md);
})();

function runMetadata(result: RunStepResult): RunMetadata {
  if (result.partitionGraphs.length === 0 && result.stepStats.length === 0 && !result.costGraph)
    return emptyRunMetadata;
  const md = create(RunMetadataSchema);
  if (result.partitionGraphs.length > 0) md.partitionGraphs = [...result.partitionGraphs];
  if (result.stepStats.length > 0)
    md.stepStats = create(StepStatsSchema, { devStats: [...result.stepStats] });
  if (result.costGraph) md.costGraph = result.costGraph;
  return md;
}

/** 128 bits from the CSPRNG: a handle cannot be guessed from others. */
function newSessionHandle(): string {
  return randomBytes(16).toString("hex");
}

function notFoundSession(handle: string) {
  return aborted(`Session ${handle} is not found.`);
}

function notFoundSessionClose(handle: string) {
  return `Session ${handle} is not found. Possibly, this master has restarted.`;
}

/** Fetches a value whose send device belongs to no worker of this process (another task's). */
export type OtherTaskRecv = (stepId: bigint, key: string, signal: AbortSignal) => Promise<RendezvousValue>;

/** The engine options a task's workers need (a master's, or a `tfgate worker`'s). */
export type TaskWorkerOptions = Pick<
  MasterOptions,
  | "workerThreads"
  | "maxTensorBytes"
  | "maxStepBytes"
  | "files"
  | "log"
  | "workerAbortGraceMs"
  | "workerMaxHeapMb"
  | "maxMemoryBytes"
  | "maxFetchBytes"
  | "nativeKernels"
  | "defaultSessionConfig"
>;

/**
 * One worker per device, each on its own thread (or all in this thread, for embedding and
 * benchmarks that measure the RPC path alone), and which worker owns each device. All devices are
 * of one task. A value whose sender is on another task comes from `otherTask` (a remote
 * rendezvous); without it such a key is an internal error.
 */
export function createWorkers(
  options: TaskWorkerOptions,
  allDevices: readonly Device[],
  remoteOwner: (device: string) => WorkerInterface | undefined = () => undefined,
  otherTask?: OtherTaskRecv,
  routes?: StepRoutes,
): { workers: WorkerInterface[]; workerByDevice: Map<string, WorkerInterface> } {
  const task = taskOf(allDevices[0]!.parsed);
  const log = options.log;
  const kernels = {
    native: options.nativeKernels,
    intraOpThreads: Math.max(0, options.defaultSessionConfig.intraOpParallelismThreads),
  };
  const workerByDevice = new Map<string, WorkerInterface>();
  // Values sent on one worker and received on another go through the sender's RecvTensor: a
  // cluster task's over gRPC (RemoteWorker), or another task's WorkerService (otherTask).
  const remoteRecv = (stepId: bigint, key: string, signal: AbortSignal) => {
    // A step of a session with a cluster of its own reaches that cluster's tasks (renamed-worker.ts).
    const routed = routes?.recv(stepId, key, signal);
    if (routed !== undefined) return routed;
    const device = sendDeviceOfKey(key);
    const owner = workerByDevice.get(device) ?? remoteOwner(device);
    if (owner !== undefined) return owner.recvTensor(stepId, key, signal);
    if (otherTask !== undefined) return otherTask(stepId, key, signal);
    return Promise.reject(internal(`No worker of ${task} owns the send device of ${key}`));
  };
  const share = createMemoryCeilingShare(options.maxMemoryBytes, allDevices.length);
  const maxFetchBytes = options.maxFetchBytes > 0 ? options.maxFetchBytes : undefined;
  const workers: WorkerInterface[] = options.workerThreads
    ? allDevices.map((d, slot) =>
        createThreadWorker({
          task,
          devices: [d],
          maxTensorBytes: options.maxTensorBytes,
          maxStepBytes: options.maxStepBytes,
          memoryCeiling: { share, slot },
          maxFetchBytes,
          files: options.files,
          kernels,
          log,
          remoteRecv,
          abortGraceMs: options.workerAbortGraceMs,
          ...(options.workerMaxHeapMb > 0
            ? { resourceLimits: { maxOldGenerationSizeMb: options.workerMaxHeapMb } }
            : {}),
        }),
      )
    : [
        createLocalWorker({
          kernels,
          task,
          devices: allDevices,
          log,
          remoteRecv,
          maxStepBytes: options.maxStepBytes,
          files: options.files,
          maxTensorBytes: options.maxTensorBytes,
          memoryCeiling: { share, slot: 0 },
          maxFetchBytes,
        }),
      ];
  for (const w of workers) for (const d of w.getDevices()) workerByDevice.set(d.name, w);
  connectThreads(workers.filter((w): w is ThreadWorker => "connectPeer" in w));
  return { workers, workerByDevice };
}

/** This server's own task: "/job:<job>/replica:0/task:0". */
function localTaskName(options: MasterOptions): string {
  return `/job:${options.job}/replica:0/task:0`;
}

/**
 * Worker threads talk to each other directly for cross-device tensors; a restarted thread is
 * connected again.
 */
function connectThreads(threads: readonly ThreadWorker[]): void {
  const connect = (a: ThreadWorker, b: ThreadWorker) => {
    const { port1, port2 } = new MessageChannel();
    a.connectPeer(
      b.getDevices().map((d) => d.name),
      port1,
    );
    b.connectPeer(
      a.getDevices().map((d) => d.name),
      port2,
    );
  };
  threads.forEach((a, i) => {
    for (const b of threads.slice(i + 1)) connect(a, b);
    a.onRestart = () => {
      for (const b of threads) if (b !== a) connect(a, b);
    };
  });
}

/**
 * The environment of one session: this server's devices and, with a cluster, the devices its
 * tasks report now (GetStatus; config.device_filters choose the tasks, as in TF's DeviceFinder),
 * each owned by its task's RemoteWorker. Local devices come first: the first is the client device.
 */
async function sessionEnvironment(
  base: MasterSessionEnv,
  cluster: ClusterWorkers | undefined,
  config: ConfigProto,
  handle: string,
  principal: string,
): Promise<MasterSessionEnv> {
  if (cluster === undefined) return base;
  const remote = await cluster.discover(config.deviceFilters);
  if (remote.length === 0) return base;
  return clusterSessionEnvironment(base, [...base.devices, ...remote], cluster, base.workerFor, {
    handle,
    isolate: config.isolateSessionState,
    principal,
  });
}

// long-function: the MasterService methods close over one session table, request-id window and worker set; each method is short and delegates to MasterSession.
export function createMaster(partial: Partial<MasterOptions> = {}): Master {
  const options = resolveMasterOptions(partial);
  registerAllKernels();
  const log = options.log;
  const allDevices = createDevices(options.job, 0, 0, options.cpuDevices);
  const cluster: ClusterWorkers | undefined =
    options.cluster !== undefined && options.cluster.job.length > 0
      ? createClusterWorkers(options.cluster, localTaskName(options), options.remoteWorker!, log)
      : undefined;
  const routes = createStepRoutes();
  const { workers, workerByDevice } = createWorkers(
    options,
    allDevices,
    (d) => cluster?.workerOf(d),
    undefined,
    routes,
  );
  const devices: Device[] = sortDevices(allDevices);
  const worker = workers[0]!;
  const sessions = new Map<string, MasterSession>();
  /** The principal that created each session. */
  const owners = new Map<string, string>();
  const principalOf = (ctx: CallContext | undefined): string => ctx?.principal ?? ANONYMOUS;
  /** The caller's session, or undefined for unknown handles and other principals' sessions alike. */
  const ownSession = (handle: string, ctx: CallContext | undefined): MasterSession | undefined =>
    owners.get(handle) === principalOf(ctx) ? sessions.get(handle) : undefined;
  const forget = (handle: string) => {
    sessions.delete(handle);
    owners.delete(handle);
  };
  /** The cluster each propagated session brought, closed with the session. */
  const propagatedOf = new Map<MasterSession, PropagatedEnvironment>();
  const shutSession = async (s: MasterSession, reason?: Parameters<MasterSession["close"]>[0]) => {
    try {
      await s.close(reason);
    } finally {
      const own = propagatedOf.get(s);
      propagatedOf.delete(s);
      await own?.close();
    }
  };
  const bootTask = { job: options.job, task: 0 };
  const sessionClusterPolicy: SessionClusterPolicy = {
    mode: options.sessionClusters,
    hosts: options.sessionClusterHosts,
    clusterAddresses:
      options.cluster === undefined ? [] : clusterTasks(options.cluster).map((t) => t.address),
  };
  const recent = createRecentRequestIds(options.requestIdWindow);
  let closing = false;

  const env: MasterSessionEnv = {
    devices,
    workerFor: (d: string) => workerByDevice.get(d) ?? worker,
    log,
    maxGraphNodes: options.maxGraphNodes,
    maxTensorBytes: options.maxTensorBytes,
  };

  /** RunOptions.timeout_in_ms when > 0, else the server default operation_timeout_in_ms (0 = none). */
  const stepTimeout = (s: MasterSession, requested: bigint | undefined, ctx?: CallContext): number =>
    stepTimeoutMs(requested, s.config.operationTimeoutInMs, options.maxStepMs, ctx?.deadlineMs?.());
  const quotas = createPrincipalQuotas(
    options.maxSessionsPerPrincipal,
    options.maxConcurrentStepsPerPrincipal,
  );
  const rate = createRequestRate({
    ratePerSecond: options.maxRequestsPerSecondPerPrincipal,
    burst: options.requestBurstPerPrincipal,
  });
  const sessionsOf = (principal: string) => [...owners.values()].filter((p) => p === principal).length;
  /** CreateSessions in progress, per principal and in all. */
  const creating = new Map<string, number>();
  let creatingTotal = 0;

  // Idle-session GC (docs/semantics.md, "Session lifecycle"): dropped sessions answer "not found";
  // their steps are cancelled.
  const gcTimer =
    options.sessionIdleTimeoutMs > 0
      ? setInterval(
          () => {
            const now = Date.now();
            for (const [handle, s] of sessions) {
              if (now - s.lastAccess > options.sessionIdleTimeoutMs) {
                forget(handle);
                log("info", `session ${handle} garbage collected after ${now - s.lastAccess} ms idle`);
                void shutSession(
                  s,
                  cancelled(
                    "Step was cancelled because the session was garbage collected due to inactivity.",
                  ),
                );
              }
            }
          },
          Math.max(10, Math.min(10_000, options.sessionIdleTimeoutMs / 2)),
        )
      : undefined;
  gcTimer?.unref();

  const lookup = (handle: string, ctx: CallContext | undefined): MasterSession => {
    const s = ownSession(handle, ctx);
    if (s === undefined) throw notFoundSession(handle);
    return s;
  };

  /** Request-id de-duplication (docs/semantics.md, "Request ids"), checked before the handle lookup. */
  const dedup = <D extends DescMessage>(
    method: string,
    schema: D,
    req: MessageShape<D> & { requestId: bigint },
  ) => {
    if (!recent.track(req.requestId)) {
      throw aborted(
        `The same ${method} (Master) request was received twice. ${shortDebugString(schema, req)}`,
      );
    }
  };

  const deviceAttributes = (d: Device): DeviceAttributes =>
    create(DeviceAttributesSchema, {
      name: d.name,
      deviceType: d.type,
      memoryLimit: d.memoryLimit,
      locality: create(DeviceLocalitySchema),
      incarnation: d.incarnation,
      physicalDeviceDesc: "",
    });

  return withRequestRate(rate, principalOf, {
    async createSession(req, ctx) {
      if (closing) throw cancelled("The server is shutting down");
      const principal = principalOf(ctx);
      // Sessions still being built (in slices, while other calls run) count against the limits.
      const building = creating.get(principal) ?? 0;
      if (sessions.size + creatingTotal >= options.maxSessions) {
        throw resourceExhausted(
          `Too many open sessions (the limit is ${options.maxSessions}); close some sessions first`,
        );
      }
      quotas.admitSession(principal, sessionsOf(principal) + building);
      checkOpPolicy(req.graphDef ?? create(GraphDefSchema), options.opPolicy);
      const config = mergeConfig(options.defaultSessionConfig, req.config);
      // TF's ClusterSpec propagation: the session brings its own cluster (session-cluster.ts),
      // checked against the operator's policy before any connection is opened.
      const propagated =
        (config.clusterDef?.job.length ?? 0) > 0
          ? resolvePropagatedCluster(config.clusterDef!, req.target, bootTask, sessionClusterPolicy)
          : undefined;
      const handle = newSessionHandle();
      creating.set(principal, building + 1);
      creatingTotal++;
      let own: PropagatedEnvironment | undefined;
      try {
        if (propagated !== undefined) {
          if (options.remoteWorker === undefined) {
            throw unimplemented(
              "ConfigProto.cluster_def needs a server that can reach other tasks over gRPC",
            );
          }
          own = await createPropagatedEnvironment(propagated, config, handle, principal, {
            base: env,
            localWorkers: workers,
            remoteWorker: options.remoteWorker,
            routes,
            log,
            targetServesWorkerService: options.targetServesWorkerService,
          });
        }
        const session = await MasterSession.create(
          handle,
          config,
          req.graphDef ?? create(GraphDefSchema),
          own?.env ?? (await sessionEnvironment(env, cluster, config, handle, principal)),
        );
        if (own !== undefined) propagatedOf.set(session, own);
        try {
          // TF's CreateWorkerSession: isolated sessions get resource containers of their own (always,
          // with a cluster of the session's own).
          const isolate = config.isolateSessionState || own !== undefined;
          await Promise.all(session.workers().map((w) => w.createWorkerSession(handle, isolate, principal)));
          await session.commitCreate();
        } catch (e) {
          if (own !== undefined) await shutSession(session);
          throw e;
        }
        if (closing) {
          await shutSession(session);
          throw cancelled("The server is shutting down");
        }
        sessions.set(handle, session);
        owners.set(handle, principal);
        return create(CreateSessionResponseSchema, { sessionHandle: handle, graphVersion: 0n });
      } catch (e) {
        if (own !== undefined && ![...propagatedOf.values()].includes(own)) await own.close();
        throw e;
      } finally {
        creatingTotal--;
        const left = (creating.get(principal) ?? 1) - 1;
        if (left === 0) creating.delete(principal);
        else creating.set(principal, left);
      }
    },

    async extendSession(req, ctx) {
      const s = lookup(req.sessionHandle, ctx);
      const graphDef = req.graphDef ?? create(GraphDefSchema);
      checkOpPolicy(graphDef, options.opPolicy);
      validateNodeDefs(graphDef.node);
      const v = await s.extend(graphDef, req.currentGraphVersion);
      return create(ExtendSessionResponseSchema, { newGraphVersion: v });
    },

    // Not async: a plain function settling through the step's own promise and one `then`, as it
    // runs for every step on the RPC thread (docs/benchmarks.md, "Balancing the RPC loop").
    runStep(req, ctx) {
      let running: Promise<RunStepResult>;
      let endStep: () => void;
      try {
        dedup("RunStep", RunStepRequestSchema, req);
        const s = lookup(req.sessionHandle, ctx);
        const args = {
          feeds: req.feed.map((f) => {
            if (f.tensor === undefined) throw invalidArgument(`Feed ${f.name} has no tensor`);
            return { name: f.name, tensor: f.tensor };
          }),
          fetches: req.fetch,
          targets: req.target,
          timeoutMs: stepTimeout(s, req.options?.timeoutInMs, ctx),
          outputPartitionGraphs: req.options?.outputPartitionGraphs ?? false,
          trace: req.options?.traceLevel === RunOptions_TraceLevel.FULL_TRACE,
          signal: ctx?.signal,
          abortReason: ctx?.abortReason,
          // A partial run's feeds stay with it until its last call.
          callMemory: req.partialRunHandle === "" ? ctx?.callMemory : undefined,
        };
        endStep = quotas.beginStep(principalOf(ctx));
        try {
          running =
            req.partialRunHandle !== ""
              ? s.partialRun(req.partialRunHandle, args, req.options?.experimental?.collectiveGraphKey ?? 0n)
              : s.runStep(args);
        } catch (e) {
          endStep();
          throw e;
        }
      } catch (e) {
        return Promise.reject(e);
      }
      return running.then(
        (result) => {
          endStep();
          return create(RunStepResponseSchema, {
            tensor: result.tensors.map((t) =>
              create(NamedTensorProtoSchema, { name: t.name, tensor: tensorToProto(t.tensor) }),
            ),
            metadata: runMetadata(result),
          });
        },
        (e: unknown) => {
          endStep();
          throw e;
        },
      );
    },

    async partialRunSetup(req, ctx) {
      dedup("PartialRunSetup", PartialRunSetupRequestSchema, req);
      const s = lookup(req.sessionHandle, ctx);
      const handle = await s.partialRunSetup(req.feed, req.fetch, req.target);
      return create(PartialRunSetupResponseSchema, { partialRunHandle: handle });
    },

    async makeCallable(req, ctx) {
      dedup("MakeCallable", MakeCallableRequestSchema, req);
      const s = lookup(req.sessionHandle, ctx);
      const handle = await s.makeCallable(req.options ?? create(CallableOptionsSchema));
      return create(MakeCallableResponseSchema, { handle });
    },

    async runCallable(req, ctx) {
      dedup("RunCallable", RunCallableRequestSchema, req);
      const s = lookup(req.sessionHandle, ctx);
      const endStep = quotas.beginStep(principalOf(ctx));
      const result = await s
        .runCallable(req.handle, req.feed, ctx, (requested) => stepTimeout(s, requested, ctx))
        .finally(endStep);
      return create(RunCallableResponseSchema, {
        fetch: result.tensors.map((t) => tensorToProto(t.tensor)),
        metadata: runMetadata(result),
      });
    },

    async releaseCallable(req, ctx) {
      lookup(req.sessionHandle, ctx).releaseCallable(req.handle);
      return create(ReleaseCallableResponseSchema);
    },

    async closeSession(req, ctx) {
      const s = ownSession(req.sessionHandle, ctx);
      if (s === undefined) throw aborted(notFoundSessionClose(req.sessionHandle));
      forget(req.sessionHandle);
      await shutSession(s);
      return create(CloseSessionResponseSchema);
    },

    async listDevices(req, ctx) {
      const session = req.sessionHandle === "" ? undefined : ownSession(req.sessionHandle, ctx);
      if (req.sessionHandle !== "" && session === undefined) {
        throw invalidArgument(notFoundSessionClose(req.sessionHandle));
      }
      // A propagated session lists its own devices: its client device as the local one (TF's
      // MasterSession::ListDevices).
      const own = session === undefined ? undefined : propagatedOf.get(session);
      if (own !== undefined) {
        const client = own.clientDevice;
        return create(ListDevicesResponseSchema, {
          localDevice: [deviceAttributes(client)],
          remoteDevice: own.env.devices.filter((d) => d.name !== client.name).map(deviceAttributes),
        });
      }
      const remote = cluster === undefined ? [] : await cluster.discover();
      return create(ListDevicesResponseSchema, {
        localDevice: devices.map(deviceAttributes),
        remoteDevice: remote.map(deviceAttributes),
      });
    },

    // TF's Reset closes every session on the server; here only the caller's, and only the caller's
    // containers are cleared.
    async reset(req, ctx) {
      const principal = principalOf(ctx);
      const mine = [...owners].filter(([, p]) => p === principal).map(([h]) => h);
      const all = mine.map((h) => sessions.get(h)!);
      for (const h of mine) forget(h);
      await Promise.allSettled(all.map((s) => shutSession(s)));
      await Promise.all(
        [...workers, ...(cluster?.remotes ?? [])].map((w) => w.cleanupAll(req.container, principal)),
      );
      return create(ResetResponseSchema);
    },

    openSessionCount() {
      return sessions.size;
    },

    workers,

    stepRename: (stepId) => routes.renameOf(stepId),

    async close() {
      closing = true;
      if (gcTimer) clearInterval(gcTimer);
      const all = [...sessions.values()];
      sessions.clear();
      owners.clear();
      const closed = Promise.allSettled(
        all.map((s) => shutSession(s, cancelled("Step was cancelled because the server is shutting down."))),
      );
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), options.closeGraceMs);
      });
      if ((await Promise.race([closed, grace])) === "late") {
        options.log(
          "warn",
          `steps still running ${options.closeGraceMs} ms after they were cancelled; stopping the workers under them`,
        );
      }
      clearTimeout(timer);
      await Promise.all(workers.map((w) => w.close()));
      await cluster?.close();
    },
  });
}

type MasterMethod = Exclude<keyof Master, "openSessionCount" | "workers" | "close">;

/** Every MasterService call first takes a token of its principal's bucket (request-rate.ts). */
function withRequestRate(
  rate: RequestRate,
  principalOf: (ctx: CallContext | undefined) => string,
  master: Master,
): Master {
  const limited = { ...master };
  const methods: readonly MasterMethod[] = [
    "createSession",
    "extendSession",
    "runStep",
    "closeSession",
    "listDevices",
    "reset",
    "partialRunSetup",
    "makeCallable",
    "runCallable",
    "releaseCallable",
  ];
  for (const name of methods) {
    const method = master[name] as (req: unknown, ctx?: CallContext) => Promise<unknown>;
    (limited as Record<MasterMethod, unknown>)[name] = (req: unknown, ctx?: CallContext) => {
      try {
        rate.admit(principalOf(ctx));
      } catch (e) {
        return Promise.reject(e);
      }
      return method(req, ctx);
    };
  }
  return limited;
}
