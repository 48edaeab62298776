// The onnxruntime path of the float32 MatMul, BatchMatMul(V2) and Conv2D kernels (util/ort.ts,
// util/dense-kernel.ts): against TensorFlow 2.21 (the fixtures xnn.test.ts uses, written by
// testdata/gen_xnn_fixtures.py) and against the float64-accumulating JS kernels; TF's errors for
// bad shapes; the fallback when native kernels are off; the session cache bound; loading the addon
// in two worker threads at once; a thread about to be stopped disposing its sessions.
//
// onnxruntime-node is an optional dependency, installed with the repository's lockfile: without it
// these tests skip, except under CI=true, where a missing package fails them.
//
// Tolerance: MLAS accumulates k-term dot products in float32 (in its own order, split over threads
// by blocks of the output, so each element's sum order does not depend on the thread count), as
// XNNPACK and Eigen do: elements within 1e-4·max(1, |want|), sums within 1e-5 of Σ|terms| (see
// xnn.test.ts for the derivation).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { getMaxTensorBytes, setMaxTensorBytes, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { batchMatMul } from "./BatchMatMulV2.js";
import { conv2D } from "./Conv2D.js";
import { matMul } from "./MatMul.js";
import { registerAllKernels } from "./register-all.js";
import { run1 } from "./testing/testing.js";
import type { ConvAttrs } from "./util/conv-util.js";
import {
  configureNativeKernels,
  nativeLoadFailure,
  nativeStats,
  ORT_MIN_MACS,
  ortRuntime,
} from "./util/ort.js";
import { xnnKernels } from "./util/xnn.js";

registerAllKernels();

const F = DataType.DT_FLOAT;
const available = ortRuntime() !== undefined;
const skip =
  available || process.env.CI === "true"
    ? false
    : `onnxruntime-node is not installed here (${nativeLoadFailure()})`;

interface Case {
  readonly name: string;
  readonly op: string;
  readonly inputs: { seed?: number; shape?: number[]; int32?: number[] }[];
  readonly attrs: Record<string, boolean | string | number[]>;
  readonly output: { shape: number[]; sum: number; sumAbs: number; samples: [number, number][] };
}
const fixtures = JSON.parse(
  readFileSync(new URL("./testdata/xnn-tf-fixtures.json", import.meta.url), "utf8"),
) as { cases: Case[] };

/** gen_xnn_fixtures.py's seeded() (see xnn.test.ts). */
function seeded(seed: number, shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 2654435761 + seed * 40503) % 2 ** 32) / 2 ** 32 - 0.5;
  return out;
}
const input = (seed: number, shape: number[]) => new Tensor(F, shape, seeded(seed, shape));

function attrsOf(c: Case) {
  const out: Record<string, ReturnType<typeof attr.bool>> = { T: attr.type(F) };
  for (const [name, v] of Object.entries(c.attrs)) {
    if (typeof v === "boolean") out[name] = attr.bool(v);
    else if (typeof v === "string") out[name] = attr.string(v);
    else out[name] = attr.intList(v);
  }
  return out;
}

function convAttrs(a: Case["attrs"]): ConvAttrs {
  return {
    strides: a.strides as number[],
    dilations: a.dilations as number[],
    padding: a.padding as ConvAttrs["padding"],
    explicitPaddings: a.explicit_paddings as number[],
    dataFormat: "NHWC",
  };
}

/** The float64-accumulating JS result (computed before this thread loads XNNPACK). */
function jsResult(c: Case, inputs: Tensor[]): Tensor {
  assert.equal(xnnKernels(), undefined);
  const [a, b] = inputs as [Tensor, Tensor];
  if (c.op === "MatMul") return matMul(a, b, c.attrs.transpose_a as boolean, c.attrs.transpose_b as boolean);
  if (c.op === "BatchMatMulV2") return batchMatMul(a, b, c.attrs.adj_x as boolean, c.attrs.adj_y as boolean);
  return conv2D(a, b, convAttrs(c.attrs));
}

function checkClose(name: string, got: Float32Array, want: ArrayLike<number>): void {
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    assert.ok(d <= 1e-4 * Math.max(1, Math.abs(want[i]!)), `${name}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

const nativeCases = fixtures.cases.filter((c) => ["MatMul", "BatchMatMulV2", "Conv2D"].includes(c.op));

test("large float32 MatMul, BatchMatMulV2 and Conv2D run on onnxruntime and agree with TF", {
  skip,
}, async () => {
  assert.ok(available, `onnxruntime-node must load (${nativeLoadFailure()})`);
  assert.ok(nativeCases.length >= 8);
  for (const c of nativeCases) {
    const inputs = c.inputs.map((s) => input(s.seed!, s.shape!));
    const js = jsResult(c, inputs);
    const before = nativeStats().runs;
    const got = await run1(c.op, { attrs: attrsOf(c), inputs });
    assert.equal(nativeStats().runs, before + 1, `${c.name} ran on onnxruntime`);
    assert.deepEqual(got.shape, c.output.shape, c.name);
    const v = got.data as Float32Array;
    checkClose(
      c.name,
      Float32Array.from(c.output.samples, ([i]) => v[i]!),
      c.output.samples.map(([, w]) => w),
    );
    let sum = 0;
    for (const x of v) sum += x;
    assert.ok(
      Math.abs(sum - c.output.sum) <= 1e-5 * c.output.sumAbs,
      `${c.name}: sum ${sum} vs ${c.output.sum}`,
    );
    checkClose(`${c.name} vs JS`, v, js.data as Float32Array);
  }
});

test("grouped convolutions, broadcast batches and adjoints of rank 3 run natively too", {
  skip,
}, async () => {
  const before = nativeStats().runs;
  // in_depth 32 = 2 groups of the filter's 16 (XNNPACK leaves these to JS).
  const x = input(71, [2, 40, 40, 32]);
  const f = input(72, [3, 3, 16, 64]);
  const conv = {
    strides: [1, 2, 2, 1],
    dilations: [1, 1, 1, 1],
    padding: "SAME",
    explicitPaddings: [],
    dataFormat: "NHWC",
  } as const;
  const got = await run1("Conv2D", {
    attrs: { T: attr.type(F), strides: attr.intList([1, 2, 2, 1]), padding: attr.string("SAME") },
    inputs: [x, f],
  });
  checkClose("grouped", got.data as Float32Array, conv2D(x, f, conv).data as Float32Array);
  const a = input(73, [3, 1, 96, 80]);
  const b = input(74, [4, 112, 96]);
  const bmm = await run1("BatchMatMulV2", {
    attrs: { T: attr.type(F), adj_x: attr.bool(true), adj_y: attr.bool(true) },
    inputs: [a, b],
  });
  assert.deepEqual(bmm.shape, [3, 4, 80, 112]);
  checkClose("bmm", bmm.data as Float32Array, batchMatMul(a, b, true, true).data as Float32Array);
  assert.equal(nativeStats().runs, before + 2);
});

test("bad shapes get TF's errors on the native path, before any native work", { skip }, async () => {
  const before = nativeStats().runs;
  await assert.rejects(
    run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [input(1, [256, 512]), input(2, [256, 512])] }),
    (e: { code: number; message: string }) =>
      e.code === TfCode.INVALID_ARGUMENT &&
      e.message === "Matrix size-incompatible: In[0]: [256,512], In[1]: [256,512]",
  );
  await assert.rejects(
    run1("BatchMatMulV2", {
      attrs: { T: attr.type(F) },
      inputs: [input(1, [2, 128, 128]), input(2, [3, 128, 128])],
    }),
    (e: { code: number; message: string }) =>
      e.code === TfCode.INVALID_ARGUMENT &&
      e.message === "In[0] and In[1] must have compatible batch dimensions: [2,128,128] vs. [3,128,128]",
  );
  // BatchMatMul (v1) does not broadcast, whatever path the product would take.
  await assert.rejects(
    run1("BatchMatMul", {
      attrs: { T: attr.type(F) },
      inputs: [input(1, [1, 128, 128]), input(2, [3, 128, 128])],
    }),
    (e: { code: number }) => e.code === TfCode.INVALID_ARGUMENT,
  );
  // An oversized result is refused with TF's OOM text before onnxruntime computes it.
  const old = getMaxTensorBytes();
  setMaxTensorBytes(1 << 20);
  try {
    await assert.rejects(
      run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [input(1, [1024, 8]), input(2, [8, 1024])] }),
      (e: { code: number; message: string }) =>
        e.code === TfCode.RESOURCE_EXHAUSTED &&
        e.message.includes("OOM when allocating tensor with shape[1024,1024]"),
    );
  } finally {
    setMaxTensorBytes(old);
  }
  assert.equal(nativeStats().runs, before);
});

test("empty products and small ones stay off the native path", { skip }, async () => {
  const before = nativeStats().runs;
  const empty = await run1("MatMul", {
    attrs: { T: attr.type(F) },
    inputs: [new Tensor(F, [0, 2048], new Float32Array(0)), input(1, [2048, 2048])],
  });
  assert.deepEqual(empty.shape, [0, 2048]);
  const zeroK = await run1("MatMul", {
    attrs: { T: attr.type(F) },
    inputs: [new Tensor(F, [512, 0], new Float32Array(0)), new Tensor(F, [0, 512], new Float32Array(0))],
  });
  assert.deepEqual(zeroK.shape, [512, 512]);
  assert.ok((zeroK.data as Float32Array).every((v) => v === 0));
  // 127·128·128 < ORT_MIN_MACS = 128³.
  assert.equal(ORT_MIN_MACS, 128 ** 3);
  await run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [input(1, [127, 128]), input(2, [128, 128])] });
  assert.equal(nativeStats().runs, before);
  await run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [input(1, [128, 128]), input(2, [128, 128])] });
  assert.equal(nativeStats().runs, before + 1, "at the threshold runs natively");
});

test("at most 16 sessions stay cached, and evicted ones still answer", { skip }, async () => {
  for (let k = 1; k <= 20; k++) {
    const x = input(k, [1, 48, 48, 16]);
    const f = input(k + 100, [(k % 4) + 1, Math.ceil(k / 4), 16, 64]);
    const got = await run1("Conv2D", {
      attrs: { T: attr.type(F), strides: attr.intList([1, 1, 1, 1]), padding: attr.string("VALID") },
      inputs: [x, f],
    });
    const want = conv2D(x, f, {
      strides: [1, 1, 1, 1],
      dilations: [1, 1, 1, 1],
      padding: "VALID",
      explicitPaddings: [],
      dataFormat: "NHWC",
    });
    assert.deepEqual(got.shape, want.shape);
  }
  assert.ok(nativeStats().sessions <= 16, `${nativeStats().sessions} sessions cached`);
});

test("with native kernels off, kernels made afterwards use XNNPACK and agree", { skip }, async () => {
  const a = input(81, [256, 384]);
  const b = input(82, [384, 256]);
  const native = await run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [a, b] });
  configureNativeKernels({ native: false });
  try {
    const before = nativeStats().runs;
    const calls = xnnKernels()?.stats().calls ?? 0;
    const off = await run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [a, b] });
    assert.equal(nativeStats().runs, before, "nothing ran natively");
    assert.ok((xnnKernels()?.stats().calls ?? 0) > calls, "XNNPACK ran it");
    checkClose("off vs native", off.data as Float32Array, native.data as Float32Array);
  } finally {
    configureNativeKernels({ native: true });
  }
});

test("results do not depend on the intra-op thread count", { skip }, async () => {
  const a = input(91, [300, 1500]);
  const b = input(92, [1500, 260]);
  const x = input(93, [2, 40, 40, 48]);
  const f = input(94, [3, 3, 48, 64]);
  const conv = { T: attr.type(F), strides: attr.intList([1, 1, 1, 1]), padding: attr.string("SAME") };
  const results: Float32Array[][] = [];
  try {
    for (const intraOpThreads of [1, 2, 3]) {
      configureNativeKernels({ intraOpThreads });
      const before = nativeStats().runs;
      const mm = await run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [a, b] });
      const cv = await run1("Conv2D", { attrs: conv, inputs: [x, f] });
      assert.equal(nativeStats().runs, before + 2);
      results.push([mm.data as Float32Array, cv.data as Float32Array]);
    }
  } finally {
    configureNativeKernels({ intraOpThreads: 0 });
  }
  for (const r of results.slice(1)) {
    assert.deepEqual(r[0], results[0]![0]);
    assert.deepEqual(r[1], results[0]![1]);
  }
});

test("onnxruntime-node loads and runs in two worker threads at once", { skip }, async () => {
  const code = `
    (async () => {
      const { workerData, parentPort } = await import("node:worker_threads");
      (await import(workerData.tsxApi)).register();
      const { Tensor } = await import(workerData.tensor);
      const { ortRuntime, ortMatMul } = await import(workerData.ort);
      const rt = ortRuntime();
      const n = 256;
      const a = new Tensor(1, [n, n], Float32Array.from({ length: n * n }, (_, i) => (i % 5) - 2));
      const b = new Tensor(1, [n, n], Float32Array.from({ length: n * n }, (_, i) => (i % 3) - 1));
      const c = await ortMatMul(rt, a, b, false, false, n, n);
      let want = 0;
      for (let p = 0; p < n; p++) want += a.data[7 * n + p] * b.data[p * n + 9];
      parentPort.postMessage({ got: c.data[7 * n + 9], want });
    })().catch((e) => { setImmediate(() => { throw e; }); });`;
  const workerData = {
    tsxApi: import.meta.resolve("tsx/esm/api"),
    tensor: new URL("../framework/tensor.ts", import.meta.url).href,
    ort: new URL("./util/ort.ts", import.meta.url).href,
  };
  const one = () =>
    new Promise<{ got: number; want: number }>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData });
      w.once("message", (m: { got: number; want: number }) => {
        resolve(m);
        void w.terminate();
      });
      w.once("error", reject);
    });
  const results = await Promise.all([one(), one()]);
  for (const r of results) assert.equal(r.got, r.want);
});

test("a thread about to be stopped disposes its sessions and loads onnxruntime no more", {
  skip,
}, async () => {
  const code = `
    (async () => {
      const { workerData, parentPort } = await import("node:worker_threads");
      (await import(workerData.tsxApi)).register();
      const { Tensor } = await import(workerData.tensor);
      const { nativeStats, ortMatMul, ortRuntime, shutDownNativeKernels } = await import(workerData.ort);
      const n = 256;
      const a = new Tensor(1, [n, n], new Float32Array(n * n).fill(1));
      const rt = ortRuntime();
      await ortMatMul(rt, a, a, false, false, n, n);
      const before = nativeStats();
      shutDownNativeKernels();
      const after = { runs: rt.runs, sessions: rt.cachedSessions };
      parentPort.postMessage({ before, after, loaded: ortRuntime() !== undefined });
    })().catch((e) => { setImmediate(() => { throw e; }); });`;
  const workerData = {
    tsxApi: import.meta.resolve("tsx/esm/api"),
    tensor: new URL("../framework/tensor.ts", import.meta.url).href,
    ort: new URL("./util/ort.ts", import.meta.url).href,
  };
  type Stats = { runs: number; sessions: number };
  const got = await new Promise<{ before: Stats; after: Stats; loaded: boolean }>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData });
    w.once("message", (m: { before: Stats; after: Stats; loaded: boolean }) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
  assert.deepEqual(got.before, { runs: 1, sessions: 1 });
  assert.deepEqual(got.after, { runs: 1, sessions: 0 }, "the runtime's sessions after the shutdown");
  assert.equal(got.loaded, false, "ortRuntime() after the shutdown");
});
