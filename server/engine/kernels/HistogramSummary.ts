// TF's HistogramSummary (core/kernels/summary_op.cc, tf.compat.v1.summary.histogram): the values
// counted into TF's default buckets (core/lib/histogram/histogram.cc) and encoded with runs of
// empty buckets collapsed, as TensorBoard's histogram dashboard reads them.

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { doublesOf, summaryTensor, tagOf } from "./util/summary-util.js";

const DBL_MAX = Number.MAX_VALUE;

/**
 * TF's default bucket limits: ±1e-12 growing by 10% up to 1e20, ±DBL_MAX at the ends, 0 between
 * the negative and positive halves (the same doubles TF computes, by the same multiplications).
 */
function defaultLimits(): Float64Array {
  const pos: number[] = [];
  for (let v = 1.0e-12; v < 1.0e20; v *= 1.1) pos.push(v);
  pos.push(DBL_MAX);
  const neg = pos.map((v) => -v).reverse();
  return Float64Array.from([...neg, 0, ...pos]);
}

let limits: Float64Array | undefined;

/** Index of the first limit greater than x (std::upper_bound). */
function bucketOf(lim: Float64Array, x: number): number {
  let lo = 0;
  let hi = lim.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lim[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The HistogramProto fields of `values` (Histogram::Add for each, then EncodeToProto). */
export function histogramOf(values: ArrayLike<number>) {
  limits ??= defaultLimits();
  const counts = new Float64Array(limits.length);
  let min = DBL_MAX;
  let max = -DBL_MAX;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    counts[bucketOf(limits, x)]! += 1;
    if (min > x) min = x;
    if (max < x) max = x;
    sum += x;
    sumSquares += x * x;
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < counts.length; ) {
    let end = limits[i]!;
    let count = counts[i]!;
    i++;
    // A run of empty buckets becomes one, ending where the run ends.
    if (count <= 0) {
      while (i < counts.length && counts[i]! <= 0) {
        end = limits[i]!;
        count = counts[i]!;
        i++;
      }
    }
    bucketLimit.push(end);
    bucket.push(count);
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}

export function histogramSummary(tag: Tensor, values: Tensor, nodeName: string): Tensor {
  if (tag.rank !== 0) throw invalidArgument("tags must be scalar");
  const v = doublesOf(values);
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) throw invalidArgument(`Nan in summary histogram for: ${nodeName}`);
    if (!Number.isFinite(v[i])) throw invalidArgument(`Infinity in Histogram for: ${nodeName}`);
  }
  return summaryTensor([{ tag: tagOf(tag), value: { case: "histo", value: histogramOf(v) } }]);
}

export const histogramSummaryConfig: KernelConfig = {
  op: {
    name: "HistogramSummary",
    inputs: ["tag: string", "values: T"],
    outputs: ["summary: string"],
    attrs: ["T: realnumbertype = DT_FLOAT"],
  },
  kernel: cpuKernel("HistogramSummary", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const name = c.nodeName;
    return { compute: (ctx) => ctx.setOutput(0, histogramSummary(ctx.input(0), ctx.input(1), name)) };
  }),
};
