// Element-wise math kernels against TensorFlow 2.21 itself (testdata/math-fixtures.json, written by
// testdata/gen_math_fixtures.py with tf.raw_ops on CPU): every dtype TF has a CPU kernel for, edge
// cases, broadcasting, and TF's exact error code and message for invalid inputs.
//
// Integer, bool and correctly rounded results (IsNan, ClipByValue, TruncateDiv, DivNoNan, …) must
// match exactly, including the sign of zero. Transcendental float results may differ by a few
// units in the last place: TF evaluates them with Eigen's own float approximations (and glibc for
// some double functions), tfgate with V8's double-precision Math functions (or special-math.ts)
// rounded once to the output dtype, so neither is correctly rounded everywhere. TOLERANCE holds, per
// op and dtype, the bound just above the largest difference measured over the fixture (run with
// MATH_FIXTURES_REPORT=1 to print the measured maxima). Complex components are compared in units
// of the larger component's ulp, since a tiny component carries the error of the whole value.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { floatToBfloat16, floatToHalf } from "../framework/float16.js";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  type FxKernelCase,
  type FxNumber,
  type FxValue,
  num,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { runKernel } from "./testing/testing.js";

type Num = FxNumber;
type Value = FxValue;
const fx = JSON.parse(readFileSync(new URL("./testdata/math-fixtures.json", import.meta.url), "utf8")) as {
  cases: FxKernelCase[];
};

/**
 * Allowed ulp differences per op and dtype name (absent: exact), each the maximum measured over
 * the fixture (MATH_FIXTURES_REPORT=1). Where they come from:
 * - float32 trigonometric, hyperbolic, erf, log1p/expm1 and lgamma: Eigen's float polynomials or
 *   glibc's float functions against tfgate's double result rounded once (≤ 3 ulp);
 * - Erfc float: Eigen's rational approximation itself, 4–14 ulp for 4.5 < x < 6;
 * - double: V8's and glibc's libm differ by ≤ 2 ulp; Lgamma double (22) is glibc's more accurate
 *   lgamma for negative x against stdlib gammaln's reflection, near a zero of lgamma where an ulp
 *   of the result is tiny; Digamma double (32) is the cancellation in
 *   the recurrence near ψ's root amplifying a 1-ulp difference between the two logs;
 * - Xlogy/Xlog1py round x·log(y) twice in TF; half/bfloat16 differ only when TF's float result
 *   sits on a rounding boundary (1 ulp);
 * - complex: std::complex formulas (glibc's casin, …) against complex-math.ts's, in ulps of the
 *   larger component (≤ 4).
 */
const TOLERANCE: Record<string, Record<string, number>> = {
  Acos: { float: 3, double: 1, complex64: 1, complex128: 1 },
  Acosh: { float: 1, double: 1, complex64: 1, complex128: 1 },
  Asin: { float: 2, double: 1, complex64: 1, complex128: 4 },
  Asinh: { float: 1, double: 1, complex64: 1, complex128: 3 },
  Atan: { float: 2, double: 2, complex64: 1, complex128: 1 },
  Atan2: { float: 2, double: 1 },
  Atanh: { float: 1, double: 1, complex64: 1, complex128: 1 },
  Cos: { float: 1, double: 1, complex64: 1, complex128: 1 },
  Cosh: { float: 1, double: 1, complex64: 2, complex128: 1 },
  Digamma: { double: 32 },
  DivNoNan: { complex64: 2, complex128: 4 },
  Erf: { float: 3, double: 2 },
  Erfc: { float: 14, double: 3 },
  Expm1: { float: 3, double: 2, complex64: 2, complex128: 2 },
  Lgamma: { float: 2, double: 22 },
  Log1p: { float: 2, double: 1, complex64: 2, complex128: 2 },
  MulNoNan: { complex64: 1 },
  Polygamma: { double: 1 },
  Sin: { float: 1, complex64: 2, complex128: 1 },
  Sinh: { float: 1, double: 1, complex64: 1, complex128: 1 },
  Tan: { float: 1, double: 1, complex64: 2, complex128: 2 },
  Xdivy: { complex64: 2, complex128: 2 },
  Xlog1py: { float: 2, double: 2, half: 1, bfloat16: 1, complex64: 3, complex128: 2 },
  Xlogy: { float: 2, double: 2, half: 1, bfloat16: 1, complex64: 2, complex128: 4 },
  Zeta: { double: 1 },
};

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Position of a value on the dtype's number line of representable values (±0 both at 0). */
function ordinal(dtype: DataType, x: number): bigint {
  switch (dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_COMPLEX64: {
      f32[0] = x;
      const b = i32[0]!;
      return BigInt(b < 0 ? -(b & 0x7fffffff) : b);
    }
    case DataType.DT_HALF: {
      const h = floatToHalf(x);
      return BigInt(h & 0x8000 ? -(h & 0x7fff) : h);
    }
    case DataType.DT_BFLOAT16: {
      const h = floatToBfloat16(x);
      return BigInt(h & 0x8000 ? -(h & 0x7fff) : h);
    }
    default: {
      f64[0] = x;
      const b = i64[0]!;
      return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
    }
  }
}

/** Units in the last place between two values of `dtype` (Infinity when one is NaN). */
function ulpDistance(dtype: DataType, a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const d = ordinal(dtype, a) - ordinal(dtype, b);
  return Number(d < 0n ? -d : d);
}

/** The gap between |x| and the next representable value of `dtype` above it. */
function ulpOf(dtype: DataType, x: number): number {
  const ax = Math.abs(x);
  if (dtype === DataType.DT_COMPLEX64) {
    f32[0] = ax;
    i32[0] = i32[0]! + 1;
    return f32[0]! - Math.fround(ax);
  }
  f64[0] = ax;
  i64[0] = i64[0]! + 1n;
  return f64[0]! - ax;
}

/** Measuring mode: no tolerance, print the largest difference per op and dtype at the end. */
const REPORT = Boolean(process.env.MATH_FIXTURES_REPORT);
/** Largest difference seen per "op dtype", for the report and the tolerance table. */
const measured = new Map<string, number>();

function compare(op: string, dtype: DataType, got: Value[], want: Value[]): void {
  const key = `${op} ${dataTypeString(dtype)}`;
  const tol = REPORT ? Infinity : (TOLERANCE[op]?.[dataTypeString(dtype)] ?? 0);
  let worst = measured.get(key) ?? 0;
  got.forEach((g, j) => {
    const w = want[j]!;
    const where = `[${j}]: got ${JSON.stringify(g)}, want ${JSON.stringify(w)}`;
    if (Array.isArray(w)) {
      const [gr, gi] = g as [number, number];
      const wr = num(w[0]);
      const wi = num(w[1]);
      if (tol === 0) {
        assert.ok(Object.is(gr, wr) && Object.is(gi, wi), where);
        return;
      }
      const scale = ulpOf(dtype, Math.max(Math.abs(wr), Math.abs(wi)));
      for (const [a, b] of [
        [gr, wr],
        [gi, wi],
      ] as const) {
        const d = Number.isNaN(a) && Number.isNaN(b) ? 0 : a === b ? 0 : Math.abs(a - b) / scale;
        worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
        assert.ok(d <= tol, `${where} (${d} ulp > ${tol})`);
      }
      return;
    }
    if (dtype === DataType.DT_INT64 || dtype === DataType.DT_UINT64) {
      assert.equal(g, w, where);
      return;
    }
    const a = g as number;
    const b = num(w as Num);
    if (tol === 0 || dtype === DataType.DT_BOOL || !Number.isFinite(b)) {
      assert.ok(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), where);
      return;
    }
    const d = ulpDistance(dtype, a, b);
    worst = Math.max(worst, d);
    assert.ok(d <= tol, `${where} (${d} ulp > ${tol})`);
  });
  measured.set(key, worst);
}

describe("element-wise math ops vs TensorFlow 2.21", () => {
  fx.cases.forEach((c, k) => {
    const dtype = c.attrs.T![1] as DataType;
    it(`#${k} ${c.op} ${dataTypeString(dtype)} ${c.inputs.map((t) => JSON.stringify(t.shape)).join(" ")}`, async () => {
      const p = runKernel(c.op, {
        attrs: { T: attr.type(dtype) },
        inputs: c.inputs.map(toTensor),
        nodeName: c.op,
      });
      if (c.error) {
        await assert.rejects(p, (e: { code: number; message: string }) => {
          assert.equal(e.code, c.error!.code, e.message);
          assert.equal(e.message, c.error!.message);
          return true;
        });
        return;
      }
      const r = await p;
      assert.equal(r.outputs.length, c.outputs!.length);
      c.outputs!.forEach((want, i) => {
        const got = r.outputs[i]!;
        assert.equal(got.dtype, want.dtype, `output ${i} dtype`);
        assert.deepEqual(got.shape, want.shape, `output ${i} shape`);
        compare(c.op, got.dtype, valuesOf(got), want.values);
      });
    });
  });

  it("covers every op × dtype the tolerance table names", () => {
    for (const [op, byType] of Object.entries(TOLERANCE)) {
      for (const t of Object.keys(byType))
        assert.ok(measured.has(`${op} ${t}`), `${op} ${t} has no fixture case`);
    }
  });
});

after(() => {
  if (!REPORT) return;
  const rows = [...measured].filter(([, v]) => v > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  console.log(rows.map(([k, v]) => `${k}: ${v}`).join("\n"));
});
