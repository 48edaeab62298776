// TF's Bucketize (core/kernels/bucketize_op.cc): for each element, the number of boundaries not
// greater than it (std::upper_bound over the float boundaries; NaN lands past every boundary).

import { invalidArgument } from "../framework/errors.js";
import { getAttrList } from "../framework/op-def.js";
import { allocData, type NumericArray, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

export function bucketize(input: Tensor, boundaries: readonly number[]): Tensor {
  return runWhole(bucketizeJob(input, boundaries));
}

/** bucketize as an ElementJob (util/element-slices.ts): one pass over the elements. */
export function bucketizeJob(input: Tensor, boundaries: readonly number[]): ElementJob<Tensor> {
  const n = input.numElements;
  const out = allocData(DataType.DT_INT32, n, input.shape) as Int32Array;
  const d = input.data;
  // Integers compare as float, as in C++ (an int promotes to the float boundary's type).
  const valueAt: (i: number) => number =
    d instanceof BigInt64Array
      ? (i) => Math.fround(Number(d[i]!))
      : d instanceof Int32Array
        ? (i) => Math.fround(d[i]!)
        : (i) => (d as NumericArray)[i]!;
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const v = valueAt(i);
      // upper_bound: the first boundary b with v < b.
      let lo = 0;
      let hi = boundaries.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v < boundaries[mid]!) hi = mid;
        else lo = mid + 1;
      }
      out[i] = lo; // NaN compares false everywhere: past every boundary
    }
  };
  const cost = 2 + Math.ceil(Math.log2(boundaries.length + 1));
  return oneLoop(n, run, () => new Tensor(DataType.DT_INT32, input.shape, out), cost);
}

export const bucketizeConfig: KernelConfig = {
  op: {
    name: "Bucketize",
    inputs: ["input: T"],
    outputs: ["output: int32"],
    attrs: ["T: {int32, int64, float, double}", "boundaries: list(float)"],
  },
  kernel: cpuKernel("Bucketize", (c) => {
    checkTypeConstraint(c, "T", [T.int32, T.int64, T.float, T.double]);
    const boundaries = [...getAttrList(c.attrs, "boundaries").f];
    for (let i = 1; i < boundaries.length; i++) {
      if (boundaries[i - 1]! > boundaries[i]!) throw invalidArgument("Expected sorted boundaries");
    }
    return { compute: (ctx) => computeJob(ctx, bucketizeJob(ctx.input(0), boundaries)) };
  }),
};
