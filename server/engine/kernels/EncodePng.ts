// TF's EncodePng (core/kernels/image/encode_png_op.cc, tf.io.encode_png): each [height, width,
// channels] uint8 or uint16 image of a [..., height, width, channels] tensor as PNG, zlib level
// `compression` (-1 = zlib's default), written as TF writes it through libpng (png-encode.ts), so
// the bytes are TF's (but at levels 1-3, see png-encode.ts). The output has the batch dimensions'
// shape. Level 0 is written asynchronously, fed to zlib row by row as libpng does.

import { internal, invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrType } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { encodePng, encodePngRowByRow, type PngImage } from "./util/png-encode.js";

interface PngBatch {
  readonly shape: number[];
  readonly images: PngImage[];
}

/** The checks of TF's EncodePngOp and the images of the batch. */
function pngBatch(image: Tensor): PngBatch {
  const r = image.rank;
  if (r < 3) throw invalidArgument(`images must be at least rank 3${shapeString(image.shape)}`);
  if (image.numElements >= 2 ** 31 - 1) throw invalidArgument("image cannot have >= int32 max elements");
  const [height, width, channels] = image.shape.slice(r - 3) as [number, number, number];
  if (width * channels >= 2 ** 30) throw invalidArgument("image too wide to encode");
  if (channels < 1 || channels > 4)
    throw invalidArgument(`image must have 1, 2, 3, or 4 channels, got ${channels}`);
  const shape = image.shape.slice(0, r - 3);
  const batches = shape.reduce((a, b) => a * b, 1);
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
  const images = Array.from({ length: batches }, (_, i) => ({
    width,
    height,
    channels,
    bitDepth: sixteen ? (16 as const) : (8 as const),
    pixels: bytes.subarray(i * imageBytes, (i + 1) * imageBytes),
  }));
  return { shape, images };
}

function stringTensor(shape: number[], pngs: Uint8Array[]): Tensor {
  const out = allocData(DataType.DT_STRING, pngs.length, shape) as Uint8Array[];
  pngs.forEach((p, i) => {
    out[i] = p;
  });
  return new Tensor(DataType.DT_STRING, shape, out);
}

export function encodePngOp(image: Tensor, compression: number): Tensor {
  const { shape, images } = pngBatch(image);
  return stringTensor(
    shape,
    images.map((img) => encodePng(img, compression)),
  );
}

/** Level 0, fed to zlib row by row as libpng does (encodePngRowByRow), for TF's stored blocks. */
export async function encodePngStoredOp(image: Tensor): Promise<Tensor> {
  const { shape, images } = pngBatch(image);
  const pngs: Uint8Array[] = [];
  for (const img of images) pngs.push(await encodePngRowByRow(img, 0));
  return stringTensor(shape, pngs);
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
    if (compression === 0) {
      return { computeAsync: async (ctx) => ctx.setOutput(0, await encodePngStoredOp(ctx.input(0))) };
    }
    return { compute: (ctx) => ctx.setOutput(0, encodePngOp(ctx.input(0), compression)) };
  }),
};
