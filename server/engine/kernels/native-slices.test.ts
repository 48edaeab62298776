// Native (onnxruntime) BatchMatMul and Conv2D in slices (util/ort-slices.ts) give the bits of one
// onnxruntime call for the whole product or convolution: groups of batch matrices (broadcast batch
// dimensions, adjoints), a single large matrix in row slices, and groups of whole images. The
// shapes are chosen so each case really is cut into several calls.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { conv2DGeometry } from "./Conv2D.js";
import { assertSameBits, seededFloats } from "./testing/bits.js";
import type { ConvAttrs } from "./util/conv-util.js";
import {
  configureNativeKernels,
  type OrtRuntime,
  ortBatchMatMul,
  ortConv2D,
  ortRuntime,
} from "./util/ort.js";
import { ortBatchMatMulSlices, ortConv2DSlices } from "./util/ort-slices.js";
import type { Slices } from "./util/slices.js";

const F = DataType.DT_FLOAT;

/** Runs slices that may wait for promises to the end. */
async function runWaiting<T>(g: Slices<T>): Promise<T> {
  while (true) {
    const r = g.next();
    if (r.done) return r.value;
    if (r.value !== undefined) await r.value;
  }
}

async function withOrt(body: (rt: OrtRuntime) => Promise<void>): Promise<void> {
  configureNativeKernels({ native: true });
  try {
    const rt = ortRuntime();
    assert.ok(rt, "onnxruntime-node must load");
    await body(rt);
  } finally {
    configureNativeKernels({ native: false });
  }
}

const tensor = (shape: number[], seed: number) =>
  new Tensor(
    F,
    shape,
    seededFloats(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  );

test("native BatchMatMul in groups of matrices has the bits of one onnxruntime call (broadcast batch, adjoints)", () =>
  withOrt(async (rt) => {
    // 600·512·700 ≈ 2^27.7 multiply-adds a matrix (pieces are 2^29): two matrices a call, six
    // matrices in three calls.
    const [m, k, n] = [600, 512, 700];
    for (const [adjX, adjY] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const x = tensor(adjX ? [2, 1, k, m] : [2, 1, m, k], 40);
      const y = tensor(adjY ? [3, n, k] : [3, k, n], 41);
      const shape = [2, 3, m, n];
      const before = rt.runs;
      const sliced = await runWaiting(ortBatchMatMulSlices(rt, x, y, adjX, adjY, shape));
      assert.equal(rt.runs - before, 3, "three native calls");
      const whole = await ortBatchMatMul(rt, x, y, adjX, adjY, shape);
      assert.deepEqual(sliced.shape, shape);
      assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, `adj ${adjX} ${adjY}`);
    }
  }));

test("a single large native BatchMatMul matrix runs in row slices with the bits of one call", () =>
  withOrt(async (rt) => {
    // 600·1024·1024 > 2^29: tiles of up to 512 rows against all of B (ortMatMulSlices), two calls.
    const [m, k, n] = [600, 1024, 1024];
    for (const adjX of [false, true]) {
      const x = tensor(adjX ? [1, k, m] : [1, m, k], 42);
      const y = tensor([k, n], 43);
      const before = rt.runs;
      const sliced = await runWaiting(ortBatchMatMulSlices(rt, x, y, adjX, false, [1, m, n]));
      assert.equal(rt.runs - before, 2, "two native calls");
      const whole = await ortBatchMatMul(rt, x, y, adjX, false, [1, m, n]);
      assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, `adj_x ${adjX}`);
    }
  }));

test("native Conv2D in groups of whole images has the bits of one onnxruntime call", () =>
  withOrt(async (rt) => {
    // 64·64·128·3·3·32 ≈ 2^27.2 multiply-adds an image (pieces are 2^29): three images a call,
    // five images in two.
    const attrs: ConvAttrs = {
      strides: [1, 1, 1, 1],
      padding: "SAME",
      explicitPaddings: [],
      dataFormat: "NHWC",
      dilations: [1, 1, 1, 1],
    };
    const input = tensor([5, 64, 64, 32], 44);
    const filter = tensor([3, 3, 32, 128], 45);
    const g = conv2DGeometry(input, filter, attrs);
    const before = rt.runs;
    const sliced = await runWaiting(ortConv2DSlices(rt, input, filter, g));
    assert.equal(rt.runs - before, 2, "two native calls");
    const whole = await ortConv2D(rt, input, filter, g);
    assert.deepEqual(sliced.shape, [5, 64, 64, 128]);
    assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, "Conv2D");
  }));
