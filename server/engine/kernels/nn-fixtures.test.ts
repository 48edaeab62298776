// NN kernels against TensorFlow 2.21 itself: testdata/tf-nn-fixtures.json holds inputs, attrs and
// the outputs (or status code and message) of tf.raw_ops on CPU, written by
// testdata/gen_nn_fixtures.py (run it with the repository's .venv-tf to regenerate).
//
// Tolerances, as |got − want| ≤ tol·max(1, |want|):
//   float32  1e-6 — we accumulate in float64 and round once; TF accumulates float32 sums (Eigen
//            contraction blocks), so a k-term dot product may differ by about k·2⁻²⁴ relative to
//            its largest partial sum. Observed: ≤ 1 ulp (6e-8) on these inputs.
//   float64  1e-12 — summation order only.
//   half     1e-2, bfloat16 3e-2, relative to max(1, largest |want| of the output) — TF's CPU
//            conv and depthwise backprops accumulate in the 16-bit type itself (ε = 2⁻¹¹, 2⁻⁸ per
//            add) while we round once, so TF's own error is proportional to its partial sums, not
//            to each element (observed up to 5e-3 and 5.6e-2 element-wise for 25–150-term sums);
//            element-wise ops differ by at most an ulp.
//   integers exact.
// Error cases compare the status code and TF's message exactly; for NodeDef attr errors, whose
// tail lists the op signature in TF's longer format, the text before "\n\t; NodeDef" is compared.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { attr } from "../../../test/support/attr.js";
import { type DataType, dataTypeFromString } from "../framework/types.js";
import { runKernel, tensorOf, valuesOf } from "./testing/testing.js";

type Num = number | null | "inf" | "-inf";
interface FixtureTensor {
  dtype: string;
  shape: number[];
  values: Num[];
}
type FixtureAttr =
  | { type: string }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { s: string }
  | { ints: number[] };
interface Case {
  name: string;
  op: string;
  attrs: Record<string, FixtureAttr>;
  inputs: FixtureTensor[];
  outputs?: (FixtureTensor | null)[];
  error?: { code: number; message: string };
  tol?: number;
}

const fx = JSON.parse(readFileSync(new URL("./testdata/tf-nn-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: Case[];
};

const num = (v: Num): number =>
  v === null ? Number.NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
const dt = (name: string): DataType => {
  const t = dataTypeFromString(name);
  if (t === undefined) throw new Error(`unknown dtype ${name}`);
  return t;
};
export const NN_TOLERANCE: Record<string, number> = {
  float: 1e-6,
  double: 1e-12,
  half: 1e-2,
  bfloat16: 3e-2,
};

function toAttr(a: FixtureAttr): AttrValue {
  if ("type" in a) return attr.type(dt(a.type));
  if ("i" in a) return attr.int(a.i);
  if ("f" in a) return attr.float(a.f);
  if ("b" in a) return attr.bool(a.b);
  if ("s" in a) return attr.string(a.s);
  return attr.intList(a.ints);
}

/** The "T"-like type attrs TF infers from the inputs in eager mode (recorded only as input dtypes). */
function typeAttrs(c: Case): Record<string, AttrValue> {
  const t = (i: number) => attr.type(dt(c.inputs[i]!.dtype));
  switch (c.op) {
    case "Conv2DBackpropInput":
    case "DepthwiseConv2dNativeBackpropInput":
    case "AvgPoolGrad":
      return { T: t(1) };
    case "FusedBatchNormV3":
      return { T: t(0), U: t(1) };
    case "FusedBatchNormGradV3":
      return { T: t(0), U: t(3) };
    case "SparseSoftmaxCrossEntropyWithLogits":
      return { T: t(0), Tlabels: t(1) };
    default:
      return { T: t(0) };
  }
}

/**
 * Largest |got − want| / max(1, |want|), or / max(1, max |want|) when `normwise`; NaN matches NaN,
 * ±inf must match exactly.
 */
function maxError(got: readonly number[], want: readonly number[], normwise: boolean): number {
  let scale = 1;
  if (normwise) for (const y of want) if (Number.isFinite(y)) scale = Math.max(scale, Math.abs(y));
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const x = got[i]!;
    const y = want[i]!;
    if (Number.isNaN(y) ? Number.isNaN(x) : x === y) continue;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Infinity;
    worst = Math.max(worst, Math.abs(x - y) / (normwise ? scale : Math.max(1, Math.abs(y))));
  }
  return worst;
}

describe(`NN kernels vs TensorFlow ${fx.tensorflow}`, () => {
  const only = process.env.NN_FIXTURE_FILTER;
  for (const c of fx.cases) {
    if (only !== undefined && !c.name.includes(only)) continue;
    it(c.name, async () => {
      const attrs: Record<string, AttrValue> = typeAttrs(c);
      for (const [k, v] of Object.entries(c.attrs)) attrs[k] = toAttr(v);
      const p = runKernel(c.op, {
        attrs,
        nodeName: c.op,
        inputs: c.inputs.map((t) => tensorOf(dt(t.dtype), t.shape, t.values.map(num))),
      });
      if (c.error !== undefined) {
        const want = c.error;
        await assert.rejects(p, (e: { code?: number; message: string }) => {
          const cut = (m: string) => m.split("\n\t; NodeDef")[0];
          assert.equal(e.code, want.code, e.message);
          assert.equal(cut(e.message), cut(want.message));
          return true;
        });
        return;
      }
      const { outputs } = await p;
      assert.equal(outputs.length, c.outputs!.length, "number of outputs");
      c.outputs!.forEach((w, i) => {
        const got = outputs[i];
        assert.ok(got, `output ${i} missing`);
        if (w === null) return; // TF leaves this output uninitialised.
        assert.equal(got.dtype, dt(w.dtype), `output ${i} dtype`);
        assert.deepEqual(got.shape, w.shape, `output ${i} shape`);
        const want = w.values.map(num);
        const values = valuesOf(got);
        const tol = c.tol ?? NN_TOLERANCE[w.dtype] ?? 0;
        const err = maxError(values, want, w.dtype === "half" || w.dtype === "bfloat16");
        if (process.env.NN_FIXTURE_REPORT) console.log(`${c.name} out${i} err=${err.toExponential(2)}`);
        assert.ok(
          err <= tol,
          `output ${i}: max relative error ${err} > ${tol}\n got ${values}\nwant ${want}`,
        );
      });
    });
  }
});

describe("NN fixtures cover every NN op", () => {
  it("has value and error cases for each op", () => {
    const ops = new Set(fx.cases.map((c) => c.op));
    assert.ok(ops.size >= 30, `${ops.size} ops`);
    for (const op of ops)
      assert.ok(
        fx.cases.some((c) => c.op === op && c.outputs !== undefined),
        op,
      );
  });
});
