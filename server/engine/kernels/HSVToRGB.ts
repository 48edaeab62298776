// TF's HSVToRGB on CPU (core/kernels/image/colorspace_op.h): per pixel, each channel's ramp
// clamp(|6H − k| …, 0, 1) blended with the saturation and scaled by V; every step in the dtype's
// arithmetic.

import type { Tensor } from "../framework/tensor.js";
import { checkColorInput, stepRounding } from "./util/colorspace.js";
import { computeJob, decodedInput, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

const clamp01 = (v: number): number => Math.min(Math.max(v, 0), 1);

export function hsvToRgb(images: Tensor): Tensor {
  return runWhole(hsvToRgbJob(images));
}

/** hsvToRgb as an ElementJob (util/element-slices.ts): one pass over the pixels. */
export function hsvToRgbJob(images: Tensor): ElementJob<Tensor> {
  checkColorInput(images);
  const input = decodedInput(images);
  const x = input.data;
  const out = computeBuffer(images.dtype, images.numElements, images.shape) as Float32Array | Float64Array;
  const encoded = encodedOutput(images.dtype, images.shape, out);
  const r = stepRounding(images.dtype);
  const run = (start: number, end: number) => {
    for (let p = 3 * start; p < 3 * end; p += 3) {
      const h = x[p]!;
      const s = x[p + 1]!;
      const v = x[p + 2]!;
      const dh = r(h * 6);
      const dr = clamp01(r(Math.abs(r(dh - 3)) - 1));
      const dg = clamp01(r(-Math.abs(r(dh - 2)) + 2));
      const db = clamp01(r(-Math.abs(r(dh - 4)) + 2));
      const oneS = r(-s + 1);
      out[p] = r(r(oneS + r(s * dr)) * v);
      out[p + 1] = r(r(oneS + r(s * dg)) * v);
      out[p + 2] = r(r(oneS + r(s * db)) * v);
    }
  };
  const pass = { n: images.numElements / 3, run, cost: 12 };
  return { passes: [...input.passes, pass, ...encoded.passes], result: encoded.result };
}

export const hsvToRgbConfig: KernelConfig = {
  op: {
    name: "HSVToRGB",
    inputs: ["images: T"],
    outputs: ["output: T"],
    attrs: ["T: {half, bfloat16, float, double} = DT_FLOAT"],
  },
  kernel: cpuKernel("HSVToRGB", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return { compute: (ctx) => computeJob(ctx, hsvToRgbJob(ctx.input(0))) };
  }),
};
