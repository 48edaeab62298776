// The FFT kernels (FFT/IFFT, RFFT/IRFFT and their 2D and 3D forms) and Roll against TensorFlow 2.21 itself:
// testdata/fft-fixtures.json, written by testdata/gen_fft_fixtures.py with tf.raw_ops on CPU.
// Errors must match TF's code and message exactly. TF transforms with ducc in the dtype's own
// precision while these kernels work in float64 and round once, so values are compared to a
// tolerance relative to the largest magnitude in the expected tensor: |Δ| <= 1e-6·max(1, max|x|)
// for complex64/float32 and 1e-14·max(1, max|x|) for complex128/float64 (the measured worst cases
// over these fixtures are 1.4e-7 and 1.2e-15). Roll only moves elements, so it must match exactly.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxValue,
  num,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { runKernel, tensorOf } from "./testing/testing.js";
import { makeDft } from "./util/spectral.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/fft-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: FxKernelCase[];
};

const parts = (v: FxValue): number[] => (Array.isArray(v) ? [num(v[0]), num(v[1])] : [num(v)]);

const SINGLE = new Set<number>([DataType.DT_FLOAT, DataType.DT_COMPLEX64]);

const typeOf = (c: FxKernelCase): string => {
  const t = c.attrs.Tcomplex ?? c.attrs.T;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`FFT kernels vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 50)}`
      : c.inputs.map((t) => `[${t.shape}]`).join(" ");
    it(`#${k} ${c.op} ${typeOf(c)} ${what}`, async () => {
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
      const want = c.outputs![0]!;
      const got = r.outputs[0]!;
      assert.equal(got.dtype, want.dtype, "dtype");
      assert.deepEqual(got.shape, want.shape, "shape");
      if (c.op === "Roll") {
        assert.deepEqual(valuesOf(got), want.values);
        return;
      }
      const single = SINGLE.has(want.dtype);
      const tol = single ? 1e-6 : 1e-14;
      const wantParts = want.values.map(parts);
      const scale = Math.max(1, ...wantParts.flat().map(Math.abs));
      const gotValues = valuesOf(got);
      wantParts.forEach((w, j) => {
        const g = parts(gotValues[j]!);
        w.forEach((x, i) => {
          const d = Math.abs(g[i]! - x) / scale;
          assert.ok(
            d <= tol,
            `[${j}]: ${JSON.stringify(gotValues[j])}, TF ${JSON.stringify(want.values[j])}`,
          );
        });
      });
    });
  });
});

describe("FFT output sizes from fft_length are budget-checked", () => {
  const C64 = DataType.DT_COMPLEX64;
  const F32 = DataType.DT_FLOAT;
  const lengths = (v: number[]) => tensorOf(DataType.DT_INT32, [v.length], v);
  const attrs = { Treal: attr.type(F32), Tcomplex: attr.type(C64) };
  // An empty innermost input passes TF's length check whatever fft_length is, so the output size
  // comes from fft_length alone: it must fail with RESOURCE_EXHAUSTED before any allocation.
  const cases: [string, DataType, number[], number[]][] = [
    ["IRFFT", C64, [1, 0], [2 ** 31 - 1]],
    ["RFFT", F32, [3, 0], [2 ** 31 - 1]],
    ["IRFFT3D", C64, [1, 0, 0, 0], [65536, 65536, 65536]],
    ["RFFT2D", F32, [2, 0, 0], [1 << 30, 1 << 30]],
  ];
  for (const [op, dtype, shape, fft] of cases) {
    it(`${op} input ${JSON.stringify(shape)} fft_length ${JSON.stringify(fft)}`, async () => {
      const p = runKernel(op, { attrs, inputs: [Tensor.zeros(dtype, shape), lengths(fft)], nodeName: op });
      await assert.rejects(p, (e: { code: number; message: string }) => {
        assert.equal(e.code, TfCode.RESOURCE_EXHAUSTED, e.message);
        assert.match(e.message, /OOM when allocating/);
        return true;
      });
    });
  }
});

describe("the float64 transform behind the FFT kernels", () => {
  it("matches a direct O(n²) DFT for every length 1..130 and a few large primes, both directions", () => {
    const lengths = [...Array.from({ length: 130 }, (_, i) => i + 1), 257, 509, 1021, 1024];
    for (const n of lengths) {
      const re = Float64Array.from({ length: n }, (_, k) => Math.sin(k * 1.3) + (k % 3));
      const im = Float64Array.from({ length: n }, (_, k) => Math.cos(k * 0.7) - (k % 2));
      for (const sign of [-1, 1]) {
        const gr = re.slice();
        const gi = im.slice();
        makeDft(n, sign)(gr, gi);
        let worst = 0;
        let scale = 1;
        for (let f = 0; f < n; f++) {
          let wr = 0;
          let wi = 0;
          for (let k = 0; k < n; k++) {
            const a = (sign * 2 * Math.PI * ((f * k) % n)) / n;
            wr += re[k]! * Math.cos(a) - im[k]! * Math.sin(a);
            wi += re[k]! * Math.sin(a) + im[k]! * Math.cos(a);
          }
          scale = Math.max(scale, Math.abs(wr), Math.abs(wi));
          worst = Math.max(worst, Math.abs(gr[f]! - wr), Math.abs(gi[f]! - wi));
        }
        assert.ok(worst <= 1e-12 * scale, `n=${n} sign=${sign}: |Δ| ${worst} vs scale ${scale}`);
      }
    }
  });
});
