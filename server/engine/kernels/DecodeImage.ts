// TF's DecodeImage (tf.io.decode_image; core/kernels/image/decode_image_op.cc): the shared image decoding kernel
// (decode-image.ts) with this op's attrs.

import { decodeImage, decodeSettings } from "./util/decode-image.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const decodeImageConfig: KernelConfig = {
  op: {
    name: "DecodeImage",
    inputs: ["contents: string"],
    outputs: ["image: dtype"],
    attrs: [
      "channels: int = 0",
      "dtype: {uint8, uint16, float} = DT_UINT8",
      "expand_animations: bool = true",
    ],
  },
  kernel: cpuKernel("DecodeImage", (c) => {
    const settings = decodeSettings("DecodeImage", c.attrs);
    return { compute: (ctx) => ctx.setOutput(0, decodeImage(settings, ctx.input(0))) };
  }),
};
