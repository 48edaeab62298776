// Graphs built to hurt the server: each gets a clear error at once, the process keeps serving and
// other sessions keep their state.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr, constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";

let master: Master;
before(() => {
  master = createMaster({ cpuDevices: 1 });
});
after(() => master.close());

const huge = 2 ** 31 - 1;

function refusesAtCreate(name: string, g: ReturnType<typeof graph>, text: RegExp): void {
  test(name, async () => {
    const started = Date.now();
    await assert.rejects(
      master.createSession(create(CreateSessionRequestSchema, { graphDef: g })),
      (e: unknown) => {
        assert.ok(isTfError(e), String(e));
        assert.equal(tfCodeName(e.code), "INVALID_ARGUMENT", e.message);
        assert.match(e.message, text);
        return true;
      },
    );
    // Refused before anything is sized by the attr (it took 54 s and 7 GB at 10^8).
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
}

describe("list-length attrs are bounded before anything is allocated", () => {
  const x = constNode("x", DataType.DT_FLOAT, [2], [1, 2]);
  const axis = constNode("axis", DataType.DT_INT32, [], [0]);
  for (const n of [huge, 100_000_000]) {
    refusesAtCreate(
      `Split num_split=${n}`,
      graph(
        x,
        axis,
        node("s", "Split", {
          inputs: ["axis", "x"],
          attrs: { num_split: attr.i(n), T: attr.type(DataType.DT_FLOAT) },
        }),
      ),
      new RegExp(`attr 'num_split' of ${n} is outside 0\\.\\.1048576`),
    );
  }
  refusesAtCreate(
    "Unpack num=2^31-1",
    graph(
      x,
      node("u", "Unpack", { inputs: ["x"], attrs: { num: attr.i(huge), T: attr.type(DataType.DT_FLOAT) } }),
    ),
    /attr 'num' of 2147483647/,
  );
  refusesAtCreate(
    "AddN N=2^31-1",
    graph(
      x,
      node("a", "AddN", { inputs: ["x", "x"], attrs: { N: attr.i(huge), T: attr.type(DataType.DT_FLOAT) } }),
    ),
    /attr 'N' of 2147483647/,
  );

  test("the engine keeps serving other sessions", async () => {
    const { sessionHandle } = await master.createSession(
      create(CreateSessionRequestSchema, { graphDef: graph(constNode("c", DataType.DT_FLOAT, [1], [7])) }),
    );
    const r = await master.runStep(create(RunStepRequestSchema, { sessionHandle, fetch: ["c:0"] }));
    assert.deepEqual(tensorValues(r.tensor[0]!.tensor), [7]);
  });
});
