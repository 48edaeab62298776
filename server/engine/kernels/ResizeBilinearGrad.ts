// TF's ResizeBilinearGrad on CPU (core/kernels/image/resize_bilinear_op.cc): spreads each
// incoming gradient pixel over the four source pixels ResizeBilinear read, with the same weights.
// Accumulates in the output dtype (double) or in float32 (float, half, bfloat16, cast at the end).

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { linearTaps } from "./ResizeBilinear.js";
import { computeJob, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import {
  f32,
  getResizeAttrs,
  gradOutputShape,
  halfPixelScaler,
  legacyScaler,
  type ResizeAttrs,
  resizeGradGeometry,
} from "./util/image-resize.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

/** The check TF makes on a resize gradient's incoming gradient: always float. */
export function checkFloatGrads(grads: Tensor): Float32Array {
  if (grads.dtype !== DataType.DT_FLOAT) {
    throw invalidArgument(`input_grad must be of type float${dataTypeString(grads.dtype)}`);
  }
  return grads.data as Float32Array;
}

export function resizeBilinearGrad(grads: Tensor, original: Tensor, a: ResizeAttrs): Tensor {
  return runWhole(resizeBilinearGradJob(grads, original, a));
}

/**
 * resizeBilinearGrad as an ElementJob (util/element-slices.ts): the gradient walked in row-major
 * order over ranges, each element's four adds made as in one run, so every sum takes its terms in
 * the same order; then the half/bfloat16 encoding.
 */
export function resizeBilinearGradJob(grads: Tensor, original: Tensor, a: ResizeAttrs): ElementJob<Tensor> {
  const g = resizeGradGeometry(grads, original, a);
  const shape = gradOutputShape(g);
  const dy = checkFloatGrads(grads);
  const n = shape.reduce((p, d) => p * d, 1);
  const out = computeBuffer(original.dtype, n, shape) as Float32Array | Float64Array;
  const encoded = encodedOutput(original.dtype, shape, out);
  // No gradient elements (a zero dimension): nothing to spread, and no per-row tables to build.
  if (dy.length === 0) return encoded;
  const scaler = a.halfPixelCenters ? halfPixelScaler : legacyScaler;
  const ys = linearTaps(scaler, g.resizedHeight, g.originalHeight, g.heightScale);
  const xs = linearTaps(scaler, g.resizedWidth, g.originalWidth, g.widthScale);
  const c = g.channels;
  const row = g.originalWidth * c;
  const run = (start: number, end: number) => {
    for (let k = start; k < end; k++) {
      // k = ((b·resizedHeight + y)·resizedWidth + x)·c + d
      const d = k % c;
      const p = (k - d) / c;
      const tx = xs[p % g.resizedWidth]!;
      const q = (p - (p % g.resizedWidth)) / g.resizedWidth;
      const ty = ys[q % g.resizedHeight]!;
      const base = ((q - (q % g.resizedHeight)) / g.resizedHeight) * g.originalHeight * row;
      const [iy, ix] = [f32(1 - ty.lerp), f32(1 - tx.lerp)];
      const top = base + ty.lower * row;
      const bottom = base + ty.upper * row;
      const l = tx.lower * c + d;
      const r = tx.upper * c + d;
      const v = dy[k]!;
      // The products are float32 in TF whatever the output dtype.
      out[top + l] += f32(f32(v * iy) * ix);
      out[top + r] += f32(f32(v * iy) * tx.lerp);
      out[bottom + l] += f32(f32(v * ty.lerp) * ix);
      out[bottom + r] += f32(f32(v * ty.lerp) * tx.lerp);
    }
  };
  // Index arithmetic, eight float32 products and four scattered adds: ~20 ns an element.
  return { passes: [{ n: dy.length, run, cost: 10 }, ...encoded.passes], result: encoded.result };
}

export const resizeBilinearGradConfig: KernelConfig = {
  op: {
    name: "ResizeBilinearGrad",
    inputs: ["grads: float", "original_image: T"],
    outputs: ["output: T"],
    attrs: [
      "T: {float, bfloat16, half, double}",
      "align_corners: bool = false",
      "half_pixel_centers: bool = false",
    ],
  },
  kernel: cpuKernel("ResizeBilinearGrad", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const a = getResizeAttrs(c);
    return { compute: (ctx) => computeJob(ctx, resizeBilinearGradJob(ctx.input(0), ctx.input(1), a)) };
  }),
};
