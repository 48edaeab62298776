// What TF's image resize kernels share (core/util/image_resizer_state.h): the attrs, the input
// checks in TF's order and wording, the float32 scale and the two pixel-centre conventions, and
// float32 views of pixels. TF computes every coordinate and weight in float32; `f32` rounds each
// step the way its C++ does, so results match bit for bit.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrBool } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { allocData, shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { decodedInput, type ElementPass } from "./element-slices.js";
import { numericData, readInts } from "./tensor-util.js";

export const f32 = Math.fround;

const INT32_MAX = 2 ** 31 - 1;

export interface ResizeAttrs {
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

/** align_corners and (unless the op has none, like ResizeArea) half_pixel_centers. */
export function getResizeAttrs(c: OpKernelConstruction, hasHalfPixelCenters = true): ResizeAttrs {
  return {
    alignCorners: getAttrBool(c.attrs, "align_corners"),
    halfPixelCenters: hasHalfPixelCenters ? getAttrBool(c.attrs, "half_pixel_centers") : false,
  };
}

/** TF's CalculateResizeScale: in/out, or (in-1)/(out-1) with align_corners, in float32. */
export function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : f32(inSize / outSize);
}

/** Source coordinate of output index x: x·scale (TF's LegacyScaler). */
export const legacyScaler = (x: number, scale: number): number => f32(x * scale);

/** Source coordinate of output index x with pixel centres at +0.5 (TF's HalfPixelScaler). */
export const halfPixelScaler = (x: number, scale: number): number => f32(f32(f32(x + 0.5) * scale) - 0.5);

export type Scaler = (x: number, scale: number) => number;

function checkHalfPixel(a: ResizeAttrs): void {
  if (a.halfPixelCenters && a.alignCorners) {
    throw invalidArgument("If half_pixel_centers is True, align_corners must be False.");
  }
}

/** A size input: int32 [2], checked with TF's messages. */
export function readSize(size: Tensor): [number, number] {
  if (size.shape.length !== 1)
    throw invalidArgument(`shape_t must be 1-dimensional${shapeString(size.shape)}`);
  if (size.numElements !== 2)
    throw invalidArgument(`shape_t must have two elements${shapeString(size.shape)}`);
  const [h, w] = readInts(size);
  return [h!, w!];
}

export interface ResizeGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly heightScale: number;
  readonly widthScale: number;
}

/** ImageResizerState::ValidateAndCalculateOutputSize: TF's checks, in TF's order. */
export function resizeGeometry(images: Tensor, size: Tensor, a: ResizeAttrs): ResizeGeometry {
  checkHalfPixel(a);
  const s = images.shape;
  if (s.length !== 4) throw invalidArgument(`input must be 4-dimensional${shapeString(s)}`);
  const [batch, inHeight, inWidth, channels] = s as [number, number, number, number];
  if (channels <= 0) throw invalidArgument("image must have at least one channel");
  if (inHeight <= 0 || inWidth <= 0) throw invalidArgument("input image must be of non-zero size");
  if (inHeight > INT32_MAX || inWidth > INT32_MAX) {
    throw invalidArgument("input sizes must be between 0 and max int32");
  }
  const [outHeight, outWidth] = readSize(size);
  if (outHeight <= 0 || outWidth <= 0) throw invalidArgument("output dimensions must be positive");
  const heightScale = resizeScale(inHeight, outHeight, a.alignCorners);
  const widthScale = resizeScale(inWidth, outWidth, a.alignCorners);
  if (Math.ceil(f32((outHeight - 1) * heightScale)) > 2 ** 63) {
    throw invalidArgument("input image height scale would cause an overflow");
  }
  if (Math.ceil(f32((outWidth - 1) * widthScale)) > 2 ** 31) {
    throw invalidArgument("input image width scale would cause an overflow");
  }
  return { batch, inHeight, inWidth, channels, outHeight, outWidth, heightScale, widthScale };
}

export const outputShape = (g: ResizeGeometry): number[] => [g.batch, g.outHeight, g.outWidth, g.channels];

export interface ResizeGradGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly resizedHeight: number;
  readonly resizedWidth: number;
  readonly originalHeight: number;
  readonly originalWidth: number;
  readonly heightScale: number;
  readonly widthScale: number;
}

/** ImageResizerGradientState: grads [b, rh, rw, c] (float) against original_image [b, oh, ow, ·]. */
export function resizeGradGeometry(grads: Tensor, original: Tensor, a: ResizeAttrs): ResizeGradGeometry {
  checkHalfPixel(a);
  const g = grads.shape;
  if (g.length !== 4) throw invalidArgument(`input_grad must be 4-dimensional${shapeString(g)}`);
  const [batch, resizedHeight, resizedWidth, channels] = g as [number, number, number, number];
  if (resizedHeight <= 0 || resizedWidth <= 0) throw invalidArgument("resized dimensions must be positive");
  const o = original.shape;
  if (o.length !== 4) throw invalidArgument(`original_image must be 4-dimensional${shapeString(o)}`);
  const originalHeight = o[1]!;
  const originalWidth = o[2]!;
  if (originalHeight <= 0 || originalWidth <= 0)
    throw invalidArgument("original dimensions must be positive");
  if (originalHeight > INT32_MAX || originalWidth > INT32_MAX) {
    throw invalidArgument("original sizes must be between 0 and max int32");
  }
  return {
    batch,
    channels,
    resizedHeight,
    resizedWidth,
    originalHeight,
    originalWidth,
    heightScale: resizeScale(originalHeight, resizedHeight, a.alignCorners),
    widthScale: resizeScale(originalWidth, resizedWidth, a.alignCorners),
  };
}

export const gradOutputShape = (g: ResizeGradGeometry): number[] => [
  g.batch,
  g.originalHeight,
  g.originalWidth,
  g.channels,
];

/**
 * A tensor's elements as float32 (TF's static_cast<float> of each pixel): a float tensor's own
 * storage (borrowed, do not write), otherwise a converted, budget-charged copy.
 */
export function pixelsAsFloat32(t: Tensor): Float32Array {
  const d = t.data;
  if (d instanceof Float32Array && t.dtype === DataType.DT_FLOAT) return d;
  const out = allocData(DataType.DT_FLOAT, t.numElements, t.shape) as Float32Array;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  } else {
    out.set(numericData(t));
  }
  return out;
}

/**
 * pixelsAsFloat32 with the conversion as a pass (util/element-slices.ts): the copy is allocated
 * (and charged) now, filled by the pass; a float tensor's own storage needs none.
 */
export function float32Pixels(t: Tensor): { data: Float32Array; passes: ElementPass[] } {
  const d = t.data;
  if (d instanceof Float32Array && t.dtype === DataType.DT_FLOAT) return { data: d, passes: [] };
  const out = allocData(DataType.DT_FLOAT, t.numElements, t.shape) as Float32Array;
  const decoded = decodedInput(t);
  const from = decoded.data as ArrayLike<number | bigint>;
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = Number(from[i]);
  };
  return { data: out, passes: [...decoded.passes, { n: t.numElements, run }] };
}

/** C's roundf: halves away from zero. */
export function roundHalfAway(v: number): number {
  return v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5);
}

/** C's lrintf in the default mode: halves to even. */
export function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const d = v - fl;
  if (d < 0.5) return fl;
  if (d > 0.5) return fl + 1;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** min(limit - 1, max(0, v)). */
export function bound(v: number, limit: number): number {
  return Math.min(limit - 1, Math.max(0, v));
}
