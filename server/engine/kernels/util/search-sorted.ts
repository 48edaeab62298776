// Shared body of TF's LowerBound / UpperBound (core/kernels/searchsorted_op.cc): per row, a binary
// search of each value in the row's sorted inputs (std::lower_bound / std::upper_bound, whose
// comparisons fix how NaN lands).

import { invalidArgument } from "../../framework/errors.js";
import { getAttrType } from "../../framework/op-def.js";
import { allocData, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, REAL_NUMBER_TYPES } from "./kernel-config.js";
import { numericData } from "./tensor-util.js";

type Values = ArrayLike<number | bigint>;

function checkRank2(t: Tensor, name: string): void {
  if (t.rank !== 2)
    throw invalidArgument(`Shape must be rank 2 but is rank ${t.rank} for \`${name}\` argument`);
}

function values(t: Tensor): Values {
  const d = t.data;
  return d instanceof BigInt64Array || d instanceof BigUint64Array ? d : numericData(t);
}

/** First position in [lo, lo+count) whose element is not `before` v (lower: < v, upper: <= v). */
function bound(s: Values, lo: number, count: number, v: number | bigint, upper: boolean): number {
  let first = lo;
  let n = count;
  while (n > 0) {
    const step = Math.floor(n / 2);
    const it = first + step;
    const go = upper ? !(v < s[it]!) : s[it]! < v;
    if (go) {
      first = it + 1;
      n -= step + 1;
    } else n = step;
  }
  return first - lo;
}

export function searchSorted(sorted: Tensor, vals: Tensor, outType: DataType, upper: boolean): Tensor {
  checkRank2(sorted, "sorted_inputs");
  checkRank2(vals, "values");
  if (sorted.shape[0] !== vals.shape[0])
    throw invalidArgument("Leading dim_size of both tensors must match.");
  const [rows, width] = sorted.shape as [number, number];
  const perRow = vals.shape[1]!;
  const s = values(sorted);
  const v = values(vals);
  const n = rows * perRow;
  const out = allocData(outType, n, vals.shape);
  const o = out as unknown as { [i: number]: number | bigint };
  const big = outType === DataType.DT_INT64;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < perRow; j++) {
      const i = bound(s, r * width, width, v[r * perRow + j]!, upper);
      o[r * perRow + j] = big ? BigInt(i) : i;
    }
  }
  return new Tensor(outType, vals.shape, out);
}

export function searchSortedConfig(name: string, upper: boolean): KernelConfig {
  return {
    op: {
      name,
      inputs: ["sorted_inputs: T", "values: T"],
      outputs: ["output: out_type"],
      attrs: ["T: type", "out_type: {int32, int64} = DT_INT32"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
      const outType = getAttrType(c.attrs, "out_type");
      return { compute: (ctx) => ctx.setOutput(0, searchSorted(ctx.input(0), ctx.input(1), outType, upper)) };
    }),
  };
}
