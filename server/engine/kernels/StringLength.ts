// TF's StringLength (core/kernels/string_length_op.cc): bytes (unit BYTE) or UTF-8 characters
// (unit UTF8_CHAR, counting non-continuation bytes like TF) of each string.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export type CharUnit = "BYTE" | "UTF8_CHAR";

/** TF's string ops declare unit as {'BYTE', 'UTF8_CHAR'}; our parser has no string enums. */
export function checkUnit(unit: string): CharUnit {
  if (unit !== "BYTE" && unit !== "UTF8_CHAR") {
    throw invalidArgument(
      `Value for attr 'unit' of "${unit}" is not in the list of allowed values: "BYTE", "UTF8_CHAR"`,
    );
  }
  return unit;
}

export function utf8Length(b: Uint8Array): number {
  let n = 0;
  for (const c of b) if ((c & 0xc0) !== 0x80) n++;
  return n;
}

export function stringLength(t: Tensor, unit: CharUnit): Tensor {
  const src = t.data as Uint8Array[];
  const out = allocData(DataType.DT_INT32, src.length, t.shape) as Int32Array;
  for (let i = 0; i < src.length; i++) out[i] = unit === "BYTE" ? src[i]!.length : utf8Length(src[i]!);
  return new Tensor(DataType.DT_INT32, t.shape, out);
}

export const stringLengthConfig: KernelConfig = {
  op: {
    name: "StringLength",
    inputs: ["input: string"],
    outputs: ["output: int32"],
    attrs: ["unit: {'BYTE', 'UTF8_CHAR'} = 'BYTE'"],
  },
  kernel: cpuKernel("StringLength", (c) => {
    const unit = checkUnit(getAttrString(c.attrs, "unit"));
    return { compute: (ctx) => ctx.setOutput(0, stringLength(ctx.input(0), unit)) };
  }),
};
