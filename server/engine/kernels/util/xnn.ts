// Fast float32 GEMM and 2-D convolution from XNNPACK, as compiled to WebAssembly (SIMD, one thread)
// in @tensorflow/tfjs-backend-wasm. TF's CPU kernels reach the same place through Eigen/oneDNN
// contractions that accumulate in float32; the JS kernels in this directory accumulate in float64
// and stay in charge of everything small, non-float32 or unusual (see useXnn).
//
// tfjs keeps its engine in a per-isolate global, so every worker thread (and the test process) has
// its own copy, loaded on first need by loadXnn(). We only use the wasm backend's heap and two of its
// registered kernel functions (BatchMatMul, Conv2D), called directly with TensorInfos we allocate on
// its heap: no tfjs Tensor objects exist, nothing is tracked by tfjs's engine, and every heap block
// is released before a call returns (except a gemmSeries' right operand, held until its release()
// so a product cut into slices packs it once). Operands are written straight into the heap (transposes and
// im2col happen during that one write) and results are read straight out of it.

import { createRequire } from "node:module";
import { dirname, sep } from "node:path";
import type { KernelSlices, OpKernel, OpKernelContext } from "../../framework/op-kernel.js";
import type { Conv2DGeometry } from "./conv-util.js";

/**
 * Multiply-adds from which float32 products leave the float64-accumulating JS kernels for XNNPACK.
 * Each XNNPACK call pays ~30 µs here (heap blocks, copies, weight packing); measured on this 2-core
 * VM, XNNPACK overtakes the JS GEMM near 24³–32³ (2^14–2^15) multiply-adds. 2^18 (a 64×64×64
 * product, ~2× faster on XNNPACK) keeps a margin and keeps small shapes, which most tests and
 * fixtures use, on the exactly rounded JS path.
 */
export const XNN_MIN_MACS = 2 ** 18;

/** The largest wasm heap block we ask for; bigger operands stay on the JS path. */
const MAX_BLOCK_BYTES = 2 ** 30;

/** Writes an operand into its heap view (length = the operand's element count). */
export type Fill = (view: Float32Array) => void;

/** Reads a result from its heap view; the view dies when the callback returns. */
export type Drain = (view: Float32Array) => void;

/** The loaded kernels of one thread. */
export interface XnnKernels {
  /**
   * C[m×n] = A[m×k] · B[k×n], row-major float32, accumulated in float32 by XNNPACK's fully
   * connected operator. `fillA`/`fillB` write the operands, `drain` reads C. Returns false (having
   * called nothing) when the heap cannot hold the operands; the caller then uses its JS path.
   */
  gemm(m: number, k: number, n: number, fillA: Fill, fillB: Fill, drain: Drain): boolean;
  /**
   * Products with one right operand: B[k×n] is written (series.fillB, in as many parts as the
   * caller likes) and kept on the heap until release(), so XNNPACK packs it once (tfjs caches the
   * operator per weights block) and each series.gemm(m, fillA, drain) multiplies m more rows of A
   * by it. A product cut into row slices this way gives every row the bits a single call gives it:
   * each output row is its own dot products over the whole of k. Undefined when the heap cannot
   * hold B.
   */
  gemmSeries(k: number, n: number): GemmSeries | undefined;
  /**
   * Non-grouped NHWC convolution with TF's geometry `g` (explicit paddings taken from g, the bottom
   * and right ones derived from the output size). x is [batch, inRows, inCols, inDepth], the filter
   * [filterRows, filterCols, inDepth, outDepth]; `drain` reads [batch, outRows, outCols, outDepth].
   */
  conv2D(g: Conv2DGeometry, x: Float32Array, filter: Float32Array, drain: Drain): boolean;
  /** Calls so far, live heap blocks and the heap's size (tests, leak checks). */
  stats(): { readonly calls: number; readonly liveBlocks: number; readonly heapBytes: number };
}

/** Row slices of products with one right operand (XnnKernels.gemmSeries). */
export interface GemmSeries {
  /** Writes (part of) B through a fresh view of its block; only before the first gemm. */
  fillB(fill: Fill): void;
  /** C[m×n] = A[m×k] · B; false (nothing called) when the heap cannot hold A's rows. */
  gemm(m: number, fillA: Fill, drain: Drain): boolean;
  /** Frees B (and XNNPACK's packed copy of it). */
  release(): void;
}

// The slice of tfjs we touch, typed structurally (tfjs's own types name many internals we skip).
interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: "float32";
}
interface WasmModule {
  _malloc(bytes: number): number;
  HEAPU8: Uint8Array;
}
interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32", memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  numDataIds(): number;
}
type KernelFunc = (args: {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackend;
  attrs: Record<string, unknown>;
}) => TensorInfo;

let loading: Promise<XnnKernels | undefined> | undefined;
let loaded: XnnKernels | undefined;
let settled = false;
/** Why loading failed, until a kernel has logged it (once per thread). */
let unreportedFailure: string | undefined;

/**
 * The kernels when this thread has finished loading them; undefined while loading, before the
 * first loadXnn() and when loading failed (then JS kernels do all the work).
 */
export function xnnKernels(): XnnKernels | undefined {
  return loaded;
}

/** True once loadXnn() has finished, whether or not it succeeded. */
export function xnnSettled(): boolean {
  return settled;
}

/**
 * Loads tfjs-core and the wasm backend into this thread, once; later calls return the same
 * promise. Resolves undefined (never rejects) when the backend cannot start.
 */
export function loadXnn(): Promise<XnnKernels | undefined> {
  loading ??= load().then(
    (k) => {
      loaded = k;
      settled = true;
      if (k === undefined) unreportedFailure = "the wasm backend did not start";
      return k;
    },
    (e: unknown) => {
      settled = true;
      unreportedFailure = e instanceof Error ? e.message : String(e);
      return undefined;
    },
  );
  return loading;
}

async function load(): Promise<XnnKernels | undefined> {
  const tf = await import("@tensorflow/tfjs-core");
  // PROD mode turns off tfjs's console warnings and debug checks (tfjs's own switch for them).
  tf.env().set("PROD", true);
  const wasmPkg = await import("@tensorflow/tfjs-backend-wasm");
  // One XNNPACK thread per worker: tfgate's parallelism is its worker threads. tfjs's pthread
  // build would also need browser Blob workers.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  // Point at the .wasm files beside the package's entry point explicitly, so bundling or an odd
  // working directory cannot misdirect Emscripten's own lookup.
  const entry = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  wasmPkg.setWasmPaths(dirname(entry) + sep);
  if (!(await tf.setBackend("wasm"))) return undefined;
  const backend = tf.backend() as unknown as WasmBackend;
  const batchMatMul = tf.getKernel("BatchMatMul", "wasm")?.kernelFunc as KernelFunc | undefined;
  const conv2D = tf.getKernel("Conv2D", "wasm")?.kernelFunc as KernelFunc | undefined;
  if (batchMatMul === undefined || conv2D === undefined) return undefined;
  return createKernels(backend, batchMatMul, conv2D);
}

function createKernels(backend: WasmBackend, batchMatMul: KernelFunc, conv2D: KernelFunc): XnnKernels {
  const wasm = backend.wasm;
  const baseline = backend.numDataIds();
  let calls = 0;

  /** Heap blocks for float32 tensors of these shapes, or undefined (nothing held) if any fails. */
  const allocate = (shapes: number[][]): TensorInfo[] | undefined => {
    const out: TensorInfo[] = [];
    for (const shape of shapes) {
      const bytes = 4 * shape.reduce((a, b) => a * b, 1);
      // malloc answers 0 when the heap cannot grow (the build does not abort on failure).
      const offset = bytes <= MAX_BLOCK_BYTES ? wasm._malloc(Math.max(bytes, 4)) >>> 0 : 0;
      if (offset === 0) {
        release(out);
        return undefined;
      }
      // makeOutput registers a block we allocated; disposeData frees it (and any XNNPACK operator
      // the kernels cached for it, since its id is never reused).
      out.push(backend.makeOutput(shape, "float32", offset));
    }
    return out;
  };
  const release = (infos: readonly (TensorInfo | undefined)[]) => {
    for (const t of infos) if (t !== undefined) backend.disposeData(t.dataId, true);
  };
  // Views are taken after all allocations: growing the heap replaces its ArrayBuffer.
  const view = (t: TensorInfo) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    return new Float32Array(wasm.HEAPU8.buffer, backend.dataIdMap.get(t.dataId).memoryOffset, n);
  };
  const run = (inputs: TensorInfo[], call: () => TensorInfo, drain: Drain) => {
    calls++;
    let out: TensorInfo | undefined;
    try {
      out = call();
      drain(view(out));
    } finally {
      release([...inputs, out]);
    }
  };

  return {
    gemm(m, k, n, fillA, fillB, drain) {
      const blocks = allocate([
        [1, m, k],
        [1, k, n],
      ]);
      if (blocks === undefined) return false;
      const [a, b] = blocks as [TensorInfo, TensorInfo];
      try {
        fillA(view(a));
        fillB(view(b));
      } catch (e) {
        release(blocks);
        throw e;
      }
      // tfjs takes XNNPACK's fully connected path only for unbatched, untransposed operands.
      run(
        blocks,
        () => batchMatMul({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }),
        drain,
      );
      return true;
    },
    gemmSeries(k, n) {
      const blocks = allocate([[1, k, n]]);
      if (blocks === undefined) return undefined;
      const b = blocks[0]!;
      let released = false;
      return {
        fillB(fill) {
          fill(view(b));
        },
        gemm(m, fillA, drain) {
          const aBlocks = allocate([[1, m, k]]);
          if (aBlocks === undefined) return false;
          const a = aBlocks[0]!;
          try {
            fillA(view(a));
          } catch (e) {
            release(aBlocks);
            throw e;
          }
          run(
            aBlocks,
            () => batchMatMul({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }),
            drain,
          );
          return true;
        },
        release() {
          if (released) return;
          released = true;
          release(blocks);
        },
      };
    },
    conv2D(g, xData, filterData, drain) {
      const blocks = allocate([
        [g.batch, g.inRows, g.inCols, g.inDepth],
        [g.filterRows, g.filterCols, g.inDepth, g.outDepth],
      ]);
      if (blocks === undefined) return false;
      const [x, filter] = blocks as [TensorInfo, TensorInfo];
      view(x).set(xData);
      view(filter).set(filterData);
      const effRows = (g.filterRows - 1) * g.dilationRows + 1;
      const effCols = (g.filterCols - 1) * g.dilationCols + 1;
      const padBottom = Math.max(0, (g.outRows - 1) * g.strideRows + effRows - g.inRows - g.padTop);
      const padRight = Math.max(0, (g.outCols - 1) * g.strideCols + effCols - g.inCols - g.padLeft);
      const attrs = {
        strides: [g.strideRows, g.strideCols],
        dilations: [g.dilationRows, g.dilationCols],
        pad: [
          [0, 0],
          [g.padTop, padBottom],
          [g.padLeft, padRight],
          [0, 0],
        ],
        dataFormat: "NHWC",
      };
      run(
        blocks,
        () => {
          const out = conv2D({ inputs: { x, filter }, backend, attrs });
          const s = out.shape;
          if (s[0] !== g.batch || s[1] !== g.outRows || s[2] !== g.outCols || s[3] !== g.outDepth) {
            // Geometry disagreement would be a bug in this adapter, never a user error.
            release([out]);
            throw new Error(`XNNPACK conv2D output [${s}] does not match TF's geometry`);
          }
          return out;
        },
        drain,
      );
      return true;
    },
    stats() {
      return { calls, liveBlocks: backend.numDataIds() - baseline, heapBytes: wasm.HEAPU8.byteLength };
    },
  };
}

/**
 * A kernel whose float32 work may run on XNNPACK. The first step with a product of at least
 * XNN_MIN_MACS multiply-adds (as `macs` estimates from the inputs) waits for this thread to load it,
 * once per thread (its first slice yields the load's promise); steps with only small products never
 * load tfjs.
 */
export function xnnKernel(
  float32: boolean,
  macs: (ctx: OpKernelContext) => number,
  compute: (ctx: OpKernelContext) => void | KernelSlices,
): OpKernel {
  if (!float32) return { compute };
  return {
    compute(ctx) {
      if (!settled && safeMacs(macs, ctx) >= XNN_MIN_MACS) return loadThenCompute(ctx, compute);
      reportLoadFailure(ctx);
      return compute(ctx);
    },
  };
}

function* loadThenCompute(
  ctx: OpKernelContext,
  compute: (ctx: OpKernelContext) => void | KernelSlices,
): KernelSlices {
  yield loadXnn();
  reportLoadFailure(ctx);
  const rest = compute(ctx);
  if (rest !== undefined) yield* rest;
}

function reportLoadFailure(ctx: OpKernelContext): void {
  if (unreportedFailure === undefined) return;
  ctx.step.log(
    "warn",
    `XNNPACK (@tensorflow/tfjs-backend-wasm) failed to load (${unreportedFailure}); float32 MatMul and Conv2D use the JS kernels in this worker`,
  );
  unreportedFailure = undefined;
}

/** Bad shapes make the estimate throw; compute then reports them with TF's text. */
function safeMacs(macs: (ctx: OpKernelContext) => number, ctx: OpKernelContext): number {
  try {
    return macs(ctx);
  } catch {
    return 0;
  }
}

/** True when a float32 product of `macs` multiply-adds should run on XNNPACK in this thread. */
export function useXnn(macs: number): XnnKernels | undefined {
  return macs >= XNN_MIN_MACS ? loaded : undefined;
}

/**
 * Writes the transpose of the r×c row-major matrix `src` (from `offset`) into `dst` (c×r), in
 * tiles so both sides stay in cache.
 */
export function transposeInto(
  src: ArrayLike<number>,
  offset: number,
  r: number,
  c: number,
  dst: Float32Array,
): void {
  const T = 32;
  for (let i0 = 0; i0 < r; i0 += T) {
    const i1 = Math.min(r, i0 + T);
    for (let j0 = 0; j0 < c; j0 += T) {
      const j1 = Math.min(c, j0 + T);
      for (let i = i0; i < i1; i++) {
        const s = offset + i * c;
        for (let j = j0; j < j1; j++) dst[j * r + i] = src[s + j]!;
      }
    }
  }
}
