// The tf.sparse kernels against TensorFlow 2.21 itself: testdata/sparse-fixtures.json, written by
// testdata/gen_sparse_fixtures.py (one tf.raw_ops call per case). Every output's dtype, shape and
// values are compared — integers, indices, bools and strings exactly, floats to a couple of ulps of
// their dtype (TF's Eigen exp and vectorised sums may round the last bit differently) — or TF's
// error code and message. Ops TF has no CPU kernel for at a dtype are not in the file.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxNumber,
  type FxTensor,
  num,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { runKernel } from "./testing/testing.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/sparse-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: FxKernelCase[];
};

/** Relative tolerance per float dtype (complex by their parts' dtype): about two ulps. */
const TOLERANCE: Partial<Record<DataType, number>> = {
  [DataType.DT_FLOAT]: 2 ** -22,
  [DataType.DT_COMPLEX64]: 2 ** -22,
  [DataType.DT_DOUBLE]: 2 ** -51,
  [DataType.DT_COMPLEX128]: 2 ** -51,
  [DataType.DT_HALF]: 2 ** -9,
  [DataType.DT_BFLOAT16]: 2 ** -7,
};

function close(got: number, want: number, tol: number, at: string): void {
  if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `${at}: ${got}, TF NaN`);
  else assert.ok(got === want || Math.abs(got - want) <= tol * Math.abs(want), `${at}: ${got}, TF ${want}`);
}

function assertTensor(got: Tensor | undefined, want: FxTensor, what: string): void {
  assert.ok(got, `${what}: no output`);
  assert.equal(
    got.dtype,
    want.dtype,
    `${what} dtype: ${dataTypeString(got.dtype)}, TF ${dataTypeString(want.dtype as DataType)}`,
  );
  assert.deepEqual(got.shape, want.shape, `${what} shape`);
  const values = valuesOf(got);
  const tol = TOLERANCE[want.dtype as DataType];
  want.values.forEach((w, i) => {
    const g = values[i];
    const at = `${what}[${i}]`;
    if (tol === undefined) assert.equal(g, w, at);
    else if (Array.isArray(w)) {
      const [gr, gi] = g as [number, number];
      close(gr, num(w[0]), tol, `${at}.re`);
      close(gi, num(w[1]), tol, `${at}.im`);
    } else close(g as number, num(w as FxNumber), tol, at);
  });
}

const dtypeOf = (c: FxKernelCase): string => {
  const t = c.attrs.T;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`tf.sparse kernels vs TensorFlow ${fx.tensorflow} (sparse fixtures)`, () => {
  fx.cases.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 60)}`
      : `${c.inputs.map((t) => `[${t.shape}]`).join(" ")}`;
    it(`#${k} ${c.op} ${dtypeOf(c)} ${what}`, async () => {
      const p = runKernel(c.op, {
        attrs: buildAttrs(c.attrs),
        inputs: c.inputs.map(toTensor),
        nodeName: c.op,
      });
      if (c.error) {
        await assert.rejects(p, (e: { code: number; message: string }) => {
          assert.equal(e.code, c.error!.code, e.message);
          // TF's eager text is trimmed of trailing whitespace by the generator.
          assert.equal(e.message.trimEnd(), c.error!.message);
          return true;
        });
        return;
      }
      const r = await p;
      assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
      for (const [i, want] of c.outputs!.entries()) assertTensor(r.outputs[i], want, `output ${i}`);
    });
  });
});

/** An int64 tensor for the hostile-shape cases. */
const i64 = (shape: number[], values: number[]): FxTensor => ({
  dtype: DataType.DT_INT64,
  shape,
  values: values.map(String),
});
const f32 = (values: number[]): FxTensor => ({ dtype: DataType.DT_FLOAT, shape: [values.length], values });
const HUGE = 2 ** 21;

describe("tf.sparse kernels: sizes taken from a dense_shape value are checked before allocating", () => {
  const cases: { op: string; attrs: Record<string, [string, unknown]>; inputs: FxTensor[] }[] = [
    {
      op: "SparseToDense",
      attrs: { T: ["type", DataType.DT_FLOAT], Tindices: ["type", DataType.DT_INT64] },
      inputs: [i64([1, 2], [0, 0]), i64([2], [HUGE, HUGE]), f32([1]), { dtype: 1, shape: [], values: [0] }],
    },
    {
      op: "SparseReduceSum",
      attrs: { T: ["type", DataType.DT_FLOAT] },
      inputs: [
        i64([1, 3], [0, 0, 0]),
        f32([1]),
        i64([3], [HUGE, HUGE, 2]),
        { dtype: 3, shape: [1], values: [2] },
      ],
    },
    {
      op: "SparseFillEmptyRows",
      attrs: { T: ["type", DataType.DT_FLOAT] },
      inputs: [i64([1, 2], [0, 0]), f32([1]), i64([2], [HUGE ** 2, 2]), { dtype: 1, shape: [], values: [0] }],
    },
    {
      op: "SparseTensorDenseMatMul",
      attrs: { T: ["type", DataType.DT_FLOAT], Tindices: ["type", DataType.DT_INT64] },
      inputs: [
        i64([1, 2], [0, 0]),
        f32([1]),
        i64([2], [HUGE ** 2, 2]),
        { dtype: 1, shape: [2, 2], values: [1, 2, 3, 4] },
      ],
    },
  ];
  for (const c of cases) {
    it(`${c.op}: RESOURCE_EXHAUSTED, not a huge allocation`, async () => {
      await assert.rejects(
        runKernel(c.op, { attrs: buildAttrs(c.attrs), inputs: c.inputs.map(toTensor), nodeName: c.op }),
        (e: { code: number; message: string }) => {
          assert.equal(e.code, 8, e.message);
          return true;
        },
      );
    });
  }
});
