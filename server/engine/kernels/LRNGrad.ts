// TF's LRNGrad on CPU (core/kernels/lrn_op.cc, LaunchLRNGrad): the gradient of LRN from its input
// image, output image and incoming gradients, with TF's per-window formula.

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, type Tensor } from "../framework/tensor.js";
import { getLrnOptions, LRN_ATTRS, type LrnOptions } from "./LRN.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function lrnGrad(grads: Tensor, inImage: Tensor, outImage: Tensor, o: LrnOptions): Tensor {
  if (grads.rank !== 4 || inImage.rank !== 4 || outImage.rank !== 4) {
    throw invalidArgument("inputs must be 4-dimensional");
  }
  if (!sameShape(grads.shape, inImage.shape) || !sameShape(grads.shape, outImage.shape)) {
    throw invalidArgument("input_grads, input_image, and out_image should have the same shape");
  }
  const depth = grads.shape[3]!;
  const g = numericData(grads);
  const x = numericData(inImage);
  const y = numericData(outImage);
  const n = grads.numElements;
  const acc = new Float64Array(n);
  for (let base = 0; base < n; base += depth) {
    for (let j = 0; j < depth; j++) {
      const lo = Math.max(0, j - o.depthRadius);
      const hi = Math.min(depth, j + o.depthRadius + 1);
      let norm = 0;
      for (let k = lo; k < hi; k++) norm += x[base + k]! * x[base + k]!;
      norm = o.alpha * norm + o.bias;
      for (let k = lo; k < hi; k++) {
        let dyi = (-2 * o.alpha * o.beta * x[base + k]! * y[base + j]!) / norm;
        if (k === j) dyi += norm ** -o.beta;
        acc[base + k]! += dyi * g[base + j]!;
      }
    }
  }
  const out = computeBuffer(grads.dtype, n, grads.shape) as NumericArray;
  (out as Float32Array | Float64Array).set(acc);
  return finish(grads.dtype, grads.shape, out);
}

export const lrnGradConfig: KernelConfig = {
  op: {
    name: "LRNGrad",
    inputs: ["input_grads: T", "input_image: T", "output_image: T"],
    outputs: ["output: T"],
    attrs: LRN_ATTRS,
  },
  kernel: cpuKernel("LRNGrad", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    const o = getLrnOptions(c);
    return { compute: (ctx) => ctx.setOutput(0, lrnGrad(ctx.input(0), ctx.input(1), ctx.input(2), o)) };
  }),
};
