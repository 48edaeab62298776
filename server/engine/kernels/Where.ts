// TF's Where (core/kernels/where_op.cc): the coordinates of the non-zero (true) elements of the
// input, one int64 row per element in row-major order.

import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { lanesOf, numericData } from "./util/tensor-util.js";

export function where(input: Tensor): Tensor {
  const n = input.numElements;
  const rank = input.rank;
  const d = input.data;
  const lanes = lanesOf(input.dtype);
  const isTrue: (i: number) => boolean =
    d instanceof BigInt64Array || d instanceof BigUint64Array
      ? (i) => d[i] !== 0n
      : lanes === 2
        ? (i) => (d as Float32Array)[2 * i] !== 0 || (d as Float32Array)[2 * i + 1] !== 0
        : (
            (a: ArrayLike<number>) => (i: number) =>
              a[i] !== 0
          )(numericData(input));
  let count = 0;
  for (let i = 0; i < n; i++) if (isTrue(i)) count++;
  const out = allocData(DataType.DT_INT64, count * rank, [count, rank]) as BigInt64Array;
  const idx = new Array<number>(rank).fill(0);
  let row = 0;
  for (let i = 0; i < n; i++) {
    if (isTrue(i)) {
      for (let k = 0; k < rank; k++) out[row * rank + k] = BigInt(idx[k]!);
      row++;
    }
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < input.shape[k]!) break;
      idx[k] = 0;
    }
  }
  return new Tensor(DataType.DT_INT64, [count, rank], out);
}

export const whereConfig: KernelConfig = {
  op: {
    name: "Where",
    inputs: ["input: T"],
    outputs: ["index: int64"],
    attrs: ["T: {numbertype, bool} = DT_BOOL"],
  },
  kernel: simpleKernel("Where", (ctx) => ctx.setOutput(0, where(ctx.input(0)))),
};
