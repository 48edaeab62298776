// TensorFlow's MasterSession (core/distributed_runtime/master_session.cc) with its
// GraphExecutionState: the session's full graph (placed whole at Create/Extend), its version, and
// a cache of run plans ("ReffedClientGraph"s), one per sorted (feeds, fetches, targets) signature,
// each registered on the workers once and run per step.

import { create } from "@bufbuild/protobuf";
import {
  type CostGraphDef,
  type CostGraphDef_Node,
  CostGraphDef_NodeSchema,
  CostGraphDefSchema,
} from "../../../gen/tensorflow/core/framework/cost_graph_pb.js";
import {
  type FunctionDefLibrary,
  FunctionDefLibrarySchema,
} from "../../../gen/tensorflow/core/framework/function_pb.js";
import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import type { DeviceStepStats, NodeExecStats } from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import type { TensorProto } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { type VersionDef, VersionDefSchema } from "../../../gen/tensorflow/core/framework/versions_pb.js";
import {
  type CallableOptions,
  type ConfigProto,
  RunOptions_TraceLevel,
} from "../../../gen/tensorflow/core/protobuf/config_pb.js";
import type { Device } from "../device/device-set.js";
import { CallCancellation, type CallerSignal } from "../framework/call-cancellation.js";
import {
  aborted,
  cancelled,
  deadlineExceeded,
  failedPrecondition,
  internal,
  invalidArgument,
  isTfError,
  notFound,
  type TfError,
  unimplemented,
} from "../framework/errors.js";
import { createFunctionLibrary, type FunctionLibrary } from "../framework/function.js";
import { lookUpOp } from "../framework/op-def.js";
import { createRendezvousKey, type RendezvousValue } from "../framework/rendezvous.js";
import { runInSlices, type Sliced, scoped, YIELD_EVERY } from "../framework/slices.js";
import { SlotTable } from "../framework/slot-table.js";
import { type Tensor, withMaxTensorBytes } from "../framework/tensor.js";
import { tensorFromProto } from "../framework/tensor-proto.js";
import { BYTES_PER_ELEMENT, type DataType, dataTypeString } from "../framework/types.js";
import type { Graph, Node } from "../graph/graph.js";
import { appendNodeDefsSliced, convertNodeDefsSliced } from "../graph/graph-constructor.js";
import { lowerFunctionalOpsSliced } from "../graph/lower-functional-ops.js";
import { rewriteGraphForExecutionSliced, type TensorConnectionSpec } from "../graph/subgraph.js";
import { parseTensorName } from "../graph/tensor-id.js";
import { validateExternalGraphDefSyntaxSliced } from "../graph/validate.js";
import { checkGraphDefVersions } from "../graph/versions.js";
import { partitionGraphSliced } from "../partition/partition.js";
import {
  appendedNodesAreIndependent,
  colocationGroups,
  earlierGeneratorsStay,
  placeAppendedSliced,
  placeGraphSliced,
} from "../placer/placer.js";
import type { WorkerInterface } from "../worker/worker-interface.js";
import type { CallMemory } from "./call-memory.js";
import { feedsEndWithStep } from "./feed-lifetime.js";

/** What a master session needs from its master. */
export interface MasterSessionEnv {
  /** Devices in priority order; the first is the client device. */
  readonly devices: readonly Device[];
  readonly workerFor: (device: string) => WorkerInterface;
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
  /** Largest graph (node count) a session may hold. */
  readonly maxGraphNodes: number;
  /** Largest tensor a feed (or a constant the placer summarises) may decode to (--max-tensor-bytes). */
  readonly maxTensorBytes: number;
  /**
   * For a remote worker that failed a step: asks it for its devices again and, when their
   * incarnations changed (it restarted), updates `devices` and opens the session's worker session
   * there again. Resolves true when it restarted. Absent without remote workers.
   */
  readonly refreshRemote?: (worker: WorkerInterface) => Promise<boolean>;
}

interface PartitionPlan {
  readonly worker: WorkerInterface;
  readonly handle: string;
  readonly device: string;
}

/** A registered client graph for one signature (TF's ReffedClientGraph). */
interface RunPlan {
  readonly partitions: readonly PartitionPlan[];
  /** The partition that holds the client-terminated _Recv/_Send nodes (the client device's). */
  readonly clientPartition: number;
  readonly feedTypes: ReadonlyMap<string, DataType>;
  readonly usedFeeds: ReadonlySet<string>;
  readonly partitionGraphs: readonly GraphDef[];
  /**
   * No value made from a feed can outlive a step (master/feed-lifetime.ts), and every partition
   * runs in this process: once such a step succeeds, the request's memory is the response's alone.
   */
  readonly feedsEndWithStep: boolean;
  /** The workers the partitions run on, each once (each cleans up a finished step). */
  readonly workers: readonly WorkerInterface[];
  /** How many steps ran this plan (for the cost-model schedule). */
  executions: number;
}

/** Per-step options (from RunOptions, or CallableOptions.run_options). */
export interface StepOptions {
  /** 0 = no timeout. */
  readonly timeoutMs: number;
  readonly outputPartitionGraphs: boolean;
  /** FULL_TRACE: collect step stats. */
  readonly trace: boolean;
  /** The caller's cancellation (RPC deadline or disconnect). */
  readonly signal?: CallerSignal | undefined;
  /** The error a caller's abort reason stands for (see CallContext.abortReason). */
  readonly abortReason?: ((reason: unknown) => TfError | undefined) | undefined;
  /** Filled in when the step succeeds: what memory the answer frees once written (CallContext). */
  readonly callMemory?: CallMemory | undefined;
}

export interface RunStepArgs extends StepOptions {
  readonly feeds: readonly { readonly name: string; readonly tensor: TensorProto }[];
  readonly fetches: readonly string[];
  readonly targets: readonly string[];
}

export interface RunStepResult {
  /** One entry per distinct fetch string, in request order. */
  readonly tensors: readonly { readonly name: string; readonly tensor: Tensor }[];
  readonly partitionGraphs: readonly GraphDef[];
  /** One DeviceStepStats per partition that ran, when traced. */
  readonly stepStats: readonly DeviceStepStats[];
  /** When the cost-model schedule says so (graph_options.build_cost_model). */
  readonly costGraph?: CostGraphDef;
}

/**
 * What gives the storage of the fetched values that nothing else holds (RendezvousValue.owned:
 * made by this step and read by its fetch alone, not a feed's) back to the worker that made them,
 * once the answer is written; undefined when there is none (master/call-memory.ts).
 */
function returnFetches(
  worker: WorkerInterface | undefined,
  keys: readonly string[],
  recv: ReadonlyMap<string, RendezvousValue>,
): (() => void) | undefined {
  if (worker?.returnStorage === undefined) return undefined;
  let buffers: SharedArrayBuffer[] | undefined;
  for (const key of keys) {
    const data = recv.get(key)?.owned === true ? recv.get(key)?.tensor?.data : undefined;
    if (!ArrayBuffer.isView(data) || !(data.buffer instanceof SharedArrayBuffer)) continue;
    if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) continue;
    buffers ??= [];
    if (!buffers.includes(data.buffer)) buffers.push(data.buffer);
  }
  if (buffers === undefined) return undefined;
  const taken = buffers;
  return () => worker.returnStorage?.(taken);
}

/** A partial run in progress (TF's PartialRunState). */
interface PartialRunState {
  readonly plan: RunPlan;
  readonly stepId: bigint;
  /** feed/fetch string → already fed/fetched. */
  readonly pendingInputs: Map<string, boolean>;
  readonly pendingOutputs: Map<string, boolean>;
  step: { controller: CallCancellation; abort(e: TfError): void; finish(): void } | undefined;
  trace: boolean | undefined;
}

/**
 * One step's cancellation (MasterSession.startStep): one object that is also the caller's abort
 * listener and the timer's argument, rather than a closure for each (it is made for every step on
 * the RPC thread; docs/benchmarks.md, "Balancing the RPC loop").
 */
class StepCancellation {
  readonly controller = new CallCancellation();
  private readonly timer: NodeJS.Timeout | undefined;
  /** Where `running` holds the controller. */
  private readonly slot: number;

  constructor(
    private readonly running: SlotTable<CallCancellation>,
    timeoutMs: number,
    private readonly signal: CallerSignal | undefined,
    private readonly abortReason: ((reason: unknown) => TfError | undefined) | undefined,
  ) {
    if (signal?.aborted) this.handleEvent();
    signal?.addEventListener("abort", this, { once: true });
    this.timer = timeoutMs > 0 ? setTimeout(StepCancellation.expire, timeoutMs, this) : undefined;
    this.slot = running.add(this.controller);
  }

  private static expire(step: StepCancellation): void {
    step.abort(deadlineExceeded("Timed out waiting for the step to finish"));
  }

  /** Cancels the step with `reason` unless it was cancelled already (bound: it is passed around). */
  readonly abort = (reason: TfError): void => {
    if (!this.controller.aborted) this.controller.abort(reason);
  };

  /** The caller's signal fired (EventTarget calls an object listener's handleEvent). */
  handleEvent(): void {
    const r = this.signal?.reason;
    this.abort(
      this.abortReason?.(r) ??
        (isTfError(r) ? r : cancelled("The step was cancelled because the client cancelled the call.")),
    );
  }

  /** Stops listening to the caller; the controller stays registered until `finish`. */
  detachCaller(): void {
    if (this.timer) clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this);
  }

  finish(): void {
    this.detachCaller();
    this.running.take(this.slot, this.controller);
  }
}

/** What a step that was asked for no stats or graphs returns for them (shared, never written). */
const noStepStats: readonly DeviceStepStats[] = Object.freeze([]);
const noPartitionGraphs: readonly GraphDef[] = Object.freeze([]);

/** The cache's plans that finished building: a cached step finds its plan without awaiting it. */
const builtPlans = new WeakMap<Promise<RunPlan>, RunPlan>();

/** Random words for step ids, drawn from the CSPRNG a batch at a time (one draw per call costs). */
const stepIdPool = new BigUint64Array(256);
let stepIdNext = stepIdPool.length;

/**
 * A random step id with the top 7 bits cleared (TF's master does the same). Unguessable: a peer
 * that may call the gateway's WorkerService (RecvTensor by step id) must not predict another
 * session's steps, so the 57 bits come from the CSPRNG, not Math.random.
 */
function newStepId(): bigint {
  if (stepIdNext === stepIdPool.length) {
    crypto.getRandomValues(stepIdPool);
    stepIdNext = 0;
  }
  return stepIdPool[stepIdNext++]! & ((1n << 57n) - 1n);
}

/**
 * A CostGraphDef (TF's CostModel export) from the partitions that ran and their step stats: one
 * node per executed node with its device, inputs, output sizes/shapes and measured compute time.
 */
function costGraphOf(partitions: readonly GraphDef[], stats: readonly DeviceStepStats[]): CostGraphDef {
  const timing = new Map<string, { micros: bigint; outputs: NodeExecStats["output"] }>();
  for (const dev of stats) {
    for (const n of dev.nodeStats)
      timing.set(`${dev.device}\u0000${n.nodeName}`, { micros: n.opEndRelMicros, outputs: n.output });
  }
  const ids = new Map<string, number>();
  const nodes: CostGraphDef_Node[] = [];
  for (const part of partitions) for (const n of part.node) ids.set(`${n.device}\u0000${n.name}`, ids.size);
  for (const part of partitions) {
    for (const n of part.node) {
      const key = `${n.device}\u0000${n.name}`;
      const t = timing.get(key);
      const inputInfo = n.input
        .filter((i) => !i.startsWith("^"))
        .map((i, slot) => {
          const [src, out] = i.split(":");
          return {
            precedingNode: ids.get(`${n.device}\u0000${src}`) ?? -1,
            precedingPort: Number(out ?? 0),
            slot,
          };
        })
        .map(({ precedingNode, precedingPort }) => ({ precedingNode, precedingPort }));
      nodes.push(
        create(CostGraphDef_NodeSchema, {
          name: n.name,
          device: n.device,
          id: ids.get(key)!,
          inputInfo,
          controlInput: n.input
            .filter((i) => i.startsWith("^"))
            .map((i) => ids.get(`${n.device}\u0000${i.slice(1)}`) ?? -1),
          outputInfo: (t?.outputs ?? []).map((o) => {
            const shape = o.tensorDescription?.shape;
            const elements = (shape?.dim ?? []).reduce((a, d) => a * d.size, 1n);
            const bytes = BigInt(BYTES_PER_ELEMENT[o.tensorDescription?.dtype ?? 0] ?? 0);
            return {
              size: elements * bytes,
              aliasInputPort: -1n,
              shape,
              dtype: o.tensorDescription?.dtype ?? 0,
            };
          }),
          computeCost: t?.micros ?? 0n,
          computeTime: t?.micros ?? 0n,
          isFinal: n.op === "_Send" || n.op === "_Retval",
        }),
      );
    }
  }
  return create(CostGraphDefSchema, { node: nodes });
}

/** The name TF gives the _Recv of a feed ("x:0" → "_recv_x_0"). */
function recvNodeName(feed: string): string {
  const colon = feed.lastIndexOf(":");
  return colon > 0 && /^\d+$/.test(feed.slice(colon + 1))
    ? `_recv_${feed.slice(0, colon)}_${feed.slice(colon + 1)}`
    : `_recv_${feed}_0`;
}

const closedByUser = () => cancelled("Step was cancelled by an explicit call to `Session::Close()`.");

/** A session's converted and placed graph with what ExtendSession needs to append to it. */
interface BuiltGraph {
  readonly graph: Graph;
  readonly functions: FunctionLibrary;
  /** Functional ops were lowered into the graph. */
  readonly lowered: boolean;
  /** Colocation group names of the graph's nodes (names and `_class` "loc:@" entries). */
  readonly groups: Set<string>;
  /** Functions in the library `functions` was made from. */
  readonly functionCount: number;
}

export class MasterSession {
  readonly handle: string;
  readonly config: ConfigProto;
  private readonly env: MasterSessionEnv;
  private nodeDefs: NodeDef[] = [];
  /** Names of `nodeDefs`, for Extend's duplicate check. */
  private readonly nodeNames = new Set<string>();
  private library: FunctionDefLibrary | undefined;
  private versions: VersionDef | undefined;
  private graph!: Graph;
  /** What the last whole build of `graph` left for Extend to append to it (see appendToGraph). */
  private built!: BuiltGraph;
  /** The end of the last graph job (see withGraph). */
  private graphTurn: Promise<void> = Promise.resolve();
  private version = 0n;
  private closed = false;
  private closeReason: TfError | undefined;
  /** Devices of stateful nodes, kept across Extend (TF's stateful placements). */
  private readonly statefulPlacements = new Map<string, string>();
  private readonly plans = new Map<string, Promise<RunPlan>>();
  /** Partial runs have a cache of their own (TF keeps two). */
  private readonly partialPlans = new Map<string, Promise<RunPlan>>();
  private readonly partialRuns = new Map<string, PartialRunState>();
  private nextPartialRun = 0;
  /** A callable's plan is rebuilt before its next run once `stale` (a remote worker restarted). */
  private readonly callables = new Map<
    bigint,
    { plan: RunPlan; options: CallableOptions; stale?: boolean }
  >();
  private nextCallable = 0n;
  /** The running steps' cancellations; a slot table, as steps come and go (framework/slot-table.ts). */
  private readonly running = new SlotTable<CallCancellation>();
  /** Rendezvous keys of fetched tensors on the client device, by tensor name (see clientKey). */
  private readonly clientKeys = new Map<string, string>();
  private readonly runningDone = new SlotTable<Promise<unknown>>();
  /** Remote workers that failed a step since they were last checked (see recoverRemotes). */
  private readonly suspectRemotes = new Set<WorkerInterface>();
  /** The session's counter for names of nodes added by partitioning (TF's next_node_id_). */
  private nextNodeId = 0;
  lastAccess = Date.now();

  private constructor(handle: string, config: ConfigProto, env: MasterSessionEnv) {
    this.handle = handle;
    this.config = config;
    this.env = env;
  }

  /**
   * CreateSession's graph work: checks, converts and places the graph in slices, so a large graph
   * never holds the RPC thread (framework/slices.ts). Throws TfError for a graph TF refuses.
   */
  static async create(
    handle: string,
    config: ConfigProto,
    graphDef: GraphDef,
    env: MasterSessionEnv,
  ): Promise<MasterSession> {
    if (config.usePerSessionThreads || config.sessionInterOpThreadPool.length > 0) {
      throw invalidArgument("Distributed session does not support session thread pool options.");
    }
    const s = new MasterSession(handle, config, env);
    await runInSlices(validateExternalGraphDefSyntaxSliced(graphDef));
    checkGraphDefVersions(graphDef.versions);
    s.checkSize(graphDef.node.length);
    s.built = await s.buildGraph(graphDef.node, graphDef.library);
    s.graph = s.built.graph;
    await runInSlices(s.recordNodeDefs(graphDef.node));
    s.library = graphDef.library;
    s.versions = graphDef.versions;
    return s;
  }

  /** Keeps the nodes a Create or Extend added (for Extend's rebuilds and duplicate check). */
  private *recordNodeDefs(nodes: readonly NodeDef[]): Sliced<void> {
    let k = 0;
    for (const n of nodes) {
      if (++k % YIELD_EVERY === 0) yield;
      this.nodeDefs.push(n);
      this.nodeNames.add(n.name);
    }
  }

  /**
   * Runs `f` with the session's graph to itself: Extend (which may append to the graph in place)
   * and plan building (which reads all of it) take turns, since both run in slices.
   */
  private withGraph<T>(f: () => Promise<T>): Promise<T> {
    const run = this.graphTurn.then(f, f);
    this.graphTurn = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get graphVersion(): bigint {
    return this.version;
  }

  private checkSize(n: number): void {
    if (n > this.env.maxGraphNodes) {
      throw invalidArgument(
        `Graph has ${n} nodes, more than this server's limit of ${this.env.maxGraphNodes}`,
      );
    }
  }

  /** Converts and places a whole graph (TF places the entire graph at Create/Extend), in slices. */
  private buildGraph(
    nodes: readonly NodeDef[],
    library: FunctionDefLibrary | undefined,
  ): Promise<BuiltGraph> {
    return runInSlices(this.buildGraphSliced(nodes, library));
  }

  private *buildGraphSliced(
    nodes: readonly NodeDef[],
    library: FunctionDefLibrary | undefined,
  ): Sliced<BuiltGraph> {
    const functions = createFunctionLibrary(library);
    const lookupOp = (name: string) => lookUpOp(name) ?? functions.opDef(name);
    const lowered = yield* lowerFunctionalOpsSliced(nodes, {
      library: functions,
      lookupOp,
      maxNodes: this.env.maxGraphNodes,
    });
    const graph = yield* convertNodeDefsSliced(lowered, { lookupOp: (name) => functions.opDef(name) });
    // Placement messages summarise constants (decoding them): under this master's tensor limit.
    yield* scoped(
      placeGraphSliced(graph, this.env.devices, {
        allowSoftPlacement: this.config.allowSoftPlacement,
        logDevicePlacement: this.config.logDevicePlacement,
        previousPlacement: this.statefulPlacements,
        log: (m) => this.env.log("info", m),
      }),
      (f) => withMaxTensorBytes(this.env.maxTensorBytes, f),
    );
    const groups = new Set<string>();
    let k = 0;
    for (const n of graph.nodes) {
      if (++k % YIELD_EVERY === 0) yield;
      for (const g of colocationGroups(n)) groups.add(g);
    }
    return {
      graph,
      functions,
      lowered: lowered !== nodes,
      groups,
      functionCount: library?.function.length ?? 0,
    };
  }

  /**
   * ExtendSession's fast path: converts and places only the new nodes, appending them to the graph
   * in place, when that gives the graph a whole rebuild would (same nodes, ids, edges, devices and
   * errors). It does not when the graph has functional ops lowered into it or the new nodes have
   * some (lowering renames inputs and appends bodies at the end), when placements are logged (a
   * rebuild logs every node), or when a new node could move an old one (placeAppended). Returns
   * false when the caller must rebuild; on error the graph is left as it was.
   */
  private async appendToGraph(
    nodes: readonly NodeDef[],
    library: FunctionDefLibrary | undefined,
  ): Promise<boolean> {
    const built = this.built;
    if (built.lowered || this.config.logDevicePlacement) return false;
    const functionCount = library?.function.length ?? 0;
    const functions =
      functionCount === built.functionCount ? built.functions : createFunctionLibrary(library);
    const lookupOp = (name: string) => lookUpOp(name) ?? functions.opDef(name);
    const lowered = await runInSlices(
      lowerFunctionalOpsSliced(nodes, { library: functions, lookupOp, maxNodes: this.env.maxGraphNodes }),
    );
    if (lowered !== nodes) return false;
    const graph = this.graph;
    const first = graph.size;
    await runInSlices(appendNodeDefsSliced(graph, nodes, { lookupOp: (name) => functions.opDef(name) }));
    if (!appendedNodesAreIndependent(graph, first, built.groups)) {
      graph.truncate(first);
      return false;
    }
    try {
      await runInSlices(
        scoped(
          placeAppendedSliced(graph, first, this.env.devices, {
            allowSoftPlacement: this.config.allowSoftPlacement,
            logDevicePlacement: false,
            previousPlacement: this.statefulPlacements,
            log: (m) => this.env.log("info", m),
          }),
          (f) => withMaxTensorBytes(this.env.maxTensorBytes, f),
        ),
      );
    } catch (e) {
      graph.truncate(first);
      throw e;
    }
    if (!earlierGeneratorsStay(graph, first)) {
      graph.truncate(first);
      return false;
    }
    for (const n of graph.nodes.slice(first)) for (const g of colocationGroups(n)) built.groups.add(g);
    this.built = { ...built, functions, functionCount };
    return true;
  }

  private *rememberStatefulPlacements(graph: Graph, first = 0): Sliced<void> {
    for (let id = first; id < graph.size; id++) {
      if (id % YIELD_EVERY === 0) yield;
      const n = graph.nodes[id]!;
      if (n.opDef.isStateful && !this.statefulPlacements.has(n.name))
        this.statefulPlacements.set(n.name, n.assignedDevice);
    }
  }

  /** Called once after construction succeeded. */
  commitCreate(): Promise<void> {
    return runInSlices(this.rememberStatefulPlacements(this.graph));
  }

  /** ExtendSession (docs/semantics.md, "ExtendSession and graph versions"). Returns the new version. */
  async extend(graphDef: GraphDef, expectedVersion: bigint): Promise<bigint> {
    await runInSlices(validateExternalGraphDefSyntaxSliced(graphDef));
    // Extends take turns (TF holds the session's mutex for a whole Extend): one that waited for
    // another finds the version that one made.
    return this.withGraph(async () => {
      if (this.closed) throw failedPrecondition("Session is closed.");
      if (expectedVersion !== this.version) {
        throw aborted(`Current version is ${this.version} but caller expected ${expectedVersion}.`);
      }
      return this.extendGraph(graphDef);
    });
  }

  private async extendGraph(graphDef: GraphDef): Promise<bigint> {
    for (const n of graphDef.node) {
      if (this.nodeNames.has(n.name)) {
        throw invalidArgument(
          `GraphDef argument to Extend includes node '${n.name}', which was created by a previous call to Create or Extend in this session.`,
        );
      }
    }
    const versions = this.mergeVersions(graphDef.versions);
    checkGraphDefVersions(versions);
    const library = this.mergeLibrary(graphDef.library);
    this.checkSize(this.nodeDefs.length + graphDef.node.length);
    const first = this.graph.size;
    if (await this.appendToGraph(graphDef.node, library)) {
      await runInSlices(this.rememberStatefulPlacements(this.graph, first));
    } else {
      const built = await this.buildGraph([...this.nodeDefs, ...graphDef.node], library);
      // Commit only after everything succeeded: on error the session stays at the old version.
      this.built = built;
      this.graph = built.graph;
      await runInSlices(this.rememberStatefulPlacements(built.graph));
    }
    await runInSlices(this.recordNodeDefs(graphDef.node));
    this.versions = versions;
    this.library = library;
    this.version += 1n;
    this.lastAccess = Date.now();
    return this.version;
  }

  private mergeVersions(incoming: VersionDef | undefined): VersionDef | undefined {
    if (incoming === undefined) return this.versions;
    if (this.versions === undefined) return incoming;
    // Observed with TF 2.21: a different producer is accepted; keep the larger min_consumer.
    return create(VersionDefSchema, {
      producer: this.versions.producer,
      minConsumer: Math.max(this.versions.minConsumer, incoming.minConsumer),
      badConsumers: [...new Set([...this.versions.badConsumers, ...incoming.badConsumers])],
    });
  }

  /** Clients resend the whole library on every Extend: identical duplicates are fine. */
  private mergeLibrary(incoming: FunctionDefLibrary | undefined): FunctionDefLibrary | undefined {
    if (incoming === undefined || incoming.function.length === 0) return this.library;
    if (this.library === undefined) return incoming;
    createFunctionLibrary(
      create(FunctionDefLibrarySchema, { function: [...this.library.function, ...incoming.function] }),
    );
    const names = new Map(this.library.function.map((f) => [f.signature?.name ?? "", f]));
    for (const f of incoming.function) {
      const name = f.signature?.name ?? "";
      if (!names.has(name)) this.library.function.push(f);
    }
    return this.library;
  }

  private signature(
    feeds: readonly string[],
    fetches: readonly string[],
    targets: readonly string[],
  ): string {
    const s = (a: readonly string[]) => [...a].sort().join("\u0001");
    return `${s(feeds)}\u0002${s(fetches)}\u0002${s(targets)}`;
  }

  /** Builds, partitions and registers the client graph of a signature (TF's BuildAndRegisterPartitions). */
  private async buildPlan(
    feeds: readonly string[],
    fetches: readonly string[],
    targets: readonly string[],
    connections: readonly TensorConnectionSpec[] = [],
  ): Promise<RunPlan> {
    const client = this.env.devices[0]!;
    const incarnations = new Map(this.env.devices.map((d) => [d.name, d.incarnation]));
    // With TF workers, added nodes are named session-wide, as TF's master names them.
    const newName = this.env.refreshRemote
      ? (prefix: string) => `${prefix}_S${this.nextNodeId++}`
      : undefined;
    // Pruning and partitioning run in slices, with the graph to themselves (withGraph).
    const { rewritten, parts, feedsEnd } = await this.withGraph(() =>
      runInSlices(
        (function* (graph: Graph, versions: VersionDef | undefined, library: FunctionDefLibrary | undefined) {
          const rewritten = yield* rewriteGraphForExecutionSliced(
            graph,
            feeds,
            fetches,
            targets,
            client,
            connections,
          );
          const parts = yield* partitionGraphSliced(rewritten.graph, {
            incarnation: (d) => incarnations.get(d) ?? 0n,
            versions,
            library,
            ...(newName ? { newName } : {}),
          });
          const feedsEnd = yield* feedsEndWithStep(rewritten.graph);
          return { rewritten, parts, feedsEnd };
        })(this.graph, this.versions, this.library),
      ),
    );
    const partitions: PartitionPlan[] = [];
    const partitionGraphs: GraphDef[] = [];
    let clientPartition = -1;
    try {
      for (const { device, worker, graphDef } of this.groupByWorker(parts)) {
        const handle = await worker.registerGraph({
          sessionHandle: this.handle,
          graphDef,
          graphOptions: this.config.graphOptions,
          configProto: this.config,
        });
        if (device === client.name) clientPartition = partitions.length;
        partitions.push({ worker, handle, device });
        partitionGraphs.push(graphDef);
      }
    } catch (e) {
      await Promise.allSettled(partitions.map((p) => p.worker.deregisterGraph(p.handle)));
      throw e;
    }
    return {
      partitions,
      clientPartition,
      feedTypes: rewritten.feedTypes,
      usedFeeds: rewritten.usedFeeds,
      partitionGraphs,
      feedsEndWithStep: feedsEnd && partitions.every((p) => !p.worker.splitsGraphByDevice),
      workers: [...new Set(partitions.map((p) => p.worker))],
      executions: 0,
    };
  }

  /**
   * The graphs to register: one per device, except that a worker that splits graphs by device
   * itself (a remote TF task) gets its task's partitions as one graph, as TF's master partitions by
   * task (SplitByWorker) and leaves the split by device to each worker. Such a merged graph is
   * named by its task.
   */
  private groupByWorker(
    parts: ReadonlyMap<string, GraphDef>,
  ): { device: string; worker: WorkerInterface; graphDef: GraphDef }[] {
    const out: { device: string; worker: WorkerInterface; graphDef: GraphDef }[] = [];
    const merged = new Map<WorkerInterface, GraphDef>();
    for (const [device, graphDef] of parts) {
      const worker = this.env.workerFor(device);
      if (!worker.splitsGraphByDevice) {
        out.push({ device, worker, graphDef });
        continue;
      }
      const task = merged.get(worker);
      if (task !== undefined) {
        task.node.push(...graphDef.node);
        continue;
      }
      merged.set(worker, graphDef);
      out.push({ device: worker.task, worker, graphDef });
    }
    return out;
  }

  /**
   * Checks the remote workers that failed a step (GetStatus). One that restarted lost the graphs
   * and worker session this session had there: it gets a new worker session, and every cached plan
   * is dropped (deregistered where it still lives) so the next step partitions again with the new
   * incarnations in its _Send/_Recv attrs. One still down stays suspect; its steps keep failing
   * UNAVAILABLE, naming it, while steps that do not touch it run. (TF's master keeps its plans and
   * fails every later step of the session; a client must start a new one.)
   */
  private async recoverRemotes(): Promise<void> {
    if (this.suspectRemotes.size === 0 || this.env.refreshRemote === undefined) return;
    const suspects = [...this.suspectRemotes];
    this.suspectRemotes.clear();
    let restarted = false;
    for (const w of suspects) {
      try {
        if (await this.env.refreshRemote(w)) restarted = true;
      } catch (e) {
        this.suspectRemotes.add(w);
        this.env.log("warn", `${w.task} is still unreachable: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!restarted) return;
    const stale = [...this.plans.values()];
    this.plans.clear();
    for (const c of this.callables.values()) {
      if (!c.stale) void this.deregister(c.plan);
      c.stale = true;
    }
    for (const p of await Promise.allSettled(stale)) {
      if (p.status === "fulfilled")
        await Promise.allSettled(p.value.partitions.map((x) => x.worker.deregisterGraph(x.handle)));
    }
  }

  private async getPlan(
    cache: Map<string, Promise<RunPlan>>,
    feeds: readonly string[],
    fetches: readonly string[],
    targets: readonly string[],
  ): Promise<RunPlan> {
    if (this.suspectRemotes.size > 0) await this.recoverRemotes();
    const key = this.signature(feeds, fetches, targets);
    let p = cache.get(key);
    if (p === undefined) {
      const building = this.buildPlan(feeds, fetches, targets);
      p = building;
      cache.set(key, p);
      building.then(
        (plan) => builtPlans.set(building, plan),
        () => {},
      );
      // Build errors are returned and not cached: the next call rebuilds.
      p.catch(() => {
        if (cache.get(key) === p) cache.delete(key);
      });
    }
    return p;
  }

  /**
   * The cached plan for a signature when it is built and nothing needs checking first (no suspect
   * remote task): undefined sends the caller the long way, through getPlan.
   */
  private builtPlan(
    cache: Map<string, Promise<RunPlan>>,
    feeds: readonly string[],
    fetches: readonly string[],
    targets: readonly string[],
  ): RunPlan | undefined {
    if (this.suspectRemotes.size > 0) return undefined;
    const p = cache.get(this.signature(feeds, fetches, targets));
    return p === undefined ? undefined : builtPlans.get(p);
  }

  /**
   * Decodes feeds (docs/semantics.md, "RunStep") and checks their dtypes before the step starts. TF finds a
   * wrong-dtype feed only when the feed's _Recv produces it, and reports it as that worker's
   * INTERNAL error; tfgate answers the same code and text without starting the step.
   */
  private decodeFeeds(
    plan: RunPlan,
    feeds: readonly { readonly name: string; readonly tensor: TensorProto }[],
  ): Map<string, Tensor> {
    const send = new Map<string, Tensor>();
    feeds.forEach((f, i) => {
      if (!plan.usedFeeds.has(f.name)) return;
      let t: Tensor;
      try {
        // Owned: one byte copy into engine memory (shared when large), so the worker thread gets
        // the feed without another copy and nothing of the request's buffer outlives this call.
        t = withMaxTensorBytes(this.env.maxTensorBytes, () =>
          tensorFromProto(f.tensor, "TensorProto", { own: true }),
        );
      } catch (e) {
        if (isTfError(e)) throw invalidArgument(`Invalid TensorProto for feed value ${i} (${e.message})`);
        throw e;
      }
      const want = plan.feedTypes.get(f.name)!;
      if (t.dtype !== want) {
        const task = plan.partitions[plan.clientPartition]!.worker.task;
        throw internal(
          `From ${task}:\nOutput 0 of type ${dataTypeString(t.dtype)} does not match declared output type ` +
            `${dataTypeString(want)} for node {{node ${recvNodeName(f.name)}}}`,
        );
      }
      send.set(this.clientKey(f.name), t);
    });
    return send;
  }

  private clientKey(tensorName: string): string {
    // Built once per tensor name: a small step fetches the same names every call, and each key is
    // a long string (docs/benchmarks.md, "Balancing the RPC loop"). Only names of this session's
    // graph get here, after their plan was built, so the map is as bounded as the graph.
    let key = this.clientKeys.get(tensorName);
    if (key === undefined) {
      const client = this.env.devices[0]!;
      key = createRendezvousKey(client.name, client.incarnation, client.name, tensorName);
      this.clientKeys.set(tensorName, key);
    }
    return key;
  }

  /**
   * A step's cancellation: the session's (Close, GC), the caller's (deadline, disconnect) and the
   * step timeout, folded into one CallCancellation whose reason is the TfError to report.
   */
  private startStep(
    timeoutMs: number,
    signal: CallerSignal | undefined,
    abortReason?: (reason: unknown) => TfError | undefined,
  ): StepCancellation {
    const step = new StepCancellation(this.running, timeoutMs, signal, abortReason);
    // A Close (or GC) that came while the plan was being built still cancels this step.
    if (this.closeReason !== undefined) step.abort(this.closeReason);
    return step;
  }

  /**
   * Runs every partition of a plan for one step (or one call of a partial run) and returns the
   * client partition's fetched values. The first failing partition's error wins; the others are
   * cancelled.
   */
  private async runPartitions(
    plan: RunPlan,
    stepId: bigint,
    controller: CallCancellation,
    abort: (e: TfError) => void,
    send: ReadonlyMap<string, Tensor>,
    fetchKeys: readonly string[],
    extra: {
      isPartial?: boolean;
      isLastPartialRun?: boolean;
      collectStepStats?: boolean;
      recordPartitionGraphs?: boolean;
    },
  ): Promise<{
    recv: ReadonlyMap<string, RendezvousValue>;
    stepStats: DeviceStepStats[];
    partitionGraphs: GraphDef[];
  }> {
    if (plan.partitions.length === 1 && extra.isPartial !== true) {
      return this.runOnePartition(plan, stepId, controller, abort, send, fetchKeys, extra);
    }
    const work = Promise.all(
      plan.partitions.map((p, i) =>
        p.worker
          .runGraph({
            graphHandle: p.handle,
            stepId,
            send: i === plan.clientPartition ? send : new Map(),
            // decodeFeeds made these tensors for this step (copied, or adopted from a request body
            // the transport handed over), and they go to this one partition.
            sendOwned: true,
            recvKeys: i === plan.clientPartition ? fetchKeys : [],
            signal: controller,
            ...extra,
          })
          .catch((e: unknown) => {
            if (controller.aborted && isTfError(controller.reason)) throw controller.reason;
            // Worker errors carry the task they came from, as TF's master reports them.
            if (!isTfError(e)) this.env.log("error", `partition ${p.device} failed: ${String(e)}`);
            const err = isTfError(e)
              ? e.withPrefix(`From ${p.worker.task}:\n`)
              : internal("Internal error while running a partition");
            abort(err);
            throw err;
          }),
      ),
    );
    const slot = this.runningDone.add(work);
    try {
      const results = await work;
      // Plain loops: this runs on the RPC thread for every step (docs/benchmarks.md, "Balancing
      // the RPC loop").
      const stepStats: DeviceStepStats[] = [];
      const partitionGraphs: GraphDef[] = [];
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        if (r.stepStats) stepStats.push(r.stepStats);
        if (r.deviceStepStats) for (const s of r.deviceStepStats) stepStats.push(s);
        // A remote task reports the graphs it ran (split by device, after its optimizations), as
        // TF's master returns them; local partitions are returned as registered.
        if (r.partitionGraphs !== undefined && r.partitionGraphs.length > 0)
          for (const g of r.partitionGraphs) partitionGraphs.push(g);
        else partitionGraphs.push(plan.partitionGraphs[i]!);
      }
      return { recv: results[plan.clientPartition]?.recv ?? new Map(), stepStats, partitionGraphs };
    } catch (e) {
      // A remote task that failed a step may have died or restarted: the next step checks.
      for (const p of plan.partitions) if (p.worker.splitsGraphByDevice) this.suspectRemotes.add(p.worker);
      if (controller.aborted && isTfError(controller.reason)) throw controller.reason;
      throw e;
    } finally {
      this.runningDone.take(slot, work);
    }
  }

  /**
   * runPartitions for a plan of one partition (a small graph on one device, the common case): the
   * worker's promise and one `then`, no Promise.all or per-partition arrays (docs/benchmarks.md,
   * "Balancing the RPC loop"). Same errors, same bookkeeping.
   */
  private runOnePartition(
    plan: RunPlan,
    stepId: bigint,
    controller: CallCancellation,
    abort: (e: TfError) => void,
    send: ReadonlyMap<string, Tensor>,
    fetchKeys: readonly string[],
    extra: { collectStepStats?: boolean; recordPartitionGraphs?: boolean },
  ): Promise<{
    recv: ReadonlyMap<string, RendezvousValue>;
    stepStats: DeviceStepStats[];
    partitionGraphs: GraphDef[];
  }> {
    const p = plan.partitions[0]!;
    const isClient = plan.clientPartition === 0;
    // `work` and `slot` are read by its own callbacks only, which run after both are assigned.
    let slot = -1;
    const work = p.worker
      .runGraph({
        graphHandle: p.handle,
        stepId,
        send: isClient ? send : new Map(),
        sendOwned: true,
        recvKeys: isClient ? fetchKeys : [],
        signal: controller,
        collectStepStats: extra.collectStepStats ?? false,
        recordPartitionGraphs: extra.recordPartitionGraphs ?? false,
      })
      .then(
        (r) => {
          this.runningDone.take(slot, work);
          const stepStats: DeviceStepStats[] = [];
          if (r.stepStats) stepStats.push(r.stepStats);
          if (r.deviceStepStats) for (const s of r.deviceStepStats) stepStats.push(s);
          const partitionGraphs =
            r.partitionGraphs !== undefined && r.partitionGraphs.length > 0
              ? [...r.partitionGraphs]
              : [plan.partitionGraphs[0]!];
          return { recv: isClient ? r.recv : new Map<string, RendezvousValue>(), stepStats, partitionGraphs };
        },
        (e: unknown) => {
          this.runningDone.take(slot, work);
          const reason = controller.reason;
          if (controller.aborted && isTfError(reason)) throw reason;
          // Worker errors carry the task they came from, as TF's master reports them.
          if (!isTfError(e)) this.env.log("error", `partition ${p.device} failed: ${String(e)}`);
          abort(
            isTfError(e)
              ? e.withPrefix(`From ${p.worker.task}:\n`)
              : internal("Internal error while running a partition"),
          );
          // A remote task that failed a step may have died or restarted: the next step checks.
          if (p.worker.splitsGraphByDevice) this.suspectRemotes.add(p.worker);
          throw controller.reason;
        },
      );
    slot = this.runningDone.add(work);
    return work;
  }

  /** Turns fetched rendezvous values into tensors, in the order of `names`. */
  private fetched(
    names: readonly string[],
    keys: readonly string[],
    recv: ReadonlyMap<string, RendezvousValue>,
  ) {
    return names.map((name, i) => {
      const v = recv.get(keys[i]!);
      if (v === undefined) throw internal(`Worker did not return a value for fetch: ${name}`);
      if (v.isDead || v.tensor === undefined) {
        throw internal(
          `Failed to fetch outputs of the step (Original error message: The tensor returned for ${keys[i]} was not valid.)`,
        );
      }
      return { name, tensor: v.tensor };
    });
  }

  /**
   * One complete step of a plan: feeds in, fetches out, then the step's state is cleaned up. A
   * plain function settling through one `then` rather than an async one: it runs for every step
   * on the RPC thread (docs/benchmarks.md, "Balancing the RPC loop").
   */
  private execute(
    plan: RunPlan,
    send: ReadonlyMap<string, Tensor>,
    fetches: readonly string[],
    options: StepOptions,
  ): Promise<RunStepResult> {
    const fetchKeys = fetches.map((f) => this.clientKey(f));
    const step = this.startStep(options.timeoutMs, options.signal, options.abortReason);
    const stepId = newStepId();
    // TF's cost-model schedule: with graph_options.build_cost_model = N > 0, every N-th execution
    // of this client graph (counting from build_cost_model_after) returns a cost graph.
    const every = Number(this.config.graphOptions?.buildCostModel ?? 0n);
    const after = Number(this.config.graphOptions?.buildCostModelAfter ?? 0n);
    const count = plan.executions++;
    const buildCost = every > 0 && count + 1 - after >= 0 && (count + 1 - after) % every === 0;
    const end = () => {
      step.finish();
      for (const w of plan.workers) w.cleanupGraph(stepId);
    };
    let running: ReturnType<MasterSession["runPartitions"]>;
    try {
      running = this.runPartitions(plan, stepId, step.controller, step.abort, send, fetchKeys, {
        collectStepStats: options.trace || buildCost,
        recordPartitionGraphs: options.outputPartitionGraphs,
      });
    } catch (e) {
      end();
      return Promise.reject(e);
    }
    return running.then(
      ({ recv, stepStats, partitionGraphs }) => {
        end();
        const memory = options.callMemory;
        if (memory !== undefined) {
          if (plan.feedsEndWithStep) memory.reusable = true;
          memory.returnFetches = returnFetches(
            plan.partitions[plan.clientPartition]?.worker,
            fetchKeys,
            recv,
          );
        }
        const result: RunStepResult = {
          tensors: this.fetched(fetches, fetchKeys, recv),
          partitionGraphs: options.outputPartitionGraphs ? partitionGraphs : noPartitionGraphs,
          stepStats: options.trace ? stepStats : noStepStats,
        };
        return buildCost ? { ...result, costGraph: costGraphOf(plan.partitionGraphs, stepStats) } : result;
      },
      (e: unknown) => {
        end();
        throw e;
      },
    );
  }

  /** RunStep without a partial-run handle (docs/semantics.md, "RunStep"). */
  runStep(args: RunStepArgs): Promise<RunStepResult> {
    try {
      if (this.closed) throw failedPrecondition("Session is closed.");
      this.lastAccess = Date.now();
      const feedNames = args.feeds.map((f) => f.name);
      // Duplicate fetch strings are answered once; "c" and "c:0" are distinct strings.
      const requested = args.fetches.length < 2 ? args.fetches : [...new Set(args.fetches)];
      // A cached plan runs without awaiting its promise: one promise less per step.
      const plan = this.builtPlan(this.plans, feedNames, requested, args.targets);
      if (plan !== undefined) return this.execute(plan, this.decodeFeeds(plan, args.feeds), requested, args);
      return this.getPlan(this.plans, feedNames, requested, args.targets).then((built) =>
        this.execute(built, this.decodeFeeds(built, args.feeds), requested, args),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Partial runs (docs/semantics.md, "Partial runs").

  /** PartialRunSetup: builds the plan, starts nothing yet, returns the handle ("0", "1", …). */
  async partialRunSetup(
    feeds: readonly string[],
    fetches: readonly string[],
    targets: readonly string[],
  ): Promise<string> {
    // TF numbers a setup before building its graph: a setup that fails still uses up a handle.
    const handle = String(this.nextPartialRun++);
    const plan = await this.getPlan(this.partialPlans, feeds, fetches, targets);
    this.partialRuns.set(handle, {
      plan,
      stepId: newStepId(),
      pendingInputs: new Map(feeds.map((f) => [f, false])),
      pendingOutputs: new Map(fetches.map((f) => [f, false])),
      step: undefined,
      trace: undefined,
    });
    return handle;
  }

  /** RunStep with a partial_run_handle. */
  async partialRun(handle: string, args: RunStepArgs, collectiveGraphKey: bigint): Promise<RunStepResult> {
    if (this.closed) throw failedPrecondition("Session is closed.");
    this.lastAccess = Date.now();
    const run = this.partialRuns.get(handle);
    if (run === undefined) throw invalidArgument("Must run PartialRunSetup before performing partial runs");
    if (collectiveGraphKey !== 0n) {
      throw invalidArgument(
        "PartialRun does not support Collective ops.  collective_graph_key must be kNoCollectiveGraphKey.",
      );
    }
    for (const f of args.feeds) {
      const state = run.pendingInputs.get(f.name);
      if (state === undefined)
        throw invalidArgument(`The feed ${f.name} was not specified in partial_run_setup.`);
      if (state) throw invalidArgument(`The feed ${f.name} has already been fed.`);
    }
    for (const f of args.fetches) {
      const state = run.pendingOutputs.get(f);
      if (state === undefined)
        throw invalidArgument(`The fetch ${f} was not specified in partial_run_setup.`);
      if (state) throw invalidArgument(`The fetch ${f} has already been fetched.`);
    }
    this.checkFetchesComputable(
      run,
      args.feeds.map((f) => f.name),
      args.fetches,
    );
    let send: Map<string, Tensor>;
    try {
      send = this.decodeFeeds(run.plan, args.feeds);
    } catch (e) {
      // In TF a bad feed fails the partial run's step, and a failed partial run is gone.
      if (isTfError(e)) run.step?.abort(e);
      this.endPartialRun(handle, run);
      throw e;
    }
    for (const f of args.feeds) run.pendingInputs.set(f.name, true);
    for (const f of args.fetches) run.pendingOutputs.set(f, true);
    const isLast = [...run.pendingInputs.values(), ...run.pendingOutputs.values()].every((v) => v);
    // The first call fixes the tracing options of the whole step.
    run.trace ??= args.trace;
    // The step's cancellation spans every call of the partial run.
    run.step ??= this.startStep(0, undefined);
    const fetches = [...new Set(args.fetches)];
    const fetchKeys = fetches.map((f) => this.clientKey(f));
    const timer =
      args.timeoutMs > 0
        ? setTimeout(
            () => run.step?.abort(deadlineExceeded("Timed out waiting for the step to finish")),
            args.timeoutMs,
          )
        : undefined;
    const onCallerAbort = () =>
      run.step?.abort(cancelled("The step was cancelled because the client cancelled the call."));
    args.signal?.addEventListener("abort", onCallerAbort, { once: true });
    let finished = isLast;
    try {
      const { recv, stepStats, partitionGraphs } = await this.runPartitions(
        run.plan,
        run.stepId,
        run.step.controller,
        run.step.abort,
        send,
        fetchKeys,
        {
          isPartial: true,
          isLastPartialRun: isLast,
          collectStepStats: run.trace,
          recordPartitionGraphs: args.outputPartitionGraphs,
        },
      );
      return {
        tensors: this.fetched(fetches, fetchKeys, recv),
        partitionGraphs: args.outputPartitionGraphs ? partitionGraphs : [],
        stepStats,
      };
    } catch (e) {
      finished = true;
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
      args.signal?.removeEventListener("abort", onCallerAbort);
      // On error or after the last call: cleanup, and the handle is gone (TF's DoPartialRun).
      if (finished) this.endPartialRun(handle, run);
    }
  }

  private endPartialRun(handle: string, run: PartialRunState): void {
    run.step?.finish();
    this.partialRuns.delete(handle);
    for (const w of run.plan.workers) w.cleanupGraph(run.stepId);
  }

  /**
   * TF's PartialRunState check: every fetch must be computable from feeds already fed or fed now;
   * walking back from a fetch must not meet a setup feed that is still pending.
   */
  private checkFetchesComputable(
    run: PartialRunState,
    feedingNow: readonly string[],
    fetches: readonly string[],
  ): void {
    const pending = new Map<string, string>(); // "node:index" → feed string
    const now = new Set(feedingNow);
    const fed = new Set<string>();
    for (const [f, done] of run.pendingInputs) {
      const id = parseTensorName(f);
      const k = `${id.node}:${id.index}`;
      if (done || now.has(f)) fed.add(k);
      else pending.set(k, f);
    }
    for (const f of fetches) {
      const id = parseTensorName(f);
      const start = this.graph.find(id.node);
      if (start === undefined) throw notFound(`Fetch ${f}: not found`);
      if (fed.has(`${id.node}:${id.index}`)) continue;
      const seen = new Set<Node>([start]);
      const stack: Node[] = [start];
      while (stack.length > 0) {
        const n = stack.pop()!;
        for (const e of n.inEdges) {
          const k = `${e.src.name}:${e.srcOutput}`;
          if (e.srcOutput >= 0 && fed.has(k)) continue;
          if (e.srcOutput >= 0 && pending.has(k)) {
            throw invalidArgument(`Fetch ${k} can't be computed from the feeds that have been fed so far.`);
          }
          if (!seen.has(e.src)) {
            seen.add(e.src);
            stack.push(e.src);
          }
        }
      }
    }
    for (const f of feedingNow) {
      if (this.graph.find(parseTensorName(f).node) === undefined) throw notFound(`Feed ${f}: not found`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Callables (docs/semantics.md, "Callables").

  async makeCallable(options: CallableOptions): Promise<bigint> {
    if (this.closed) throw failedPrecondition("Session is closed.");
    this.lastAccess = Date.now();
    if (Object.keys(options.feedDevices).length > 0 || Object.keys(options.fetchDevices).length > 0) {
      throw unimplemented(
        "CallableOptions::feed_devices and CallableOptions::fetch_devices to configure feeding/fetching tensors to/from device memory is not yet supported when using a remote session.",
      );
    }
    const connections = options.tensorConnection.map((c) => ({ from: c.fromTensor, to: c.toTensor }));
    // Callables are not in the RunStep cache: each has its own registered plan.
    const plan = await this.buildPlan(options.feed, options.fetch, options.target, connections);
    const handle = this.nextCallable++;
    this.callables.set(handle, { plan, options });
    return handle;
  }

  async runCallable(
    handle: bigint,
    feeds: readonly TensorProto[],
    caller: Pick<StepOptions, "signal" | "abortReason" | "callMemory"> | undefined,
    /** The step's timeout given the callable's RunOptions.timeout_in_ms (see policy.ts). */
    timeoutFor: (requested: bigint | undefined) => number,
  ) {
    if (this.closed) throw failedPrecondition("Session is closed.");
    this.lastAccess = Date.now();
    if (handle >= this.nextCallable || handle < 0n)
      throw invalidArgument(`No such callable handle: ${handle}`);
    await this.recoverRemotes();
    const callable = this.callables.get(handle);
    if (callable === undefined) {
      throw invalidArgument(`Attempted to run callable after handle was released: ${handle}`);
    }
    if (callable.stale) {
      const o = callable.options;
      const connections = o.tensorConnection.map((c) => ({ from: c.fromTensor, to: c.toTensor }));
      callable.plan = await this.buildPlan(o.feed, o.fetch, o.target, connections);
      callable.stale = false;
    }
    const { plan, options } = callable;
    if (feeds.length !== options.feed.length) {
      throw invalidArgument(`Expected ${options.feed.length} feed tensors, but got ${feeds.length}`);
    }
    const send = this.decodeFeeds(
      plan,
      options.feed.map((name, i) => ({ name, tensor: feeds[i]! })),
    );
    const runOptions = options.runOptions;
    const timeoutMs = timeoutFor(runOptions?.timeoutInMs);
    const unique = [...new Set(options.fetch)];
    const result = await this.execute(plan, send, unique, {
      timeoutMs,
      signal: caller?.signal,
      abortReason: caller?.abortReason,
      callMemory: caller?.callMemory,
      outputPartitionGraphs: runOptions?.outputPartitionGraphs ?? false,
      trace: runOptions?.traceLevel === RunOptions_TraceLevel.FULL_TRACE,
    });
    const byName = new Map(result.tensors.map((t) => [t.name, t.tensor]));
    return { ...result, tensors: options.fetch.map((name) => ({ name, tensor: byName.get(name)! })) };
  }

  releaseCallable(handle: bigint): void {
    this.lastAccess = Date.now();
    const c = this.callables.get(handle);
    if (c === undefined) return;
    this.callables.delete(handle);
    void this.deregister(c.plan);
  }

  /** Deregisters a plan's partitions; a worker that cannot be reached is logged, not fatal (as TF). */
  private async deregister(plan: RunPlan): Promise<void> {
    const results = await Promise.allSettled(plan.partitions.map((p) => p.worker.deregisterGraph(p.handle)));
    for (const r of results) {
      if (r.status === "rejected") {
        this.env.log(
          "warn",
          `DeregisterGraph failed: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`,
        );
      }
    }
  }

  /**
   * Close (docs/semantics.md, "Session lifecycle"): marks the session closed, cancels running
   * steps with TF's message, waits for them, and deregisters every partition.
   */
  async close(reason: TfError = closedByUser()): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    for (const c of this.running.values()) c.abort(reason);
    await Promise.allSettled([...this.runningDone.values()]);
    const plans = [...this.plans.values(), ...this.partialPlans.values()];
    this.plans.clear();
    this.partialPlans.clear();
    this.partialRuns.clear();
    for (const p of await Promise.allSettled(plans)) {
      if (p.status === "fulfilled") await this.deregister(p.value);
    }
    for (const c of this.callables.values()) await this.deregister(c.plan);
    this.callables.clear();
    await Promise.allSettled(this.workers().map((w) => w.deleteWorkerSession(this.handle)));
  }

  /** The distinct workers this session's devices live on. */
  workers(): WorkerInterface[] {
    return [...new Set(this.env.devices.map((d) => this.env.workerFor(d.name)))];
  }
}
