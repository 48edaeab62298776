// TF's PopulationCount (core/kernels/population_count_op.cc): the number of set bits of each
// element's two's-complement representation, as uint8.

import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { BITWISE_TYPE_ATTR, BITWISE_TYPES, bitWidth } from "./util/bitwise.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function popcount32(v: number): number {
  let x = v >>> 0;
  let n = 0;
  while (x !== 0) {
    x &= x - 1;
    n++;
  }
  return n;
}

export function populationCount(x: Tensor): Tensor {
  const n = x.numElements;
  const out = allocData(DataType.DT_UINT8, n, x.shape) as Uint8Array;
  const bits = bitWidth(x.dtype);
  if (bits === 64) {
    const d = x.data as BigInt64Array | BigUint64Array;
    for (let i = 0; i < n; i++) {
      const v = BigInt.asUintN(64, d[i]!);
      out[i] = popcount32(Number(v & 0xffffffffn)) + popcount32(Number(v >> 32n));
    }
  } else {
    const d = x.data as Int32Array;
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    for (let i = 0; i < n; i++) out[i] = popcount32(d[i]! & mask);
  }
  return new Tensor(DataType.DT_UINT8, x.shape, out);
}

export const populationCountConfig: KernelConfig = {
  op: { name: "PopulationCount", inputs: ["x: T"], outputs: ["y: uint8"], attrs: [BITWISE_TYPE_ATTR] },
  kernel: cpuKernel("PopulationCount", (c) => {
    checkTypeConstraint(c, "T", BITWISE_TYPES);
    return { compute: (ctx) => ctx.setOutput(0, populationCount(ctx.input(0))) };
  }),
};
