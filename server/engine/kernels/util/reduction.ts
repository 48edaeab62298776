// TF's reduction machinery (core/kernels/reduction_ops_common.h, ReductionHelper): axes from an
// int32/int64 input (scalar or vector, negative counts from the end), keep_dims, and TF's errors.
// Reductions walk the input once in row-major order and accumulate into the output slot each
// element maps to.

import { forEachBroadcastRun, stridesOf } from "../../framework/bcast.js";
import { invalidArgument } from "../../framework/errors.js";
import { getAttrBool } from "../../framework/op-def.js";
import { allocData, type NumericArray, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType, isComplexType } from "../../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import { computeBuffer, finish, numericData, readInts } from "./tensor-util.js";

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

/** Calls visit(inIndex, outIndex) for every input element. */
function walk(inShape: readonly number[], plan: ReductionPlan, visit: (i: number, o: number) => void): void {
  forEachBroadcastRun(inShape, stridesOf(inShape), plan.outStrides, (_o, i0, o0, count, iStep, oStep) => {
    for (let j = 0; j < count; j++) visit(i0 + j * iStep, o0 + j * oStep);
  });
}

export type ReduceKind = "sum" | "mean" | "prod" | "max" | "min";

/** Reduces x over the planned axes. Real types accumulate in float64 (half/bfloat16 via float32). */
export function reduce(kind: ReduceKind, x: Tensor, plan: ReductionPlan): Tensor {
  const dt = x.dtype;
  const outN = plan.outShape.reduce((a, b) => a * b, 1);
  const g = plan.groupSize;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const a = x.data as BigInt64Array;
    const out = allocData(dt, outN, plan.outShape) as BigInt64Array;
    const init = kind === "prod" ? 1n : 0n;
    const seen = kind === "max" || kind === "min" ? new Uint8Array(outN) : undefined;
    out.fill(init);
    walk(x.shape, plan, (i, o) => {
      const v = a[i]!;
      if (kind === "sum" || kind === "mean") out[o] = out[o]! + v;
      else if (kind === "prod") out[o] = out[o]! * v;
      else if (!seen![o]) {
        seen![o] = 1;
        out[o] = v;
      } else if (kind === "max" ? v > out[o]! : v < out[o]!) out[o] = v;
    });
    if (kind === "mean" && g > 0) for (let o = 0; o < outN; o++) out[o] = out[o]! / BigInt(g);
    if (seen) for (let o = 0; o < outN; o++) if (!seen[o]) out[o] = extremeBig(dt, kind === "max");
    return new Tensor(dt, plan.outShape, out);
  }
  if (isComplexType(dt)) {
    if (kind !== "sum" && kind !== "mean" && kind !== "prod") {
      throw invalidArgument(`${kind} reduction is not defined for complex numbers`);
    }
    const a = x.data as Float64Array;
    const acc = new Float64Array(2 * outN);
    if (kind === "prod") for (let o = 0; o < outN; o++) acc[2 * o] = 1;
    walk(x.shape, plan, (i, o) => {
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
    if (kind === "mean") for (let o = 0; o < 2 * outN; o++) acc[o]! /= g;
    const out = allocData(dt, outN, plan.outShape) as Float64Array;
    out.set(acc);
    return new Tensor(dt, plan.outShape, out);
  }
  const isFloat =
    dt === DataType.DT_FLOAT ||
    dt === DataType.DT_DOUBLE ||
    dt === DataType.DT_HALF ||
    dt === DataType.DT_BFLOAT16;
  const a = numericData(x);
  const acc = new Float64Array(outN);
  if (kind === "prod") acc.fill(1);
  else if (kind === "max") acc.fill(Number.NEGATIVE_INFINITY);
  else if (kind === "min") acc.fill(Number.POSITIVE_INFINITY);
  if (kind === "sum" || kind === "mean") {
    walk(x.shape, plan, (i, o) => {
      acc[o]! += a[i]!;
    });
  } else if (kind === "prod" && isFloat) {
    walk(x.shape, plan, (i, o) => {
      acc[o]! *= a[i]!;
    });
  } else if (kind === "prod") {
    // Integer products wrap like C++: keep them in 32 bits at every step.
    walk(x.shape, plan, (i, o) => {
      acc[o] = Math.imul(acc[o]!, a[i]!);
    });
  } else if (kind === "max") {
    // NaN propagates as in Eigen's MaxReducer with PropagateNaN semantics of TF's reducers.
    walk(x.shape, plan, (i, o) => {
      const v = a[i]!;
      if (v > acc[o]! || Number.isNaN(v)) acc[o] = v;
    });
  } else {
    walk(x.shape, plan, (i, o) => {
      const v = a[i]!;
      if (v < acc[o]! || Number.isNaN(v)) acc[o] = v;
    });
  }
  const out = computeBuffer(dt, outN, plan.outShape) as NumericArray;
  for (let o = 0; o < outN; o++) {
    let v = acc[o]!;
    if (kind === "mean") v = isFloat ? v / g : g === 0 ? 0 : Math.trunc(v / g);
    else if (!isFloat && (kind === "max" || kind === "min") && !Number.isFinite(v))
      v = extremeNumber(dt, kind === "max");
    out[o] = v;
  }
  return finish(dt, plan.outShape, out);
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
          ctx.setOutput(0, reduce(kind, x, reductionPlan(x.shape, ctx.input(1), keepDims)));
        },
      };
    }),
  };
}
