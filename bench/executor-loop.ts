// The executor's hot path alone: a v1 tf.while_loop (Enter/Merge/Switch/LoopCond/NextIteration/
// Exit, `while (i < n) { i += 1; acc += i }`) run in-process through the master with no worker
// threads and no RPC, so the time is the executor's per-iteration cost (frames, iterations,
// deadness, memory ledger) plus the loop's few scalar kernels.
//
//   node --import tsx bench/executor-loop.ts [--iterations 10000] [--repeats 15]
//
// Prints the best and median step time, the best time per iteration and the best CPU time of a
// step (this process's user + system time, less sensitive than wall time to other processes on a
// shared machine). Compare runs made back to back, and look at the best of many repeats.

import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createMaster } from "../server/engine/master/master.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorValues } from "../test/support/graphs.js";

const I = DataType.DT_INT32;
const t = { T: attr.type(I) };

/** TF's v1 form of `while (i < limit) { i += 1; acc += i }` in frame "w". */
function loopNodes(): NodeDef[] {
  const enter = (name: string, input: string, constant: boolean) =>
    node(`w/${name}`, "Enter", {
      inputs: [input],
      attrs: { ...t, frame_name: attr.string("w"), is_constant: attr.bool(constant) },
    });
  return [
    constNode("zero", I, [], [0]),
    constNode("one", I, [], [1]),
    node("limit", "Placeholder", { attrs: { dtype: attr.type(I) } }),
    enter("enter_i", "zero", false),
    enter("enter_acc", "zero", false),
    enter("enter_limit", "limit", true),
    enter("enter_one", "one", true),
    node("w/merge_i", "Merge", { inputs: ["w/enter_i", "w/next_i"], attrs: { ...t, N: attr.int(2) } }),
    node("w/merge_acc", "Merge", { inputs: ["w/enter_acc", "w/next_acc"], attrs: { ...t, N: attr.int(2) } }),
    node("w/less", "Less", { inputs: ["w/merge_i", "w/enter_limit"], attrs: t }),
    node("w/cond", "LoopCond", { inputs: ["w/less"] }),
    node("w/switch_i", "Switch", { inputs: ["w/merge_i", "w/cond"], attrs: t }),
    node("w/switch_acc", "Switch", { inputs: ["w/merge_acc", "w/cond"], attrs: t }),
    node("w/add_i", "Add", { inputs: ["w/switch_i:1", "w/enter_one"], attrs: t }),
    node("w/add_acc", "Add", { inputs: ["w/switch_acc:1", "w/add_i"], attrs: t }),
    node("w/next_i", "NextIteration", { inputs: ["w/add_i"], attrs: t }),
    node("w/next_acc", "NextIteration", { inputs: ["w/add_acc"], attrs: t }),
    node("w/exit_i", "Exit", { inputs: ["w/switch_i"], attrs: t }),
    node("w/exit_acc", "Exit", { inputs: ["w/switch_acc"], attrs: t }),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { iterations: { type: "string", default: "10000" }, repeats: { type: "string", default: "15" } },
  });
  const n = Number(values.iterations);
  const repeats = Number(values.repeats);
  const master = createMaster({ workerThreads: false });
  try {
    const { sessionHandle } = await master.createSession(
      create(CreateSessionRequestSchema, { graphDef: graph(...loopNodes()) }),
    );
    const request = create(RunStepRequestSchema, {
      sessionHandle,
      fetch: ["w/exit_i:0"],
      feed: [{ name: "limit:0", tensor: tensorProto(I, [], [n]) }],
    });
    const first = await master.runStep(request); // builds and caches the plan
    if (tensorValues(first.tensor[0]!.tensor)[0] !== n) throw new Error("wrong loop result");
    const times: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await master.runStep(request);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      times.push(performance.now() - t0);
    }
    const best = Math.min(...times);
    const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    const bestCpu = Math.min(...cpu);
    console.log(
      `iterations ${n}: best ${best.toFixed(1)} ms, median ${median.toFixed(1)} ms, ` +
        `${((best * 1000) / n).toFixed(2)} µs/iteration; CPU best ${bestCpu.toFixed(1)} ms ` +
        `(${((bestCpu * 1000) / n).toFixed(2)} µs/iteration) (best of ${repeats})`,
    );
  } finally {
    await master.close();
  }
}

await main();
