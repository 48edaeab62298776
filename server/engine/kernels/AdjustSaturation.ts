// TF's AdjustSaturation on CPU (core/kernels/image/adjust_saturation_op.cc, float only): per
// pixel to HSV, S scaled and clamped to [0, 1], back to RGB, with TF's own scalar float32
// conversions (not RGBToHSV's).

import { Tensor } from "../framework/tensor.js";
import { checkAdjustInput, toInt32 } from "./util/colorspace.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { f32 } from "./util/image-resize.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

/** TF's internal rgb_to_hsv of the saturation kernel: [h, s, v]. */
function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const v = Math.max(r, g, b);
  const range = f32(v - Math.min(r, g, b));
  const s = v > 0 ? f32(range / v) : 0;
  const norm = f32(1 / f32(6 * range));
  let h: number;
  // The 2/6 and 4/6 are double constants: the sum is rounded once.
  if (r === v) h = f32(norm * f32(g - b));
  else if (g === v) h = f32(f32(norm * f32(b - r)) + 2 / 6);
  else h = f32(f32(norm * f32(r - g)) + 4 / 6);
  if (range <= 0) h = 0;
  if (h < 0) h = f32(h + 1);
  return [h, s, v];
}

/** TF's internal hsv_to_rgb (Wikipedia's chroma form). */
function hsvToRgb(h: number, s: number, v: number, out: Float32Array, at: number): void {
  const c = f32(s * v);
  const m = f32(v - c);
  const dh = f32(h * 6);
  let fmodu = dh;
  // h comes from rgbToHsv, so these loops run at most a few times.
  while (fmodu <= 0) fmodu = f32(fmodu + 2);
  while (fmodu >= 2) fmodu = f32(fmodu - 2);
  const x = f32(c * f32(1 - Math.abs(f32(fmodu - 1))));
  const rgb: Record<number, [number, number, number]> = {
    0: [c, x, 0],
    1: [x, c, 0],
    2: [0, c, x],
    3: [0, x, c],
    4: [x, 0, c],
    5: [c, 0, x],
  };
  const [rr, gg, bb] = rgb[toInt32(dh)] ?? [0, 0, 0];
  out[at] = f32(rr + m);
  out[at + 1] = f32(gg + m);
  out[at + 2] = f32(bb + m);
}

export function adjustSaturation(images: Tensor, scale: Tensor): Tensor {
  return runWhole(adjustSaturationJob(images, scale));
}

/** adjustSaturation as an ElementJob (util/element-slices.ts): one pass over the pixels. */
export function adjustSaturationJob(images: Tensor, scale: Tensor): ElementJob<Tensor> {
  checkAdjustInput(images, scale, "scale");
  const out = Tensor.zeros(images.dtype, images.shape);
  const x = images.data as Float32Array;
  const o = out.data as Float32Array;
  const k = (scale.data as Float32Array)[0]!;
  const run = (start: number, end: number) => {
    for (let p = 3 * start; p < 3 * end; p += 3) {
      const [h, s, v] = rgbToHsv(x[p]!, x[p + 1]!, x[p + 2]!);
      hsvToRgb(h, Math.min(1, Math.max(0, f32(s * k))), v, o, p);
    }
  };
  return oneLoop(x.length / 3, run, () => out, 24);
}

export const adjustSaturationConfig: KernelConfig = {
  op: {
    name: "AdjustSaturation",
    inputs: ["images: T", "scale: float"],
    outputs: ["output: T"],
    attrs: ["T: {half, float} = DT_FLOAT"],
  },
  kernel: cpuKernel("AdjustSaturation", (c) => {
    checkTypeConstraint(c, "T", [T.float]);
    return { compute: (ctx) => computeJob(ctx, adjustSaturationJob(ctx.input(0), ctx.input(1))) };
  }),
};
