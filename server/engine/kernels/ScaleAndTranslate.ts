// TF's ScaleAndTranslate on CPU (core/kernels/image/scale_and_translate_op.cc): resamples each
// image with a separable filter (lanczos, gaussian, box, triangle, Keys or Mitchell cubic) under
// output = input·scale + translation, widening the filter when downsampling with antialias. What
// tf.image.resize emits for antialias=True and the lanczos/gaussian/mitchellcubic methods.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrString } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { pixelsAsFloat32 } from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { computeSpans, gatherSpans, type SamplingKernel, samplingKernel } from "./util/sampling-kernels.js";
import { readInts } from "./util/tensor-util.js";

export interface ScaleAndTranslateAttrs {
  readonly kernel: SamplingKernel;
  readonly antialias: boolean;
}

export function getScaleAndTranslateAttrs(c: OpKernelConstruction): ScaleAndTranslateAttrs {
  return {
    antialias: getAttrBool(c.attrs, "antialias"),
    kernel: samplingKernel(getAttrString(c.attrs, "kernel_type")),
  };
}

/** TF's GetValues: a float [2] input (scale or translation) as (row, column). */
export function rowAndColumn(t: Tensor): [number, number] {
  if (t.shape.length !== 1) throw invalidArgument(`t must be 1-dimensional${shapeString(t.shape)}`);
  if (t.numElements !== 2) throw invalidArgument(`t must have two elements${shapeString(t.shape)}`);
  const d = t.data as Float32Array;
  return [d[0]!, d[1]!];
}

export function readScale(t: Tensor): [number, number] {
  const [row, col] = rowAndColumn(t);
  if (!(row > 0 && col > 0)) throw invalidArgument("Scale must be greater than zero.");
  return [row, col];
}

export function scaleAndTranslate(
  images: Tensor,
  size: Tensor,
  scale: Tensor,
  translation: Tensor,
  a: ScaleAndTranslateAttrs,
): Tensor {
  const s = images.shape;
  if (s.length !== 4) throw invalidArgument(`input must be 4-dimensional${shapeString(s)}`);
  if (size.shape.length !== 1)
    throw invalidArgument(`output_shape_t must be 1-dimensional${shapeString(size.shape)}`);
  if (size.numElements !== 2)
    throw invalidArgument(`output_shape_t must have two elements${shapeString(size.shape)}`);
  const [outHeight, outWidth] = readInts(size) as [number, number];
  const [batch, inHeight, inWidth, channels] = s as [number, number, number, number];
  if (inHeight > 2 ** 31 - 1 || inWidth > 2 ** 31 - 1) {
    throw invalidArgument("input sizes must be between 0 and max int32");
  }
  if (outHeight <= 0 || outWidth <= 0) throw invalidArgument("output dimensions must be positive");
  if (channels <= 0) throw invalidArgument("image must have at least one channel");
  if (inHeight <= 0 || inWidth <= 0) throw invalidArgument("input image must be of non-zero size");
  const [rowScale, colScale] = readScale(scale);
  const [rowShift, colShift] = rowAndColumn(translation);
  const out = Tensor.zeros(DataType.DT_FLOAT, [batch, outHeight, outWidth, channels]);
  if (out.numElements === 0) return out;
  const cols = computeSpans(a.kernel, outWidth, inWidth, colScale, colShift, a.antialias);
  const rows = computeSpans(a.kernel, outHeight, inHeight, rowScale, rowShift, a.antialias);
  const x = pixelsAsFloat32(images);
  const o = out.data as Float32Array;
  const inPlane = inHeight * inWidth * channels;
  const outPlane = outHeight * outWidth * channels;
  for (let b = 0; b < batch; b++) {
    gatherSpans(rows, cols, x, b * inPlane, inHeight, inWidth, channels, o, b * outPlane);
  }
  return out;
}

export const scaleAndTranslateConfig: KernelConfig = {
  op: {
    name: "ScaleAndTranslate",
    inputs: ["images: T", "size: int32", "scale: float", "translation: float"],
    outputs: ["resized_images: float"],
    attrs: [
      "T: {int8, uint8, int16, uint16, int32, int64, bfloat16, half, float, double}",
      "kernel_type: string = 'lanczos3'",
      "antialias: bool = true",
    ],
  },
  kernel: cpuKernel("ScaleAndTranslate", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const a = getScaleAndTranslateAttrs(c);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, scaleAndTranslate(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), a)),
    };
  }),
};
