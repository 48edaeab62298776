// TF's ScaleAndTranslateGrad on CPU (core/kernels/image/scale_and_translate_op.cc, float only):
// the forward spans transposed, so each original pixel gathers the gradient of every output
// that read it, with the same weights.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  getScaleAndTranslateAttrs,
  readScale,
  rowAndColumn,
  type ScaleAndTranslateAttrs,
} from "./ScaleAndTranslate.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeSpans, gatherSpans, gradSpans } from "./util/sampling-kernels.js";

export function scaleAndTranslateGrad(
  grads: Tensor,
  original: Tensor,
  scale: Tensor,
  translation: Tensor,
  a: ScaleAndTranslateAttrs,
): Tensor {
  if (grads.shape.length !== 4)
    throw invalidArgument(`input_grad must be 4-dimensional${shapeString(grads.shape)}`);
  if (grads.dtype !== DataType.DT_FLOAT) {
    throw invalidArgument(`input_grad must be of type float${dataTypeString(grads.dtype)}`);
  }
  if (original.shape.length !== 4) {
    throw invalidArgument(`original_image must be 4-dimensional${shapeString(original.shape)}`);
  }
  const [batch, outHeight, outWidth, channels] = grads.shape as [number, number, number, number];
  const inHeight = original.shape[1]!;
  const inWidth = original.shape[2]!;
  if (inHeight > 2 ** 31 - 1 || inWidth > 2 ** 31 - 1) {
    throw invalidArgument("original sizes must be between 0 and max int32");
  }
  const out = Tensor.zeros(DataType.DT_FLOAT, [batch, inHeight, inWidth, channels]);
  const [rowScale, colScale] = readScale(scale);
  const [rowShift, colShift] = rowAndColumn(translation);
  if (out.numElements === 0) return out;
  const cols = gradSpans(
    computeSpans(a.kernel, outWidth, inWidth, colScale, colShift, a.antialias),
    outWidth,
    inWidth,
  );
  const rows = gradSpans(
    computeSpans(a.kernel, outHeight, inHeight, rowScale, rowShift, a.antialias),
    outHeight,
    inHeight,
  );
  const dy = grads.data as Float32Array;
  const o = out.data as Float32Array;
  const inPlane = outHeight * outWidth * channels;
  const outPlane = inHeight * inWidth * channels;
  for (let b = 0; b < batch; b++) {
    gatherSpans(rows, cols, dy, b * inPlane, outHeight, outWidth, channels, o, b * outPlane);
  }
  return out;
}

export const scaleAndTranslateGradConfig: KernelConfig = {
  op: {
    name: "ScaleAndTranslateGrad",
    inputs: ["grads: T", "original_image: T", "scale: float", "translation: float"],
    outputs: ["output: T"],
    attrs: ["T: {float}", "kernel_type: string = 'lanczos3'", "antialias: bool = true"],
  },
  kernel: cpuKernel("ScaleAndTranslateGrad", (c) => {
    checkTypeConstraint(c, "T", [T.float]);
    const a = getScaleAndTranslateAttrs(c);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, scaleAndTranslateGrad(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), a)),
    };
  }),
};
