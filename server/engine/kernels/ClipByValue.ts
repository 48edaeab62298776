// TF's ClipByValue (core/kernels/cwise_op_clip.cc): min(max(t, clip_value_min), clip_value_max)
// element-wise. Each bound is a scalar or has t's shape (no other broadcasting). Per element TF
// computes std::max(std::min(t, max), min), whose NaN behaviour follows from its comparisons:
// a NaN t stays NaN, a NaN bound leaves t unclipped on that side. Complex values are clipped per
// component, as if the bounds were the corners of a box in the complex plane.

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, isComplexType } from "../framework/types.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

type Scalar = number | bigint;
/** std::min and std::max: the first argument unless the comparison says otherwise. */
const stdMin = <V extends Scalar>(a: V, b: V): V => (b < a ? b : a);
const stdMax = <V extends Scalar>(a: V, b: V): V => (a < b ? b : a);

/** out = clip(t) over elements [start, end) (a scalar bound has `lanes` values, reused for all). */
function clipRange<V extends Scalar>(
  t: ArrayLike<V>,
  lo: ArrayLike<V>,
  hi: ArrayLike<V>,
  out: { [i: number]: V },
  lanes: number,
  start: number,
  end: number,
): void {
  const loStep = lo.length === lanes ? 0 : 1;
  const hiStep = hi.length === lanes ? 0 : 1;
  for (let i = start; i < end; i++) {
    for (let l = 0; l < lanes; l++) {
      const k = i * lanes + l;
      out[k] = stdMax(stdMin(t[k]!, hi[i * hiStep * lanes + l]!), lo[i * loStep * lanes + l]!);
    }
  }
}

export function clipByValue(t: Tensor, lo: Tensor, hi: Tensor): Tensor {
  return runWhole(clipByValueJob(t, lo, hi));
}

/**
 * clipByValue as an ElementJob (util/element-slices.ts): half/bfloat16 operands decoded, the
 * clip, the result encoded, each a pass over the elements.
 */
export function clipByValueJob(t: Tensor, lo: Tensor, hi: Tensor): ElementJob<Tensor> {
  const okLo = sameShape(t.shape, lo.shape) || lo.shape.length === 0;
  const okHi = sameShape(t.shape, hi.shape) || hi.shape.length === 0;
  if (!okLo || !okHi) {
    throw invalidArgument(
      "clip_value_min and clip_value_max must be either of the same shape as input, or a scalar. " +
        `input shape: ${shapeString(t.shape)}clip_value_min shape: ${shapeString(lo.shape)}` +
        `clip_value_max shape: ${shapeString(hi.shape)}`,
    );
  }
  const n = t.numElements;
  const dt = t.dtype;
  if (dt === DataType.DT_INT64 || isComplexType(dt)) {
    const lanes = isComplexType(dt) ? 2 : 1;
    const out = allocData(dt, n, t.shape) as BigInt64Array | Float64Array;
    const [tv, lov, hiv] = [t.data, lo.data, hi.data] as (typeof out)[];
    const run = (s: number, e: number) => clipRange<Scalar>(tv!, lov!, hiv!, out, lanes, s, e);
    return oneLoop(n, run, () => new Tensor(dt, t.shape, out), lanes);
  }
  const [x, xLo, xHi] = [decodedInput(t), decodedInput(lo), decodedInput(hi)];
  const out = computeBuffer(dt, n, t.shape) as NumericArray;
  const run = (s: number, e: number) => clipRange(x.data, xLo.data, xHi.data, out, 1, s, e);
  const encoded = encodedOutput(dt, t.shape, out);
  const passes = [...x.passes, ...xLo.passes, ...xHi.passes, { n, run }, ...encoded.passes];
  return { passes, result: encoded.result };
}

export const clipByValueConfig: KernelConfig = {
  op: {
    name: "ClipByValue",
    inputs: ["t: T", "clip_value_min: T", "clip_value_max: T"],
    outputs: ["output: T"],
    attrs: ["T: numbertype"],
  },
  kernel: cpuKernel("ClipByValue", (c) => {
    checkTypeConstraint(c, "T", [
      ...FLOAT_TYPES,
      T.int8,
      T.int16,
      T.int32,
      T.int64,
      T.uint8,
      T.uint16,
      T.complex64,
      T.complex128,
    ]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, clipByValueJob(ctx.input(0), ctx.input(1), ctx.input(2)));
      },
    };
  }),
};
