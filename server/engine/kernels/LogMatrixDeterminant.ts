// TF's LogMatrixDeterminant on CPU (core/kernels/linalg/determinant_op.cc SLogDet): the sign (a
// unit complex number for complex dtypes) and log |det| of each innermost matrix from its
// partial-pivoting LU; a singular matrix gives sign 0 and log |det| = -inf.

import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  allocMatrices,
  batchDims,
  checkSquare,
  cmatrix,
  LINALG_KERNEL_TYPES,
  luInPlace,
  matrixValues,
  readMatrix,
  writeMatrix,
} from "./linalg-util.js";
import { finish } from "./tensor-util.js";

function slogdet(a: ReturnType<typeof cmatrix>): [number, number, number] {
  const n = a.rows;
  if (n === 0) return [1, 0, 0];
  const { swaps } = luInPlace(a);
  let sr = swaps % 2 === 0 ? 1 : -1;
  let si = 0;
  let logAbs = 0;
  for (let k = 0; k < n; k++) {
    const pr = a.re[k * n + k]!;
    const pi = a.im[k * n + k]!;
    const abs = Math.hypot(pr, pi);
    logAbs += Math.log(abs);
    [sr, si] = [sr * (pr / abs) - si * (pi / abs), sr * (pi / abs) + si * (pr / abs)];
  }
  if (!Number.isFinite(logAbs))
    return [0, 0, logAbs > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY];
  return [sr, si, logAbs];
}

export function logMatrixDeterminant(input: Tensor): [Tensor, Tensor] {
  const { rows, cols } = batchDims(input);
  checkSquare(rows, cols);
  const lead = input.shape.slice(0, -2);
  const sign = allocMatrices(input.dtype, lead);
  const logDet = allocMatrices(input.dtype, lead);
  const values = matrixValues(input);
  const nBatch = lead.reduce((x, y) => x * y, 1);
  for (let b = 0; b < nBatch; b++) {
    const [sr, si, l] = slogdet(readMatrix(input, values, b, rows, cols));
    const s = cmatrix(1, 1);
    s.re[0] = sr;
    s.im[0] = si;
    const d = cmatrix(1, 1);
    d.re[0] = l;
    writeMatrix(input.dtype, sign, b, s);
    writeMatrix(input.dtype, logDet, b, d);
  }
  return [
    finish(input.dtype, lead, sign as unknown as Float32Array),
    finish(input.dtype, lead, logDet as unknown as Float32Array),
  ];
}

export const logMatrixDeterminantConfig: KernelConfig = {
  op: {
    name: "LogMatrixDeterminant",
    inputs: ["input: T"],
    outputs: ["sign: T", "log_abs_determinant: T"],
    attrs: ["T: {half, float, double, complex64, complex128}"],
  },
  kernel: cpuKernel("LogMatrixDeterminant", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    return {
      compute(ctx) {
        const [s, l] = logMatrixDeterminant(ctx.input(0));
        ctx.setOutput(0, s);
        ctx.setOutput(1, l);
      },
    };
  }),
};
