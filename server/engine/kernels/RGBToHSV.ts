// TF's RGBToHSV on CPU (core/kernels/image/colorspace_op.h): per pixel V = max, S = range/V,
// H from the channel holding the max, in [0, 1); every step in the dtype's arithmetic.

import type { Tensor } from "../framework/tensor.js";
import { checkColorInput, stepRounding } from "./util/colorspace.js";
import { computeJob, decodedInput, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export function rgbToHsv(images: Tensor): Tensor {
  return runWhole(rgbToHsvJob(images));
}

/** rgbToHsv as an ElementJob (util/element-slices.ts): one pass over the pixels. */
export function rgbToHsvJob(images: Tensor): ElementJob<Tensor> {
  checkColorInput(images);
  const input = decodedInput(images);
  const x = input.data;
  const out = computeBuffer(images.dtype, images.numElements, images.shape) as Float32Array | Float64Array;
  const encoded = encodedOutput(images.dtype, images.shape, out);
  const r = stepRounding(images.dtype);
  const sixth = r(1 / 6);
  const third = r(2 / 6);
  const twoThirds = r(4 / 6);
  const run = (start: number, end: number) => {
    for (let p = 3 * start; p < 3 * end; p += 3) {
      const R = x[p]!;
      const G = x[p + 1]!;
      const B = x[p + 2]!;
      const v = Math.max(R, G, B);
      const range = r(v - Math.min(R, G, B));
      const norm = r(r(1 / range) * sixth);
      let h: number;
      if (R === v) h = r(norm * r(G - B));
      else if (G === v) h = r(r(norm * r(B - R)) + third);
      else h = r(r(norm * r(R - G)) + twoThirds);
      if (!(range > 0)) h = 0;
      if (h < 0) h = r(h + 1);
      out[p] = h;
      out[p + 1] = v > 0 ? r(range / v) : 0;
      out[p + 2] = v;
    }
  };
  const pass = { n: images.numElements / 3, run, cost: 12 };
  return { passes: [...input.passes, pass, ...encoded.passes], result: encoded.result };
}

export const rgbToHsvConfig: KernelConfig = {
  op: {
    name: "RGBToHSV",
    inputs: ["images: T"],
    outputs: ["output: T"],
    attrs: ["T: {half, bfloat16, float, double} = DT_FLOAT"],
  },
  kernel: cpuKernel("RGBToHSV", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return { compute: (ctx) => computeJob(ctx, rgbToHsvJob(ctx.input(0))) };
  }),
};
