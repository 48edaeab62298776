// TF's ResizeNearestNeighborGrad on CPU (core/kernels/image/resize_nearest_neighbor_op.cc): adds
// each incoming gradient pixel into the output pixel ResizeNearestNeighbor would have read it
// from, accumulating in the dtype (half and bfloat16 round after every add, integers wrap).

import { invalidArgument } from "../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../framework/float16.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { nearestIndices } from "./ResizeNearestNeighbor.js";
import { computeJob, decodedInput, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { getResizeAttrs, type ResizeAttrs, readSize, resizeScale } from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

/** Rounds a float32 sum to the precision the dtype keeps between adds (Eigen's half += half). */
function rounding(dtype: DataType): ((v: number) => number) | undefined {
  if (dtype === DataType.DT_HALF) return (v) => halfToFloat(floatToHalf(v));
  if (dtype === DataType.DT_BFLOAT16) return (v) => bfloat16ToFloat(floatToBfloat16(v));
  return undefined;
}

export function resizeNearestNeighborGrad(grads: Tensor, size: Tensor, a: ResizeAttrs): Tensor {
  return runWhole(resizeNearestNeighborGradJob(grads, size, a));
}

/**
 * resizeNearestNeighborGrad as an ElementJob (util/element-slices.ts): half/bfloat16 decoded, the
 * gradient added in row-major order over ranges (each sum takes its terms as in one run), encoded.
 */
export function resizeNearestNeighborGradJob(
  grads: Tensor,
  size: Tensor,
  a: ResizeAttrs,
): ElementJob<Tensor> {
  const s = grads.shape;
  if (s.length !== 4) throw invalidArgument(`input must be 4-dimensional${shapeString(s)}`);
  const [outHeight, outWidth] = readSize(size);
  if (outHeight <= 0 || outWidth <= 0) throw invalidArgument("shape_t's elements must be positive");
  const [batch, inHeight, inWidth, c] = s as [number, number, number, number];
  const shape = [batch, outHeight, outWidth, c];
  const n = batch * outHeight * outWidth * c;
  const out = computeBuffer(grads.dtype, n, shape) as NumericArray;
  const encoded = encodedOutput(grads.dtype, shape, out);
  // An empty output or gradient: nothing to add, and no index tables to build.
  if (n === 0 || grads.numElements === 0) return encoded;
  // The forward direction's scales, from the output (original) size to the gradient's.
  const ys = nearestIndices(inHeight, outHeight, resizeScale(outHeight, inHeight, a.alignCorners), a);
  const xs = nearestIndices(inWidth, outWidth, resizeScale(outWidth, inWidth, a.alignCorners), a);
  const dy = decodedInput(grads);
  const round = rounding(grads.dtype);
  const run = (start: number, end: number) => {
    for (let k = start; k < end; k++) {
      // k = ((b·inHeight + y)·inWidth + x)·c + d
      const d = k % c;
      const p = (k - d) / c;
      const x = p % inWidth;
      const q = (p - x) / inWidth;
      const y = q % inHeight;
      const b = (q - y) / inHeight;
      const o = ((b * outHeight + ys[y]!) * outWidth + xs[x]!) * c + d;
      const v = out[o]! + (dy.data[k] as number);
      out[o] = round ? round(v) : v;
    }
  };
  const passes = [...dy.passes, { n: grads.numElements, run, cost: 4 }, ...encoded.passes];
  return { passes, result: encoded.result };
}

export const resizeNearestNeighborGradConfig: KernelConfig = {
  op: {
    name: "ResizeNearestNeighborGrad",
    inputs: ["grads: T", "size: int32"],
    outputs: ["output: T"],
    attrs: [
      "T: {uint8, int8, int32, half, float, double, bfloat16}",
      "align_corners: bool = false",
      "half_pixel_centers: bool = false",
    ],
  },
  kernel: cpuKernel("ResizeNearestNeighborGrad", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const a = getResizeAttrs(c);
    return { compute: (ctx) => computeJob(ctx, resizeNearestNeighborGradJob(ctx.input(0), ctx.input(1), a)) };
  }),
};
