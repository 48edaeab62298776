// TF's EncodeJpegVariableQuality (core/kernels/image/encode_jpeg_op.cc,
// tf.image.adjust_jpeg_quality): EncodeJpeg with its default attrs and the quality a scalar input
// (jpeg-codec.ts; the same differences from libjpeg as EncodeJpeg).

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { encodeJpegOp } from "./EncodeJpeg.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export function encodeJpegVariableQuality(images: Tensor, quality: Tensor): Tensor {
  if (quality.rank !== 0) throw invalidArgument(`quality must be scalar: ${shapeString(quality.shape)}`);
  const q = (quality.data as Int32Array)[0]!;
  if (q < 0 || q > 100) throw invalidArgument(`quality must be in [0,100], got ${q}`);
  return encodeJpegOp(images, "", q);
}

export const encodeJpegVariableQualityConfig: KernelConfig = {
  op: {
    name: "EncodeJpegVariableQuality",
    inputs: ["images: uint8", "quality: int32"],
    outputs: ["contents: string"],
  },
  kernel: cpuKernel("EncodeJpegVariableQuality", () => ({
    compute: (ctx) => ctx.setOutput(0, encodeJpegVariableQuality(ctx.input(0), ctx.input(1))),
  })),
};
