// TF's EncodePng (core/kernels/image/encode_png_op.cc, tf.io.encode_png): each [height, width,
// channels] uint8 or uint16 image of a [..., height, width, channels] tensor as PNG, zlib level
// `compression` (-1 = zlib's default), written as TF writes it through libpng (png-encode.ts), so
// the bytes are TF's. The output has the batch dimensions' shape.

import { internal, invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrType } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import { encodePng } from "./png-encode.js";

export function encodePngOp(image: Tensor, compression: number): Tensor {
  const r = image.rank;
  if (r < 3) throw invalidArgument(`images must be at least rank 3${shapeString(image.shape)}`);
  if (image.numElements >= 2 ** 31 - 1) throw invalidArgument("image cannot have >= int32 max elements");
  const [height, width, channels] = image.shape.slice(r - 3) as [number, number, number];
  if (width * channels >= 2 ** 30) throw invalidArgument("image too wide to encode");
  if (channels < 1 || channels > 4)
    throw invalidArgument(`image must have 1, 2, 3, or 4 channels, got ${channels}`);
  const outShape = image.shape.slice(0, r - 3);
  const batches = outShape.reduce((a, b) => a * b, 1);
  const out = allocData(DataType.DT_STRING, batches, outShape) as Uint8Array[];
  const sixteen = image.dtype === DataType.DT_UINT16;
  const d = image.data as Uint8Array | Uint16Array;
  const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  const imageBytes = height * width * channels * (sixteen ? 2 : 1);
  // libpng refuses an empty image (TF itself fails a CHECK there).
  if (batches > 0 && imageBytes === 0) {
    throw internal(
      `PNG encoding failed at the following flattened batch indices: ${[...Array(batches).keys()].join(", ")}`,
    );
  }
  for (let i = 0; i < batches; i++) {
    const pixels = bytes.subarray(i * imageBytes, (i + 1) * imageBytes);
    out[i] = encodePng({ width, height, channels, bitDepth: sixteen ? 16 : 8, pixels }, compression);
  }
  return new Tensor(DataType.DT_STRING, outShape, out);
}

export const encodePngConfig: KernelConfig = {
  op: {
    name: "EncodePng",
    inputs: ["image: T"],
    outputs: ["contents: string"],
    attrs: ["compression: int = -1", "T: {uint8, uint16} = DT_UINT8"],
  },
  kernel: cpuKernel("EncodePng", (c) => {
    getAttrType(c.attrs, "T");
    const compression = getAttrInt(c.attrs, "compression");
    if (compression < -1 || compression > 9)
      throw invalidArgument(`compression should be in [-1,9], got ${compression}`);
    return { compute: (ctx) => ctx.setOutput(0, encodePngOp(ctx.input(0), compression)) };
  }),
};
