// TF's RaggedRange (core/kernels/ragged_range_op.cc, tf.ragged.range and ragged slicing such as
// rt[:, :2]): one range per (start, limit, delta) triple, scalars broadcast against vectors, as
// row splits plus concatenated values. Values accumulate by repeated addition in the value dtype
// (TF adds delta to the previous value, so float32 results round at every step).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { intVector, numericData } from "./util/tensor-util.js";

function valuesOf(t: Tensor): number[] {
  if (t.dtype === DataType.DT_INT64) return Array.from(t.data as BigInt64Array, Number);
  return Array.from(numericData(t));
}

/** Rounds a result to the value dtype. */
function rounder(dtype: DataType): (x: number) => number {
  if (dtype === DataType.DT_FLOAT) return Math.fround;
  if (dtype === DataType.DT_INT32) return (x) => x | 0;
  return (x) => x;
}

function rangeSize(
  start: number,
  limit: number,
  delta: number,
  integral: boolean,
  round: (x: number) => number,
  maxSize: bigint,
): number {
  if (delta === 0) throw invalidArgument("Requires delta != 0");
  if ((delta > 0 && limit < start) || (delta < 0 && limit > start)) return 0;
  const size = integral
    ? Math.floor((Math.abs(limit - start) + Math.abs(delta) - 1) / Math.abs(delta))
    : Math.ceil(Math.abs(round(round(limit - start) / delta)));
  // NaN and infinite bounds fail this too, as in TF.
  if (!(size <= Number(maxSize))) throw invalidArgument(`Requires ((limit - start) / delta) <= ${maxSize}`);
  return size;
}

export function raggedRange(
  startsT: Tensor,
  limitsT: Tensor,
  deltasT: Tensor,
  splitsType: DataType,
): [Tensor, Tensor] {
  const named: [string, Tensor][] = [
    ["starts", startsT],
    ["limits", limitsT],
    ["deltas", deltasT],
  ];
  for (const [name, t] of named) if (t.rank > 1) throw invalidArgument(`${name} must be a scalar or vector`);
  const vectors = named.map(([, t]) => t).filter((t) => t.rank === 1);
  const rows = vectors.length === 0 ? 1 : vectors[0]!.shape[0]!;
  if (vectors.some((t) => t.shape[0] !== rows)) {
    throw invalidArgument("starts, limits, and deltas must have the same shape");
  }
  const [starts, limits, deltas] = named.map(([, t]) => valuesOf(t)) as [number[], number[], number[]];
  const at = (v: number[], i: number) => (v.length === 1 && rows !== 1 ? v[0]! : v[i]!);
  const dtype = startsT.dtype;
  const integral = dtype === DataType.DT_INT32 || dtype === DataType.DT_INT64;
  const round = rounder(dtype);
  const splits = [0];
  const maxSize = splitsType === DataType.DT_INT32 ? 2n ** 31n - 1n : 2n ** 63n - 1n;
  for (let i = 0; i < rows; i++) {
    splits.push(
      splits[i]! + rangeSize(at(starts, i), at(limits, i), at(deltas, i), integral, round, maxSize),
    );
  }
  const total = splits[rows]!;
  const out = allocData(dtype, total, [total]);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    let v = at(starts, i);
    const d = at(deltas, i);
    for (let j = splits[i]!; j < splits[i + 1]!; j++, k++) {
      if (out instanceof BigInt64Array) out[k] = BigInt(v);
      else (out as Float32Array)[k] = v;
      v = round(v + d);
    }
  }
  return [intVector(splitsType, splits), new Tensor(dtype, [total], out)];
}

export const raggedRangeConfig: KernelConfig = {
  op: {
    name: "RaggedRange",
    inputs: ["starts: T", "limits: T", "deltas: T"],
    outputs: ["rt_nested_splits: Tsplits", "rt_dense_values: T"],
    attrs: ["T: {bfloat16, float, double, int32, int64} = DT_INT32", "Tsplits: {int32, int64} = DT_INT64"],
  },
  kernel: cpuKernel("RaggedRange", (c) => {
    // The op allows bfloat16, but TF registers no CPU kernel for it.
    checkTypeConstraint(c, "T", [T.float, T.double, T.int32, T.int64]);
    const splitsType = getAttrType(c.attrs, "Tsplits");
    return {
      compute(ctx) {
        const [splits, values] = raggedRange(ctx.input(0), ctx.input(1), ctx.input(2), splitsType);
        ctx.setOutput(0, splits);
        ctx.setOutput(1, values);
      },
    };
  }),
};
