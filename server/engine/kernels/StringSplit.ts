// TF's StringSplit (core/kernels/string_split_op.cc, tf.compat.v1.string_split): splits each
// string of a vector at any byte of `delimiter` (each byte is a delimiter of its own), or into
// single bytes when the delimiter is empty; the tokens come back as a SparseTensor. An empty
// input string has no tokens even with skip_empty false.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { splitToSparse } from "./util/string-util.js";

function splitAnyByte(s: Uint8Array, delims: Uint8Array, skipEmpty: boolean): Uint8Array[] {
  if (s.length === 0) return [];
  if (delims.length === 0) return Array.from({ length: s.length }, (_, i) => s.subarray(i, i + 1));
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && !delims.includes(s[i]!)) continue;
    if (i > start || !skipEmpty) out.push(s.subarray(start, i));
    start = i + 1;
  }
  return out;
}

/** Checks StringSplit/StringSplitV2's input (a vector) and separator (a scalar). */
export function checkSplitInputs(input: Tensor, sep: Tensor, sepName: string): Uint8Array {
  if (input.rank !== 1) {
    throw invalidArgument(`input must be a vector, got shape: ${shapeString(input.shape)}`);
  }
  if (sep.rank !== 0) {
    throw invalidArgument(`${sepName} must be a scalar, got shape: ${shapeString(sep.shape)}`);
  }
  return (sep.data as Uint8Array[])[0]!;
}

export function stringSplit(input: Tensor, delimiter: Tensor, skipEmpty: boolean): [Tensor, Tensor, Tensor] {
  const delims = checkSplitInputs(input, delimiter, "delimiter");
  const rows = (input.data as Uint8Array[]).map((s) => splitAnyByte(s, delims, skipEmpty));
  return splitToSparse(rows);
}

export const stringSplitConfig: KernelConfig = {
  op: {
    name: "StringSplit",
    inputs: ["input: string", "delimiter: string"],
    outputs: ["indices: int64", "values: string", "shape: int64"],
    attrs: ["skip_empty: bool = true"],
  },
  kernel: cpuKernel("StringSplit", (c) => {
    const skipEmpty = getAttrBool(c.attrs, "skip_empty");
    return {
      compute(ctx) {
        for (const [i, t] of stringSplit(ctx.input(0), ctx.input(1), skipEmpty).entries())
          ctx.setOutput(i, t);
      },
    };
  }),
};
