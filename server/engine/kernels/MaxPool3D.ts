// TF's MaxPool3D on CPU (core/kernels/pooling_ops_3d.cc): the maximum over each NDHWC window.

import type { Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { getPool3DAttrs, POOL3D_ATTRS, type Pool3DAttrs, pool3D } from "./util/pool3d-util.js";

export function maxPool3D(input: Tensor, a: Pool3DAttrs): Tensor {
  return pool3D(input, a, (x, window, c) => {
    let best = Number.NEGATIVE_INFINITY;
    for (const i of window) if (x[i + c]! > best) best = x[i + c]!;
    return best;
  });
}

export const maxPool3DConfig: KernelConfig = {
  op: {
    name: "MaxPool3D",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: [...POOL3D_ATTRS, "T: {half, bfloat16, float}"],
  },
  kernel: cpuKernel("MaxPool3D", (c) => {
    const a = getPool3DAttrs(c);
    return { compute: (ctx) => ctx.setOutput(0, maxPool3D(ctx.input(0), a)) };
  }),
};
