// TF's AdjustHue on CPU (core/kernels/image/adjust_hue_op.cc, float only): per pixel the hue as
// a position in [0, 6) between the min and max channel, shifted by 6·delta, wrapped, and mapped
// back with the same min and max, in float32.

import { Tensor } from "../framework/tensor.js";
import { checkAdjustInput, toInt32 } from "./util/colorspace.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { f32 } from "./util/image-resize.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

/** TF's rgb_to_hv_range: [h in [0, 6], v_min, v_max]. */
function rgbToHvRange(r: number, g: number, b: number): [number, number, number] {
  let max: number;
  let mid: number;
  let min: number;
  let category: number;
  if (r < g) {
    if (b < r) [max, mid, min, category] = [g, r, b, 1];
    else if (b > g) [max, mid, min, category] = [b, g, r, 3];
    else [max, mid, min, category] = [g, b, r, 2];
  } else if (b < g) [max, mid, min, category] = [r, g, b, 0];
  else if (b > r) [max, mid, min, category] = [b, r, g, 4];
  else [max, mid, min, category] = [r, b, g, 5];
  if (max === min) return [0, min, max];
  const ratio = f32(f32(mid - min) / f32(max - min));
  return [f32(category + (category % 2 === 0 ? ratio : f32(1 - ratio))), min, max];
}

/** TF's hv_range_to_rgb. */
function hvRangeToRgb(h: number, min: number, max: number, out: Float32Array, at: number): void {
  const category = toInt32(h);
  let ratio = f32(h - category);
  if ((category & 1) !== 0) ratio = f32(1 - ratio);
  const mid = f32(min + f32(ratio * f32(max - min)));
  const rgb: Record<number, [number, number, number]> = {
    0: [max, mid, min],
    1: [mid, max, min],
    2: [min, max, mid],
    3: [min, mid, max],
    4: [mid, min, max],
  };
  const [r, g, b] = rgb[category] ?? [max, min, mid];
  out[at] = r;
  out[at + 1] = g;
  out[at + 2] = b;
}

/**
 * Brings h into [0, 6) the way TF does, by repeated ±6 in float32 (up to a thousand steps). TF
 * keeps looping for larger shifts, forever once 6 no longer changes h; past a thousand steps the
 * remainder is taken directly instead, so a huge delta costs no time (and may differ from TF in
 * the last bits, where TF would take seconds or hang).
 */
function wrapHue(h: number): number {
  if (!Number.isFinite(h)) return h;
  if (Math.abs(h) >= 6000) return f32(((h % 6) + 6) % 6);
  let v = h;
  while (v < 0) v = f32(v + 6);
  while (v >= 6) v = f32(v - 6);
  return v;
}

export function adjustHue(images: Tensor, delta: Tensor): Tensor {
  return runWhole(adjustHueJob(images, delta));
}

/** adjustHue as an ElementJob (util/element-slices.ts): one pass over the pixels. */
export function adjustHueJob(images: Tensor, delta: Tensor): ElementJob<Tensor> {
  checkAdjustInput(images, delta, "delta");
  const out = Tensor.zeros(images.dtype, images.shape);
  const x = images.data as Float32Array;
  const o = out.data as Float32Array;
  const shift = f32((delta.data as Float32Array)[0]! * 6);
  const run = (start: number, end: number) => {
    for (let p = 3 * start; p < 3 * end; p += 3) {
      const [h, min, max] = rgbToHvRange(x[p]!, x[p + 1]!, x[p + 2]!);
      hvRangeToRgb(wrapHue(f32(h + shift)), min, max, o, p);
    }
  };
  return oneLoop(x.length / 3, run, () => out, 24);
}

export const adjustHueConfig: KernelConfig = {
  op: {
    name: "AdjustHue",
    inputs: ["images: T", "delta: float"],
    outputs: ["output: T"],
    attrs: ["T: {half, float} = DT_FLOAT"],
  },
  kernel: cpuKernel("AdjustHue", (c) => {
    checkTypeConstraint(c, "T", [T.float]);
    return { compute: (ctx) => computeJob(ctx, adjustHueJob(ctx.input(0), ctx.input(1))) };
  }),
};
