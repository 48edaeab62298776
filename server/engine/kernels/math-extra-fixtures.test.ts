// Einsum, BroadcastArgs, Rint and the complex <-> real ops against TensorFlow 2.21 itself
// (testdata/math-extra-fixtures.json, written by testdata/gen_math_extra_fixtures.py): outputs by
// dtype, shape and value, errors by code and message.
//
// Exact: integers, Rint, Complex/Real/Imag/Conj (pure data movement) and Einsum on the small grid
// inputs, whose products and sums are exact in every float dtype. Within a few ulps: ComplexAbs
// and Angle (TF's hypotf/atan2f against the double functions rounded once) and Einsum's larger
// float32 products (TF's oneDNN/Eigen summation order against tfgate's float64 accumulation or
// XNNPACK's float32 one), the latter relative to the output's largest magnitude.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxTensor,
  type FxValue,
  num,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { runKernel } from "./testing/testing.js";

const fx = JSON.parse(
  readFileSync(new URL("./testdata/math-extra-fixtures.json", import.meta.url), "utf8"),
) as {
  tensorflow: string;
  cases: FxKernelCase[];
};

/** Relative tolerance per op (absent: exact). */
const TOLERANCE: Record<string, number> = {
  ComplexAbs: 2 ** -23,
  Angle: 2 ** -23,
  Einsum: 2 ** -21,
};

const parts = (v: FxValue): number[] => (Array.isArray(v) ? v.map((x) => num(x)) : [num(v)]);

function assertValue(got: number, want: number, tol: number, scale: number, at: string): void {
  if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `${at}: ${got}, TF NaN`);
  else if (tol === 0) assert.ok(Object.is(got, want), `${at}: ${got}, TF ${want}`);
  else
    assert.ok(
      got === want || Math.abs(got - want) <= tol * Math.max(Math.abs(want), scale),
      `${at}: ${got}, TF ${want}`,
    );
}

function assertTensor(op: string, got: ReturnType<typeof toTensor> | undefined, want: FxTensor): void {
  assert.ok(got, "no output");
  assert.equal(got.dtype, want.dtype, `dtype ${dataTypeString(got.dtype)}`);
  assert.deepEqual(got.shape, want.shape, "shape");
  const values = valuesOf(got);
  if (want.dtype === DataType.DT_INT64 || want.dtype === DataType.DT_INT32) {
    assert.deepEqual(values.map(String), want.values.map(String));
    return;
  }
  const tol = TOLERANCE[op] ?? 0;
  // Einsum's error is relative to the output's magnitude (cancellation makes small sums noisy).
  const scale = op === "Einsum" ? Math.max(0, ...want.values.flatMap((v) => parts(v).map(Math.abs))) : 0;
  want.values.forEach((w, i) => {
    const g = parts(values[i]!);
    for (const [k, e] of parts(w).entries()) assertValue(g[k]!, e, tol, scale, `[${i}]${k ? ".im" : ""}`);
  });
}

const label = (c: FxKernelCase): string => {
  const eq = c.attrs.equation ? ` '${c.attrs.equation[1] as string}'` : "";
  const t = c.attrs.T;
  const dt = t && t[0] === "type" ? ` ${dataTypeString(t[1] as DataType)}` : "";
  const shapes = c.inputs.map((x) => `[${x.shape}]`).join(" ");
  return `${c.op}${eq}${dt} ${shapes}${c.error ? " (error)" : ""}`;
};

describe(`math extras vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    it(`#${k} ${label(c)}`, async () => {
      const p = runKernel(c.op, {
        attrs: buildAttrs(c.attrs),
        inputs: c.inputs.map(toTensor),
        nodeName: c.op,
      });
      if (c.error) {
        await assert.rejects(p, (e: { code: number; message: string }) => {
          assert.equal(e.message.trimEnd(), c.error!.message);
          assert.equal(e.code, c.error!.code);
          return true;
        });
        return;
      }
      const r = await p;
      assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
      for (const [i, want] of c.outputs!.entries()) assertTensor(c.op, r.outputs[i], want);
    });
  });
});
