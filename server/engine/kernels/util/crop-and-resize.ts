// What TF's CropAndResize kernels share (core/kernels/image/crop_and_resize_op.cc): the boxes /
// box_ind checks, the box-index range check, and where each crop sample lands in the image, in
// float32 as TF computes it.

import { invalidArgument, outOfRange } from "../../framework/errors.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import { f32 } from "./image-resize.js";

/** TF's ParseAndCheckBoxSizes: boxes [n, 4] and box_ind [n] (both empty is n = 0). */
export function numBoxes(boxes: Tensor, boxInd: Tensor): number {
  if (boxes.numElements === 0 && boxInd.numElements === 0) return 0;
  if (boxes.shape.length !== 2) throw invalidArgument(`boxes must be 2-D${shapeString(boxes.shape)}`);
  const n = boxes.shape[0]!;
  if (boxes.shape[1] !== 4) throw invalidArgument("boxes must have 4 columns");
  if (boxInd.shape.length !== 1) throw invalidArgument(`box_index must be 1-D${shapeString(boxInd.shape)}`);
  if (boxInd.shape[0] !== n) throw invalidArgument("box_index has incompatible shape");
  return n;
}

/** TF's RunIfBoxIndexIsValid: every box index within [0, batch). */
export function checkBoxIndices(boxInd: Tensor, batch: number): Int32Array {
  const idx = boxInd.data as Int32Array;
  for (const b of idx) {
    if (b < 0 || b >= batch) throw outOfRange("box_index has values outside [0, batch_size)");
  }
  return idx;
}

/** Where a box's crop samples fall along one axis: a sample's source coordinate, in float32. */
export interface BoxAxis {
  /** Source coordinate of sample i (may fall outside [0, size-1]: extrapolated). */
  at(i: number): number;
}

/**
 * One axis of a box from lo to hi (normalised) sampled `crop` times over an image axis of `size`
 * pixels: evenly from lo·(size-1) to hi·(size-1), or at the middle for a single sample.
 */
export function boxAxis(lo: number, hi: number, size: number, crop: number): BoxAxis {
  return axisWithScale(lo, hi, size, crop, f32(f32(f32(hi - lo) * (size - 1)) / (crop - 1)));
}

/**
 * The same axis as CropAndResizeGradBoxes computes it: the step is (hi-lo)·ratio with the ratio
 * (size-1)/(crop-1) rounded first, which can differ from the forward op's step in the last bit.
 */
export function boxAxisByRatio(lo: number, hi: number, size: number, crop: number, r: number): BoxAxis {
  return axisWithScale(lo, hi, size, crop, f32(f32(hi - lo) * r));
}

function axisWithScale(lo: number, hi: number, size: number, crop: number, scale: number): BoxAxis {
  if (crop > 1) {
    const start = f32(lo * (size - 1));
    return { at: (i) => f32(start + f32(i * scale)) };
  }
  // TF computes the middle in double: 0.5 * (lo + hi) * (size - 1).
  const mid = f32(0.5 * f32(lo + hi) * (size - 1));
  return { at: () => mid };
}

/** The image-gradient ratio TF's CropAndResizeGradBoxes uses: (size-1)/(crop-1), or 0. */
export function ratio(size: number, crop: number): number {
  return crop > 1 ? f32((size - 1) / (crop - 1)) : 0;
}

export const outside = (at: number, size: number): boolean => at < 0 || at > size - 1;

/** The four corners of box b: y1, x1, y2, x2. */
export function boxCorners(boxes: Float32Array, b: number): [number, number, number, number] {
  return [boxes[b * 4]!, boxes[b * 4 + 1]!, boxes[b * 4 + 2]!, boxes[b * 4 + 3]!];
}
