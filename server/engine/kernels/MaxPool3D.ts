// TF's MaxPool3D on CPU (core/kernels/pooling_ops_3d.cc): the maximum over each NDHWC window.

import type { NumericArray, Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  forEachWindow,
  getPool3DAttrs,
  POOL3D_ATTRS,
  type Pool3DAttrs,
  pool3DGeometry,
  pool3DOutputShape,
} from "./pool3d-util.js";
import { computeBuffer, finish, numericData } from "./tensor-util.js";

export function maxPool3D(input: Tensor, a: Pool3DAttrs): Tensor {
  const g = pool3DGeometry(input.shape, a);
  const shape = pool3DOutputShape(g);
  const out = computeBuffer(
    input.dtype,
    shape.reduce((p, q) => p * q, 1),
    shape,
  ) as NumericArray;
  const x = numericData(input);
  forEachWindow(g, (o, window) => {
    for (let c = 0; c < g.depth; c++) {
      let best = Number.NEGATIVE_INFINITY;
      for (const i of window) if (x[i + c]! > best) best = x[i + c]!;
      out[o + c] = best;
    }
  });
  return finish(input.dtype, shape, out);
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
