// TF's DecodePng (tf.io.decode_png; core/kernels/image/decode_image_op.cc): the shared image decoding kernel
// (decode-image.ts) with this op's attrs.

import { decodeImage, decodeSettings } from "./util/decode-image.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const decodePngConfig: KernelConfig = {
  op: {
    name: "DecodePng",
    inputs: ["contents: string"],
    outputs: ["image: dtype"],
    attrs: ["channels: int = 0", "dtype: {uint8, uint16} = DT_UINT8"],
  },
  kernel: cpuKernel("DecodePng", (c) => {
    const settings = decodeSettings("DecodePng", c.attrs);
    return { compute: (ctx) => ctx.setOutput(0, decodeImage(settings, ctx.input(0))) };
  }),
};
