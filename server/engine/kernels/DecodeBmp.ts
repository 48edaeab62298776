// TF's DecodeBmp (tf.io.decode_bmp; core/kernels/image/decode_image_op.cc): the shared image decoding kernel
// (decode-image.ts) with this op's attrs.

import { decodeImage, decodeSettings } from "./util/decode-image.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const decodeBmpConfig: KernelConfig = {
  op: {
    name: "DecodeBmp",
    inputs: ["contents: string"],
    outputs: ["image: uint8"],
    attrs: ["channels: int = 0"],
  },
  kernel: cpuKernel("DecodeBmp", (c) => {
    const settings = decodeSettings("DecodeBmp", c.attrs);
    return { compute: (ctx) => ctx.setOutput(0, decodeImage(settings, ctx.input(0))) };
  }),
};
