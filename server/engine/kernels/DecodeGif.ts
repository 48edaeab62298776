// TF's DecodeGif (tf.io.decode_gif; core/kernels/image/decode_image_op.cc): the shared image
// decoding kernel (decode-image.ts) returning [frames, height, width, 3] (a PNG or JPEG as one
// frame).

import { decodeImage, decodeSettings } from "./util/decode-image.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const decodeGifConfig: KernelConfig = {
  op: {
    name: "DecodeGif",
    inputs: ["contents: string"],
    outputs: ["image: uint8"],
  },
  kernel: cpuKernel("DecodeGif", (c) => {
    const settings = decodeSettings("DecodeGif", c.attrs);
    return { compute: (ctx) => ctx.setOutput(0, decodeImage(settings, ctx.input(0))) };
  }),
};
