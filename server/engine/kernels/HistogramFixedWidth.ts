// TF's HistogramFixedWidth (core/kernels/histogram_op.cc): counts of `values` in nbins equal-width
// bins over value_range; values below the range count in the first bin, above it in the last.
// The bin is floor((max(v, lo) − lo) / step) with the difference taken in the input dtype and
// the division in double, as TF's functor does.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

function asNumbers(t: Tensor): number[] {
  const d = t.data;
  if (d instanceof BigInt64Array) return Array.from(d, (v) => Number(v));
  return Array.from(d as Float32Array | Float64Array | Int32Array);
}

export function histogramFixedWidth(
  values: Tensor,
  range: Tensor,
  nbinsT: Tensor,
  outType: DataType,
): Tensor {
  if (range.rank !== 1) throw invalidArgument("value_range should be a vector.");
  if (range.numElements !== 2) throw invalidArgument("value_range should be a vector of 2 elements.");
  if (nbinsT.rank !== 0) throw invalidArgument("nbins should be a scalar.");
  const [lo, hi] = asNumbers(range) as [number, number];
  const nbins = readInts(nbinsT)[0]!;
  if (!(lo < hi)) {
    throw invalidArgument(
      `value_range should satisfy value_range[0] < value_range[1], but got '[${lo}, ${hi}]'`,
    );
  }
  if (nbins <= 0) throw invalidArgument(`nbins should be a positive number, but got '${nbins}'`);
  const f32 = values.dtype === DataType.DT_FLOAT;
  const step = (f32 ? Math.fround(hi - lo) : hi - lo) / nbins;
  // The output first: nbins comes from a tensor, and allocData charges the step's budget.
  const out = allocData(outType, nbins, [nbins]);
  const counts = allocData(DataType.DT_DOUBLE, nbins) as Float64Array;
  for (const v of asNumbers(values)) {
    const diff = Math.max(v, lo) - lo;
    const bin = Math.min((f32 ? Math.fround(diff) : diff) / step, nbins - 1);
    counts[Math.trunc(bin)]!++;
  }
  const o = out as unknown as { [i: number]: number | bigint };
  counts.forEach((c, i) => {
    o[i] = outType === DataType.DT_INT64 ? BigInt(c) : c;
  });
  return new Tensor(outType, [nbins], out);
}

export const histogramFixedWidthConfig: KernelConfig = {
  op: {
    name: "HistogramFixedWidth",
    inputs: ["values: T", "value_range: T", "nbins: int32"],
    outputs: ["out: dtype"],
    attrs: ["T: {int32, int64, float, double}", "dtype: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("HistogramFixedWidth", (c) => {
    checkTypeConstraint(c, "T", [T.int32, T.int64, T.float, T.double]);
    const outType = getAttrType(c.attrs, "dtype");
    return {
      compute: (ctx) =>
        ctx.setOutput(0, histogramFixedWidth(ctx.input(0), ctx.input(1), ctx.input(2), outType)),
    };
  }),
};
