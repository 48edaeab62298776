// TF's Bucketize (core/kernels/bucketize_op.cc): for each element, the number of boundaries not
// greater than it (std::upper_bound over the float boundaries; NaN lands past every boundary).

import { invalidArgument } from "../framework/errors.js";
import { getAttrList } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { numericData } from "./util/tensor-util.js";

export function bucketize(input: Tensor, boundaries: readonly number[]): Tensor {
  const n = input.numElements;
  const out = allocData(DataType.DT_INT32, n, input.shape) as Int32Array;
  const d = input.data;
  // Integers compare as float, as in C++ (an int promotes to the float boundary's type).
  const values =
    d instanceof BigInt64Array
      ? Array.from(d, (v) => Math.fround(Number(v)))
      : d instanceof Int32Array
        ? Array.from(d, Math.fround)
        : numericData(input);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
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
  return new Tensor(DataType.DT_INT32, input.shape, out);
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
    return { compute: (ctx) => ctx.setOutput(0, bucketize(ctx.input(0), boundaries)) };
  }),
};
