// Attr values checked against their op's definition when a graph is built (TF's ValidateNodeDef
// and AttrValueHasType), with TensorFlow's own codes and texts: test/tf/attr-type-errors.json holds
// what a real TF 2.21 master answered to CreateSession (or, when that succeeded, the first
// RunStep) and to ExtendSession for each bad graph (test/tf/export_attr_type_errors.py).
//
// tfgate fails CreateSession for every graph TF refuses at CreateSession, with TF's text; a graph
// TF accepts at CreateSession and refuses at its first RunStep is refused here at CreateSession
// already, with the text TF's RunStep gives (the same text TF's ExtendSession gives, which is what
// TF's own Python client meets: it sends its graph with ExtendSession).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { createMaster, type Master } from "../server/engine/master/master.js";

interface Outcome {
  readonly code: string;
  readonly message: string;
}
interface AttrCase extends Outcome {
  readonly case: string;
  readonly method: "CreateSession" | "RunStep";
  readonly graph: JsonValue;
  readonly extend: Outcome;
}

const reference = JSON.parse(readFileSync(new URL("tf/attr-type-errors.json", import.meta.url), "utf8")) as {
  tensorflow_version: string;
  cases: AttrCase[];
};

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return { code: "OK", message: "" };
  } catch (e) {
    assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
    return { code: tfCodeName(e.code), message: e.message };
  }
}

async function createThenRun(m: Master, c: AttrCase): Promise<Outcome & { method: string }> {
  const graphDef = fromJson(GraphDefSchema, c.graph);
  let handle = "";
  const created = await outcome(
    m.createSession(create(CreateSessionRequestSchema, { graphDef })).then((r) => {
      handle = r.sessionHandle;
    }),
  );
  if (created.code !== "OK") return { method: "CreateSession", ...created };
  const run = await outcome(
    m.runStep(create(RunStepRequestSchema, { sessionHandle: handle, fetch: ["b:0"] })),
  );
  await m.closeSession({ sessionHandle: handle } as never);
  return { method: "RunStep", ...run };
}

describe(`attrs checked against the op at graph build, as TensorFlow ${reference.tensorflow_version}`, () => {
  const withMaster = async (f: (m: Master) => Promise<void>) => {
    const m = createMaster({ cpuDevices: 1, workerThreads: false });
    try {
      await f(m);
    } finally {
      await m.close();
    }
  };

  for (const c of reference.cases) {
    test(`CreateSession: ${c.case}`, () =>
      withMaster(async (m) => {
        const got = await createThenRun(m, c);
        if (c.method === "CreateSession") {
          assert.deepEqual(got, { method: "CreateSession", code: c.code, message: c.message });
        } else if (c.code === "OK") {
          assert.deepEqual(got, { method: "RunStep", code: "OK", message: "" });
        } else {
          // TF refuses it at the first RunStep; tfgate at CreateSession, with the same text.
          assert.deepEqual(got, { method: "CreateSession", code: c.code, message: c.message });
        }
        // The master carries on.
        const ok = await m.createSession(create(CreateSessionRequestSchema, {}));
        assert.ok(ok.sessionHandle);
      }));

    test(`ExtendSession: ${c.case}`, () =>
      withMaster(async (m) => {
        const { sessionHandle } = await m.createSession(create(CreateSessionRequestSchema, {}));
        const got = await outcome(
          m.extendSession(
            create(ExtendSessionRequestSchema, {
              sessionHandle,
              graphDef: fromJson(GraphDefSchema, c.graph),
              currentGraphVersion: 0n,
            }),
          ),
        );
        assert.deepEqual(got, c.extend);
      }));
  }
});
