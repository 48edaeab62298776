// TF's CropAndResize on CPU (core/kernels/image/crop_and_resize_op.cc): samples a crop_size grid
// inside each box of an image of the batch, bilinearly or from the nearest pixel, in float32;
// samples outside the image get extrapolation_value. Always produces float.

import { invalidArgument } from "../framework/errors.js";
import { getAttrFloat, getAttrString } from "../framework/op-def.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { lerp2 } from "./ResizeBilinear.js";
import { boxAxis, boxCorners, checkBoxIndices, numBoxes, outside } from "./util/crop-and-resize.js";
import { f32, pixelsAsFloat32, roundHalfAway } from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export type CropMethod = "bilinear" | "nearest";

export function getCropMethod(method: string, allowed: readonly CropMethod[]): CropMethod {
  if (!(allowed as readonly string[]).includes(method)) {
    throw invalidArgument(`method must be ${allowed.map((m) => `'${m}'`).join(" or ")}${method}`);
  }
  return method as CropMethod;
}

function readCropSize(cropSize: Tensor): [number, number] {
  if (cropSize.shape.length !== 1)
    throw invalidArgument(`crop_size must be 1-D${shapeString(cropSize.shape)}`);
  if (cropSize.shape[0] !== 2)
    throw invalidArgument(`crop_size must have two elements${shapeString(cropSize.shape)}`);
  const [h, w] = readInts(cropSize);
  if (h! <= 0 || w! <= 0) throw invalidArgument("crop dimensions must be positive");
  return [h!, w!];
}

export function cropAndResize(
  image: Tensor,
  boxes: Tensor,
  boxInd: Tensor,
  cropSize: Tensor,
  method: CropMethod,
  extrapolation: number,
): Tensor {
  if (image.shape.length !== 4) throw invalidArgument(`input image must be 4-D${shapeString(image.shape)}`);
  const [batch, height, width, depth] = image.shape as [number, number, number, number];
  if (height <= 0 || width <= 0) throw invalidArgument("image dimensions must be positive");
  if (boxes.shape.length !== 2) throw invalidArgument(`boxes must be 2-D, got: ${shapeString(boxes.shape)}`);
  if (boxInd.shape.length !== 1) {
    throw invalidArgument(`box_indices must be rank 1 but is shape ${shapeString(boxInd.shape)}`);
  }
  const n = numBoxes(boxes, boxInd);
  const [cropHeight, cropWidth] = readCropSize(cropSize);
  const out = Tensor.zeros(DataType.DT_FLOAT, [n, cropHeight, cropWidth, depth]);
  const idx = checkBoxIndices(boxInd, batch);
  const bx = boxes.data as Float32Array;
  for (const v of bx) {
    if (!Number.isFinite(v)) throw invalidArgument("Boxes contains at least one element that is not finite");
  }
  // No output elements (e.g. depth 0): skip the crop_size-sized sample loops.
  if (out.numElements === 0) return out;
  const px = pixelsAsFloat32(image);
  const o = out.data as Float32Array;
  const fill = f32(extrapolation);
  const row = width * depth;
  let k = 0;
  for (let b = 0; b < n; b++) {
    const [y1, x1, y2, x2] = boxCorners(bx, b);
    const ys = boxAxis(y1, y2, height, cropHeight);
    const xs = boxAxis(x1, x2, width, cropWidth);
    const base = idx[b]! * height * row;
    for (let y = 0; y < cropHeight; y++) {
      const inY = ys.at(y);
      for (let x = 0; x < cropWidth; x++) {
        const inX = xs.at(x);
        if (outside(inY, height) || outside(inX, width)) {
          for (let d = 0; d < depth; d++) o[k++] = fill;
          continue;
        }
        if (method === "nearest") {
          const p = base + roundHalfAway(inY) * row + roundHalfAway(inX) * depth;
          for (let d = 0; d < depth; d++) o[k++] = px[p + d]!;
          continue;
        }
        const top = Math.floor(inY);
        const left = Math.floor(inX);
        const yl = f32(inY - top);
        const xl = f32(inX - left);
        const t = base + top * row;
        const bt = base + Math.ceil(inY) * row;
        const l = left * depth;
        const r = Math.ceil(inX) * depth;
        for (let d = 0; d < depth; d++) {
          o[k++] = lerp2(px[t + l + d]!, px[t + r + d]!, px[bt + l + d]!, px[bt + r + d]!, xl, yl);
        }
      }
    }
  }
  return out;
}

export const cropAndResizeConfig: KernelConfig = {
  op: {
    name: "CropAndResize",
    inputs: ["image: T", "boxes: float", "box_ind: int32", "crop_size: int32"],
    outputs: ["crops: float"],
    attrs: [
      "T: {uint8, uint16, int8, int16, int32, int64, half, float, double}",
      "method: {'bilinear', 'nearest'} = 'bilinear'",
      "extrapolation_value: float = 0",
    ],
  },
  kernel: cpuKernel("CropAndResize", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const method = getCropMethod(getAttrString(c.attrs, "method"), ["bilinear", "nearest"]);
    const extrapolation = getAttrFloat(c.attrs, "extrapolation_value");
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          cropAndResize(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), method, extrapolation),
        ),
    };
  }),
};
