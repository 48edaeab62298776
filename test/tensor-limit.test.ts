// --max-tensor-bytes belongs to a master, not to the process: two masters in one process (an
// embedding, or tests) each enforce their own per-tensor limit, on what their kernels allocate, on
// the constants their graphs decode when kernels are built, and on the feeds they decode, whether
// their devices run in this thread or on worker threads of their own.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";

const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;

/** A float32 tensor of `n` elements made by Fill from a fed length; its element count is fetched. */
function fillGraph(): NodeDef[] {
  return [
    node("n", "Placeholder", { attrs: { dtype: attr.type(I), shape: attr.shape([1]) } }),
    constNode("one", F, [], [1]),
    node("fill", "Fill", { inputs: ["n", "one"], attrs: { T: attr.type(F), index_type: attr.type(I) } }),
    node("size", "Size", { inputs: ["fill"], attrs: { T: attr.type(F), out_type: attr.type(I) } }),
  ];
}

/** Runs `fetch` in a new session of `m`; the fetched scalar, or the error as "CODE: message". */
async function run(
  m: Master,
  nodes: NodeDef[],
  fetch: string,
  feeds: Record<string, ReturnType<typeof tensorProto>> = {},
): Promise<number | string> {
  try {
    const { sessionHandle } = await m.createSession(
      create(CreateSessionRequestSchema, { graphDef: graph(...nodes) }),
    );
    const res = await m.runStep(
      create(RunStepRequestSchema, {
        sessionHandle,
        fetch: [fetch],
        feed: Object.entries(feeds).map(([name, tensor]) => ({ name, tensor })),
      }),
    );
    return Number(tensorValues(res.tensor[0]!.tensor)[0]);
  } catch (e) {
    if (!isTfError(e)) throw e;
    return `${tfCodeName(e.code)}: ${e.message}`;
  }
}

/** Two masters made one after the other (the second used to overwrite the first's limit). */
async function withTwoMasters(
  workerThreads: boolean,
  f: (small: Master, large: Master) => Promise<void>,
): Promise<void> {
  const small = createMaster({ workerThreads, cpuDevices: 1, maxTensorBytes: 4096 });
  const large = createMaster({ workerThreads, cpuDevices: 1, maxTensorBytes: 1 << 20 });
  try {
    await f(small, large);
  } finally {
    await Promise.all([small.close(), large.close()]);
  }
}

for (const workerThreads of [false, true]) {
  describe(`two masters in one process, each with its own tensor limit (worker threads: ${workerThreads})`, () => {
    test("a kernel's allocation", async () => {
      await withTwoMasters(workerThreads, async (small, large) => {
        const feeds = { "n:0": tensorProto(I, [1], [10_000]) }; // 40,000 bytes
        const smallResult = await run(small, fillGraph(), "size:0", feeds);
        assert.match(
          String(smallResult),
          /^RESOURCE_EXHAUSTED: .*exceeds the per-tensor limit of 4096 bytes/s,
        );
        assert.equal(await run(large, fillGraph(), "size:0", feeds), 10_000);
        // The first master still enforces its own limit after the second ran.
        assert.match(
          String(await run(small, fillGraph(), "size:0", feeds)),
          /per-tensor limit of 4096 bytes/s,
        );
      });
    });

    test("a graph's constant and a feed", async () => {
      await withTwoMasters(workerThreads, async (small, large) => {
        const big = constNode("big", F, [2000], new Array(2000).fill(2)); // 8,000 bytes
        const bigConst = [
          big,
          node("s", "Size", { inputs: ["big"], attrs: { T: attr.type(F), out_type: attr.type(I) } }),
        ];
        assert.match(String(await run(small, bigConst, "s:0")), /per-tensor limit of 4096 bytes/s);
        assert.equal(await run(large, bigConst, "s:0"), 2000);

        const fed = [
          node("x", "Placeholder", { attrs: { dtype: attr.type(F) } }),
          node("s", "Size", { inputs: ["x"], attrs: { T: attr.type(F), out_type: attr.type(I) } }),
        ];
        const feeds = { "x:0": tensorProto(F, [2000], new Array(2000).fill(1)) };
        assert.match(
          String(await run(small, fed, "s:0", feeds)),
          /^INVALID_ARGUMENT: Invalid TensorProto for feed value 0 .*per-tensor limit of 4096 bytes/s,
        );
        assert.equal(await run(large, fed, "s:0", feeds), 2000);
      });
    });
  });
}
