// TF's Cholesky on CPU (core/kernels/linalg/cholesky_op.cc): the lower-triangular L with
// L·Lᴴ = A for each innermost matrix (Eigen's LLT, reading A's lower triangle). A matrix that is
// not positive definite fails at some pivot; TF then leaves the output unfinished (NaN from that
// pivot on), here it is all NaN.

import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import { type CMatrix, cmatrix, LINALG_KERNEL_TYPES, mapSquareMatrices } from "./linalg-util.js";

/** Eigen's LLT of `a` (its lower triangle), or undefined when a pivot is not positive. */
export function lltFactor(a: CMatrix): CMatrix | undefined {
  const l = llt(a);
  return l.rows > 0 && Number.isNaN(l.re[0]) ? undefined : l;
}

function llt(a: CMatrix): CMatrix {
  const n = a.rows;
  const l = cmatrix(n, n);
  const { re, im } = l;
  for (let j = 0; j < n; j++) {
    let d = a.re[j * n + j]!;
    for (let k = 0; k < j; k++) d -= re[j * n + k]! ** 2 + im[j * n + k]! ** 2;
    if (!(d > 0)) {
      re.fill(Number.NaN);
      im.fill(a.im.some((v) => v !== 0) ? Number.NaN : 0);
      return l;
    }
    const djj = Math.sqrt(d);
    re[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      // l[i][j] = (a[i][j] − Σ l[i][k]·conj(l[j][k])) / l[j][j]
      let sr = a.re[i * n + j]!;
      let si = a.im[i * n + j]!;
      for (let k = 0; k < j; k++) {
        const xr = re[i * n + k]!;
        const xi = im[i * n + k]!;
        const yr = re[j * n + k]!;
        const yi = -im[j * n + k]!;
        sr -= xr * yr - xi * yi;
        si -= xr * yi + xi * yr;
      }
      re[i * n + j] = sr / djj;
      im[i * n + j] = si / djj;
    }
  }
  return l;
}

export function cholesky(input: Tensor): Tensor {
  return mapSquareMatrices(input, (n) => [n, n], llt);
}

export const choleskyConfig: KernelConfig = {
  op: {
    name: "Cholesky",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: {double, float, half, complex64, complex128}"],
  },
  kernel: cpuKernel("Cholesky", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    return { compute: (ctx) => ctx.setOutput(0, cholesky(ctx.input(0))) };
  }),
};
