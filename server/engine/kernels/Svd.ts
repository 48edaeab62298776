// TF's Svd (core/kernels/linalg/svd_op_impl.h): the singular values, in descending order, and (with
// compute_uv) the left and right singular vectors of each matrix of a batch, thin or (with
// full_matrices) square. Without compute_uv, TF 2.21 allocates u and v as uninitialized scalars; we
// output scalar zeros. An empty matrix gives identity for the square factor of its non-zero side
// when full_matrices.
//
// TF uses Eigen's BDCSVD; this is the one-sided Jacobi method (Hestenes) in float64, which gives the
// same singular values to rounding. A singular pair (u_j, v_j) is only defined up to a common sign
// (or a rotation for repeated values), and the columns completing a full U or V are any orthonormal
// basis of the complement, so vectors can differ from TF's by those symmetries; U·diag(s)·Vᵀ
// reconstructs the input either way. Non-finite input gives NaN everywhere (zeros for complex
// dtypes, whose quiet NaN is 0 in TF), like TF's failed BDCSVD. Complex input runs through the real
// embedding (complexSvd).

import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { isComplexType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  analyzeInputs,
  type CVec,
  completeComplexBasis,
  complexColumn,
  cubicWork,
  fromColumns,
  type Mat,
  MatrixOutput,
  matrixSource,
  orthonormalize,
  readMatrix,
  realEmbedding,
  zeroMat,
} from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

interface SvdResult {
  readonly s: Float64Array;
  /** m×m when full, else m×p. */
  readonly u: Mat;
  /** n×n when full, else n×p. */
  readonly v: Mat;
}

/** Real m×n matrix with m >= n: one-sided Jacobi on its columns. */
function* jacobiTall(a: Mat, full: boolean, pace: Pace): Slices<SvdResult> {
  const m = a.rows;
  const n = a.cols;
  // columns of A and of V stored contiguously (wt[j·m + i] = A[i][j]) so rotations stream
  const wt = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) wt[j * m + i] = a.re[i * n + j]!;
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  const norms2 = new Float64Array(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    // squared column norms, recomputed every sweep and updated exactly by each rotation
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = j * m; i < (j + 1) * m; i++) s += wt[i]! * wt[i]!;
      norms2[j] = s;
    }
    let rotated = false;
    for (let p = 0; p < n; p++) {
      const po = p * m;
      for (let q = p + 1; q < n; q++) {
        const qo = q * m;
        let gamma = 0;
        for (let i = 0; i < m; i++) gamma += wt[po + i]! * wt[qo + i]!;
        const alpha = norms2[p]!;
        const beta = norms2[q]!;
        if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = wt[po + i]!;
          const y = wt[qo + i]!;
          wt[po + i] = c * x - s * y;
          wt[qo + i] = s * x + c * y;
        }
        norms2[p] = alpha - t * gamma;
        norms2[q] = beta + t * gamma;
        const pv = p * n;
        const qv = q * n;
        for (let i = 0; i < n; i++) {
          const x = vt[pv + i]!;
          const y = vt[qv + i]!;
          vt[pv + i] = c * x - s * y;
          vt[qv + i] = s * x + c * y;
        }
      }
      if (pace.due((n - p) * (2 * m + n))) yield;
    }
    if (!rotated) break;
  }
  const w = new Float64Array(m * n);
  const v = new Float64Array(n * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[i * n + j] = wt[j * m + i]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[i * n + j] = vt[j * n + i]!;
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = j * m; i < (j + 1) * m; i++) s += wt[i]! * wt[i]!;
    return Math.sqrt(s);
  });
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  const uCols = full ? m : n;
  const u = zeroMat(m, uCols);
  const vm = zeroMat(n, n);
  const s = new Float64Array(n);
  const valid: boolean[] = [];
  order.forEach((src, j) => {
    const sigma = norms[src]!;
    s[j] = sigma;
    valid.push(sigma > 0);
    for (let i = 0; i < m; i++) u.re[i * uCols + j] = sigma > 0 ? w[i * n + src]! / sigma : 0;
    for (let i = 0; i < n; i++) vm.re[i * n + j] = v[i * n + src]!;
  });
  yield* completeBasis(u, valid, pace);
  return { s, u, v: vm };
}

/**
 * Fills the columns of q not marked valid (and those past `valid`) with unit vectors orthogonal to
 * every earlier column, by Gram-Schmidt on the standard basis vectors.
 */
function* completeBasis(q: Mat, valid: readonly boolean[], pace: Pace): Slices<void> {
  const m = q.rows;
  const k = q.cols;
  let e = 0;
  for (let j = 0; j < k; j++) {
    if (valid[j]) continue;
    for (; e < m; e++) {
      const x = new Float64Array(m);
      x[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < k; c++) {
          if (c === j || (!valid[c] && c > j)) continue;
          let dot = 0;
          for (let i = 0; i < m; i++) dot += q.re[i * k + c]! * x[i]!;
          for (let i = 0; i < m; i++) x[i]! -= dot * q.re[i * k + c]!;
        }
      }
      const norm = Math.hypot(...x);
      if (pace.due(4 * k * m)) yield;
      if (norm > 1e-8) {
        for (let i = 0; i < m; i++) q.re[i * k + j] = x[i]! / norm;
        e++;
        break;
      }
    }
  }
}

function transpose(a: Mat): Mat {
  const t = zeroMat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) t.re[j * a.rows + i] = a.re[i * a.cols + j]!;
  return t;
}

/** The thin (or full) SVD of a real matrix. */
export function* realSvd(a: Mat, full: boolean, pace: Pace): Slices<SvdResult> {
  if (a.rows >= a.cols) return yield* jacobiTall(a, full, pace);
  const r = yield* jacobiTall(transpose(a), full, pace);
  return { s: r.s, u: r.v, v: r.u };
}

/**
 * The SVD of a complex matrix through the real embedding [[Re, -Im], [Im, Re]], whose singular
 * values are A's, each twice, with singular pairs ([ux; uy], [vx; vy]) and ([-uy; ux], [-vy; vx])
 * that are the same complex pair (ux + i·uy, vx + i·vy) up to a factor i; one complex pair is kept
 * per repeated value (complex Gram-Schmidt on v), and U and V are completed to orthonormal bases
 * where the singular values vanish or full matrices are asked for.
 */
export function* complexSvd(a: Mat, full: boolean, pace: Pace): Slices<SvdResult> {
  const m = a.rows;
  const n = a.cols;
  const p = Math.min(m, n);
  const big = yield* realSvd(realEmbedding(a), false, pace);
  const s = new Float64Array(p);
  const us: CVec[] = [];
  const vs: CVec[] = [];
  for (let j = 0; j < big.s.length && vs.length < p; j++) {
    const v = orthonormalize(complexColumn(big.v, j), vs);
    if (!v) continue;
    s[vs.length] = big.s[j]!;
    vs.push(v);
    if (us.length === vs.length - 1 && big.s[j]! > 0) {
      const u = orthonormalize(complexColumn(big.u, j), us);
      if (u) us.push(u);
    }
    if (pace.due(8 * (vs.length + 1) * (m + n))) yield;
  }
  yield* completeComplexBasis(us, m, full ? m : p, pace);
  yield* completeComplexBasis(vs, n, full ? n : p, pace);
  return { s, u: fromColumns(us, m), v: fromColumns(vs, n) };
}

function filled(rows: number, cols: number, value: number): Mat {
  const m = zeroMat(rows, cols);
  m.re.fill(value);
  return m;
}

function identity(n: number): Mat {
  const m = zeroMat(n, n);
  for (let i = 0; i < n; i++) m.re[i * n + i] = 1;
  return m;
}

export function svd(input: Tensor, computeUv: boolean, full: boolean): [Tensor, Tensor, Tensor] {
  return drainSync(svdSlices(input, computeUv, full));
}

/** svd in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* svdSlices(
  input: Tensor,
  computeUv: boolean,
  full: boolean,
  pace = new Pace(),
): Slices<[Tensor, Tensor, Tensor]> {
  const { batchShape, count, rows: m, cols: n } = analyzeInputs([input])[0]!;
  const p = Math.min(m, n);
  const uCols = full ? m : p;
  const vCols = full ? n : p;
  const s = new MatrixOutput(input.dtype, [...batchShape, p]);
  const u = new MatrixOutput(input.dtype, computeUv ? [...batchShape, m, uCols] : []);
  const v = new MatrixOutput(input.dtype, computeUv ? [...batchShape, n, vCols] : []);
  const src = matrixSource(input);
  for (let b = 0; b < count; b++) {
    if (pace.due(m * n + 1)) yield;
    if (m === 0 || n === 0) {
      if (computeUv && full) {
        if (m > 0) u.write(b, identity(m));
        else v.write(b, identity(n));
      }
      continue;
    }
    const a = readMatrix(src, b, m, n);
    const finite = a.re.every(Number.isFinite) && a.im.every(Number.isFinite);
    const complex = isComplexType(input.dtype);
    // TF fills a failed decomposition with its dtype's quiet NaN, which is 0 for complex dtypes
    const bad = complex ? 0 : Number.NaN;
    const r = !finite
      ? { s: new Float64Array(p).fill(bad), u: filled(m, uCols, bad), v: filled(n, vCols, bad) }
      : complex
        ? yield* complexSvd(a, full, pace)
        : yield* realSvd(a, full, pace);
    s.write(b, { rows: 1, cols: p, re: r.s, im: new Float64Array(p) });
    if (computeUv) {
      u.write(b, r.u);
      v.write(b, full ? r.v : firstColumns(r.v, p));
    }
  }
  return [s.tensor(), u.tensor(), v.tensor()];
}

function firstColumns(a: Mat, k: number): Mat {
  if (a.cols === k) return a;
  const out = zeroMat(a.rows, k);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < k; j++) out.re[i * k + j] = a.re[i * a.cols + j]!;
  return out;
}

export const svdConfig: KernelConfig = {
  op: {
    name: "Svd",
    inputs: ["input: T"],
    outputs: ["s: T", "u: T", "v: T"],
    attrs: [
      "compute_uv: bool = true",
      "full_matrices: bool = false",
      "T: {double, float, half, complex64, complex128}",
    ],
  },
  kernel: cpuKernel("Svd", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.complex64, T.complex128]);
    const computeUv = getAttrBool(c.attrs, "compute_uv");
    const full = getAttrBool(c.attrs, "full_matrices");
    return {
      // Jacobi sweeps: several passes over the matrix's rotations, hence the factor
      compute: (ctx) =>
        pacedCompute(ctx, 8 * cubicWork(ctx.input(0)), () => svdSlices(ctx.input(0), computeUv, full)),
    };
  }),
};
