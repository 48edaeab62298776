// TF's ResizeBilinear on CPU (core/kernels/image/resize_bilinear_op.cc): each output pixel
// interpolates the four input pixels around its source coordinate, in float32, with TF's legacy
// or half-pixel-centre coordinates. Always produces float.

import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, doneJob, type ElementJob, runWhole } from "./util/element-slices.js";
import {
  f32,
  float32Pixels,
  getResizeAttrs,
  halfPixelScaler,
  legacyScaler,
  outputShape,
  type ResizeAttrs,
  resizeGeometry,
  type Scaler,
} from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";

/** Per output index: the two source indices and the weight of the upper one (TF's CachedInterpolation). */
export interface LinearTap {
  readonly lower: number;
  readonly upper: number;
  readonly lerp: number;
}

/** TF's compute_interpolation_weights for one axis. */
export function linearTaps(scaler: Scaler, outSize: number, inSize: number, scale: number): LinearTap[] {
  const taps: LinearTap[] = [];
  for (let i = 0; i < outSize; i++) {
    const at = scaler(i, scale);
    const fl = Math.floor(at);
    taps.push({ lower: Math.max(fl, 0), upper: Math.min(Math.ceil(at), inSize - 1), lerp: f32(at - fl) });
  }
  return taps;
}

/** TF's compute_lerp: along x on both rows, then along y, every step in float32. */
export function lerp2(tl: number, tr: number, bl: number, br: number, xl: number, yl: number): number {
  const top = f32(tl + f32(f32(tr - tl) * xl));
  const bottom = f32(bl + f32(f32(br - bl) * xl));
  return f32(top + f32(f32(bottom - top) * yl));
}

export function resizeBilinear(images: Tensor, size: Tensor, a: ResizeAttrs): Tensor {
  return runWhole(resizeBilinearJob(images, size, a));
}

/**
 * resizeBilinear as an ElementJob (util/element-slices.ts): the pixels converted to float32, then
 * each output value interpolated from its own index (the taps worked out once, up front).
 */
export function resizeBilinearJob(images: Tensor, size: Tensor, a: ResizeAttrs): ElementJob<Tensor> {
  const g = resizeGeometry(images, size, a);
  const out = Tensor.zeros(DataType.DT_FLOAT, outputShape(g));
  if (out.numElements === 0) return doneJob(out);
  const px = float32Pixels(images);
  const x = px.data;
  const o = out.data as Float32Array;
  // Same size: a plain cast, as TF short-cuts it.
  if (g.outHeight === g.inHeight && g.outWidth === g.inWidth) {
    const copy = (s: number, e: number) => o.set(x.subarray(s, e), s);
    return { passes: [...px.passes, { n: o.length, run: copy }], result: () => out };
  }
  const scaler = a.halfPixelCenters ? halfPixelScaler : legacyScaler;
  const ys = linearTaps(scaler, g.outHeight, g.inHeight, g.heightScale);
  const xs = linearTaps(scaler, g.outWidth, g.inWidth, g.widthScale);
  const c = g.channels;
  const row = g.inWidth * c;
  const run = (start: number, end: number) => {
    for (let k = start; k < end; k++) {
      // k = ((b·outHeight + oy)·outWidth + ox)·c + d
      const d = k % c;
      const p = (k - d) / c;
      const tx = xs[p % g.outWidth]!;
      const q = (p - (p % g.outWidth)) / g.outWidth;
      const ty = ys[q % g.outHeight]!;
      const base = ((q - (q % g.outHeight)) / g.outHeight) * g.inHeight * row;
      const top = base + ty.lower * row;
      const bottom = base + ty.upper * row;
      const l = tx.lower * c + d;
      const r = tx.upper * c + d;
      o[k] = lerp2(x[top + l]!, x[top + r]!, x[bottom + l]!, x[bottom + r]!, tx.lerp, ty.lerp);
    }
  };
  // Index arithmetic and seven float32 roundings: ~15 ns an element against ~2 for a plain loop.
  return { passes: [...px.passes, { n: o.length, run, cost: 8 }], result: () => out };
}

export const resizeBilinearConfig: KernelConfig = {
  op: {
    name: "ResizeBilinear",
    inputs: ["images: T", "size: int32"],
    outputs: ["resized_images: float"],
    attrs: [
      "T: {int8, uint8, int16, uint16, int32, int64, bfloat16, half, float, double, bfloat16}",
      "align_corners: bool = false",
      "half_pixel_centers: bool = false",
    ],
  },
  kernel: cpuKernel("ResizeBilinear", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const a = getResizeAttrs(c);
    return { compute: (ctx) => computeJob(ctx, resizeBilinearJob(ctx.input(0), ctx.input(1), a)) };
  }),
};
