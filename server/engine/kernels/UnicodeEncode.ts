// TF's UnicodeEncode (core/kernels/unicode_ops.cc, tf.strings.unicode_encode and the second half
// of tf.strings.unicode_split): one string per row of a ragged tensor of code points. A negative,
// surrogate or too large code point is replaced by replacement_char, dropped, or an error.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrString } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkReplacementChar } from "./UnicodeDecode.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";
import {
  type ErrorMode,
  encodeCodePoint,
  isValidCodePoint,
  parseEncoding,
  parseErrorMode,
  type UnicodeEncoding,
} from "./util/unicode.js";

function checkSplits(splits: readonly number[], n: number): void {
  if (splits.length === 0) {
    throw invalidArgument(
      `Input_splits should contain elements, but given input_values has ${splits.length} elements`,
    );
  }
  if (splits[0] !== 0) throw invalidArgument("First value in input_splits must be zero.");
  for (let i = 1; i < splits.length; i++) {
    if (splits[i]! < splits[i - 1]!)
      throw invalidArgument("Values in input_splits must be equal or in ascending order.");
  }
  if (splits[splits.length - 1] !== n) {
    throw invalidArgument("Last value in input_splits must be equal to length of input_tensor.");
  }
}

export function unicodeEncode(
  valuesT: Tensor,
  splitsT: Tensor,
  encoding: UnicodeEncoding,
  errors: ErrorMode,
  replacement: number,
): Tensor {
  const values = valuesT.data as Int32Array;
  const splits = readInts(splitsT);
  checkSplits(splits, values.length);
  const rows = splits.length - 1;
  const out = allocData(DataType.DT_STRING, rows, [rows]) as Uint8Array[];
  for (let r = 0; r < rows; r++) {
    const bytes: number[] = [];
    for (let k = splits[r]!; k < splits[r + 1]!; k++) {
      const cp = values[k]!;
      if (isValidCodePoint(cp)) encodeCodePoint(cp, encoding, bytes);
      else if (errors === "strict") {
        throw invalidArgument("Code point is out of range for Unicode, or is a surrogate.");
      } else if (errors === "replace") {
        // A surrogate replacement cannot be encoded either; the converter substitutes U+FFFD.
        encodeCodePoint(isValidCodePoint(replacement) ? replacement : 0xfffd, encoding, bytes);
      }
    }
    out[r] = Uint8Array.from(bytes);
  }
  return new Tensor(DataType.DT_STRING, [rows], out);
}

export const unicodeEncodeConfig: KernelConfig = {
  op: {
    name: "UnicodeEncode",
    inputs: ["input_values: int32", "input_splits: Tsplits"],
    outputs: ["output: string"],
    attrs: [
      "errors: {'ignore', 'replace', 'strict'} = 'replace'",
      "output_encoding: {'UTF-8', 'UTF-16-BE', 'UTF-32-BE'}",
      "replacement_char: int = 65533",
      "Tsplits: {int32, int64} = DT_INT64",
    ],
  },
  kernel: cpuKernel("UnicodeEncode", (c) => {
    const encoding = parseEncoding(getAttrString(c.attrs, "output_encoding"), "output");
    const errors = parseErrorMode(getAttrString(c.attrs, "errors"));
    const replacement = getAttrInt(c.attrs, "replacement_char");
    checkReplacementChar(replacement);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, unicodeEncode(ctx.input(0), ctx.input(1), encoding, errors, replacement)),
    };
  }),
};
