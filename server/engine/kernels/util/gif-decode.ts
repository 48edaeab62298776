// GIF reading as TF's gif::Decode does it (core/lib/gif/gif_io.cc), through omggif for parsing and
// LZW: RGB frames of the logical screen's size (of the image's own size for a one-image GIF, as
// giflib reports it); frame 0 starts black, each later frame starts as the previous one, and a
// frame's pixels are drawn at its offset, clipped, except its transparent ones (disposal methods
// are not applied, as in TF). `firstOnly` decodes the first frame alone (DecodeImage with
// expand_animations=false).

import { GifReader } from "omggif";

export interface DecodedGif {
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** The logical screen descriptor and global color table are all there (giflib's DGifOpen). */
function hasScreen(b: Uint8Array): boolean {
  if (b.length < 13) return false;
  const table = b[10]! & 0x80 ? 3 * (2 << (b[10]! & 7)) : 0;
  return b.length >= 13 + table;
}

/** Decodes, or returns TF's error text (after "Invalid GIF data (size N), "). */
export function decodeGif(
  b: Uint8Array,
  firstOnly: boolean,
  check: (frames: number, width: number, height: number) => void,
): DecodedGif | string {
  if (b.length >= 6 && !hasScreen(b)) return "failed to open gif file: No screen descriptor detected";
  let reader: GifReader;
  try {
    reader = new GifReader(b);
  } catch {
    return "failed to open gif file: Data is not in GIF format";
  }
  const count = reader.numFrames();
  if (count <= 0) return "gif file does not contain any image";
  const infos = Array.from({ length: count }, (_, k) => reader.frameInfo(k));
  // A GIF of one image is that image's size (giflib); an animation is the logical screen's.
  const width = count === 1 ? infos[0]!.width : reader.width;
  const height = count === 1 ? infos[0]!.height : reader.height;
  // omggif draws a frame at its offset into a buffer as wide as the logical screen: widen that
  // screen (in a copy) so every frame fits, then clip to the output.
  const bigW = Math.max(reader.width, ...infos.map((f) => f.x + f.width));
  const bigH = Math.max(reader.height, ...infos.map((f) => f.y + f.height));
  if (bigW > reader.width || bigH > reader.height) {
    const wide = Uint8Array.from(b);
    new DataView(wide.buffer).setUint16(6, bigW, true);
    new DataView(wide.buffer).setUint16(8, bigH, true);
    reader = new GifReader(wide);
  }
  const frames = firstOnly ? 1 : count;
  check(frames, width, height);
  const plane = width * height;
  const out = new Uint8Array(frames * plane * 3);
  const canvas = new Uint8Array(plane * 3);
  for (let k = 0; k < frames; k++) {
    if (infos[k]!.palette_size === null) return "missing color map";
    // Draw the frame's opaque pixels over the previous frame (black before the first).
    const layer = new Uint8Array(bigW * bigH * 4);
    try {
      reader.decodeAndBlitFrameRGBA(k, layer);
    } catch {
      return "failed to slurp gif file: Failed to read from given file";
    }
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const src = (r * bigW + c) * 4;
        if (layer[src + 3] === 255) canvas.set(layer.subarray(src, src + 3), (r * width + c) * 3);
      }
    }
    out.set(canvas, k * plane * 3);
  }
  return { frames, width, height, data: out };
}
