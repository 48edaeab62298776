// TF's ResizeBicubicGrad on CPU (core/kernels/image/resize_bicubic_op.cc): spreads each incoming
// gradient pixel over the 4×4 source pixels ResizeBicubic read, with the same weights. float
// accumulates in float32; double multiplies and accumulates in double.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cubicTaps } from "./ResizeBicubic.js";
import { checkFloatGrads } from "./ResizeBilinearGrad.js";
import {
  f32,
  getResizeAttrs,
  gradOutputShape,
  type ResizeAttrs,
  resizeGradGeometry,
} from "./util/image-resize.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish } from "./util/tensor-util.js";

export function resizeBicubicGrad(grads: Tensor, original: Tensor, a: ResizeAttrs): Tensor {
  const g = resizeGradGeometry(grads, original, a);
  const shape = gradOutputShape(g);
  const dy = checkFloatGrads(grads);
  const n = shape.reduce((p, d) => p * d, 1);
  const out = computeBuffer(original.dtype, n, shape) as Float32Array | Float64Array;
  // No gradient elements (a zero dimension): nothing to spread, and no per-row tables to build.
  if (dy.length === 0) return finish(original.dtype, shape, out);
  const round = original.dtype === DataType.DT_DOUBLE ? (v: number) => v : f32;
  const hp = a.halfPixelCenters;
  const xs = Array.from({ length: g.resizedWidth }, (_, i) =>
    cubicTaps(g.widthScale, i, g.originalWidth, hp),
  );
  const c = g.channels;
  const row = g.originalWidth * c;
  let k = 0;
  for (let b = 0; b < g.batch; b++) {
    const base = b * g.originalHeight * row;
    for (let y = 0; y < g.resizedHeight; y++) {
      const ty = cubicTaps(g.heightScale, y, g.originalHeight, hp);
      for (const tx of xs) {
        for (let d = 0; d < c; d++) {
          const v = dy[k++]!;
          for (let i = 0; i < 4; i++) {
            const r = base + ty.index[i]! * row + d;
            const vy = round(v * ty.weight[i]!);
            for (let j = 0; j < 4; j++) out[r + tx.index[j]! * c] += round(vy * tx.weight[j]!);
          }
        }
      }
    }
  }
  return finish(original.dtype, shape, out);
}

export const resizeBicubicGradConfig: KernelConfig = {
  op: {
    name: "ResizeBicubicGrad",
    inputs: ["grads: float", "original_image: T"],
    outputs: ["output: T"],
    attrs: ["T: {float, double}", "align_corners: bool = false", "half_pixel_centers: bool = false"],
  },
  kernel: cpuKernel("ResizeBicubicGrad", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    const a = getResizeAttrs(c);
    return { compute: (ctx) => ctx.setOutput(0, resizeBicubicGrad(ctx.input(0), ctx.input(1), a)) };
  }),
};
