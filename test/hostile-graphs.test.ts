// Graphs built to hurt the server: each gets a clear error at once, the process keeps serving and
// other sessions keep their state.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";

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
          attrs: { num_split: attr.int(n), T: attr.type(DataType.DT_FLOAT) },
        }),
      ),
      new RegExp(`attr 'num_split' of ${n} is outside 0\\.\\.1048576`),
    );
  }
  refusesAtCreate(
    "Unpack num=2^31-1",
    graph(
      x,
      node("u", "Unpack", { inputs: ["x"], attrs: { num: attr.int(huge), T: attr.type(DataType.DT_FLOAT) } }),
    ),
    /attr 'num' of 2147483647/,
  );
  refusesAtCreate(
    "AddN N=2^31-1",
    graph(
      x,
      node("a", "AddN", {
        inputs: ["x", "x"],
        attrs: { N: attr.int(huge), T: attr.type(DataType.DT_FLOAT) },
      }),
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

describe("Range with NaN or infinite bounds gets TF's INVALID_ARGUMENT, not INTERNAL", () => {
  const cases: [number, number, number, RegExp][] = [
    [0, Number.NaN, 1, /Requires start <= limit when delta > 0: 0\/nan/],
    [0, 5, Number.NaN, /Requires start >= limit when delta < 0: 0\/5/],
    [Number.POSITIVE_INFINITY, 5, 1, /Requires start <= limit when delta > 0: inf\/5/],
    [0, Number.POSITIVE_INFINITY, 1, /Requires \(\(limit - start\) \/ delta\) <= 9223372036854775807/],
  ];
  for (const [start, limit, delta, text] of cases) {
    test(`Range(${start}, ${limit}, ${delta})`, async () => {
      const g = graph(
        constNode("s", DataType.DT_FLOAT, [], [start]),
        constNode("l", DataType.DT_FLOAT, [], [limit]),
        constNode("d", DataType.DT_FLOAT, [], [delta]),
        node("r", "Range", { inputs: ["s", "l", "d"], attrs: { Tidx: attr.type(DataType.DT_FLOAT) } }),
      );
      const { sessionHandle } = await master.createSession(
        create(CreateSessionRequestSchema, { graphDef: g }),
      );
      await assert.rejects(
        master.runStep(create(RunStepRequestSchema, { sessionHandle, fetch: ["r:0"] })),
        (e: unknown) => {
          assert.ok(isTfError(e), String(e));
          assert.equal(tfCodeName(e.code), "INVALID_ARGUMENT", e.message);
          assert.match(e.message, text);
          return true;
        },
      );
    });
  }
});

describe("graph ops cannot flood the server log", () => {
  test("PrintV2 of a 10 MB string writes at most the step's log budget", async () => {
    let logged = 0;
    const m = createMaster({ cpuDevices: 1, log: (_level, message) => (logged += message.length) });
    try {
      const g = graph(
        node("s", "Placeholder", { attrs: { dtype: attr.type(DataType.DT_STRING) } }),
        node("p", "PrintV2", { inputs: ["s"], attrs: { output_stream: attr.string("stderr") } }),
      );
      const { sessionHandle } = await m.createSession(create(CreateSessionRequestSchema, { graphDef: g }));
      const big = create(TensorProtoSchema, {
        dtype: DataType.DT_STRING,
        stringVal: [new Uint8Array(10 * 1024 * 1024).fill(65)],
      });
      for (let i = 0; i < 3; i++) {
        await m.runStep(
          create(RunStepRequestSchema, {
            sessionHandle,
            feed: [{ name: "s:0", tensor: big }],
            target: ["p"],
          }),
        );
      }
      assert.ok(logged < 3 * 70 * 1024, `logged ${logged} characters for 30 MB printed`);
    } finally {
      await m.close();
    }
  });
});
