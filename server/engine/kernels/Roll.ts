// TF's Roll (core/kernels/roll_op.cc): elements shifted along the given axes with wrap-around;
// shifts of a repeated axis add up.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, doneJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

export function roll(input: Tensor, shift: Tensor, axis: Tensor): Tensor {
  return runWhole(rollJob(input, shift, axis));
}

/**
 * roll as an ElementJob (util/element-slices.ts): one pass over the input elements, each written
 * where its shifted index lands; a range finds the index of its first element and counts on.
 */
export function rollJob(input: Tensor, shift: Tensor, axis: Tensor): ElementJob<Tensor> {
  if (input.rank < 1) throw invalidArgument("input must be 1-D or higher");
  if (shift.rank > 1) {
    throw invalidArgument(`shift must be a scalar or a 1-D vector. Found: ${shapeString(shift.shape)}`);
  }
  if (axis.rank > 1) {
    throw invalidArgument(`axis must be a scalar or a 1-D vector. Found: ${shapeString(axis.shape)}`);
  }
  if (shift.numElements !== axis.numElements) throw invalidArgument("shift and axis must have the same size");
  const shifts = readInts(shift);
  const axes = readInts(axis);
  const rank = input.rank;
  const total = new Array<number>(rank).fill(0);
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i]! < 0 ? axes[i]! + rank : axes[i]!;
    if (a < 0 || a >= rank) throw invalidArgument(`axis ${a} is out of range`);
    total[a] = total[a]! + shifts[i]!;
  }
  const shape = input.shape;
  const n = input.numElements;
  const out = allocIndexable(input.dtype, n, shape);
  const result = () => new Tensor(input.dtype, shape, out as unknown as Tensor["data"]);
  if (n === 0) return doneJob(result());
  const strides = stridesOf(shape);
  // Output offset of each input index along each axis: ((i + shift) mod dim) * stride.
  const dest = shape.map((dim, d) => {
    const s = ((total[d]! % dim) + dim) % dim;
    return Array.from({ length: dim }, (_, i) => ((i + s) % dim) * strides[d]!);
  });
  const src = storage(input);
  const lanes = lanesOf(input.dtype);
  const idx = new Array<number>(rank);
  const run = (start: number, end: number) => {
    for (let d = 0; d < rank; d++) idx[d] = Math.floor(start / strides[d]!) % shape[d]!;
    for (let i = start; i < end; i++) {
      let o = 0;
      for (let d = 0; d < rank; d++) o += dest[d]![idx[d]!]!;
      for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[i * lanes + l];
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d]! < shape[d]!) break;
        idx[d] = 0;
      }
    }
  };
  return oneLoop(n, run, result, (1 + rank) * lanes);
}

export const rollConfig: KernelConfig = {
  op: {
    name: "Roll",
    inputs: ["input: T", "shift: Tshift", "axis: Taxis"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tshift: {int32, int64}", "Taxis: {int32, int64}"],
  },
  kernel: cpuKernel("Roll", () => ({
    compute: (ctx) => computeJob(ctx, rollJob(ctx.input(0), ctx.input(1), ctx.input(2))),
  })),
};
