// TF's UnicodeTranscode (core/kernels/unicode_ops.cc, tf.strings.unicode_transcode): re-encodes
// each string from input_encoding to output_encoding, with UnicodeDecode's handling of malformed
// input and control characters (replaced by replacement_char, dropped, or an error).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrInt, getAttrString } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkReplacementChar, type DecodeOptions } from "./UnicodeDecode.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  encodeCodePoint,
  forEachCodePoint,
  isValidCodePoint,
  parseEncoding,
  parseErrorMode,
  type UnicodeEncoding,
} from "./util/unicode.js";

export function unicodeTranscode(input: Tensor, o: DecodeOptions, output: UnicodeEncoding): Tensor {
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_STRING, src.length, input.shape) as Uint8Array[];
  // A surrogate replacement cannot be encoded; the converter substitutes U+FFFD.
  const replacement = isValidCodePoint(o.replacement) ? o.replacement : 0xfffd;
  for (let i = 0; i < src.length; i++) {
    const bytes: number[] = [];
    forEachCodePoint(src[i]!, o.encoding, (cp) => {
      const bad = cp < 0 || (o.replaceControls && cp < 0x20);
      if (bad && o.errors === "strict") throw invalidArgument("Invalid formatting on input string");
      if (bad && o.errors === "ignore") return;
      encodeCodePoint(bad ? replacement : cp, output, bytes);
    });
    out[i] = Uint8Array.from(bytes);
  }
  return new Tensor(DataType.DT_STRING, input.shape, out);
}

export const unicodeTranscodeConfig: KernelConfig = {
  op: {
    name: "UnicodeTranscode",
    inputs: ["input: string"],
    outputs: ["output: string"],
    attrs: [
      "input_encoding: string",
      "output_encoding: {'UTF-8', 'UTF-16-BE', 'UTF-32-BE'}",
      "errors: {'strict', 'replace', 'ignore'} = 'replace'",
      "replacement_char: int = 65533",
      "replace_control_characters: bool = false",
    ],
  },
  kernel: cpuKernel("UnicodeTranscode", (c) => {
    const o: DecodeOptions = {
      encoding: parseEncoding(getAttrString(c.attrs, "input_encoding"), "input"),
      errors: parseErrorMode(getAttrString(c.attrs, "errors")),
      replacement: getAttrInt(c.attrs, "replacement_char"),
      replaceControls: getAttrBool(c.attrs, "replace_control_characters"),
    };
    checkReplacementChar(o.replacement);
    const output = parseEncoding(getAttrString(c.attrs, "output_encoding"), "output");
    return { compute: (ctx) => ctx.setOutput(0, unicodeTranscode(ctx.input(0), o, output)) };
  }),
};
