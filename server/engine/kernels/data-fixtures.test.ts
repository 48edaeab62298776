// tf.data in graph mode against TensorFlow 2.21 itself: testdata/data-fixtures.json, written by
// testdata/gen_data_fixtures.py. Each graph (datasets, one-shot and initializable iterators, their
// errors, a small training loop fed by a dataset) runs step by step in one session, as TF ran it.

import { readFileSync } from "node:fs";
import { type GraphCase, runGraphFixtures } from "./graph-fixtures.js";

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

runGraphFixtures(`tf.data vs TensorFlow ${fx.tensorflow}`, graphs);
