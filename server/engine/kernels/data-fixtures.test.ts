// tf.data in graph mode against TensorFlow 2.21 itself: testdata/data-fixtures.json, written by
// testdata/gen_data_fixtures.py. Each graph (datasets, one-shot and initializable iterators, their
// errors, a small training loop fed by a dataset) runs step by step in one session, as TF ran it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { create, fromBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../../../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, TfCode } from "../framework/errors.js";
import { createMaster } from "../master/master.js";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/data-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  graphs: GraphCase[];
};

// A failing dataset function's message names the dataset node by a process-wide id and the
// iterator by its position in the (optimised) pipeline, which no other runtime reproduces: those
// steps compare TF's message from the function's own error on.
const USER_FUNCTION =
  /^Error in user-defined function passed to \w+(:\d+)? transformation with iterator: [\w:]+: /;
const graphs: GraphCase[] = fx.graphs.map((g) => ({
  ...g,
  steps: g.steps.map((s) =>
    s.error ? { ...s, error: { ...s.error, message: s.error.message.replace(USER_FUNCTION, "") } } : s,
  ),
}));

// The file datasets' graphs name files under testdata/data-files by paths relative to the
// repository root, which TF resolved from there: the sandbox is rooted there too.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
runGraphFixtures(`tf.data vs TensorFlow ${fx.tensorflow}`, graphs, {
  files: { root: repoRoot, readOnly: true },
});

test("without a file sandbox the file datasets are refused with PERMISSION_DENIED", async () => {
  const fileGraph = graphs.find((g) => g.name === "file_datasets");
  assert.ok(fileGraph);
  const master = createMaster({});
  try {
    const graphDef = fromBinary(GraphDefSchema, Buffer.from(fileGraph.graph, "base64"));
    const { sessionHandle } = await master.createSession(create(CreateSessionRequestSchema, { graphDef }));
    const step = fileGraph.steps[0]!;
    await assert.rejects(
      master.runStep(
        create(RunStepRequestSchema, { sessionHandle, fetch: step.fetches, target: step.targets }),
      ),
      (e: unknown) =>
        isTfError(e) && e.code === TfCode.PERMISSION_DENIED && /no file sandbox/.test(e.message),
    );
  } finally {
    await master.close();
  }
});
