// TF's UnicodeDecode and UnicodeDecodeWithOffsets (core/kernels/unicode_ops.cc,
// tf.strings.unicode_decode / unicode_split, and their _with_offsets forms): each string's code
// points, as row splits over the flattened input plus the code points (and each one's start byte).
// Malformed input (and, with replace_control_characters, C0 controls) is replaced by
// replacement_char, dropped, or an error, as `errors` says.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrInt, getAttrString, getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { intVector } from "./util/tensor-util.js";
import {
  type ErrorMode,
  forEachCodePoint,
  parseEncoding,
  parseErrorMode,
  type UnicodeEncoding,
} from "./util/unicode.js";

export interface DecodeOptions {
  readonly encoding: UnicodeEncoding;
  readonly errors: ErrorMode;
  readonly replacement: number;
  readonly replaceControls: boolean;
}

export function checkReplacementChar(c: number): void {
  if (c < 0 || c > 0x10ffff) throw invalidArgument("replacement_char out of unicode codepoint range");
}

/** Decodes every string: row splits, code points and each code point's start byte. */
function decodeAll(input: Tensor, o: DecodeOptions): { splits: number[]; chars: number[]; starts: number[] } {
  const splits = [0];
  const chars: number[] = [];
  const starts: number[] = [];
  for (const s of input.data as Uint8Array[]) {
    forEachCodePoint(s, o.encoding, (cp, start) => {
      const bad = cp < 0 || (o.replaceControls && cp < 0x20);
      if (bad && o.errors === "strict") throw invalidArgument("Invalid formatting on input string");
      if (bad && o.errors === "ignore") return;
      chars.push(bad ? o.replacement : cp);
      starts.push(start);
    });
    splits.push(chars.length);
  }
  return { splits, chars, starts };
}

function int32Vector(values: readonly number[]): Tensor {
  const data = allocData(DataType.DT_INT32, values.length, [values.length]) as Int32Array;
  data.set(values);
  return new Tensor(DataType.DT_INT32, [values.length], data);
}

export function unicodeDecode(input: Tensor, o: DecodeOptions, splitsType: DataType): [Tensor, Tensor] {
  const { splits, chars } = decodeAll(input, o);
  return [intVector(splitsType, splits), int32Vector(chars)];
}

/** UnicodeDecodeWithOffsets: also each character's start byte in its string. */
export function unicodeDecodeWithOffsets(
  input: Tensor,
  o: DecodeOptions,
  splitsType: DataType,
): [Tensor, Tensor, Tensor] {
  const { splits, chars, starts } = decodeAll(input, o);
  return [intVector(splitsType, splits), int32Vector(chars), intVector(DataType.DT_INT64, starts)];
}

/** The KernelConfig of UnicodeDecode or UnicodeDecodeWithOffsets. */
function decodeOpConfig(name: string, withOffsets: boolean): KernelConfig {
  return {
    op: {
      name,
      inputs: ["input: string"],
      outputs: [
        "row_splits: Tsplits",
        "char_values: int32",
        ...(withOffsets ? ["char_to_byte_starts: int64"] : []),
      ],
      attrs: [
        "input_encoding: string",
        "errors: {'strict', 'replace', 'ignore'} = 'replace'",
        "replacement_char: int = 65533",
        "replace_control_characters: bool = false",
        "Tsplits: {int32, int64} = DT_INT64",
      ],
    },
    kernel: cpuKernel(name, (c) => {
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
          const out = withOffsets
            ? unicodeDecodeWithOffsets(ctx.input(0), o, splitsType)
            : unicodeDecode(ctx.input(0), o, splitsType);
          for (const [i, t] of out.entries()) ctx.setOutput(i, t);
        },
      };
    }),
  };
}

export const unicodeDecodeConfig: KernelConfig = decodeOpConfig("UnicodeDecode", false);
export const unicodeDecodeWithOffsetsConfig: KernelConfig = decodeOpConfig("UnicodeDecodeWithOffsets", true);
