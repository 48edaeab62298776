// StridedSlice against results recorded from a real TensorFlow 2.21 (testdata/tf-strided-slice.json,
// tf.raw_ops.StridedSlice on a [3,4,5] float tensor with fed begin/end/strides).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { DataType } from "../framework/types.js";
import { run1, tensorOf, valuesOf } from "./testing/testing.js";

interface Case {
  begin: number[];
  end: number[];
  strides: number[];
  begin_mask: number;
  end_mask: number;
  ellipsis_mask: number;
  new_axis_mask: number;
  shrink_axis_mask: number;
  shape?: number[];
  values?: number[];
  error?: string;
}
const fx = JSON.parse(readFileSync(new URL("./testdata/tf-strided-slice.json", import.meta.url), "utf8")) as {
  input: number[];
  shape: number[];
  cases: Case[];
};

const I32 = DataType.DT_INT32;

describe("StridedSlice vs TensorFlow 2.21", () => {
  for (const c of fx.cases) {
    it(
      JSON.stringify(c, (k, v) => (k === "values" ? undefined : v)),
      async () => {
        const n = c.begin.length;
        const p = run1("StridedSlice", {
          attrs: {
            T: attr.type(DataType.DT_FLOAT),
            Index: attr.type(I32),
            begin_mask: attr.int(c.begin_mask),
            end_mask: attr.int(c.end_mask),
            ellipsis_mask: attr.int(c.ellipsis_mask),
            new_axis_mask: attr.int(c.new_axis_mask),
            shrink_axis_mask: attr.int(c.shrink_axis_mask),
          },
          inputs: [
            tensorOf(DataType.DT_FLOAT, fx.shape, fx.input),
            tensorOf(I32, [n], c.begin),
            tensorOf(I32, [n], c.end),
            tensorOf(I32, [n], c.strides),
          ],
        });
        if (c.error !== undefined) {
          await assert.rejects(p, (e: { code: number; message: string }) => {
            assert.equal(e.code, TfCode.INVALID_ARGUMENT);
            assert.equal(e.message, c.error);
            return true;
          });
          return;
        }
        const y = await p;
        assert.deepEqual(y.shape, c.shape);
        assert.deepEqual(valuesOf(y), c.values);
      },
    );
  }
});
