// TF's UnicodeDecode (core/kernels/unicode_ops.cc, tf.strings.unicode_decode / unicode_split):
// each string's code points, as row splits over the flattened input plus the code points.
// Malformed input (and, with replace_control_characters, C0 controls) is replaced by
// replacement_char, dropped, or an error, as `errors` says.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrInt, getAttrString, getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import { intVector } from "./tensor-util.js";
import {
  decodeCodePoints,
  type ErrorMode,
  parseEncoding,
  parseErrorMode,
  type UnicodeEncoding,
} from "./unicode.js";

export interface DecodeOptions {
  readonly encoding: UnicodeEncoding;
  readonly errors: ErrorMode;
  readonly replacement: number;
  readonly replaceControls: boolean;
}

export function checkReplacementChar(c: number): void {
  if (c < 0 || c > 0x10ffff) throw invalidArgument("replacement_char out of unicode codepoint range");
}

export function unicodeDecode(input: Tensor, o: DecodeOptions, splitsType: DataType): [Tensor, Tensor] {
  const src = input.data as Uint8Array[];
  const splits = [0];
  const chars: number[] = [];
  for (const s of src) {
    for (const cp of decodeCodePoints(s, o.encoding)) {
      const bad = cp < 0 || (o.replaceControls && cp < 0x20);
      if (!bad) chars.push(cp);
      else if (o.errors === "strict") throw invalidArgument("Invalid formatting on input string");
      else if (o.errors === "replace") chars.push(o.replacement);
    }
    splits.push(chars.length);
  }
  const values = allocData(DataType.DT_INT32, chars.length, [chars.length]) as Int32Array;
  values.set(chars);
  return [intVector(splitsType, splits), new Tensor(DataType.DT_INT32, [chars.length], values)];
}

export const unicodeDecodeConfig: KernelConfig = {
  op: {
    name: "UnicodeDecode",
    inputs: ["input: string"],
    outputs: ["row_splits: Tsplits", "char_values: int32"],
    attrs: [
      "input_encoding: string",
      "errors: {'strict', 'replace', 'ignore'} = 'replace'",
      "replacement_char: int = 65533",
      "replace_control_characters: bool = false",
      "Tsplits: {int32, int64} = DT_INT64",
    ],
  },
  kernel: cpuKernel("UnicodeDecode", (c) => {
    const o: DecodeOptions = {
      encoding: parseEncoding(getAttrString(c.attrs, "input_encoding"), "input"),
      errors: parseErrorMode(getAttrString(c.attrs, "errors")),
      replacement: getAttrInt(c.attrs, "replacement_char"),
      replaceControls: getAttrBool(c.attrs, "replace_control_characters"),
    };
    checkReplacementChar(o.replacement);
    const splitsType = getAttrType(c.attrs, "Tsplits");
    return {
      compute(ctx) {
        const [splits, chars] = unicodeDecode(ctx.input(0), o, splitsType);
        ctx.setOutput(0, splits);
        ctx.setOutput(1, chars);
      },
    };
  }),
};
