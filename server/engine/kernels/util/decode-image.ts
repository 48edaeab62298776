// TF's DecodeImageV2Op (core/kernels/image/decode_image_op.cc), the one kernel behind DecodeJpeg,
// DecodePng, DecodeBmp and DecodeImage: the format comes from the magic bytes whatever the op
// (DecodePng reads a JPEG and DecodeJpeg a PNG; only BMP is kept to DecodeBmp/DecodeImage), each
// op's attrs are checked as TF checks them, and uint8 results are widened for uint16 (x256, or
// x257 from PNG's own 16-bit path) or scaled into [0, 1] for float.

import { invalidArgument, unimplemented } from "../../framework/errors.js";
import { type AttrMap, getAttrBool, getAttrInt, getAttrString, getAttrType } from "../../framework/op-def.js";
import { checkAllocation, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { decodeBmp } from "./bmp-decode.js";
import { decodeGif } from "./gif-decode.js";
import { decodeJpeg, jpegFrame } from "./jpeg-codec.js";
import { decodePng, PngFailure } from "./png-decode.js";

export type DecodeOp =
  | "DecodeJpeg"
  | "DecodeAndCropJpeg"
  | "DecodePng"
  | "DecodeGif"
  | "DecodeBmp"
  | "DecodeImage";

export interface DecodeSettings {
  readonly op: DecodeOp;
  readonly channels: number;
  readonly dtype: DataType;
  readonly expandAnimations: boolean;
}

/** The construction-time checks of DecodeImageV2Op. */
export function decodeSettings(op: DecodeOp, attrs: AttrMap): DecodeSettings {
  if (op === "DecodeJpeg" || op === "DecodeAndCropJpeg") {
    const ratio = getAttrInt(attrs, "ratio");
    if (![1, 2, 4, 8].includes(ratio)) throw invalidArgument(`ratio must be 1, 2, 4, or 8, got ${ratio}`);
    const dct = getAttrString(attrs, "dct_method");
    if (dct !== "" && dct !== "INTEGER_FAST" && dct !== "INTEGER_ACCURATE") {
      throw invalidArgument("dct_method must be one of {'', 'INTEGER_FAST', 'INTEGER_ACCURATE'}");
    }
    // libjpeg's scaled decoding has no counterpart here.
    if (ratio !== 1)
      throw unimplemented(`${op} with ratio=${ratio} is not supported by tfgate (only ratio=1)`);
  }
  let dtype: DataType = DataType.DT_UINT8;
  let expandAnimations = true;
  if (op === "DecodePng" || op === "DecodeImage") {
    dtype = getAttrType(attrs, "dtype");
    if (op === "DecodeImage") expandAnimations = getAttrBool(attrs, "expand_animations");
  }
  // DecodeGif has no channels attr: GIFs decode to RGB.
  const channels = op === "DecodeGif" ? 3 : getAttrInt(attrs, "channels");
  if (![0, 1, 3, 4].includes(channels))
    throw invalidArgument(`\`channels\` must be 0, 1, 3 or 4 but got ${channels}`);
  return { op, channels, dtype, expandAnimations };
}

type Format = "jpeg" | "png" | "gif" | "bmp" | "webp" | "unknown";

function formatOf(b: Uint8Array): Format {
  const starts = (sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
  if (starts([0xff, 0xd8, 0xff])) return "jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts([0x47, 0x49, 0x46, 0x38])) return "gif";
  if (starts([0x42, 0x4d])) return "bmp";
  if (starts([0x52, 0x49, 0x46, 0x46]) && b.length > 12 && starts([0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  return "unknown";
}

/** uint8 pixels as the requested dtype: x256 for uint16, /255 in float for float. */
function widen8(data: Uint8Array, dtype: DataType, shape: number[]): Tensor {
  if (dtype === DataType.DT_UINT8) return new Tensor(dtype, shape, data);
  if (dtype === DataType.DT_UINT16)
    return new Tensor(
      dtype,
      shape,
      Uint16Array.from(data, (v) => v * 256),
    );
  const scale = Math.fround(1 / 255);
  return new Tensor(
    dtype,
    shape,
    Float32Array.from(data, (v) => Math.fround(v * scale)),
  );
}

/** DecodeAndCropJpeg's window [y, x, height, width], checked for shape as TF checks it. */
function cropWindow(crop: Tensor): number[] {
  if (crop.rank !== 1) throw invalidArgument(`crop_window must be 1-D, got shape ${shapeString(crop.shape)}`);
  if (crop.shape[0] !== 4)
    throw invalidArgument(`crop_size must have four elements ${shapeString(crop.shape)}`);
  return Array.from(crop.data as Int32Array);
}

/** The window of a decoded image; undefined when it does not lie inside (libjpeg's refusal). */
function crop(img: { width: number; height: number; channels: number; data: Uint8Array }, win: number[]) {
  const [y, x, h, w] = win as [number, number, number, number];
  if (h <= 0 || w <= 0 || y < 0 || x < 0 || y + h > img.height || x + w > img.width) return undefined;
  const c = img.channels;
  const out = new Uint8Array(h * w * c);
  for (let r = 0; r < h; r++) {
    const from = ((y + r) * img.width + x) * c;
    out.set(img.data.subarray(from, from + w * c), r * w * c);
  }
  return { width: w, height: h, channels: c, data: out };
}

function decodeJpegOf(s: DecodeSettings, b: Uint8Array, cropT?: Tensor): Tensor {
  if (s.channels === 4) throw invalidArgument("JPEG does not support 4 channels");
  const win = s.op === "DecodeAndCropJpeg" ? cropWindow(cropT!) : undefined;
  if (s.op === "DecodeBmp") {
    throw invalidArgument(
      "Trying to decode JPEG format using DecodeBmp op. Use `decode_jpeg` or `decode_image` instead.",
    );
  }
  const frame = jpegFrame(b);
  if (frame)
    checkAllocation(s.dtype, frame.width * frame.height * (s.channels || 3), [frame.height, frame.width, 3]);
  const full = decodeJpeg(b, s.channels, 1024);
  const img = full && win ? crop(full, win) : full;
  if (img === undefined) throw invalidArgument("jpeg::Uncompress failed. Invalid JPEG data or crop window.");
  return widen8(img.data, s.dtype, frameShape(s, img.height, img.width, img.channels));
}

/** [height, width, channels], or [1, ...] for DecodeGif, which always returns frames. */
function frameShape(s: DecodeSettings, height: number, width: number, channels: number): number[] {
  return s.op === "DecodeGif" ? [1, height, width, channels] : [height, width, channels];
}

function decodePngOf(s: DecodeSettings, b: Uint8Array): Tensor {
  const bits = s.dtype === DataType.DT_UINT8 ? 8 : 16;
  let img: ReturnType<typeof decodePng>;
  try {
    img = decodePng(b, s.channels, bits, (width, height, channels) => {
      if (width >= 2 ** 27 || height >= 2 ** 27 || width * height >= 2 ** 29) {
        throw invalidArgument(`PNG size too large for int: ${width} by ${height}`);
      }
      if (s.op === "DecodeBmp") {
        throw invalidArgument(
          "Trying to decode PNG format using DecodeBmp op. Use `decode_png` or `decode_image` instead.",
        );
      }
      if (s.op === "DecodeAndCropJpeg") {
        throw invalidArgument("DecodeAndCropJpeg operation can run on JPEG only, but detected PNG.");
      }
      checkAllocation(s.dtype, width * height * channels, [height, width, channels]);
    });
  } catch (e) {
    if (!(e instanceof PngFailure)) throw e;
    if (e.phase === "init") throw invalidArgument("Invalid PNG. Failed to initialize decoder.");
    throw invalidArgument(`Invalid PNG data, size ${b.length}`);
  }
  const shape = frameShape(s, img.height, img.width, img.channels);
  if (s.dtype !== DataType.DT_FLOAT) return new Tensor(s.dtype, shape, img.data);
  const scale = Math.fround(1 / 65535);
  return new Tensor(
    s.dtype,
    shape,
    Float32Array.from(img.data, (v) => Math.fround(v * scale)),
  );
}

function decodeBmpOf(s: DecodeSettings, b: Uint8Array): Tensor {
  if (s.channels === 1)
    throw invalidArgument(`\`channels\` must be 0, 3 or 4 for BMP, but got ${s.channels}`);
  if (s.op === "DecodeAndCropJpeg") {
    throw invalidArgument("DecodeAndCropJpeg operation can run on JPEG only, but detected BMP.");
  }
  if (s.op !== "DecodeBmp" && s.op !== "DecodeImage") {
    throw invalidArgument(
      `Trying to decode BMP format using a wrong op. Use \`decode_bmp\` or \`decode_image\` instead. Op used: ${s.op}`,
    );
  }
  const img = decodeBmp(b, s.channels);
  return widen8(img.data, s.dtype, [img.height, img.width, img.channels]);
}

function decodeGifOf(s: DecodeSettings, b: Uint8Array): Tensor {
  if (s.channels !== 0 && s.channels !== 3)
    throw invalidArgument(`channels must be 0 or 3 for GIF, got ${s.channels}`);
  if (s.op === "DecodeBmp") {
    throw invalidArgument(
      "Trying to decode GIF format using DecodeBmp op. Use `decode_gif` or `decode_image` instead.",
    );
  }
  if (s.op === "DecodeAndCropJpeg") {
    throw invalidArgument("DecodeAndCropJpeg operation can run on JPEG only, but detected GIF.");
  }
  const animated = s.op === "DecodeGif" || (s.op === "DecodeImage" && s.expandAnimations);
  const img = decodeGif(b, !s.expandAnimations, (frames, width, height) => {
    if ((s.op === "DecodePng" || s.op === "DecodeJpeg") && frames !== 1) {
      throw invalidArgument(
        `Got ${frames} frames, but animated gifs can only be decoded by tf.io.decode_gif or tf.io.decode_image`,
      );
    }
    checkAllocation(s.dtype, frames * width * height * 3, [frames, height, width, 3]);
  });
  if (typeof img === "string") throw invalidArgument(`Invalid GIF data (size ${b.length}), ${img}`);
  const shape = animated ? [img.frames, img.height, img.width, 3] : [img.height, img.width, 3];
  return widen8(img.data, s.dtype, shape);
}

/** WebP: TF's checks, then the header; tfgate decodes no WebP image data. */
function decodeWebpOf(s: DecodeSettings, b: Uint8Array): Tensor {
  if (s.channels !== 0 && s.channels !== 3 && s.channels !== 4)
    throw invalidArgument("WebP only supports 3 or 4 channels");
  if (s.dtype !== DataType.DT_UINT8) throw invalidArgument("WebP only supports uint8 for dtype");
  const chunk = String.fromCharCode(...b.subarray(12, 16));
  if (b.length < 30 || !["VP8 ", "VP8L", "VP8X"].includes(chunk))
    throw invalidArgument("Failed to decode WebP header.");
  throw unimplemented("WebP decoding is not supported by tfgate");
}

/** One DecodeImageV2Op step on a scalar string of encoded bytes. */
export function decodeImage(s: DecodeSettings, contents: Tensor, cropWindowT?: Tensor): Tensor {
  if (contents.rank !== 0) {
    throw invalidArgument(`\`contents\` must be scalar but got shape${shapeString(contents.shape)}`);
  }
  const b = (contents.data as Uint8Array[])[0]!;
  if (b.length === 0) throw invalidArgument("Input is empty.");
  switch (formatOf(b)) {
    case "jpeg":
      return decodeJpegOf(s, b, cropWindowT);
    case "png":
      return decodePngOf(s, b);
    case "bmp":
      return decodeBmpOf(s, b);
    case "gif":
      return decodeGifOf(s, b);
    case "webp":
      return decodeWebpOf(s, b);
    default:
      throw invalidArgument("Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required.");
  }
}
