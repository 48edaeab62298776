// What keeping resources for a replacement worker thread costs a training step (docs/architecture.md,
// "Resources that outlive a worker thread"): the same step on two in-process workers, measured
// alternately in the same run, one without a resource directory and one with it, counting the
// ceiling and publishing each step's changed variables through a structured clone (what postMessage
// does to reach the master's thread; large tensors are in shared memory and are not copied).
//
//   node --import tsx bench/durable-resources.ts [--steps 200] [--rounds 5] [--vars 8] [--size 256]
//
// The step: `vars` variables of size×size floats, each updated by ResourceApplyGradientDescent with
// the gradient MatMul(x, x) of a size×size input (so the step does real work, like a dense layer's
// update). Results go to stdout and bench/results/durable-resources-<date>.json.

import { parseArgs } from "node:util";
import { createDevices } from "../server/engine/device/device-set.js";
import { createMemoryCeilingShare } from "../server/engine/framework/memory-ceiling.js";
import { registerAllKernels } from "../server/engine/kernels/register-all.js";
import {
  applyDurableChanges,
  type DurableChange,
  type DurableRecord,
} from "../server/engine/kernels/util/durable-resources.js";
import { createLocalWorker, type LocalWorker } from "../server/engine/worker/local-worker.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node } from "../test/support/graphs.js";
import { fmt, machineInfo, median, positive, writeResults } from "./support.js";

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "200" },
    rounds: { type: "string", default: "5" },
    vars: { type: "string", default: "8" },
    size: { type: "string", default: "256" },
  },
});
const steps = positive("steps", values.steps, true);
const rounds = positive("rounds", values.rounds, true);
const vars = positive("vars", values.vars, true);
const size = positive("size", values.size, true);

registerAllKernels();
const F = DataType.DT_FLOAT;
const [device] = createDevices("localhost", 0, 0, 1);
const dev = device!.name;

function trainingGraph() {
  const nodes = [
    { ...constNode("x", F, [size, size], new Array(size * size).fill(1e-3)), device: dev },
    { ...constNode("lr", F, [], [1e-3]), device: dev },
    node("grad", "MatMul", { inputs: ["x", "x"], attrs: { T: attr.type(F) }, device: dev }),
  ];
  for (let i = 0; i < vars; i++) {
    nodes.push(
      node(`v${i}`, "VarHandleOp", {
        attrs: { dtype: attr.type(F), shape: attr.shape([size, size]), shared_name: attr.string(`v${i}`) },
        device: dev,
      }),
      node(`init${i}`, "AssignVariableOp", {
        inputs: [`v${i}`, "x"],
        attrs: { dtype: attr.type(F) },
        device: dev,
      }),
      node(`apply${i}`, "ResourceApplyGradientDescent", {
        inputs: [`v${i}`, "lr", "grad"],
        attrs: { T: attr.type(F) },
        device: dev,
      }),
    );
  }
  const apply = graph(...nodes.filter((n) => !n.name.startsWith("init")));
  const init = graph(...nodes.filter((n) => !n.name.startsWith("apply") && n.name !== "grad"));
  return { apply, init };
}

let published = 0;
function makeWorker(durable: boolean): LocalWorker {
  const kept = new Map<string, DurableRecord>();
  return createLocalWorker({
    task: "/job:localhost/replica:0/task:0",
    devices: [device!],
    log: () => {},
    ...(durable
      ? {
          memoryCeiling: { share: createMemoryCeilingShare(2 ** 40, 1), slot: 0 },
          publishResources: (changes: DurableChange[]) => {
            applyDurableChanges(kept, structuredClone(changes));
            published += changes.length;
          },
        }
      : {}),
  });
}

let stepId = 1n;
async function run(w: LocalWorker, handle: string): Promise<void> {
  const id = stepId++;
  await w.runGraph({
    graphHandle: handle,
    stepId: id,
    send: new Map(),
    recvKeys: [],
    signal: new AbortController().signal,
  });
  w.cleanupGraph(id);
}

async function setUp(durable: boolean) {
  const w = makeWorker(durable);
  await w.createWorkerSession("s", false, "bench");
  const { apply, init } = trainingGraph();
  await run(w, await w.registerGraph({ sessionHandle: "s", graphDef: init }));
  return { w, handle: await w.registerGraph({ sessionHandle: "s", graphDef: apply }) };
}

/** Mean ms per step over `steps` steps. */
async function measure(w: LocalWorker, handle: string): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < steps; i++) await run(w, handle);
  return (performance.now() - start) / steps;
}

const plain = await setUp(false);
const durable = await setUp(true);
await measure(plain.w, plain.handle);
await measure(durable.w, durable.handle);
const plainMs: number[] = [];
const durableMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  plainMs.push(await measure(plain.w, plain.handle));
  durableMs.push(await measure(durable.w, durable.handle));
}
const p = median(plainMs);
const d = median(durableMs);
const bytes = vars * size * size * 4;
console.log(
  `${vars} variables of ${size}×${size} floats (${(bytes / 2 ** 20).toFixed(1)} MiB), ${steps} steps × ${rounds} rounds`,
);
console.log(`| worker | ms/step (median of rounds) |\n|---|---|`);
console.log(`| no resource directory | ${fmt(p, 3)} |`);
console.log(`| resource directory (ceiling + published records) | ${fmt(d, 3)} |`);
console.log(`ratio ${fmt(d / p, 3)}; ${fmt((d - p) * 1000, 1)} µs per step; records published ${published}`);
const file = writeResults("durable-resources", {
  machine: machineInfo(),
  vars,
  size,
  steps,
  rounds,
  plainMs,
  durableMs,
  ratio: d / p,
});
console.log(`written ${file}`);
