// TF's ConcatV2 and legacy Concat (core/kernels/concat_op.cc): joins N tensors along an axis
// (negative counts from the end); all other dimensions must match.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, type Indexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

export function concat(values: readonly Tensor[], axisIn: number): Tensor {
  return runWhole(concatJob(values, axisIn));
}

/** concat as an ElementJob (util/element-slices.ts): shapes checked and output allocated now. */
export function concatJob(values: readonly Tensor[], axisIn: number): ElementJob<Tensor> {
  const first = values[0]!;
  const rank = first.rank;
  if (rank === 0) throw invalidArgument(`ConcatOp : Can't concatenate scalars (use tf.stack instead)`);
  if (axisIn < -rank || axisIn >= rank) {
    throw invalidArgument(
      `ConcatOp : Expected concatenating dimensions in the range [${-rank}, ${rank}), but got ${axisIn}`,
    );
  }
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  let total = 0;
  values.forEach((v, i) => {
    if (v.rank !== rank) {
      throw invalidArgument(
        `ConcatOp : Ranks of all input tensors should match: shape[0] = ${shapeString(first.shape)} vs. shape[${i}] = ${shapeString(v.shape)}`,
      );
    }
    for (let j = 0; j < rank; j++) {
      if (j !== axis && v.shape[j] !== first.shape[j]) {
        throw invalidArgument(
          `ConcatOp : Dimension ${j} in both shapes must be equal: shape[0] = ${shapeString(first.shape)} vs. shape[${i}] = ${shapeString(v.shape)}`,
        );
      }
    }
    total += v.shape[axis]!;
  });
  const shape = [...first.shape];
  shape[axis] = total;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = outer * total * inner;
  const lanes = lanesOf(first.dtype);
  const out = allocIndexable(first.dtype, n, shape);
  const chunks = values.map((v) => v.shape[axis]! * inner * lanes);
  const run = concatRange(
    out,
    values.map((v) => storage(v)),
    chunks,
    total * inner * lanes,
  );
  return oneLoop(n * lanes, run, () => new Tensor(first.dtype, shape, out as unknown as Tensor["data"]));
}

/**
 * Writes storage values [start, end) of a concatenation: each output row (one index of the
 * dimensions before the axis) of `rowLen` values is row o of every source in turn, `chunks[v]`
 * values of source v.
 */
function concatRange(
  out: Indexable,
  srcs: readonly Indexable[],
  chunks: readonly number[],
  rowLen: number,
): (start: number, end: number) => void {
  return (start, end) => {
    let o = Math.floor(start / rowLen);
    let at = start - o * rowLen;
    let v = 0;
    while (at >= chunks[v]!) at -= chunks[v++]!;
    for (let i = start; i < end; ) {
      const len = Math.min(chunks[v]! - at, end - i);
      const src = srcs[v]!;
      const from = o * chunks[v]! + at;
      for (let k = 0; k < len; k++) out[i + k] = src[from + k];
      i += len;
      at = 0;
      // The next source in this row, or the first of the next row (skipping empty sources).
      do {
        if (++v === srcs.length) {
          v = 0;
          o++;
        }
      } while (chunks[v] === 0 && i < end);
    }
  };
}

export const concatV2Config: KernelConfig = {
  op: {
    name: "ConcatV2",
    inputs: ["values: N * T", "axis: Tidx"],
    outputs: ["output: T"],
    attrs: ["N: int >= 2", "T: type", "Tidx: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("ConcatV2", () => ({
    compute(ctx) {
      const n = ctx.numInputs - 1;
      const values = Array.from({ length: n }, (_, i) => ctx.input(i));
      const axisT = ctx.input(n);
      if (axisT.rank !== 0)
        throw invalidArgument(
          `axis tensor should be a scalar integer, but got shape ${shapeString(axisT.shape)}`,
        );
      return computeJob(ctx, concatJob(values, readInts(axisT)[0]!));
    },
  })),
};

export const concatConfig: KernelConfig = {
  op: {
    name: "Concat",
    inputs: ["concat_dim: int32", "values: N * T"],
    outputs: ["output: T"],
    attrs: ["N: int >= 2", "T: type"],
  },
  kernel: cpuKernel("Concat", () => ({
    compute(ctx) {
      const values = Array.from({ length: ctx.numInputs - 1 }, (_, i) => ctx.input(i + 1));
      return computeJob(ctx, concatJob(values, readInts(ctx.input(0))[0]!));
    },
  })),
};
