// TF's InvertPermutation (core/kernels/transpose_op.cc): y[x[i]] = i for a permutation x.

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { intVector, readInts } from "./util/tensor-util.js";

export function invertPermutation(x: Tensor): Tensor {
  if (x.rank !== 1) throw invalidArgument("invert_permutation expects a 1D vector.");
  const v = readInts(x);
  const n = v.length;
  const y = new Array<number>(n).fill(-1);
  v.forEach((d, i) => {
    if (!(d >= 0 && d < n)) throw invalidArgument(`${d} is not between 0 and ${n}`);
    if (y[d] !== -1) throw invalidArgument(`${d} is duplicated in the input.`);
    y[d] = i;
  });
  return intVector(x.dtype, y);
}

export const invertPermutationConfig: KernelConfig = {
  op: {
    name: "InvertPermutation",
    inputs: ["x: T"],
    outputs: ["y: T"],
    attrs: ["T: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("InvertPermutation", (ctx) => ctx.setOutput(0, invertPermutation(ctx.input(0)))),
};
