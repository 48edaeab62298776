// TF's ResizeArea on CPU (core/kernels/image/resize_area_op.cc): each output pixel is the
// area-weighted mean of the input pixels its footprint covers (partly covered pixels count by the
// covered fraction), in float32. Always produces float; no half-pixel option.

import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  bound,
  f32,
  getResizeAttrs,
  outputShape,
  pixelsAsFloat32,
  type ResizeAttrs,
  resizeGeometry,
} from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";

/** The covered fraction of source cell v by the footprint [lo, hi) (cells are 1 wide). */
function coverage(v: number, lo: number, hi: number, scale: number): number {
  if (v < lo) return v + 1 > hi ? scale : f32(v + 1 - lo);
  return v + 1 > hi ? f32(hi - v) : 1;
}

/** One output column's footprint: first and past-last source cells and the edge fractions. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly startScale: number;
  readonly lastScale: number;
}

function span(x: number, scale: number): Span {
  const lo = f32(x * scale);
  const hi = f32((x + 1) * scale);
  const start = Math.floor(lo);
  const end = Math.ceil(hi);
  return {
    start,
    end,
    startScale: coverage(start, lo, hi, scale),
    lastScale: coverage(end - 1, lo, hi, scale),
  };
}

export function resizeArea(images: Tensor, size: Tensor, a: ResizeAttrs): Tensor {
  const g = resizeGeometry(images, size, { alignCorners: a.alignCorners, halfPixelCenters: false });
  const out = Tensor.zeros(DataType.DT_FLOAT, outputShape(g));
  if (out.numElements === 0) return out;
  const px = pixelsAsFloat32(images);
  const o = out.data as Float32Array;
  const xs = Array.from({ length: g.outWidth }, (_, x) => span(x, g.widthScale));
  // 1 / (area of one output pixel in source cells), divided in double as TF does.
  const scale = f32(1 / f32(g.heightScale * g.widthScale));
  const c = g.channels;
  const row = g.inWidth * c;
  let k = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let y = 0; y < g.outHeight; y++) {
      const lo = f32(y * g.heightScale);
      const hi = f32((y + 1) * g.heightScale);
      const rows: number[] = [];
      const yScales: number[] = [];
      for (let i = Math.floor(lo); i < Math.ceil(hi); i++) {
        yScales.push(coverage(i, lo, hi, g.heightScale));
        rows.push((b * g.inHeight + bound(i, g.inHeight)) * row);
      }
      for (const s of xs) {
        const first = bound(s.start, g.inWidth) * c;
        const last = bound(s.end - 1, g.inWidth) * c;
        for (let d = 0; d < c; d++) {
          let sum = 0;
          for (let i = 0; i < rows.length; i++) {
            const r = rows[i]! + d;
            let sumY = f32(px[r + first]! * s.startScale);
            if (s.start + 1 !== s.end) {
              for (let xi = s.start + 1; xi < s.end - 1; xi++)
                sumY = f32(sumY + px[r + bound(xi, g.inWidth) * c]!);
              sumY = f32(sumY + f32(px[r + last]! * s.lastScale));
            }
            sum = f32(sum + f32(sumY * yScales[i]!));
          }
          o[k++] = f32(sum * scale);
        }
      }
    }
  }
  return out;
}

export const resizeAreaConfig: KernelConfig = {
  op: {
    name: "ResizeArea",
    inputs: ["images: T", "size: int32"],
    outputs: ["resized_images: float"],
    attrs: [
      "T: {int8, uint8, int16, uint16, int32, int64, half, float, double, bfloat16}",
      "align_corners: bool = false",
    ],
  },
  kernel: cpuKernel("ResizeArea", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const a = getResizeAttrs(c, false);
    return { compute: (ctx) => ctx.setOutput(0, resizeArea(ctx.input(0), ctx.input(1), a)) };
  }),
};
