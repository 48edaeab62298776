// A worker thread for bench/devices.ts part (b)'s machine ceiling: it runs tfgate's own MatMul
// kernel function (server/engine/kernels/MatMul.ts `matMul`, float32 in and out, the same code a
// worker thread of the engine runs) on n×n tensors filled with 1/n, `reps` times, with no tfgate
// around it (no executor, rendezvous, messages or RPC), and answers with the milliseconds it took.

import { parentPort } from "node:worker_threads";
import { Tensor } from "../server/engine/framework/tensor.js";
import { DataType } from "../server/engine/framework/types.js";
import { matMul } from "../server/engine/kernels/MatMul.js";

export interface CeilingRequest {
  readonly n: number;
  readonly reps: number;
}

parentPort!.on("message", ({ n, reps }: CeilingRequest) => {
  const a = new Tensor(DataType.DT_FLOAT, [n, n], new Float32Array(n * n).fill(1 / n));
  const t0 = performance.now();
  let m = a;
  for (let r = 0; r < reps; r++) m = matMul(m, a);
  const ms = performance.now() - t0;
  // Same invariant as the graphs: every element stays 1/n.
  const v = (m.data as Float32Array)[0]!;
  if (Math.abs(v * n - 1) > 1e-3) throw new Error(`ceiling MatMul: expected 1/${n}, got ${v}`);
  parentPort!.postMessage(ms);
});
