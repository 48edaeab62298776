// Native (onnxruntime) BatchMatMul and Conv2D in slices (util/ort-slices.ts) give the bits of one
// onnxruntime call for the whole product or convolution: groups of batch matrices (broadcast batch
// dimensions, adjoints), a single large matrix in row slices, groups of whole images, and a single
// large image in bands of output rows or groups of output channels (util/ort-conv.ts), over
// strides, dilations, paddings, odd sizes and intra-op thread counts. The shapes are chosen so each
// case really is cut into several calls (or, where no cut keeps the bits, is not).

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
import { convImageCut } from "./util/ort-conv.js";
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
    // 600·1024·1024 > 2^29, a piece on one thread: tiles of up to 512 rows against all of B
    // (ortMatMulSlices), two calls; two threads' piece (2^30) holds it whole.
    const [m, k, n] = [600, 1024, 1024];
    try {
      for (const [threads, calls] of [
        [1, 2],
        [2, 1],
      ] as const) {
        configureNativeKernels({ intraOpThreads: threads });
        for (const adjX of [false, true]) {
          const x = tensor(adjX ? [1, k, m] : [1, m, k], 42);
          const y = tensor([k, n], 43);
          const before = rt.runs;
          const sliced = await runWaiting(ortBatchMatMulSlices(rt, x, y, adjX, false, [1, m, n]));
          assert.equal(rt.runs - before, calls, `${threads} threads: ${calls} native calls`);
          const whole = await ortBatchMatMul(rt, x, y, adjX, false, [1, m, n]);
          assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, `adj_x ${adjX}`);
        }
      }
    } finally {
      configureNativeKernels({ intraOpThreads: 0 });
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

/** NHWC Conv2D attrs: strides and dilations [rows, cols], SAME/VALID or explicit [top, bottom, left, right]. */
function convAttrs(
  strides: [number, number],
  dilations: [number, number],
  padding: string | number[],
): ConvAttrs {
  const explicit = typeof padding !== "string";
  return {
    strides: [1, ...strides, 1],
    padding: explicit ? "EXPLICIT" : (padding as ConvAttrs["padding"]),
    explicitPaddings: explicit ? [0, 0, ...padding, 0, 0] : [],
    dataFormat: "NHWC",
    dilations: [1, ...dilations, 1],
  };
}

interface ConvCase {
  readonly name: string;
  readonly input: number[];
  readonly filter: number[];
  readonly attrs: ConvAttrs;
  /** How the image is cut at every thread count tried. */
  readonly by: "rows" | "channels" | "none";
  /** Multiply-adds a call: small, so that small convolutions are cut into several calls. */
  readonly piece: number;
}

/**
 * Each case's image cut (ort-conv.ts) at 1, 2 and 4 intra-op threads, against one onnxruntime call
 * for the whole image at the same thread count.
 */
async function checkImageCuts(rt: OrtRuntime, cases: readonly ConvCase[]): Promise<void> {
  try {
    for (const threads of [1, 2, 4]) {
      configureNativeKernels({ intraOpThreads: threads });
      for (const [i, c] of cases.entries()) {
        const what = `${c.name}, ${threads} threads`;
        const input = tensor(c.input, 50 + 2 * i);
        const filter = tensor(c.filter, 51 + 2 * i);
        const g = conv2DGeometry(input, filter, c.attrs);
        assert.equal(convImageCut(g, c.piece, threads).by, c.by, what);
        const before = rt.runs;
        const sliced = await runWaiting(ortConv2DSlices(rt, input, filter, g, c.piece));
        const calls = rt.runs - before;
        if (c.by === "none") assert.equal(calls, 1, `${what}: one call`);
        else assert.ok(calls > 1, `${what}: ${calls} calls`);
        const whole = await ortConv2D(rt, input, filter, g);
        assert.deepEqual(sliced.shape, whole.shape, what);
        assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, what);
      }
    }
  } finally {
    configureNativeKernels({ intraOpThreads: 0 });
  }
}

test("a single large native Conv2D image runs in bands of output rows with the bits of one call", () =>
  withOrt((rt) =>
    checkImageCuts(rt, [
      // k = 3·3·16 = 144 > 128: every call's share of pixels per thread stays above 64.
      {
        name: "3×3 SAME, k > 128",
        input: [1, 61, 47, 16],
        filter: [3, 3, 16, 24],
        attrs: convAttrs([1, 1], [1, 1], "SAME"),
        by: "rows",
        piece: 15 * 47 * 24 * 144,
      },
      {
        name: "3×5 VALID, strides 2×1, dilations 2×3",
        input: [1, 57, 43, 5],
        filter: [3, 5, 5, 7],
        attrs: convAttrs([2, 1], [2, 3], "VALID"),
        by: "rows",
        piece: 2 ** 16,
      },
      {
        name: "7×7 explicit padding, strides 2×1, k > 128",
        input: [1, 90, 33, 16],
        filter: [7, 7, 16, 10],
        attrs: convAttrs([2, 1], [1, 1], [3, 1, 2, 4]),
        by: "rows",
        piece: 2 ** 21,
      },
      // Bands wholly in the padding below and above the input.
      {
        name: "wide explicit padding",
        input: [1, 10, 120, 3],
        filter: [3, 3, 3, 4],
        attrs: convAttrs([1, 1], [1, 1], [30, 40, 1, 1]),
        by: "rows",
        piece: 2 ** 16,
      },
      {
        name: "grouped (2 groups), strides 2×2",
        input: [1, 81, 50, 8],
        filter: [3, 3, 4, 6],
        attrs: convAttrs([2, 2], [1, 1], "SAME"),
        by: "rows",
        piece: 2 ** 16,
      },
      // One filter: MLAS's one-row kernel, in runs of 128 k in every band.
      {
        name: "one filter, k > 128",
        input: [1, 64, 64, 32],
        filter: [3, 3, 32, 1],
        attrs: convAttrs([1, 1], [1, 1], "SAME"),
        by: "rows",
        piece: 2 ** 18,
      },
      {
        name: "1×1, k > 128",
        input: [1, 40, 40, 160],
        filter: [1, 1, 160, 12],
        attrs: convAttrs([1, 1], [1, 1], "VALID"),
        by: "rows",
        piece: 2 ** 20,
      },
    ]),
  ));

test("a native Conv2D image too small in pixels for bands runs in groups of output channels with the bits of one call", () =>
  withOrt((rt) =>
    checkImageCuts(rt, [
      // 81 pixels, 512 filters: MLAS shares the filters among threads; so does every group.
      {
        name: "more filters than pixels",
        input: [1, 9, 9, 256],
        filter: [3, 3, 256, 512],
        attrs: convAttrs([1, 1], [1, 1], "SAME"),
        by: "channels",
        piece: 2 ** 24,
      },
      {
        name: "5×5 SAME, strides 2×2, few pixels",
        input: [1, 14, 14, 48],
        filter: [5, 5, 48, 40],
        attrs: convAttrs([2, 2], [1, 1], "SAME"),
        by: "channels",
        piece: 2 ** 19,
      },
      {
        // 33 filters in groups of 8: the last group takes in the 33rd (a group of one filter would
        // run MLAS's one-row kernel).
        name: "3×3 explicit padding, dilations 2×2, odd channels",
        input: [1, 13, 11, 64],
        filter: [3, 3, 64, 33],
        attrs: convAttrs([1, 1], [2, 2], [2, 1, 0, 3]),
        by: "channels",
        piece: 8 * 120 * 576,
      },
    ]),
  ));

test("a native Conv2D image that no cut keeps bit for bit runs as one call", () =>
  withOrt((rt) =>
    checkImageCuts(rt, [
      // Grouped, k > 128 and few pixels: bands would shorten the runs, channels split groups.
      {
        name: "grouped, few pixels",
        input: [1, 8, 8, 64],
        filter: [3, 3, 32, 64],
        attrs: convAttrs([1, 1], [1, 1], "SAME"),
        by: "none",
        piece: 2 ** 16,
      },
      // One 1×1 filter, padded: an unpadded band would be multiplied directly, over all of k at
      // once, where the image's call sums runs of 128.
      {
        name: "one padded 1×1 filter, k > 128",
        input: [1, 40, 40, 160],
        filter: [1, 1, 160, 1],
        attrs: convAttrs([1, 1], [1, 1], [2, 2, 0, 0]),
        by: "none",
        piece: 2 ** 16,
      },
    ]),
  ));

test("at the default piece size a single large native Conv2D image runs in bands with the bits of one call", () =>
  withOrt(async (rt) => {
    // 128·128·64·3·3·64 ≈ 2^29.2 multiply-adds: two bands of output rows.
    const input = tensor([1, 128, 128, 64], 60);
    const filter = tensor([3, 3, 64, 64], 61);
    const g = conv2DGeometry(input, filter, convAttrs([1, 1], [1, 1], "SAME"));
    const before = rt.runs;
    const sliced = await runWaiting(ortConv2DSlices(rt, input, filter, g));
    assert.equal(rt.runs - before, 2, "two native calls");
    const whole = await ortConv2D(rt, input, filter, g);
    assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, "Conv2D");
  }));

test("images of a batch too few in pixels to run alone keep the batch's bits in groups of two or more", () =>
  withOrt(async (rt) => {
    // k = 7·1·40 = 280 > 128 and 210 output pixels an image: alone, an image's pixels would be
    // shared among 4 threads in runs of 64 or fewer, where MLAS gives each image of a batch one
    // thread for all of them.
    const input = tensor([5, 15, 28, 40], 62);
    const filter = tensor([7, 1, 40, 8], 63);
    const g = conv2DGeometry(input, filter, convAttrs([1, 2], [2, 1], "SAME"));
    try {
      for (const threads of [1, 2, 4]) {
        configureNativeKernels({ intraOpThreads: threads });
        const before = rt.runs;
        const sliced = await runWaiting(ortConv2DSlices(rt, input, filter, g, 2 ** 18));
        assert.ok(rt.runs - before > 1, `${threads} threads: several calls`);
        const whole = await ortConv2D(rt, input, filter, g);
        assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, `${threads} threads`);
      }
    } finally {
      configureNativeKernels({ intraOpThreads: 0 });
    }
  }));
