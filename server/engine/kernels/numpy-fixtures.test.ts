// Kernel results against fixtures generated once with numpy (testdata/numpy-fixtures.json):
// broadcasting binary ops, unary ops, MatMul with transposes and reductions, across dtypes.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { DataType, dataTypeFromString } from "../framework/types.js";
import { allClose, run1, tensorOf, valuesOf } from "./testing/testing.js";

type Num = number | null | "inf" | "-inf";
interface Fixtures {
  binary: {
    op: string;
    dtype: string;
    x: Num[];
    xShape: number[];
    y: Num[];
    yShape: number[];
    z: Num[];
    zShape: number[];
  }[];
  unary: { op: string; dtype: string; x: Num[]; shape: number[]; y: Num[] }[];
  matmul: {
    dtype: string;
    ta: boolean;
    tb: boolean;
    a: Num[];
    aShape: number[];
    b: Num[];
    bShape: number[];
    p: Num[];
    pShape: number[];
  }[];
  reduce: {
    op: string;
    dtype: string;
    x: Num[];
    shape: number[];
    axes: number[];
    keep: boolean;
    y: Num[];
    yShape: number[];
  }[];
}

const fx = JSON.parse(
  readFileSync(new URL("./testdata/numpy-fixtures.json", import.meta.url), "utf8"),
) as Fixtures;
const num = (v: Num): number =>
  v === null ? Number.NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
const dt = (name: string): DataType => dataTypeFromString(name)!;
const tol = (name: string) =>
  name === "half" ? 2e-3 : name === "float" ? 1e-6 : name === "double" ? 1e-12 : 0;

describe("binary ops vs numpy (broadcast [2,3] op [3])", () => {
  for (const c of fx.binary) {
    it(`${c.op} ${c.dtype}`, async () => {
      const t = dt(c.dtype);
      if (c.op === "Add" && (c.dtype === "uint16" || c.dtype === "uint32")) {
        // TF's Add (unlike AddV2) does not allow these types: the NodeDef is rejected.
        await assert.rejects(
          run1(c.op, { attrs: { T: attr.type(t) } }),
          (e: { code: number; message: string }) =>
            e.code === 3 && e.message.includes("is not in the list of allowed values"),
        );
        return;
      }
      const z = await run1(c.op, {
        attrs: { T: attr.type(t) },
        inputs: [tensorOf(t, c.xShape, c.x.map(num)), tensorOf(t, c.yShape, c.y.map(num))],
      });
      assert.equal(z.dtype, t);
      assert.deepEqual(z.shape, c.zShape);
      const got = valuesOf(z);
      const want = c.z.map(num);
      assert.ok(allClose(got, want, tol(c.dtype)), `${got} vs ${want}`);
    });
  }
});

describe("unary ops vs numpy", () => {
  for (const c of fx.unary) {
    it(`${c.op} ${c.dtype}`, async () => {
      const t = dt(c.dtype);
      const y = await run1(c.op, {
        attrs: { T: attr.type(t) },
        inputs: [tensorOf(t, c.shape, c.x.map(num))],
      });
      assert.equal(y.dtype, t);
      const got = valuesOf(y);
      assert.ok(allClose(got, c.y.map(num), tol(c.dtype)), `${got} vs ${c.y}`);
    });
  }
});

describe("MatMul vs numpy", () => {
  for (const c of fx.matmul) {
    it(`${c.dtype} transpose_a=${c.ta} transpose_b=${c.tb}`, async () => {
      const t = dt(c.dtype);
      const p = await run1("MatMul", {
        attrs: { T: attr.type(t), transpose_a: attr.bool(c.ta), transpose_b: attr.bool(c.tb) },
        inputs: [tensorOf(t, c.aShape, c.a.map(num)), tensorOf(t, c.bShape, c.b.map(num))],
      });
      assert.deepEqual(p.shape, c.pShape);
      const got = valuesOf(p);
      assert.ok(
        allClose(got, c.p.map(num), c.dtype === "half" ? 5e-3 : tol(c.dtype) * 10),
        `${got} vs ${c.p}`,
      );
    });
  }
});

describe("reductions vs numpy", () => {
  for (const c of fx.reduce) {
    for (const idx of [DataType.DT_INT32, DataType.DT_INT64]) {
      it(`${c.op} ${c.dtype} axes=[${c.axes}] keep_dims=${c.keep} Tidx=${idx === DataType.DT_INT32 ? "int32" : "int64"}`, async () => {
        const t = dt(c.dtype);
        const y = await run1(c.op, {
          attrs: { T: attr.type(t), Tidx: attr.type(idx), keep_dims: attr.bool(c.keep) },
          inputs: [tensorOf(t, c.shape, c.x.map(num)), tensorOf(idx, [c.axes.length], c.axes)],
        });
        assert.deepEqual(y.shape, c.yShape);
        const got = valuesOf(y);
        assert.ok(
          allClose(got, c.y.map(num), c.dtype === "half" ? 4e-3 : tol(c.dtype) * 10),
          `${got} vs ${c.y}`,
        );
      });
    }
  }
});
