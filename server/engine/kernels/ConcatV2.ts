// TF's ConcatV2 and legacy Concat (core/kernels/concat_op.cc): joins N tensors along an axis
// (negative counts from the end); all other dimensions must match.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

export function concat(values: readonly Tensor[], axisIn: number): Tensor {
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
  let col = 0;
  for (const v of values) {
    const chunk = v.shape[axis]! * inner * lanes;
    const src = storage(v);
    for (let o = 0; o < outer; o++) {
      const dstBase = (o * total * inner + col * inner) * lanes;
      const srcBase = o * chunk;
      for (let k = 0; k < chunk; k++) out[dstBase + k] = src[srcBase + k];
    }
    col += v.shape[axis]!;
  }
  return new Tensor(first.dtype, shape, out as unknown as Tensor["data"]);
}

export const concatV2Config: KernelConfig = {
  op: {
    name: "ConcatV2",
    inputs: ["values: N * T", "axis: Tidx"],
    outputs: ["output: T"],
    attrs: ["N: int >= 2", "T: type", "Tidx: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("ConcatV2", (ctx) => {
    const n = ctx.numInputs - 1;
    const values = Array.from({ length: n }, (_, i) => ctx.input(i));
    const axisT = ctx.input(n);
    if (axisT.rank !== 0)
      throw invalidArgument(
        `axis tensor should be a scalar integer, but got shape ${shapeString(axisT.shape)}`,
      );
    ctx.setOutput(0, concat(values, readInts(axisT)[0]!));
  }),
};

export const concatConfig: KernelConfig = {
  op: {
    name: "Concat",
    inputs: ["concat_dim: int32", "values: N * T"],
    outputs: ["output: T"],
    attrs: ["N: int >= 2", "T: type"],
  },
  kernel: simpleKernel("Concat", (ctx) => {
    const values = Array.from({ length: ctx.numInputs - 1 }, (_, i) => ctx.input(i + 1));
    ctx.setOutput(0, concat(values, readInts(ctx.input(0))[0]!));
  }),
};
