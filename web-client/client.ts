// The browser client: TensorFlow's MasterService over Connect (binary by default, JSON on request)
// or gRPC-Web, from a web page or Node, with a Session helper in the spirit of tf.compat.v1.Session.
// Never imports server code.

import { fromBinary, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type CallOptions,
  type Client,
  ConnectError,
  createClient,
  type Transport,
} from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import type { DeviceAttributes } from "../gen/tensorflow/core/framework/device_attributes_pb.js";
import { type GraphDef, GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import {
  type ConfigProtoSchema,
  type RunMetadata,
  type RunOptions_ExperimentalSchema,
  RunOptions_TraceLevel,
  type RunOptionsSchema,
  type TensorConnectionSchema,
} from "../gen/tensorflow/core/protobuf/config_pb.js";
import type { DebugOptionsSchema } from "../gen/tensorflow/core/protobuf/debug_pb.js";
import type { RunStepResponse } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { MasterService } from "../gen/tensorflow/core/protobuf/master_service_pb.js";
import { Code as TfCode } from "../gen/xla/tsl/protobuf/error_codes_pb.js";
import type { SavedModelOptions, SavedModelSession } from "./saved-model.js";
import { fromTensorProto, type HostTensor, type TensorInput, toTensorProto } from "./tensor.js";

export { TfCode };
export type MasterClient = Client<typeof MasterService>;
export type Protocol = "connect" | "connect-json" | "grpc-web";

export interface MasterClientOptions {
  /** Default "connect" (binary). */
  readonly protocol?: Protocol;
}

/** The server URL of transports and clients made here (the models routes are plain HTTP beside them). */
const baseUrls = new WeakMap<object, string>();

/** A transport to a tfgate server (e.g. "http://127.0.0.1:8080"). */
export function createTransport(baseUrl: string, options: MasterClientOptions = {}): Transport {
  const transport = newTransport(baseUrl, options.protocol ?? "connect");
  baseUrls.set(transport, baseUrl);
  return transport;
}

function newTransport(baseUrl: string, protocol: Protocol): Transport {
  switch (protocol) {
    case "connect":
      return createConnectTransport({ baseUrl, useBinaryFormat: true });
    case "connect-json":
      return createConnectTransport({ baseUrl, useBinaryFormat: false });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl });
  }
}

/** The generated MasterService client (every RPC, raw messages). */
export function createMasterClient(baseUrl: string, options: MasterClientOptions = {}): MasterClient {
  const client = createClient(MasterService, createTransport(baseUrl, options));
  baseUrls.set(client, baseUrl);
  return client;
}

/** The base URL a transport or client of `createTransport`/`createMasterClient` was made with. */
export function transportBaseUrl(target: Transport | MasterClient): string | undefined {
  return baseUrls.get(target);
}

// --- errors -----------------------------------------------------------------------------------

export type TfCodeName = Exclude<keyof typeof TfCode, `DO_NOT_USE${string}`>;

function codeName(code: TfCode): string {
  return Object.entries(TfCode).find(([, v]) => v === code)?.[0] ?? String(code);
}

/**
 * An error from TensorFlow: `code` is TF's code (tensorflow.error.Code, e.g. 3), `codeName` its
 * name ("INVALID_ARGUMENT"), `rawMessage` TF's message. Steps that fail inside TensorFlow (reported
 * in the response body) and failed RPCs (a ConnectError, kept as `cause`) both become a TfError;
 * gRPC and Connect codes are TF's codes, so the number carries over unchanged.
 */
export class TfError extends Error {
  override readonly name = "TfError";
  readonly codeName: TfCodeName;
  constructor(
    readonly code: TfCode,
    readonly rawMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${codeName(code)}: ${rawMessage}`, options);
    this.codeName = codeName(code) as TfCodeName;
  }

  /** A TfError for anything a MasterService call threw (network errors are UNAVAILABLE/UNKNOWN). */
  static from(e: unknown): TfError {
    if (e instanceof TfError) return e;
    const c = ConnectError.from(e);
    return new TfError(c.code as number as TfCode, c.rawMessage, { cause: e });
  }
}

/** The earlier name of TfError. */
export const TfStepError = TfError;
export type TfStepError = TfError;

async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw TfError.from(e);
  }
}

// --- arguments ---------------------------------------------------------------------------------

/** Cancellation and deadline for one call (connect's call options). */
export interface CallArgs {
  /** Aborting cancels the call; the server cancels the step (CANCELLED). */
  readonly signal?: AbortSignal;
  /** Client deadline in ms (DEADLINE_EXCEEDED); for steps also sent as RunOptions.timeout_in_ms. */
  readonly timeoutMs?: number;
}

/**
 * A GraphDef message, a GraphBuilder (anything with toGraphDef()), a binary GraphDef (bytes, as
 * `SerializeToString()` writes it) or a text-format / JSON GraphDef (a string, as .pbtxt files hold).
 */
export type GraphInput = GraphDef | { toGraphDef(): GraphDef } | Uint8Array | string;

export type ConfigInput = MessageInitShape<typeof ConfigProtoSchema>;

export type TraceLevel = keyof typeof RunOptions_TraceLevel;

/** RunOptions, with the trace level by name ("FULL_TRACE") and the timeout as a number. */
export interface RunOptionsInput {
  readonly traceLevel?: TraceLevel | RunOptions_TraceLevel;
  readonly timeoutInMs?: number | bigint;
  readonly interOpThreadPool?: number;
  readonly outputPartitionGraphs?: boolean;
  readonly reportTensorAllocationsUponOom?: boolean;
  readonly debugOptions?: MessageInitShape<typeof DebugOptionsSchema>;
  readonly experimental?: MessageInitShape<typeof RunOptions_ExperimentalSchema>;
}

/** Fetch names as a list (results keyed by name) or a record (results keyed by its keys). */
export type Fetches = readonly string[] | Readonly<Record<string, string>>;
/** The fetched tensors of a run, keyed as the fetches were. */
export type Fetched<F extends Fetches> = F extends readonly string[]
  ? Record<F[number], HostTensor>
  : { -readonly [K in keyof F]: HostTensor };

export interface RunArgs<F extends Fetches = Fetches> extends CallArgs {
  /** Tensor name ("x" or "x:0") → value: a Tensor, TypedArray, (nested) array or scalar. */
  readonly feeds?: Readonly<Record<string, TensorInput>>;
  readonly fetches?: F;
  /** Nodes to run without fetching (e.g. an optimizer's train op). */
  readonly targets?: readonly string[];
  readonly options?: RunOptionsInput;
}

export interface RunResult<F extends Fetches> {
  readonly outputs: Fetched<F>;
  /** RunMetadata: step_stats with FULL_TRACE, partition_graphs with outputPartitionGraphs, … */
  readonly metadata: RunMetadata | undefined;
}

export interface PartialRunArgs<F extends Fetches = Fetches> extends CallArgs {
  readonly feeds?: Readonly<Record<string, TensorInput>>;
  readonly fetches?: F;
}

export interface CallableArgs {
  /** Feed tensor names, in the order `call()` takes their values. */
  readonly feeds?: readonly string[];
  /** Fetch tensor names, in the order `call()` returns them. */
  readonly fetches?: readonly string[];
  readonly targets?: readonly string[];
  readonly runOptions?: RunOptionsInput;
  /** CallableOptions.tensor_connection: feed `to_tensor` with the value of `from_tensor`. */
  readonly tensorConnections?: readonly MessageInitShape<typeof TensorConnectionSchema>[];
}

// --- helpers -----------------------------------------------------------------------------------

const isTransport = (x: Transport | MasterClient): x is Transport =>
  typeof (x as Transport).unary === "function" && typeof (x as Transport).stream === "function";

function toClient(target: Transport | MasterClient): MasterClient {
  return isTransport(target) ? createClient(MasterService, target) : target;
}

async function toGraphDef(graph: GraphInput): Promise<GraphDef> {
  if (graph instanceof Uint8Array) return fromBinary(GraphDefSchema, graph);
  if (typeof graph === "string") {
    // Imported on demand, so that bundlers that split chunks can keep protobuf-es's text and JSON
    // parsers (about 9 KiB gzipped) out of pages that never pass a string.
    const { parseGraphDef } = await import("./graphdef-io.js");
    return parseGraphDef(graph);
  }
  if ("toGraphDef" in graph && typeof graph.toGraphDef === "function") return graph.toGraphDef();
  return graph as GraphDef;
}

function callOptions(args: CallArgs): CallOptions {
  return {
    ...(args.signal ? { signal: args.signal } : {}),
    ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}),
  };
}

function toRunOptions(o: RunOptionsInput | undefined, timeoutMs: number | undefined) {
  if (o === undefined && timeoutMs === undefined) return undefined;
  const { traceLevel, timeoutInMs, ...rest } = o ?? {};
  return {
    ...rest,
    ...(traceLevel !== undefined
      ? { traceLevel: typeof traceLevel === "string" ? RunOptions_TraceLevel[traceLevel] : traceLevel }
      : {}),
    // As TF's GrpcSession does, the client deadline also bounds the step on the server.
    ...(timeoutInMs !== undefined
      ? { timeoutInMs: BigInt(timeoutInMs) }
      : timeoutMs !== undefined
        ? { timeoutInMs: BigInt(Math.max(1, Math.ceil(timeoutMs))) }
        : {}),
  } satisfies MessageInitShape<typeof RunOptionsSchema>;
}

/**
 * A random non-zero 63-bit request_id: the master rejects a repeated id (ABORTED "received
 * twice"), so a retried request can never run a step twice.
 */
export function newRequestId(): bigint {
  const words = globalThis.crypto.getRandomValues(new Uint32Array(2));
  const id = (BigInt(words[0]! & 0x7fffffff) << 32n) | BigInt(words[1]!);
  return id === 0n ? 1n : id;
}

/** "n" and "n:0" name the same tensor. */
const canonical = (name: string) => (/:\d+$/.test(name) || name.startsWith("^") ? name : `${name}:0`);

function fetchList(fetches: Fetches | undefined): [key: string, name: string][] {
  if (fetches === undefined) return [];
  return Array.isArray(fetches)
    ? (fetches as readonly string[]).map((f) => [f, f])
    : Object.entries(fetches as Record<string, string>);
}

function feedList(feeds: Readonly<Record<string, TensorInput>> | undefined) {
  return Object.entries(feeds ?? {}).map(([name, value]) => ({ name, tensor: toTensorProto(value) }));
}

/** Throws the in-body error of a RunStep, else maps the fetched tensors back to the caller's keys. */
function outputs<F extends Fetches>(res: RunStepResponse, wanted: [string, string][]): Fetched<F> {
  if (res.statusCode !== TfCode.OK) throw new TfError(res.statusCode, res.statusErrorMessage);
  const byName = new Map<string, HostTensor>();
  for (const t of res.tensor) if (t.tensor) byName.set(t.name, fromTensorProto(t.tensor));
  const byCanonical = new Map([...byName].map(([n, t]) => [canonical(n), t]));
  const out: Record<string, HostTensor> = {};
  for (const [key, name] of wanted) {
    const t = byName.get(name) ?? byCanonical.get(canonical(name));
    if (t === undefined) throw new TfError(TfCode.INTERNAL, `The server returned no value for fetch ${name}`);
    out[key] = t;
  }
  return out as Fetched<F>;
}

const unique = (names: Iterable<string>) => [...new Set(names)];

// --- Session ------------------------------------------------------------------------------------

/** One graph session (CreateSession … CloseSession), like tf.compat.v1.Session. */
export class Session {
  private closing: Promise<void> | undefined;
  /** Node names already sent, so that extending with a growing GraphBuilder sends only new nodes. */
  private readonly sent: Set<string>;

  private constructor(
    readonly client: MasterClient,
    readonly handle: string,
    private version: bigint,
    sentNodes: Iterable<string>,
  ) {
    this.sent = new Set(sentNodes);
  }

  /** CreateSession with a graph (default: empty) and an optional ConfigProto. */
  static async create(
    target: Transport | MasterClient,
    graph?: GraphInput,
    config?: ConfigInput,
    args: CallArgs = {},
  ): Promise<Session> {
    const client = toClient(target);
    const graphDef = graph === undefined ? undefined : await toGraphDef(graph);
    const res = await call(() =>
      client.createSession(
        { ...(graphDef ? { graphDef } : {}), ...(config ? { config } : {}) },
        callOptions(args),
      ),
    );
    const sentNodes = (graphDef?.node ?? []).map((n) => n.name);
    return new Session(client, res.sessionHandle, res.graphVersion, sentNodes);
  }

  /**
   * A Session for a handle created elsewhere (e.g. by POST /v1/models/<name>/sessions, or another
   * client): run, extend and close it like one made by `create`.
   */
  static attach(target: Transport | MasterClient, handle: string, graphVersion = 0n): Session {
    return new Session(toClient(target), handle, graphVersion, []);
  }

  /**
   * Loads a SavedModel the server serves (tfgate serve --files-root DIR; `name` is its path under
   * DIR): the server creates the session from the MetaGraph with `tags` (default ["serve"]) and
   * restores its variables; `run(signatureKey, inputs)` then feeds and fetches by the signature's
   * own names. See saved-model.ts.
   */
  static async fromSavedModel(
    target: Transport | MasterClient,
    name: string,
    options: SavedModelOptions = {},
  ): Promise<SavedModelSession> {
    // Imported on demand, like graphdef-io: pages that never load a SavedModel do not bundle it
    // (nor protobuf-es's JSON writer it uses for `config`).
    const { loadSavedModel } = await import("./saved-model.js");
    return loadSavedModel(target, name, options);
  }

  /** The devices of a server (ListDevices without a session): local ones then remote ones. */
  static async listDevices(
    target: Transport | MasterClient,
    args: CallArgs = {},
  ): Promise<DeviceAttributes[]> {
    const res = await call(() => toClient(target).listDevices({}, callOptions(args)));
    return [...res.localDevice, ...res.remoteDevice];
  }

  /**
   * Reset: closes every session of the server and clears the given resource containers (the
   * default container, holding variables, when none are given).
   */
  static async reset(
    target: Transport | MasterClient,
    containers: readonly string[] = [],
    args: CallArgs = {},
  ): Promise<void> {
    await call(() => toClient(target).reset({ container: [...containers] }, callOptions(args)));
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * ExtendSession: adds nodes to the session's graph. A GraphBuilder may be passed again after
   * growing: only nodes not sent before are sent (as TF's Python client does).
   */
  async extend(graph: GraphInput, args: CallArgs = {}): Promise<void> {
    let graphDef = await toGraphDef(graph);
    if (typeof graph === "object" && "toGraphDef" in graph) {
      const node = graphDef.node.filter((n) => !this.sent.has(n.name));
      if (node.length === 0) return;
      graphDef = { ...graphDef, node };
    }
    const res = await call(() =>
      this.client.extendSession(
        { sessionHandle: this.handle, graphDef, currentGraphVersion: this.version },
        callOptions(args),
      ),
    );
    for (const n of graphDef.node) this.sent.add(n.name);
    this.version = res.newGraphVersion;
  }

  /**
   * RunStep: feeds, fetches and targets by tensor name; resolves to the fetched tensors keyed as
   * `fetches` was (names for a list, keys for a record). TF errors reject with TfError.
   */
  async run<const F extends Fetches = readonly []>(args: RunArgs<F>): Promise<Fetched<F>> {
    return (await this.runWithMetadata(args)).outputs;
  }

  /** run(), also returning RunMetadata (ask for it with `options: { traceLevel: "FULL_TRACE" }`). */
  async runWithMetadata<const F extends Fetches = readonly []>(args: RunArgs<F>): Promise<RunResult<F>> {
    const wanted = fetchList(args.fetches);
    const options = toRunOptions(args.options, args.timeoutMs);
    const feed = feedList(args.feeds); // bad feed values throw here, as plain Errors
    const res = await call(() =>
      this.client.runStep(
        {
          sessionHandle: this.handle,
          feed,
          fetch: unique(wanted.map(([, name]) => name)),
          target: [...(args.targets ?? [])],
          ...(options ? { options } : {}),
          storeErrorsInResponseBody: true,
          requestId: newRequestId(),
        },
        callOptions(args),
      ),
    );
    return { outputs: outputs<F>(res, wanted), metadata: res.metadata };
  }

  /**
   * PartialRunSetup: declares every feed, fetch and target of a step that is then run piecewise
   * with `PartialRun.run` (each feed fed once, each fetch fetched once, in any order that works).
   */
  async partialRunSetup(args: {
    readonly feeds?: readonly string[];
    readonly fetches?: readonly string[];
    readonly targets?: readonly string[];
    readonly signal?: AbortSignal;
    readonly timeoutMs?: number;
  }): Promise<PartialRun> {
    const res = await call(() =>
      this.client.partialRunSetup(
        {
          sessionHandle: this.handle,
          feed: [...(args.feeds ?? [])],
          fetch: [...(args.fetches ?? [])],
          target: [...(args.targets ?? [])],
          requestId: newRequestId(),
        },
        callOptions(args),
      ),
    );
    return new PartialRun(this, res.partialRunHandle);
  }

  /** MakeCallable: a fixed feed/fetch/target signature that runs without re-sending names. */
  async makeCallable(args: CallableArgs, callArgs: CallArgs = {}): Promise<Callable> {
    const feeds = [...(args.feeds ?? [])];
    const fetches = [...(args.fetches ?? [])];
    const runOptions = toRunOptions(args.runOptions, undefined);
    const res = await call(() =>
      this.client.makeCallable(
        {
          sessionHandle: this.handle,
          options: {
            tensorConnection: [...(args.tensorConnections ?? [])],
            feed: feeds,
            fetch: fetches,
            target: [...(args.targets ?? [])],
            ...(runOptions ? { runOptions } : {}),
          },
          requestId: newRequestId(),
        },
        callOptions(callArgs),
      ),
    );
    return new Callable(this, res.handle, feeds, fetches);
  }

  /** ListDevices for this session. */
  async listDevices(args: CallArgs = {}): Promise<DeviceAttributes[]> {
    const res = await call(() => this.client.listDevices({ sessionHandle: this.handle }, callOptions(args)));
    return [...res.localDevice, ...res.remoteDevice];
  }

  /** CloseSession (cancels running steps). Closing again is a no-op. */
  close(args: CallArgs = {}): Promise<void> {
    this.closing ??= call(async () => {
      await this.client.closeSession({ sessionHandle: this.handle }, callOptions(args));
    });
    return this.closing;
  }
}

/** A partial run (PartialRunSetup's handle): RunStep calls that continue one step. */
export class PartialRun {
  constructor(
    readonly session: Session,
    readonly handle: string,
  ) {}

  /** Feeds some of the setup's feeds and fetches some of its fetches. */
  async run<const F extends Fetches = readonly []>(args: PartialRunArgs<F>): Promise<Fetched<F>> {
    const wanted = fetchList(args.fetches);
    const feed = feedList(args.feeds);
    const res = await call(() =>
      this.session.client.runStep(
        {
          sessionHandle: this.session.handle,
          partialRunHandle: this.handle,
          feed,
          fetch: unique(wanted.map(([, name]) => name)),
          storeErrorsInResponseBody: true,
          requestId: newRequestId(),
        },
        callOptions(args),
      ),
    );
    return outputs<F>(res, wanted);
  }
}

/** A callable (MakeCallable's handle): `call()` runs it (RunCallable), `release()` frees it. */
export class Callable {
  private released = false;

  constructor(
    readonly session: Session,
    readonly handle: bigint,
    readonly feeds: readonly string[],
    readonly fetches: readonly string[],
  ) {}

  /**
   * RunCallable: feed values in the order of `feeds` (or by feed name); resolves to the fetched
   * tensors in the order of `fetches`.
   */
  async call(
    values: readonly TensorInput[] | Readonly<Record<string, TensorInput>> = [],
    args: CallArgs = {},
  ): Promise<HostTensor[]> {
    const ordered = Array.isArray(values)
      ? (values as readonly TensorInput[])
      : this.feeds.map((name) => {
          const v = (values as Readonly<Record<string, TensorInput>>)[name];
          if (v === undefined) throw new Error(`tfgate web client: no value for feed ${name}`);
          return v;
        });
    const feed = ordered.map((v) => toTensorProto(v));
    const res = await call(() =>
      this.session.client.runCallable(
        {
          sessionHandle: this.session.handle,
          handle: this.handle,
          feed,
          requestId: newRequestId(),
        },
        callOptions(args),
      ),
    );
    return res.fetch.map((t) => fromTensorProto(t));
  }

  /** ReleaseCallable. Releasing again is a no-op. */
  async release(args: CallArgs = {}): Promise<void> {
    if (this.released) return;
    this.released = true;
    await call(() =>
      this.session.client.releaseCallable(
        { sessionHandle: this.session.handle, handle: this.handle },
        callOptions(args),
      ),
    );
  }
}
