// NN kernels beyond the TensorFlow fixtures: the blocked im2col GEMM against a direct reference on
// shapes large enough for several blocks (plain and grouped), complex SigmoidGrad/TanhGrad,
// per-tensor budgets and TF's kernel type constraints.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { getMaxTensorBytes, setMaxTensorBytes, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { allClose, run1, tensorOf, valuesOf } from "./testing/testing.js";

const F = DataType.DT_FLOAT;
const D = DataType.DT_DOUBLE;

/** Deterministic pseudo-random values in [-1, 1). */
function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

interface Geom {
  n: number;
  h: number;
  w: number;
  c: number;
  fh: number;
  fw: number;
  fc: number;
  oc: number;
  s: number;
  pad: "SAME" | "VALID";
}

/** Direct 7-loop convolution (NHWC, HWIO, grouped when c > fc) as the reference. */
function refConv(
  x: number[],
  f: number[],
  g: Geom,
): { y: number[]; oh: number; ow: number; pt: number; pl: number } {
  const oh = g.pad === "SAME" ? Math.ceil(g.h / g.s) : Math.floor((g.h - g.fh) / g.s) + 1;
  const ow = g.pad === "SAME" ? Math.ceil(g.w / g.s) : Math.floor((g.w - g.fw) / g.s) + 1;
  const pt = g.pad === "SAME" ? Math.floor(Math.max(0, (oh - 1) * g.s + g.fh - g.h) / 2) : 0;
  const pl = g.pad === "SAME" ? Math.floor(Math.max(0, (ow - 1) * g.s + g.fw - g.w) / 2) : 0;
  const groups = g.c / g.fc;
  const ocg = g.oc / groups;
  const y = new Array<number>(g.n * oh * ow * g.oc).fill(0);
  for (let b = 0; b < g.n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < g.oc; o++) {
          const grp = Math.floor(o / ocg);
          let s = 0;
          for (let p = 0; p < g.fh; p++)
            for (let q = 0; q < g.fw; q++) {
              const ih = i * g.s - pt + p;
              const iw = j * g.s - pl + q;
              if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
              for (let c = 0; c < g.fc; c++)
                s +=
                  x[((b * g.h + ih) * g.w + iw) * g.c + grp * g.fc + c]! *
                  f[((p * g.fw + q) * g.fc + c) * g.oc + o]!;
            }
          y[((b * oh + i) * ow + j) * g.oc + o] = s;
        }
  return { y, oh, ow, pt, pl };
}

const convAttrs = (dt: DataType, g: Geom) => ({
  T: attr.type(dt),
  strides: attr.intList([1, g.s, g.s, 1]),
  padding: attr.string(g.pad),
});

describe("Conv2D im2col GEMM vs a direct reference (several row blocks)", () => {
  const cases: Geom[] = [
    { n: 2, h: 13, w: 11, c: 40, fh: 3, fw: 3, fc: 40, oc: 7, s: 1, pad: "SAME" },
    { n: 1, h: 17, w: 16, c: 24, fh: 5, fw: 4, fc: 24, oc: 9, s: 2, pad: "VALID" },
    { n: 2, h: 12, w: 12, c: 48, fh: 3, fw: 3, fc: 16, oc: 6, s: 1, pad: "SAME" },
  ];
  for (const g of cases) {
    const label = `${g.n}x${g.h}x${g.w}x${g.c} * ${g.fh}x${g.fw}x${g.fc}x${g.oc} s${g.s} ${g.pad}`;
    const x = rand(g.n * g.h * g.w * g.c, 1);
    const f = rand(g.fh * g.fw * g.fc * g.oc, 2);
    const ref = refConv(x, f, g);
    for (const dt of [F, D]) {
      it(`forward ${label} ${dt === F ? "float" : "double"}`, async () => {
        const y = await run1("Conv2D", {
          attrs: convAttrs(dt, g),
          inputs: [tensorOf(dt, [g.n, g.h, g.w, g.c], x), tensorOf(dt, [g.fh, g.fw, g.fc, g.oc], f)],
        });
        assert.deepEqual(y.shape, [g.n, ref.oh, ref.ow, g.oc]);
        assert.ok(allClose(valuesOf(y), ref.y, dt === F ? 1e-5 : 1e-12));
      });
    }
    if (g.fc !== g.c) continue;
    // Gradients checked through ⟨dy, conv(x, f)⟩ = ⟨dx, x⟩ = ⟨df, f⟩ (the convolution is bilinear).
    it(`backprops ${label} satisfy the adjoint identities`, async () => {
      const dy = rand(ref.y.length, 3);
      const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
      const want = dot(dy, ref.y);
      const dyT = tensorOf(D, [g.n, ref.oh, ref.ow, g.oc], dy);
      const dx = await run1("Conv2DBackpropInput", {
        attrs: convAttrs(D, g),
        inputs: [
          tensorOf(DataType.DT_INT32, [4], [g.n, g.h, g.w, g.c]),
          tensorOf(D, [g.fh, g.fw, g.fc, g.oc], f),
          dyT,
        ],
      });
      const df = await run1("Conv2DBackpropFilter", {
        attrs: convAttrs(D, g),
        inputs: [
          tensorOf(D, [g.n, g.h, g.w, g.c], x),
          tensorOf(DataType.DT_INT32, [4], [g.fh, g.fw, g.fc, g.oc]),
          dyT,
        ],
      });
      assert.ok(Math.abs(dot(valuesOf(dx), x) - want) < 1e-9 * Math.max(1, Math.abs(want)));
      assert.ok(Math.abs(dot(valuesOf(df), f) - want) < 1e-9 * Math.max(1, Math.abs(want)));
    });
  }
});

describe("SigmoidGrad and TanhGrad on complex numbers", () => {
  it("computes dy·y·(1−y) and dy·(1−y²) in complex arithmetic", async () => {
    const C = DataType.DT_COMPLEX128;
    const c = (re: number[], im: number[]) => {
      const t = Tensor.zeros(C, [re.length]);
      re.forEach((r, i) => {
        (t.data as Float64Array)[2 * i] = r;
        (t.data as Float64Array)[2 * i + 1] = im[i]!;
      });
      return t;
    };
    const y = c([0.5, 1], [0.25, -2]);
    const dy = c([2, -1], [1, 0.5]);
    const s = await run1("SigmoidGrad", { attrs: { T: attr.type(C) }, inputs: [y, dy] });
    const t = await run1("TanhGrad", { attrs: { T: attr.type(C) }, inputs: [y, dy] });
    // y0 = 0.5+0.25i: y(1−y) = 0.3125 + 0i; times dy0 = 2+1i → 0.625+0.3125i.
    // y1 = 1−2i: y(1−y) = (1−2i)(2i) = 4+2i; times dy1 = −1+0.5i → −5+0i.
    assert.deepEqual(Array.from(s.data as Float64Array), [0.625, 0.3125, -5, 0]);
    // 1−y0² = 1−(0.1875+0.25i) = 0.8125−0.25i; times 2+i → 1.875+0.3125i.
    // 1−y1² = 1−(−3−4i) = 4+4i; times −1+0.5i → −6−2i.
    assert.deepEqual(Array.from(t.data as Float64Array), [1.875, 0.3125, -6, -2]);
  });
});

describe("NN kernel limits and type constraints", () => {
  it("Conv2D fails with RESOURCE_EXHAUSTED, not a crash, when its output exceeds the tensor budget", async () => {
    const old = getMaxTensorBytes();
    setMaxTensorBytes(1 << 20);
    try {
      await assert.rejects(
        run1("Conv2D", {
          attrs: { T: attr.type(F), strides: attr.intList([1, 1, 1, 1]), padding: attr.string("SAME") },
          inputs: [Tensor.zeros(F, [1, 256, 256, 1]), Tensor.zeros(F, [1, 1, 1, 8])],
        }),
        (e: { code: number; message: string }) =>
          e.code === TfCode.RESOURCE_EXHAUSTED &&
          e.message.includes("OOM when allocating tensor with shape[1,256,256,8]"),
      );
    } finally {
      setMaxTensorBytes(old);
    }
  });

  it("rejects dtypes without a CPU kernel like TF (FusedBatchNormV3 U=bfloat16, LRN bfloat16)", async () => {
    await assert.rejects(
      run1("FusedBatchNormV3", {
        attrs: { T: attr.type(F), U: attr.type(DataType.DT_BFLOAT16) },
        inputs: [],
      }),
      (e: { code: number; message: string }) =>
        e.code === TfCode.INVALID_ARGUMENT &&
        e.message.includes("No OpKernel was registered to support Op 'FusedBatchNormV3'"),
    );
    await assert.rejects(
      run1("LRN", { attrs: { T: attr.type(DataType.DT_BFLOAT16) }, inputs: [] }),
      (e: { code: number; message: string }) =>
        e.code === TfCode.INVALID_ARGUMENT && e.message.includes("No OpKernel"),
    );
  });

  it("MaxPool keeps int64 values exact", async () => {
    const big = 2n ** 60n + 3n;
    const x = Tensor.zeros(DataType.DT_INT64, [1, 2, 2, 1]);
    (x.data as BigInt64Array).set([1n, big, -big, 5n]);
    const y = await run1("MaxPool", {
      attrs: {
        T: attr.type(DataType.DT_INT64),
        ksize: attr.intList([1, 2, 2, 1]),
        strides: attr.intList([1, 2, 2, 1]),
        padding: attr.string("VALID"),
      },
      inputs: [x],
    });
    assert.deepEqual(Array.from(y.data as BigInt64Array), [big]);
  });
});
