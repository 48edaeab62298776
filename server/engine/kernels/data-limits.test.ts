// tf.data under tfgate's limits: values in tensors (buffer and batch sizes, padded shapes) never
// size an allocation up front, every batch is charged to the step's memory budget, and a pipeline
// that never yields is stopped by the step's deadline, leaving the session usable. The graphs
// (testdata/data-limits.json) come from gen_data_fixtures.py; TF itself is not run on them (it
// reserves some of these buffers up front and aborts).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { create, fromBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../../../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, TfCode } from "../framework/errors.js";
import { tensorFromProto } from "../framework/tensor-proto.js";
import { createMaster, type Master } from "../master/master.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/data-limits.json", import.meta.url), "utf8")) as {
  graphs: { name: string; graph: string; fetches: string[] }[];
};

describe("tf.data limits", () => {
  let master: Master;
  before(() => {
    master = createMaster({ cpuDevices: 1, maxStepBytes: 256 * 1024 });
  });
  after(() => master.close());

  async function session(
    name: string,
  ): Promise<{ run: (timeoutMs?: number) => Promise<unknown>; close: () => Promise<void> }> {
    const g = fx.graphs.find((x) => x.name === name);
    assert.ok(g, name);
    const graphDef = fromBinary(GraphDefSchema, Buffer.from(g.graph, "base64"));
    const { sessionHandle } = await master.createSession(create(CreateSessionRequestSchema, { graphDef }));
    return {
      run: async (timeoutMs?: number) => {
        const r = await master.runStep(
          create(RunStepRequestSchema, {
            sessionHandle,
            fetch: g.fetches,
            ...(timeoutMs ? { options: { timeoutInMs: BigInt(timeoutMs) } } : {}),
          }),
        );
        return tensorFromProto(r.tensor[0]!.tensor!);
      },
      close: async () => {
        await master.closeSession(create(CloseSessionRequestSchema, { sessionHandle }));
      },
    };
  }

  const code = (want: number) => (e: unknown) => {
    assert.ok(isTfError(e), String(e));
    assert.equal(e.code, want, e.message);
    return true;
  };

  test("a buffer_size and batch_size of 10^15 cost only the elements there are", async () => {
    const s = await session("huge_buffer_and_batch");
    const t = (await s.run()) as { shape: number[]; data: BigInt64Array };
    assert.deepEqual(t.shape, [5]);
    assert.deepEqual([...t.data].sort(), [0n, 1n, 2n, 3n, 4n]);
    await assert.rejects(s.run(), code(TfCode.OUT_OF_RANGE));
    await s.close();
  });

  test("padding to 2^40 elements is RESOURCE_EXHAUSTED, not an allocation", async () => {
    const s = await session("huge_padding");
    await assert.rejects(s.run(), code(TfCode.RESOURCE_EXHAUSTED));
    await s.close();
  });

  test("a batch is charged to the step's memory budget", async () => {
    const s = await session("batch_over_step_budget");
    await assert.rejects(s.run(), (e: unknown) => {
      code(TfCode.RESOURCE_EXHAUSTED)(e);
      assert.match((e as Error).message, /per-step memory budget/);
      return true;
    });
    await s.close();
  });

  test("repeating an empty dataset forever ends at once", async () => {
    const s = await session("endless_filter");
    await assert.rejects(s.run(), code(TfCode.OUT_OF_RANGE));
    await s.close();
  });

  test("a filter that never passes an element is stopped by the step's deadline", async () => {
    const s = await session("endless_filter_on_infinite_range");
    await assert.rejects(s.run(500), code(TfCode.DEADLINE_EXCEEDED));
    // The iterator is not left locked: the next step runs (and is stopped) too.
    await assert.rejects(s.run(300), code(TfCode.DEADLINE_EXCEEDED));
    await s.close();
  });
});
