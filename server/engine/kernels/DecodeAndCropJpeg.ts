// TF's DecodeAndCropJpeg (tf.image.decode_and_crop_jpeg; core/kernels/image/decode_image_op.cc):
// the shared image decoding kernel (decode-image.ts) with DecodeJpeg's attrs and a crop window
// [y, x, height, width] that must lie inside the image. The image is decoded whole and cropped.

import { decodeImage, decodeSettings } from "./util/decode-image.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const decodeAndCropJpegConfig: KernelConfig = {
  op: {
    name: "DecodeAndCropJpeg",
    inputs: ["contents: string", "crop_window: int32"],
    outputs: ["image: uint8"],
    attrs: [
      "channels: int = 0",
      "ratio: int = 1",
      "fancy_upscaling: bool = true",
      "try_recover_truncated: bool = false",
      "acceptable_fraction: float = 1",
      "dct_method: string = ''",
    ],
  },
  kernel: cpuKernel("DecodeAndCropJpeg", (c) => {
    const settings = decodeSettings("DecodeAndCropJpeg", c.attrs);
    return { compute: (ctx) => ctx.setOutput(0, decodeImage(settings, ctx.input(0), ctx.input(1))) };
  }),
};
