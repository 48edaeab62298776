// Sliced kernels (util/slices.ts, framework/op-kernel.ts KernelSlices) give the bits the unsliced
// kernels gave: XNNPACK products cut into row slices over one packed right operand against one
// XNNPACK call for the whole product (what MatMul did before slicing), convolutions cut into bands
// of output rows against one call for the whole input, and the JS loops' pieces against whole
// runs. Shapes are chosen so every case really is cut into many pieces.

import assert from "node:assert/strict";
import { test } from "node:test";
import { finishSlices, type KernelSlices } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { batchMatMulSlices } from "./BatchMatMulV2.js";
import { conv2DGeometry, conv2DSlices } from "./Conv2D.js";
import { matMulFloat, matMulFloatBlock, matMulSlices } from "./MatMul.js";
import { assertSameBits, seededFloats } from "./testing/bits.js";
import type { ConvAttrs } from "./util/conv-util.js";
import { configureNativeKernels, ortMatMul, ortRuntime } from "./util/ort.js";
import { matMulTile, ORT_PIECE_MACS, ortMatMulSlices } from "./util/ort-matmul.js";
import { drainSync, type Slices, transposePart, XNN_PIECE_MACS } from "./util/slices.js";
import { loadXnn, type XnnKernels } from "./util/xnn.js";

configureNativeKernels({ native: false });

/** Runs slices to the end, counting the pieces. */
function piecesOf<T>(g: Slices<T>): { value: T; pieces: number } {
  let pieces = 0;
  while (true) {
    const r = g.next();
    if (r.done) return { value: r.value, pieces };
    assert.equal(r.value, undefined, "these kernels never wait");
    pieces++;
  }
}

async function xnn(): Promise<XnnKernels> {
  const x = await loadXnn();
  assert.ok(x, "XNNPACK (@tensorflow/tfjs-backend-wasm) must load");
  return x;
}

/** op(a) · op(b) in one XNNPACK call, operands transposed while written (MatMul before slicing). */
function wholeGemm(
  x: XnnKernels,
  a: Tensor,
  b: Tensor,
  ta: boolean,
  tb: boolean,
  m: number,
  k: number,
  n: number,
) {
  const out = new Float32Array(m * n);
  const ad = a.data as Float32Array;
  const bd = b.data as Float32Array;
  assert.ok(
    x.gemm(
      m,
      k,
      n,
      (v) => (ta ? transposePart(ad, m, 0, k, 0, m, v, k) : v.set(ad)),
      (v) => (tb ? transposePart(bd, k, 0, n, 0, k, v, n) : v.set(bd)),
      (v) => out.set(v),
    ),
  );
  return out;
}

test("float32 MatMul in row slices on XNNPACK has the bits of one XNNPACK call, with and without transposes", async () => {
  const x = await xnn();
  // Pieces of 8 rows by 512 columns (k = 2048) or 256 columns (k = 8192), last ones ragged.
  for (const [m, k, n, ta, tb] of [
    [37, 2048, 1024, false, false],
    [37, 2048, 1024, true, false],
    [37, 2048, 1024, false, true],
    [37, 2048, 1024, true, true],
    [19, 8192, 600, false, false],
    [19, 8192, 600, true, true],
  ] as const) {
    const a = new Tensor(DataType.DT_FLOAT, ta ? [k, m] : [m, k], seededFloats(m * k, 1));
    const b = new Tensor(DataType.DT_FLOAT, tb ? [n, k] : [k, n], seededFloats(k * n, 2));
    const { value, pieces } = piecesOf(matMulSlices(a, b, ta, tb));
    assert.ok(pieces >= Math.ceil((m * k * n) / XNN_PIECE_MACS), `cut into ${pieces} pieces`);
    assert.deepEqual(value.shape, [m, n]);
    assertSameBits(
      value.data as Float32Array,
      wholeGemm(x, a, b, ta, tb, m, k, n),
      `${m}×${k}×${n} transpose ${ta} ${tb}`,
    );
  }
  assert.equal(x.stats().liveBlocks, 0, "every heap block is released");
});

test("an abandoned XNNPACK MatMul releases its heap blocks (the executor closes the slices)", async () => {
  const x = await xnn();
  const a = new Tensor(DataType.DT_FLOAT, [64, 2048], seededFloats(64 * 2048, 3));
  const b = new Tensor(DataType.DT_FLOAT, [2048, 2048], seededFloats(2048 * 2048, 4));
  const g = matMulSlices(a, b);
  for (let i = 0; i < 5; i++) assert.equal(g.next().done, false);
  assert.ok(x.stats().liveBlocks > 0, "the packed operand is held between slices");
  g.return(undefined as never);
  assert.equal(x.stats().liveBlocks, 0);
});

test("BatchMatMulV2 slices by batch and rows, with the bits of one XNNPACK call per matrix", async () => {
  const x = await xnn();
  const [nb, m, k, n] = [3, 9, 1024, 4096];
  const xs = new Tensor(DataType.DT_FLOAT, [nb, m, k], seededFloats(nb * m * k, 5));
  const ys = new Tensor(DataType.DT_FLOAT, [1, k, n], seededFloats(k * n, 6));
  const { value, pieces } = piecesOf(batchMatMulSlices(xs, ys));
  assert.ok(pieces >= (nb * m) / 2, `cut into ${pieces} pieces`);
  const yd = new Tensor(DataType.DT_FLOAT, [k, n], ys.data);
  for (let i = 0; i < nb; i++) {
    const xi = new Tensor(
      DataType.DT_FLOAT,
      [m, k],
      (xs.data as Float32Array).subarray(i * m * k, (i + 1) * m * k),
    );
    const got = (value.data as Float32Array).subarray(i * m * n, (i + 1) * m * n);
    assertSameBits(got, wholeGemm(x, xi, yd, false, false, m, k, n), `batch ${i}`);
  }
});

const convCases: { name: string; input: number[]; filter: number[]; attrs: ConvAttrs }[] = [
  {
    name: "SAME, stride 1",
    input: [2, 40, 24, 32],
    filter: [3, 3, 32, 64],
    attrs: {
      strides: [1, 1, 1, 1],
      dilations: [1, 1, 1, 1],
      padding: "SAME",
      explicitPaddings: [],
      dataFormat: "NHWC",
    },
  },
  {
    name: "VALID, stride 2, 5×5",
    input: [1, 121, 33, 16],
    filter: [5, 5, 16, 96],
    attrs: {
      strides: [1, 2, 2, 1],
      dilations: [1, 1, 1, 1],
      padding: "VALID",
      explicitPaddings: [],
      dataFormat: "NHWC",
    },
  },
  {
    name: "EXPLICIT padding, dilation 2",
    input: [1, 48, 20, 24],
    filter: [3, 3, 24, 128],
    attrs: {
      strides: [1, 1, 1, 1],
      dilations: [1, 2, 2, 1],
      padding: "EXPLICIT",
      explicitPaddings: [0, 0, 3, 1, 2, 2, 0, 0],
      dataFormat: "NHWC",
    },
  },
];

for (const c of convCases) {
  test(`Conv2D in bands of output rows on XNNPACK has the bits of one call (${c.name})`, async () => {
    const x = await xnn();
    const input = new Tensor(
      DataType.DT_FLOAT,
      c.input,
      seededFloats(
        c.input.reduce((p, q) => p * q),
        7,
      ),
    );
    const filter = new Tensor(
      DataType.DT_FLOAT,
      c.filter,
      seededFloats(
        c.filter.reduce((p, q) => p * q),
        8,
      ),
    );
    const g = conv2DGeometry(input, filter, c.attrs);
    const { value, pieces } = piecesOf(conv2DSlices(input, filter, c.attrs));
    assert.ok(pieces >= 4, `cut into ${pieces} bands`);
    const want = new Float32Array(value.numElements);
    assert.ok(x.conv2D(g, input.data as Float32Array, filter.data as Float32Array, (v) => want.set(v)));
    assertSameBits(value.data as Float32Array, want, c.name);
  });
}

test("the float64 GEMM's blocks give exactly the whole product's values", () => {
  const [m, k, n] = [23, 17, 13];
  const a = Float64Array.from(seededFloats(m * k, 9));
  const bt = Float64Array.from(seededFloats(n * k, 10));
  const whole = new Float64Array(m * n);
  matMulFloat(a, bt, whole, m, k, n);
  const pieces = new Float64Array(m * n);
  for (let i0 = 0; i0 < m; i0 += 8) {
    for (let j0 = 0; j0 < n; j0 += 4)
      matMulFloatBlock(a, bt, pieces, i0, Math.min(m, i0 + 8), j0, Math.min(n, j0 + 4), k, n);
  }
  assert.deepEqual(pieces, whole);
});

test("float64 MatMul in pieces of rows and columns agrees exactly with the float64 sums", () => {
  // One row of 2^21 multiply-adds: pieces of 4 rows and a few columns.
  const [m, k, n] = [6, 2048, 1024];
  const a = new Tensor(DataType.DT_DOUBLE, [k, m], Float64Array.from(seededFloats(m * k, 11)));
  const b = new Tensor(DataType.DT_DOUBLE, [k, n], Float64Array.from(seededFloats(k * n, 12)));
  const { value, pieces } = piecesOf(matMulSlices(a, b, true, false));
  assert.ok(pieces > 8, `cut into ${pieces} pieces`);
  const got = value.data as Float64Array;
  for (const [i, j] of [
    [0, 0],
    [5, 1023],
    [3, 517],
  ] as const) {
    let s = 0;
    for (let p = 0; p < k; p++)
      s += (a.data as Float64Array)[p * m + i]! * (b.data as Float64Array)[p * n + j]!;
    assert.equal(got[i * n + j], s, `element ${i},${j}`);
  }
});

test("drainSync refuses slices that wait, finishSlices waits for them", async () => {
  function* waits(): Slices<number> {
    yield Promise.resolve();
    return 1;
  }
  assert.throws(() => drainSync(waits()), /cannot wait/);
  let set = false;
  const kernel: KernelSlices = (function* () {
    yield new Promise((r) => setTimeout(r, 1));
    set = true;
  })();
  await finishSlices(kernel);
  assert.ok(set);
});

test("native MatMul tiles: row blocks of all of b, or panels of b's columns, as one call's shape needs", () => {
  const piece = ORT_PIECE_MACS;
  const t = (m: number, k: number, n: number) => matMulTile(m, k, n, piece);
  assert.deepEqual(t(256, 1024, 1024), { rows: 256, cols: 1024 }, "fits in one call");
  // 512 rows of all of b fit in a piece: blocks of as many rows as fit.
  assert.deepEqual(t(1024, 1024, 1024), { rows: 512, cols: 1024 });
  assert.deepEqual(t(4096, 256, 1024), { rows: 2048, cols: 1024 });
  // They do not: 512 rows against panels of b's columns, multiples of 16.
  // (At most 512 - 80 columns: with the last panel's remainder, still taller than wide.)
  assert.deepEqual(t(2048, 2048, 2048), { rows: 512, cols: 432 });
  assert.deepEqual(t(6144, 6144, 6144), { rows: 512, cols: 160 });
  // Too few rows for tiles taller than wide: full-width blocks of at least 64 rows.
  assert.deepEqual(t(100, 8192, 8192), { rows: 64, cols: 8192 });
  // Never fewer than 80 columns, where MLAS would block k differently.
  assert.deepEqual(t(6144, 2 ** 16, 6144), { rows: 512, cols: 80 });
  for (const [m, k, n] of [
    [1024, 1024, 1024],
    [2048, 2048, 2048],
    [6144, 6144, 6144],
    [3000, 5000, 7],
  ] as const) {
    const tile = t(m, k, n);
    assert.ok(tile.rows * k * tile.cols <= piece, `${m}×${k}×${n}: a tile fits in a piece`);
    assert.ok(tile.rows >= Math.min(m, 512), `${m}×${k}×${n}: tiles of at least 512 rows`);
    assert.ok(tile.cols >= Math.min(n, 80), `${m}×${k}×${n}: tiles of at least 80 columns`);
    assert.ok(tile.cols >= n || tile.cols <= tile.rows - 80, `${m}×${k}×${n}: tiles taller than wide`);
  }
  // k alone past a piece: the smallest tiles (here the whole product), longer than a piece.
  assert.deepEqual(t(64, 2 ** 24, 64), { rows: 64, cols: 64 });
});

test("native MatMul tiles on several threads: calls across all of b take a piece per thread", () => {
  const t = (m: number, k: number, n: number, threads: number) =>
    matMulTile(m, k, n, ORT_PIECE_MACS, threads);
  // Two threads' pieces hold 1024³ whole, and 256 rows of all of a 2048² b.
  assert.deepEqual(t(1024, 1024, 1024, 2), { rows: 1024, cols: 1024 });
  assert.deepEqual(t(2048, 2048, 2048, 2), { rows: 256, cols: 2048 });
  // One thread keeps 512-row tiles against panels, and so do two where 256 rows do not fit.
  assert.deepEqual(t(2048, 2048, 2048, 1), { rows: 512, cols: 432 });
  assert.deepEqual(t(6144, 6144, 6144, 2), { rows: 512, cols: 160 });
  // Fewer than 160 columns of b per thread: blocks of 512 rows or more, as one thread with as
  // large a piece cuts them.
  assert.deepEqual(matMulTile(2048, 2048, 300, 2 ** 28, 2), matMulTile(2048, 2048, 300, 2 ** 29, 1));
  assert.deepEqual(matMulTile(2048, 2048, 600, 2 ** 29, 4), matMulTile(2048, 2048, 600, 2 ** 31, 1));
});

/** Every combination of transpose_a and transpose_b. */
const transposes = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

test("native MatMul in tiles has the bits of one onnxruntime Gemm, with and without transposes", async () => {
  // One intra-op thread: the tiles below are those of one thread's pieces.
  configureNativeKernels({ native: true, intraOpThreads: 1 });
  try {
    const rt = ortRuntime();
    assert.ok(rt, "onnxruntime-node must load");
    const [m, k, n] = [1100, 64, 232];
    // Pieces small enough for both shapes of tile on small operands: 3 blocks of 538, 538 and 24
    // rows of all of b, and 2 × 2 tiles (512 and 588 rows: the last block takes in a remainder
    // shorter than the widest panel; panels of 128 and 104 columns).
    for (const [piece, calls] of [
      [8_000_000, 3],
      [2 ** 22, 4],
    ] as const) {
      for (const [ta, tb] of transposes) {
        // Large tensors live in shared memory, which ORT is handed copies of: a in shared memory
        // with ta, b with tb.
        const aData = ta ? inShared(seededFloats(m * k, 13)) : seededFloats(m * k, 13);
        const a = new Tensor(DataType.DT_FLOAT, ta ? [k, m] : [m, k], aData);
        const bData = tb ? inShared(seededFloats(k * n, 14)) : seededFloats(k * n, 14);
        const b = new Tensor(DataType.DT_FLOAT, tb ? [n, k] : [k, n], bData);
        const before: number = rt.runs;
        const sliced = await runWaiting(ortMatMulSlices(rt, a, b, ta, tb, m, k, n, piece));
        assert.equal(rt.runs - before, calls, `${calls} native calls`);
        const whole = await ortMatMul(rt, a, b, ta, tb, m, n);
        assertSameBits(
          sliced.data as Float32Array,
          whole.data as Float32Array,
          `piece ${piece}, transpose ${ta} ${tb}`,
        );
      }
    }
    // a · a hands ORT one copy of a in row blocks (pieces of 2e8: blocks of 555 and 45 rows). With
    // k = 600, panels narrower than 80 columns would round differently: pieces of 2^24 give 600-row
    // tiles (512 and a remainder shorter than the widest panel) against panels of 80 columns (not
    // the 48 that fit) and a last one of 120 (not 80 and 40). The third run borrows the buffers
    // the first two gave back.
    const sq = new Tensor(DataType.DT_FLOAT, [600, 600], inShared(seededFloats(600 * 600, 15)));
    const whole = await ortMatMul(rt, sq, sq, false, false, 600, 600);
    for (const piece of [200_000_000, 2 ** 24, 200_000_000]) {
      const sliced = await runWaiting(ortMatMulSlices(rt, sq, sq, false, false, 600, 600, 600, piece));
      assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, `a · a, piece ${piece}`);
    }
  } finally {
    configureNativeKernels({ native: false, intraOpThreads: 0 });
  }
});

test("native MatMul in blocks of all of b on 2 and 4 threads has the bits of one Gemm on as many", async () => {
  configureNativeKernels({ native: true });
  try {
    const rt = ortRuntime();
    assert.ok(rt, "onnxruntime-node must load");
    // 294-row blocks (256 fit in the threads' pieces, 6e7 in all, 512 do not) of all of b's 680 columns: MLAS
    // splits the columns among the threads (170 or 340 each), where one call for the whole
    // product splits its 700 rows; k = 300 takes three of MLAS's k blocks.
    const [m, k, n] = [700, 300, 680];
    for (const threads of [2, 4]) {
      configureNativeKernels({ intraOpThreads: threads });
      const piece = 6e7 / threads;
      assert.deepEqual(matMulTile(m, k, n, piece, threads), { rows: 294, cols: n });
      for (const [ta, tb] of transposes) {
        const a = new Tensor(DataType.DT_FLOAT, ta ? [k, m] : [m, k], inShared(seededFloats(m * k, 16)));
        const b = new Tensor(DataType.DT_FLOAT, tb ? [n, k] : [k, n], inShared(seededFloats(k * n, 17)));
        const before: number = rt.runs;
        const sliced = await runWaiting(ortMatMulSlices(rt, a, b, ta, tb, m, k, n, piece));
        assert.equal(rt.runs - before, 3, "three native calls");
        const whole = await ortMatMul(rt, a, b, ta, tb, m, n);
        const what = `${threads} threads, transpose ${ta} ${tb}`;
        assertSameBits(sliced.data as Float32Array, whole.data as Float32Array, what);
      }
    }
  } finally {
    configureNativeKernels({ native: false, intraOpThreads: 0 });
  }
});

/** Runs slices that may wait for promises to the end. */
async function runWaiting<T>(g: Slices<T>): Promise<T> {
  while (true) {
    const r = g.next();
    if (r.done) return r.value;
    if (r.value !== undefined) await r.value;
  }
}

function inShared(data: Float32Array): Float32Array {
  const out = new Float32Array(new SharedArrayBuffer(data.byteLength));
  out.set(data);
  return out;
}
