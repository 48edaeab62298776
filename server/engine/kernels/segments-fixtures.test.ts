// The unique, segment-reduction and bincount kernels (and the sparse segment gradient ops) against
// TensorFlow 2.21 itself: testdata/segments-fixtures.json, written by
// testdata/gen_segments_fixtures.py with tf.raw_ops on CPU. Every output's dtype, shape and values
// must match exactly (the fixture's data keeps sums, products and means exact or follows TF's order
// of float operations), and every error TF's code and message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DataType, dataTypeString } from "../framework/types.js";
import { buildAttrs, type FxKernelCase, type FxNumber, num, toTensor, valuesOf } from "./fixture-format.js";
import { runKernel } from "./testing.js";

const fx = JSON.parse(
  readFileSync(new URL("./testdata/segments-fixtures.json", import.meta.url), "utf8"),
) as {
  tensorflow: string;
  cases: FxKernelCase[];
};

/** Same value, NaN equal to NaN and -0 distinct from +0. */
function sameValue(got: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    const g = got as [number, number];
    return sameValue(g[0], num(want[0] as FxNumber)) && sameValue(g[1], num(want[1] as FxNumber));
  }
  if (typeof got === "string") return got === want;
  const w =
    typeof want === "number" || want === "nan" || want === "inf" || want === "-inf" ? num(want) : want;
  return Object.is(got, w) || (typeof w === "number" && Number.isNaN(w) && Number.isNaN(got as number));
}

const dtypeOf = (c: FxKernelCase): string => {
  const t = c.attrs.T;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`segment, unique and bincount kernels vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 50)}`
      : c.inputs.map((t) => `[${t.shape}]`).join(" ");
    it(`#${k} ${c.op} ${dtypeOf(c)} ${what}`, async () => {
      const p = runKernel(c.op, {
        attrs: buildAttrs(c.attrs),
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
      assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
      c.outputs!.forEach((want, i) => {
        const got = r.outputs[i]!;
        assert.equal(got.dtype, want.dtype, `output ${i} dtype ${dataTypeString(got.dtype)}`);
        assert.deepEqual(got.shape, want.shape, `output ${i} shape`);
        const values = valuesOf(got);
        want.values.forEach((w, j) => {
          assert.ok(
            sameValue(values[j], w),
            `output ${i}[${j}]: ${JSON.stringify(values[j])}, TF ${JSON.stringify(w)}`,
          );
        });
      });
    });
  });

  it("covers every dtype of the ops' CPU kernels", () => {
    const seen = new Set(fx.cases.map((c) => `${c.op} ${dtypeOf(c)}`));
    assert.ok(seen.has(`SegmentSum ${dataTypeString(DataType.DT_COMPLEX128)}`));
    assert.ok(seen.has(`UnsortedSegmentMax ${dataTypeString(DataType.DT_UINT64)}`));
  });
});
