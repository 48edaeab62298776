// The per-step memory budget (--max-step-bytes; docs/semantics.md, "Limits") and the size checks kernels make
// before allocating: a step that allocates more than the budget fails RESOURCE_EXHAUSTED with
// TensorFlow's OOM text plus a clause naming the budget; the session, other sessions and the
// worker thread carry on; loop iterations give their memory back; and ops whose output size comes
// from input values (Fill, Tile, Range, Pad, RandomUniform, …) fail as TensorFlow does, at once.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import { createDevices } from "../server/engine/device/device-set.js";
import { isTfError, TfCode, tfCodeName } from "../server/engine/framework/errors.js";
import { createResourceMgr } from "../server/engine/framework/resource-mgr.js";
import { StepMemoryAccount } from "../server/engine/framework/tensor.js";
import { registerAllKernels } from "../server/engine/kernels/register-all.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { createGraphMgr } from "../server/engine/worker/graph-mgr.js";
import { createRendezvousMgr } from "../server/engine/worker/rendezvous-mgr.js";
import type { ThreadWorker } from "../server/engine/worker/thread-worker.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";
import { masterClient, protocols, startServer } from "./support/server.js";
import { closeSession, createSession, runStep } from "./support/session.js";

const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;
const S = DataType.DT_STRING;

/** TensorFlow's own answers for oversized, overflowing and negative shapes (see the script). */
interface HugeShapeCase {
  readonly graph: JsonValue;
  readonly feeds: Record<string, JsonValue>;
  readonly fetch: string;
  readonly code: keyof typeof TfCode;
  readonly message: string;
}
const hugeShapeCases = JSON.parse(
  readFileSync(new URL("tf/huge-shape-errors.json", import.meta.url), "utf8"),
) as Record<string, HugeShapeCase>;

/** TF's allocator OOM text for a shape and type, built from the text TF itself produced. */
function tfOomText(shape: string, type: string): string {
  const fill = hugeShapeCases.fill!;
  assert.equal(fill.code, "RESOURCE_EXHAUSTED");
  return fill.message.replace("[1000000,1000000]", shape).replace("type float", `type ${type}`);
}

const budget = 1024 * 1024;
/** One float tensor of this many elements is a quarter of the budget. */
const quarter = budget / 4 / 4;
const quarterBytes = quarter * 4;

const session = (m: Master, nodes: NodeDef[]) => createSession(m, graph(...nodes));

async function rejectsWith(p: Promise<unknown>, code: TfCode, ...fragments: string[]): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
    assert.equal(tfCodeName(e.code), tfCodeName(code), e.message);
    for (const f of fragments)
      assert.ok(e.message.includes(f), `${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return e.message;
  }
  assert.fail("expected the step to fail");
}

/** `count` Fill ops of `quarter` floats each, all run by the NoOp `name`. */
function fills(name: string, count: number): NodeDef[] {
  const nodes: NodeDef[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push(node(`${name}/fill${i}`, "Fill", { inputs: ["dims", "one"], attrs: { T: attr.type(F) } }));
  }
  nodes.push(node(name, "NoOp", { inputs: nodes.map((n) => `^${n.name}`) }));
  return nodes;
}

/**
 * A tf.while_loop (v1 control flow) running `n` (fed) iterations whose body allocates a Fill of `chunk`
 * floats. With `grow`, the loop value is concatenated with the chunk (it grows by `chunk` every
 * iteration); otherwise the chunk is summed into a scalar accumulator.
 */
function loop(grow: boolean, chunk: number): NodeDef[] {
  const t = { T: attr.type(F) };
  const enter = (name: string, input: string, dtype: DataType, constant: boolean) =>
    node(`w/${name}`, "Enter", {
      inputs: [input],
      attrs: { T: attr.type(dtype), frame_name: attr.string("w/frame"), is_constant: attr.bool(constant) },
    });
  return [
    node("n", "Placeholder", { attrs: { dtype: attr.type(I) } }),
    constNode("zero", I, [], [0]),
    constNode("step", I, [], [1]),
    constNode("chunk_dims", I, [1], [chunk]),
    constNode("one", F, [], [1]),
    constNode("axis", I, [], [0]),
    constNode("sum_axis", I, [1], [0]),
    grow ? constNode("acc0", F, [0], []) : constNode("acc0", F, [], [0]),
    enter("enter_i", "zero", I, false),
    enter("enter_acc", "acc0", F, false),
    enter("enter_n", "n", I, true),
    enter("enter_step", "step", I, true),
    enter("enter_dims", "chunk_dims", I, true),
    enter("enter_one", "one", F, true),
    enter("enter_axis", "axis", I, true),
    enter("enter_sum_axis", "sum_axis", I, true),
    node("w/merge_i", "Merge", {
      inputs: ["w/enter_i", "w/next_i"],
      attrs: { T: attr.type(I), N: attr.int(2) },
    }),
    node("w/merge_acc", "Merge", { inputs: ["w/enter_acc", "w/next_acc"], attrs: { ...t, N: attr.int(2) } }),
    node("w/less", "Less", { inputs: ["w/merge_i", "w/enter_n"], attrs: { T: attr.type(I) } }),
    node("w/cond", "LoopCond", { inputs: ["w/less"] }),
    node("w/switch_i", "Switch", { inputs: ["w/merge_i", "w/cond"], attrs: { T: attr.type(I) } }),
    node("w/switch_acc", "Switch", { inputs: ["w/merge_acc", "w/cond"], attrs: t }),
    node("w/body_i", "Identity", { inputs: ["w/switch_i:1"], attrs: { T: attr.type(I) } }),
    node("w/body_acc", "Identity", { inputs: ["w/switch_acc:1"], attrs: t }),
    node("w/add_i", "Add", { inputs: ["w/body_i", "w/enter_step"], attrs: { T: attr.type(I) } }),
    node("w/chunk", "Fill", { inputs: ["w/enter_dims", "w/enter_one", "^w/body_i"], attrs: t }),
    ...(grow
      ? [
          node("w/new_acc", "ConcatV2", {
            inputs: ["w/body_acc", "w/chunk", "w/enter_axis"],
            attrs: { ...t, N: attr.int(2), Tidx: attr.type(I) },
          }),
        ]
      : [
          node("w/chunk_sum", "Sum", {
            inputs: ["w/chunk", "w/enter_sum_axis"],
            attrs: { ...t, Tidx: attr.type(I), keep_dims: attr.bool(false) },
          }),
          node("w/new_acc", "Add", { inputs: ["w/body_acc", "w/chunk_sum"], attrs: t }),
        ]),
    node("w/next_i", "NextIteration", { inputs: ["w/add_i"], attrs: { T: attr.type(I) } }),
    node("w/next_acc", "NextIteration", { inputs: ["w/new_acc"], attrs: t }),
    node("w/exit_i", "Exit", { inputs: ["w/switch_i"], attrs: { T: attr.type(I) } }),
    node("w/exit_acc", "Exit", { inputs: ["w/switch_acc"], attrs: t }),
  ];
}

describe("per-step memory budget on worker threads", () => {
  let m: Master;
  let restarts = 0;
  before(() => {
    m = createMaster({ cpuDevices: 1, maxStepBytes: budget });
    const worker = m.workers[0] as ThreadWorker;
    const onRestart = worker.onRestart;
    worker.onRestart = () => {
      restarts++;
      onRestart?.();
    };
  });
  after(() => m.close());

  test("a step past the budget fails RESOURCE_EXHAUSTED with TF's OOM text; everything else carries on", async () => {
    // Another session's variable lives on the same worker thread: a restart would lose it.
    const keeper = await session(m, [
      node("v", "VariableV2", { attrs: { dtype: attr.type(F), shape: attr.shape([2]) } }),
      constNode("v0", F, [2], [1.5, -2]),
      node("init", "Assign", { inputs: ["v", "v0"], attrs: { T: attr.type(F) } }),
      node("read", "Identity", { inputs: ["v"], attrs: { T: attr.type(F) } }),
    ]);
    await runStep(m, keeper, { target: ["init"] });

    const s = await session(m, [
      constNode("dims", I, [1], [quarter]),
      constNode("one", F, [], [1]),
      ...fills("five", 5),
      ...fills("four", 4),
      constNode("a", F, [2], [1, 2]),
      node("double", "Add", { inputs: ["a", "a"], attrs: { T: attr.type(F) } }),
    ]);
    // Four quarters fill the budget exactly; the fifth is refused before it is allocated.
    const held = 4 * quarterBytes;
    const message = await rejectsWith(
      runStep(m, s, { target: ["five"] }),
      TfCode.RESOURCE_EXHAUSTED,
      `${tfOomText(`[${quarter}]`, "float")}: the step's tensors on this worker already hold ${held} bytes, ` +
        `and this tensor's ${quarterBytes} bytes would exceed the per-step memory budget of ${budget} bytes ` +
        `by ${held + quarterBytes - budget} bytes (raise it with --max-step-bytes)`,
      "[[{{node five/fill",
    );
    assert.ok(!message.includes("per-tensor limit"), message);

    // The budget is per step: the same session runs four quarters, twice, and a normal step.
    await runStep(m, s, { target: ["four"] });
    await runStep(m, s, { target: ["four"] });
    const r = await runStep(m, s, { fetch: ["double:0"] });
    assert.deepEqual(tensorValues(r.tensor[0]?.tensor), [2, 4]);

    const kept = await runStep(m, keeper, { fetch: ["read:0"] });
    assert.deepEqual(tensorValues(kept.tensor[0]?.tensor), [1.5, -2]);
    assert.equal(restarts, 0);
  });

  test("memory a loop iteration allocates is released when the iteration ends", async () => {
    // 200 iterations of a quarter-budget Fill: 50 budgets in all, never more than two quarters live.
    const s = await session(m, loop(false, quarter));
    const iterations = 200;
    const r = await runStep(m, s, {
      feed: [{ name: "n:0", tensor: tensorProto(I, [], [iterations]) }],
      fetch: ["w/exit_acc:0", "w/exit_i:0"],
    });
    const byName = new Map(r.tensor.map((t) => [t.name, tensorValues(t.tensor)[0]]));
    assert.equal(byName.get("w/exit_i:0"), iterations);
    assert.equal(byName.get("w/exit_acc:0"), iterations * quarter);
    assert.equal(restarts, 0);
  });

  test("a loop value that grows is charged for what stays live, and fails once that passes the budget", async () => {
    const chunk = quarter / 8;
    const s = await session(m, loop(true, chunk));
    const chunkBytes = chunk * 4;
    // 8 iterations allocate 8 chunks and 8 ever larger concatenations, (8 + 36) chunks in all, more
    // than the budget's 32; live at once are at most the chunks of iterations running ahead, the
    // previous loop value and the new one: 8 + 7 + 8 chunks.
    const ok = 8;
    assert.ok((ok + (ok * (ok + 1)) / 2) * chunkBytes > budget && (3 * ok - 1) * chunkBytes <= budget);
    const r = await runStep(m, s, {
      feed: [{ name: "n:0", tensor: tensorProto(I, [], [ok]) }],
      fetch: ["w/exit_acc:0"],
    });
    const values = tensorValues(r.tensor[0]?.tensor) as number[];
    assert.equal(values.length, ok * chunk);
    assert.ok(values.every((v) => v === 1));
    // 40 iterations end with a loop value of 40 chunks (1.25 budgets) on its own: some kernel of the
    // loop is refused on the way.
    await rejectsWith(
      runStep(m, s, { feed: [{ name: "n:0", tensor: tensorProto(I, [], [40]) }], fetch: ["w/exit_acc:0"] }),
      TfCode.RESOURCE_EXHAUSTED,
      "OOM when allocating tensor with shape[",
      "would exceed the per-step memory budget of 1048576 bytes",
      "[[{{node w/",
    );
    // And the session still runs the loop that fits.
    const again = await runStep(m, s, {
      feed: [{ name: "n:0", tensor: tensorProto(I, [], [ok]) }],
      fetch: ["w/exit_i:0"],
    });
    assert.deepEqual(tensorValues(again.tensor[0]?.tensor), [ok]);
    assert.equal(restarts, 0);
  });

  test("sizes from input values: TensorFlow's codes and messages, before anything is allocated", async () => {
    const names = Object.keys(hugeShapeCases);
    assert.ok(names.length >= 20);
    for (const name of names) {
      const c = hugeShapeCases[name]!;
      const sessionHandle = await createSession(m, fromJson(GraphDefSchema, c.graph));
      const started = performance.now();
      const message = await rejectsWith(
        runStep(m, sessionHandle, {
          feed: Object.entries(c.feeds).map(([feed, t]) => ({
            name: feed,
            tensor: fromJson(TensorProtoSchema, t),
          })),
          target: [c.fetch.replace(/:\d+$/, "")],
        }),
        TfCode[c.code],
      );
      // TF's kernel text starts a line of ours (after the "From <task>:" prefix), node context follows.
      const line = message.split("\n").find((l) => l.startsWith(c.message.split("\n")[0]!));
      assert.ok(line !== undefined, `${name}: ${JSON.stringify(message)} lacks ${JSON.stringify(c.message)}`);
      assert.ok(message.includes(c.message), `${name}: ${JSON.stringify(message)}`);
      assert.match(message, /\[\[\{\{node [^}]+\}\}\]\]/, name);
      // Terabytes were never touched: the refusal takes no time to speak of.
      assert.ok(performance.now() - started < 5000, `${name} took ${performance.now() - started} ms`);
      await closeSession(m, sessionHandle);
    }
    assert.equal(restarts, 0);
  });
});

describe("per-step memory budget through the server", () => {
  test("every protocol gets RESOURCE_EXHAUSTED with the budget clause", async () => {
    const server = await startServer({ master: { cpuDevices: 1, maxStepBytes: budget } });
    try {
      const g = graph(
        constNode("dims", I, [1], [quarter]),
        constNode("one", F, [], [1]),
        ...fills("five", 5),
      );
      for (const protocol of protocols) {
        const client = masterClient(protocol, server.url);
        const { sessionHandle } = await client.createSession({ graphDef: g });
        await assert.rejects(client.runStep({ sessionHandle, target: ["five"] }), (e: unknown) => {
          const error = ConnectError.from(e);
          assert.equal(error.code, Code.ResourceExhausted, protocol);
          assert.ok(error.rawMessage.includes(tfOomText(`[${quarter}]`, "float")), error.rawMessage);
          assert.ok(error.rawMessage.includes(`per-step memory budget of ${budget} bytes`), error.rawMessage);
          return true;
        });
        await client.closeSession({ sessionHandle });
      }
    } finally {
      await server.close();
    }
  });
});

describe("the step's memory account, in the executor", () => {
  test("a loop value is charged again in the iteration it moves to; all is released when the step ends", async () => {
    registerAllKernels();
    const [device] = createDevices("localhost", 0, 0, 1);
    const chunk = 1024;
    const n = 10;
    // The growing loop with n a constant, and each chunk waiting for the loop value, so no
    // iteration runs ahead of the previous one.
    const nodes = loop(true, chunk).map((d) => {
      if (d.name === "n") return constNode("n", I, [], [n]);
      if (d.name === "w/chunk")
        return { ...d, input: [...d.input.filter((i) => i !== "^w/body_i"), "^w/body_acc"] };
      return d;
    });
    const graphs = createGraphMgr(() => {});
    const handle = graphs.register(graph(...nodes), device!, "session");
    const account = new StepMemoryAccount(2 ** 30, device!.name);
    await graphs.lookup(handle).executor.run({
      stepId: 1n,
      signal: new AbortController().signal,
      rendezvous: createRendezvousMgr().find(1n),
      resources: createResourceMgr(),
      device: device!,
      log: () => {},
      memory: account,
    });
    assert.equal(account.live, 0);
    const chunkBytes = chunk * 4;
    // The last concatenation reads the previous loop value (n - 1 chunks, carried into its
    // iteration) and this iteration's chunk, and writes n chunks: all three are live.
    assert.ok(account.peak >= 2 * n * chunkBytes, `peak ${account.peak}`);
    // Earlier iterations were released: far below the n chunks and n concatenations allocated.
    assert.ok(account.peak < (2 * n + 4) * chunkBytes, `peak ${account.peak}`);
    assert.ok((n + (n * (n + 1)) / 2) * chunkBytes > 2 * (2 * n + 4) * chunkBytes);
  });
});

/**
 * A while loop of `n` (fed) iterations writing a Fill of `chunk` floats into a TensorArray at
 * each index: the array holds every chunk until the step ends.
 */
function tensorArrayLoop(chunk: number, strings = false): NodeDef[] {
  const enter = (name: string, input: string, dtype: DataType, constant: boolean) =>
    node(`w/${name}`, "Enter", {
      inputs: [input],
      attrs: { T: attr.type(dtype), frame_name: attr.string("w/frame"), is_constant: attr.bool(constant) },
    });
  const R = DataType.DT_RESOURCE;
  return [
    node("n", "Placeholder", { attrs: { dtype: attr.type(I) } }),
    constNode("zero", I, [], [0]),
    constNode("step", I, [], [1]),
    constNode("chunk_dims", I, [1], [chunk]),
    constNode("one", F, [], [1]),
    node("ta", "TensorArrayV3", {
      inputs: ["zero"],
      attrs: { dtype: attr.type(strings ? S : F), dynamic_size: attr.bool(true) },
    }),
    enter("enter_i", "zero", I, false),
    enter("enter_flow", "ta:1", F, false),
    enter("enter_ta", "ta", R, true),
    enter("enter_n", "n", I, true),
    enter("enter_step", "step", I, true),
    enter("enter_dims", "chunk_dims", I, true),
    enter("enter_one", "one", F, true),
    node("w/merge_i", "Merge", {
      inputs: ["w/enter_i", "w/next_i"],
      attrs: { T: attr.type(I), N: attr.int(2) },
    }),
    node("w/merge_flow", "Merge", {
      inputs: ["w/enter_flow", "w/next_flow"],
      attrs: { T: attr.type(F), N: attr.int(2) },
    }),
    node("w/less", "Less", { inputs: ["w/merge_i", "w/enter_n"], attrs: { T: attr.type(I) } }),
    node("w/cond", "LoopCond", { inputs: ["w/less"] }),
    node("w/switch_i", "Switch", { inputs: ["w/merge_i", "w/cond"], attrs: { T: attr.type(I) } }),
    node("w/switch_flow", "Switch", { inputs: ["w/merge_flow", "w/cond"], attrs: { T: attr.type(F) } }),
    node("w/body_i", "Identity", { inputs: ["w/switch_i:1"], attrs: { T: attr.type(I) } }),
    node("w/add_i", "Add", { inputs: ["w/body_i", "w/enter_step"], attrs: { T: attr.type(I) } }),
    node("w/chunk", "Fill", {
      inputs: ["w/enter_dims", "w/enter_one", "^w/body_i"],
      attrs: { T: attr.type(F) },
    }),
    // A new string each iteration: the fed one (uncharged, shared) joined with the index.
    ...(strings
      ? [
          node("big", "Placeholder", { attrs: { dtype: attr.type(S) } }),
          enter("enter_big", "big", S, true),
          // Made after the previous iteration's write, so iterations do not overlap.
          node("w/body_flow", "Identity", { inputs: ["w/switch_flow:1"], attrs: { T: attr.type(F) } }),
          node("w/index", "AsString", { inputs: ["w/body_i", "^w/body_flow"], attrs: { T: attr.type(I) } }),
          node("w/text", "StringJoin", { inputs: ["w/enter_big", "w/index"], attrs: { N: attr.int(2) } }),
        ]
      : []),
    node("w/write", "TensorArrayWriteV3", {
      inputs: ["w/enter_ta", "w/body_i", strings ? "w/text" : "w/chunk", "w/switch_flow:1"],
      attrs: { T: attr.type(strings ? S : F) },
    }),
    node("w/next_i", "NextIteration", { inputs: ["w/add_i"], attrs: { T: attr.type(I) } }),
    node("w/next_flow", "NextIteration", { inputs: ["w/write"], attrs: { T: attr.type(F) } }),
    node("w/exit_flow", "Exit", { inputs: ["w/switch_flow"], attrs: { T: attr.type(F) } }),
    node("size", "TensorArraySizeV3", { inputs: ["ta", "w/exit_flow"] }),
  ];
}

describe("TensorArray contents count as long as the array holds them", () => {
  test("chunks a loop writes into a TensorArray stay charged after their iteration: past the budget, the step fails", async () => {
    const m = createMaster({ cpuDevices: 1, maxStepBytes: budget });
    try {
      const s = await session(m, tensorArrayLoop(quarter));
      // Two quarters fit; eight are two budgets, although each iteration alone holds one quarter.
      const r = await runStep(m, s, {
        feed: [{ name: "n:0", tensor: tensorProto(I, [], [2]) }],
        fetch: ["size:0"],
      });
      assert.deepEqual(tensorValues(r.tensor[0]?.tensor), [2]);
      await rejectsWith(
        runStep(m, s, { feed: [{ name: "n:0", tensor: tensorProto(I, [], [8]) }], fetch: ["size:0"] }),
        TfCode.RESOURCE_EXHAUSTED,
        "would exceed the per-step memory budget of 1048576 bytes",
      );
    } finally {
      await m.close();
    }
  });

  test("strings a loop writes into a TensorArray are charged their bytes for as long as the array holds them", async () => {
    const m = createMaster({ cpuDevices: 1, maxStepBytes: budget });
    try {
      const s = await session(m, tensorArrayLoop(1, true));
      const big = create(TensorProtoSchema, {
        dtype: S,
        tensorShape: {},
        stringVal: [new Uint8Array(quarterBytes).fill(120)],
      });
      const run = (n: number) =>
        runStep(m, s, {
          feed: [
            { name: "n:0", tensor: tensorProto(I, [], [n]) },
            { name: "big:0", tensor: big },
          ],
          fetch: ["size:0"],
        });
      assert.deepEqual(tensorValues((await run(2)).tensor[0]?.tensor), [2]);
      await rejectsWith(
        run(8),
        TfCode.RESOURCE_EXHAUSTED,
        "would exceed the per-step memory budget of 1048576 bytes",
      );
    } finally {
      await m.close();
    }
  });
});
