// TF's Roll (core/kernels/roll_op.cc): rotates the elements of a tensor along the given axes by
// the given shifts (tf.roll, and tf.signal.fftshift / ifftshift on top of it). Shifts on a
// repeated axis add up; each axis's total is taken modulo its length.

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { ALL_TYPES, checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./tensor-util.js";

/** Per-axis shifts reduced into [0, dim), with TF's argument checks. */
function axisShifts(input: Tensor, shift: Tensor, axis: Tensor): number[] {
  if (input.rank < 1) throw invalidArgument("input must be 1-D or higher");
  if (shift.rank > 1) {
    throw invalidArgument(`shift must be a scalar or a 1-D vector. Found: ${shapeString(shift.shape)}`);
  }
  if (axis.rank > 1) {
    throw invalidArgument(`axis must be a scalar or a 1-D vector. Found: ${shapeString(axis.shape)}`);
  }
  if (shift.rank !== axis.rank || shift.shape[0] !== axis.shape[0]) {
    throw invalidArgument("shift and axis must have the same size");
  }
  const rank = input.rank;
  const shifts = new Array<number>(rank).fill(0);
  const axes = readInts(axis);
  // TF sums shifts as 32-bit ints.
  const amounts = readInts(shift).map((v) => v | 0);
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + rank : a0;
    if (a < 0 || a >= rank) throw invalidArgument(`axis ${a} is out of range`);
    const ds = Math.max(input.shape[a]!, 1);
    shifts[a] = ((((shifts[a]! + amounts[i]!) | 0) % ds) + ds) % ds;
  });
  return shifts;
}

export function roll(input: Tensor, shift: Tensor, axis: Tensor): Tensor {
  const shifts = axisShifts(input, shift, axis);
  const n = input.numElements;
  const out = allocIndexable(input.dtype, n, input.shape);
  const src = storage(input);
  const lanes = lanesOf(input.dtype);
  const shape = input.shape;
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    // The element at idx moves to idx + shift (mod dim) on every axis.
    let o = 0;
    for (let d = 0; d < rank; d++) {
      const j = idx[d]! + shifts[d]!;
      o = o * shape[d]! + (j >= shape[d]! ? j - shape[d]! : j);
    }
    for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[i * lanes + l];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return new Tensor(input.dtype, shape, out as Tensor["data"]);
}

export const rollConfig: KernelConfig = {
  op: {
    name: "Roll",
    inputs: ["input: T", "shift: Tshift", "axis: Taxis"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tshift: {int32, int64}", "Taxis: {int32, int64}"],
  },
  kernel: cpuKernel("Roll", (c) => {
    checkTypeConstraint(c, "T", ALL_TYPES);
    return {
      compute: (ctx: OpKernelContext) => ctx.setOutput(0, roll(ctx.input(0), ctx.input(1), ctx.input(2))),
    };
  }),
};
