// PNG reading with the transformations TF's png::CommonInitDecode asks libpng for
// (core/lib/png/png_io.cc): any PNG (gray, gray+alpha, palette, RGB, RGBA; 1-16 bits; Adam7) to
// 8- or 16-bit samples with 1, 2, 3 or 4 channels. Palettes expand to RGB(A), tRNS becomes alpha
// when alpha is wanted, alpha is added as the sample maximum or stripped, 16-bit samples keep
// their high byte for 8-bit output and 8-bit samples are widened by 257 for 16-bit output, RGB
// becomes gray with libpng's fixed-point weights for 0.299/0.587 and gray is copied to RGB.
// Failures are told apart as libpng reports them to TF: before the first image row ("init":
// signature, header chunks, CRCs) or while reading the rows and the chunks after them ("data").

import { inflateSync } from "node:zlib";
import { crc32 } from "./png-encode.js";

export class PngFailure extends Error {
  constructor(
    readonly phase: "init" | "data",
    message: string,
  ) {
    super(message);
  }
}

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** 8-bit samples in a Uint8Array, 16-bit ones in a Uint16Array. */
  readonly data: Uint8Array | Uint16Array;
}

interface Header {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlace: number;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Samples per pixel of each color type. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
// Adam7: x0, y0, dx, dy per pass.
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];
// libpng's png_set_rgb_to_gray(0.299, 0.587) weights, out of 32768.
const RED = 9797;
const GREEN = 19234;
const BLUE = 32768 - RED - GREEN;

interface Parsed {
  header: Header;
  palette: Uint8Array | undefined;
  trns: Uint8Array | undefined;
  idat: Uint8Array;
}

function parse(b: Uint8Array): Parsed {
  if (b.length < 8 || SIGNATURE.some((v, i) => b[i] !== v)) throw new PngFailure("init", "Not a PNG file");
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 8;
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let seenIdat = false;
  let ended = false;
  while (!ended) {
    // Before the first IDAT libpng is still reading the header (png_read_info).
    if (pos + 8 > b.length) throw new PngFailure(seenIdat ? "data" : "init", "Read Error");
    const len = view.getUint32(pos);
    const type = String.fromCharCode(b[pos + 4]!, b[pos + 5]!, b[pos + 6]!, b[pos + 7]!);
    // libpng's header reading stops at the first IDAT's type: from there on it reads image data.
    const phase = seenIdat || type === "IDAT" ? "data" : "init";
    if (len > 0x7fffffff || pos + 12 + len > b.length) throw new PngFailure(phase, "Read Error");
    const data = b.subarray(pos + 8, pos + 8 + len);
    const critical = (b[pos + 4]! & 0x20) === 0;
    const crcOk = crc32(b, pos + 4, pos + 8 + len) === view.getUint32(pos + 8 + len);
    pos += 12 + len;
    if (!crcOk) {
      if (critical) throw new PngFailure(phase, "CRC error");
      continue; // an ancillary chunk with a bad CRC is dropped with a warning
    }
    if (header === undefined && type !== "IHDR") throw new PngFailure(phase, `Missing IHDR before ${type}`);
    switch (type) {
      case "IHDR":
        header = readHeader(data);
        break;
      case "PLTE":
        if (len % 3 !== 0 || len === 0 || len > 768) throw new PngFailure(phase, "Invalid palette length");
        palette = data;
        break;
      case "tRNS":
        trns = data;
        break;
      case "IDAT":
        seenIdat = true;
        idat.push(data);
        break;
      case "IEND":
        if (!seenIdat) throw new PngFailure("init", "Missing IDAT");
        ended = true;
        break;
      default:
        if (critical) throw new PngFailure(phase, `${type}: unknown critical chunk`);
    }
  }
  if (header!.colorType === 3 && palette === undefined) throw new PngFailure("init", "Missing PLTE");
  return { header: header!, palette, trns, idat: Buffer.concat(idat) };
}

function readHeader(d: Uint8Array): Header {
  if (d.length !== 13) throw new PngFailure("init", "Invalid IHDR length");
  const v = new DataView(d.buffer, d.byteOffset, 13);
  const h: Header = {
    width: v.getUint32(0),
    height: v.getUint32(4),
    depth: d[8]!,
    colorType: d[9]!,
    interlace: d[12]!,
  };
  const ok =
    h.width > 0 &&
    h.height > 0 &&
    h.width <= 0x7fffffff &&
    h.height <= 0x7fffffff &&
    DEPTHS[h.colorType]?.includes(h.depth) === true &&
    d[10] === 0 &&
    d[11] === 0 &&
    h.interlace <= 1;
  if (!ok) throw new PngFailure("init", "Invalid IHDR data");
  return h;
}

/** Undoes the row filters of one pass (w x h pixels) from `src` at `pos`; returns the raw rows and the next position. */
function unfilter(src: Uint8Array, pos: number, w: number, h: number, hd: Header) {
  const bpp = Math.max(1, (SAMPLES[hd.colorType]! * hd.depth) >> 3);
  const rowBytes = Math.ceil((w * SAMPLES[hd.colorType]! * hd.depth) / 8);
  const out = new Uint8Array(rowBytes * h);
  if (w === 0) return { rows: out, rowBytes, pos };
  for (let y = 0; y < h; y++) {
    if (pos + 1 + rowBytes > src.length) throw new PngFailure("data", "Not enough image data");
    const f = src[pos]!;
    const row = out.subarray(y * rowBytes, (y + 1) * rowBytes);
    const prev = y > 0 ? out.subarray((y - 1) * rowBytes, y * rowBytes) : undefined;
    for (let i = 0; i < rowBytes; i++) {
      const x = src[pos + 1 + i]!;
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = prev ? prev[i]! : 0;
      const c = prev && i >= bpp ? prev[i - bpp]! : 0;
      let p: number;
      if (f === 0) p = 0;
      else if (f === 1) p = a;
      else if (f === 2) p = b;
      else if (f === 3) p = (a + b) >> 1;
      else if (f === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new PngFailure("data", "bad adaptive filter value");
      row[i] = (x + p) & 0xff;
    }
    pos += 1 + rowBytes;
  }
  return { rows: out, rowBytes, pos };
}

/** Bytes of filtered scanlines the header implies (every pass, filter bytes included). */
function rawSize(hd: Header): number {
  const passes = hd.interlace ? ADAM7 : [[0, 0, 1, 1]];
  let n = 0;
  for (const [x0, y0, dx, dy] of passes as [number, number, number, number][]) {
    const w = hd.width > x0 ? Math.ceil((hd.width - x0) / dx) : 0;
    const h = hd.height > y0 ? Math.ceil((hd.height - y0) / dy) : 0;
    if (w > 0) n += h * (1 + Math.ceil((w * SAMPLES[hd.colorType]! * hd.depth) / 8));
  }
  return n;
}

/** The image's samples (unscaled, one number per sample) in raster order. */
function samples(p: Parsed): Uint16Array {
  const hd = p.header;
  const n = SAMPLES[hd.colorType]!;
  let raw: Uint8Array;
  try {
    // A short stream is read as far as it goes (Z_SYNC_FLUSH); output past what the rows need
    // (libpng ignores it) is not inflated beyond a bound.
    raw = new Uint8Array(inflateSync(p.idat, { finishFlush: 2, maxOutputLength: rawSize(hd) + 65536 }));
  } catch {
    throw new PngFailure("data", "IDAT: invalid compressed data");
  }
  const out = new Uint16Array(hd.width * hd.height * n);
  const passes = hd.interlace ? ADAM7 : [[0, 0, 1, 1]];
  let pos = 0;
  for (const [x0, y0, dx, dy] of passes as [number, number, number, number][]) {
    const w = hd.width > x0 ? Math.ceil((hd.width - x0) / dx) : 0;
    const h = hd.height > y0 ? Math.ceil((hd.height - y0) / dy) : 0;
    if (w === 0 || h === 0) continue;
    const r = unfilter(raw, pos, w, h, hd);
    pos = r.pos;
    for (let y = 0; y < h; y++) {
      const row = r.rows.subarray(y * r.rowBytes, (y + 1) * r.rowBytes);
      for (let x = 0; x < w; x++) {
        const dst = ((y0 + y * dy) * hd.width + x0 + x * dx) * n;
        for (let s = 0; s < n; s++) out[dst + s] = sampleAt(row, x * n + s, hd.depth);
      }
    }
  }
  return out;
}

function sampleAt(row: Uint8Array, k: number, depth: number): number {
  if (depth === 8) return row[k]!;
  if (depth === 16) return (row[2 * k]! << 8) | row[2 * k + 1]!;
  const perByte = 8 / depth;
  const byte = row[Math.floor(k / perByte)]!;
  const shift = 8 - depth * ((k % perByte) + 1);
  return (byte >> shift) & ((1 << depth) - 1);
}

/**
 * Decodes a PNG to `channels` channels (0: the file's own, palettes as 3 or 4 with tRNS) of
 * `bits`-bit samples, as TF's DecodePng does.
 */
export function decodePng(
  bytes: Uint8Array,
  channels: number,
  bits: 8 | 16,
  check: (width: number, height: number, channels: number) => void,
): DecodedPng {
  const p = parse(bytes);
  const hd = p.header;
  const hasTrns = p.trns !== undefined && hd.colorType !== 4 && hd.colorType !== 6;
  const fileChannels = hd.colorType === 3 ? (hasTrns ? 4 : 3) : SAMPLES[hd.colorType]!;
  const want = channels === 0 ? fileChannels : channels;
  // The caller's size checks and memory charge come before anything is inflated.
  check(hd.width, hd.height, want);
  const wantAlpha = want % 2 === 0;
  const wantGray = want < 3;
  const s = samples(p);
  const n = SAMPLES[hd.colorType]!;
  // After expansion every sample is 8 or 16 bits deep; low-bit gray scales up to 8 bits.
  const deep = hd.depth === 16 ? 16 : 8;
  const top = (1 << deep) - 1;
  const lowScale = hd.colorType === 0 && hd.depth < 8 ? 255 / ((1 << hd.depth) - 1) : 1;
  const trnsView = p.trns ? new DataView(p.trns.buffer, p.trns.byteOffset, p.trns.byteLength) : undefined;
  const pixels = hd.width * hd.height;
  const out = bits === 8 ? new Uint8Array(pixels * want) : new Uint16Array(pixels * want);
  const rgba = [0, 0, 0, 0];
  // Alpha TF adds to an image without one: libpng's filler, which TF sets to the maximum of the
  // file's bit depth even below 8 bits (a 4-bit gray image gets alpha 15).
  const filler = (1 << hd.depth) - 1;
  for (let i = 0; i < pixels; i++) {
    let alpha = filler;
    let gray = true;
    if (hd.colorType === 3) {
      const idx = s[i]!;
      const pal = p.palette!;
      for (let k = 0; k < 3; k++) rgba[k] = 3 * idx + k < pal.length ? pal[3 * idx + k]! : 0;
      if (p.trns) alpha = idx < p.trns.length ? p.trns[idx]! : top;
      gray = false;
    } else if (hd.colorType === 0 || hd.colorType === 4) {
      const g = s[i * n]!;
      rgba[0] = rgba[1] = rgba[2] = g * lowScale;
      if (hd.colorType === 4) alpha = s[i * n + 1]!;
      else if (hasTrns && trnsView!.byteLength >= 2) alpha = g === trnsView!.getUint16(0) ? 0 : top;
    } else {
      for (let k = 0; k < 3; k++) rgba[k] = s[i * n + k]!;
      if (hd.colorType === 6) alpha = s[i * n + 3]!;
      else if (hasTrns && trnsView!.byteLength >= 6) {
        const v = trnsView!;
        const key = rgba[0] === v.getUint16(0) && rgba[1] === v.getUint16(2) && rgba[2] === v.getUint16(4);
        alpha = key ? 0 : top;
      }
      gray = false;
    }
    rgba[3] = alpha;
    if (wantGray && !gray) rgba[0] = toGray(rgba[0]!, rgba[1]!, rgba[2]!, deep);
    const dst = i * want;
    const put = (k: number, v: number) => {
      out[dst + k] = bits === deep ? v : bits === 8 ? v >> 8 : v * 257;
    };
    if (wantGray) put(0, rgba[0]!);
    else for (let k = 0; k < 3; k++) put(k, rgba[k]!);
    if (wantAlpha) put(want - 1, rgba[3]!);
  }
  return { width: hd.width, height: hd.height, channels: want, data: out };
}

/** libpng's rgb_to_gray without gamma: equal channels stay, else the weighted sum (16-bit rounds). */
function toGray(r: number, g: number, b: number, deep: number): number {
  if (r === g && r === b) return r;
  const sum = RED * r + GREEN * g + BLUE * b;
  return deep === 8 ? Math.floor(sum / 32768) : Math.floor((sum + 16384) / 32768);
}
