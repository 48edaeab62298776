// The unique, segment-reduction and bincount kernels (and the sparse segment gradient ops) against
// TensorFlow 2.21 itself: testdata/segments-fixtures.json, written by
// testdata/gen_segments_fixtures.py with tf.raw_ops on CPU. Every output's dtype, shape and values
// must match exactly (the fixture's data keeps sums, products and means exact or follows TF's order
// of float operations), and every error TF's code and message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { fromValues } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { type FxKernelCase, type FxNumber, num, runFixtureCase, valuesOf } from "./testing/fixture-format.js";
import { runKernel } from "./testing/testing.js";

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
      const outputs = await runFixtureCase(c);
      if (outputs === undefined) return;
      c.outputs!.forEach((want, i) => {
        const got = outputs[i]!;
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

describe("output sizes taken from tensor values are charged before allocating", () => {
  const f = fromValues(DataType.DT_FLOAT, [1, 4], [1, 2, 3, 4]);
  const i = (shape: number[], v: number[]) => fromValues(DataType.DT_INT32, shape, v);
  const big = 2 ** 31 - 1;
  const t = (dt: DataType) => attr.type(dt);
  const F = DataType.DT_FLOAT;
  const I = DataType.DT_INT32;
  const cases = {
    SegmentSum: [{ T: t(F), Tindices: t(I) }, [f, i([1], [big - 1])]],
    UnsortedSegmentMax: [{ T: t(F), Tindices: t(I), Tnumsegments: t(I) }, [f, i([1], [0]), i([], [big])]],
    SparseSegmentSumWithNumSegments: [
      { T: t(F), Tidx: t(I), Tsegmentids: t(I), Tnumsegments: t(I) },
      [f, i([1], [0]), i([1], [0]), i([], [big])],
    ],
    SparseSegmentMeanGrad: [
      { T: t(F), Tidx: t(I), Tsegmentids: t(I) },
      [f, i([1], [0]), i([1], [0]), i([], [big])],
    ],
    DenseBincount: [{ T: t(F), Tidx: t(I) }, [i([2, 2], [1, 2, 3, 4]), i([], [big]), fromValues(F, [0], [])]],
    Bincount: [{ T: t(F) }, [i([1], [1]), i([], [big]), fromValues(F, [0], [])]],
  } as const;
  for (const [op, [attrs, inputs]] of Object.entries(cases)) {
    it(`${op}: a size of 2^31-1 rows is RESOURCE_EXHAUSTED`, async () => {
      await assert.rejects(
        runKernel(op, { attrs: { ...attrs }, inputs: [...inputs], nodeName: op }),
        (e: { code: number }) => {
          assert.equal(e.code, TfCode.RESOURCE_EXHAUSTED);
          return true;
        },
      );
    });
  }
});

describe("zero-element tensors with huge dimensions", () => {
  const big = 2 ** 31 - 1;
  const I = DataType.DT_INT32;
  it("Unique along a huge axis of empty slices charges idx first", async () => {
    const x = fromValues(DataType.DT_FLOAT, [0, big], []);
    const axis = fromValues(DataType.DT_INT64, [1], [1n]);
    const attrs = {
      T: attr.type(DataType.DT_FLOAT),
      Taxis: attr.type(DataType.DT_INT64),
      out_idx: attr.type(I),
    };
    await assert.rejects(
      runKernel("UniqueV2", { attrs, inputs: [x, axis], nodeName: "u" }),
      (e: { code: number }) => {
        assert.equal(e.code, TfCode.RESOURCE_EXHAUSTED);
        return true;
      },
    );
  });
  it("SparseSegmentMeanGrad of a grad with 2^31-1 empty rows counts only the ids it sees", async () => {
    const grad = fromValues(DataType.DT_FLOAT, [big, 0], []);
    const i = (v: number[]) => fromValues(I, [v.length], v);
    const r = await runKernel("SparseSegmentMeanGrad", {
      attrs: { T: attr.type(DataType.DT_FLOAT), Tidx: attr.type(I), Tsegmentids: attr.type(I) },
      inputs: [grad, i([0, 1]), i([5, 7]), fromValues(I, [], [3])],
      nodeName: "g",
    });
    assert.deepEqual(r.outputs[0]!.shape, [3, 0]);
  });
});

describe("weights shorter than the values (TF reads past their end)", () => {
  const I = DataType.DT_INT32;
  const i64 = (v: number[]) => fromValues(DataType.DT_INT64, [v.length], v.map(BigInt));
  const i = (shape: number[], v: number[]) => fromValues(I, shape, v);
  const w = fromValues(DataType.DT_FLOAT, [2], [1, 2]);
  const attrs = { Tidx: attr.type(I), T: attr.type(DataType.DT_FLOAT) };
  const cases = {
    RaggedBincount: [i64([0, 3, 4]), i([4], [1, 2, 2, 3]), i([], [4]), w],
    SparseBincount: [
      fromValues(DataType.DT_INT64, [3, 1], [0n, 1n, 2n]),
      i([3], [1, 2, 2]),
      i64([3]),
      i([], [4]),
      w,
    ],
  } as const;
  for (const [op, inputs] of Object.entries(cases)) {
    it(`${op} is INVALID_ARGUMENT instead of reading garbage`, async () => {
      await assert.rejects(
        runKernel(op, { attrs, inputs: [...inputs], nodeName: op }),
        (e: { code: number }) => {
          assert.equal(e.code, TfCode.INVALID_ARGUMENT);
          return true;
        },
      );
    });
  }
});
