// TF's L2Loss (core/kernels/l2loss_op.cc): sum(t²) / 2 as a scalar of t's dtype.

import type { NumericArray, Tensor } from "../framework/tensor.js";
import { computeJob, decodedInput, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export function l2Loss(t: Tensor): Tensor {
  return runWhole(l2LossJob(t));
}

/**
 * l2Loss as an ElementJob (util/element-slices.ts): one pass adding the squares in element order
 * into a float64 slot, as one loop's local would, then the halved sum.
 */
export function l2LossJob(t: Tensor): ElementJob<Tensor> {
  const input = decodedInput(t);
  const x = input.data;
  const out = computeBuffer(t.dtype, 1, []) as NumericArray;
  const encoded = encodedOutput(t.dtype, [], out);
  let s = 0;
  const sumPass = {
    n: x.length,
    run: (start: number, end: number) => {
      let acc = s;
      for (let i = start; i < end; i++) acc += x[i]! * x[i]!;
      s = acc;
    },
  };
  const halve = {
    n: 1,
    run: () => {
      out[0] = s / 2;
    },
  };
  return { passes: [...input.passes, sumPass, halve, ...encoded.passes], result: encoded.result };
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
    return { compute: (ctx) => computeJob(ctx, l2LossJob(ctx.input(0))) };
  }),
};
