// TF's StringNGrams (core/kernels/string_ngrams_op.cc, tf.strings.ngrams): the n-grams of each
// row of a ragged string tensor (flat data + row splits), for every width in ngram_widths in
// turn, padded with left_pad/right_pad (pad_width each side, -1 = width - 1, never more than
// width - 1), tokens joined by separator. preserve_short_sequences gives a row too short for any
// n-gram one n-gram of the whole row plus pad_width pads each side.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrInt, getAttrIntList, getAttrString, getAttrType } from "../framework/op-def.js";
import { allocData, checkAllocation, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { bytesOf } from "./util/string-util.js";
import { readInts } from "./util/tensor-util.js";

export interface NGramOptions {
  readonly separator: Uint8Array;
  readonly widths: readonly number[];
  readonly leftPad: Uint8Array;
  readonly rightPad: Uint8Array;
  readonly padWidth: number;
  readonly preserveShort: boolean;
}

const padFor = (o: NGramOptions, width: number) =>
  Math.min(o.padWidth < 0 ? width - 1 : o.padWidth, width - 1);
const countFor = (o: NGramOptions, len: number, width: number) =>
  Math.max(0, len + 2 * padFor(o, width) - width + 1);

/** TF's checks of data_splits: starts at 0, non-decreasing, within and ending at the data size. */
function checkSplits(splits: readonly number[], size: number): void {
  if (splits.length === 0) return;
  if (splits[0] !== 0) throw invalidArgument(`First split value must be 0, got ${splits[0]}`);
  let prev = 0;
  for (let i = 1; i < splits.length; i++) {
    if (splits[i]! < prev || splits[i]! > size) {
      throw invalidArgument(`Invalid split value ${splits[i]}, must be in [${prev}, ${size}]`);
    }
    prev = splits[i]!;
  }
  if (prev !== size)
    throw invalidArgument(`Last split value must be data size. Expected ${size}, got ${prev}`);
}

/** One n-gram: `left` left pads, tokens [start, start + tokens) of the data, `right` right pads. */
interface Gram {
  readonly start: number;
  readonly left: number;
  readonly tokens: number;
  readonly right: number;
}

/** The n-grams of width `width` over the row of `len` tokens at `rowStart` (TF's CreateNgrams). */
function rowNgrams(o: NGramOptions, rowStart: number, count: number, width: number, out: Gram[]): void {
  const pad = padFor(o, width);
  for (let k = 0; k < count; k++) {
    const left = Math.max(0, pad - k);
    const right = Math.max(0, pad - (count - (k + 1)));
    out.push({ start: rowStart + (left > 0 ? 0 : k - pad), left, tokens: width - left - right, right });
  }
}

/** Writes every n-gram into one budgeted byte buffer (sized first, like TF's reserve). */
function joinAll(grams: readonly Gram[], data: readonly Uint8Array[], o: NGramOptions): Uint8Array[] {
  const prefix = new Array<number>(data.length + 1).fill(0);
  data.forEach((t, i) => {
    prefix[i + 1] = prefix[i]! + t.length;
  });
  const sep = o.separator;
  let total = 0;
  for (const g of grams) {
    const parts = g.left + g.tokens + g.right;
    total += g.left * o.leftPad.length + g.right * o.rightPad.length + sep.length * Math.max(0, parts - 1);
    total += prefix[g.start + g.tokens]! - prefix[g.start]!;
  }
  const buf = allocData(DataType.DT_UINT8, total, [total]) as Uint8Array;
  const out = allocData(DataType.DT_STRING, grams.length, [grams.length]) as Uint8Array[];
  let pos = 0;
  const put = (b: Uint8Array, first: boolean) => {
    if (!first) {
      buf.set(sep, pos);
      pos += sep.length;
    }
    buf.set(b, pos);
    pos += b.length;
  };
  grams.forEach((g, i) => {
    const start = pos;
    let n = 0;
    for (let k = 0; k < g.left; k++) put(o.leftPad, n++ === 0);
    for (let k = 0; k < g.tokens; k++) put(data[g.start + k]!, n++ === 0);
    for (let k = 0; k < g.right; k++) put(o.rightPad, n++ === 0);
    out[i] = buf.subarray(start, pos);
  });
  return out;
}

export function stringNGrams(data: Tensor, splitsT: Tensor, o: NGramOptions): [Tensor, Tensor] {
  if (o.widths.some((w) => w <= 0)) throw invalidArgument("ngram_widths must contain positive values");
  const tokens = data.data as Uint8Array[];
  const splits = readInts(splitsT);
  checkSplits(splits, tokens.length);
  const outSplits = new Array<number>(splits.length).fill(0);
  if (tokens.length === 0 || splits.length === 0) {
    // TF returns data's shape filled with empty strings and all-zero splits.
    const empty = allocData(DataType.DT_STRING, tokens.length, data.shape) as Uint8Array[];
    return [new Tensor(DataType.DT_STRING, data.shape, empty), splitsLike(splitsT, outSplits)];
  }
  // Count first: widths and pads come from attrs, so the count is checked before any n-gram exists.
  for (let i = 0; i + 1 < splits.length; i++) {
    const len = splits[i + 1]! - splits[i]!;
    let count = o.widths.reduce((a, w) => a + countFor(o, len, w), 0);
    if (o.preserveShort && len > 0 && count === 0) count = 1;
    outSplits[i + 1] = outSplits[i]! + count;
  }
  checkAllocation(DataType.DT_STRING, outSplits[outSplits.length - 1]!);
  const grams: Gram[] = [];
  for (let i = 0; i + 1 < splits.length; i++) {
    const len = splits[i + 1]! - splits[i]!;
    const before = grams.length;
    for (const w of o.widths) rowNgrams(o, splits[i]!, countFor(o, len, w), w, grams);
    if (o.preserveShort && grams.length === before && len > 0) {
      if (o.padWidth < 0) {
        throw invalidArgument(
          "Pad width should be >= 0 when preserve_short_sequences is True and ngram_widths are not provided, " +
            `got ${o.padWidth}`,
        );
      }
      rowNgrams(o, splits[i]!, 1, len + 2 * o.padWidth, grams);
    }
  }
  const out = joinAll(grams, tokens, o);
  return [new Tensor(DataType.DT_STRING, [out.length], out), splitsLike(splitsT, outSplits)];
}

/** A tensor of splitsT's dtype and shape holding `values`. */
function splitsLike(splitsT: Tensor, values: readonly number[]): Tensor {
  const data = allocData(splitsT.dtype, values.length, splitsT.shape);
  values.forEach((v, i) => {
    if (splitsT.dtype === DataType.DT_INT64) (data as BigInt64Array)[i] = BigInt(v);
    else (data as Int32Array)[i] = v;
  });
  return new Tensor(splitsT.dtype, splitsT.shape, data);
}

export const stringNGramsConfig: KernelConfig = {
  op: {
    name: "StringNGrams",
    inputs: ["data: string", "data_splits: Tsplits"],
    outputs: ["ngrams: string", "ngrams_splits: Tsplits"],
    attrs: [
      "separator: string",
      "ngram_widths: list(int) >= 0",
      "left_pad: string",
      "right_pad: string",
      "pad_width: int",
      "preserve_short_sequences: bool",
      "Tsplits: {int32, int64} = DT_INT64",
    ],
  },
  kernel: cpuKernel("StringNGrams", (c) => {
    getAttrType(c.attrs, "Tsplits");
    const o: NGramOptions = {
      separator: bytesOf(getAttrString(c.attrs, "separator")),
      widths: getAttrIntList(c.attrs, "ngram_widths"),
      leftPad: bytesOf(getAttrString(c.attrs, "left_pad")),
      rightPad: bytesOf(getAttrString(c.attrs, "right_pad")),
      padWidth: getAttrInt(c.attrs, "pad_width"),
      preserveShort: getAttrBool(c.attrs, "preserve_short_sequences"),
    };
    return {
      compute(ctx) {
        const [ngrams, splits] = stringNGrams(ctx.input(0), ctx.input(1), o);
        ctx.setOutput(0, ngrams);
        ctx.setOutput(1, splits);
      },
    };
  }),
};
