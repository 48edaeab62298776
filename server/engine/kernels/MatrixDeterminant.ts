// TF's MatrixDeterminant (core/kernels/linalg/determinant_op.cc): per matrix of a batch, the
// sign (a unit complex number for complex input) and log|det| from a
// partially pivoted LU factorization; the determinant is sign·exp(log|det|). A non-finite log|det|
// (an exactly singular matrix) gives sign 0 and log|det| -inf (or +inf on overflow), as in TF; an
// empty matrix has determinant 1.

import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  cubicWork,
  luDecompose,
  MatrixOutput,
  matrixSource,
  readMatrix,
  singleSquareMatrix,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

/** TF registers the determinant kernels for these (no half). */
export const DETERMINANT_TYPES = [T.float, T.double, T.complex64, T.complex128];

export interface SLogDet {
  readonly batchShape: number[];
  readonly signRe: Float64Array;
  readonly signIm: Float64Array;
  readonly logAbs: Float64Array;
}

export function* slogdet(input: Tensor, pace = new Pace()): Slices<SLogDet> {
  const { batchShape, count, rows: n } = singleSquareMatrix(input);
  const src = matrixSource(input);
  const r: SLogDet = {
    batchShape,
    signRe: new Float64Array(count),
    signIm: new Float64Array(count),
    logAbs: new Float64Array(count),
  };
  for (let b = 0; b < count; b++) {
    let sr = 1;
    let si = 0;
    let logAbs = 0;
    if (n > 0) {
      const f = yield* luDecompose(readMatrix(src, b, n, n), pace);
      if (f.swaps % 2 === 1) sr = -1;
      for (let k = 0; k < n; k++) {
        const dr = f.lu.re[k * n + k]!;
        const di = f.lu.im[k * n + k]!;
        const abs = di === 0 ? Math.abs(dr) : Math.hypot(dr, di);
        logAbs += Math.log(abs);
        // sign *= d / |d| (NaN for a zero pivot, replaced below)
        const ur = dr / abs;
        const ui = di / abs;
        const nr = sr * ur - si * ui;
        si = sr * ui + si * ur;
        sr = nr;
      }
    }
    if (!Number.isFinite(logAbs)) {
      sr = 0;
      si = 0;
      logAbs = logAbs > 0 ? Infinity : -Infinity;
    }
    r.signRe[b] = sr;
    r.signIm[b] = si;
    r.logAbs[b] = logAbs;
    if (pace.due(n * n + 1)) yield;
  }
  return r;
}

export function matrixDeterminant(input: Tensor): Tensor {
  return drainSync(matrixDeterminantSlices(input));
}

/** matrixDeterminant in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* matrixDeterminantSlices(input: Tensor, pace = new Pace()): Slices<Tensor> {
  const d = yield* slogdet(input, pace);
  const det = new MatrixOutput(input.dtype, d.batchShape);
  d.logAbs.forEach((l, b) => {
    const e = Math.exp(l);
    det.writeScalar(b, d.signRe[b]! * e, d.signIm[b]! * e);
  });
  return det.tensor();
}

export const matrixDeterminantConfig: KernelConfig = {
  op: {
    name: "MatrixDeterminant",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: {half, float, double, complex64, complex128}"],
  },
  kernel: cpuKernel("MatrixDeterminant", (c) => {
    checkTypeConstraint(c, "T", DETERMINANT_TYPES);
    return {
      compute: (ctx) =>
        pacedCompute(ctx, cubicWork(ctx.input(0)), function* () {
          return [yield* matrixDeterminantSlices(ctx.input(0))];
        }),
    };
  }),
};
