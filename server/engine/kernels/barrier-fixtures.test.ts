// Barriers against TensorFlow 2.21 itself: testdata/barrier-fixtures.json, written by
// testdata/gen_barrier_fixtures.py. Each graph runs step by step in one session, as TF ran it:
// components inserted for many keys at a time, tuples ready once complete and taken in insertion
// order with TF's insertion indices, closing with and without cancelling pending inserts, small
// batches from a closed barrier, takes of no and of fewer than no elements (waits that end at the
// step's deadline among them), and TF's errors (construction attrs, component index, signature,
// empty values, shapes). Waits other steps end are in util/barrier.test.ts; replacement of the
// worker thread and the memory ceiling in test/durable-kinds.test.ts.

import { readFileSync } from "node:fs";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/barrier-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  graphs: GraphCase[];
};

runGraphFixtures(`barriers vs TensorFlow ${fx.tensorflow}`, fx.graphs);
