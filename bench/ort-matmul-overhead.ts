// What tfgate's native MatMul costs on one thread beyond the onnxruntime call it is made of, and
// how that call compares with TF's kernel (docs/benchmarks.md, "Long kernels"): the per-thread
// goal (≥ 0.8× TF's kernel) splits into MLAS against TF's oneDNN/Eigen contraction, which tfgate
// cannot change, and what the tiles and the copies around them add (util/ort-matmul.ts).
//
//   taskset -c 0 node --import tsx bench/ort-matmul-overhead.ts [--rounds 15] [--sizes 1024,2048]
//
// In one process, one intra-op thread, contenders interleaved call by call, on n×n float32
// operands:
//   one call   a single ORT Gemm over the whole product, operands and result in ordinary memory
//              (what MLAS alone costs)
//   tfgate     ortMatMulSlices as the MatMul kernel calls it: operands in shared memory (as large
//              tensors are), tiles of ORT_PIECE_MACS, result placed in a tensor
//   TF         tf.linalg.matmul in TF 2.21 eager with one intra-op thread, result copied out
//              (bench/tf-peer/matmul_rounds_peer.py, a child process on the same core)
// CPU time (each process's own) is reported beside wall time: on a shared machine it says what the
// work costs whatever share of the core the others left.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Tensor } from "../server/engine/framework/tensor.js";
import { DataType } from "../server/engine/framework/types.js";
import {
  configureNativeKernels,
  gemmGraph,
  type OrtRuntime,
  ortRuntime,
} from "../server/engine/kernels/util/ort.js";
import { ortMatMulSlices } from "../server/engine/kernels/util/ort-matmul.js";
import type { Slices } from "../server/engine/kernels/util/slices.js";
import { fmt, median, positive, repoRoot, stopChild } from "./support.js";

async function finish<T>(g: Slices<T>): Promise<T> {
  while (true) {
    const r = g.next();
    if (r.done) return r.value;
    if (r.value !== undefined) await r.value;
  }
}

interface Sample {
  wall: number;
  cpu: number;
}

async function sample(fn: () => Promise<unknown>): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function operands(rt: OrtRuntime, n: number) {
  const plain = new Float32Array(n * n).map((_, i) => ((i * 7919) % 13) * 0.1 - 0.6);
  const shared = new Float32Array(new SharedArrayBuffer(n * n * 4));
  shared.set(plain);
  const ortA = rt.tensor(plain, [n, n]);
  const a = new Tensor(DataType.DT_FLOAT, [n, n], shared);
  return {
    oneCall: () => rt.runTensors("Gemm/00", gemmGraph(0, 0), [ortA, ortA]),
    tfgate: () => finish(ortMatMulSlices(rt, a, a, false, false, n, n, n)),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "15" },
      sizes: { type: "string", default: "1024,2048" },
    },
  });
  const rounds = positive("rounds", values.rounds, true);
  const sizes = values.sizes.split(",").map((s) => positive("sizes", s, true));
  configureNativeKernels({ native: true, intraOpThreads: 1 });
  const rt = ortRuntime();
  if (rt === undefined) throw new Error("onnxruntime-node did not load");
  const python = join(repoRoot, ".venv-tf/bin/python");
  if (!existsSync(python)) throw new Error(`${python} is missing: TF is this bench's peer`);
  const tf = spawn(python, [join(repoRoot, "bench/tf-peer/matmul_rounds_peer.py"), "--threads", "1"], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "ignore"],
  });
  const lines = createInterface({ input: tf.stdout })[Symbol.asyncIterator]();
  await lines.next();
  const askTf = async (n: number): Promise<Sample> => {
    tf.stdin.write(`${n}\n`);
    const t = JSON.parse((await lines.next()).value as string) as Record<string, number>;
    return { wall: t.kernel!, cpu: t.kernelCpu! };
  };
  console.log("| size | contender | wall GFLOP/s | CPU GFLOP/s | CPU ms | TF's CPU time / its CPU time |");
  console.log("|---|---|---|---|---|---|");
  try {
    for (const n of sizes) {
      const ops = operands(rt, n);
      const runs: Record<string, () => Promise<Sample>> = {
        "one ORT call": () => sample(ops.oneCall),
        "tfgate tiles": () => sample(ops.tfgate),
        "TF 2.21 kernel": () => askTf(n),
      };
      const got = Object.fromEntries(Object.keys(runs).map((name) => [name, [] as Sample[]]));
      for (const run of Object.values(runs)) await run();
      for (let r = 0; r < rounds; r++) {
        for (const [name, run] of Object.entries(runs)) got[name]!.push(await run());
      }
      const tfCpu = got["TF 2.21 kernel"]!.map((s) => s.cpu);
      const gf = (ms: number) => (2 * n ** 3) / (ms * 1e6);
      for (const [name, xs] of Object.entries(got)) {
        const cpu = xs.map((s) => s.cpu);
        const vsTf = median(cpu.map((c, i) => tfCpu[i]! / c));
        console.log(
          `| ${n}³ | ${name} | ${fmt(gf(median(xs.map((s) => s.wall))), 1)} | ${fmt(gf(median(cpu)), 1)} | ${fmt(median(cpu), 1)} | ${fmt(vsTf, 2)} |`,
        );
      }
    }
  } finally {
    await stopChild(tf, () => tf.stdin.end());
  }
}

await main();
