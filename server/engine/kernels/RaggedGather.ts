// TF's RaggedGather (core/kernels/ragged_gather_op.cc, tf.gather on a RaggedTensor and ragged
// concat): gathers rows of a ragged tensor (nested row splits plus dense values) by a dense index
// tensor. Every dim of `indices` but the last becomes a uniform ragged level of the output; a
// scalar index drops the outermost level.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { checkAllocation, Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, intVector, lanesOf, readInts, storage } from "./util/tensor-util.js";

/** TF's SliceDebugString: "[i,j]" of flat index `flat` in `shape` ("" for a scalar). */
function sliceString(shape: readonly number[], flat: number): string {
  if (shape.length === 0) return "";
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return `[${idx.join(",")}]`;
}

function checkSplits(splits: readonly number[][], numValues: number): void {
  splits.forEach((s, dim) => {
    const last = dim === splits.length - 1 ? numValues : splits[dim + 1]!.length;
    if (s.length === 0) throw invalidArgument("Ragged splits may not be empty");
    if (s[0]! < 0) throw invalidArgument("Ragged splits must be non-negative");
    if (s[s.length - 1]! > last) throw invalidArgument("Ragged splits must not point past values");
    for (let i = 1; i < s.length; i++)
      if (s[i - 1]! > s[i]!) throw invalidArgument("Ragged splits must be sorted");
  });
}

export function raggedGather(
  splitsT: readonly Tensor[],
  values: Tensor,
  indicesT: Tensor,
  splitsType: DataType,
): [Tensor[], Tensor] {
  const indices = readInts(indicesT);
  const numParams = splitsT[0]!.shape[0]! - 1;
  indices.forEach((index, i) => {
    if (index < 0 || index >= numParams) {
      throw invalidArgument(
        `indices${sliceString(indicesT.shape, i)} = ${index} is not in [0, ${numParams})`,
      );
    }
  });
  if (values.rank === 0) throw invalidArgument("params.rank must be nonzero");
  const splits = splitsT.map(readInts);
  checkSplits(splits, values.shape[0]!);
  const lead = indicesT.rank - 1;
  const out: number[][] = Array.from({ length: lead + splits.length }, () => [0]);
  // Uniform levels from the index tensor's own dims.
  let rows = 1;
  for (let d = 0; d < lead; d++) {
    rows *= indicesT.shape[d]!;
    const len = indicesT.shape[d + 1]!;
    for (let i = 1; i <= rows; i++) out[d]!.push(i * len);
  }
  // Sizes first: repeated indices can ask for far more than params hold, so the output is checked
  // against the allocation limits before any of it is built.
  const levelSizes = out.map((o) => o.length);
  let valueRows = 0;
  for (const index of indices) {
    let [start, limit] = [index, index + 1];
    splits.forEach((s, dim) => {
      levelSizes[dim + lead]! += limit - start;
      [start, limit] = [s[start]!, s[limit]!];
    });
    valueRows += limit - start;
  }
  for (const n of levelSizes) checkAllocation(splitsType, n);
  checkAllocation(values.dtype, valueRows * (values.numElements / Math.max(1, values.shape[0]!)));
  const slices: [number, number][] = [];
  let numValues = 0;
  for (const index of indices) {
    let start = index;
    let limit = index + 1;
    splits.forEach((s, dim) => {
      const o = out[dim + lead];
      if (o) {
        const delta = o[o.length - 1]! - s[start]!;
        for (let j = start; j < limit; j++) o.push(s[j + 1]! + delta);
      }
      start = s[start]!;
      limit = s[limit]!;
    });
    if (limit !== start) {
      slices.push([start, limit]);
      numValues += limit - start;
    }
  }
  const block = values.shape.slice(1).reduce((a, b) => a * b, 1) * lanesOf(values.dtype);
  const shape = [numValues, ...values.shape.slice(1)];
  const dst = allocIndexable(
    values.dtype,
    shape.reduce((a, b) => a * b, 1),
    shape,
  );
  const src = storage(values);
  let k = 0;
  for (const [a, b] of slices) for (let i = a * block; i < b * block; i++) dst[k++] = src[i];
  return [
    out.map((s) => intVector(splitsType, s)),
    new Tensor(values.dtype, shape, dst as unknown as Tensor["data"]),
  ];
}

export const raggedGatherConfig: KernelConfig = {
  op: {
    name: "RaggedGather",
    inputs: [
      "params_nested_splits: PARAMS_RAGGED_RANK * Tsplits",
      "params_dense_values: Tvalues",
      "indices: Tindices",
    ],
    outputs: ["output_nested_splits: OUTPUT_RAGGED_RANK * Tsplits", "output_dense_values: Tvalues"],
    attrs: [
      "Tvalues: type",
      "Tindices: {int32, int64}",
      "Tsplits: {int32, int64} = DT_INT64",
      "PARAMS_RAGGED_RANK: int >= 1",
      "OUTPUT_RAGGED_RANK: int >= 0",
    ],
  },
  kernel: cpuKernel("RaggedGather", (c) => {
    const splitsType = getAttrType(c.attrs, "Tsplits");
    return {
      compute(ctx) {
        const n = ctx.numInputs - 2;
        const splits = Array.from({ length: n }, (_, i) => ctx.input(i));
        const [outSplits, values] = raggedGather(splits, ctx.input(n), ctx.input(n + 1), splitsType);
        outSplits.forEach((t, i) => {
          ctx.setOutput(i, t);
        });
        ctx.setOutput(outSplits.length, values);
      },
    };
  }),
};
