// TF's ExtractJpegShape (core/kernels/image/extract_jpeg_shape_op.cc, tf.image.extract_jpeg_shape):
// [height, width, components] from a JPEG's frame header, without decoding it.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { jpegFrame } from "./util/jpeg-codec.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { intVector } from "./util/tensor-util.js";

export function extractJpegShape(contents: Tensor, dtype: DataType): Tensor {
  if (contents.rank !== 0)
    throw invalidArgument(`contents must be scalar, got shape ${shapeString(contents.shape)}`);
  const b = (contents.data as Uint8Array[])[0]!;
  const isJpeg = b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const frame = isJpeg ? jpegFrame(b) : undefined;
  if (frame === undefined) throw invalidArgument(`Invalid JPEG data, size ${b.length}`);
  return intVector(dtype, [frame.height, frame.width, frame.components]);
}

export const extractJpegShapeConfig: KernelConfig = {
  op: {
    name: "ExtractJpegShape",
    inputs: ["contents: string"],
    outputs: ["image_shape: output_type"],
    attrs: ["output_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("ExtractJpegShape", (c) => {
    const dtype = getAttrType(c.attrs, "output_type");
    return { compute: (ctx) => ctx.setOutput(0, extractJpegShape(ctx.input(0), dtype)) };
  }),
};
