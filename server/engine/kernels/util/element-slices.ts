// Element-wise work in slices (docs/architecture.md, "Long kernels in slices"). TF runs an
// element-wise op or a reduction over a huge tensor on one of its inter-op threads while the others
// carry on; here it would hold the device thread for the whole loop (a Sum over 37M elements takes a
// few hundred ms), so another session's step on the device waits behind it and a cancelled step
// stops only after it.
//
// Such a kernel prepares an ElementJob: its output storage, allocated up front and charged to the
// step as before, and one or more passes, each a loop over [0, n) that may be split into consecutive
// ranges run in order. Run whole (runWhole: small tensors and callers outside the executor) each
// pass is one call over [0, n); in slices (jobSlices) the same pass runs over ranges of
// ELEMENT_PIECE elements with a yield between them. The element visits are the same and come in the
// same order either way, so the bits are the same, also for reductions whose accumulation order
// matters (float sums keep their sequential order).

import { floatToBfloat16, floatToHalf, halfToFloat } from "../../framework/float16.js";
import type { KernelSlices, OpKernelContext } from "../../framework/op-kernel.js";
import { type NumericArray, numElements, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { outputSlices, type Slices } from "./slices.js";
import {
  allocIndexable,
  type Indexable,
  isHalfLike,
  lanesOf,
  numericData,
  storage,
  stridedCopyRange,
} from "./tensor-util.js";

/**
 * Elements per piece: 0.3–3 ms on the loaded test machine (the cheap typed-array loops run at about
 * 1 ns an element, per-element function calls and index arithmetic at up to 10 ns).
 */
export const ELEMENT_PIECE = 2 ** 18;

/** Below this many elements of work a kernel runs whole, as before (a few ms at most). */
export const SLICED_MIN_ELEMENTS = 2 ** 20;

/** A loop over [0, n) that gives the same result when run over consecutive ranges in order. */
export interface ElementPass {
  readonly n: number;
  run(start: number, end: number): void;
  /** Work per element relative to a plain typed-array loop (default 1): pieces are that much shorter. */
  readonly cost?: number;
}

/** A kernel's element work: its passes run one after the other, then `result` is its answer. */
export interface ElementJob<T> {
  readonly passes: readonly ElementPass[];
  result(): T;
}

/** A job of one pass. */
export function oneLoop<T>(
  n: number,
  run: (start: number, end: number) => void,
  result: () => T,
  cost = 1,
): ElementJob<T> {
  return { passes: [{ n, run, cost }], result };
}

/** A job whose result is already known (no work). */
export function doneJob<T>(value: T): ElementJob<T> {
  return { passes: [], result: () => value };
}

/**
 * A pass over [0, n) in rows of `depth` elements, calling `part(row, start, end)` for each row's
 * share of a range: a row cut by a range end is continued by the next range, so a kernel keeping
 * per-row state between calls (a float64 slot per row) sees the row's elements in one run's order.
 */
export function rowPass(
  n: number,
  depth: number,
  part: (row: number, start: number, end: number) => void,
  cost = 1,
): ElementPass {
  const run = (start: number, end: number) => {
    for (let i = start; i < end; ) {
      const r = Math.floor(i / depth);
      const e = Math.min(end, (r + 1) * depth);
      part(r, i, e);
      i = e;
    }
  };
  return { n, run, cost };
}

/** Runs every pass over its whole range at once. */
export function runWhole<T>(job: ElementJob<T>): T {
  for (const p of job.passes) p.run(0, p.n);
  return job.result();
}

/** The job's passes in ranges of `piece` elements, yielding between ranges. */
export function* jobSlices<T>(job: ElementJob<T>, piece = ELEMENT_PIECE): Slices<T> {
  for (const p of job.passes) {
    const step = Math.max(1, Math.floor(piece / (p.cost ?? 1)));
    for (let s = 0; s < p.n; s += step) {
      p.run(s, Math.min(p.n, s + step));
      yield;
    }
  }
  return job.result();
}

/** Element visits of the job over all its passes, weighted by their cost. */
export function jobWork(job: ElementJob<unknown>): number {
  let w = 0;
  for (const p of job.passes) w += p.n * (p.cost ?? 1);
  return w;
}

/**
 * What a kernel's compute returns for a job whose result is its output 0: a small job runs whole
 * here (no generator, nothing more than before), a large one continues as slices. `owned`: as
 * OpKernelContext.setOutput's (the job's result storage belongs to this output alone).
 */
export function computeJob(
  ctx: OpKernelContext,
  job: ElementJob<Tensor>,
  owned = false,
): undefined | KernelSlices {
  if (jobWork(job) < SLICED_MIN_ELEMENTS) {
    ctx.setOutput(0, runWhole(job), owned);
    return;
  }
  return outputSlices(ctx, jobSlices(job), owned);
}

/**
 * computeJob for a kernel with several outputs: the job's result is outputs 0, 1, …, all set when
 * it ends (small jobs here, large ones after their slices).
 */
export function computeJobOutputs(
  ctx: OpKernelContext,
  job: ElementJob<readonly Tensor[]>,
): undefined | KernelSlices {
  const setAll = (outs: readonly Tensor[]) => {
    outs.forEach((t, i) => {
      ctx.setOutput(i, t);
    });
  };
  if (jobWork(job) < SLICED_MIN_ELEMENTS) {
    setAll(runWhole(job));
    return;
  }
  return (function* () {
    setAll(yield* jobSlices(job));
  })();
}

/**
 * A tensor's elements as numbers (numericData), with the pass that decodes half/bfloat16 into
 * float32 when there is one (the same decoding as halfArrayToFloat32 / bfloat16ArrayToFloat32).
 */
export function decodedInput(t: Tensor): { data: NumericArray; passes: ElementPass[] } {
  if (!isHalfLike(t.dtype)) return { data: numericData(t), passes: [] };
  const src = t.data as Uint16Array;
  const data = new Float32Array(src.length);
  if (t.dtype === DataType.DT_HALF) {
    const run = (s: number, e: number) => {
      for (let i = s; i < e; i++) data[i] = halfToFloat(src[i]!);
    };
    return { data, passes: [{ n: src.length, run }] };
  }
  const bits = new Uint32Array(data.buffer);
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) bits[i] = src[i]! << 16;
  };
  return { data, passes: [{ n: src.length, run }] };
}

/**
 * The output tensor of a computeBuffer (tensor-util.ts finish), with the pass that encodes float32
 * results as half/bfloat16 when there is one (as float32ToHalfArray / float32ToBfloat16Array).
 */
export function encodedOutput(
  dtype: DataType,
  shape: readonly number[],
  buf: NumericArray,
): { passes: ElementPass[]; result: () => Tensor } {
  if (!isHalfLike(dtype)) return { passes: [], result: () => new Tensor(dtype, shape, buf) };
  const out = new Uint16Array(buf.length);
  const encode = dtype === DataType.DT_HALF ? floatToHalf : floatToBfloat16;
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = encode(buf[i] as number);
  };
  return { passes: [{ n: buf.length, run }], result: () => new Tensor(dtype, shape, out) };
}

/**
 * A tensor of `outShape` whose row-major elements are x's storage read through `srcStrides` from
 * `srcOffset` over the dimensions `shape` (stridedCopy): the copy behind Transpose, Slice,
 * StridedSlice, BroadcastTo and Reverse, as one pass over the output's elements.
 */
export function stridedCopyJob(
  x: Tensor,
  srcStrides: readonly number[],
  srcOffset: number,
  shape: readonly number[],
  outShape: readonly number[] = shape,
): ElementJob<Tensor> {
  const n = numElements(shape);
  const lanes = lanesOf(x.dtype);
  const out = allocIndexable(x.dtype, n, outShape);
  const src = storage(x);
  // A transposed innermost dimension reads across rows, a cache miss per element: a 2048² float32
  // Transpose took ~35 ns an element on the loaded test machine against ~6 for a row-wise copy.
  const step = Math.abs(srcStrides[srcStrides.length - 1] ?? 1);
  return oneLoop(
    n,
    (s, e) => stridedCopyRange(src, srcStrides, srcOffset, out, 0, shape, lanes, s, e),
    () => new Tensor(x.dtype, outShape, out as unknown as Tensor["data"]),
    lanes * (step > 1 ? 8 : 1),
  );
}

/** One strided read of x (as stridedCopyJob's arguments) making one output. */
export interface StridedPart {
  readonly srcStrides: readonly number[];
  readonly srcOffset: number;
  readonly shape: readonly number[];
}

/**
 * Several outputs, each a strided copy of x (Split, SplitV, Unpack), all allocated up front and
 * written by one pass over their elements, output 0's first: a range may span outputs.
 */
export function stridedCopiesJob(x: Tensor, parts: readonly StridedPart[]): ElementJob<Tensor[]> {
  const lanes = lanesOf(x.dtype);
  const src = storage(x);
  const outs = parts.map((p) => allocIndexable(x.dtype, numElements(p.shape), p.shape));
  const starts: number[] = [];
  let n = 0;
  let strided = false;
  for (const p of parts) {
    starts.push(n);
    n += numElements(p.shape);
    if (Math.abs(p.srcStrides[p.srcStrides.length - 1] ?? 1) > 1) strided = true;
  }
  const run = (s: number, e: number) => {
    parts.forEach((p, i) => {
      const from = Math.max(s, starts[i]!) - starts[i]!;
      const to = Math.min(e, starts[i]! + numElements(p.shape)) - starts[i]!;
      if (from < to) stridedCopyRange(src, p.srcStrides, p.srcOffset, outs[i]!, 0, p.shape, lanes, from, to);
    });
  };
  // As stridedCopyJob: an innermost dimension read across rows costs a cache miss per element.
  const pass: ElementPass = { n, run, cost: lanes * (strided ? 8 : 1) };
  const result = () =>
    parts.map((p, i) => new Tensor(x.dtype, p.shape, outs[i] as unknown as Tensor["data"]));
  return { passes: [pass], result };
}

/**
 * A pass writing `rows` consecutive rows of `width` storage values into `dst`, row r a copy of the
 * `width` values of `src` from `srcStart(r)`: the copy behind the gathers, which pick whole rows.
 * Ranges may end inside a row; the next range picks it up there.
 */
export function rowCopyPass(
  dst: Indexable,
  src: Indexable,
  rows: number,
  width: number,
  srcStart: (row: number) => number,
): ElementPass {
  const run = (start: number, end: number) => {
    let r = Math.floor(start / width);
    let k = start - r * width;
    for (let i = start; i < end; r++, k = 0) {
      const len = Math.min(width - k, end - i);
      const from = srcStart(r) + k;
      for (let j = 0; j < len; j++) dst[i + j] = src[from + j];
      i += len;
    }
  };
  return { n: rows * width, run };
}
