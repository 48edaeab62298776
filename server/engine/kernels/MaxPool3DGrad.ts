// TF's MaxPool3DGrad on CPU (core/kernels/pooling_ops_3d.cc): each output gradient goes to the
// elements of its window equal to the maximum (orig_output), every tied element taking all of it,
// as TF's portable kernel masks the window. (A TF build that rewrites the pooling pair to oneDNN's
// routes it to the forward pass's argmax instead, the first tied element; which of the two a
// TF 2.21 session runs depends on the host CPU, so tfgate follows the portable kernel.)

import { invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { computeJob, decodedInput, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  getPool3DAttrs,
  POOL3D_ATTRS,
  type Pool3DAttrs,
  pool3DGeometry,
  pool3DGradJob,
  pool3DOutputShape,
} from "./util/pool3d-util.js";

export function maxPool3DGrad(origInput: Tensor, origOutput: Tensor, grad: Tensor, a: Pool3DAttrs): Tensor {
  return runWhole(maxPool3DGradJob(origInput, origOutput, grad, a));
}

/** maxPool3DGrad as an ElementJob (pool3DGradJob): shapes checked now, gradients added in row order. */
export function maxPool3DGradJob(
  origInput: Tensor,
  origOutput: Tensor,
  grad: Tensor,
  a: Pool3DAttrs,
): ElementJob<Tensor> {
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
  const [x, y, dy] = [origInput, origOutput, grad].map(decodedInput) as [Decoded, Decoded, Decoded];
  const decoding = [...x.passes, ...y.passes, ...dy.passes];
  return pool3DGradJob(g, grad.dtype, origInput.shape, decoding, (acc, o, window) => {
    for (let c = 0; c < g.depth; c++) {
      for (const w of window) if (x.data[w + c] === y.data[o + c]) acc[w + c] = acc[w + c]! + dy.data[o + c]!;
    }
  });
}

type Decoded = ReturnType<typeof decodedInput>;

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
      compute: (ctx) => computeJob(ctx, maxPool3DGradJob(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
