// TF's CholeskyGrad (core/kernels/linalg/cholesky_grad.cc): the gradient of A = L·Lᵀ with respect
// to A given L and the gradient with respect to L (Iain Murray's backward recursion, "Differentiation
// of the Cholesky decomposition", 2016), symmetrized. Only the lower triangles of both inputs are
// read. TF runs the recursion in 32×32 blocks; the unblocked recursion used here is the same
// computation (identical for n <= 32, equal up to rounding beyond).

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  analyzeInputs,
  cubicWork,
  type Mat,
  type MatrixBatch,
  MatrixOutput,
  matrixSource,
  readMatrix,
  triangle,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

/** The symmetrized gradient for one matrix (real): g is tril(grad), overwritten. */
function* gradUnblocked(l: Mat, g: Mat, pace: Pace): Slices<Mat> {
  const n = l.rows;
  const L = l.re;
  const G = g.re;
  for (let k = n - 1; k >= 0; k--) {
    const d = L[k * n + k]!;
    let dot = 0;
    for (let i = k + 1; i < n; i++) dot += L[i * n + k]! * G[i * n + k]!;
    G[k * n + k]! -= dot / d;
    for (let i = k; i < n; i++) G[i * n + k]! /= d;
    // r_bar -= (column k from row k down)ᵀ · (rows k.. of L, columns < k)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += G[i * n + k]! * L[i * n + j]!;
      G[k * n + j]! -= s;
    }
    // B_bar -= c_bar · r
    for (let i = k + 1; i < n; i++) {
      const c = G[i * n + k]!;
      for (let j = 0; j < k; j++) G[i * n + j]! -= c * L[k * n + j]!;
    }
    G[k * n + k]! /= 2;
    if (pace.due(2 * (n - k) * (k + 1))) yield;
  }
  const out: Mat = { rows: n, cols: n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out.re[i * n + j] = 0.5 * (G[i * n + j]! + G[j * n + i]!);
  }
  return out;
}

export function choleskyGrad(l: Tensor, grad: Tensor): Tensor {
  return drainSync(choleskyGradSlices(l, grad));
}

/** choleskyGrad in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* choleskyGradSlices(l: Tensor, grad: Tensor, pace = new Pace()): Slices<Tensor> {
  const [a, b] = analyzeInputs([l, grad]) as [MatrixBatch, MatrixBatch];
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw invalidArgument("Inputs (L and grad) must have the same shape.");
  }
  if (a.rows !== a.cols) throw invalidArgument("Inputs must be a square matrices.");
  const n = a.rows;
  const out = new MatrixOutput(l.dtype, l.shape);
  const ls = matrixSource(l);
  const gs = matrixSource(grad);
  for (let k = 0; k < a.count && n > 0; k++) {
    const lm = triangle(readMatrix(ls, k, n, n), true);
    const gm = triangle(readMatrix(gs, k, n, n), true);
    out.write(k, yield* gradUnblocked(lm, gm, pace));
    if (pace.due(n * n)) yield;
  }
  return out.tensor();
}

export const choleskyGradConfig: KernelConfig = {
  op: {
    name: "CholeskyGrad",
    inputs: ["l: T", "grad: T"],
    outputs: ["output: T"],
    attrs: ["T: {half, float, double}"],
  },
  kernel: cpuKernel("CholeskyGrad", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return {
      compute: (ctx) =>
        pacedCompute(ctx, cubicWork(ctx.input(0)), function* () {
          return [yield* choleskyGradSlices(ctx.input(0), ctx.input(1))];
        }),
    };
  }),
};
