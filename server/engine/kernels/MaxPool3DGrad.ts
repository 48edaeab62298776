// TF's MaxPool3DGrad on CPU (core/kernels/pooling_ops_3d.cc): each output gradient goes to the
// elements of its window equal to the maximum (orig_output), every tied element taking all of it,
// as TF's portable kernel masks the window. (A TF build that rewrites the pooling pair to oneDNN's
// routes it to the forward pass's argmax instead, the first tied element; which of the two a
// TF 2.21 session runs depends on the host CPU, so tfgate follows the portable kernel.)

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { scratch } from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  forEachWindow,
  getPool3DAttrs,
  POOL3D_ATTRS,
  type Pool3DAttrs,
  pool3DGeometry,
  pool3DOutputShape,
} from "./util/pool3d-util.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function maxPool3DGrad(origInput: Tensor, origOutput: Tensor, grad: Tensor, a: Pool3DAttrs): Tensor {
  const g = pool3DGeometry(origInput.shape, a);
  const expected = pool3DOutputShape(g);
  for (const [name, t] of [
    ["orig_output", origOutput],
    ["grad", grad],
  ] as const) {
    if (!sameShape(t.shape, expected)) {
      throw invalidArgument(
        `Expected ${name} shape to be ${shapeString(expected)}, but got ${shapeString(t.shape)}`,
      );
    }
  }
  const n = origInput.numElements;
  const acc = scratch(n);
  const x = numericData(origInput);
  const y = numericData(origOutput);
  const dy = numericData(grad);
  forEachWindow(g, (o, window) => {
    for (let c = 0; c < g.depth; c++) {
      for (const w of window) if (x[w + c] === y[o + c]) acc[w + c] = acc[w + c]! + dy[o + c]!;
    }
  });
  const out = computeBuffer(grad.dtype, n, origInput.shape) as NumericArray;
  out.set(acc);
  return finish(grad.dtype, origInput.shape, out);
}

export const maxPool3DGradConfig: KernelConfig = {
  op: {
    name: "MaxPool3DGrad",
    inputs: ["orig_input: TInput", "orig_output: TInput", "grad: T"],
    outputs: ["output: T"],
    attrs: [
      ...POOL3D_ATTRS,
      "T: {half, bfloat16, float} = DT_FLOAT",
      "TInput: {half, bfloat16, float} = DT_FLOAT",
    ],
  },
  kernel: cpuKernel("MaxPool3DGrad", (c) => {
    checkTypeConstraint(c, "TInput", [T.float, T.bfloat16]);
    const a = getPool3DAttrs(c);
    return {
      compute: (ctx) => ctx.setOutput(0, maxPool3DGrad(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
