// A worker thread for bench/gflops.ts's machine ceiling: tfgate's MatMul kernel function on the
// XNNPACK path (loaded into this thread, as an engine worker thread loads it), with nothing around
// it. Posts "ready" once loaded; each message { reps } runs reps 1024² float32 MatMuls and answers
// with the milliseconds they took.

import { parentPort } from "node:worker_threads";
import { Tensor } from "../server/engine/framework/tensor.js";
import { DataType } from "../server/engine/framework/types.js";
import { matMul } from "../server/engine/kernels/MatMul.js";
import { loadXnn } from "../server/engine/kernels/util/xnn.js";

const n = 1024;
const a = new Tensor(DataType.DT_FLOAT, [n, n], new Float32Array(n * n).fill(1 / n));

void loadXnn().then((k) => {
  if (k === undefined) throw new Error("XNNPACK failed to load in the ceiling worker");
  parentPort!.on("message", ({ reps }: { reps: number }) => {
    const t0 = performance.now();
    let m = a;
    for (let r = 0; r < reps; r++) m = matMul(m, a);
    const ms = performance.now() - t0;
    // Every element stays 1/n.
    const v = (m.data as Float32Array)[0]!;
    if (Math.abs(v * n - 1) > 1e-3) throw new Error(`ceiling MatMul: expected 1/${n}, got ${v}`);
    parentPort!.postMessage(ms);
  });
  parentPort!.postMessage("ready");
});
