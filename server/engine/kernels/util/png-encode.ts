// PNG writing as TF's png::WriteImageToBuffer does it through libpng 1.6 (core/lib/png/png_io.cc):
// 8- or 16-bit gray / gray+alpha / RGB / RGBA, no interlace, no ancillary chunks. To give TF's
// bytes this follows libpng's choices: per row the filter (None, Sub, Up, Average, Paeth) whose
// output has the smallest sum of |signed byte|, Up/Average/Paeth left out for a one-row image and
// Sub/Average/Paeth for a one-column image; zlib with the requested level, memLevel 9 and the
// Z_FILTERED strategy, its window shrunk for small images and the stream header's window size
// rewritten to the smallest that covers the data (libpng's optimize_cmf); IDAT chunks of 8192
// bytes (libpng's zbuffer size). Node's zlib gives the same deflate streams as TF's at levels 0
// and 4-9; at 1-3 (deflate_fast) Node's bundled zlib (Chromium's) compresses differently.

import { createDeflate, deflateSync } from "node:zlib";

const SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);
const IDAT_SIZE = 8192;
const Z_FILTERED = 1;
const Z_DEFAULT_LEVEL = 6;

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the PNG chunk type and data. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** libpng's cost of a filtered row: each byte as a signed value, summed in magnitude. */
function rowCost(row: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i]!;
    s += v < 128 ? v : 256 - v;
  }
  return s;
}

function paeth(a: number, b: number, c: number): number {
  const pa = Math.abs(b - c);
  const pb = Math.abs(a - c);
  const pc = Math.abs(a + b - 2 * c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Row `row` filtered with `filter` against `prev` (zeros above the first row) into `out`. */
function applyFilter(filter: number, row: Uint8Array, prev: Uint8Array, bpp: number, out: Uint8Array): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp]! : 0;
    const b = prev[i]!;
    const c = i >= bpp ? prev[i - bpp]! : 0;
    const x = row[i]!;
    const p =
      filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
    out[i] = (x - p) & 0xff;
  }
}

/** The filtered scanlines (filter byte + row) libpng would hand to zlib. */
function filterImage(pixels: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const rowBytes = width * bpp;
  const out = new Uint8Array((rowBytes + 1) * height);
  let filters = [0, 1, 2, 3, 4];
  if (height === 1) filters = filters.filter((f) => f < 2);
  if (width === 1) filters = filters.filter((f) => f === 0 || f === 2);
  let prev: Uint8Array = new Uint8Array(rowBytes);
  const tries = filters.map(() => new Uint8Array(rowBytes));
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * rowBytes, (y + 1) * rowBytes);
    let best = 0;
    let bestCost = Infinity;
    filters.forEach((f, k) => {
      applyFilter(f, row, prev, bpp, tries[k]!);
      // Ties keep the earlier filter; a single candidate is taken without costing it.
      const cost = filters.length === 1 ? 0 : rowCost(tries[k]!);
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    });
    out[y * (rowBytes + 1)] = filters[best]!;
    out.set(tries[best]!, y * (rowBytes + 1) + 1);
    prev = row;
  }
  return out;
}

/** libpng's zlib window for `size` bytes of image data (png_deflate_claim). */
function windowBits(size: number): number {
  let bits = 15;
  if (size <= 16384) {
    let half = 1 << (bits - 1);
    while (size + 262 <= half) {
      half >>= 1;
      bits--;
    }
  }
  // zlib takes 8 as 9; libpng then rewrites the header (optimizeCmf).
  return Math.max(bits, 9);
}

/** libpng's optimize_cmf: the smallest window size in the zlib header that covers `size` bytes. */
function optimizeCmf(z: Uint8Array, size: number): void {
  if (size > 16384 || (z[0]! & 0x0f) !== 8 || (z[0]! & 0xf0) > 0x70) return;
  let cinfo = z[0]! >> 4;
  let half = 1 << (cinfo + 7);
  if (size > half) return;
  do {
    half >>= 1;
    cinfo--;
  } while (cinfo > 0 && size <= half);
  z[0] = (z[0]! & 0x0f) | (cinfo << 4);
  const flevel = z[1]! & 0xe0;
  z[1] = flevel + 0x1f - (((z[0]! << 8) + flevel) % 0x1f);
}

export interface PngImage {
  readonly width: number;
  readonly height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  readonly channels: number;
  /** 8 or 16; 16-bit samples are given as host (little-endian) uint16 pairs of bytes. */
  readonly bitDepth: 8 | 16;
  readonly pixels: Uint8Array;
}

const COLOR_TYPE = [0, 0, 4, 2, 6];

/**
 * The PNG file TF writes for an image (width and height > 0); `level` is zlib's compression level,
 * -1 for its default.
 */
/** The scanlines libpng hands to zlib: 16-bit samples big-endian, each row filtered. */
function scanlines(img: PngImage): Uint8Array {
  let pixels = img.pixels;
  if (img.bitDepth === 16) {
    // PNG stores 16-bit samples big-endian (libpng's png_set_swap on a little-endian host).
    pixels = new Uint8Array(img.pixels.length);
    for (let i = 0; i < pixels.length; i += 2) {
      pixels[i] = img.pixels[i + 1]!;
      pixels[i + 1] = img.pixels[i]!;
    }
  }
  return filterImage(pixels, img.width, img.height, (img.channels * img.bitDepth) / 8);
}

const zlibOptions = (level: number, size: number) => ({
  level: level < 0 ? Z_DEFAULT_LEVEL : level,
  memLevel: 9,
  strategy: Z_FILTERED,
  windowBits: windowBits(size),
});

/** The PNG file around a zlib stream of `size` bytes of scanlines. */
function assemble(img: PngImage, z: Uint8Array, size: number): Uint8Array {
  optimizeCmf(z, size);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, img.width);
  view.setUint32(4, img.height);
  ihdr[8] = img.bitDepth;
  ihdr[9] = COLOR_TYPE[img.channels]!;
  const parts = [SIGNATURE, chunk("IHDR", ihdr)];
  for (let o = 0; o < z.length; o += IDAT_SIZE) parts.push(chunk("IDAT", z.subarray(o, o + IDAT_SIZE)));
  parts.push(chunk("IEND", new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * The PNG file TF writes for an image (width and height > 0); `level` is zlib's compression level,
 * -1 for its default. Deflating the scanlines in one call gives libpng's row-by-row stream at every
 * level but 0 (see encodePngRowByRow).
 */
export function encodePng(img: PngImage, level: number): Uint8Array {
  const lines = scanlines(img);
  return assemble(img, new Uint8Array(deflateSync(lines, zlibOptions(level, lines.length))), lines.length);
}

/**
 * encodePng fed to zlib as libpng feeds it: one deflate call per row into an 8192-byte output
 * buffer, then an empty Z_FINISH. At level 0 zlib's stored blocks depend on that feeding (their
 * sizes follow the calls and the output space), so only this gives TF's bytes there; Node's zlib
 * stream makes the same calls, asynchronously.
 */
export async function encodePngRowByRow(img: PngImage, level: number): Promise<Uint8Array> {
  const lines = scanlines(img);
  const deflate = createDeflate({ ...zlibOptions(level, lines.length), chunkSize: IDAT_SIZE });
  const parts: Buffer[] = [];
  deflate.on("data", (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  const row = lines.length / img.height;
  for (let y = 0; y < img.height; y++) deflate.write(lines.subarray(y * row, (y + 1) * row));
  deflate.end();
  await done;
  return assemble(img, new Uint8Array(Buffer.concat(parts)), lines.length);
}
