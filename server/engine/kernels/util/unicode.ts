// Code point decoding and encoding for TF's Unicode ops (core/kernels/unicode_ops.cc, which uses
// ICU converters). Decoding reports each malformed sequence as one -1, split the way ICU and the
// WHATWG decoder split UTF-8 (maximal subparts: a truncated sequence is one error, a byte that
// cannot start or continue a sequence is one error of its own).

import { invalidArgument } from "../../framework/errors.js";

export type UnicodeEncoding = "UTF-8" | "UTF-16-BE" | "UTF-32-BE";

/**
 * The encoding an ICU converter name means (ICU matches names ignoring case, '-' and '_'), for
 * the encodings implemented here; TF's error for any other name.
 */
export function parseEncoding(name: string, what: "input" | "output"): UnicodeEncoding {
  const key = name.toLowerCase().replace(/[-_]/g, "");
  if (key === "utf8") return "UTF-8";
  if (key === "utf16be") return "UTF-16-BE";
  if (key === "utf32be") return "UTF-32-BE";
  throw invalidArgument(`Could not create converter for ${what} encoding: ${name}`);
}

/** The byte ranges a continuation may take after each UTF-8 lead byte (WHATWG's table). */
function continuationRange(lead: number): [number, number, number] | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return [1, 0x80, 0xbf];
  if (lead === 0xe0) return [2, 0xa0, 0xbf];
  if (lead === 0xed) return [2, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [2, 0x80, 0xbf];
  if (lead === 0xf0) return [3, 0x90, 0xbf];
  if (lead === 0xf4) return [3, 0x80, 0x8f];
  if (lead >= 0xf1 && lead <= 0xf3) return [3, 0x80, 0xbf];
  return undefined;
}

/** Receives each decoded code point (-1 for a malformed sequence) and the byte it starts at. */
type Sink = (cp: number, start: number) => void;

function decodeUtf8(s: Uint8Array, emit: Sink): void {
  let i = 0;
  while (i < s.length) {
    const b = s[i]!;
    const range = b < 0x80 ? undefined : continuationRange(b);
    if (b < 0x80 || !range) {
      emit(b < 0x80 ? b : -1, i);
      i++;
      continue;
    }
    const [need, lo, hi] = range;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const c = s[j];
      const [min, max] = k === 0 ? [lo, hi] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    emit(ok ? cp : -1, i);
    i = j;
  }
}

function decodeUtf16be(s: Uint8Array, emit: Sink): void {
  let i = 0;
  while (i + 1 < s.length) {
    const at = i;
    const u = (s[i]! << 8) | s[i + 1]!;
    i += 2;
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < s.length) {
      const v = (s[i]! << 8) | s[i + 1]!;
      if (v >= 0xdc00 && v <= 0xdfff) {
        emit(0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00), at);
        i += 2;
        continue;
      }
    }
    emit(u >= 0xd800 && u <= 0xdfff ? -1 : u, at);
  }
  if (i < s.length) emit(-1, i);
}

function decodeUtf32be(s: Uint8Array, emit: Sink): void {
  let i = 0;
  for (; i + 3 < s.length; i += 4) {
    const cp = ((s[i]! << 24) | (s[i + 1]! << 16) | (s[i + 2]! << 8) | s[i + 3]!) >>> 0;
    emit(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? -1 : cp, i);
  }
  if (i < s.length) emit(-1, i);
}

/** Decodes `s`, passing each code point (-1 for a malformed sequence) and its start byte to `emit`. */
export function forEachCodePoint(s: Uint8Array, encoding: UnicodeEncoding, emit: Sink): void {
  if (encoding === "UTF-8") decodeUtf8(s, emit);
  else if (encoding === "UTF-16-BE") decodeUtf16be(s, emit);
  else decodeUtf32be(s, emit);
}

export const isValidCodePoint = (cp: number): boolean =>
  cp >= 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);

/** Appends the bytes of one valid code point in `encoding`. */
export function encodeCodePoint(cp: number, encoding: UnicodeEncoding, out: number[]): void {
  if (encoding === "UTF-32-BE") {
    out.push((cp >>> 24) & 0xff, (cp >>> 16) & 0xff, (cp >>> 8) & 0xff, cp & 0xff);
  } else if (encoding === "UTF-16-BE") {
    if (cp < 0x10000) out.push(cp >> 8, cp & 0xff);
    else {
      const hi = 0xd800 + ((cp - 0x10000) >> 10);
      const lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
      out.push(hi >> 8, hi & 0xff, lo >> 8, lo & 0xff);
    }
  } else if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

export type ErrorMode = "strict" | "replace" | "ignore";

export function parseErrorMode(mode: string): ErrorMode {
  if (mode !== "strict" && mode !== "replace" && mode !== "ignore") {
    throw invalidArgument(
      `Value for attr 'errors' of "${mode}" is not in the list of allowed values: "strict", "replace", "ignore"`,
    );
  }
  return mode;
}
