// TensorFlow's MasterSession (core/distributed_runtime/master_session.cc) with its
// GraphExecutionState: the session's full graph (placed whole at Create/Extend), its version, and
// a cache of run plans ("ReffedClientGraph"s), one per sorted (feeds, fetches, targets) signature,
// each registered on the workers once and run per step.

import { create } from "@bufbuild/protobuf";
import type { FunctionDefLibrary } from "../../../gen/tensorflow/core/framework/function_pb.js";
import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import type { TensorProto } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { type VersionDef, VersionDefSchema } from "../../../gen/tensorflow/core/framework/versions_pb.js";
import type { ConfigProto } from "../../../gen/tensorflow/core/protobuf/config_pb.js";
import type { Device } from "../device/device-set.js";
import {
  aborted,
  cancelled,
  deadlineExceeded,
  failedPrecondition,
  internal,
  invalidArgument,
  isTfError,
  type TfError,
  unimplemented,
} from "../framework/errors.js";
import { createRendezvousKey, type RendezvousValue } from "../framework/rendezvous.js";
import type { Tensor } from "../framework/tensor.js";
import { tensorFromProto } from "../framework/tensor-proto.js";
import { type DataType, dataTypeString } from "../framework/types.js";
import type { Graph } from "../graph/graph.js";
import { convertNodeDefs } from "../graph/graph-constructor.js";
import { rewriteGraphForExecution } from "../graph/subgraph.js";
import { validateExternalGraphDefSyntax } from "../graph/validate.js";
import { checkGraphDefVersions } from "../graph/versions.js";
import { partitionGraph } from "../partition/partition.js";
import { placeGraph } from "../placer/placer.js";
import type { WorkerInterface } from "../worker/worker-interface.js";

/** What a master session needs from its master. */
export interface MasterSessionEnv {
  /** Devices in priority order; the first is the client device. */
  readonly devices: readonly Device[];
  readonly workerFor: (device: string) => WorkerInterface;
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
  /** Largest graph (node count) a session may hold. */
  readonly maxGraphNodes: number;
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
  readonly fetchesAsTargets: ReadonlySet<string>;
  readonly partitionGraphs: readonly GraphDef[];
}

export interface RunStepArgs {
  readonly feeds: readonly { readonly name: string; readonly tensor: TensorProto }[];
  readonly fetches: readonly string[];
  readonly targets: readonly string[];
  readonly timeoutMs: number;
  readonly outputPartitionGraphs: boolean;
  /** The caller's cancellation (RPC deadline or disconnect). */
  readonly signal?: AbortSignal | undefined;
}

export interface RunStepResult {
  /** One entry per distinct fetch string, in request order. */
  readonly tensors: readonly { readonly name: string; readonly tensor: Tensor }[];
  readonly partitionGraphs: readonly GraphDef[];
}

/** A random step id with the top 7 bits cleared (TF's master does the same). */
function newStepId(): bigint {
  const hi = BigInt(Math.floor(Math.random() * 2 ** 25));
  const lo = BigInt(Math.floor(Math.random() * 2 ** 32));
  return (hi << 32n) | lo;
}

/** The name TF gives the _Recv of a feed ("x:0" → "_recv_x_0"). */
function recvNodeName(feed: string): string {
  const colon = feed.lastIndexOf(":");
  return colon > 0 && /^\d+$/.test(feed.slice(colon + 1))
    ? `_recv_${feed.slice(0, colon)}_${feed.slice(colon + 1)}`
    : `_recv_${feed}_0`;
}

const closedByUser = () => cancelled("Step was cancelled by an explicit call to `Session::Close()`.");

export class MasterSession {
  readonly handle: string;
  readonly config: ConfigProto;
  private readonly env: MasterSessionEnv;
  private nodeDefs: NodeDef[] = [];
  private library: FunctionDefLibrary | undefined;
  private versions: VersionDef | undefined;
  private graph: Graph;
  private version = 0n;
  private closed = false;
  private extending = false;
  /** Devices of stateful nodes, kept across Extend (TF's stateful placements). */
  private readonly statefulPlacements = new Map<string, string>();
  private readonly plans = new Map<string, Promise<RunPlan>>();
  private readonly running = new Set<AbortController>();
  private readonly runningDone = new Set<Promise<unknown>>();
  lastAccess = Date.now();

  constructor(handle: string, config: ConfigProto, graphDef: GraphDef, env: MasterSessionEnv) {
    this.handle = handle;
    this.config = config;
    this.env = env;
    if (config.usePerSessionThreads || config.sessionInterOpThreadPool.length > 0) {
      throw invalidArgument("Distributed session does not support session thread pool options.");
    }
    validateExternalGraphDefSyntax(graphDef);
    checkGraphDefVersions(graphDef.versions);
    this.checkSize(graphDef.node.length);
    this.graph = this.buildGraph(graphDef.node);
    this.nodeDefs = [...graphDef.node];
    this.library = graphDef.library;
    this.versions = graphDef.versions;
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

  /** Converts and places a whole graph (TF places the entire graph at Create/Extend). */
  private buildGraph(nodes: readonly NodeDef[]): Graph {
    const graph = convertNodeDefs(nodes);
    placeGraph(graph, this.env.devices, {
      allowSoftPlacement: this.config.allowSoftPlacement,
      logDevicePlacement: this.config.logDevicePlacement,
      previousPlacement: this.statefulPlacements,
      log: (m) => this.env.log("info", m),
    });
    return graph;
  }

  private rememberStatefulPlacements(graph: Graph): void {
    for (const n of graph.nodes) {
      if (n.opDef.isStateful && !this.statefulPlacements.has(n.name))
        this.statefulPlacements.set(n.name, n.assignedDevice);
    }
  }

  /** Called once after construction succeeded. */
  commitCreate(): void {
    this.rememberStatefulPlacements(this.graph);
  }

  /** ExtendSession (spec §d.2). Returns the new version. */
  extend(graphDef: GraphDef, expectedVersion: bigint): bigint {
    validateExternalGraphDefSyntax(graphDef);
    if (this.closed) throw failedPrecondition("Session is closed.");
    if (this.extending || expectedVersion !== this.version) {
      throw aborted(`Current version is ${this.version} but caller expected ${expectedVersion}.`);
    }
    this.extending = true;
    try {
      const existing = new Set(this.nodeDefs.map((n) => n.name));
      for (const n of graphDef.node) {
        if (existing.has(n.name)) {
          throw invalidArgument(
            `GraphDef argument to Extend includes node '${n.name}', which was created by a previous call to Create or Extend in this session.`,
          );
        }
      }
      const versions = this.mergeVersions(graphDef.versions);
      checkGraphDefVersions(versions);
      const library = this.mergeLibrary(graphDef.library);
      const merged = [...this.nodeDefs, ...graphDef.node];
      this.checkSize(merged.length);
      const graph = this.buildGraph(merged);
      // Commit only after everything succeeded: on error the session stays at the old version.
      this.graph = graph;
      this.nodeDefs = merged;
      this.versions = versions;
      this.library = library;
      this.rememberStatefulPlacements(graph);
      this.version += 1n;
      this.lastAccess = Date.now();
      return this.version;
    } finally {
      this.extending = false;
    }
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

  private mergeLibrary(incoming: FunctionDefLibrary | undefined): FunctionDefLibrary | undefined {
    if (incoming === undefined || incoming.function.length === 0) return this.library;
    if (this.library === undefined) return incoming;
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
  ): Promise<RunPlan> {
    const client = this.env.devices[0]!;
    const rewritten = rewriteGraphForExecution(this.graph, feeds, fetches, targets, client);
    const incarnations = new Map(this.env.devices.map((d) => [d.name, d.incarnation]));
    const parts = partitionGraph(rewritten.graph, {
      incarnation: (d) => incarnations.get(d) ?? 0n,
      versions: this.versions,
    });
    const partitions: PartitionPlan[] = [];
    const partitionGraphs: GraphDef[] = [];
    let clientPartition = -1;
    try {
      for (const [device, graphDef] of parts) {
        const worker = this.env.workerFor(device);
        const handle = await worker.registerGraph({ sessionHandle: this.handle, graphDef });
        if (device === client.name) clientPartition = partitions.length;
        partitions.push({ worker, handle, device });
        partitionGraphs.push(graphDef);
      }
    } catch (e) {
      for (const p of partitions) await p.worker.deregisterGraph(p.handle);
      throw e;
    }
    return {
      partitions,
      clientPartition,
      feedTypes: rewritten.feedTypes,
      usedFeeds: rewritten.usedFeeds,
      fetchesAsTargets: rewritten.fetchesAsTargets,
      partitionGraphs,
    };
  }

  private getPlan(
    feeds: readonly string[],
    fetches: readonly string[],
    targets: readonly string[],
  ): Promise<RunPlan> {
    const key = this.signature(feeds, fetches, targets);
    let p = this.plans.get(key);
    if (p === undefined) {
      p = this.buildPlan(feeds, fetches, targets);
      this.plans.set(key, p);
      // Build errors are returned and not cached: the next call rebuilds.
      p.catch(() => {
        if (this.plans.get(key) === p) this.plans.delete(key);
      });
    }
    return p;
  }

  /** RunStep without a partial-run handle (spec §d.3). */
  async runStep(args: RunStepArgs): Promise<RunStepResult> {
    if (this.closed) throw failedPrecondition("Session is closed.");
    this.lastAccess = Date.now();
    const feedNames = args.feeds.map((f) => f.name);
    // Duplicate fetch strings are answered once; "c" and "c:0" are distinct strings.
    const requested = [...new Set(args.fetches)];
    const plan = await this.getPlan(feedNames, requested, args.targets);
    // A fetch written as a bare node name of a node without outputs runs it like a target and
    // returns nothing (observed with TF 2.21).
    const fetches = requested.filter((f) => !plan.fetchesAsTargets.has(f));

    // Decode feeds (spec §d.3.6) and check dtypes up front (TF reports a mismatch from the _Recv).
    const client = this.env.devices[0]!;
    const send = new Map<string, Tensor>();
    args.feeds.forEach((f, i) => {
      if (!plan.usedFeeds.has(f.name)) return;
      let t: Tensor;
      try {
        t = tensorFromProto(f.tensor);
      } catch (e) {
        if (isTfError(e)) throw invalidArgument(`Invalid TensorProto for feed value ${i} (${e.message})`);
        throw e;
      }
      const want = plan.feedTypes.get(f.name)!;
      if (t.dtype !== want) {
        // TF reports this from the _Recv as INTERNAL; a wrong feed is the caller's mistake, so
        // tfgate checks it up front and says INVALID_ARGUMENT, keeping TF's text.
        throw invalidArgument(
          `Output 0 of type ${dataTypeString(t.dtype)} does not match declared output type ${dataTypeString(want)} ` +
            `for node {{node ${recvNodeName(f.name)}}} (the tensor fed as '${f.name}')`,
        );
      }
      send.set(createRendezvousKey(client.name, client.incarnation, client.name, f.name), t);
    });
    const fetchKeys = fetches.map((f) =>
      createRendezvousKey(client.name, client.incarnation, client.name, f),
    );

    const controller = new AbortController();
    const abort = (reason: TfError) => {
      if (!controller.signal.aborted) controller.abort(reason);
    };
    const onCallerAbort = () => {
      const r = args.signal?.reason;
      abort(isTfError(r) ? r : cancelled("The step was cancelled because the client cancelled the call."));
    };
    if (args.signal?.aborted) onCallerAbort();
    args.signal?.addEventListener("abort", onCallerAbort, { once: true });
    const timer =
      args.timeoutMs > 0
        ? setTimeout(
            () => abort(deadlineExceeded("Timed out waiting for the step to finish")),
            args.timeoutMs,
          )
        : undefined;
    this.running.add(controller);
    const stepId = newStepId();
    const work = Promise.all(
      plan.partitions.map((p, i) =>
        p.worker
          .runGraph({
            graphHandle: p.handle,
            stepId,
            send: i === plan.clientPartition ? send : new Map(),
            recvKeys: i === plan.clientPartition ? fetchKeys : [],
            signal: controller.signal,
          })
          .catch((e: unknown) => {
            // The first failing partition wins; the others are cancelled.
            // Worker errors carry the task they came from, as TF's master reports them.
            const err = isTfError(e)
              ? e.withPrefix(`From ${p.worker.task}:\n`)
              : internal("Internal error while running a partition");
            if (!isTfError(e)) this.env.log("error", `partition ${p.device} failed: ${String(e)}`);
            if (controller.signal.aborted && isTfError(controller.signal.reason))
              throw controller.signal.reason;
            abort(err);
            throw err;
          }),
      ),
    );
    this.runningDone.add(work);
    try {
      const results = await work;
      const recv = results[plan.clientPartition]?.recv ?? new Map<string, RendezvousValue>();
      const tensors = fetches.map((name, i) => {
        const v = recv.get(fetchKeys[i]!);
        if (v === undefined) throw internal(`Worker did not return a value for fetch: ${name}`);
        if (v.isDead || v.tensor === undefined) {
          throw internal(
            `Failed to fetch outputs of the step (Original error message: The tensor returned for ${fetchKeys[i]} was not valid.)`,
          );
        }
        return { name, tensor: v.tensor };
      });
      return { tensors, partitionGraphs: args.outputPartitionGraphs ? plan.partitionGraphs : [] };
    } catch (e) {
      if (controller.signal.aborted && isTfError(controller.signal.reason)) throw controller.signal.reason;
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
      args.signal?.removeEventListener("abort", onCallerAbort);
      this.running.delete(controller);
      this.runningDone.delete(work);
      for (const p of new Set(plan.partitions.map((x) => x.worker))) p.cleanupGraph(stepId);
    }
  }

  /** Partial runs arrive with the session-semantics work. */
  partialRunUnsupported(): never {
    throw unimplemented(
      "Partial runs (PartialRunSetup / RunStep with partial_run_handle) are not implemented yet",
    );
  }

  /**
   * Close (spec §d.6): marks the session closed, cancels running steps with TF's message, waits for
   * them, and deregisters every partition.
   */
  async close(reason: TfError = closedByUser()): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.running) c.abort(reason);
    await Promise.allSettled([...this.runningDone]);
    const plans = [...this.plans.values()];
    this.plans.clear();
    for (const p of await Promise.allSettled(plans)) {
      if (p.status !== "fulfilled") continue;
      for (const part of p.value.partitions) await part.worker.deregisterGraph(part.handle);
    }
  }
}
