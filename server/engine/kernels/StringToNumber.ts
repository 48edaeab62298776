// TF's StringToNumber (core/kernels/string_to_number_op.cc): parses decimal numbers (absl's
// SimpleAtof/SimpleAtoi rules: surrounding whitespace allowed, inf/nan accepted for floats,
// integers range-checked). float32 parses through double then rounds (a double-rounding
// difference from strtof is possible only for inputs with > 17 significant digits).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const FLOAT = /^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$/i;
const INT = /^[+-]?\d+$/;
const dec = new TextDecoder();

const RANGES: Partial<Record<number, [bigint, bigint]>> = {
  [DataType.DT_INT32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [DataType.DT_INT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [DataType.DT_UINT32]: [0n, 2n ** 32n - 1n],
  [DataType.DT_UINT64]: [0n, 2n ** 64n - 1n],
};

export function stringToNumber(t: Tensor, outType: DataType): Tensor {
  const src = t.data as Uint8Array[];
  const out = allocData(outType, src.length, t.shape);
  const range = RANGES[outType];
  for (let i = 0; i < src.length; i++) {
    const raw = dec.decode(src[i]!);
    const s = raw.trim();
    const fail = () => invalidArgument(`StringToNumberOp could not correctly convert string: ${raw}`);
    if (range) {
      if (!INT.test(s)) throw fail();
      const v = BigInt(s);
      if (v < range[0] || v > range[1]) throw fail();
      if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = v;
      else (out as Int32Array)[i] = Number(v);
    } else {
      if (!FLOAT.test(s)) throw fail();
      const lower = s.toLowerCase().replace(/^[+]/, "");
      const v =
        lower.endsWith("inf") || lower.endsWith("infinity")
          ? lower.startsWith("-")
            ? -Infinity
            : Infinity
          : lower.endsWith("nan")
            ? Number.NaN
            : Number(s);
      (out as Float64Array)[i] = v;
    }
  }
  return new Tensor(outType, t.shape, out);
}

export const stringToNumberConfig: KernelConfig = {
  op: {
    name: "StringToNumber",
    inputs: ["string_tensor: string"],
    outputs: ["output: out_type"],
    attrs: ["out_type: {float, double, int32, int64, uint32, uint64} = DT_FLOAT"],
  },
  kernel: cpuKernel("StringToNumber", (c) => {
    const outType = getAttrType(c.attrs, "out_type");
    return { compute: (ctx) => ctx.setOutput(0, stringToNumber(ctx.input(0), outType)) };
  }),
};
