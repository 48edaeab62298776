// TF's ResizeNearestNeighbor on CPU (core/kernels/image/resize_nearest_neighbor_op.cc): each output
// pixel copies the input pixel its source coordinate falls in (floor), or the nearest one
// (round) with align_corners. Keeps the dtype.

import { invalidArgument } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
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
  const g = resizeGeometry(images, size, a);
  if (g.inHeight >= 2 ** 24 || g.inWidth >= 2 ** 24) {
    throw invalidArgument("nearest neighbor requires max height & width of 2^24");
  }
  const out = Tensor.zeros(images.dtype, outputShape(g));
  if (out.numElements === 0) return out;
  const ys = nearestIndices(g.outHeight, g.inHeight, g.heightScale, a);
  const xs = nearestIndices(g.outWidth, g.inWidth, g.widthScale, a);
  const src = storage(images);
  const dst = storage(out);
  const c = g.channels;
  let k = 0;
  for (let b = 0; b < g.batch; b++) {
    for (const y of ys) {
      const rowStart = (b * g.inHeight + y) * g.inWidth;
      for (const x of xs) {
        const p = (rowStart + x) * c;
        for (let d = 0; d < c; d++) dst[k++] = src[p + d];
      }
    }
  }
  return out;
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
    return { compute: (ctx) => ctx.setOutput(0, resizeNearestNeighbor(ctx.input(0), ctx.input(1), a)) };
  }),
};
