// TF's RaggedTensorToSparse (core/kernels/ragged_tensor_to_sparse_kernel.cc,
// RaggedTensor.to_sparse): the SparseTensor of a ragged tensor given as nested row splits plus
// dense values: one index per value element, in row-major order, and the bounding dense shape.

import { invalidArgument } from "../framework/errors.js";
import { allocData, numElements, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

/** TF's checks of each splits vector against the length of the level below it. */
function checkSplits(splits: readonly number[][], valueRows: number): void {
  splits.forEach((s, level) => {
    if (s.length === 0) throw invalidArgument("ragged splits may not be empty.");
    if (s[0] !== 0) throw invalidArgument("First value of ragged splits must be 0.");
    for (let i = 1; i < s.length; i++) {
      if (s[i]! < s[i - 1]!) {
        throw invalidArgument(
          `Ragged splits should be non decreasing, but we got ${s[i - 1]} followed by ${s[i]}`,
        );
      }
    }
    const below = level + 1 < splits.length ? splits[level + 1]!.length - 1 : valueRows;
    if (s[s.length - 1] !== below) {
      throw invalidArgument(
        "Final value of ragged splits must match the length the corresponding ragged values.",
      );
    }
  });
}

export function raggedTensorToSparse(splitsT: readonly Tensor[], values: Tensor): [Tensor, Tensor, Tensor] {
  const splits = splitsT.map(readInts);
  checkSplits(splits, values.shape[0] ?? 0);
  const inner = values.shape.slice(1);
  const block = numElements(inner);
  const rank = splits.length + values.rank;
  // The ragged prefix of every value row, walked depth first.
  const prefixes: number[][] = [];
  const walk = (level: number, lo: number, hi: number, prefix: number[]) => {
    for (let p = lo; p < hi; p++) {
      const here = [...prefix, p - lo];
      if (level === splits.length) prefixes.push(here);
      else walk(level + 1, splits[level]![p]!, splits[level]![p + 1]!, here);
    }
  };
  for (let r = 0; r + 1 < splits[0]!.length; r++) walk(1, splits[0]![r]!, splits[0]![r + 1]!, [r]);
  const n = prefixes.length * block;
  const indices = allocData(DataType.DT_INT64, n * rank, [n, rank]) as BigInt64Array;
  let k = 0;
  for (const prefix of prefixes) {
    for (let e = 0; e < block; e++) {
      for (const d of prefix) indices[k++] = BigInt(d);
      let rest = e;
      const tail = new Array<number>(inner.length);
      for (let d = inner.length - 1; d >= 0; d--) {
        tail[d] = rest % inner[d]!;
        rest = Math.floor(rest / inner[d]!);
      }
      for (const d of tail) indices[k++] = BigInt(d);
    }
  }
  const lanes = lanesOf(values.dtype);
  const vals = allocIndexable(values.dtype, n, [n]);
  const src = storage(values);
  for (let i = 0; i < n * lanes; i++) vals[i] = src[i];
  const dense = allocData(DataType.DT_INT64, rank, [rank]) as BigInt64Array;
  dense[0] = BigInt(splitsT[0]!.shape[0]! - 1);
  splits.forEach((s, level) => {
    let widest = 0;
    for (let i = 0; i + 1 < s.length; i++) widest = Math.max(widest, s[i + 1]! - s[i]!);
    dense[level + 1] = BigInt(widest);
  });
  inner.forEach((d, i) => {
    dense[splits.length + 1 + i] = BigInt(d);
  });
  return [
    new Tensor(DataType.DT_INT64, [n, rank], indices),
    new Tensor(values.dtype, [n], vals as unknown as Tensor["data"]),
    new Tensor(DataType.DT_INT64, [rank], dense),
  ];
}

export const raggedTensorToSparseConfig: KernelConfig = {
  op: {
    name: "RaggedTensorToSparse",
    inputs: ["rt_nested_splits: RAGGED_RANK * Tsplits", "rt_dense_values: T"],
    outputs: ["sparse_indices: int64", "sparse_values: T", "sparse_dense_shape: int64"],
    attrs: ["RAGGED_RANK: int >= 1", "T: type", "Tsplits: {int32, int64} = DT_INT64"],
  },
  kernel: cpuKernel("RaggedTensorToSparse", () => ({
    compute(ctx) {
      const splits = Array.from({ length: ctx.numInputs - 1 }, (_, i) => ctx.input(i));
      const out = raggedTensorToSparse(splits, ctx.input(ctx.numInputs - 1));
      for (const [i, t] of out.entries()) ctx.setOutput(i, t);
    },
  })),
};
