// Byte-level helpers shared by the string kernels (StringSplit, StringSplitV2, StringStrip,
// ReduceJoin, StringNGrams): TF's tstring is a byte string, so the kernels work on Uint8Array and
// only decode UTF-8 where TF itself does.

import { allocData, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";

const utf8 = new TextEncoder();

/** The bytes of a string attr or scalar input (attrs decode as UTF-8 text; re-encode them). */
export function bytesOf(s: string): Uint8Array {
  return utf8.encode(s);
}

/** absl::ascii_isspace / C isspace in the "C" locale: space, \t, \n, \v, \f, \r. */
export function isAsciiSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** Concatenates `parts` with `sep` between consecutive parts. */
export function joinBytes(parts: readonly Uint8Array[], sep: Uint8Array): Uint8Array {
  let len = sep.length * Math.max(0, parts.length - 1);
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let pos = 0;
  parts.forEach((p, k) => {
    if (k > 0) {
      out.set(sep, pos);
      pos += sep.length;
    }
    out.set(p, pos);
    pos += p.length;
  });
  return out;
}

/**
 * The three outputs of TF's string split ops, a SparseTensor of the tokens: indices [n, 2] as
 * (row, position), the tokens, and the dense shape [rows, longest row].
 */
export function splitToSparse(rows: readonly Uint8Array[][]): [Tensor, Tensor, Tensor] {
  let n = 0;
  let widest = 0;
  for (const r of rows) {
    n += r.length;
    widest = Math.max(widest, r.length);
  }
  const indices = allocData(DataType.DT_INT64, 2 * n, [n, 2]) as BigInt64Array;
  const values = allocData(DataType.DT_STRING, n, [n]) as Uint8Array[];
  let k = 0;
  rows.forEach((r, i) => {
    r.forEach((tok, j) => {
      indices[2 * k] = BigInt(i);
      indices[2 * k + 1] = BigInt(j);
      values[k++] = tok;
    });
  });
  const shape = allocData(DataType.DT_INT64, 2, [2]) as BigInt64Array;
  shape[0] = BigInt(rows.length);
  shape[1] = BigInt(widest);
  return [
    new Tensor(DataType.DT_INT64, [n, 2], indices),
    new Tensor(DataType.DT_STRING, [n], values),
    new Tensor(DataType.DT_INT64, [2], shape),
  ];
}
