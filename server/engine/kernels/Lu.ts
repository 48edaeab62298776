// TF's Lu (core/kernels/linalg/lu_op.cc): the partially pivoted LU factorization of each square
// matrix of a batch, packed (L strictly below the diagonal with its unit diagonal implied, U on and
// above it), and the row permutation p with input[p] = L·U. An exactly zero pivot is TF's
// INVALID_ARGUMENT "Input is not invertible.".

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  cubicWork,
  luDecompose,
  MatrixOutput,
  matrixSource,
  minAbsPivot,
  readMatrix,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";
import { intVector } from "./util/tensor-util.js";

export function lu(input: Tensor, idxType: DataType): [Tensor, Tensor] {
  return drainSync(luSlices(input, idxType));
}

/** lu in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* luSlices(input: Tensor, idxType: DataType, pace = new Pace()): Slices<[Tensor, Tensor]> {
  const rank = input.shape.length;
  if (rank < 2) throw invalidArgument(`Input tensor must have rank >= 2, got ${rank}`);
  const batchShape = input.shape.slice(0, -2);
  const n = input.shape[rank - 2]!;
  if (input.shape[rank - 1] !== n) throw invalidArgument("Input matrix must be square.");
  const count = batchShape.reduce((a, b) => a * b, 1);
  const out = new MatrixOutput(input.dtype, input.shape);
  const perm: number[] = [];
  const src = matrixSource(input);
  for (let b = 0; b < count && n > 0; b++) {
    const f = yield* luDecompose(readMatrix(src, b, n, n), pace);
    out.write(b, f.lu);
    const p = Array.from({ length: n }, (_, i) => i);
    f.transpositions.forEach((t, k) => {
      [p[k], p[t]] = [p[t]!, p[k]!];
    });
    perm.push(...p);
    if (!(minAbsPivot(f) > 0)) throw invalidArgument("Input is not invertible.");
    if (pace.due(n * n)) yield;
  }
  const pv = intVector(idxType, count * n > 0 ? perm : []);
  return [out.tensor(), new Tensor(idxType, [...batchShape, n], pv.data)];
}

export const luConfig: KernelConfig = {
  op: {
    name: "Lu",
    inputs: ["input: T"],
    outputs: ["lu: T", "p: output_idx_type"],
    attrs: ["T: {double, float, half, complex64, complex128}", "output_idx_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Lu", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.complex64, T.complex128]);
    const idx = getAttrType(c.attrs, "output_idx_type");
    const idxType = idx === DataType.DT_INT64 ? DataType.DT_INT64 : DataType.DT_INT32;
    return {
      compute: (ctx) => pacedCompute(ctx, cubicWork(ctx.input(0)), () => luSlices(ctx.input(0), idxType)),
    };
  }),
};
