// TF's LRNGrad on CPU (core/kernels/lrn_op.cc, LaunchLRNGrad): the gradient of LRN from its input
// image, output image and incoming gradients, with TF's per-window formula.

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, type Tensor } from "../framework/tensor.js";
import { getLrnOptions, LRN_ATTRS, type LrnOptions, lrnWindowCost } from "./LRN.js";
import { computeJob, decodedInput, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export function lrnGrad(grads: Tensor, inImage: Tensor, outImage: Tensor, o: LrnOptions): Tensor {
  return runWhole(lrnGradJob(grads, inImage, outImage, o));
}

/**
 * lrnGrad as an ElementJob (util/element-slices.ts): a pass over the elements j of each pixel in
 * order, each adding its window's terms into the float64 slots of the channels it reads. Every
 * slot takes its terms in increasing j whether or not a range ends inside a pixel, so the sums
 * are one run's; then the slots are stored.
 */
export function lrnGradJob(
  grads: Tensor,
  inImage: Tensor,
  outImage: Tensor,
  o: LrnOptions,
): ElementJob<Tensor> {
  if (grads.rank !== 4 || inImage.rank !== 4 || outImage.rank !== 4) {
    throw invalidArgument("inputs must be 4-dimensional");
  }
  if (!sameShape(grads.shape, inImage.shape) || !sameShape(grads.shape, outImage.shape)) {
    throw invalidArgument("input_grads, input_image, and out_image should have the same shape");
  }
  const depth = grads.shape[3]!;
  const gIn = decodedInput(grads);
  const xIn = decodedInput(inImage);
  const yIn = decodedInput(outImage);
  const [g, x, y] = [gIn.data, xIn.data, yIn.data];
  const n = grads.numElements;
  const acc = new Float64Array(n);
  const out = computeBuffer(grads.dtype, n, grads.shape) as NumericArray;
  const encoded = encodedOutput(grads.dtype, grads.shape, out);
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const j = i % depth;
      const base = i - j;
      const lo = Math.max(0, j - o.depthRadius);
      const hi = Math.min(depth, j + o.depthRadius + 1);
      let norm = 0;
      for (let k = lo; k < hi; k++) norm += x[base + k]! * x[base + k]!;
      norm = o.alpha * norm + o.bias;
      for (let k = lo; k < hi; k++) {
        let dyi = (-2 * o.alpha * o.beta * x[base + k]! * y[i]!) / norm;
        if (k === j) dyi += norm ** -o.beta;
        acc[base + k]! += dyi * g[i]!;
      }
    }
  };
  const gradPass = { n, run, cost: 3 * lrnWindowCost(depth, o) };
  const store = {
    n,
    run: (s: number, e: number) => {
      for (let i = s; i < e; i++) out[i] = acc[i]!;
    },
  };
  return {
    passes: [...gIn.passes, ...xIn.passes, ...yIn.passes, gradPass, store, ...encoded.passes],
    result: encoded.result,
  };
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
    return { compute: (ctx) => computeJob(ctx, lrnGradJob(ctx.input(0), ctx.input(1), ctx.input(2), o)) };
  }),
};
