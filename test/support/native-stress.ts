// Child process of test/native-kernel-lifecycle.test.ts: masters with native kernels on
// (onnxruntime-node in the device threads, kernels/util/ort.ts), stopped in every way a device
// thread can be stopped while a native MatMul is in flight: the master closed mid-step, a step
// past its deadline, a thread crashed (replaced) mid-kernel, and finally the process exiting with a
// step running. Terminating a thread inside a native call aborts the process, so the parent only
// needs this process's exit status and stderr.
//
//   node --import tsx test/support/native-stress.ts <rounds>

import { create } from "@bufbuild/protobuf";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import { createMaster, type Master } from "../../server/engine/master/master.js";
import type { ThreadWorker } from "../../server/engine/worker/thread-worker.js";
import { attr } from "./attr.js";
import { constNode, DataType, graph, node } from "./graphs.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;
const N = 1536;

const g = graph(
  constNode("dims", I32, [2], [N, N]),
  constNode("half", F, [], [0.5]),
  node("a", "Fill", { inputs: ["dims", "half"], attrs: { T: attr.type(F) } }),
  node("mm", "MatMul", { inputs: ["a", "a"], attrs: { T: attr.type(F) } }),
  constNode("axes", I32, [2], [0, 1]),
  node("sum", "Sum", { inputs: ["mm", "axes"], attrs: { T: attr.type(F) } }),
);

const logs: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(m: Master) {
  const h = (await m.createSession(create(CreateSessionRequestSchema, { graphDef: g }))).sessionHandle;
  return (timeoutInMs = 0n) =>
    m.runStep(create(RunStepRequestSchema, { sessionHandle: h, fetch: ["sum:0"], options: { timeoutInMs } }));
}

async function round(i: number): Promise<void> {
  const m = createMaster({ nativeKernels: true, log: (_l, message) => logs.push(message) });
  const step = await open(m);
  await step(); // native sessions are created and warm
  // Past the Fill, somewhere in the MatMul's native slices.
  const delay = 60 + ((i * 37) % 150);
  try {
    switch (i % 3) {
      case 0: {
        // Closed mid-step: the step fails (or finishes), the threads stop.
        const running = step().catch(() => undefined);
        await sleep(delay);
        await m.close();
        await running;
        return;
      }
      case 1:
        await step(BigInt(delay)).catch(() => undefined);
        break;
      default: {
        const running = step().catch(() => undefined);
        await sleep(delay);
        await (m.workers[0] as ThreadWorker).crashForTesting();
        await running;
        await step(); // the replacement thread serves the session
      }
    }
  } finally {
    await m.close();
  }
}

const rounds = Number(process.argv[2] ?? 6);
for (let i = 0; i < rounds; i++) await round(i);
if (logs.some((l) => l.includes("onnxruntime-node did not load"))) {
  process.stderr.write(`native kernels did not run:\n${logs.join("\n")}\n`);
  process.exit(3);
}
// Exit with a native MatMul in flight on a live master.
const m = createMaster({ nativeKernels: true });
const step = await open(m);
await step();
void step().catch(() => undefined);
await sleep(150);
process.stdout.write(`done ${rounds}\n`);
process.exit(0);
