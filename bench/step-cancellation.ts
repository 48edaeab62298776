// What a step's cancellation costs a device thread (docs/benchmarks.md, "Caller cancellation"): the
// same small step run many times on an in-process LocalWorker, each with the cancellation a device
// thread gives it (worker/worker-thread-main.ts): an AbortController's signal or a CallCancellation,
// each round in a process of its own, the two kinds alternately.
//
//   node --import tsx bench/step-cancellation.ts [--steps 20000] [--rounds 3]
//
// One process per round, as a device thread only ever sees one kind: alternated in one process, the
// CallCancellation rounds measured 15–19 µs a step against 9–10 in a process of their own (the
// signal's readers having seen two shapes, and the other kind's garbage: the CPU time is the whole
// process's, V8's collector threads included).
//
// The step: one Const fetched through a client-terminated _Send, as a cached one-Const RunStep's
// partition is. The kernels, the executor and the rendezvous add and remove their abort listeners
// on whichever they are given. Results go to stdout only.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDevices } from "../server/engine/device/device-set.js";
import { CallCancellation, type CallerSignal } from "../server/engine/framework/call-cancellation.js";
import { createRendezvousKey } from "../server/engine/framework/rendezvous.js";
import { registerAllKernels } from "../server/engine/kernels/register-all.js";
import { createLocalWorker } from "../server/engine/worker/local-worker.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node } from "../test/support/graphs.js";
import { fmt, median, positive } from "./support.js";

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "20000" },
    rounds: { type: "string", default: "3" },
    /** Set in the process that runs one round: the kind of cancellation it measures. */
    kind: { type: "string" },
  },
});
const steps = positive("steps", values.steps, true);
const rounds = positive("rounds", values.rounds, true);

registerAllKernels();
const F = DataType.DT_FLOAT;
const [device] = createDevices("localhost", 0, 0, 1);
const dev = device!.name;
const client = "/job:localhost/replica:0/task:0/device:CPU:0";
const send = node("send", "_Send", {
  inputs: ["c"],
  attrs: {
    T: attr.type(F),
    tensor_name: attr.string("c:0"),
    send_device: attr.string(dev),
    send_device_incarnation: attr.int(1),
    recv_device: attr.string(client),
    client_terminated: attr.bool(true),
  },
  device: dev,
});
const key = createRendezvousKey(dev, 1n, client, "c:0");
const worker = createLocalWorker({
  task: "/job:localhost/replica:0/task:0",
  devices: [device!],
  log: () => {},
});
await worker.createWorkerSession("s", false, "bench");
const graphDef = graph({ ...constNode("c", F, [], [1]), device: dev }, send);
const handle = await worker.registerGraph({ sessionHandle: "s", graphDef });

type Cancellation = () => CallerSignal;
const kinds: [string, Cancellation][] = [
  ["AbortController", () => new AbortController().signal],
  ["CallCancellation", () => new CallCancellation()],
];

let stepId = 1n;
/** Mean µs of CPU per step over `steps` steps. */
async function measure(cancellation: Cancellation): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const id = stepId++;
    const res = await worker.runGraph({
      graphHandle: handle,
      stepId: id,
      send: new Map(),
      recvKeys: [key],
      signal: cancellation(),
    });
    if (res.recv.size !== 1) throw new Error("the step fetched nothing");
    worker.cleanupGraph(id);
  }
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / steps;
}

if (values.kind !== undefined) {
  const cancellation = kinds.find(([name]) => name === values.kind)![1];
  await measure(cancellation);
  console.log(await measure(cancellation));
} else {
  const us = new Map<string, number[]>(kinds.map(([name]) => [name, []]));
  const script = fileURLToPath(import.meta.url);
  for (let r = 0; r < rounds; r++) {
    for (const [name] of kinds) {
      const args = [...process.execArgv, script, "--kind", name, "--steps", String(steps)];
      const round = spawnSync(process.execPath, args, { encoding: "utf8" });
      if (round.status !== 0) throw new Error(`round of ${name} failed: ${round.stderr}`);
      us.get(name)!.push(Number(round.stdout.trim()));
    }
  }
  console.log(`${steps} steps a round, ${rounds} rounds of each kind, alternating`);
  console.log("| step cancellation | µs of CPU per step (median; rounds) |\n|---|---|");
  for (const [name, xs] of us)
    console.log(`| ${name} | ${fmt(median(xs), 2)}; ${xs.map((x) => fmt(x, 2)).join(", ")} |`);
}
