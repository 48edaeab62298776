// TF's CropAndResizeGradImage on CPU (core/kernels/image/crop_and_resize_op.cc): spreads each
// crop gradient over the image pixels CropAndResize read (bilinear weights, or the nearest
// pixel); samples that were extrapolated get nothing. Products in float32, sums in the dtype.

import { invalidArgument } from "../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../framework/float16.js";
import { getAttrString } from "../framework/op-def.js";
import { numElements, shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type CropMethod, getCropMethod } from "./CropAndResize.js";
import { boxAxis, boxCorners, checkBoxIndices, numBoxes, outside } from "./util/crop-and-resize.js";
import { f32, roundHalfAway } from "./util/image-resize.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, readInts } from "./util/tensor-util.js";

/** x as the dtype holds it (static_cast<T> of a float32). */
function castTo(dtype: DataType): (v: number) => number {
  if (dtype === DataType.DT_HALF) return (v) => halfToFloat(floatToHalf(v));
  if (dtype === DataType.DT_BFLOAT16) return (v) => bfloat16ToFloat(floatToBfloat16(v));
  if (dtype === DataType.DT_FLOAT) return f32;
  return (v) => v;
}

function readImageSize(imageSize: Tensor): [number, number, number, number] {
  if (imageSize.shape.length !== 1)
    throw invalidArgument(`image_size must be 1-D${shapeString(imageSize.shape)}`);
  if (imageSize.shape[0] !== 4) {
    throw invalidArgument(`image_size must have 4 elements${shapeString(imageSize.shape)}`);
  }
  const [b, h, w, d] = readInts(imageSize);
  return [b!, h!, w!, d!];
}

export function cropAndResizeGradImage(
  grads: Tensor,
  boxes: Tensor,
  boxInd: Tensor,
  imageSize: Tensor,
  dtype: DataType,
  method: CropMethod,
): Tensor {
  if (grads.shape.length !== 4) throw invalidArgument(`grads image must be 4-D${shapeString(grads.shape)}`);
  const [, cropHeight, cropWidth, gradDepth] = grads.shape as [number, number, number, number];
  if (cropHeight <= 0 || cropWidth <= 0) throw invalidArgument("grads dimensions must be positive");
  const n = numBoxes(boxes, boxInd);
  if (grads.shape[0] !== n) throw invalidArgument("boxes and grads have incompatible shape");
  const [batch, height, width, depth] = readImageSize(imageSize);
  if (height <= 0 || width <= 0) throw invalidArgument("image dimensions must be positive");
  if (gradDepth !== depth) throw invalidArgument("image_size and grads are incompatible");
  const shape = [batch, height, width, depth];
  const out = computeBuffer(dtype, numElements(shape), shape) as Float32Array | Float64Array;
  const idx = checkBoxIndices(boxInd, batch);
  // No gradient elements (e.g. depth 0): skip the crop-sized sample loops.
  if (grads.numElements === 0) return finish(dtype, shape, out);
  const bx = boxes.data as Float32Array;
  const dy = grads.data as Float32Array;
  // Half and bfloat16 sums round to the dtype after every add, as Eigen's half += does.
  const cast = castTo(dtype);
  const add = (i: number, v: number) => {
    out[i] = cast(out[i]! + cast(v));
  };
  const row = width * depth;
  for (let b = 0; b < n; b++) {
    const [y1, x1, y2, x2] = boxCorners(bx, b);
    const ys = boxAxis(y1, y2, height, cropHeight);
    const xs = boxAxis(x1, x2, width, cropWidth);
    const base = idx[b]! * height * row;
    for (let y = 0; y < cropHeight; y++) {
      const inY = ys.at(y);
      if (outside(inY, height)) continue;
      const top = Math.floor(inY);
      const yl = f32(inY - top);
      const t = base + top * row;
      const bt = base + Math.ceil(inY) * row;
      for (let x = 0; x < cropWidth; x++) {
        const inX = xs.at(x);
        if (outside(inX, width)) continue;
        const g = ((b * cropHeight + y) * cropWidth + x) * depth;
        if (method === "nearest") {
          const p = base + roundHalfAway(inY) * row + roundHalfAway(inX) * depth;
          for (let d = 0; d < depth; d++) add(p + d, dy[g + d]!);
          continue;
        }
        const left = Math.floor(inX);
        const xl = f32(inX - left);
        const l = left * depth;
        const r = Math.ceil(inX) * depth;
        for (let d = 0; d < depth; d++) {
          const dtop = f32(f32(1 - yl) * dy[g + d]!);
          add(t + l + d, f32(f32(1 - xl) * dtop));
          add(t + r + d, f32(xl * dtop));
          const dbottom = f32(yl * dy[g + d]!);
          add(bt + l + d, f32(f32(1 - xl) * dbottom));
          add(bt + r + d, f32(xl * dbottom));
        }
      }
    }
  }
  return finish(dtype, shape, out);
}

export const cropAndResizeGradImageConfig: KernelConfig = {
  op: {
    name: "CropAndResizeGradImage",
    inputs: ["grads: float", "boxes: float", "box_ind: int32", "image_size: int32"],
    outputs: ["output: T"],
    attrs: ["T: {float, half, double}", "method: {'bilinear', 'nearest'} = 'bilinear'"],
  },
  kernel: cpuKernel("CropAndResizeGradImage", (c) => {
    const dtype = checkTypeConstraint(c, "T", [T.half, T.float, T.double]);
    const method = getCropMethod(getAttrString(c.attrs, "method"), ["bilinear", "nearest"]);
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          cropAndResizeGradImage(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), dtype, method),
        ),
    };
  }),
};
