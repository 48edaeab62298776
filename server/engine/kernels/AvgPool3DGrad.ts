// TF's AvgPool3DGrad on CPU (core/kernels/pooling_ops_3d.cc): each output gradient spread evenly
// over the input elements its window averaged (the window clipped to the input).

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { makeShape, scratch } from "./util/conv-util.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  forEachWindow,
  getPool3DAttrs,
  POOL3D_ATTRS,
  type Pool3DAttrs,
  pool3DGeometry,
  pool3DOutputShape,
} from "./util/pool3d-util.js";
import { computeBuffer, finish, numericData, readInts } from "./util/tensor-util.js";

export function avgPool3DGrad(origShape: Tensor, grad: Tensor, a: Pool3DAttrs): Tensor {
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
  const n = shape.reduce((p, q) => p * q, 1);
  const acc = scratch(n);
  const dy = numericData(grad);
  forEachWindow(g, (o, window) => {
    for (let c = 0; c < g.depth; c++) {
      const share = dy[o + c]! / window.length;
      for (const i of window) acc[i + c] = acc[i + c]! + share;
    }
  });
  const out = computeBuffer(grad.dtype, n, shape) as NumericArray;
  out.set(acc);
  return finish(grad.dtype, shape, out);
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
    return { compute: (ctx) => ctx.setOutput(0, avgPool3DGrad(ctx.input(0), ctx.input(1), a)) };
  }),
};
