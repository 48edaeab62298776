// TF's ResizeNearestNeighbor on CPU (core/kernels/image/resize_nearest_neighbor_op.cc): each output
// pixel copies the input pixel its source coordinate falls in (floor), or the nearest one
// (round) with align_corners. Keeps the dtype.

import { invalidArgument } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { computeJob, doneJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import {
  f32,
  getResizeAttrs,
  legacyScaler,
  outputShape,
  type ResizeAttrs,
  resizeGeometry,
  roundHalfAway,
} from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { storage } from "./util/tensor-util.js";

/**
 * TF's nearest-neighbour source index per output index (compute_indices). With half-pixel
 * centres the coordinate is (x+0.5)·scale, floored: TF leaves out the -0.5 the floor makes moot.
 */
export function nearestIndices(outSize: number, inSize: number, scale: number, a: ResizeAttrs): Int32Array {
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const at = a.halfPixelCenters ? f32(f32(i + 0.5) * scale) : legacyScaler(i, scale);
    let v = Math.min(a.alignCorners ? roundHalfAway(at) : Math.floor(at), inSize - 1);
    if (a.halfPixelCenters) v = Math.max(0, v);
    idx[i] = v;
  }
  return idx;
}

export function resizeNearestNeighbor(images: Tensor, size: Tensor, a: ResizeAttrs): Tensor {
  return runWhole(resizeNearestNeighborJob(images, size, a));
}

/** resizeNearestNeighbor as an ElementJob (util/element-slices.ts): each output value from its index. */
export function resizeNearestNeighborJob(images: Tensor, size: Tensor, a: ResizeAttrs): ElementJob<Tensor> {
  const g = resizeGeometry(images, size, a);
  if (g.inHeight >= 2 ** 24 || g.inWidth >= 2 ** 24) {
    throw invalidArgument("nearest neighbor requires max height & width of 2^24");
  }
  const out = Tensor.zeros(images.dtype, outputShape(g));
  if (out.numElements === 0) return doneJob(out);
  const ys = nearestIndices(g.outHeight, g.inHeight, g.heightScale, a);
  const xs = nearestIndices(g.outWidth, g.inWidth, g.widthScale, a);
  const src = storage(images);
  const dst = storage(out);
  const c = g.channels;
  const run = (start: number, end: number) => {
    for (let k = start; k < end; k++) {
      // k = ((b·outHeight + oy)·outWidth + ox)·c + d
      const d = k % c;
      const p = (k - d) / c;
      const ox = p % g.outWidth;
      const q = (p - ox) / g.outWidth;
      const oy = q % g.outHeight;
      const b = (q - oy) / g.outHeight;
      dst[k] = src[((b * g.inHeight + ys[oy]!) * g.inWidth + xs[ox]!) * c + d];
    }
  };
  return oneLoop(out.numElements, run, () => out, 4);
}

export const resizeNearestNeighborConfig: KernelConfig = {
  op: {
    name: "ResizeNearestNeighbor",
    inputs: ["images: T", "size: int32"],
    outputs: ["resized_images: T"],
    attrs: [
      "T: {int8, uint8, int16, uint16, int32, int64, half, float, double, bfloat16}",
      "align_corners: bool = false",
      "half_pixel_centers: bool = false",
    ],
  },
  kernel: cpuKernel("ResizeNearestNeighbor", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const a = getResizeAttrs(c);
    return { compute: (ctx) => computeJob(ctx, resizeNearestNeighborJob(ctx.input(0), ctx.input(1), a)) };
  }),
};
