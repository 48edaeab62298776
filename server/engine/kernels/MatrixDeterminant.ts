// TF's MatrixDeterminant on CPU (core/kernels/linalg/determinant_op.cc): the determinant of each
// innermost matrix, the signed product of its partial-pivoting LU's pivots (1 for a 0x0 matrix).

import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import { cmatrix, LINALG_KERNEL_TYPES, luInPlace, mapSquareMatrices } from "./linalg-util.js";

export function matrixDeterminant(input: Tensor): Tensor {
  return mapSquareMatrices(
    input,
    () => [],
    (a) => {
      const n = a.rows;
      const { swaps } = luInPlace(a);
      let re = swaps % 2 === 0 ? 1 : -1;
      let im = 0;
      for (let k = 0; k < n; k++) {
        const pr = a.re[k * n + k]!;
        const pi = a.im[k * n + k]!;
        [re, im] = [re * pr - im * pi, re * pi + im * pr];
      }
      const d = cmatrix(1, 1);
      d.re[0] = re;
      d.im[0] = im;
      return d;
    },
  );
}

export const matrixDeterminantConfig: KernelConfig = {
  op: {
    name: "MatrixDeterminant",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: {half, float, double, complex64, complex128}"],
  },
  kernel: cpuKernel("MatrixDeterminant", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    return { compute: (ctx) => ctx.setOutput(0, matrixDeterminant(ctx.input(0))) };
  }),
};
