// TF's Lu on CPU (core/kernels/linalg/lu_op.cc): Eigen's partial-pivoting LU of each innermost
// matrix, L (unit diagonal, below) and U packed in one matrix, and the row permutation p with
// input[p] = L·U. An exactly zero pivot is "not invertible", as in TF.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  allocMatrices,
  checkSquare,
  hasZeroPivot,
  LINALG_KERNEL_TYPES,
  luInPlace,
  matrixValues,
  readMatrix,
  writeMatrix,
} from "./linalg-util.js";
import { finish } from "./tensor-util.js";

export function lu(input: Tensor, idxType: DataType): [Tensor, Tensor] {
  if (input.rank < 2) throw invalidArgument(`Input tensor must have rank >= 2, got ${input.rank}`);
  const n = input.shape[input.rank - 1]!;
  checkSquare(input.shape[input.rank - 2]!, n);
  const lead = input.shape.slice(0, -2);
  const nBatch = lead.reduce((x, y) => x * y, 1);
  const out = allocMatrices(input.dtype, input.shape);
  const pShape = [...lead, n];
  const p = allocData(idxType, nBatch * n, pShape) as Int32Array | BigInt64Array;
  const values = matrixValues(input);
  for (let b = 0; b < nBatch; b++) {
    const a = readMatrix(input, values, b, n, n);
    const { perm } = luInPlace(a);
    if (hasZeroPivot(a)) throw invalidArgument("Input is not invertible.");
    writeMatrix(input.dtype, out, b, a);
    perm.forEach((v, i) => {
      if (p instanceof BigInt64Array) p[b * n + i] = BigInt(v);
      else p[b * n + i] = v;
    });
  }
  return [finish(input.dtype, input.shape, out as unknown as Float32Array), new Tensor(idxType, pShape, p)];
}

export const luConfig: KernelConfig = {
  op: {
    name: "Lu",
    inputs: ["input: T"],
    outputs: ["lu: T", "p: output_idx_type"],
    attrs: ["T: {double, float, half, complex64, complex128}", "output_idx_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Lu", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    const idxType = getAttrType(c.attrs, "output_idx_type");
    return {
      compute(ctx) {
        const [l, p] = lu(ctx.input(0), idxType);
        ctx.setOutput(0, l);
        ctx.setOutput(1, p);
      },
    };
  }),
};
