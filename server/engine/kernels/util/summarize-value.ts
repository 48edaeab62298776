// TF's Tensor::SummarizeValue (core/framework/tensor.cc: PrintOneElement, PrintOneDim,
// PrintOneDimV2) and the C printf conversions it and AsString rely on (%g as in TF's
// FloatToBuffer/DoubleToBuffer, %f, %e), so Print, PrintV2/StringFormat and AsString produce TF's text.

import { bfloat16ToFloat, halfToFloat } from "../../framework/float16.js";
import type { Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";

const pad2 = (e: number) => (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return undefined;
}

/** C's %.<p>e. */
export function formatE(x: number, precision = 6): string {
  const nf = nonFinite(x);
  if (nf) return nf;
  const s = x.toExponential(precision);
  const [m, e] = s.split("e");
  return `${m}e${pad2(Number(e))}`;
}

/** C's %.<p>f (exact for any double, like glibc). */
export function formatF(x: number, precision = 6): string {
  const nf = nonFinite(x);
  if (nf) return nf;
  if (Math.abs(x) < 1e21) return x.toFixed(precision);
  // toFixed switches to exponent notation at 1e21; such doubles are integers, exact as BigInt.
  return BigInt(x).toString() + (precision > 0 ? `.${"0".repeat(precision)}` : "");
}

/** C's %.<p>g (trailing zeros removed). */
export function formatG(x: number, precision = 6): string {
  const nf = nonFinite(x);
  if (nf) return nf;
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = Number(x.toExponential(p - 1).split("e")[1]);
  if (exp < -4 || exp >= p) {
    const [m, e] = x.toExponential(p - 1).split("e");
    const mm = m!.includes(".") ? m!.replace(/\.?0+$/, "") : m!;
    return `${mm}e${pad2(Number(e))}`;
  }
  const f = x.toFixed(Math.max(0, p - 1 - exp));
  return f.includes(".") ? f.replace(/\.?0+$/, "") : f;
}

/** TF's FloatToBuffer (strings::StrCat(float)): %.6g when it round-trips, else %.9g. */
export function floatToString(x: number): string {
  const short = formatG(x, 6);
  return Math.fround(Number(short.replace(/^(-?)inf$/, "$1Infinity"))) === x || Number.isNaN(x)
    ? short
    : formatG(x, 9);
}

/** TF's DoubleToBuffer (strings::StrCat(double)): %.15g when it round-trips, else %.17g. */
export function doubleToString(x: number): string {
  const short = formatG(x, 15);
  return Number(short.replace(/^(-?)inf$/, "$1Infinity")) === x || Number.isNaN(x) ? short : formatG(x, 17);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** absl::Utf8SafeCEscape / Utf8SafeCHexEscape: C escapes, valid UTF-8 sequences kept. */
export function cEscape(bytes: Uint8Array, hex: boolean): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x22) out += '\\"';
    else if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += "\\\\";
    else if (c >= 0x80) {
      // Keep a whole valid UTF-8 sequence; escape a stray byte.
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      let ok = len > 1 && i + len <= bytes.length;
      if (ok) {
        try {
          out += utf8.decode(bytes.subarray(i, i + len));
          i += len - 1;
        } catch {
          ok = false;
        }
      }
      if (!ok) out += hex ? `\\x${c.toString(16).padStart(2, "0")}` : `\\${c.toString(8).padStart(3, "0")}`;
    } else if (c < 0x20 || c === 0x7f) {
      out += hex ? `\\x${c.toString(16).padStart(2, "0")}` : `\\${c.toString(8).padStart(3, "0")}`;
    } else out += String.fromCharCode(c);
  }
  return out;
}

/** PrintOneElement for element i of t. */
export function printOneElement(t: Tensor, i: number, printV2: boolean): string {
  const d = t.data;
  switch (t.dtype) {
    case DataType.DT_STRING: {
      const b = (d as Uint8Array[])[i]!;
      return printV2 ? `"${cEscape(b, true)}"` : cEscape(b, false);
    }
    case DataType.DT_BOOL:
      return (d as Uint8Array)[i] ? "1" : "0";
    case DataType.DT_HALF:
      return floatToString(halfToFloat((d as Uint16Array)[i]!));
    case DataType.DT_BFLOAT16:
      return floatToString(bfloat16ToFloat((d as Uint16Array)[i]!));
    case DataType.DT_FLOAT:
      return floatToString((d as Float32Array)[i]!);
    case DataType.DT_DOUBLE:
      return doubleToString((d as Float64Array)[i]!);
    case DataType.DT_COMPLEX64: {
      const a = d as Float32Array;
      return `(${floatToString(a[2 * i]!)},${floatToString(a[2 * i + 1]!)})`;
    }
    case DataType.DT_COMPLEX128: {
      const a = d as Float64Array;
      return `(${doubleToString(a[2 * i]!)},${doubleToString(a[2 * i + 1]!)})`;
    }
    case DataType.DT_RESOURCE:
      return "<ResourceHandle>";
    default:
      return String((d as unknown as { [k: number]: number | bigint })[i]);
  }
}

function dimSpacing(dim: number, rank: number): string {
  if (dim === rank - 1) return " ";
  return "\n".repeat(rank - dim - 1) + " ".repeat(dim + 1);
}

function printOneDimV2(t: Tensor, dim: number, limit: number, index: number, out: string[]): void {
  const shape = t.shape;
  const rank = shape.length;
  if (dim === rank) {
    out.push(printOneElement(t, index, true));
    return;
  }
  out.push("[");
  const count = shape[dim]!;
  const startOfEnd = Math.max(limit, count - limit);
  let per = 1;
  for (let i = dim + 1; i < rank; i++) per *= shape[i]!;
  for (let i = 0; i < limit && i < count; i++) {
    if (i > 0) out.push(dimSpacing(dim, rank));
    printOneDimV2(t, dim + 1, limit, index + per * i, out);
  }
  if (count > 2 * limit) {
    out.push(dimSpacing(dim, rank));
    out.push("...");
  }
  for (let i = startOfEnd; i < count; i++) {
    out.push(dimSpacing(dim, rank));
    printOneDimV2(t, dim + 1, limit, index + per * i, out);
  }
  out.push("]");
}

function printOneDim(t: Tensor, dim: number, limit: number, state: { index: number }, out: string[]): void {
  if (state.index >= limit) return;
  const count = t.shape[dim]!;
  if (dim === t.rank - 1) {
    for (let i = 0; i < count; i++) {
      if (state.index >= limit) {
        if (dim !== 0) out.push("...");
        return;
      }
      if (i > 0) out.push(" ");
      out.push(printOneElement(t, state.index++, false));
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    let flag = false;
    if (state.index < limit) {
      out.push("[");
      flag = true;
    }
    printOneDim(t, dim + 1, limit, state, out);
    if (state.index < limit || flag) out.push("]");
  }
}

/** Tensor::SummarizeValue(max_entries, print_v2). */
export function summarizeValue(t: Tensor, maxEntries: number, printV2: boolean): string {
  const n = t.numElements;
  const limit = maxEntries < 0 ? n : Math.min(maxEntries, n);
  if (t.rank === 0) {
    const parts: string[] = [];
    for (let i = 0; i < limit; i++) parts.push(printOneElement(t, i, printV2));
    return parts.join(" ") + (n > limit ? "..." : "");
  }
  const out: string[] = [];
  if (printV2) printOneDimV2(t, 0, limit, 0, out);
  else {
    printOneDim(t, 0, limit, { index: 0 }, out);
    if (n > limit) out.push("...");
  }
  return out.join("");
}
