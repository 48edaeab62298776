// The dense linear-algebra kernels (inverse, determinants, Cholesky and its gradient, solves,
// eigen and singular value decompositions) and the incomplete gamma/beta and Bessel functions
// against TensorFlow 2.21 itself: testdata/linalg-fixtures.json, written by
// testdata/gen_linalg_fixtures.py with tf.raw_ops on CPU. Errors must match TF's code and message
// exactly. Values are compared to a tolerance: the kernels factorize in float64 where TF's Eigen
// works in the dtype's own precision, so float32/complex64 results agree to |Δ| <= 2e-5·max(1, |x|)
// and float64/complex128 ones to 1e-12·max(1, |x|). Eigenvectors and singular vectors are defined
// up to sign: each column may be TF's negated (the same sign for a singular pair u_j, v_j).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  type FxKernelCase,
  type FxTensor,
  type FxValue,
  num,
  runFixtureCase,
  valuesOf,
} from "./testing/fixture-format.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/linalg-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: FxKernelCase[];
};

const SINGLE = new Set<number>([
  DataType.DT_FLOAT,
  DataType.DT_COMPLEX64,
  DataType.DT_HALF,
  DataType.DT_BFLOAT16,
]);

const parts = (v: FxValue): number[] => (Array.isArray(v) ? [num(v[0]), num(v[1])] : [num(v)]);

function close(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

function tolOf(t: FxTensor): number {
  if (t.dtype === DataType.DT_HALF || t.dtype === DataType.DT_BFLOAT16) return 1e-2;
  return SINGLE.has(t.dtype) ? 2e-5 : 1e-12;
}

type Phase = [number, number];

/** Values of a fixture or output element as [re, im]. */
const cplx = (v: FxValue): Phase => {
  const p = parts(v);
  return [p[0]!, p[1] ?? 0];
};

/** A unit complex number per column of every matrix (±1 for real data) that best maps got onto want. */
function columnPhases(got: FxValue[], want: FxValue[], shape: number[]): Phase[] {
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  const count = rows * cols === 0 ? 0 : got.length / (rows * cols);
  const phases: Phase[] = [];
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < cols; j++) {
      // c = Σ conj(got)·want
      let cr = 0;
      let ci = 0;
      for (let i = 0; i < rows; i++) {
        const at = b * rows * cols + i * cols + j;
        const [gr, gi] = cplx(got[at]!);
        const [wr, wi] = cplx(want[at]!);
        cr += gr * wr + gi * wi;
        ci += gr * wi - gi * wr;
      }
      const norm = Math.hypot(cr, ci);
      phases.push(norm > 0 ? [cr / norm, ci / norm] : [1, 0]);
    }
  }
  return phases;
}

function compare(got: FxValue[], want: FxTensor, what: string, phases?: Phase[]): void {
  const tol = tolOf(want);
  const rows = want.shape[want.shape.length - 2] ?? 1;
  const cols = want.shape[want.shape.length - 1] ?? 1;
  want.values.forEach((w, j) => {
    const [pr, pi] = phases ? phases[Math.floor(j / (rows * cols)) * cols + (j % cols)]! : [1, 0];
    const [gr, gi] = cplx(got[j]!);
    const g = phases ? [gr * pr - gi * pi, gr * pi + gi * pr] : [gr, gi];
    parts(w).forEach((x, k) => {
      assert.ok(close(g[k]!, x, tol), `${what}[${j}]: ${JSON.stringify(got[j])}, TF ${JSON.stringify(w)}`);
    });
  });
}

interface Col {
  readonly re: number[];
  readonly im: number[];
}

/** The columns of a batch of matrices, one per column, batch-major. */
function columns(values: FxValue[], shape: number[]): Col[] {
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  const count = rows * cols === 0 ? 0 : values.length / (rows * cols);
  const out: Col[] = [];
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < cols; j++) {
      const c = Array.from({ length: rows }, (_, i) => cplx(values[b * rows * cols + i * cols + j]!));
      out.push({ re: c.map((v) => v[0]), im: c.map((v) => v[1]) });
    }
  }
  return out;
}

/** The complex inner product Σ conj(x)·y. */
const dot = (x: Col, y: Col): Phase => [
  x.re.reduce((s, v, i) => s + v * y.re[i]! + x.im[i]! * y.im[i]!, 0),
  x.re.reduce((s, v, i) => s + v * y.im[i]! - x.im[i]! * y.re[i]!, 0),
];

/**
 * s must match; a singular pair (u_j, v_j) with s_j clearly above zero must match TF's up to one
 * common sign (phase, for complex data); the remaining columns (zero singular values, the
 * completion of a full U or V) are not unique, so they must only make U and V orthonormal.
 */
function compareSvd(got: FxValue[][], want: FxTensor[]): void {
  compare(got[0]!, want[0]!, "s");
  const tol = tolOf(want[0]!);
  const p = want[0]!.shape[want[0]!.shape.length - 1]!;
  const s = want[0]!.values.map((v) => cplx(v)[0]);
  const vPhases = columnPhases(got[2]!, want[2]!.values, want[2]!.shape);
  const vCols = want[2]!.shape[want[2]!.shape.length - 1]!;
  for (const k of [1, 2]) {
    const gc = columns(got[k]!, want[k]!.shape);
    const wc = columns(want[k]!.values, want[k]!.shape);
    const cols = want[k]!.shape[want[k]!.shape.length - 1]!;
    gc.forEach((col, idx) => {
      const b = Math.floor(idx / cols);
      const j = idx % cols;
      const sMax = s[b * p] ?? 0;
      if (j < p && s[b * p + j]! > 1e-3 * sMax) {
        const [pr, pi] = vPhases[b * vCols + j]!;
        col.re.forEach((x, i) => {
          const y = col.im[i]!;
          const ok =
            close(x * pr - y * pi, wc[idx]!.re[i]!, tol) && close(x * pi + y * pr, wc[idx]!.im[i]!, tol);
          assert.ok(
            ok,
            `svd output ${k} column ${j} of matrix ${b}: ${col.re}/${col.im}, TF ${wc[idx]!.re}/${wc[idx]!.im}`,
          );
        });
      }
      for (let j2 = 0; j2 < cols; j2++) {
        const [dr, di] = dot(col, gc[b * cols + j2]!);
        assert.ok(
          Math.abs(dr - (j2 === j ? 1 : 0)) <= 10 * tol && Math.abs(di) <= 10 * tol,
          `svd output ${k} not orthonormal: ${dr}, ${di}`,
        );
      }
    });
  }
}

const dtypeOf = (c: FxKernelCase): string => {
  const t = c.attrs.T;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`linear-algebra and special-function kernels vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 50)}`
      : c.inputs.map((t) => `[${t.shape}]`).join(" ");
    it(`#${k} ${c.op} ${dtypeOf(c)} ${what}`, async () => {
      const outputs = await runFixtureCase(c);
      if (outputs === undefined) return;
      const got = outputs.map((t) => valuesOf(t!));
      outputs.forEach((t, i) => {
        const want = c.outputs![i]!;
        assert.equal(t!.dtype, want.dtype, `output ${i} dtype`);
        assert.deepEqual(t!.shape, want.shape, `output ${i} shape`);
      });
      if (c.op === "SelfAdjointEigV2" && c.outputs![1]!.shape.length >= 2) {
        compare(got[0]!, c.outputs![0]!, "e");
        compare(
          got[1]!,
          c.outputs![1]!,
          "v",
          columnPhases(got[1]!, c.outputs![1]!.values, c.outputs![1]!.shape),
        );
      } else if (
        c.op === "Svd" &&
        c.outputs![1]!.shape.length >= 2 &&
        !JSON.stringify(c.inputs).includes("nan")
      ) {
        compareSvd(got, c.outputs!);
      } else {
        for (const [i, want] of c.outputs!.entries()) compare(got[i]!, want, `output ${i}`);
      }
    });
  });
});
