// TF's TridiagonalSolve (core/kernels/linalg/tridiagonal_solve_op.cc): X with T·X = B for each
// tridiagonal T of a batch, given in compact form as a [3, M] matrix of superdiagonal (its last
// element ignored), diagonal and subdiagonal (its first element ignored). With partial_pivoting
// (the default) Gaussian elimination with row interchanges (LAPACK's gtsv scheme), without it the
// Thomas algorithm; a matrix that is singular (or, for Thomas, needs pivoting) gives NaN, as in
// TF. perturb_singular nudges tiny pivots instead (LAPACK's lagtf/lagts), for inverse iteration.
// Real dtypes only; the arithmetic is float64 for both.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  analyzeInputs,
  type MatrixBatch,
  MatrixOutput,
  matrixSource,
  readMatrix,
  zeroMat,
} from "./util/linalg.js";

type Rows = Float64Array[];

function nanRows(n: number, k: number): Rows {
  return Array.from({ length: n }, () => new Float64Array(k).fill(Number.NaN));
}

/** a - f·b, row-wise. */
const axpy = (a: Float64Array, f: number, b: Float64Array) => a.map((v, j) => v - f * b[j]!);

function thomas(sup: Float64Array, diag: Float64Array, sub: Float64Array, rhs: Rows): Rows {
  const n = diag.length;
  const k = rhs[0]!.length;
  if (diag[0] === 0) return nanRows(n, k);
  const u = new Float64Array(n);
  const x: Rows = [];
  u[0] = sup[0]! / diag[0]!;
  x.push(rhs[0]!.map((v) => v / diag[0]!));
  for (let i = 1; i < n; i++) {
    const denom = diag[i]! - sub[i]! * u[i - 1]!;
    if (denom === 0) return nanRows(n, k);
    u[i] = sup[i]! / denom;
    x.push(rhs[i]!.map((v, j) => (v - sub[i]! * x[i - 1]![j]!) / denom));
  }
  for (let i = n - 2; i >= 0; i--) x[i] = axpy(x[i]!, u[i]!, x[i + 1]!);
  return x;
}

/** The U factor's diagonal and two superdiagonals, and L⁻¹·P·B, of pivoted elimination. */
interface Eliminated {
  readonly u0: Float64Array;
  readonly u1: Float64Array;
  readonly u2: Float64Array;
  readonly x: Rows;
}

function backSubstitute(e: Eliminated): Rows {
  const { u0, u1, u2, x } = e;
  const n = u0.length;
  x[n - 1] = x[n - 1]!.map((v) => v / u0[n - 1]!);
  x[n - 2] = axpy(x[n - 2]!, u1[n - 2]!, x[n - 1]!).map((v) => v / u0[n - 2]!);
  for (let i = n - 3; i >= 0; i--) {
    x[i] = x[i]!.map((v, j) => (v - u1[i]! * x[i + 1]![j]! - u2[i]! * x[i + 2]![j]!) / u0[i]!);
  }
  return x;
}

function pivoting(sup: Float64Array, diag: Float64Array, sub: Float64Array, rhs: Rows): Rows {
  const n = diag.length;
  const k = rhs[0]!.length;
  const u0 = new Float64Array(n);
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const x: Rows = rhs.map((r) => r.slice());
  u0[0] = diag[0]!;
  u1[0] = sup[0]!;
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(u0[i]!) >= Math.abs(sub[i + 1]!)) {
      if (u0[i] === 0) return nanRows(n, k);
      const f = sub[i + 1]! / u0[i]!;
      u0[i + 1] = diag[i + 1]! - f * u1[i]!;
      x[i + 1] = axpy(rhs[i + 1]!, f, x[i]!);
      if (i !== n - 2) {
        u1[i + 1] = sup[i + 1]!;
        u2[i] = 0;
      }
    } else {
      const f = u0[i]! / sub[i + 1]!;
      u0[i] = sub[i + 1]!;
      u0[i + 1] = u1[i]! - f * diag[i + 1]!;
      u1[i] = diag[i + 1]!;
      x[i + 1] = axpy(x[i]!, f, rhs[i + 1]!);
      x[i] = rhs[i + 1]!.slice();
      if (i !== n - 2) {
        u2[i] = sup[i + 1]!;
        u1[i + 1] = -f * sup[i + 1]!;
      }
    }
  }
  if (u0[n - 1] === 0) return nanRows(n, k);
  return backSubstitute({ u0, u1, u2, x });
}

/** LAPACK's safe minimum for the dtype (the smallest normal number). */
const safeMin = (float: boolean) => (float ? 1.1754943508222875e-38 : 2.2250738585072014e-308);

/** Perturbs (or scales) a small pivot so that row / pivot neither overflows nor underflows. */
function perturbPivot(perturb0: number, pivot0: number, row: Float64Array, float: boolean): number {
  const safemin = safeMin(float);
  const bignum = 1 / safemin;
  let pivot = pivot0;
  let abs = Math.abs(pivot);
  if (abs >= 1) return pivot;
  let perturb = Math.max(Math.abs(perturb0), safemin);
  perturb = pivot < 0 || Object.is(pivot, -0) ? -perturb : perturb;
  let stop = false;
  const maxFactor = row.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  while (abs < 1 && !stop) {
    if (abs < safemin) {
      if (abs === 0 || maxFactor * safemin > abs) {
        pivot += perturb;
        perturb *= 2;
      } else {
        pivot *= bignum;
        for (let j = 0; j < row.length; j++) row[j]! *= bignum;
        stop = true;
      }
    } else if (maxFactor > abs * bignum) {
      pivot += perturb;
      perturb *= 2;
    } else stop = true;
    abs = Math.abs(pivot);
  }
  return pivot;
}

const signed = (tol: number, like: number) =>
  like < 0 || Object.is(like, -0) ? -Math.abs(tol) : Math.abs(tol);

function perturbSingular(
  sup: Float64Array,
  diag: Float64Array,
  sub: Float64Array,
  rhs: Rows,
  float: boolean,
): Rows {
  const eps = float ? 2 ** -23 : Number.EPSILON;
  const n = diag.length;
  if (n === 1) {
    const row = rhs[0]!.slice();
    const denom = perturbPivot(eps * Math.abs(diag[0]!), diag[0]!, row, float);
    return [row.map((v) => v * (1 / denom))];
  }
  const u0 = new Float64Array(n);
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const x: Rows = rhs.map((r) => r.slice());
  u0[0] = diag[0]!;
  u1[0] = sup[0]!;
  let maxAbsU = Math.max(Math.abs(u0[0]!), Math.abs(u1[0]!));
  let scale1 = Math.abs(u0[0]!) + Math.abs(u1[0]!);
  for (let k = 0; k < n - 1; k++) {
    u0[k + 1] = diag[k + 1]!;
    let scale2 = Math.abs(sub[k + 1]!) + Math.abs(u0[k + 1]!);
    if (k < n - 2) scale2 += Math.abs(sup[k + 1]!);
    if (sub[k + 1] === 0) {
      scale1 = scale2;
      u1[k + 1] = sup[k + 1]!;
      u2[k] = 0;
      x[k + 1] = rhs[k + 1]!.slice();
    } else {
      const piv1 = u0[k] === 0 ? 0 : Math.abs(u0[k]!) / scale1;
      const piv2 = Math.abs(sub[k + 1]!) / scale2;
      if (piv2 <= piv1) {
        scale1 = scale2;
        const f = sub[k + 1]! / u0[k]!;
        u0[k + 1] = diag[k + 1]! - f * u1[k]!;
        u1[k + 1] = sup[k + 1]!;
        u2[k] = 0;
        x[k + 1] = axpy(rhs[k + 1]!, f, x[k]!);
      } else {
        const f = u0[k]! / sub[k + 1]!;
        u0[k] = sub[k + 1]!;
        u0[k + 1] = u1[k]! - f * diag[k + 1]!;
        u1[k] = diag[k + 1]!;
        if (k < n - 2) {
          u2[k] = sup[k + 1]!;
          u1[k + 1] = -f * sup[k + 1]!;
        }
        x[k + 1] = axpy(x[k]!, f, rhs[k + 1]!);
        x[k] = rhs[k + 1]!.slice();
      }
    }
    if (k < n - 2) maxAbsU = Math.max(maxAbsU, Math.abs(u0[k]!), Math.abs(u1[k]!), Math.abs(u2[k]!));
  }
  maxAbsU = Math.max(maxAbsU, Math.abs(u0[n - 1]!));
  const tol = eps * maxAbsU;
  let row = x[n - 1]!.slice();
  let denom = perturbPivot(tol, u0[n - 1]!, row, float);
  x[n - 1] = row.map((v) => v * (1 / denom));
  row = axpy(x[n - 2]!, u1[n - 2]!, x[n - 1]!);
  denom = perturbPivot(signed(tol, u0[n - 2]!), u0[n - 2]!, row, float);
  x[n - 2] = row.map((v) => v * (1 / denom));
  for (let k = n - 3; k >= 0; k--) {
    row = x[k]!.map((v, j) => v - u1[k]! * x[k + 1]![j]! - u2[k]! * x[k + 2]![j]!);
    denom = perturbPivot(signed(tol, u0[k]!), u0[k]!, row, float);
    x[k] = row.map((v) => v * (1 / denom));
  }
  return x;
}

export function tridiagonalSolve(diagonals: Tensor, rhs: Tensor, pivot: boolean, perturb: boolean): Tensor {
  const [d, r] = analyzeInputs([diagonals, rhs]) as [MatrixBatch, MatrixBatch];
  if (d.rows !== 3) {
    throw invalidArgument(`Expected diagonals to be provided as a matrix with 3 rows, got ${d.rows} rows.`);
  }
  if (d.cols !== r.rows) {
    throw invalidArgument(
      `Expected the same number of left-hand sides and right-hand sides, got ${d.cols} and ${r.rows}.`,
    );
  }
  const n = d.cols;
  const k = r.cols;
  const float = diagonals.dtype === DataType.DT_FLOAT;
  const out = new MatrixOutput(rhs.dtype, rhs.shape);
  const ds = matrixSource(diagonals);
  const rs = matrixSource(rhs);
  for (let b = 0; b < d.count && n > 0; b++) {
    const dm = readMatrix(ds, b, 3, n).re;
    const bm = readMatrix(rs, b, n, k).re;
    const sup = dm.subarray(0, n);
    const diag = dm.subarray(n, 2 * n);
    const sub = dm.subarray(2 * n, 3 * n);
    const rows: Rows = Array.from({ length: n }, (_, i) => bm.slice(i * k, (i + 1) * k));
    let x: Rows;
    if (pivot && perturb) x = perturbSingular(sup, diag, sub, rows, float);
    else if (n === 1) x = diag[0] === 0 ? nanRows(1, k) : [rows[0]!.map((v) => v / diag[0]!)];
    else x = pivot ? pivoting(sup, diag, sub, rows) : thomas(sup, diag, sub, rows);
    const m = zeroMat(n, k);
    for (const [i, row] of x.entries()) m.re.set(row, i * k);
    out.write(b, m);
  }
  return out.tensor();
}

export const tridiagonalSolveConfig: KernelConfig = {
  op: {
    name: "TridiagonalSolve",
    inputs: ["diagonals: T", "rhs: T"],
    outputs: ["output: T"],
    attrs: [
      "partial_pivoting: bool = true",
      "perturb_singular: bool = false",
      "T: {double, float, complex64, complex128}",
    ],
  },
  kernel: cpuKernel("TridiagonalSolve", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    const pivot = getAttrBool(c.attrs, "partial_pivoting");
    const perturb = getAttrBool(c.attrs, "perturb_singular");
    if (!pivot && perturb) {
      throw invalidArgument("Setting perturb_singular requires also setting partial_pivoting.");
    }
    return {
      compute: (ctx) => ctx.setOutput(0, tridiagonalSolve(ctx.input(0), ctx.input(1), pivot, perturb)),
    };
  }),
};
