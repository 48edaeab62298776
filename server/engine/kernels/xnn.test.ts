// The XNNPACK path of the float32 MatMul, BatchMatMulV2, Conv2D and conv-gradient kernels (xnn.ts):
// against TensorFlow 2.21 (testdata/xnn-tf-fixtures.json, written by testdata/gen_xnn_fixtures.py)
// and against this repository's float64-accumulating JS kernels, computed before the thread loads
// XNNPACK; the threshold switch; the paths that must stay on JS; heap use over many steps.
//
// Tests run in order in one thread: the first ones check that nothing loads XNNPACK, later ones
// load it through a large float32 kernel.
//
// Tolerance: XNNPACK and TF's Eigen both accumulate k-term dot products in float32, in different
// orders, so each may be off by about k·2⁻²⁴ times the sum of the terms' magnitudes (k ≤ 800 here:
// ≤ 5e-5 of it). Elements are compared with |got − want| ≤ 1e-4·max(1, |want|); the sum of all
// elements (which cancels) with ≤ 1e-5 of the sum of magnitudes.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { attr } from "../../../test/support/attr.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { batchMatMul } from "./BatchMatMulV2.js";
import { conv2D } from "./Conv2D.js";
import { conv2DBackpropFilter } from "./Conv2DBackpropFilter.js";
import { conv2DBackpropInput } from "./Conv2DBackpropInput.js";
import { matMul } from "./MatMul.js";
import { registerAllKernels } from "./register-all.js";
import { run1, tensorOf, valuesOf } from "./testing/testing.js";
import type { ConvAttrs } from "./util/conv-util.js";
import { configureNativeKernels } from "./util/ort.js";
import { XNN_MIN_MACS, xnnKernels, xnnSettled } from "./util/xnn.js";

registerAllKernels();
// This file is about the XNNPACK path: the large products that would go to onnxruntime
// (util/ort.ts, tested by ort.test.ts against the same fixtures) stay on XNNPACK here.
configureNativeKernels({ native: false });

interface InputSpec {
  readonly seed?: number;
  readonly shape?: number[];
  readonly int32?: number[];
}
interface Case {
  readonly name: string;
  readonly op: string;
  readonly inputs: InputSpec[];
  readonly attrs: Record<string, boolean | string | number[]>;
  readonly output: {
    readonly shape: number[];
    readonly sum: number;
    readonly sumAbs: number;
    readonly samples: [number, number][];
  };
}

const fixtures = JSON.parse(
  readFileSync(new URL("./testdata/xnn-tf-fixtures.json", import.meta.url), "utf8"),
) as { cases: Case[] };

/** gen_xnn_fixtures.py's seeded(): exact integer arithmetic in doubles, then one rounding. */
function seeded(seed: number, shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // i·2654435761 < 2^53 for the sizes used here, so the product is exact.
    const u = (i * 2654435761 + seed * 40503) % 2 ** 32;
    out[i] = u / 2 ** 32 - 0.5;
  }
  return out;
}

function inputOf(spec: InputSpec): Tensor {
  if (spec.int32 !== undefined)
    return new Tensor(DataType.DT_INT32, [spec.int32.length], Int32Array.from(spec.int32));
  return new Tensor(DataType.DT_FLOAT, spec.shape!, seeded(spec.seed!, spec.shape!));
}

function attrsOf(c: Case): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = { T: attr.type(DataType.DT_FLOAT) };
  for (const [name, v] of Object.entries(c.attrs)) {
    if (typeof v === "boolean") out[name] = attr.bool(v);
    else if (typeof v === "string") out[name] = attr.string(v);
    else out[name] = attr.intList(v);
  }
  return out;
}

function convAttrs(c: Case): ConvAttrs {
  return {
    strides: c.attrs.strides as number[],
    dilations: c.attrs.dilations as number[],
    padding: c.attrs.padding as ConvAttrs["padding"],
    explicitPaddings: c.attrs.explicit_paddings as number[],
    dataFormat: "NHWC",
  };
}

/** The case computed by the pure kernel function (whichever path the thread picks). */
function direct(c: Case): Tensor {
  const [a, b, d] = c.inputs.map(inputOf) as [Tensor, Tensor, Tensor | undefined];
  switch (c.op) {
    case "MatMul":
      return matMul(a, b, c.attrs.transpose_a as boolean, c.attrs.transpose_b as boolean);
    case "BatchMatMulV2":
      return batchMatMul(a, b, c.attrs.adj_x as boolean, c.attrs.adj_y as boolean);
    case "Conv2D":
      return conv2D(a, b, convAttrs(c));
    case "Conv2DBackpropInput":
      return conv2DBackpropInput(a, b, d!, convAttrs(c));
    case "Conv2DBackpropFilter":
      return conv2DBackpropFilter(a, b, d!, convAttrs(c));
    default:
      throw new Error(`no case for ${c.op}`);
  }
}

function checkAgainstTf(c: Case, got: Tensor): void {
  assert.deepEqual(got.shape, c.output.shape, c.name);
  const v = got.data as Float32Array;
  for (const [i, want] of c.output.samples) {
    const d = Math.abs(v[i]! - want);
    assert.ok(d <= 1e-4 * Math.max(1, Math.abs(want)), `${c.name}[${i}]: ${v[i]} vs TF ${want}`);
  }
  let sum = 0;
  for (const x of v) sum += x;
  assert.ok(
    Math.abs(sum - c.output.sum) <= 1e-5 * c.output.sumAbs,
    `${c.name}: sum ${sum} vs TF ${c.output.sum}`,
  );
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

const calls = () => xnnKernels()?.stats().calls ?? 0;

/** Results of the float64-accumulating JS kernels, computed before anything loads XNNPACK. */
const jsResults = new Map<string, Tensor>();

test("small float32 products and other dtypes do not load XNNPACK", async () => {
  const a = seeded(1, [16, 16]);
  const small = await run1("MatMul", {
    attrs: { T: attr.type(DataType.DT_FLOAT) },
    inputs: [new Tensor(DataType.DT_FLOAT, [16, 16], a), new Tensor(DataType.DT_FLOAT, [16, 16], a)],
  });
  assert.deepEqual(small.shape, [16, 16]);
  const big = Float64Array.from(seeded(2, [128, 128]));
  const d = await run1("MatMul", {
    attrs: { T: attr.type(DataType.DT_DOUBLE) },
    inputs: [
      new Tensor(DataType.DT_DOUBLE, [128, 128], big),
      new Tensor(DataType.DT_DOUBLE, [128, 128], big),
    ],
  });
  assert.deepEqual(d.shape, [128, 128]);
  assert.equal(xnnSettled(), false);
});

test("the JS kernels agree with TensorFlow (reference for the XNNPACK path)", () => {
  assert.equal(xnnKernels(), undefined);
  for (const c of fixtures.cases) {
    const t = direct(c);
    checkAgainstTf(c, t);
    jsResults.set(c.name, t);
  }
});

test("large float32 kernels load XNNPACK, run on it and agree with TensorFlow", async () => {
  for (const c of fixtures.cases) {
    const before = calls();
    const got = await run1(c.op, { attrs: attrsOf(c), inputs: c.inputs.map(inputOf) });
    assert.ok(xnnKernels() !== undefined, "XNNPACK loaded");
    assert.ok(calls() > before, `${c.name} ran on XNNPACK`);
    checkAgainstTf(c, got);
    const js = jsResults.get(c.name)!.data as Float32Array;
    assert.ok(maxRelDiff(got.data as Float32Array, js) <= 1e-4, `${c.name} vs the JS kernel`);
  }
});

test("the threshold: smaller products keep the exact JS results, larger ones switch", () => {
  assert.ok(xnnKernels() !== undefined);
  // 63·64·64 < XNN_MIN_MACS = 64·64·64.
  assert.equal(XNN_MIN_MACS, 64 * 64 * 64);
  const a = new Tensor(DataType.DT_FLOAT, [63, 64], seeded(41, [63, 64]));
  const b = new Tensor(DataType.DT_FLOAT, [64, 64], seeded(42, [64, 64]));
  let before = calls();
  const below = matMul(a, b);
  assert.equal(calls(), before, "below the threshold stays on JS");
  // Independent float64 reference, rounded once: the JS path is exact to the last bit.
  const av = a.data as Float32Array;
  const bv = b.data as Float32Array;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      let s = 0;
      for (let p = 0; p < 64; p++) s += av[i * 64 + p]! * bv[p * 64 + j]!;
      assert.equal((below.data as Float32Array)[i * 64 + j], Math.fround(s));
    }
  }
  const a64 = new Tensor(DataType.DT_FLOAT, [64, 64], seeded(41, [64, 64]));
  before = calls();
  const at = matMul(a64, b);
  assert.equal(calls(), before + 1, "at the threshold runs on XNNPACK");
  for (let j = 0; j < 64; j++) {
    let s = 0;
    for (let p = 0; p < 64; p++) s += (a64.data as Float32Array)[5 * 64 + p]! * bv[p * 64 + j]!;
    assert.ok(Math.abs((at.data as Float32Array)[5 * 64 + j]! - s) <= 1e-5 * Math.max(1, Math.abs(s)));
  }
});

test("other dtypes, grouped convolutions and half stay on JS after XNNPACK loaded", async () => {
  assert.ok(xnnKernels() !== undefined);
  const before = calls();
  const n = 96;
  const vals = Array.from(seeded(51, [n, n]));
  for (const dt of [DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16]) {
    const t = tensorOf(dt, [n, n], vals);
    const out = await run1("MatMul", { attrs: { T: attr.type(dt) }, inputs: [t, t] });
    const want = matMul(
      tensorOf(DataType.DT_DOUBLE, [n, n], valuesOf(t)),
      tensorOf(DataType.DT_DOUBLE, [n, n], valuesOf(t)),
    );
    const tol = dt === DataType.DT_DOUBLE ? 1e-12 : 2e-2;
    const got = valuesOf(out);
    const w = valuesOf(want);
    for (let i = 0; i < got.length; i += 97)
      assert.ok(Math.abs(got[i]! - w[i]!) <= tol * Math.max(1, Math.abs(w[i]!)));
  }
  const ints = Int32Array.from({ length: n * n }, (_, i) => (i % 7) - 3);
  const ti = new Tensor(DataType.DT_INT32, [n, n], ints);
  const prod = await run1("MatMul", { attrs: { T: attr.type(DataType.DT_INT32) }, inputs: [ti, ti] });
  let s = 0;
  for (let p = 0; p < n; p++) s += ints[3 * n + p]! * ints[p * n + 4]!;
  assert.equal((prod.data as Int32Array)[3 * n + 4], s);
  // Grouped: in_depth 32 = 2 groups of the filter's 16.
  const x = new Tensor(DataType.DT_FLOAT, [1, 24, 24, 32], seeded(52, [1, 24, 24, 32]));
  const f = new Tensor(DataType.DT_FLOAT, [3, 3, 16, 32], seeded(53, [3, 3, 16, 32]));
  const grouped = conv2D(x, f, {
    strides: [1, 1, 1, 1],
    dilations: [1, 1, 1, 1],
    padding: "VALID",
    explicitPaddings: [],
    dataFormat: "NHWC",
  });
  assert.deepEqual(grouped.shape, [1, 22, 22, 32]);
  // Output 0 of group 0 at pixel (0, 0): Σ x[fh, fw, c] · f[fh, fw, c, 0] over the first 16 channels.
  let g0 = 0;
  for (let fh = 0; fh < 3; fh++)
    for (let fw = 0; fw < 3; fw++)
      for (let c = 0; c < 16; c++)
        g0 +=
          (x.data as Float32Array)[(fh * 24 + fw) * 32 + c]! *
          (f.data as Float32Array)[((fh * 3 + fw) * 16 + c) * 32]!;
  assert.equal((grouped.data as Float32Array)[0], Math.fround(g0));
  assert.equal(calls(), before, "none of these ran on XNNPACK");
});

test("200 steps leave no heap blocks behind and the heap stops growing", async () => {
  const k = xnnKernels()!;
  const a = new Tensor(DataType.DT_FLOAT, [256, 256], seeded(61, [256, 256]));
  const x = new Tensor(DataType.DT_FLOAT, [1, 32, 32, 16], seeded(62, [1, 32, 32, 16]));
  const f = new Tensor(DataType.DT_FLOAT, [3, 3, 16, 16], seeded(63, [3, 3, 16, 16]));
  const conv = {
    T: attr.type(DataType.DT_FLOAT),
    strides: attr.intList([1, 1, 1, 1]),
    padding: attr.string("SAME"),
  };
  let heapAfterWarmup = 0;
  for (let i = 0; i < 200; i++) {
    await run1("MatMul", {
      attrs: { T: attr.type(DataType.DT_FLOAT), transpose_b: attr.bool(i % 2 === 0) },
      inputs: [a, a],
    });
    await run1("Conv2D", { attrs: conv, inputs: [x, f] });
    if (i === 9) heapAfterWarmup = k.stats().heapBytes;
  }
  assert.equal(k.stats().liveBlocks, 0);
  assert.equal(k.stats().heapBytes, heapAfterWarmup);
});
