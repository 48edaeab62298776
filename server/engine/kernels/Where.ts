// TF's Where (core/kernels/where_op.cc): the coordinates of the non-zero (true) elements of the
// input, one int64 row per element in row-major order.

import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, decodedInput, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { lanesOf } from "./util/tensor-util.js";

export function where(input: Tensor): Tensor {
  return runWhole(whereJob(input));
}

/**
 * where as an ElementJob (util/element-slices.ts): half/bfloat16 decoded, the true elements
 * counted, then the output allocated (at the start of the last pass, as TF allocates once it has
 * counted) and their coordinates written in row-major order. The count so far carries from one
 * range to the next (ranges run in order).
 */
export function whereJob(input: Tensor): ElementJob<Tensor> {
  const n = input.numElements;
  const rank = input.rank;
  const shape = input.shape;
  const d = input.data;
  const lanes = lanesOf(input.dtype);
  const decoded = decodedInput(input);
  const isTrue: (i: number) => boolean =
    d instanceof BigInt64Array || d instanceof BigUint64Array
      ? (i) => d[i] !== 0n
      : lanes === 2
        ? (i) => (d as Float32Array)[2 * i] !== 0 || (d as Float32Array)[2 * i + 1] !== 0
        : (i) => decoded.data[i] !== 0;
  let count = 0;
  const countRange = (s: number, e: number) => {
    for (let i = s; i < e; i++) if (isTrue(i)) count++;
  };
  let out: BigInt64Array = new BigInt64Array(0);
  let row = 0;
  const write = (s: number, e: number) => {
    if (s === 0) out = allocData(DataType.DT_INT64, count * rank, [count, rank]) as BigInt64Array;
    for (let i = s; i < e; i++) {
      if (!isTrue(i)) continue;
      let rem = i;
      for (let k = rank - 1; k >= 0; k--) {
        const c = rem % shape[k]!;
        out[row * rank + k] = BigInt(c);
        rem = (rem - c) / shape[k]!;
      }
      row++;
    }
  };
  const passes = [...decoded.passes, { n, run: countRange, cost: lanes }, { n, run: write, cost: 2 }];
  return { passes, result: () => new Tensor(DataType.DT_INT64, [count, rank], out) };
}

export const whereConfig: KernelConfig = {
  op: {
    name: "Where",
    inputs: ["input: T"],
    outputs: ["index: int64"],
    attrs: ["T: {numbertype, bool} = DT_BOOL"],
  },
  kernel: cpuKernel("Where", () => ({ compute: (ctx) => computeJob(ctx, whereJob(ctx.input(0))) })),
};
