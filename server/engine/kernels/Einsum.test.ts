// Einsum beyond the TF fixtures (math-extra-fixtures.test.ts): equations TF's shape function
// rejects before its kernel could misbehave on them, and large products checked against MatMul /
// BatchMatMulV2 (the XNNPACK path for float32, the JS paths otherwise).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { isTfError, TfCode } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { einsum, einsumParsed, einsumSlices } from "./Einsum.js";
import { transpose } from "./Transpose.js";
import { allClose, run1, tensorOf, valuesOf } from "./testing/testing.js";
import { parseEinsumEquation } from "./util/einsum-equation.js";

function random(dtype: DataType, shape: number[], seed: number): Tensor {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1) * (dtype === DataType.DT_COMPLEX64 ? 2 : 1);
  const values = Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 30 - 1;
  });
  return dtype === DataType.DT_COMPLEX64
    ? new Tensor(dtype, shape, Float32Array.from(values))
    : tensorOf(dtype, shape, values);
}

const throwsInvalid = (fn: () => unknown, message: string) =>
  assert.throws(
    fn,
    (e: unknown) => isTfError(e) && e.code === TfCode.INVALID_ARGUMENT && e.message === message,
  );

describe("Einsum equations TF's shape function rejects", () => {
  const x = Tensor.zeros(DataType.DT_FLOAT, [2, 3]);
  it("two ellipses in a subscript", () => {
    throwsInvalid(
      () => einsum("...i...->i", [x]),
      "Expected at most one ellipsis (...), but found 6 periods (.) in the input subscript: ...i...",
    );
    throwsInvalid(
      () => einsum("...i,...i->.......i", [x, x]),
      "Expected at most one ellipsis (...), but found 7 periods (.) in the input subscript: .......i",
    );
  });
  it("an output label no input has", () => {
    throwsInvalid(
      () => einsum("ij,jk->ix", [x, Tensor.zeros(DataType.DT_FLOAT, [3, 4])]),
      "Einsum output subscripts for equation 'ij,jk->ix' has label 'x' which is not present in the input subscripts",
    );
  });
});

async function viaEinsum(equation: string, inputs: Tensor[]): Promise<Tensor> {
  return run1("Einsum", {
    attrs: { equation: attr.string(equation), N: attr.int(inputs.length), T: attr.type(inputs[0]!.dtype) },
    inputs,
  });
}

describe("Einsum products against MatMul and BatchMatMulV2", () => {
  for (const dtype of [DataType.DT_FLOAT, DataType.DT_DOUBLE, DataType.DT_COMPLEX64]) {
    it(`ij,kj->ik and ji,jk->ik (${dataTypeString(dtype)}, 96×128×80)`, async () => {
      const a = random(dtype, [96, 128], 1);
      const b = random(dtype, [80, 128], 2);
      const want = await run1("MatMul", {
        attrs: { T: attr.type(dtype), transpose_b: attr.bool(true) },
        inputs: [a, b],
      });
      const got = await viaEinsum("ij,kj->ik", [a, b]);
      assert.deepEqual(got.shape, [96, 80]);
      assert.ok(allClose(valuesOf(got), valuesOf(want), 1e-5));
      const at = transpose(a, [1, 0]);
      const bt = transpose(b, [1, 0]);
      assert.ok(allClose(valuesOf(await viaEinsum("ji,jk->ik", [at, bt])), valuesOf(want), 1e-5));
    });
  }
  it("bij,bjk->bik broadcasting a batch of 1 (float, 4×64×64×64)", async () => {
    const a = random(DataType.DT_FLOAT, [4, 64, 64], 3);
    const b = random(DataType.DT_FLOAT, [1, 64, 64], 4);
    const want = await run1("BatchMatMulV2", { attrs: { T: attr.type(DataType.DT_FLOAT) }, inputs: [a, b] });
    const got = await viaEinsum("...ij,...jk->...ik", [a, b]);
    assert.deepEqual(got.shape, [4, 64, 64]);
    assert.ok(allClose(valuesOf(got), valuesOf(want), 1e-5));
  });
});

describe("Einsum in slices", () => {
  it("has the bits of a whole run, for many tiny products and for a batched product", () => {
    for (const dtype of [DataType.DT_DOUBLE, DataType.DT_COMPLEX128, DataType.DT_INT32]) {
      for (const [eq, s0, s1] of [
        // 1.2 M one-element products, in ranges of the batch
        ["ij,ij->ij", [1000, 1200], [1000, 1200]],
        ["bij,bjk->bik", [6, 121, 131], [6, 131, 109]],
        ["...ij,...jk->...ik", [5, 4, 60, 31], [4, 31, 50]],
      ] as const) {
        // (complex and integer tiny products go through the batched product, a matrix at a time)
        if (s0.length === 2 && dtype !== DataType.DT_DOUBLE) continue;
        const inputs = [random(dtype, [...s0], 1), random(dtype, [...s1], 2)];
        const parsed = parseEinsumEquation(eq);
        const g = einsumSlices(parsed, inputs);
        let pieces = 0;
        let r = g.next();
        for (; !r.done; r = g.next()) pieces++;
        assert.ok(pieces >= 2, `${eq} ${dataTypeString(dtype)}: ${pieces} pieces`);
        const want = einsumParsed(parsed, inputs);
        assert.deepEqual(r.value.shape, want.shape);
        const bytes = (t: Tensor) => {
          const d = t.data as Float64Array;
          return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
        };
        assert.ok(bytes(r.value).equals(bytes(want)), `${eq} ${dataTypeString(dtype)}: bits differ`);
      }
    }
  });
});
