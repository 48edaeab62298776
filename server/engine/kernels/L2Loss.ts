// TF's L2Loss (core/kernels/l2loss_op.cc): sum(t²) / 2 as a scalar of t's dtype.

import type { NumericArray, Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function l2Loss(t: Tensor): Tensor {
  const x = numericData(t);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  const out = computeBuffer(t.dtype, 1, []) as NumericArray;
  out[0] = s / 2;
  return finish(t.dtype, [], out);
}

export const l2LossConfig: KernelConfig = {
  op: {
    name: "L2Loss",
    inputs: ["t: T"],
    outputs: ["output: T"],
    attrs: ["T: {half, bfloat16, float, double}"],
  },
  kernel: cpuKernel("L2Loss", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return { compute: (ctx) => ctx.setOutput(0, l2Loss(ctx.input(0))) };
  }),
};
