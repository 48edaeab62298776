// JPEG for TF's DecodeJpeg / EncodeJpeg family, through jpeg-js (a pure-JS baseline and
// progressive decoder and a baseline encoder). TF uses libjpeg-turbo, so pixels differ from TF's by
// a few levels: jpeg-js has its own IDCT (TF's default is the fast integer one), color conversion
// and chroma upsampling. Gray output takes the luma plane itself, as libjpeg does. The number of
// components comes from the frame header (SOFn).

import { decode, encode } from "jpeg-js";

export interface DecodedJpeg {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

export interface JpegFrame {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  /** Horizontal and vertical sampling factors per component. */
  readonly sampling: readonly (readonly [number, number])[];
}

/** The frame header's size and components, or undefined when there is none before the scan. */
export function jpegFrame(b: Uint8Array): JpegFrame | undefined {
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return undefined;
    const marker = b[pos + 1]!;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const len = (b[pos + 2]! << 8) | b[pos + 3]!;
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const components = b[pos + 9] ?? 0;
      if (pos + 10 + 3 * components > b.length) return undefined;
      const sampling = Array.from({ length: components }, (_, k) => {
        const f = b[pos + 11 + 3 * k]!;
        return [f >> 4, f & 15] as const;
      });
      return {
        height: (b[pos + 5]! << 8) | b[pos + 6]!,
        width: (b[pos + 7]! << 8) | b[pos + 8]!,
        components,
        sampling,
      };
    }
    if (marker === 0xda) return undefined;
    pos += 2 + len;
  }
  return undefined;
}

/**
 * Decodes to `channels` channels (0: 1 for a gray file, else 3); undefined when jpeg-js rejects
 * the data (TF's "Invalid JPEG data"). `maxMemoryMB` bounds what jpeg-js may allocate.
 */
export function decodeJpeg(b: Uint8Array, channels: number, maxMemoryMB: number): DecodedJpeg | undefined {
  const frame = jpegFrame(b);
  if (frame === undefined || frame.width === 0 || frame.height === 0) return undefined;
  const want = channels || (frame.components === 1 ? 1 : 3);
  // For a YCbCr file keep jpeg-js's YCbCr: gray output is the Y plane, color output is made here
  // with libjpeg's upsampling and color conversion.
  const ycc = frame.components === 3 && (want === 1 || upsampling(frame) !== undefined);
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = decode(b, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      colorTransform: ycc ? false : undefined,
      maxMemoryUsageInMB: maxMemoryMB,
    } as Parameters<typeof decode>[1] & { useTArray: true });
  } catch {
    return undefined;
  }
  const n = img.width * img.height;
  if (want === 3 && ycc)
    return { width: img.width, height: img.height, channels: 3, data: yccToRgb(img, upsampling(frame)!) };
  if (want === 3) return { width: img.width, height: img.height, channels: 3, data: img.data };
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = img.data[3 * i]!;
  return { width: img.width, height: img.height, channels: 1, data: out };
}

type Upsampling = "h1v1" | "h2v1" | "h2v2";

/** How the chroma planes are subsampled, when it is one of libjpeg's fancy-upsampled cases. */
function upsampling(f: JpegFrame): Upsampling | undefined {
  const [y, cb, cr] = f.sampling as [
    readonly [number, number],
    readonly [number, number],
    readonly [number, number],
  ];
  if (cb[0] !== 1 || cb[1] !== 1 || cr[0] !== 1 || cr[1] !== 1) return undefined;
  if (y[0] === 1 && y[1] === 1) return "h1v1";
  if (y[0] === 2 && y[1] === 1) return "h2v1";
  if (y[0] === 2 && y[1] === 2) return "h2v2";
  return undefined;
}

/**
 * One chroma plane at full size the way libjpeg's fancy upsampling makes it (jdsample.c): jpeg-js
 * replicates each chroma sample over its 2x1 or 2x2 block, so the subsampled plane is read back
 * from the blocks' first pixels and interpolated with libjpeg's triangle filter and rounding.
 */
function fancy(
  img: { width: number; height: number; data: Uint8Array },
  k: number,
  mode: Upsampling,
): Uint8Array {
  const { width: w, height: h, data } = img;
  const full = new Uint8Array(w * h);
  if (mode === "h1v1") {
    for (let i = 0; i < w * h; i++) full[i] = data[3 * i + k]!;
    return full;
  }
  const cw = Math.ceil(w / 2);
  const ch = mode === "h2v2" ? Math.ceil(h / 2) : h;
  const dy = mode === "h2v2" ? 2 : 1;
  const at = (x: number, y: number) => data[3 * (Math.min(y * dy, h - 1) * w + Math.min(2 * x, w - 1)) + k]!;
  const out = new Uint8Array(2 * cw);
  for (let y = 0; y < h; y++) {
    const cy = Math.floor(y / dy);
    if (mode === "h2v1") {
      for (let x = 0; x < cw; x++) {
        const v = at(x, cy);
        if (cw === 1) out[0] = out[1] = v;
        else if (x === 0) {
          out[0] = v;
          out[1] = (v * 3 + at(1, cy) + 2) >> 2;
        } else if (x === cw - 1) {
          out[2 * x] = (v * 3 + at(x - 1, cy) + 1) >> 2;
          out[2 * x + 1] = v;
        } else {
          out[2 * x] = (v * 3 + at(x - 1, cy) + 1) >> 2;
          out[2 * x + 1] = (v * 3 + at(x + 1, cy) + 2) >> 2;
        }
      }
    } else {
      // The nearer chroma row weighs 3, the other (above for even rows, below for odd, the edge
      // row repeated) 1.
      const other = Math.max(0, Math.min(ch - 1, y % 2 === 0 ? cy - 1 : cy + 1));
      const col = (x: number) => at(x, cy) * 3 + at(x, other);
      for (let x = 0; x < cw; x++) {
        const t = col(x);
        if (cw === 1) {
          out[0] = (t * 4 + 8) >> 4;
          out[1] = (t * 4 + 7) >> 4;
        } else {
          out[2 * x] = x === 0 ? (t * 4 + 8) >> 4 : (t * 3 + col(x - 1) + 8) >> 4;
          out[2 * x + 1] = x === cw - 1 ? (t * 4 + 7) >> 4 : (t * 3 + col(x + 1) + 7) >> 4;
        }
      }
    }
    full.set(out.subarray(0, w), y * w);
  }
  return full;
}

const fix = (x: number) => Math.floor(x * 65536 + 0.5);
const clamp8 = (v: number) => Math.max(0, Math.min(v, 255));

/** libjpeg's YCbCr to RGB (jdcolor.c): 16-bit fixed point tables, clamped. */
function yccToRgb(img: { width: number; height: number; data: Uint8Array }, mode: Upsampling): Uint8Array {
  const cb = fancy(img, 1, mode);
  const cr = fancy(img, 2, mode);
  const n = img.width * img.height;
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const y = img.data[3 * i]!;
    const b = cb[i]! - 128;
    const r = cr[i]! - 128;
    out[3 * i] = clamp8(y + ((fix(1.402) * r + 32768) >> 16));
    out[3 * i + 1] = clamp8(y + ((-fix(0.34414) * b + 32768 - fix(0.71414) * r) >> 16));
    out[3 * i + 2] = clamp8(y + ((fix(1.772) * b + 32768) >> 16));
  }
  return out;
}

/** A baseline JPEG of an RGB or gray image at `quality` (1-100). */
export function encodeJpeg(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  quality: number,
): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[4 * i + k] = pixels[i * channels + (channels === 1 ? 0 : k)]!;
    rgba[4 * i + 3] = 255;
  }
  return new Uint8Array(encode({ data: rgba, width, height }, quality).data);
}
