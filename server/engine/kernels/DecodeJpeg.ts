// TF's DecodeJpeg (tf.io.decode_jpeg; core/kernels/image/decode_image_op.cc): the shared image decoding kernel
// (decode-image.ts) with this op's attrs.

import { decodeImage, decodeSettings } from "./util/decode-image.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const decodeJpegConfig: KernelConfig = {
  op: {
    name: "DecodeJpeg",
    inputs: ["contents: string"],
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
  kernel: cpuKernel("DecodeJpeg", (c) => {
    const settings = decodeSettings("DecodeJpeg", c.attrs);
    return { compute: (ctx) => ctx.setOutput(0, decodeImage(settings, ctx.input(0))) };
  }),
};
