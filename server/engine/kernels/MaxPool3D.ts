// TF's MaxPool3D on CPU (core/kernels/pooling_ops_3d.cc): the maximum over each NDHWC window.

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

const windowMax: Pool3DReduce = (x, window, c) => {
  let best = Number.NEGATIVE_INFINITY;
  for (const i of window) if (x[i + c]! > best) best = x[i + c]!;
  return best;
};

export function maxPool3D(input: Tensor, a: Pool3DAttrs): Tensor {
  return runWhole(maxPool3DJob(input, a));
}

/** maxPool3D as an ElementJob, in whole output rows (pool3DJob). */
export const maxPool3DJob = (input: Tensor, a: Pool3DAttrs): ElementJob<Tensor> =>
  pool3DJob(input, a, windowMax);

export const maxPool3DConfig: KernelConfig = {
  op: {
    name: "MaxPool3D",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: [...POOL3D_ATTRS, "T: {half, bfloat16, float}"],
  },
  kernel: cpuKernel("MaxPool3D", (c) => {
    const a = getPool3DAttrs(c);
    return { compute: (ctx) => computeJob(ctx, maxPool3DJob(ctx.input(0), a)) };
  }),
};
