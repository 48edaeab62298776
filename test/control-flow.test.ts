// v1 control flow in the executor (tf.while_loop / tf.cond lowered to Enter, Merge, Switch,
// LoopCond, NextIteration, Exit): loop results, nested loops, loop invariants, a loop inside an
// untaken cond branch (dead frames), and a 100,000-iteration loop in bounded memory.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";
import { createSession, runStep, withMaster } from "./support/session.js";

const I = DataType.DT_INT32;
const t = (dt: DataType) => ({ T: attr.type(dt) });

/**
 * A tf.while_loop in TF's v1 form: `while (i < limit) { i += step; acc += i }`, starting from the
 * tensors `i0` and `acc0`, in frame `frame`. Outputs `<p>/exit_i` and `<p>/exit_acc`.
 */
function whileLoop(
  p: string,
  frame: string,
  i0: string,
  acc0: string,
  limit: string,
  step: string,
): NodeDef[] {
  const enter = (name: string, input: string, constant: boolean) =>
    node(`${p}/${name}`, "Enter", {
      inputs: [input],
      attrs: { ...t(I), frame_name: attr.string(frame), is_constant: attr.bool(constant) },
    });
  return [
    enter("enter_i", i0, false),
    enter("enter_acc", acc0, false),
    enter("enter_limit", limit, true),
    enter("enter_step", step, true),
    node(`${p}/merge_i`, "Merge", {
      inputs: [`${p}/enter_i`, `${p}/next_i`],
      attrs: { ...t(I), N: attr.int(2) },
    }),
    node(`${p}/merge_acc`, "Merge", {
      inputs: [`${p}/enter_acc`, `${p}/next_acc`],
      attrs: { ...t(I), N: attr.int(2) },
    }),
    node(`${p}/less`, "Less", { inputs: [`${p}/merge_i`, `${p}/enter_limit`], attrs: t(I) }),
    node(`${p}/cond`, "LoopCond", { inputs: [`${p}/less`] }),
    node(`${p}/switch_i`, "Switch", { inputs: [`${p}/merge_i`, `${p}/cond`], attrs: t(I) }),
    node(`${p}/switch_acc`, "Switch", { inputs: [`${p}/merge_acc`, `${p}/cond`], attrs: t(I) }),
    node(`${p}/body_i`, "Identity", { inputs: [`${p}/switch_i:1`], attrs: t(I) }),
    node(`${p}/body_acc`, "Identity", { inputs: [`${p}/switch_acc:1`], attrs: t(I) }),
    node(`${p}/add_i`, "Add", { inputs: [`${p}/body_i`, `${p}/enter_step`], attrs: t(I) }),
    node(`${p}/add_acc`, "Add", { inputs: [`${p}/body_acc`, `${p}/add_i`], attrs: t(I) }),
    node(`${p}/next_i`, "NextIteration", { inputs: [`${p}/add_i`], attrs: t(I) }),
    node(`${p}/next_acc`, "NextIteration", { inputs: [`${p}/add_acc`], attrs: t(I) }),
    node(`${p}/exit_i`, "Exit", { inputs: [`${p}/switch_i`], attrs: t(I) }),
    node(`${p}/exit_acc`, "Exit", { inputs: [`${p}/switch_acc`], attrs: t(I) }),
  ];
}

/** Σ_{k=1..n} k·step for i stepping from 0 below limit. */
function expected(limit: number, step: number): [number, number] {
  let i = 0;
  let acc = 0;
  while (i < limit) {
    i += step;
    acc += i;
  }
  return [i, acc];
}

async function runGraph(nodes: NodeDef[], fetch: string[], feeds: Record<string, number> = {}) {
  return withMaster(
    async (m) => {
      const sessionHandle = await createSession(m, graph(...nodes));
      const res = await runStep(m, sessionHandle, {
        fetch,
        feed: Object.entries(feeds).map(([name, v]) => ({ name, tensor: tensorProto(I, [], [v]) })),
      });
      return new Map(res.tensor.map((x) => [x.name, tensorValues(x.tensor)[0]]));
    },
    { workerThreads: false },
  );
}

describe("while loops", () => {
  test("a counting loop returns TF's values for several limits", async () => {
    for (const limit of [0, 1, 7, 50]) {
      const out = await runGraph(
        [
          constNode("zero", I, [], [0]),
          node("limit", "Placeholder", { attrs: { dtype: attr.type(I) } }),
          constNode("step", I, [], [3]),
          ...whileLoop("w", "w/frame", "zero", "zero", "limit", "step"),
        ],
        ["w/exit_i:0", "w/exit_acc:0"],
        { "limit:0": limit },
      );
      assert.deepEqual(
        [out.get("w/exit_i:0"), out.get("w/exit_acc:0")],
        expected(limit, 3),
        `limit ${limit}`,
      );
    }
  });

  test("nested loops: the inner loop runs once per outer iteration", async () => {
    // Outer: for o in 0..3 step 1: inner acc from 0 to 4 step 2 → inner exit_acc = 2+4 = 6.
    // Outer accumulates o (its own acc) — and we also fetch the inner result via an outer Exit chain.
    const inner = whileLoop("in", "in/frame", "out/body_i", "out/body_i", "out/enter_lim2", "out/enter_two");
    const outer = whileLoop("out", "out/frame", "zero", "zero", "three", "one");
    const nodes = [
      constNode("zero", I, [], [0]),
      constNode("one", I, [], [1]),
      constNode("three", I, [], [3]),
      constNode("four", I, [], [4]),
      constNode("two", I, [], [2]),
      node("out/enter_lim2", "Enter", {
        inputs: ["four"],
        attrs: { ...t(I), frame_name: attr.string("out/frame"), is_constant: attr.bool(true) },
      }),
      node("out/enter_two", "Enter", {
        inputs: ["two"],
        attrs: { ...t(I), frame_name: attr.string("out/frame"), is_constant: attr.bool(true) },
      }),
      ...outer,
      ...inner,
      // Sum of the inner loops' results over the outer iterations, carried out of the outer loop.
      node("out/use_inner", "Add", { inputs: ["out/add_acc", "in/exit_acc"], attrs: t(I) }),
    ];
    // Rewire the outer accumulator to include the inner result.
    const nextAcc = nodes.find((n) => n.name === "out/next_acc")!;
    nextAcc.input = ["out/use_inner"];
    const out = await runGraph(nodes, ["out/exit_i:0", "out/exit_acc:0"]);
    // Inner loop starting at o (o = 0, 1, 2): i steps by 2 while i < 4 → acc = Σ of visited i.
    let acc = 0;
    for (let o = 0; o < 3; o++) {
      const oi = o + 1;
      let i = o;
      let a = o;
      while (i < 4) {
        i += 2;
        a += i;
      }
      acc += oi + a;
    }
    assert.deepEqual([out.get("out/exit_i:0"), out.get("out/exit_acc:0")], [3, acc]);
  });

  test("a loop inside an untaken cond branch is dead, and fetching it says so", async () => {
    const nodes = [
      constNode("zero", I, [], [0]),
      constNode("ten", I, [], [10]),
      constNode("one", I, [], [1]),
      node("pred", "Placeholder", { attrs: { dtype: attr.type(DataType.DT_BOOL) } }),
      node("sw", "Switch", { inputs: ["zero", "pred"], attrs: t(I) }),
      // The loop starts from the true branch.
      ...whileLoop("w", "w/frame", "sw:1", "sw:1", "ten", "one"),
      node("other", "Identity", { inputs: ["sw:0"], attrs: t(I) }),
      node("joined", "Merge", { inputs: ["w/exit_acc", "other"], attrs: { ...t(I), N: attr.int(2) } }),
    ];
    await withMaster(
      async (m) => {
        const sessionHandle = await createSession(m, graph(...nodes));
        const run = (pred: boolean, fetch: string) =>
          runStep(m, sessionHandle, {
            fetch: [fetch],
            feed: [
              {
                name: "pred:0",
                tensor: {
                  ...tensorProto(I, [], [0]),
                  dtype: DataType.DT_BOOL,
                  tensorContent: new Uint8Array([pred ? 1 : 0]),
                },
              },
            ],
          });
        assert.deepEqual(tensorValues((await run(false, "joined:0")).tensor[0]!.tensor), [0]);
        assert.deepEqual(tensorValues((await run(true, "joined:0")).tensor[0]!.tensor), [55]);
        await assert.rejects(run(false, "w/exit_acc:0"), (e: unknown) => {
          assert.ok(isTfError(e));
          assert.equal(tfCodeName(e.code), "INTERNAL");
          assert.match(e.message, /was not valid/);
          return true;
        });
      },
      { workerThreads: false },
    );
  });

  test("100,000 iterations run in bounded memory", async () => {
    const before = process.memoryUsage().heapUsed;
    const out = await runGraph(
      [
        constNode("zero", I, [], [0]),
        constNode("limit", I, [], [100_000]),
        constNode("step", I, [], [1]),
        ...whileLoop("w", "w/frame", "zero", "zero", "limit", "step"),
      ],
      ["w/exit_i:0"],
    );
    assert.equal(out.get("w/exit_i:0"), 100_000);
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${grown} bytes`);
  });
});
