// Step time of a graph spanning two TensorFlow worker tasks (docs/benchmarks.md, "Remote
// workers"): the same two tf.distribute.Server tasks driven by TensorFlow's own master (a third
// tf.distribute.Server task) and by tfgate (--cluster), each measured from TF's Python client
// (bench/tf-peer/remote_workers_step.py) in the same run, alternating rounds. Every op runs on the
// TF tasks: the figure is the masters' own cost (partitioning once, then per step RunGraph on both
// tasks and RecvTensor of the fetch). Run: node --import tsx bench/remote-workers.ts
// [--size 64] [--steps 200] [--rounds 3]

import { join } from "node:path";
import { buildApp } from "../server/app.js";
import { clusterDefFromJson } from "../server/engine/master/cluster.js";
import { resolveServerOptions } from "../server/options.js";
import { freePort, runTfPython, startTfTask, type TfTask } from "../test/support/tf-cluster.js";
import { benchDir, fmt, machineInfo, median, positive, writeResults } from "./support.js";

interface StepRun {
  median_ms: number;
  p90_ms: number;
  steps: number;
  check: number;
}

function parseArgs(argv: readonly string[]) {
  const o = { size: 64, steps: 200, rounds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, "");
    if (name !== "size" && name !== "steps" && name !== "rounds")
      throw new Error(`unknown option ${argv[i]}`);
    o[name] = positive(name, argv[i + 1], true);
  }
  return o;
}

async function measure(target: string, size: number, steps: number): Promise<StepRun> {
  const script = join(benchDir, "tf-peer", "remote_workers_step.py");
  const run = await runTfPython([
    script,
    "--target",
    target,
    "--size",
    String(size),
    "--steps",
    String(steps),
  ]);
  if (run.code !== 0)
    throw new Error(`remote_workers_step.py against ${target} failed:\n${run.stderr.slice(-3000)}`);
  return JSON.parse(run.stdout) as StepRun;
}

async function main(): Promise<void> {
  const { size, steps, rounds } = parseArgs(process.argv.slice(2));
  const [p0, p1, tfMaster, gate] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const workers = { worker: [`127.0.0.1:${p0}`, `127.0.0.1:${p1}`] };
  const tfCluster = { ...workers, localhost: [`127.0.0.1:${tfMaster}`] };
  const tasks: TfTask[] = await Promise.all([
    startTfTask(tfCluster, "worker", 0),
    startTfTask(tfCluster, "worker", 1),
    startTfTask(tfCluster, "localhost", 0),
  ]);
  const cluster = clusterDefFromJson(JSON.stringify({ ...workers, localhost: [`127.0.0.1:${gate}`] }));
  const app = await buildApp(
    resolveServerOptions({
      host: "127.0.0.1",
      port: gate,
      logLevel: "silent",
      master: { cluster, cpuDevices: 1 },
    }),
  );
  await app.listen({ port: gate, host: "127.0.0.1" });
  const tf: StepRun[] = [];
  const tfgate: StepRun[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      tf.push(await measure(`grpc://127.0.0.1:${tfMaster}`, size, steps));
      tfgate.push(await measure(`grpc://127.0.0.1:${gate}`, size, steps));
      if (tf.at(-1)!.check !== tfgate.at(-1)!.check) {
        throw new Error(`the masters disagree: TF ${tf.at(-1)!.check}, tfgate ${tfgate.at(-1)!.check}`);
      }
    }
  } finally {
    await app.close();
    await Promise.all(tasks.map((t) => t.stop()));
  }
  const tfMs = median(tf.map((x) => x.median_ms));
  const gateMs = median(tfgate.map((x) => x.median_ms));
  console.log(`| master | median step ms | p90 ms |`);
  console.log(`|---|---|---|`);
  console.log(`| TensorFlow | ${fmt(tfMs, 2)} | ${fmt(median(tf.map((x) => x.p90_ms)), 2)} |`);
  console.log(`| tfgate | ${fmt(gateMs, 2)} | ${fmt(median(tfgate.map((x) => x.p90_ms)), 2)} |`);
  console.log(`tfgate / TensorFlow: ${fmt(gateMs / tfMs, 2)}`);
  const file = writeResults("remote-workers", {
    machine: machineInfo(),
    size,
    steps,
    rounds,
    tf,
    tfgate,
    ratio: gateMs / tfMs,
  });
  console.log(`wrote ${file}`);
}

await main();
