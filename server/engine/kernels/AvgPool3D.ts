// TF's AvgPool3D on CPU (core/kernels/pooling_ops_3d.cc): the mean over each NDHWC window,
// counting only the window's elements inside the input (SAME padding is not averaged in).

import type { Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  getPool3DAttrs,
  POOL3D_ATTRS,
  type Pool3DAttrs,
  type Pool3DReduce,
  pool3DJob,
} from "./util/pool3d-util.js";

const windowMean: Pool3DReduce = (x, window, c) => {
  let sum = 0;
  for (const i of window) sum += x[i + c]!;
  return sum / window.length;
};

export function avgPool3D(input: Tensor, a: Pool3DAttrs): Tensor {
  return runWhole(avgPool3DJob(input, a));
}

/** avgPool3D as an ElementJob, in whole output rows (pool3DJob). */
export const avgPool3DJob = (input: Tensor, a: Pool3DAttrs): ElementJob<Tensor> =>
  pool3DJob(input, a, windowMean);

export const avgPool3DConfig: KernelConfig = {
  op: {
    name: "AvgPool3D",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: [...POOL3D_ATTRS, "T: {half, bfloat16, float, double}"],
  },
  kernel: cpuKernel("AvgPool3D", (c) => {
    const a = getPool3DAttrs(c);
    return { compute: (ctx) => computeJob(ctx, avgPool3DJob(ctx.input(0), a)) };
  }),
};
