// TF's EncodeJpeg (core/kernels/image/encode_jpeg_op.cc, tf.io.encode_jpeg): a [height, width, 1|3]
// uint8 image as a baseline JPEG at `quality`, through jpeg-js (jpeg-codec.ts). TF's attrs and
// errors are checked as TF checks them; the bytes are not libjpeg's: jpeg-js always writes three
// components without chroma subsampling (so a gray image decodes to three equal channels), and
// progressive, optimize_size, chroma_downsampling, the density and XMP metadata are not written.

import { internal, invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrString } from "../framework/op-def.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { encodeJpeg } from "./util/jpeg-codec.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export function encodeJpegOp(image: Tensor, format: string, quality: number): Tensor {
  if (image.rank !== 3) throw invalidArgument(`image must be 3-dimensional${shapeString(image.shape)}`);
  if (image.numElements >= 2 ** 31 - 1)
    throw invalidArgument(`image too large to encode: ${shapeString(image.shape)}`);
  const [height, width, channels] = image.shape as [number, number, number];
  if (format === "") {
    if (channels !== 1 && channels !== 3)
      throw invalidArgument(`image must have 1 or 3 channels, got ${shapeString(image.shape)}`);
  } else {
    const want = format === "grayscale" ? 1 : 3;
    if (channels !== want) {
      throw invalidArgument(`format ${format} expects ${want} channels, got ${shapeString(image.shape)}`);
    }
  }
  // libjpeg refuses an empty image.
  if (width === 0 || height === 0) throw internal("JPEG encoding failed");
  const jpeg = encodeJpeg(image.data as Uint8Array, width, height, channels, quality);
  return new Tensor(DataType.DT_STRING, [], [jpeg]);
}

export const encodeJpegConfig: KernelConfig = {
  op: {
    name: "EncodeJpeg",
    inputs: ["image: uint8"],
    outputs: ["contents: string"],
    attrs: [
      "format: {'', 'grayscale', 'rgb'} = ''",
      "quality: int = 95",
      "progressive: bool = false",
      "optimize_size: bool = false",
      "chroma_downsampling: bool = true",
      "density_unit: {'in', 'cm'} = 'in'",
      "x_density: int = 300",
      "y_density: int = 300",
      "xmp_metadata: string = ''",
    ],
  },
  kernel: cpuKernel("EncodeJpeg", (c) => {
    const format = getAttrString(c.attrs, "format");
    const quality = getAttrInt(c.attrs, "quality");
    if (quality < 0 || quality > 100) throw invalidArgument(`quality must be in [0,100], got ${quality}`);
    return { compute: (ctx) => ctx.setOutput(0, encodeJpegOp(ctx.input(0), format, quality)) };
  }),
};
