// TF's intra-op parallelism for the large dense kernels: float32 MatMul, BatchMatMul(V2) and
// Conv2D run on onnxruntime's CPU provider (MLAS GEMM, the speed of TF's Eigen contraction per
// thread) over its own intra-op thread pool, as TF splits one large kernel over its devices' Eigen
// pool. A TF server sizes that pool once, from ServerDef.default_session_config's
// intra_op_parallelism_threads (GrpcServer::Init in
// core/distributed_runtime/rpc/grpc_server_lib.cc builds the devices with it; 0 means every core),
// so the master passes the default session config's value to each device worker thread (a
// session's own config does not resize it). docs/architecture.md ("Where kernels run") and
// docs/benchmarks.md ("Intra-op parallelism") say why it is shaped so.
//
// onnxruntime-node is an optional dependency: when it is absent, fails to load, is switched off
// (configureNativeKernels({ native: false }), the server's --native-kernels off), or fails a call,
// the kernels fall back to XNNPACK (xnn.ts) and the JS loops, which give the same results up to
// float32 rounding.
//
// Each op signature (op, attributes, ranks) becomes a one-node ONNX model (onnx-model.ts) with
// symbolic dimensions, so one InferenceSession serves every shape of it; sessions are cached per
// thread, least recently used first out. ORT's session.run is promise-shaped but runs the graph
// synchronously on the calling thread (a device worker thread, never the RPC thread) plus its pool,
// so kernels using it are sliced kernels whose slices wait for the calls (framework/op-kernel.ts
// KernelSlices): the executor's other work keeps moving meanwhile.
// A run cannot be interrupted from JS (the Node binding ignores RunOptions.terminate), so large
// MatMuls run as tiles of about ORT_PIECE_MACS per intra-op thread (ort-matmul.ts): a cancelled
// step waits for one tile at most.
//
// Terminating a thread (Worker.terminate, or the process exiting) while one of its ORT calls is in
// flight aborts the whole process ("terminate called after throwing an instance of 'Napi::Error'"),
// reproduced every time; terminating a thread whose sessions are idle is safe. Each device thread
// therefore shares a NativeGuard with its owner: ORT calls count themselves in and out, and the
// owner, before it terminates the thread, closes the guard (no new call starts; those that would
// fall back to XNNPACK) and waits for the calls in flight to end (worker/thread-worker.ts).

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { allocData, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import type { Conv2DGeometry } from "./conv-util.js";
import { type OnnxGraph, type OnnxNode, OnnxType, onnxModel } from "./onnx-model.js";

/**
 * Multiply-adds from which a float32 product goes to ORT rather than XNNPACK. A call costs about
 * 50 µs here (a setImmediate hop, the run's setup, copying the result out); a 128³ product
 * (2^21 multiply-adds) takes ~0.2 ms on XNNPACK and a third of that on ORT with two threads.
 */
export const ORT_MIN_MACS = 2 ** 21;

/** Sessions kept per thread (each holds its own intra-op pool of idle, non-spinning threads). */
const MAX_SESSIONS = 16;

export interface NativeKernelConfig {
  /** False: never load onnxruntime (XNNPACK and JS only). */
  readonly native: boolean;
  /** ORT intra-op threads per run; 0 means every core this process may use. */
  readonly intraOpThreads: number;
}

let config: NativeKernelConfig = { native: true, intraOpThreads: 0 };

/**
 * What a thread's owner shares with it about its ORT calls (Int32Array over a SharedArrayBuffer):
 * [0] calls in flight, [1] non-zero once the owner is about to terminate the thread.
 */
export type NativeGuard = Int32Array;

export function createNativeGuard(): NativeGuard {
  return new Int32Array(new SharedArrayBuffer(8));
}

let guard: NativeGuard | undefined;

/** Sets this thread's guard (the device worker threads get their owner's at start). */
export function setNativeGuard(g: NativeGuard | undefined): void {
  guard = g;
}

/**
 * Runs one ORT call counted in the guard; refused (an Error: the kernel falls back to XNNPACK)
 * once the guard is closed. The count is raised before the closed flag is read and the owner sets
 * the flag before it reads the count, so the owner never misses a call that went ahead.
 */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  const g = guard;
  if (g === undefined) return call();
  Atomics.add(g, 0, 1);
  try {
    if (Atomics.load(g, 1) !== 0) throw new Error("the device thread is closing");
    return await call();
  } finally {
    Atomics.sub(g, 0, 1);
    Atomics.notify(g, 0);
  }
}

/**
 * Sets this thread's native kernel configuration (the device worker threads get the server's at
 * start). Sessions are cached by thread count too: those of an old count age out of the cache.
 */
export function configureNativeKernels(c: Partial<NativeKernelConfig>): void {
  const next = { ...config, ...c };
  if (!Number.isInteger(next.intraOpThreads) || next.intraOpThreads < 0 || next.intraOpThreads > 1024) {
    throw new RangeError(`intraOpThreads must be an integer in 0..1024, got ${next.intraOpThreads}`);
  }
  config = next;
}

export function nativeKernelConfig(): NativeKernelConfig {
  return config;
}

/** The intra-op pool size ORT sessions get: the configured count, or every usable core. */
export function intraOpThreads(): number {
  return config.intraOpThreads > 0 ? config.intraOpThreads : availableParallelism();
}

// The slice of onnxruntime-node's API we use, typed structurally (it is an optional dependency).
export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}
interface OrtSession {
  run(
    feeds: Record<string, OrtTensor>,
    fetches?: Record<string, OrtTensor>,
  ): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: object): Promise<OrtSession> };
}

interface CachedSession {
  readonly session: Promise<OrtSession>;
  busy: number;
  evicted: boolean;
}

/** One thread's loaded ORT and its session cache. */
export class OrtRuntime {
  private readonly sessions = new Map<string, CachedSession>();
  runs = 0;

  constructor(private readonly ort: OrtModule) {}

  /** Runs the model `key` builds (created on first use) on float32 inputs; its output `out`. */
  async run(key: string, build: () => OnnxGraph, inputs: readonly Tensor[]): Promise<OrtTensor> {
    return this.runTensors(
      key,
      build,
      inputs.map((t) => this.tensor(t.data as Float32Array, t.shape)),
    );
  }

  /** An ORT tensor over float32 data (copied once when it lives in shared memory, see unshared). */
  tensor(data: Float32Array, shape: readonly number[]): OrtTensor {
    return new this.ort.Tensor("float32", unshared(data), shape);
  }

  /**
   * As run, on tensors already made (an operand reused by several calls is copied once). With
   * `output` (an ORT tensor over ordinary memory, of the result's exact shape) ORT writes the
   * result there instead of into a buffer of its own that the binding then copies out.
   */
  async runTensors(
    key: string,
    build: () => OnnxGraph,
    inputs: readonly OrtTensor[],
    output?: OrtTensor,
  ): Promise<OrtTensor> {
    const entry = this.session(`${intraOpThreads()}|${key}`, build);
    entry.busy++;
    try {
      const feeds: Record<string, OrtTensor> = {};
      inputs.forEach((t, i) => {
        feeds[`in${i}`] = t;
      });
      const fetches = output === undefined ? undefined : { out: output };
      const out = await guarded(async () => (await entry.session).run(feeds, fetches));
      this.runs++;
      return out.out!;
    } finally {
      entry.busy--;
      if (entry.evicted && entry.busy === 0) releaseSession(entry);
    }
  }

  private session(key: string, build: () => OnnxGraph): CachedSession {
    const hit = this.sessions.get(key);
    if (hit !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.sessions.delete(key);
      this.sessions.set(key, hit);
      return hit;
    }
    const entry: CachedSession = {
      session: guarded(() => this.ort.InferenceSession.create(onnxModel(build()), sessionOptions())),
      busy: 0,
      evicted: false,
    };
    // A model that fails to load must not stay cached as a rejected promise.
    entry.session.catch(() => {
      if (this.sessions.get(key) === entry) this.sessions.delete(key);
    });
    this.sessions.set(key, entry);
    while (this.sessions.size > MAX_SESSIONS) {
      const [oldKey, old] = this.sessions.entries().next().value as [string, CachedSession];
      this.sessions.delete(oldKey);
      old.evicted = true;
      if (old.busy === 0) releaseSession(old);
    }
    return entry;
  }

  get cachedSessions(): number {
    return this.sessions.size;
  }

  /**
   * Disposes every cached session that loaded (their intra-op pools with them) and empties the
   * cache; for a thread about to be stopped, with no call in flight (see shutDownNativeKernels).
   */
  disposeAll(): void {
    for (const entry of this.sessions.values()) {
      entry.evicted = true;
      entry.session.then(
        (s) => s.release().catch(() => {}),
        () => {},
      );
    }
    this.sessions.clear();
  }
}

/**
 * The binding refuses views of a SharedArrayBuffer (where tensors of 64 KiB and more live, see
 * sharedTensorMinBytes), so those are copied into an ordinary buffer: a pass over the operand,
 * small next to the product's work at the sizes that come here.
 */
function unshared(data: Float32Array): Float32Array {
  return data.buffer instanceof SharedArrayBuffer ? new Float32Array(data) : data;
}

function releaseSession(entry: CachedSession): void {
  entry.session.then(
    (s) => guarded(() => s.release()).catch(() => {}),
    () => {},
  );
}

function sessionOptions(): object {
  return {
    intraOpNumThreads: intraOpThreads(),
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    // Idle pool threads sleep instead of spinning: the cores are shared with the other device
    // workers, the RPC thread and the other cached sessions' pools.
    extra: { session: { intra_op: { allow_spinning: "0" } } },
    logSeverityLevel: 3,
  };
}

let runtime: OrtRuntime | undefined;
let loadTried = false;
let loadFailure: string | undefined;

/**
 * This thread's ORT, loading it on first call; undefined when switched off or unavailable (then
 * `nativeLoadFailure` says why).
 */
export function ortRuntime(): OrtRuntime | undefined {
  if (!config.native) return undefined;
  if (!loadTried) {
    loadTried = true;
    try {
      const ort = createRequire(import.meta.url)("onnxruntime-node") as OrtModule;
      if (typeof ort.InferenceSession?.create !== "function") throw new Error("unexpected module shape");
      runtime = new OrtRuntime(ort);
    } catch (e) {
      loadFailure = e instanceof Error ? e.message.split("\n")[0] : String(e);
    }
  }
  return runtime;
}

/**
 * Before its owner stops this thread: no ORT call starts from now on (kernels fall back to
 * XNNPACK) and the sessions are disposed, so the thread holds no live ORT session when it is
 * terminated (worker/thread-worker.ts says why that matters).
 */
export function shutDownNativeKernels(): void {
  config = { ...config, native: false };
  runtime?.disposeAll();
  runtime = undefined;
}

/** Why onnxruntime-node did not load in this thread (undefined: it loaded or was not tried). */
export function nativeLoadFailure(): string | undefined {
  return loadFailure;
}

/** Runs and cached sessions of this thread (tests, benchmarks). */
export function nativeStats(): { readonly runs: number; readonly sessions: number } {
  return { runs: runtime?.runs ?? 0, sessions: runtime?.cachedSessions ?? 0 };
}

const F = OnnxType.FLOAT;
const dimNames = (prefix: string, rank: number) => Array.from({ length: rank }, (_, i) => `${prefix}${i}`);

/**
 * The result tensor, allocated before the run (allocData: the kernel's synchronous part, so the
 * step's per-tensor limit refuses an oversized result with TF's OOM text before ORT computes it).
 */
export function allocResult(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  // Every element is written (a whole result copied in, or tiles covering it) before any is read.
  return new Tensor(DataType.DT_FLOAT, [...shape], allocData(DataType.DT_FLOAT, n, shape, true));
}

/** Copies ORT's result into `out`. */
function fill(out: Tensor, r: OrtTensor): Tensor {
  const dims = r.dims;
  if (dims.length !== out.rank || dims.some((d, i) => d !== out.shape[i])) {
    // The shapes were validated before the call: a mismatch is a bug in the model we built.
    throw new Error(`onnxruntime returned [${dims}] where [${out.shape}] was expected`);
  }
  (out.data as Float32Array).set(r.data as Float32Array);
  return out;
}

/** One ONNX Gemm whose transA/transB read the operands in place. */
export function gemmGraph(ta: number, tb: number): () => OnnxGraph {
  return () => ({
    nodes: [{ op: "Gemm", inputs: ["in0", "in1"], outputs: ["out"], attrs: { transA: ta, transB: tb } }],
    inputs: [
      { name: "in0", type: F, dims: ["a0", "a1"] },
      { name: "in1", type: F, dims: ["b0", "b1"] },
    ],
    outputs: [{ name: "out", type: F, dims: ["m", "n"] }],
  });
}

/**
 * op(a) · op(b) for rank-2 float32 a and b (shapes already validated: the product is m×n), as one
 * ONNX Gemm whose transA/transB read the operands in place.
 */
export async function ortMatMul(
  rt: OrtRuntime,
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  m: number,
  n: number,
): Promise<Tensor> {
  const out = allocResult([m, n]);
  const ta = transposeA ? 1 : 0;
  const tb = transposeB ? 1 : 0;
  return fill(out, await rt.run(`Gemm/${ta}${tb}`, gemmGraph(ta, tb), [a, b]));
}

/** A Transpose node swapping the last two of `rank` axes of `input`. */
function swapLastTwo(input: string, output: string, rank: number): OnnxNode {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return { op: "Transpose", inputs: [input], outputs: [output], attrs: { perm } };
}

/**
 * TF's BatchMatMulV2 for real float32 operands (shapes already validated; `shape` is the result's):
 * ONNX MatMul broadcasts batch dimensions as numpy does, which is BatchMatMulV2's rule; adjoints are
 * Transpose nodes that ORT's optimizer folds into the GEMM.
 */
export async function ortBatchMatMul(
  rt: OrtRuntime,
  x: Tensor,
  y: Tensor,
  adjX: boolean,
  adjY: boolean,
  shape: readonly number[],
): Promise<Tensor> {
  const out = allocResult(shape);
  const rx = x.rank;
  const ry = y.rank;
  const r = await rt.run(`MatMul/${rx}/${ry}/${adjX ? 1 : 0}${adjY ? 1 : 0}`, () => {
    const nodes: OnnxNode[] = [];
    if (adjX) nodes.push(swapLastTwo("in0", "x", rx));
    if (adjY) nodes.push(swapLastTwo("in1", "y", ry));
    nodes.push({ op: "MatMul", inputs: [adjX ? "x" : "in0", adjY ? "y" : "in1"], outputs: ["out"] });
    return {
      nodes,
      inputs: [
        { name: "in0", type: F, dims: dimNames("x", rx) },
        { name: "in1", type: F, dims: dimNames("y", ry) },
      ],
      outputs: [{ name: "out", type: F, dims: dimNames("o", shape.length) }],
    };
  }, [x, y]);
  return fill(out, r);
}

/**
 * ONNX Conv's pads [top, left, bottom, right] for geometry g: TF's top and left, and below and
 * right what the last output row and column still read past the input (an explicit padding may be
 * larger; what no output reads does not matter).
 */
export function onnxConvPads(g: Conv2DGeometry): [number, number, number, number] {
  const effRows = (g.filterRows - 1) * g.dilationRows + 1;
  const effCols = (g.filterCols - 1) * g.dilationCols + 1;
  const padBottom = Math.max(0, (g.outRows - 1) * g.strideRows + effRows - g.inRows - g.padTop);
  const padRight = Math.max(0, (g.outCols - 1) * g.strideCols + effCols - g.inCols - g.padLeft);
  return [g.padTop, g.padLeft, padBottom, padRight];
}

/**
 * TF's NHWC Conv2D (grouped or not) with geometry g, as ONNX's NCHW Conv between layout
 * Transposes. The filter is an input, not a constant, so ORT's NCHWc rewrite (which needs a
 * constant filter) leaves the Conv alone and MLAS runs it as im2col + SGEMM (MlasConv); the HWIO
 * filter becomes OIHW, whose grouping of output channels is TF's.
 */
export async function ortConv2D(
  rt: OrtRuntime,
  input: Tensor,
  filter: Tensor,
  g: Conv2DGeometry,
): Promise<Tensor> {
  const x = rt.tensor(input.data as Float32Array, input.shape);
  return ortConv2DTensors(rt, x, rt.tensor(filter.data as Float32Array, filter.shape), g, "HWIO");
}

/**
 * ortConv2D on operands already made ORT tensors, for calls that share them: the NHWC input, and
 * the filter as TF's HWIO or already in ONNX's OIHW (the same Conv on the same values, without
 * the filter's Transpose in every call).
 */
export async function ortConv2DTensors(
  rt: OrtRuntime,
  input: OrtTensor,
  filter: OrtTensor,
  g: Conv2DGeometry,
  layout: "HWIO" | "OIHW",
): Promise<Tensor> {
  const out = allocResult([g.batch, g.outRows, g.outCols, g.outDepth]);
  return fill(out, await ortConv2DRun(rt, input, filter, g, layout));
}

/**
 * The run of ortConv2DTensors, its result ORT's; with `output` (an ORT tensor over ordinary
 * memory, of the result's exact shape) written there instead of copied out of ORT's own buffer.
 */
export async function ortConv2DRun(
  rt: OrtRuntime,
  input: OrtTensor,
  filter: OrtTensor,
  g: Conv2DGeometry,
  layout: "HWIO" | "OIHW",
  output?: OrtTensor,
): Promise<OrtTensor> {
  const attrs = {
    strides: [g.strideRows, g.strideCols],
    dilations: [g.dilationRows, g.dilationCols],
    pads: onnxConvPads(g),
    group: g.inDepth / g.patchDepth,
  };
  const hwio = layout === "HWIO";
  const nodes: OnnxNode[] = [
    { op: "Transpose", inputs: ["in0"], outputs: ["x"], attrs: { perm: [0, 3, 1, 2] } },
    { op: "Conv", inputs: ["x", hwio ? "w" : "in1"], outputs: ["y"], attrs },
    { op: "Transpose", inputs: ["y"], outputs: ["out"], attrs: { perm: [0, 2, 3, 1] } },
  ];
  if (hwio)
    nodes.unshift({ op: "Transpose", inputs: ["in1"], outputs: ["w"], attrs: { perm: [3, 2, 0, 1] } });
  const filterDims = hwio
    ? [g.filterRows, g.filterCols, g.patchDepth, g.outDepth]
    : [g.outDepth, g.patchDepth, g.filterRows, g.filterCols];
  return rt.runTensors(
    `Conv/${layout}/${filterDims}/${attrs.strides}/${attrs.dilations}/${attrs.pads}/${attrs.group}`,
    () => ({
      nodes,
      inputs: [
        { name: "in0", type: F, dims: ["n", "h", "w", g.inDepth] },
        { name: "in1", type: F, dims: filterDims },
      ],
      outputs: [{ name: "out", type: F, dims: ["n", "oh", "ow", g.outDepth] }],
    }),
    [input, filter],
    output,
  );
}
