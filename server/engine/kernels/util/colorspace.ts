// What TF's colour kernels share (core/kernels/image/colorspace_op.cc and the adjust_* ops): the
// [..., 3] input check and per-dtype rounding of every arithmetic step (float32, double, or
// half/bfloat16 rounded after each operation as Eigen's scalar types do).

import { failedPrecondition, invalidArgument } from "../../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../../framework/float16.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { f32 } from "./image-resize.js";

/** The rounding one arithmetic step of `dtype` applies to its exact (double) result. */
export function stepRounding(dtype: DataType): (v: number) => number {
  if (dtype === DataType.DT_HALF) return (v) => halfToFloat(floatToHalf(v));
  if (dtype === DataType.DT_BFLOAT16) return (v) => bfloat16ToFloat(floatToBfloat16(v));
  if (dtype === DataType.DT_DOUBLE) return (v) => v;
  return f32;
}

/** RGBToHSV / HSVToRGB: at least 1-D with 3 channels last. */
export function checkColorInput(images: Tensor): void {
  const s = images.shape;
  if (s.length < 1) throw invalidArgument(`input must be at least 1D${shapeString(s)}`);
  const channels = s[s.length - 1]!;
  if (channels !== 3) {
    throw failedPrecondition(`input must have 3 channels but input only has ${channels} channels.`);
  }
}

/** AdjustSaturation / AdjustHue: at least 3-D, a scalar parameter, 3 channels last. */
export function checkAdjustInput(images: Tensor, param: Tensor, paramName: string): void {
  const s = images.shape;
  if (s.length < 3) throw invalidArgument(`input must be at least 3-D, got shape${shapeString(s)}`);
  if (param.shape.length !== 0)
    throw invalidArgument(`${paramName} must be scalar: ${shapeString(param.shape)}`);
  const channels = s[s.length - 1]!;
  if (channels !== 3)
    throw invalidArgument(`input must have 3 channels but instead has ${channels} channels.`);
}

/** C's static_cast<int> of a float on x86: truncation, and INT_MIN for NaN and out-of-range values. */
export function toInt32(v: number): number {
  return Number.isFinite(v) && Math.abs(v) < 2 ** 31 ? Math.trunc(v) : -(2 ** 31);
}
