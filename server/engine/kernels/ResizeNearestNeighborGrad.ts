// TF's ResizeNearestNeighborGrad on CPU (core/kernels/image/resize_nearest_neighbor_op.cc): adds
// each incoming gradient pixel into the output pixel ResizeNearestNeighbor would have read it
// from, accumulating in the dtype (half and bfloat16 round after every add, integers wrap).

import { invalidArgument } from "../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../framework/float16.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { nearestIndices } from "./ResizeNearestNeighbor.js";
import { getResizeAttrs, type ResizeAttrs, readSize, resizeScale } from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

/** Rounds a float32 sum to the precision the dtype keeps between adds (Eigen's half += half). */
function rounding(dtype: DataType): ((v: number) => number) | undefined {
  if (dtype === DataType.DT_HALF) return (v) => halfToFloat(floatToHalf(v));
  if (dtype === DataType.DT_BFLOAT16) return (v) => bfloat16ToFloat(floatToBfloat16(v));
  return undefined;
}

export function resizeNearestNeighborGrad(grads: Tensor, size: Tensor, a: ResizeAttrs): Tensor {
  const s = grads.shape;
  if (s.length !== 4) throw invalidArgument(`input must be 4-dimensional${shapeString(s)}`);
  const [outHeight, outWidth] = readSize(size);
  if (outHeight <= 0 || outWidth <= 0) throw invalidArgument("shape_t's elements must be positive");
  const [batch, inHeight, inWidth, c] = s as [number, number, number, number];
  const shape = [batch, outHeight, outWidth, c];
  const n = batch * outHeight * outWidth * c;
  const out = computeBuffer(grads.dtype, n, shape) as NumericArray;
  // An empty output or gradient: nothing to add, and no index tables to build.
  if (n === 0 || grads.numElements === 0) return finish(grads.dtype, shape, out);
  // The forward direction's scales, from the output (original) size to the gradient's.
  const ys = nearestIndices(inHeight, outHeight, resizeScale(outHeight, inHeight, a.alignCorners), a);
  const xs = nearestIndices(inWidth, outWidth, resizeScale(outWidth, inWidth, a.alignCorners), a);
  const dy = numericData(grads);
  const round = rounding(grads.dtype);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (const y of ys) {
      const rowStart = (b * outHeight + y) * outWidth;
      for (const x of xs) {
        const p = (rowStart + x) * c;
        for (let d = 0; d < c; d++) {
          const v = out[p + d]! + dy[k++]!;
          out[p + d] = round ? round(v) : v;
        }
      }
    }
  }
  return finish(grads.dtype, shape, out);
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
    return { compute: (ctx) => ctx.setOutput(0, resizeNearestNeighborGrad(ctx.input(0), ctx.input(1), a)) };
  }),
};
