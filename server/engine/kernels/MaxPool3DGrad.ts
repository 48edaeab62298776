// TF's MaxPool3DGrad on CPU: each output gradient goes to the element of its window holding the
// maximum (orig_output). On a tie, the first such element in (plane, row, column) order takes it:
// that is what a TF 2.21 session computes for tf.gradients of tf.nn.max_pool3d, where the graph
// rewrite to oneDNN's pooling pair routes by the forward pass's argmax. (TF's portable kernel,
// core/kernels/pooling_ops_3d.cc, which eager mode runs, gives it to every tied element instead.)

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { scratch } from "./conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./kernel-config.js";
import {
  forEachWindow,
  getPool3DAttrs,
  POOL3D_ATTRS,
  type Pool3DAttrs,
  pool3DGeometry,
  pool3DOutputShape,
} from "./pool3d-util.js";
import { computeBuffer, finish, numericData } from "./tensor-util.js";

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
      const i = window.find((w) => x[w + c] === y[o + c]);
      if (i !== undefined) acc[i + c] = acc[i + c]! + dy[o + c]!;
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
