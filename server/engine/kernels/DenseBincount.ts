// TF's DenseBincount (core/kernels/bincount_op.cc): counts (or sums weights) of each value in
// [0, size) of a rank-0/1 input, or per row of a rank-2 input; values >= size are dropped.
// RaggedTensor.from_value_rowids (so every tf.strings.split) computes row lengths with it.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { allocData, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./kernel-config.js";
import { readInts } from "./tensor-util.js";

export function denseBincount(input: Tensor, sizeT: Tensor, weights: Tensor, binary: boolean): Tensor {
  if (sizeT.rank !== 0) throw invalidArgument(`Shape must be rank 0 but is rank ${sizeT.rank}`);
  const size = readInts(sizeT)[0]!;
  if (size < 0) throw invalidArgument(`size (${size}) must be non-negative`);
  if (!sameShape(weights.shape, input.shape) && weights.numElements !== 0) {
    throw invalidArgument(
      "`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case it acts as all weights " +
        `equal to 1. Received ${shapeString(weights.shape)}`,
    );
  }
  if (input.rank > 2) throw invalidArgument(`Shape must be at most rank 2 but is rank ${input.rank}`);
  const values = readInts(input);
  if (values.some((v) => v < 0)) throw invalidArgument("Input arr must be non-negative!");
  const rows = input.rank === 2 ? input.shape[0]! : 1;
  const perRow = input.rank === 2 ? input.shape[1]! : values.length;
  const outShape = input.rank === 2 ? [rows, size] : [size];
  const dt = weights.dtype;
  const out = allocData(dt, rows * size, outShape) as
    | Float64Array
    | Float32Array
    | Int32Array
    | BigInt64Array;
  const w = weights.numElements === 0 ? undefined : weightValues(weights);
  // Sums accumulate in the output's own dtype, in input order (a float32 output rounds each add).
  const add =
    out instanceof BigInt64Array
      ? (at: number, x: number) => {
          out[at] = binary ? 1n : out[at]! + BigInt(x);
        }
      : (at: number, x: number) => {
          out[at] = binary ? 1 : out[at]! + x;
        };
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < perRow; k++) {
      const v = values[r * perRow + k]!;
      if (v < size) add(r * size + v, w ? w[r * perRow + k]! : 1);
    }
  }
  return new Tensor(dt, outShape, out);
}

function weightValues(w: Tensor): ArrayLike<number> {
  return w.data instanceof BigInt64Array ? Array.from(w.data, Number) : (w.data as ArrayLike<number>);
}

export const denseBincountConfig: KernelConfig = {
  op: {
    name: "DenseBincount",
    inputs: ["input: Tidx", "size: Tidx", "weights: T"],
    outputs: ["output: T"],
    attrs: ["Tidx: {int32, int64}", "T: {int32, int64, float, double}", "binary_output: bool = false"],
  },
  kernel: cpuKernel("DenseBincount", (c) => {
    checkTypeConstraint(c, "T", [T.int32, T.int64, T.float, T.double]);
    const binary = getAttrBool(c.attrs, "binary_output");
    return {
      compute: (ctx) => ctx.setOutput(0, denseBincount(ctx.input(0), ctx.input(1), ctx.input(2), binary)),
    };
  }),
};
