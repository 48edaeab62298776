// TF's reduction machinery (core/kernels/reduction_ops_common.h, ReductionHelper): axes from an
// int32/int64 input (scalar or vector, negative counts from the end), keep_dims, and TF's errors.
// Reductions walk the input once in row-major order and accumulate into the output slot each
// element maps to.

import { forEachBroadcastRunIn, stridesOf } from "../../framework/bcast.js";
import { invalidArgument } from "../../framework/errors.js";
import { getAttrBool } from "../../framework/op-def.js";
import { allocData, type NumericArray, numElements, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType, isComplexType } from "../../framework/types.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import { computeBuffer, readInts } from "./tensor-util.js";

export interface ReductionPlan {
  /** reduced[d] is true when input dimension d is reduced. */
  readonly reduced: readonly boolean[];
  /** Output shape (with 1s on reduced dimensions when keepDims). */
  readonly outShape: number[];
  /** For each input dimension, the stride of the output slot (0 on reduced dimensions). */
  readonly outStrides: number[];
  /** Number of input elements folded into each output element. */
  readonly groupSize: number;
}

/** ReductionHelper::Simplify's checks plus the output layout. */
export function reductionPlan(
  inShape: readonly number[],
  axesTensor: Tensor,
  keepDims: boolean,
): ReductionPlan {
  if (axesTensor.rank > 1) {
    throw invalidArgument(`axes must be a scalar or vector, got shape ${shapeString(axesTensor.shape)}`);
  }
  const rank = inShape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const index of readInts(axesTensor)) {
    if (index < -rank || index >= rank) {
      throw invalidArgument(`Invalid reduction dimension (${index} for input with ${rank} dimension(s)`);
    }
    const d = index < 0 ? index + rank : index;
    if (reduced[d])
      throw invalidArgument(`Invalid reduction arguments: Axes contains duplicate dimension: ${d}`);
    reduced[d] = true;
  }
  const kept: number[] = [];
  const outShape: number[] = [];
  let groupSize = 1;
  for (let d = 0; d < rank; d++) {
    if (reduced[d]) {
      groupSize *= inShape[d]!;
      if (keepDims) outShape.push(1);
    } else {
      kept.push(inShape[d]!);
      outShape.push(inShape[d]!);
    }
  }
  const keptStrides = stridesOf(kept);
  const outStrides = new Array<number>(rank).fill(0);
  for (let d = 0, k = 0; d < rank; d++) if (!reduced[d]) outStrides[d] = keptStrides[k++]!;
  return { reduced, outShape, outStrides, groupSize };
}

type RunBody = (o: number, i0: number, o0: number, count: number, iStep: number, oStep: number) => void;

/**
 * A pass over the input elements in row-major order: body(_, inOffset, outOffset, count, inStep,
 * outStep) for runs of the innermost dimension (ranges split runs, never reorder them).
 */
function walkPass(inShape: readonly number[], plan: ReductionPlan, n: number, body: RunBody): ElementPass {
  const inStrides = stridesOf(inShape);
  return { n, run: (s, e) => forEachBroadcastRunIn(inShape, inStrides, plan.outStrides, s, e, body) };
}

/** A pass calling visit(inIndex, outIndex) for every input element, in row-major order. */
function visitPass(
  inShape: readonly number[],
  plan: ReductionPlan,
  n: number,
  visit: (i: number, o: number) => void,
): ElementPass {
  return walkPass(inShape, plan, n, (_o, i0, o0, count, iStep, oStep) => {
    for (let j = 0; j < count; j++) visit(i0 + j * iStep, o0 + j * oStep);
  });
}

export type ReduceKind = "sum" | "mean" | "prod" | "max" | "min";

/** Reduces x over the planned axes. Real types accumulate in float64 (half/bfloat16 via float32). */
export function reduce(kind: ReduceKind, x: Tensor, plan: ReductionPlan): Tensor {
  return runWhole(reduceJob(kind, x, plan));
}

/**
 * reduce as an ElementJob (element-slices.ts): the walk over the input is one pass, so in slices it
 * folds the elements in the same order as whole and gives the same bits.
 */
export function reduceJob(kind: ReduceKind, x: Tensor, plan: ReductionPlan): ElementJob<Tensor> {
  const dt = x.dtype;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) return bigReduceJob(kind, x, plan);
  if (isComplexType(dt)) return complexReduceJob(kind, x, plan);
  const outN = numElements(plan.outShape);
  const g = plan.groupSize;
  const isFloat =
    dt === DataType.DT_FLOAT ||
    dt === DataType.DT_DOUBLE ||
    dt === DataType.DT_HALF ||
    dt === DataType.DT_BFLOAT16;
  const input = decodedInput(x);
  const a = input.data;
  const acc = new Float64Array(outN);
  if (kind === "prod") acc.fill(1);
  else if (kind === "max") acc.fill(Number.NEGATIVE_INFINITY);
  else if (kind === "min") acc.fill(Number.POSITIVE_INFINITY);
  const fold = walkPass(x.shape, plan, x.numElements, realFold(kind, isFloat, a, acc));
  const out = computeBuffer(dt, outN, plan.outShape) as NumericArray;
  const write = (s: number, e: number) => {
    for (let o = s; o < e; o++) {
      let v = acc[o]!;
      if (kind === "mean") v = isFloat ? v / g : g === 0 ? 0 : Math.trunc(v / g);
      else if (!isFloat && (kind === "max" || kind === "min") && !Number.isFinite(v))
        v = extremeNumber(dt, kind === "max");
      out[o] = v;
    }
  };
  const encoded = encodedOutput(dt, plan.outShape, out);
  return {
    passes: [...input.passes, fold, { n: outN, run: write }, ...encoded.passes],
    result: encoded.result,
  };
}

/** The accumulation of one run of real elements into acc, in the order the run gives them. */
function realFold(kind: ReduceKind, isFloat: boolean, a: NumericArray, acc: Float64Array): RunBody {
  if (kind === "sum" || kind === "mean") {
    return (_o, i0, o0, count, iStep, oStep) => {
      if (oStep === 0) {
        // The whole run folds into one slot: the same additions, in a local.
        let t = acc[o0]!;
        for (let j = 0; j < count; j++) t += a[i0 + j * iStep]!;
        acc[o0] = t;
      } else for (let j = 0; j < count; j++) acc[o0 + j * oStep]! += a[i0 + j * iStep]!;
    };
  }
  if (kind === "prod" && isFloat) {
    return (_o, i0, o0, count, iStep, oStep) => {
      for (let j = 0; j < count; j++) acc[o0 + j * oStep]! *= a[i0 + j * iStep]!;
    };
  }
  if (kind === "prod") {
    // Integer products wrap like C++: keep them in 32 bits at every step.
    return (_o, i0, o0, count, iStep, oStep) => {
      for (let j = 0; j < count; j++) {
        const o = o0 + j * oStep;
        acc[o] = Math.imul(acc[o]!, a[i0 + j * iStep]!);
      }
    };
  }
  // NaN propagates as in Eigen's MaxReducer with PropagateNaN semantics of TF's reducers.
  const isMax = kind === "max";
  return (_o, i0, o0, count, iStep, oStep) => {
    for (let j = 0; j < count; j++) {
      const o = o0 + j * oStep;
      const v = a[i0 + j * iStep]!;
      if ((isMax ? v > acc[o]! : v < acc[o]!) || Number.isNaN(v)) acc[o] = v;
    }
  };
}

function bigReduceJob(kind: ReduceKind, x: Tensor, plan: ReductionPlan): ElementJob<Tensor> {
  const dt = x.dtype;
  const outN = numElements(plan.outShape);
  const g = plan.groupSize;
  const a = x.data as BigInt64Array;
  const out = allocData(dt, outN, plan.outShape) as BigInt64Array;
  const init = kind === "prod" ? 1n : 0n;
  const seen = kind === "max" || kind === "min" ? new Uint8Array(outN) : undefined;
  out.fill(init);
  const fold = visitPass(x.shape, plan, x.numElements, (i, o) => {
    const v = a[i]!;
    if (kind === "sum" || kind === "mean") out[o] = out[o]! + v;
    else if (kind === "prod") out[o] = out[o]! * v;
    else if (!seen![o]) {
      seen![o] = 1;
      out[o] = v;
    } else if (kind === "max" ? v > out[o]! : v < out[o]!) out[o] = v;
  });
  const finishRange = (s: number, e: number) => {
    if (kind === "mean" && g > 0) for (let o = s; o < e; o++) out[o] = out[o]! / BigInt(g);
    if (seen) for (let o = s; o < e; o++) if (!seen[o]) out[o] = extremeBig(dt, kind === "max");
  };
  return {
    passes: [fold, { n: outN, run: finishRange }],
    result: () => new Tensor(dt, plan.outShape, out),
  };
}

function complexReduceJob(kind: ReduceKind, x: Tensor, plan: ReductionPlan): ElementJob<Tensor> {
  if (kind !== "sum" && kind !== "mean" && kind !== "prod") {
    throw invalidArgument(`${kind} reduction is not defined for complex numbers`);
  }
  const dt = x.dtype;
  const outN = numElements(plan.outShape);
  const g = plan.groupSize;
  const a = x.data as Float64Array;
  const acc = new Float64Array(2 * outN);
  if (kind === "prod") for (let o = 0; o < outN; o++) acc[2 * o] = 1;
  const fold = visitPass(x.shape, plan, x.numElements, (i, o) => {
    const re = a[2 * i]!;
    const im = a[2 * i + 1]!;
    if (kind === "prod") {
      const r = acc[2 * o]!;
      const m = acc[2 * o + 1]!;
      acc[2 * o] = r * re - m * im;
      acc[2 * o + 1] = r * im + m * re;
    } else {
      acc[2 * o]! += re;
      acc[2 * o + 1]! += im;
    }
  });
  const out = allocData(dt, outN, plan.outShape) as Float64Array;
  const write = (s: number, e: number) => {
    for (let o = 2 * s; o < 2 * e; o++) out[o] = kind === "mean" ? acc[o]! / g : acc[o]!;
  };
  return { passes: [fold, { n: outN, run: write }], result: () => new Tensor(dt, plan.outShape, out) };
}

/** Identity of max/min over an empty set: the lowest/highest value of the dtype (Eigen's init). */
function extremeNumber(dt: DataType, isMax: boolean): number {
  const bits: Partial<Record<number, [number, number]>> = {
    [DataType.DT_INT8]: [-128, 127],
    [DataType.DT_INT16]: [-32768, 32767],
    [DataType.DT_INT32]: [-2147483648, 2147483647],
    [DataType.DT_UINT8]: [0, 255],
    [DataType.DT_UINT16]: [0, 65535],
    [DataType.DT_UINT32]: [0, 4294967295],
  };
  const r = bits[dt] ?? [0, 0];
  return isMax ? r[0] : r[1];
}

function extremeBig(dt: DataType, isMax: boolean): bigint {
  if (dt === DataType.DT_UINT64) return isMax ? 0n : (1n << 64n) - 1n;
  return isMax ? -(1n << 63n) : (1n << 63n) - 1n;
}

/** A reduction op "input: T, reduction_indices: Tidx -> output: T" with keep_dims. */
export function reductionConfig(
  name: string,
  kind: ReduceKind,
  typeAttr: string,
  kernelTypes: readonly DataType[],
): KernelConfig {
  return {
    op: {
      name,
      inputs: ["input: T", "reduction_indices: Tidx"],
      outputs: ["output: T"],
      attrs: ["keep_dims: bool = false", typeAttr, "Tidx: {int32, int64} = DT_INT32"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", kernelTypes);
      const keepDims = getAttrBool(c.attrs, "keep_dims");
      return {
        compute(ctx) {
          const x = ctx.input(0);
          return computeJob(ctx, reduceJob(kind, x, reductionPlan(x.shape, ctx.input(1), keepDims)));
        },
      };
    }),
  };
}
