// TF's AvgPool3DGrad on CPU (core/kernels/pooling_ops_3d.cc): each output gradient spread evenly
// over the input elements its window averaged (the window clipped to the input).

import { invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { makeShape } from "./util/conv-util.js";
import { computeJob, decodedInput, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  getPool3DAttrs,
  POOL3D_ATTRS,
  type Pool3DAttrs,
  pool3DGeometry,
  pool3DGradJob,
  pool3DOutputShape,
} from "./util/pool3d-util.js";
import { readInts } from "./util/tensor-util.js";

export function avgPool3DGrad(origShape: Tensor, grad: Tensor, a: Pool3DAttrs): Tensor {
  return runWhole(avgPool3DGradJob(origShape, grad, a));
}

/** avgPool3DGrad as an ElementJob (pool3DGradJob): shapes checked now, shares added in row order. */
export function avgPool3DGradJob(origShape: Tensor, grad: Tensor, a: Pool3DAttrs): ElementJob<Tensor> {
  if (origShape.rank !== 1 || origShape.numElements !== 5) {
    throw invalidArgument("orig_input_shape must be a vector of 5 elements");
  }
  const shape = makeShape(readInts(origShape));
  const g = pool3DGeometry(shape, a);
  const expected = pool3DOutputShape(g);
  if (!sameShape(grad.shape, expected)) {
    throw invalidArgument(
      `Expected grad shape to be ${shapeString(expected)}, but got ${shapeString(grad.shape)}`,
    );
  }
  const dy = decodedInput(grad);
  return pool3DGradJob(g, grad.dtype, shape, dy.passes, (acc, o, window) => {
    for (let c = 0; c < g.depth; c++) {
      const share = dy.data[o + c]! / window.length;
      for (const i of window) acc[i + c] = acc[i + c]! + share;
    }
  });
}

export const avgPool3DGradConfig: KernelConfig = {
  op: {
    name: "AvgPool3DGrad",
    inputs: ["orig_input_shape: int32", "grad: T"],
    outputs: ["output: T"],
    attrs: [...POOL3D_ATTRS, "T: {half, bfloat16, float, double}"],
  },
  kernel: cpuKernel("AvgPool3DGrad", (c) => {
    const a = getPool3DAttrs(c);
    return { compute: (ctx) => computeJob(ctx, avgPool3DGradJob(ctx.input(0), ctx.input(1), a)) };
  }),
};
