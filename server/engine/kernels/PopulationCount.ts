// TF's PopulationCount (core/kernels/population_count_op.cc): the number of set bits of each
// element's two's-complement representation, as uint8.

import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { BITWISE_TYPE_ATTR, BITWISE_TYPES, bitWidth } from "./util/bitwise.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
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
  return runWhole(populationCountJob(x));
}

/** populationCount as an ElementJob (util/element-slices.ts): one pass over the elements. */
export function populationCountJob(x: Tensor): ElementJob<Tensor> {
  const n = x.numElements;
  const out = allocData(DataType.DT_UINT8, n, x.shape) as Uint8Array;
  const result = () => new Tensor(DataType.DT_UINT8, x.shape, out);
  const bits = bitWidth(x.dtype);
  if (bits === 64) {
    const d = x.data as BigInt64Array | BigUint64Array;
    const run = (s: number, e: number) => {
      for (let i = s; i < e; i++) {
        const v = BigInt.asUintN(64, d[i]!);
        out[i] = popcount32(Number(v & 0xffffffffn)) + popcount32(Number(v >> 32n));
      }
    };
    return oneLoop(n, run, result, 16);
  }
  const d = x.data as Int32Array;
  const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = popcount32(d[i]! & mask);
  };
  return oneLoop(n, run, result, 2);
}

export const populationCountConfig: KernelConfig = {
  op: { name: "PopulationCount", inputs: ["x: T"], outputs: ["y: uint8"], attrs: [BITWISE_TYPE_ATTR] },
  kernel: cpuKernel("PopulationCount", (c) => {
    checkTypeConstraint(c, "T", BITWISE_TYPES);
    return { compute: (ctx) => computeJob(ctx, populationCountJob(ctx.input(0))) };
  }),
};
