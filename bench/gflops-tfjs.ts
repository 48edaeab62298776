// A tfjs peer of bench/gflops.ts in a process of its own (tfjs keeps one global engine per isolate,
// and tfgate's own kernels load tfjs-core with the wasm backend): gflops.ts runs the cpu backend
// here; wasm is kept for checking the in-process tfjs-wasm figure against a standalone process.
//
//   node --import tsx bench/gflops-tfjs.ts cpu|wasm [--min-seconds 1.5]
//
// Times tf.matMul on two 1024×1024 float32 tensors and tf.conv2d of [1,64,64,32] with [3,3,32,64]
// ('same'), each followed by dataSync() (the result copied out, as tfgate's kernels deliver it), and
// prints one JSON line: { backend, matMulMs, conv2DMs, simd, threads } with median ms per call.

import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { medianMs } from "./support.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "min-seconds": { type: "string", default: "1.5" } },
});
const backend = positionals[0];
if (backend !== "cpu" && backend !== "wasm") throw new Error("usage: gflops-tfjs.ts cpu|wasm");
const minMs = Number(values["min-seconds"]) * 1000;

async function main(): Promise<void> {
  // PROD silences tfjs's console advice ("install the node backend") and skips debug checks.
  tf.env().set("PROD", true);
  if (backend === "cpu") await import("@tensorflow/tfjs-backend-cpu");
  else await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend(backend!))) throw new Error(`tfjs backend ${backend} failed to start`);
  const random = (shape: number[]) => tf.randomUniform(shape, -0.5, 0.5, "float32", 1);
  const a = random([1024, 1024]);
  const b = random([1024, 1024]);
  const x = random([1, 64, 64, 32]) as tf.Tensor4D;
  const f = random([3, 3, 32, 64]) as tf.Tensor4D;
  const run = (make: () => tf.Tensor) => () => {
    const t = make();
    t.dataSync();
    t.dispose();
  };
  const matMulMs = await medianMs(
    run(() => tf.matMul(a, b)),
    2,
    minMs,
  );
  const conv2DMs = await medianMs(
    run(() => tf.conv2d(x, f, 1, "same")),
    2,
    minMs,
  );
  const flags = tf.env();
  const out = {
    backend,
    matMulMs,
    conv2DMs,
    simd: backend === "wasm" ? await flags.getAsync("WASM_HAS_SIMD_SUPPORT") : undefined,
    threads: backend === "wasm" ? await flags.getAsync("WASM_HAS_MULTITHREAD_SUPPORT") : undefined,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
