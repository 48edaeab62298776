// TF's CropAndResizeGradBoxes on CPU (core/kernels/image/crop_and_resize_op.cc): the gradient of
// CropAndResize (bilinear) with respect to each box's corners y1, x1, y2, x2: the image's local
// slope at every sample, times the incoming gradient, times how the sample moves with the corner.
// float32 throughout, except the single-sample axis, which TF scales in double.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { getCropMethod } from "./CropAndResize.js";
import {
  boxAxisByRatio,
  boxCorners,
  checkBoxIndices,
  numBoxes,
  outside,
  ratio,
} from "./util/crop-and-resize.js";
import { f32, pixelsAsFloat32 } from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";

function checkShapes(grads: Tensor, image: Tensor, boxes: Tensor, boxInd: Tensor): number {
  if (grads.shape.length !== 4) throw invalidArgument(`grads image must be 4-D${shapeString(grads.shape)}`);
  const [, cropHeight, cropWidth, depth] = grads.shape as [number, number, number, number];
  if (cropHeight <= 0 || cropWidth <= 0) throw invalidArgument("grads dimensions must be positive");
  if (image.shape.length !== 4) throw invalidArgument(`input image must be 4-D${shapeString(image.shape)}`);
  if (image.shape[1]! <= 0 || image.shape[2]! <= 0)
    throw invalidArgument("image dimensions must be positive");
  if (image.shape[3] !== depth) throw invalidArgument("image, grads depth differ");
  const n = numBoxes(boxes, boxInd);
  if (grads.shape[0] !== n) throw invalidArgument("boxes and grads have incompatible shape");
  return n;
}

/** Adds to a float32 accumulator how one axis' sample moves with the box's start and end corner. */
function accumulate(
  acc: Float32Array,
  lo: number,
  hi: number,
  g: number,
  i: number,
  size: number,
  crop: number,
  r: number,
): void {
  if (crop > 1) {
    acc[lo] = f32(acc[lo]! + f32(g * f32(size - 1 - f32(i * r))));
    acc[hi] = f32(acc[hi]! + f32(g * f32(i * r)));
  } else {
    acc[lo] = acc[lo]! + g * 0.5 * (size - 1);
    acc[hi] = acc[hi]! + g * 0.5 * (size - 1);
  }
}

export function cropAndResizeGradBoxes(grads: Tensor, image: Tensor, boxes: Tensor, boxInd: Tensor): Tensor {
  const n = checkShapes(grads, image, boxes, boxInd);
  const [, cropHeight, cropWidth, depth] = grads.shape as [number, number, number, number];
  const [batch, height, width] = image.shape as [number, number, number, number];
  const out = Tensor.zeros(DataType.DT_FLOAT, [n, 4]);
  const idx = checkBoxIndices(boxInd, batch);
  // No gradient elements (e.g. depth 0): skip the crop-sized sample loops.
  if (grads.numElements === 0) return out;
  const acc = out.data as Float32Array;
  const bx = boxes.data as Float32Array;
  const dy = grads.data as Float32Array;
  const px = pixelsAsFloat32(image);
  const hr = ratio(height, cropHeight);
  const wr = ratio(width, cropWidth);
  const row = width * depth;
  for (let b = 0; b < n; b++) {
    const [y1, x1, y2, x2] = boxCorners(bx, b);
    const ys = boxAxisByRatio(y1, y2, height, cropHeight, hr);
    const xs = boxAxisByRatio(x1, x2, width, cropWidth, wr);
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
        const left = Math.floor(inX);
        const xl = f32(inX - left);
        const l = left * depth;
        const r = Math.ceil(inX) * depth;
        const g = ((b * cropHeight + y) * cropWidth + x) * depth;
        for (let d = 0; d < depth; d++) {
          const tl = px[t + l + d]!;
          const tr = px[t + r + d]!;
          const bl = px[bt + l + d]!;
          const br = px[bt + r + d]!;
          const top1 = dy[g + d]!;
          const gy = f32(f32(f32(f32(1 - xl) * f32(bl - tl)) + f32(xl * f32(br - tr))) * top1);
          const gx = f32(f32(f32(f32(1 - yl) * f32(tr - tl)) + f32(yl * f32(br - bl))) * top1);
          accumulate(acc, b * 4, b * 4 + 2, gy, y, height, cropHeight, hr);
          accumulate(acc, b * 4 + 1, b * 4 + 3, gx, x, width, cropWidth, wr);
        }
      }
    }
  }
  return out;
}

export const cropAndResizeGradBoxesConfig: KernelConfig = {
  op: {
    name: "CropAndResizeGradBoxes",
    inputs: ["grads: float", "image: T", "boxes: float", "box_ind: int32"],
    outputs: ["output: float"],
    attrs: [
      "T: {uint8, uint16, int8, int16, int32, int64, half, float, double}",
      "method: {'bilinear'} = 'bilinear'",
    ],
  },
  kernel: cpuKernel("CropAndResizeGradBoxes", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    getCropMethod(getAttrString(c.attrs, "method"), ["bilinear"]);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, cropAndResizeGradBoxes(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3))),
    };
  }),
};
